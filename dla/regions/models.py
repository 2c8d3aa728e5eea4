"""A region (regio) and its settings."""

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dla.db import LockMixin, TimestampMixin
from dla.extensions import db

DEFAULT_MIN_RUN = 3
DEFAULT_MAX_MONTHS = 9


class Region(LockMixin, TimestampMixin, db.Model):
    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # One municipality per line.
    municipalities: Mapped[str] = mapped_column(Text, default="")
    # Persistence thresholds: a thread is hardnekkig when it stands in at least
    # ``persist_min_run`` consecutive versions, or is older than ``persist_max_months``
    # months and still open.
    persist_min_run: Mapped[int] = mapped_column(Integer, default=DEFAULT_MIN_RUN)
    persist_max_months: Mapped[int] = mapped_column(Integer, default=DEFAULT_MAX_MONTHS)
    # Stop words for comparing questions when importing (one per line; empty: the default list).
    stop_words: Mapped[str] = mapped_column(Text, default="")

    agendas = relationship(
        "Agenda", back_populates="region", order_by="Agenda.title", passive_deletes=True
    )

    @property
    def municipality_list(self) -> list[str]:
        return [line.strip() for line in self.municipalities.splitlines() if line.strip()]

    def __repr__(self) -> str:
        return f"<Region {self.id} {self.name!r}>"
