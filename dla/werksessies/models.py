"""Werksessies: a session in which a group reviews agendas and drafts the next version.

A session is planned, opened (it gets a short join code) and closed (the code expires and
the concept versions are made). Everything that happens during the session lives in these
tables, so a crashed browser or a lost connection loses nothing: participants, what they
typed (contributions), their votes on the question in focus, and the group's decisions on
the questions of the last published version.
"""

import secrets
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dla.db import LockMixin, TimestampMixin, utcnow
from dla.errors import ConflictError
from dla.extensions import db

KINDS = {
    "werksessie": "Werksessie",
    "reflectiesessie": "Reflectiesessie",
    "cocreatie": "Co-creatie workshop",
    "taskforce": "Taskforce-sessie",
    "terugval": "Terugvalworkshop",
}
PLANNED = "gepland"
OPEN = "open"
CLOSED = "gesloten"
STATUSES = {PLANNED: "Gepland", OPEN: "Open", CLOSED: "Gesloten"}

# The roles a participant can give when joining (the report counts by role; no names needed).
PARTICIPANT_ROLES = {
    "professional": "ICR / professional",
    "manager": "Manager / teamleider",
    "beleid": "Beleidsmedewerker / adviseur",
    "ervaringsdeskundige": "Ervaringsdeskundige",
    "bestuurder": "Bestuurder",
    "projectleider": "Projectleider",
    "onderzoeker": "Onderzoeker",
    "anders": "Anders",
}

# What happens to a participant's question.
NEW = "nieuw"
ACCEPTED = "overgenomen"
MERGED = "samengevoegd"
REJECTED = "niet_overgenomen"
# Set aside when the session closed: kept for a later session, not on the concept.
PARKED = "geparkeerd"
CONTRIBUTION_STATUSES = {
    NEW: "Nieuw",
    ACCEPTED: "Overgenomen",
    MERGED: "Samengevoegd",
    REJECTED: "Niet overgenomen",
    PARKED: "Geparkeerd",
}

# The join code. No 0/O, 1/I/L, 2/Z, 5/S, 8/B: easy to read from a projector and to type on
# a phone. A correct code is always admitted (a room must never lock itself out), so the
# protection against guessing is the size of the code space: 25^8 ≈ 1.5·10^11 codes. Even at
# 200 guesses a second for a whole day (17 million, far above what the wrong-code limits and
# the server allow) the chance to hit one of ten open sessions is about 1 in 900.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8

STILL = "staat_nog"
SOLVED = "opgelost"
VOTES = {STILL: "Staat nog", SOLVED: "Is opgelost"}


