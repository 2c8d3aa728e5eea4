"""Agendas, versions, question threads (Leervraag), wordings (Formulering), transitions.

A thread is the identity of one learning question across versions and agendas. Each
version holds at most one wording per thread. What happened to a wording when the next
version was made is its transition (exactly one, chosen by a person).
"""

from datetime import date, datetime

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dla.agendas.history import TRANSITION_LABELS
from dla.db import LockMixin, TimestampMixin, utcnow
from dla.extensions import db

LEVELS = {
    "operationeel": "Operationeel",
    "tactisch": "Tactisch",
    "strategisch": "Strategisch",
    "netwerk": "Netwerk",
}
AUDIENCE_SUGGESTIONS = [
    "ICR's",
    "ICR's in opleiding",
    "ICR's in praktijk",
    "Professionals",
    "Managers",
    "Projectleider",
    "Bestuurders",
    "Taskforce",
]
ORIGINS = {
    "werksessie": "Werksessie",
    "gereconstrueerd": "Gereconstrueerd",
    "gezamenlijk": "Gezamenlijk opgesteld",
}
DISTRIBUTIONS = {
    "regio": "Hele regio",
    "beperkt": "Beperkt (alleen de leden van de werksessie)",
}
CONCEPT = "concept"
PUBLISHED = "vastgesteld"
# Version columns that may change after publishing: how reports cite the version.
CITABLE_AFTER_PUBLISHING = frozenset({"report_reference"})
VERSION_STATUSES = {CONCEPT: "Concept", PUBLISHED: "Vastgesteld"}
LABEL_STYLES = {"letter": "A, B, C …", "number": "1, 2, 3 …"}

# Transition kinds, in the order the UI offers them.
KEEP = "blijft_staan"
REWORD = "geherformuleerd"
MERGE = "samengevoegd"
SPLIT = "gesplitst"
MOVE = "verplaatst"
ANSWER = "voorlopig_beantwoord"
DROP = "vervallen"
TRANSITIONS = {
    kind: TRANSITION_LABELS[kind] for kind in (KEEP, REWORD, MERGE, SPLIT, MOVE, ANSWER, DROP)
}
# Kinds after which the thread continues in the next version of the same agenda.
CONTINUING = {KEEP, REWORD, SPLIT}
# Kinds after which the thread leaves this agenda.
LEAVING = {MERGE, MOVE, ANSWER, DROP}
DROP_REASONS = {
    "niet_meer_urgent": "Niet meer urgent",
    "inzicht_bereikt": "Het inzicht is bereikt",
    "elders_belegd": "Wordt elders opgepakt",
    "anders": "Andere reden",
}


class Agenda(LockMixin, TimestampMixin, db.Model):
    __tablename__ = "agendas"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(20))
    audience: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(300))
    ambition: Mapped[str] = mapped_column(Text, default="")

    region = relationship("Region", back_populates="agendas")
    versions = relationship(
        "Version",
        back_populates="agenda",
        order_by="Version.number",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def level_label(self) -> str:
        return LEVELS.get(self.level, self.level)

    @property
    def choice_label(self) -> str:
        """How the agenda is named in a list to choose from: "title (level, audience)"."""
        return f"{self.title} ({self.level_label}, {self.audience})"


class Version(LockMixin, TimestampMixin, db.Model):
    """A dated issue of one agenda. A published (vastgesteld) version never changes."""

    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("agenda_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_id: Mapped[int] = mapped_column(ForeignKey("agendas.id", ondelete="CASCADE"), index=True)
    # Explicit order; never derived from dates (real documents contradict their order).
    number: Mapped[int] = mapped_column(Integer)
    # The printed label ("Versie: 1"); later versions often carry none.
    label: Mapped[str] = mapped_column(String(40), default="")
    document_date: Mapped[date | None] = mapped_column(Date)
    session_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=CONCEPT)
    origin: Mapped[str] = mapped_column(String(20), default="werksessie")
    context_line: Mapped[str] = mapped_column(Text, default="")
    distribution: Mapped[str] = mapped_column(String(20), default="regio")
    # One theme per line.
    themes: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    # Memo header (Aan / Kenmerk), when the version was sent as a memo.
    recipient: Mapped[str] = mapped_column(String(300), default="")
    reference: Mapped[str] = mapped_column(String(100), default="")
    # How reports cite this version ("bijlage 2.4"); may be set after publishing (it is
    # about the reports, not the version's content; see CITABLE_AFTER_PUBLISHING).
    report_reference: Mapped[str] = mapped_column(String(100), default="")
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    agenda = relationship("Agenda", back_populates="versions")
    groups = relationship(
        "VersionGroup",
        back_populates="version",
        order_by="VersionGroup.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    wordings = relationship(
        "Wording",
        back_populates="version",
        order_by="Wording.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    transitions = relationship(
        "Transition",
        back_populates="version",
        cascade="all, delete-orphan",
        passive_deletes=True,
        foreign_keys="Transition.version_id",
    )

    @property
    def is_published(self) -> bool:
        return self.status == PUBLISHED

    @property
    def theme_list(self) -> list[str]:
        return [line.strip() for line in self.themes.splitlines() if line.strip()]

    @property
    def origin_label(self) -> str:
        return ORIGINS.get(self.origin, self.origin)

    @property
    def status_label(self) -> str:
        return VERSION_STATUSES.get(self.status, self.status)

    @property
    def distribution_label(self) -> str:
        return DISTRIBUTIONS.get(self.distribution, self.distribution)


class VersionGroup(db.Model):
    """A group of questions in one version ("Leervragen ten aanzien van ambitie")."""

    __tablename__ = "version_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("versions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300), default="")
    label_style: Mapped[str] = mapped_column(String(10), default="letter")

    version = relationship("Version", back_populates="groups")


