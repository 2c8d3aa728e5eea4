"""Record every change to audited objects in the audit log, in the same transaction.

A session listener (installed by ``create_app`` through :func:`install`) looks at what a
flush writes (new, changed and deleted rows), works out the region each row belongs to, and
inserts one ``AuditEntry`` per row with the changed fields (old → new) and the acting user.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from dla.agendas.models import (
    Agenda,
    Comment,
    SubQuestion,
    Transition,
    Version,
    VersionGroup,
    Wording,
)
from dla.analysis.models import (
    BarrierItem,
    BarrierLink,
    Decision,
    DecisionFollowUp,
    MatrixHeading,
    Milestone,
    MilestoneAction,
    MilestoneLink,
    Precondition,
)
from dla.audit.models import AuditEntry
from dla.auth.models import Invitation, Membership, User
from dla.citations.models import Quotation
from dla.db import utcnow
from dla.extensions import db
from dla.glossary.models import GlossaryTerm
from dla.measurements.models import Indicator, IndicatorLink, Observation
from dla.regions.models import Region
from dla.werksessies.models import Contribution, SessionDecision, Werksessie

ENTITIES = {
    Region: "regio",
    Agenda: "agenda",
    Version: "versie",
    VersionGroup: "groep",
    Wording: "vraag",
    SubQuestion: "deelvraag",
    Transition: "overgang",
    Comment: "reactie",
    Membership: "lidmaatschap",
    Invitation: "uitnodiging",
    User: "gebruiker",
    Indicator: "meting",
    Observation: "waarneming",
    IndicatorLink: "koppeling meting–leervraag",
    MatrixHeading: "matrixkop",
    BarrierItem: "barrière-item",
    BarrierLink: "koppeling",
    Milestone: "mijlpaal",
    Precondition: "randvoorwaarde",
    MilestoneAction: "actie",
    MilestoneLink: "mijlpaalkoppeling",
    Decision: "besluit",
    DecisionFollowUp: "vervolg op besluit",
    Werksessie: "sessie",
    SessionDecision: "sessiebesluit",
    Contribution: "sessievraag",
    Quotation: "citaat",
    GlossaryTerm: "begrip",
}
# Entities that carry their own region_id.
REGIONAL = (
    Agenda,
    Membership,
    Invitation,
    Comment,
    MatrixHeading,
    BarrierItem,
    BarrierLink,
    Milestone,
    Precondition,
    MilestoneAction,
    MilestoneLink,
    Decision,
    DecisionFollowUp,
    Werksessie,
    Quotation,
    GlossaryTerm,
)
SKIPPED_FIELDS = {
    "id",
    "created_at",
    "updated_at",
    "lock_version",
    "password_hash",
    "session_token",
    "token_hash",
}
MAX_VALUE = 500
# Set on an object (``setattr(obj, AUDIT_NOTE, "...")``) before a flush to record the
# change as this note instead of its old and new values.
AUDIT_NOTE = "audit_note"
ERASED = "(tekst geanonimiseerd)"


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str) and len(value) > MAX_VALUE:
        return value[:MAX_VALUE] + "…"
    return value


def _changes(obj, action: str) -> list[dict]:
    state = inspect(obj)
    result = []
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in SKIPPED_FIELDS:
            continue
        history = state.attrs[key].history
        if action == "aangemaakt":
            new = getattr(obj, key)
            if new not in (None, ""):
                result.append({"field": key, "old": None, "new": _value(new)})
        elif action == "verwijderd":
            old = (
                history.unchanged[0]
                if history.unchanged
                else (history.deleted[0] if history.deleted else None)
            )
            if old not in (None, ""):
                result.append({"field": key, "old": _value(old), "new": None})
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                result.append({"field": key, "old": _value(old), "new": _value(new)})
    return result


class _RegionResolver:
    """Finds the region of a row from its foreign keys, with one cache per flush."""

    def __init__(self, connection):
        self.connection = connection
        self.versions: dict[int, int] = {}
        self.wordings: dict[int, int] = {}
        self.sessions: dict[int, int] = {}

    def version(self, version_id: int | None) -> int | None:
        if version_id is None:
            return None
        if version_id not in self.versions:
            self.versions[version_id] = self.connection.scalar(
                select(Agenda.region_id)
                .join(Version, Version.agenda_id == Agenda.id)
                .where(Version.id == version_id)
            )
        return self.versions[version_id]

    def wording(self, wording_id: int | None) -> int | None:
        if wording_id is None:
            return None
        if wording_id not in self.wordings:
            self.wordings[wording_id] = self.connection.scalar(
                select(Agenda.region_id)
                .join(Version, Version.agenda_id == Agenda.id)
                .join(Wording, Wording.version_id == Version.id)
                .where(Wording.id == wording_id)
            )
        return self.wordings[wording_id]

    def session(self, werksessie_id: int | None) -> int | None:
        if werksessie_id is None:
            return None
        if werksessie_id not in self.sessions:
            self.sessions[werksessie_id] = self.connection.scalar(
                select(Werksessie.region_id).where(Werksessie.id == werksessie_id)
            )
        return self.sessions[werksessie_id]

    def wording_version(self, wording_id: int | None) -> int | None:
        if wording_id is None:
            return None
        return self.connection.scalar(select(Wording.version_id).where(Wording.id == wording_id))

    def scope(self, obj) -> dict:
        """The version, thread and werksessie an entry is about (see ``AuditEntry``)."""
        if isinstance(obj, Version):
            return {"version_id": obj.id}
        if isinstance(obj, Wording):
            return {"version_id": obj.version_id, "thread_id": obj.thread_id}
        if isinstance(obj, VersionGroup | Transition):
            return {"version_id": obj.version_id}
        if isinstance(obj, SubQuestion):
            return {"version_id": self.wording_version(obj.wording_id)}
        if isinstance(obj, Comment):
            return {"version_id": obj.version_id, "thread_id": obj.thread_id}
        if isinstance(obj, Quotation):
            return {"version_id": self.wording_version(obj.wording_id), "thread_id": obj.thread_id}
        if isinstance(obj, BarrierLink | MilestoneLink | IndicatorLink):
            return {"thread_id": obj.thread_id}
        if isinstance(obj, Werksessie):
            return {"werksessie_id": obj.id}
        if isinstance(obj, SessionDecision | Contribution):
            return {"werksessie_id": obj.werksessie_id}
        return {}

    def of(self, obj) -> int | None:
        if isinstance(obj, Region):
            return obj.id
        if isinstance(obj, SessionDecision | Contribution):
            return self.session(obj.werksessie_id)
        if isinstance(obj, REGIONAL):
            return obj.region_id
        if isinstance(obj, Version):
            return obj.agenda.region_id if obj.agenda is not None else None
        if isinstance(obj, Wording | VersionGroup | Transition):
            return self.version(obj.version_id)
        if isinstance(obj, SubQuestion):
            return self.wording(obj.wording_id)
        # Other audited rows carry their region.
        return getattr(obj, "region_id", None)


def _actor() -> tuple[int | None, str]:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id, current_user.name
    return None, "systeem"


def _entity_id(obj) -> int | None:
    """The row's id. A new row has no identity key yet after the flush, but its primary key
    is filled in by the INSERT."""
    state = inspect(obj)
    key = state.identity or state.mapper.primary_key_from_instance(obj)
    return key[0] if key else None


def install(app=None) -> None:
    """Listen to every session's flushes (once per process, however many apps)."""
    if not event.contains(Session, "after_flush", record):
        event.listen(Session, "after_flush", record)


