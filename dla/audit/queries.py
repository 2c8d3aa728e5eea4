"""Read side of the audit log: the entries a user may read, a page at a time."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, or_, select

from dla.agendas import services as agenda_services
from dla.agendas.models import Version
from dla.audit import describe
from dla.audit.models import COPIED_TEXT_FIELDS, SECRET_FIELDS, VERSIONED_ENTITIES, AuditEntry
from dla.audit.services import ENTITIES
from dla.auth.permissions import access
from dla.extensions import db


def visible_entries(region_id: int) -> list:
    """SQL conditions on ``AuditEntry`` for the entries the current user may read: none
    about a version, a question thread or a werksessie they may not read (what it was
    about would show restricted text, or that it exists)."""
    rights = access()
    if rights.readable_versions(region_id) is None:
        return []
    return [
        or_(
            AuditEntry.version_id.in_(rights.readable_version_ids(region_id)),
            AuditEntry.version_id.is_(None) & AuditEntry.entity.not_in(VERSIONED_ENTITIES),
        ),
        or_(
            AuditEntry.thread_id.is_(None),
            AuditEntry.thread_id.in_(rights.readable_threads(region_id)),
        ),
        or_(
            AuditEntry.werksessie_id.is_(None),
            AuditEntry.werksessie_id.not_in(rights.hidden_sessions(region_id)),
        ),
    ]


def count_entries(where: list) -> int:
    return db.session.scalar(select(func.count(AuditEntry.id)).where(*where))


def entries_page(where: list, number: int, size: int) -> list[AuditEntry]:
    """Page ``number`` (from 1) of the entries, newest first."""
    return db.session.scalars(
        select(AuditEntry)
        .where(*where)
        .order_by(AuditEntry.id.desc())
        .limit(size)
        .offset((number - 1) * size)
    ).all()


def after_unreadable(region_id: int, version_ids: set[int]) -> set[int]:
    """Those of ``version_ids`` whose previous published version the user may not read: a
    new version starts as a copy of it, so its log holds that version's text."""
    rights = access()
    if not version_ids or rights.readable_versions(region_id) is None:
        return set()
    hidden = set()
    for version in db.session.scalars(select(Version).where(Version.id.in_(version_ids))):
        previous = agenda_services.previous_version(version)
        if previous is not None and not rights.can_read_version(previous):
            hidden.add(version.id)
    return hidden


# Fields of a live row that a sentence may use (never free text of a version: that may be
# restricted, and the sentence is shown whatever the details hide).
LIVE_FIELDS = (
    "number",
    "label",
    "role",
    "email",
    "kind",
    "axis",
    "agenda_id",
    "version_id",
    "user_id",
    "thread_id",
    "item_id",
    "indicator_id",
    "milestone_id",
    "werksessie_id",
    "wording_id",
    "from_wording_id",
)
# Names a sentence may use, per entity (not a group's title: a version's text).
LIVE_NAMES = {
    "regio": ("name",),
    "agenda": ("title",),
    "gebruiker": ("name",),
    "meting": ("name",),
    "matrixkop": ("name",),
    "mijlpaal": ("title",),
    "sessie": ("title",),
}