class Thread(TimestampMixin, db.Model):
    """The identity of one learning question (Leervraag) across versions and agendas."""

    __tablename__ = "threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    # Set when the thread was split off another one.
    split_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", ondelete="SET NULL"), index=True
    )

    wordings = relationship("Wording", back_populates="thread", passive_deletes=True)

    @property
    def code(self) -> str:
        return f"LV-{self.id}"


# The parts ``parsing.parse_question`` finds in a question, each kept in the wording's column
# of the same name (``full_text`` holds the parsed ``text``).
PARSED_FIELDS = (
    "full_text",
    "stem",
    "person",
    "role_phrase",
    "goal",
    "barrier",
    "annotation",
    "tag",
)
# A wording's text: as printed (with its shared stem) and as parsed. A new version copies it.
WORDING_TEXT_FIELDS = ("shared_stem", "text", *PARSED_FIELDS)


class Wording(LockMixin, TimestampMixin, db.Model):
    """A learning question as worded in one version (Formulering), with its parsed parts."""

    __tablename__ = "wordings"
    __table_args__ = (UniqueConstraint("version_id", "thread_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("versions.id", ondelete="CASCADE"), index=True
    )
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("version_groups.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(10), default="")
    # Printed form: with a shared stem, ``text`` is the completion ("… ik geen …?").
    shared_stem: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    # The full question (the shared stem expanded); what is parsed and compared.
    full_text: Mapped[str] = mapped_column(Text)
    stem: Mapped[str] = mapped_column(String(120), default="")
    person: Mapped[str] = mapped_column(String(10), default="")
    role_phrase: Mapped[str] = mapped_column(String(120), default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    barrier: Mapped[str] = mapped_column(Text, default="")
    annotation: Mapped[str] = mapped_column(Text, default="")
    tag: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    version = relationship("Version", back_populates="wordings")
    thread = relationship("Thread", back_populates="wordings")
    group = relationship("VersionGroup")
    subquestions = relationship(
        "SubQuestion",
        back_populates="wording",
        order_by="SubQuestion.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    transition = relationship(
        "Transition",
        back_populates="from_wording",
        uselist=False,
        foreign_keys="Transition.from_wording_id",
        passive_deletes=True,
    )


class SubQuestion(db.Model):
    """A sub-question (i, ii, …) that breaks a main question into steps."""

    __tablename__ = "subquestions"

    id: Mapped[int] = mapped_column(primary_key=True)
    wording_id: Mapped[int] = mapped_column(
        ForeignKey("wordings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(10), default="")
    text: Mapped[str] = mapped_column(Text)

    wording = relationship("Wording", back_populates="subquestions")


transition_targets = Table(
    "transition_targets",
    db.Model.metadata,
    Column(
        "transition_id",
        ForeignKey("transitions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "wording_id",
        ForeignKey("wordings.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Transition(TimestampMixin, db.Model):
    """What happened to one wording when the next version (``version``) was made."""

    __tablename__ = "transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    from_wording_id: Mapped[int] = mapped_column(
        ForeignKey("wordings.id", ondelete="CASCADE"), unique=True
    )
    # The version in which the decision was taken (the next version of the same agenda).
    version_id: Mapped[int] = mapped_column(
        ForeignKey("versions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    # The provisional answer or action, the reason for dropping, or a note.
    note: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(String(30), default="")
    target_agenda_id: Mapped[int | None] = mapped_column(
        ForeignKey("agendas.id", ondelete="SET NULL"), index=True
    )
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    from_wording = relationship(
        "Wording", back_populates="transition", foreign_keys=[from_wording_id]
    )
    version = relationship("Version", back_populates="transitions", foreign_keys=[version_id])
    target_agenda = relationship("Agenda")
    # Merge: the wording merged into. Split: the new wordings. Move: the wording in the
    # other agenda.
    targets = relationship("Wording", secondary=transition_targets)

    @property
    def label(self) -> str:
        return TRANSITIONS.get(self.kind, self.kind)


class Comment(db.Model):
    """A comment on a question thread or on a version, with author and time."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("versions.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
