"""Database side of the exports: build the JSON document, restore it, build the files.

``export_document`` reads a constant number of queries per region (no N+1) and returns plain
data in the format of ``schema/dla-export-v1.schema.json``. ``restore_document`` validates
such a document and inserts it, with its original ids, into an empty database.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import fastjsonschema
from fastjsonschema import JsonSchemaValueException
from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from dla import tabular
from dla.agendas.models import (
    WORDING_TEXT_FIELDS,
    Agenda,
    Comment,
    SubQuestion,
    Thread,
    Transition,
    Version,
    VersionGroup,
    Wording,
    transition_targets,
)
from dla.analysis.models import (
    BarrierItem,
    BarrierLink,
    Decision,
    MatrixHeading,
    Milestone,
    MilestoneAction,
    MilestoneLink,
    Precondition,
)
from dla.db import utcnow
from dla.errors import ValidationError
from dla.exports import writers
from dla.extensions import db
from dla.measurements.models import Indicator, IndicatorLink, Observation
from dla.regions.models import Region
from dla.werksessies.models import (
    Contribution,
    Participant,
    SessionAgenda,
    SessionDecision,
    Vote,
    Werksessie,
)
from dla.werksessies.services import new_code

log = logging.getLogger(__name__)

SCHEMA_NAME = "dla-export-v1.schema.json"
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / SCHEMA_NAME

FORMATS = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

REGION_FIELDS = (
    "name",
    "description",
    "municipalities",
    "persist_min_run",
    "persist_max_months",
    "stop_words",
)
AGENDA_FIELDS = ("level", "audience", "title", "ambition")
VERSION_FIELDS = (
    "number",
    "label",
    "document_date",
    "session_date",
    "status",
    "origin",
    "context_line",
    "distribution",
    "themes",
    "author",
    "recipient",
    "reference",
    "published_at",
)
GROUP_FIELDS = ("position", "title", "label_style")
WORDING_FIELDS = ("thread_id", "position", "label", *WORDING_TEXT_FIELDS)
SUB_FIELDS = ("position", "label", "text")
TRANSITION_FIELDS = ("version_id", "kind", "note", "reason", "target_agenda_id", "decided_at")
COMMENT_FIELDS = ("thread_id", "version_id", "author_name", "body", "created_at")
# System analysis and measurements: flat lists per region, linked by id.
HEADING_FIELDS = ("axis", "name", "position")
ITEM_FIELDS = (
    "aspect_id",
    "actor_id",
    "kind",
    "description",
    "source",
    "status",
    "noted_on",
    "status_on",
)
BARRIER_LINK_FIELDS = ("thread_id", "item_id", "note")
MILESTONE_FIELDS = ("title", "description", "term", "status")
PRECONDITION_FIELDS = ("milestone_id", "position", "text")
ACTION_FIELDS = ("milestone_id", "position", "text", "owner", "term", "status")
MILESTONE_LINK_FIELDS = ("milestone_id", "thread_id", "item_id")
DECISION_FIELDS = (
    "item_id",
    "milestone_id",
    "decided_on",
    "kind",
    "text",
    "follow_up",
    "status",
    "author_name",
)
INDICATOR_FIELDS = ("name", "description", "concerns", "horizon", "audiences", "kind", "unit")
OBSERVATION_FIELDS = ("indicator_id", "observed_on", "period_end", "value", "narrative", "source")
INDICATOR_LINK_FIELDS = ("indicator_id", "thread_id", "item_id", "note")
# Region-level lists of the document: key, model, fields, order, in insert order.
REGION_TABLES = (
    (
        "matrix_headings",
        MatrixHeading,
        HEADING_FIELDS,
        (MatrixHeading.axis, MatrixHeading.position, MatrixHeading.id),
    ),
    ("barrier_items", BarrierItem, ITEM_FIELDS, (BarrierItem.id,)),
    ("barrier_links", BarrierLink, BARRIER_LINK_FIELDS, (BarrierLink.id,)),
    ("milestones", Milestone, MILESTONE_FIELDS, (Milestone.id,)),
    (
        "preconditions",
        Precondition,
        PRECONDITION_FIELDS,
        (Precondition.milestone_id, Precondition.position, Precondition.id),
    ),
    (
        "milestone_actions",
        MilestoneAction,
        ACTION_FIELDS,
        (MilestoneAction.milestone_id, MilestoneAction.position, MilestoneAction.id),
    ),
    ("milestone_links", MilestoneLink, MILESTONE_LINK_FIELDS, (MilestoneLink.id,)),
    ("decisions", Decision, DECISION_FIELDS, (Decision.id,)),
    ("indicators", Indicator, INDICATOR_FIELDS, (Indicator.id,)),
    (
        "observations",
        Observation,
        OBSERVATION_FIELDS,
        (Observation.indicator_id, Observation.observed_on, Observation.id),
    ),
    ("indicator_links", IndicatorLink, INDICATOR_LINK_FIELDS, (IndicatorLink.id,)),
)
# Werksessies: sessions with the agendas they reviewed, participants (by role; the name
# only when names are exported), incoming questions, votes and decisions. Join codes,
# participant secrets and accounts are not exported.
SESSION_FIELDS = (
    "kind",
    "title",
    "session_date",
    "notes",
    "status",
    "allow_anonymous",
    "max_participants",
    "focus_wording_id",
    "opened_at",
    "closed_at",
)
SESSION_AGENDA_FIELDS = (
    "werksessie_id",
    "agenda_id",
    "position",
    "source_version_id",
    "concept_version_id",
)
PARTICIPANT_FIELDS = ("werksessie_id", "display_name", "role", "joined_at")
CONTRIBUTION_FIELDS = (
    "werksessie_id",
    "participant_id",
    "original_text",
    "text",
    "status",
    "agenda_id",
    "merged_into_id",
    "merged_into_wording_id",
    "wording_id",
)
VOTE_FIELDS = ("werksessie_id", "participant_id", "wording_id", "value")
SESSION_DECISION_FIELDS = (
    "werksessie_id",
    "wording_id",
    "kind",
    "note",
    "reason",
    "text",
    "merge_wording_id",
    "merge_contribution_id",
    "target_agenda_id",
)
# key, model, fields, order; in insert order. Rows belong to a region through their session.
SESSION_TABLES = (
    ("werksessies", Werksessie, SESSION_FIELDS, (Werksessie.id,)),
    ("session_agendas", SessionAgenda, SESSION_AGENDA_FIELDS, (SessionAgenda.id,)),
    ("session_participants", Participant, PARTICIPANT_FIELDS, (Participant.id,)),
    ("session_contributions", Contribution, CONTRIBUTION_FIELDS, (Contribution.id,)),
    ("session_votes", Vote, VOTE_FIELDS, (Vote.id,)),
    ("session_decisions", SessionDecision, SESSION_DECISION_FIELDS, (SessionDecision.id,)),
)
# Free-text fields of those tables that may hold a person's name: blanked without names.
NAME_FIELDS = {
    "milestone_actions": ("owner",),
    "decisions": ("author_name",),
    "session_participants": ("display_name",),
}
# Tables with an id sequence on PostgreSQL, in insert order.
ID_TABLES = (
    Region,
    Agenda,
    Version,
    VersionGroup,
    Thread,
    Wording,
    SubQuestion,
    Transition,
    Comment,
    *(model for _key, model, _fields, _order in REGION_TABLES),
    *(model for _key, model, _fields, _order in SESSION_TABLES),
)


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def schema_bytes() -> bytes:
    return SCHEMA_PATH.read_bytes()


# --- plain values ----------------------------------------------------------------------------


def _stamp(value: datetime | None) -> str | None:
    """A timestamp as ISO 8601 in UTC (SQLite gives naive UTC values back)."""
    if value is None:
        return None
    offset = value.utcoffset()
    if offset is None:
        return value.isoformat() + "+00:00"
    if not offset:
        return value.isoformat()
    return value.astimezone(UTC).isoformat()


def _plain(value):
    if isinstance(value, datetime):
        return _stamp(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _columns(model, names: Iterable[str]) -> list:
    return [getattr(model, name) for name in names]


# Columns holding dates or timestamps; every other column is already a plain JSON value.
DATES = frozenset(
    (
        "document_date",
        "session_date",
        "noted_on",
        "status_on",
        "decided_on",
        "observed_on",
        "period_end",
    )
)
TEMPORAL = DATES | {
    "published_at",
    "decided_at",
    "created_at",
    "opened_at",
    "closed_at",
    "joined_at",
}
# Timestamps of the region-level tables (restored as datetimes).
STAMPS = frozenset(("opened_at", "closed_at", "joined_at"))


def _record(row, names: tuple[str, ...], offset: int = 1) -> dict:
    record = dict(zip(names, row[offset:], strict=True))
    for name in TEMPORAL.intersection(names):
        record[name] = _plain(record[name])
    return record


# --- export ----------------------------------------------------------------------------------


def export_document(
    regions: Iterable[Region],
    *,
    version_filter_for: Callable[[int], object] | None = None,
    include_authors: bool = True,
    now: datetime | None = None,
) -> dict:
    """The JSON interchange document for ``regions``.

    ``version_filter_for(region_id)`` gives a SQL condition on ``Version`` for the versions
    the viewer may see (None: all). Transitions decided in an invisible version, and links
    to wordings in one, are left out; so are links (barrier, milestone and indicator links)
    to threads that only stand in invisible versions. ``include_authors=False`` blanks
    version authors and recipients, comment and decision author names and action owners.
    """
    return {
        "format": writers.FORMAT,
        "version": writers.FORMAT_VERSION,
        "exported_at": _stamp(now or utcnow()),
        "regions": [
            _region_document(
                region,
                version_filter_for(region.id) if version_filter_for else None,
                include_authors,
            )
            for region in regions
        ],
    }


def _region_document(region: Region, condition, include_authors: bool) -> dict:
    """One region: twenty-six queries whatever its size."""
    visible = (
        select(Version.id)
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(Agenda.region_id == region.id)
    )
    if condition is not None:
        visible = visible.where(condition)
    visible_wordings = select(Wording.id).where(Wording.version_id.in_(visible))

    agendas = db.session.execute(
        select(Agenda.id, *_columns(Agenda, AGENDA_FIELDS))
        .where(Agenda.region_id == region.id)
        .order_by(Agenda.id)
    ).all()
    versions_query = (
        select(Version.id, Version.agenda_id, *_columns(Version, VERSION_FIELDS))
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(Agenda.region_id == region.id)
        .order_by(Version.agenda_id, Version.number)
    )
    if condition is not None:
        versions_query = versions_query.where(condition)
    versions = db.session.execute(versions_query).all()
    groups = db.session.execute(
        select(VersionGroup.id, VersionGroup.version_id, *_columns(VersionGroup, GROUP_FIELDS))
        .where(VersionGroup.version_id.in_(visible))
        .order_by(VersionGroup.version_id, VersionGroup.position, VersionGroup.id)
    ).all()
    wordings = db.session.execute(
        select(Wording.id, Wording.group_id, *_columns(Wording, WORDING_FIELDS))
        .where(Wording.version_id.in_(visible))
        .order_by(Wording.group_id, Wording.position, Wording.id)
    ).all()
    subs = db.session.execute(
        select(SubQuestion.id, SubQuestion.wording_id, *_columns(SubQuestion, SUB_FIELDS))
        .where(SubQuestion.wording_id.in_(visible_wordings))
        .order_by(SubQuestion.wording_id, SubQuestion.position, SubQuestion.id)
    ).all()
    transitions = db.session.execute(
        select(
            Transition.id, Transition.from_wording_id, *_columns(Transition, TRANSITION_FIELDS)
        ).where(
            Transition.from_wording_id.in_(visible_wordings),
            Transition.version_id.in_(visible),
        )
    ).all()
    # Joined rather than nested IN lists (SQLite plans those badly); filtered in Python.
    targets_query = (
        select(transition_targets.c.transition_id, transition_targets.c.wording_id)
        .join(Transition, Transition.id == transition_targets.c.transition_id)
        .join(Version, Version.id == Transition.version_id)
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(Agenda.region_id == region.id)
        .order_by(transition_targets.c.transition_id, transition_targets.c.wording_id)
    )
    if condition is not None:
        targets_query = targets_query.where(condition)
    targets = db.session.execute(targets_query).all()
    threads_query = select(Thread.id, Thread.split_from_id).where(Thread.region_id == region.id)
    if condition is not None:
        threads_query = threads_query.where(
            Thread.id.in_(select(Wording.thread_id).where(Wording.version_id.in_(visible)))
        )
    threads = db.session.execute(threads_query.order_by(Thread.id)).all()
    comments = db.session.execute(
        select(Comment.id, *_columns(Comment, COMMENT_FIELDS))
        .where(Comment.region_id == region.id)
        .order_by(Comment.id)
    ).all()

    wording_ids = {row[0] for row in wordings}
    target_ids: dict[int, list[int]] = defaultdict(list)
    for transition_id, wording_id in targets:
        if wording_id in wording_ids:
            target_ids[transition_id].append(wording_id)
    transition_of = {}
    for row in transitions:
        record = {"id": row[0], **_record(row, TRANSITION_FIELDS, offset=2)}
        record["target_wording_ids"] = target_ids.get(row[0], [])
        transition_of[row[1]] = record
    subs_of: dict[int, list[dict]] = defaultdict(list)
    for row in subs:
        subs_of[row[1]].append({"id": row[0], **_record(row, SUB_FIELDS, offset=2)})
    wordings_of: dict[int, list[dict]] = defaultdict(list)
    for row in wordings:
        record = {"id": row[0], **_record(row, WORDING_FIELDS, offset=2)}
        record["subquestions"] = subs_of.get(row[0], [])
        record["transition"] = transition_of.get(row[0])
        wordings_of[row[1]].append(record)
    groups_of: dict[int, list[dict]] = defaultdict(list)
    for row in groups:
        record = {"id": row[0], **_record(row, GROUP_FIELDS, offset=2)}
        record["wordings"] = wordings_of.get(row[0], [])
        groups_of[row[1]].append(record)
    versions_of: dict[int, list[dict]] = defaultdict(list)
    visible_ids = set()
    for row in versions:
        record = {"id": row[0], **_record(row, VERSION_FIELDS, offset=2)}
        if not include_authors:
            record["author"] = ""
            record["recipient"] = ""
        record["groups"] = groups_of.get(row[0], [])
        versions_of[row[1]].append(record)
        visible_ids.add(row[0])

    thread_ids = {row[0] for row in threads}
    comment_records = []
    for row in comments:
        record = {"id": row[0], **_record(row, COMMENT_FIELDS)}
        if record["thread_id"] is not None and record["thread_id"] not in thread_ids:
            continue
        if record["version_id"] is not None and record["version_id"] not in visible_ids:
            continue
        if not include_authors:
            record["author_name"] = ""
        comment_records.append(record)
    analysis = _region_tables(region.id, thread_ids, include_authors)
    sessions = _session_tables(region.id, visible_ids, include_authors)
    return {
        "id": region.id,
        **{name: getattr(region, name) for name in REGION_FIELDS},
        "agendas": [
            {
                "id": row[0],
                **_record(row, AGENDA_FIELDS),
                "versions": versions_of.get(row[0], []),
            }
            for row in agendas
        ],
        "threads": [
            {"id": thread_id, "split_from_id": split if split in thread_ids else None}
            for thread_id, split in threads
        ],
        "comments": comment_records,
        **analysis,
        **sessions,
    }


def _table_records(key: str, fields, rows, include_authors: bool, keep) -> list[dict]:
    """Rows of one region-level table as records: ``keep(record)`` decides, and name fields
    are blanked when names are left out."""
    blank = () if include_authors else NAME_FIELDS.get(key, ())
    records = []
    for row in rows:
        record = {"id": row[0], **_record(row, fields)}
        if not keep(record):
            continue
        for name in blank:
            record[name] = ""
        records.append(record)
    return records


def _region_tables(region_id: int, thread_ids: set[int], include_authors: bool) -> dict:
    """System analysis and measurements of a region: one query per table, as flat lists.

    Links to threads outside ``thread_ids`` (the threads the viewer may see) are left out.
    """
    result = {}
    for key, model, fields, order in REGION_TABLES:
        rows = db.session.execute(
            select(model.id, *_columns(model, fields))
            .where(model.region_id == region_id)
            .order_by(*order)
        ).all()
        result[key] = _table_records(
            key,
            fields,
            rows,
            include_authors,
            lambda r: r.get("thread_id") is None or r["thread_id"] in thread_ids,
        )
    return result


def _session_tables(region_id: int, version_ids: set[int], include_authors: bool) -> dict:
    """The region's werksessies as flat lists: one query per table.

    A session that reviewed, or produced, a version the viewer may not see is left out as a
    whole (its votes and decisions are about that version's questions).
    """
    in_region = select(Werksessie.id).where(Werksessie.region_id == region_id)
    rows_of = {}
    for key, model, fields, order in SESSION_TABLES:
        query = select(model.id, *_columns(model, fields)).order_by(*order)
        if model is Werksessie:
            query = query.where(Werksessie.region_id == region_id)
        else:
            query = query.where(model.werksessie_id.in_(in_region))
        rows_of[key] = db.session.execute(query).all()
    hidden = set()
    for row in rows_of["session_agendas"]:
        record = _record(row, SESSION_AGENDA_FIELDS)
        for version_id in (record["source_version_id"], record["concept_version_id"]):
            if version_id is not None and version_id not in version_ids:
                hidden.add(record["werksessie_id"])
    return {
        key: _table_records(
            key,
            fields,
            rows_of[key],
            include_authors,
            lambda r: r.get("werksessie_id", r["id"]) not in hidden,
        )
        for key, _model, fields, _order in SESSION_TABLES
    }


def version_document(version: Version, *, include_authors: bool = True) -> dict:
    """One version (loaded with ``agendas.services.load_version``) as plain data.

    The keys of the JSON version, plus ``agenda_title`` and ``region_name``; groups hold
    their wordings (with sub-questions) in order. Used for the DOCX and the printable page.
    """
    record = {"id": version.id, **{name: _plain(getattr(version, name)) for name in VERSION_FIELDS}}
    if not include_authors:
        record["author"] = record["recipient"] = ""
    wordings_of: dict[int, list[dict]] = defaultdict(list)
    for wording in sorted(version.wordings, key=lambda w: (w.position, w.id)):
        wordings_of[wording.group_id].append(
            {
                "id": wording.id,
                **{name: getattr(wording, name) for name in WORDING_FIELDS},
                "subquestions": [
                    {"id": sub.id, **{name: getattr(sub, name) for name in SUB_FIELDS}}
                    for sub in wording.subquestions
                ],
            }
        )
    record["groups"] = [
        {
            "id": group.id,
            **{name: getattr(group, name) for name in GROUP_FIELDS},
            "wordings": wordings_of.get(group.id, []),
        }
        for group in sorted(version.groups, key=lambda g: (g.position, g.id))
    ]
    record["agenda_title"] = version.agenda.title
    record["region_name"] = version.agenda.region.name
    return record


# --- files -----------------------------------------------------------------------------------


def slug(name: str) -> str:
    """A file-name part: "Gooi en Vechtstreek" -> "gooi-en-vechtstreek" (ASCII)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "regio"


def basename(regions: list[Region], day: date | None = None) -> str:
    """dla-<region>-<yyyy-mm-dd>, or dla-export-<yyyy-mm-dd> for several regions."""
    day = day or date.today()
    name = slug(regions[0].name) if len(regions) == 1 else "export"
    return f"dla-{name}-{day.isoformat()}"


def build_file(document: dict, fmt: str, *, name: str, include_authors: bool = True) -> bytes:
    """The bytes of one export format: json, csv (long format), xlsx or zip (bundle)."""
    if fmt == "json":
        return writers.to_json(document)
    if fmt == "csv":
        return tabular.to_csv(writers.long_rows(document), writers.LONG_COLUMNS)
    if fmt == "xlsx":
        return writers.workbook(document)
    if fmt == "zip":
        return writers.researcher_bundle(
            document, schema=schema_bytes(), basename=name, include_authors=include_authors
        )
    raise ValueError(f"unknown export format {fmt!r}")


# --- restore ---------------------------------------------------------------------------------


def _fail(message: str):
    raise ValidationError(message)


def _check_schema(document) -> None:
    if not isinstance(document, dict):
        _fail("Dit bestand is geen export van de DLA-werkplaats.")
    if document.get("format") != writers.FORMAT:
        _fail("Dit bestand is geen export van de DLA-werkplaats (het veld ‘format’ klopt niet).")
    if document.get("version") != writers.FORMAT_VERSION:
        _fail(
            f"Deze export heeft formaatversie {document.get('version')!r}; deze werkplaats "
            f"leest versie {writers.FORMAT_VERSION}."
        )
    try:
        _validator()(document)
    except JsonSchemaValueException as error:
        where = "/".join(str(part) for part in error.path[1:]) or "(het hele bestand)"
        detail = error.message.removeprefix(error.name).strip()
        _fail(f"Het bestand past niet bij het exportformaat, bij {where}: {detail}.")


@cache
def _validator():
    """The schema compiled to Python (fastjsonschema: some 20 times faster than jsonschema
    on a large export, which matters for restoring a whole workspace)."""
    return fastjsonschema.compile(schema())


def _unique(kind: str, ids: list) -> None:
    repeated = sorted(key for key, count in Counter(ids).items() if count > 1)
    if repeated:
        _fail(f"In het bestand komt {kind} {repeated[0]} meer dan één keer voor.")


def _date(value: str | None, where: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"De datum ‘{value}’ bij {where} klopt niet.")


def _datetime(value: str | None, where: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        _fail(f"Het tijdstip ‘{value}’ bij {where} klopt niet.")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _rows(document: dict) -> dict[str, list[dict]]:
    """The document as table rows, checked for unique ids and valid references."""
    tables: dict[str, list[dict]] = defaultdict(list)
    splits = []
    for region in document["regions"]:
        rid = region["id"]
        tables["regions"].append({"id": rid, **{k: region[k] for k in REGION_FIELDS}})
        agenda_ids = {a["id"] for a in region["agendas"]}
        thread_ids = {t["id"] for t in region["threads"]}
        version_ids, wording_ids = set(), set()
        for agenda in region["agendas"]:
            numbers = [v["number"] for v in agenda["versions"]]
            if len(numbers) != len(set(numbers)):
                _fail(f"Agenda {agenda['id']} heeft twee versies met hetzelfde nummer.")
            tables["agendas"].append(
                {"id": agenda["id"], "region_id": rid, **{k: agenda[k] for k in AGENDA_FIELDS}}
            )
            for version in agenda["versions"]:
                version_ids.add(version["id"])
                where = f"versie {version['id']}"
                row = {k: version[k] for k in VERSION_FIELDS}
                row["document_date"] = _date(version["document_date"], where)
                row["session_date"] = _date(version["session_date"], where)
                row["published_at"] = _datetime(version["published_at"], where)
                tables["versions"].append({"id": version["id"], "agenda_id": agenda["id"], **row})
                threads_here = []
                for group in version["groups"]:
                    tables["version_groups"].append(
                        {
                            "id": group["id"],
                            "version_id": version["id"],
                            **{k: group[k] for k in GROUP_FIELDS},
                        }
                    )
                    for wording in group["wordings"]:
                        wording_ids.add(wording["id"])
                        threads_here.append(wording["thread_id"])
                        if wording["thread_id"] not in thread_ids:
                            _fail(
                                f"Vraag {wording['id']} hoort bij leervraag "
                                f"{wording['thread_id']}, maar die staat niet in de regio."
                            )
                        tables["wordings"].append(
                            {
                                "id": wording["id"],
                                "version_id": version["id"],
                                "group_id": group["id"],
                                **{k: wording[k] for k in WORDING_FIELDS},
                            }
                        )
                        for sub in wording["subquestions"]:
                            tables["subquestions"].append(
                                {
                                    "id": sub["id"],
                                    "wording_id": wording["id"],
                                    **{k: sub[k] for k in SUB_FIELDS},
                                }
                            )
                        transition = wording["transition"]
                        if transition:
                            row = {k: transition[k] for k in TRANSITION_FIELDS}
                            row["decided_at"] = _datetime(
                                transition["decided_at"], f"overgang {transition['id']}"
                            )
                            tables["transitions"].append(
                                {"id": transition["id"], "from_wording_id": wording["id"], **row}
                            )
                if len(threads_here) != len(set(threads_here)):
                    _fail(f"Versie {version['id']} bevat dezelfde leervraag twee keer.")
        for thread in region["threads"]:
            tables["threads"].append({"id": thread["id"], "region_id": rid, "split_from_id": None})
            if thread["split_from_id"] is not None:
                if thread["split_from_id"] not in thread_ids:
                    _fail(f"Leervraag {thread['id']} is afgesplitst van een onbekende leervraag.")
                splits.append({"b_id": thread["id"], "b_split": thread["split_from_id"]})
        for comment in region["comments"]:
            if comment["thread_id"] is not None and comment["thread_id"] not in thread_ids:
                _fail(f"Reactie {comment['id']} hoort bij een onbekende leervraag.")
            if comment["version_id"] is not None and comment["version_id"] not in version_ids:
                _fail(f"Reactie {comment['id']} hoort bij een onbekende versie.")
            row = {k: comment[k] for k in COMMENT_FIELDS}
            row["created_at"] = _datetime(comment["created_at"], f"reactie {comment['id']}")
            tables["comments"].append({"id": comment["id"], "region_id": rid, **row})
        _check_region_transitions(region, agenda_ids, version_ids, wording_ids, tables)
        _check_region_tables(region, thread_ids)
        for key, _model, fields, _order in REGION_TABLES:
            for record in region[key]:
                row = {"id": record["id"], "region_id": rid}
                for name in fields:
                    value = record[name]
                    row[name] = _date(value, f"{key} {record['id']}") if name in DATES else value
                tables[key].append(row)
    tables["_splits"] = splits
    _session_rows(document, tables)
    for name in ("regions", "agendas", "versions", "version_groups", "threads", "wordings"):
        _unique(f"{name} id", [row["id"] for row in tables[name]])
    for name in ("subquestions", "transitions", "comments"):
        _unique(f"{name} id", [row["id"] for row in tables[name]])
    for name, *_rest in (*REGION_TABLES, *SESSION_TABLES):
        _unique(f"{name} id", [row["id"] for row in tables[name]])
    _unique("de regionaam", [row["name"] for row in tables["regions"]])
    return tables


def _check_region_transitions(region, agenda_ids, version_ids, wording_ids, tables) -> None:
    for agenda in region["agendas"]:
        for version in agenda["versions"]:
            for group in version["groups"]:
                for wording in group["wordings"]:
                    transition = wording["transition"]
                    if not transition:
                        continue
                    label = f"Overgang {transition['id']}"
                    if transition["version_id"] not in version_ids:
                        _fail(f"{label} is genomen in een versie die niet in de regio staat.")
                    target_agenda = transition["target_agenda_id"]
                    if target_agenda is not None and target_agenda not in agenda_ids:
                        _fail(f"{label} verwijst naar een onbekende agenda.")
                    for target in transition["target_wording_ids"]:
                        if target not in wording_ids:
                            _fail(f"{label} verwijst naar een onbekende vraag.")
                        tables["transition_targets"].append(
                            {"transition_id": transition["id"], "wording_id": target}
                        )


def _check_region_tables(region: dict, thread_ids: set[int]) -> None:
    """References of the system analysis and measurements, within the region."""
    axis_of = {h["id"]: h["axis"] for h in region["matrix_headings"]}
    item_ids = {i["id"] for i in region["barrier_items"]}
    milestone_ids = {m["id"] for m in region["milestones"]}
    indicator_ids = {i["id"] for i in region["indicators"]}

    def known(value, ids) -> bool:
        return value is None or value in ids

    for item in region["barrier_items"]:
        if axis_of.get(item["aspect_id"]) != "aspect":
            _fail(
                f"Item {item['id']} van de systeemanalyse verwijst naar een onbekend systeemaspect."
            )
        if axis_of.get(item["actor_id"]) != "actor":
            _fail(
                f"Item {item['id']} van de systeemanalyse verwijst naar een onbekende actorgroep."
            )
    pairs = set()
    for link in region["barrier_links"]:
        label = f"Koppeling {link['id']} tussen leervraag en barrière"
        if link["thread_id"] not in thread_ids:
            _fail(f"{label} verwijst naar een onbekende leervraag ({link['thread_id']}).")
        if link["item_id"] not in item_ids:
            _fail(f"{label} verwijst naar een onbekende barrière ({link['item_id']}).")
        pair = (link["thread_id"], link["item_id"])
        if pair in pairs:
            _fail(f"{label} komt twee keer voor.")
        pairs.add(pair)
    for key, label in (("preconditions", "Randvoorwaarde"), ("milestone_actions", "Actie")):
        for record in region[key]:
            if record["milestone_id"] not in milestone_ids:
                _fail(f"{label} {record['id']} hoort bij een onbekende mijlpaal.")
    for link in region["milestone_links"]:
        label = f"Koppeling {link['id']} van een mijlpaal"
        if link["milestone_id"] not in milestone_ids:
            _fail(f"{label} hoort bij een onbekende mijlpaal.")
        if (link["thread_id"] is None) == (link["item_id"] is None):
            _fail(f"{label} moet naar één leervraag of één barrière verwijzen.")
        if not known(link["thread_id"], thread_ids):
            _fail(f"{label} verwijst naar een onbekende leervraag ({link['thread_id']}).")
        if not known(link["item_id"], item_ids):
            _fail(f"{label} verwijst naar een onbekende barrière ({link['item_id']}).")
    for decision in region["decisions"]:
        label = f"Besluit {decision['id']}"
        if (decision["item_id"] is None) == (decision["milestone_id"] is None):
            _fail(f"{label} moet bij één barrière of één mijlpaal horen.")
        if not known(decision["item_id"], item_ids):
            _fail(f"{label} hoort bij een onbekende barrière.")
        if not known(decision["milestone_id"], milestone_ids):
            _fail(f"{label} hoort bij een onbekende mijlpaal.")
    names = [i["name"] for i in region["indicators"]]
    if len(names) != len(set(names)):
        _fail(f"Regio {region['name']} heeft twee indicatoren met dezelfde naam.")
    for observation in region["observations"]:
        if observation["indicator_id"] not in indicator_ids:
            _fail(f"Waarneming {observation['id']} hoort bij een onbekende indicator.")
    for link in region["indicator_links"]:
        label = f"Koppeling {link['id']} van een indicator"
        if link["indicator_id"] not in indicator_ids:
            _fail(f"{label} hoort bij een onbekende indicator.")
        if (link["thread_id"] is None) == (link["item_id"] is None):
            _fail(f"{label} moet naar één leervraag of één barrière verwijzen.")
        if not known(link["thread_id"], thread_ids):
            _fail(f"{label} verwijst naar een onbekende leervraag ({link['thread_id']}).")
        if not known(link["item_id"], item_ids):
            _fail(f"{label} verwijst naar een onbekende barrière ({link['item_id']}).")


def _session_rows(document: dict, tables: dict) -> None:
    """The werksessies as table rows, their references checked within their region."""
    version_of = {row["id"]: row["version_id"] for row in tables["wordings"]}
    merges = []
    for region in document["regions"]:
        agenda_ids = {a["id"] for a in region["agendas"]}
        version_ids = {v["id"] for a in region["agendas"] for v in a["versions"]}
        session_ids = {ws["id"] for ws in region["werksessies"]}
        participant_ids = {p["id"] for p in region["session_participants"]}
        contribution_ids = {c["id"] for c in region["session_contributions"]}

        checks = {
            "werksessie_id": (session_ids, "een onbekende werksessie"),
            "agenda_id": (agenda_ids, "een onbekende agenda"),
            "target_agenda_id": (agenda_ids, "een onbekende agenda"),
            "source_version_id": (version_ids, "een onbekende versie"),
            "concept_version_id": (version_ids, "een onbekende versie"),
            "participant_id": (participant_ids, "een onbekende deelnemer"),
            "merged_into_id": (contribution_ids, "een onbekende ingebrachte vraag"),
            "merge_contribution_id": (contribution_ids, "een onbekende ingebrachte vraag"),
        }
        for key, _model, fields, _order in SESSION_TABLES:
            for record in region[key]:
                where = f"{key} {record['id']}"
                for name in fields:
                    value = record[name]
                    if name in checks and value is not None and value not in checks[name][0]:
                        _fail(f"In {where} staat een verwijzing naar {checks[name][1]}.")
                    if (
                        name.endswith("wording_id")
                        and value is not None
                        and version_of.get(value) not in version_ids
                    ):
                        _fail(f"In {where} staat een verwijzing naar een onbekende vraag.")
                row = {"id": record["id"]}
                for name in fields:
                    value = record[name]
                    if name in DATES:
                        value = _date(value, where)
                    elif name in STAMPS:
                        value = _datetime(value, where)
                    row[name] = value
                if key == "werksessies":
                    row["region_id"] = region["id"]
                    # A join code is not exported: an open session gets a fresh one.
                    row["code"] = new_code() if record["status"] == "open" else None
                elif key == "session_participants":
                    # The participant's secret is not exported: nobody can resume it.
                    row["token_hash"] = secrets.token_hex(32)
                elif key == "session_contributions" and record["merged_into_id"] is not None:
                    merges.append({"b_id": record["id"], "b_into": record["merged_into_id"]})
                    row["merged_into_id"] = None
                tables[key].append(row)
    tables["_contribution_merges"] = merges


def restore_document(document: dict) -> None:
    """Insert an export, with its original ids, into an empty database.

    Validates first (schema, format version, unique ids, references); raises a Dutch
    ``ValidationError`` and changes nothing when something is wrong or when the database
    already holds regions. Rows are inserted with Core in dependency order, so neither the
    guard on published versions nor the audit listener is involved. The caller commits.
    """
    _check_schema(document)
    tables = _rows(document)
    if db.session.scalar(select(func.count(Region.id))):
        _fail(
            "De database is niet leeg: er staan al regio's in. Een export terugzetten kan "
            "alleen in een lege database."
        )
    order = (
        (Region, "regions"),
        (Agenda, "agendas"),
        (Version, "versions"),
        (VersionGroup, "version_groups"),
        (Thread, "threads"),
        (Wording, "wordings"),
        (SubQuestion, "subquestions"),
        (Transition, "transitions"),
        (None, "transition_targets"),
        (Comment, "comments"),
        *((model, key) for key, model, _fields, _order in REGION_TABLES),
        *((model, key) for key, model, _fields, _order in SESSION_TABLES),
    )
    try:
        for model, name in order:
            table = transition_targets if model is None else model.__table__
            rows = tables[name]
            if rows:
                _insert(table, rows)
            if name == "session_contributions" and tables["_contribution_merges"]:
                db.session.execute(
                    update(Contribution.__table__)
                    .where(Contribution.__table__.c.id == bindparam("b_id"))
                    .values(merged_into_id=bindparam("b_into")),
                    tables["_contribution_merges"],
                )
            if name == "threads" and tables["_splits"]:
                db.session.execute(
                    update(Thread.__table__)
                    .where(Thread.__table__.c.id == bindparam("b_id"))
                    .values(split_from_id=bindparam("b_split")),
                    tables["_splits"],
                )
    except IntegrityError as error:
        log.warning("restore refused by the database: %s", error.orig)
        raise ValidationError(
            "De database weigert dit bestand (dubbele of ontbrekende verwijzingen). Er is "
            "niets opgeslagen."
        ) from None
    _reset_sequences()
    log.info(
        "restored %s regions, %s versions, %s wordings",
        len(tables["regions"]),
        len(tables["versions"]),
        len(tables["wordings"]),
    )


def _insert(table, rows: list[dict]) -> None:
    """Insert rows in the session's transaction: COPY on PostgreSQL (one stream instead of a
    round trip per row: restoring a large workspace takes seconds, not minutes), executemany
    elsewhere. Column defaults (timestamps, lock versions) are filled in as the ORM would."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), rows)
        return
    given = list(rows[0])
    defaults = {
        column.name: column.default
        for column in table.columns
        if column.name not in rows[0] and column.default is not None
    }
    names = given + list(defaults)
    quoted = ", ".join(f'"{name}"' for name in names)
    cursor = connection.connection.driver_connection.cursor()
    with cursor, cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            values = [row[name] for name in given]
            for default in defaults.values():
                values.append(default.arg if default.is_scalar else default.arg(None))
            copy.write_row(values)


def _reset_sequences() -> None:
    """PostgreSQL: let the id sequences continue after the restored ids."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for model in ID_TABLES:
        name = model.__tablename__
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"COALESCE(MAX(id), 0) + 1, false) FROM {name}"
            )
        )
