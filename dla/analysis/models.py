"""System analysis (matrix of aspects × actor groups with barrier and kans items), links from
question threads to items, milestones (with randvoorwaarden and acties) and decisions.

Links go on threads, never on wordings: a published version stays immutable while its
questions gain or lose links.
"""

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dla.db import LockMixin, TimestampMixin
from dla.extensions import db

ASPECT = "aspect"
ACTOR = "actor"
AXES = {ASPECT: "Systeemaspect", ACTOR: "Actorgroep"}
DEFAULT_ASPECTS = [
    "Wet- en regelgeving",
    "Financiering",
    "Beleid en sturing",
    "Mandaat en besluitvorming",
    "Cultuur en eigenaarschap",
    "Interactie en samenwerking",
    "Kennis en expertise",
    "Capaciteit en middelen",
    "Informatie en privacy (AVG)",
    "Organisatiestructuur en schaal",
]
DEFAULT_ACTORS = [
    "Gemeente",
    "Wijkteams / lokaal veld",
    "Veilig Thuis",
    "Politie",
    "OM",
    "Zorgaanbieders",
    "Jeugdbescherming",
    "Zorg- en Veiligheidshuis",
    "Rijksoverheid",
]

BARRIER = "barriere"
CHANCE = "kans"
ITEM_KINDS = {BARRIER: "Barrière", CHANCE: "Kans"}
SOURCES = {
    "werksessie": "Werksessie",
    "interview": "Interview",
    "observatie": "Observatie",
    "document": "Document",
}
ACTIVE = "actief"
ITEM_STATUSES = {ACTIVE: "Actief", "afgenomen": "Afgenomen", "opgeheven": "Opgeheven"}

MILESTONE_STATUSES = {
    "gepland": "Gepland",
    "bezig": "Bezig",
    "bereikt": "Bereikt",
    "losgelaten": "Losgelaten",
}
ACTION_STATUSES = {"open": "Open", "bezig": "Bezig", "klaar": "Klaar"}
DECISION_KINDS = {"besluit": "Besluit", "verzoek": "Verzoek"}
DECISION_STATUSES = {
    "open": "Open",
    "in_uitvoering": "In uitvoering",
    "afgerond": "Afgerond",
}


class MatrixHeading(LockMixin, TimestampMixin, db.Model):
    """A row (system aspect) or column (actor group) of a region's matrix."""

    __tablename__ = "matrix_headings"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    axis: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def axis_label(self) -> str:
        return AXES.get(self.axis, self.axis)


class BarrierItem(LockMixin, TimestampMixin, db.Model):
    """One item in a matrix cell: a barrière or a kans."""

    __tablename__ = "barrier_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    aspect_id: Mapped[int] = mapped_column(
        ForeignKey("matrix_headings.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int] = mapped_column(
        ForeignKey("matrix_headings.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10), default=BARRIER)
    description: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20), default="werksessie")
    status: Mapped[str] = mapped_column(String(20), default=ACTIVE)
    # When the item was noted, and when its status last changed (both optional).
    noted_on: Mapped[date | None] = mapped_column(Date)
    status_on: Mapped[date | None] = mapped_column(Date)

    aspect = relationship("MatrixHeading", foreign_keys=[aspect_id])
    actor = relationship("MatrixHeading", foreign_keys=[actor_id])

    @property
    def code(self) -> str:
        return f"{'B' if self.kind == BARRIER else 'K'}-{self.id}"

    @property
    def kind_label(self) -> str:
        return ITEM_KINDS.get(self.kind, self.kind)

    @property
    def source_label(self) -> str:
        return SOURCES.get(self.source, self.source)

    @property
    def status_label(self) -> str:
        return ITEM_STATUSES.get(self.status, self.status)


class BarrierLink(TimestampMixin, db.Model):
    """A question thread names a barrier item (its "terwijl" clause), with a short note."""

    __tablename__ = "barrier_links"
    __table_args__ = (UniqueConstraint("thread_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("barrier_items.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str] = mapped_column(String(500), default="")

    item = relationship("BarrierItem")


class Milestone(LockMixin, TimestampMixin, db.Model):
    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    # Free text: "half september", "afhankelijk van het tempo", or a date.
    term: Mapped[str] = mapped_column(String(120), default="")
    # An explicit deadline; without one the register reads the free-text term.
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="gepland")

    preconditions = relationship(
        "Precondition",
        order_by="Precondition.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    actions = relationship(
        "MilestoneAction",
        order_by="MilestoneAction.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def status_label(self) -> str:
        return MILESTONE_STATUSES.get(self.status, self.status)


class Precondition(TimestampMixin, db.Model):
    """A randvoorwaarde of a milestone."""

    __tablename__ = "preconditions"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    milestone_id: Mapped[int] = mapped_column(
        ForeignKey("milestones.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)


class MilestoneAction(LockMixin, TimestampMixin, db.Model):
    """An actie towards a milestone: who (free text), by when, and how far it is."""

    __tablename__ = "milestone_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    milestone_id: Mapped[int] = mapped_column(
        ForeignKey("milestones.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    term: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(20), default="open")

    @property
    def status_label(self) -> str:
        return ACTION_STATUSES.get(self.status, self.status)


class MilestoneLink(TimestampMixin, db.Model):
    """A milestone is linked to a question thread or to a barrier item."""

    __tablename__ = "milestone_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    milestone_id: Mapped[int] = mapped_column(
        ForeignKey("milestones.id", ondelete="CASCADE"), index=True
    )
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("barrier_items.id", ondelete="CASCADE"), index=True
    )

    milestone = relationship("Milestone")
    item = relationship("BarrierItem")


class Decision(LockMixin, TimestampMixin, db.Model):
    """A decision or request of the taskforce on a barrier item or a milestone."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("barrier_items.id", ondelete="CASCADE"), index=True
    )
    milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("milestones.id", ondelete="CASCADE"), index=True
    )
    decided_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20), default="besluit")
    text: Mapped[str] = mapped_column(Text)
    follow_up: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    author_name: Mapped[str] = mapped_column(String(200), default="")
    # Who carries the follow-up (free text, may be a role) and by when.
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date | None] = mapped_column(Date)

    item = relationship("BarrierItem")
    milestone = relationship("Milestone")
    follow_ups = relationship(
        "DecisionFollowUp",
        order_by="DecisionFollowUp.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def kind_label(self) -> str:
        return DECISION_KINDS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return DECISION_STATUSES.get(self.status, self.status)


class DecisionFollowUp(TimestampMixin, db.Model):
    """One entry of a decision's follow-up history: a new "Vervolg" never overwrites the
    earlier ones (``Decision.follow_up`` holds the latest text)."""

    __tablename__ = "decision_follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decisions.id", ondelete="CASCADE"), index=True
    )
    written_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    # The decision's status when this follow-up was written.
    status: Mapped[str] = mapped_column(String(20), default="open")
    author_name: Mapped[str] = mapped_column(String(200), default="")

    @property
    def status_label(self) -> str:
        return DECISION_STATUSES.get(self.status, self.status)
