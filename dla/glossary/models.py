"""A term of the region's begrippenlijst with its agreed definition."""

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dla.db import LockMixin, TimestampMixin
from dla.extensions import db

MAX_TERM_LENGTH = 80
MAX_DEFINITION_LENGTH = 2000


class GlossaryTerm(LockMixin, TimestampMixin, db.Model):
    __tablename__ = "glossary_terms"
    __table_args__ = (UniqueConstraint("region_id", "term"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    term: Mapped[str] = mapped_column(String(MAX_TERM_LENGTH))
    definition: Mapped[str] = mapped_column(Text)

    region = relationship("Region")