def facts_for(
    entries: list[AuditEntry], region_name: str, readable=None
) -> dict[int, describe.Facts]:
    """Per entry id, what its sentence needs: the row's values (from the entry, completed
    from the row when it still exists) and the names of the rows it points at. Versions and
    their questions are named only when in ``readable`` (a select of version ids; the
    reader's ``Access.readable_version_ids``): the others stay "een versie", "een vraag"."""
    models = {entity: model for model, entity in ENTITIES.items()}
    rows: dict[int, dict] = {}
    for entry in entries:
        hidden = set(SECRET_FIELDS.get(entry.entity, ())) | set(
            COPIED_TEXT_FIELDS.get(entry.entity, ())
        )
        row = {"_id": entry.entity_id}
        for change in entry.change_list:
            if change["field"] in hidden:
                continue
            row[change["field"]] = change["new"] if change["new"] is not None else change["old"]
            if entry.action == "gewijzigd" and change["field"] == "status":
                row["_changed_status"] = change["new"]
            if entry.action == "gewijzigd" and change["field"] == "used_at" and change["new"]:
                row["_changed_used"] = True
        for scope in ("version_id", "thread_id", "werksessie_id"):
            if getattr(entry, scope) is not None:
                row.setdefault(scope, getattr(entry, scope))
        rows[entry.id] = row
    by_entity: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        if entry.entity_id is not None and entry.entity in models:
            by_entity[entry.entity].add(entry.entity_id)
    live: dict[tuple[str, int], dict] = {}
    for entity, ids in by_entity.items():
        model = models[entity]
        wanted = [*LIVE_FIELDS, *LIVE_NAMES.get(entity, ())]
        columns = [c for c in model.__table__.columns if c.name in wanted]
        if not columns:
            continue
        table = model.__table__
        for found in db.session.execute(
            select(table.c.id, *columns).where(table.c.id.in_(ids))
        ).mappings():
            live[(entity, found["id"])] = dict(found)
    for entry in entries:
        for key, value in live.get((entry.entity, entry.entity_id), {}).items():
            if key != "id":
                rows[entry.id].setdefault(key, value)
    return _with_names(entries, rows, region_name, readable)


def _ids(rows: dict[int, dict], *keys: str) -> set[int]:
    return {row[key] for row in rows.values() for key in keys if isinstance(row.get(key), int)}


def _with_names(
    entries, rows: dict[int, dict], region_name: str, readable
) -> dict[int, describe.Facts]:
    from dla.agendas.models import Agenda, Wording
    from dla.analysis.models import BarrierItem, Milestone
    from dla.auth.models import User
    from dla.measurements.models import Indicator
    from dla.werksessies.models import Werksessie

    def pairs(query) -> dict:
        return {key: value for key, value in db.session.execute(query)}

    def named(model, column, ids) -> dict:
        return pairs(select(model.id, column).where(model.id.in_(ids))) if ids else {}

    def readable_only(query, column):
        return query if readable is None else query.where(column.in_(readable))

    wording_ids = _ids(rows, "from_wording_id", "wording_id")
    wordings = {
        w.id: (w.label, w.version_id)
        for w in db.session.execute(
            readable_only(
                select(Wording.id, Wording.label, Wording.version_id).where(
                    Wording.id.in_(wording_ids)
                ),
                Wording.version_id,
            )
        )
    }
    version_ids = _ids(rows, "version_id") | {v for _l, v in wordings.values() if v is not None}
    versions = {
        v.id: (v.number, v.title)
        for v in db.session.execute(
            readable_only(
                select(Version.id, Version.number, Agenda.title)
                .join(Agenda, Agenda.id == Version.agenda_id)
                .where(Version.id.in_(version_ids)),
                Version.id,
            )
        )
    }
    item_ids = _ids(rows, "item_id") | {
        e.entity_id for e in entries if e.entity == "barrière-item" and e.entity_id
    }
    items = {
        i.id: i.code
        for i in db.session.scalars(select(BarrierItem).where(BarrierItem.id.in_(item_ids)))
    }
    common = {
        "users": named(User, User.name, _ids(rows, "user_id")),
        "agendas": named(Agenda, Agenda.title, _ids(rows, "agenda_id")),
        "versions": versions,
        "wordings": wordings,
        "items": items,
        "indicators": named(Indicator, Indicator.name, _ids(rows, "indicator_id")),
        "milestones": named(Milestone, Milestone.title, _ids(rows, "milestone_id")),
        "sessions": named(Werksessie, Werksessie.title, _ids(rows, "werksessie_id")),
        "region": region_name,
    }
    return {entry.id: describe.Facts(row=rows[entry.id], **common) for entry in entries}
