"""A quotation: a wording quoted into a report, with the tag it was cited under.

Stored so that a researcher sees where a question was used. The wording (and so its
thread) is the source; the tag and the date are fixed when the citation is made.
"""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dla.db import utcnow
from dla.extensions import db


class Quotation(db.Model):
    __tablename__ = "quotations"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    wording_id: Mapped[int] = mapped_column(
        ForeignKey("wordings.id", ondelete="CASCADE"), index=True
    )
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    tag: Mapped[str] = mapped_column(String(300), default="")
    cited_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    wording = relationship("Wording")
    created_by = relationship("User")
