"""Meaningful measurements (betekenisvolle metingen): indicators, observations, links.

An indicator belongs to one region. Observations hold only aggregated, non-identifying
values: a number for the quantitative kinds, a narrative for qualitative ones (a number may
carry a narrative too). An indicator links to question threads ("how would we notice
progress on this question?").
"""

from datetime import date

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dla.db import LockMixin, TimestampMixin
from dla.extensions import db

CONCERNS = {
    "gezinnen": "Gezinnen",
    "werkwijze": "Werkwijze en samenwerking",
}
HORIZONS = {"kort": "Korte termijn", "lang": "Lange termijn"}
AUDIENCES = {
    "gezinnen": "Gezinnen",
    "professionals": "Professionals",
    "managers": "Managers",
    "bestuurders": "Bestuurders",
}
QUALITATIVE = "kwalitatief"
KINDS = {
    "aantal": "Aantal",
    "percentage": "Percentage",
    "schaal": "Schaal",
    QUALITATIVE: "Kwalitatief (verhaal)",
}


class Indicator(LockMixin, TimestampMixin, db.Model):
    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    concerns: Mapped[str] = mapped_column(String(20))
    horizon: Mapped[str] = mapped_column(String(10))
    # Who needs this feedback: keys of AUDIENCES, space-separated, in AUDIENCES order.
    audiences: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str] = mapped_column(String(50), default="")
    # Where the region wants the figure to be (streefwaarde): a line on the chart; optional.
    target: Mapped[float | None] = mapped_column(Float, nullable=True)

    region = relationship("Region")
    observations = relationship(
        "Observation",
        back_populates="indicator",
        order_by="(Observation.observed_on, Observation.id)",
        passive_deletes=True,
    )

    __table_args__ = (UniqueConstraint("region_id", "name"),)

    @property
    def audience_list(self) -> list[str]:
        return [key for key in self.audiences.split() if key in AUDIENCES]

    @property
    def is_qualitative(self) -> bool:
        return self.kind == QUALITATIVE

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def concerns_label(self) -> str:
        return CONCERNS.get(self.concerns, self.concerns)

    @property
    def horizon_label(self) -> str:
        return HORIZONS.get(self.horizon, self.horizon)

    def __repr__(self) -> str:
        return f"<Indicator {self.id} {self.name!r}>"


class Observation(LockMixin, TimestampMixin, db.Model):
    """One observation (waarneming): a date, or a period from ``observed_on`` to ``period_end``."""

    __tablename__ = "observations"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="CASCADE"), index=True
    )
    observed_on: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    value: Mapped[float | None] = mapped_column(Float)
    narrative: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    indicator = relationship("Indicator", back_populates="observations")

    def __repr__(self) -> str:
        return f"<Observation {self.id} of {self.indicator_id} on {self.observed_on}>"


class IndicatorLink(TimestampMixin, db.Model):
    """An indicator linked to a question thread or to a barrier item, with a short note."""

    __tablename__ = "indicator_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="CASCADE"), index=True
    )
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("barrier_items.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str] = mapped_column(String(500), default="")

    indicator = relationship("Indicator")
    thread = relationship("Thread")

    __table_args__ = (
        UniqueConstraint("indicator_id", "thread_id"),
        UniqueConstraint("indicator_id", "item_id"),
        CheckConstraint("(thread_id IS NULL) <> (item_id IS NULL)", name="one_target"),
    )