def record(session, _context) -> None:
    """Write the audit entries of what this flush wrote."""
    pending = (
        [(obj, "aangemaakt") for obj in session.new]
        + [(obj, "gewijzigd") for obj in session.dirty]
        + [(obj, "verwijderd") for obj in session.deleted]
    )
    pending = [(obj, action) for obj, action in pending if type(obj) in ENTITIES]
    if not pending:
        return
    connection = session.connection()
    resolver = _RegionResolver(connection)
    user_id, actor = _actor()
    rows = []
    for obj, action in pending:
        # A change may be recorded as what it was instead of what it changed (personal data
        # erased from a text: the note, never the erased text).
        note = obj.__dict__.pop(AUDIT_NOTE, None)
        changes = [{"field": "tekst", "old": None, "new": note}] if note else _changes(obj, action)
        if action == "gewijzigd" and not changes:
            continue
        region_id = resolver.of(obj)
        if action == "verwijderd" and isinstance(obj, Region):
            region_id = None  # the region's own log goes with it
        rows.append(
            {
                "region_id": region_id,
                "user_id": user_id,
                "actor": actor,
                "created_at": utcnow(),
                "action": action,
                "entity": ENTITIES[type(obj)],
                "entity_id": _entity_id(obj),
                "changes": json.dumps(changes, ensure_ascii=False, default=str),
                "version_id": None,
                "thread_id": None,
                "werksessie_id": None,
                **resolver.scope(obj),
            }
        )
    if rows:
        connection.execute(AuditEntry.__table__.insert(), rows)


def erase_text(entity_type: type, entity_id: int, fields: tuple[str, ...]) -> int:
    """Blank the old and new values of ``fields`` in every entry about one row (personal data
    erased from it must not live on in the log). Returns the number of entries rewritten."""
    table = AuditEntry.__table__
    connection = db.session.connection()
    rows = connection.execute(
        select(table.c.id, table.c.changes).where(
            table.c.entity == ENTITIES[entity_type], table.c.entity_id == entity_id
        )
    ).all()
    rewritten = 0
    for entry_id, raw in rows:
        changes = json.loads(raw or "[]")
        touched = False
        for change in changes:
            if change.get("field") in fields:
                for side in ("old", "new"):
                    if change.get(side) not in (None, "", ERASED):
                        change[side] = ERASED
                        touched = True
        if touched:
            connection.execute(
                table.update()
                .where(table.c.id == entry_id)
                .values(changes=json.dumps(changes, ensure_ascii=False, default=str))
            )
            rewritten += 1
    return rewritten