class Werksessie(LockMixin, TimestampMixin, db.Model):
    __tablename__ = "work_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="werksessie")
    title: Mapped[str] = mapped_column(String(200))
    session_date: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=PLANNED)
    # The join code exists only while the session is open.
    code: Mapped[str | None] = mapped_column(String(12), unique=True)
    allow_anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    max_participants: Mapped[int] = mapped_column(Integer, default=60)
    # The question of the last published version the group is looking at.
    focus_wording_id: Mapped[int | None] = mapped_column(
        ForeignKey("wordings.id", ondelete="SET NULL")
    )
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The audience view (projector): the tally of the question in focus is shown only after
    # the facilitator revealed it (per question), and a timer per question or round.
    revealed_wording_id: Mapped[int | None] = mapped_column(Integer)
    timer_ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    timer_seconds: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    region = relationship("Region")
    agendas = relationship(
        "SessionAgenda",
        back_populates="werksessie",
        order_by="SessionAgenda.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    @property
    def code_display(self) -> str:
        """The code in groups of four, as read from a screen (typing it either way works)."""
        code = self.code or ""
        return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(value: str | None) -> str:
    """What a person typed, as a code: upper case, without spaces and dashes."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())[:20]


def new_code() -> str:
    """A join code of unambiguous characters that no session uses now."""
    for _attempt in range(20):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        taken = db.session.scalar(select(func.count(Werksessie.id)).where(Werksessie.code == code))
        if not taken:
            return code
    raise ConflictError("Er kon geen vrije code worden gemaakt. Probeer het opnieuw.")


class SessionAgenda(db.Model):
    """An agenda reviewed in a session: the version walked through and the concept it made."""

    __tablename__ = "work_session_agendas"
    __table_args__ = (UniqueConstraint("werksessie_id", "agenda_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    werksessie_id: Mapped[int] = mapped_column(
        ForeignKey("work_sessions.id", ondelete="CASCADE"), index=True
    )
    agenda_id: Mapped[int] = mapped_column(ForeignKey("agendas.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Set when the session opens: the last published version, walked question by question.
    source_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("versions.id", ondelete="SET NULL")
    )
    # Set when the session closes: the concept version it produced.
    concept_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("versions.id", ondelete="SET NULL")
    )

    werksessie = relationship("Werksessie", back_populates="agendas")
    agenda = relationship("Agenda")
    source_version = relationship("Version", foreign_keys=[source_version_id])
    concept_version = relationship("Version", foreign_keys=[concept_version_id])


class Participant(db.Model):
    """Someone who joined with the code: an account holder or (when allowed) anonymous."""

    __tablename__ = "session_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    werksessie_id: Mapped[int] = mapped_column(
        ForeignKey("work_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    display_name: Mapped[str] = mapped_column(String(80), default="")
    role: Mapped[str] = mapped_column(String(30))
    # SHA-256 of the secret in the participant's signed cookie.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def role_label(self) -> str:
        return PARTICIPANT_ROLES.get(self.role, self.role)


class Contribution(LockMixin, TimestampMixin, db.Model):
    """A question a participant added; the facilitator accepts, edits, merges or sets it
    aside. Never deleted: nothing a participant typed is lost."""

    __tablename__ = "session_contributions"

    id: Mapped[int] = mapped_column(primary_key=True)
    werksessie_id: Mapped[int] = mapped_column(
        ForeignKey("work_sessions.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("session_participants.id", ondelete="SET NULL"), index=True
    )
    # What the participant typed, kept as typed.
    original_text: Mapped[str] = mapped_column(Text)
    # The text that goes on the agenda (the facilitator may edit it).
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=NEW)
    agenda_id: Mapped[int | None] = mapped_column(ForeignKey("agendas.id", ondelete="SET NULL"))
    # Merged into another contribution, or into a question of the walked version.
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("session_contributions.id", ondelete="SET NULL")
    )
    merged_into_wording_id: Mapped[int | None] = mapped_column(
        ForeignKey("wordings.id", ondelete="SET NULL")
    )
    # The question it became in the concept version (after closing).
    wording_id: Mapped[int | None] = mapped_column(ForeignKey("wordings.id", ondelete="SET NULL"))
    # Why it was left off when the session closed (a dropped or parked question).
    close_reason: Mapped[str] = mapped_column(Text, default="")
    # When personal data was erased from what the participant typed (the text is gone).
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    participant = relationship("Participant")
    agenda = relationship("Agenda")
    merged_into = relationship("Contribution", remote_side=[id])
    merged_into_wording = relationship("Wording", foreign_keys=[merged_into_wording_id])

    @property
    def status_label(self) -> str:
        return CONTRIBUTION_STATUSES.get(self.status, self.status)


class Vote(TimestampMixin, db.Model):
    """A participant's vote on a question of the walked version: still pressing or solved."""

    __tablename__ = "session_votes"
    __table_args__ = (UniqueConstraint("participant_id", "wording_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    werksessie_id: Mapped[int] = mapped_column(
        ForeignKey("work_sessions.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("session_participants.id", ondelete="CASCADE")
    )
    wording_id: Mapped[int] = mapped_column(
        ForeignKey("wordings.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[str] = mapped_column(String(20))


class SessionDecision(LockMixin, TimestampMixin, db.Model):
    """The group's decision on one question of the walked version (becomes a transition
    when the session closes)."""

    __tablename__ = "session_decisions"
    __table_args__ = (UniqueConstraint("werksessie_id", "wording_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    werksessie_id: Mapped[int] = mapped_column(
        ForeignKey("work_sessions.id", ondelete="CASCADE"), index=True
    )
    wording_id: Mapped[int] = mapped_column(ForeignKey("wordings.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(String(30), default="")
    # Reword: the new text. Split: the new questions, one per line.
    text: Mapped[str] = mapped_column(Text, default="")
    merge_wording_id: Mapped[int | None] = mapped_column(
        ForeignKey("wordings.id", ondelete="SET NULL")
    )
    merge_contribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("session_contributions.id", ondelete="SET NULL")
    )
    target_agenda_id: Mapped[int | None] = mapped_column(
        ForeignKey("agendas.id", ondelete="SET NULL")
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    wording = relationship("Wording", foreign_keys=[wording_id])
    merge_wording = relationship("Wording", foreign_keys=[merge_wording_id])
    merge_contribution = relationship("Contribution")
    target_agenda = relationship("Agenda")


class Upvote(db.Model):
    """A participant's support for an accepted new question of someone else."""

    __tablename__ = "session_upvotes"
    __table_args__ = (UniqueConstraint("participant_id", "contribution_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    werksessie_id: Mapped[int] = mapped_column(
        ForeignKey("work_sessions.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("session_participants.id", ondelete="CASCADE")
    )
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("session_contributions.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
