"""Database side of the exports: build the JSON document and the files.

``export_document`` reads a constant number of queries per region (no N+1) and returns plain
data in the format of ``schema/dla-export-v1.schema.json`` (its tables: ``fields``). The way
back into an empty database is ``restore.restore_document``.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime

from sqlalchemy import select

from dla import tabular
from dla.agendas.models import (
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
from dla.db import utcnow
from dla.exports import bundle, qdpx, writers
from dla.exports.fields import (
    AGENDA_FIELDS,
    COMMENT_FIELDS,
    GROUP_FIELDS,
    NAME_FIELDS,
    REGION_FIELDS,
    REGION_TABLES,
    SESSION_AGENDA_FIELDS,
    SESSION_TABLES,
    SUB_FIELDS,
    TEMPORAL,
    TRANSITION_FIELDS,
    VERSION_FIELDS,
    WORDING_FIELDS,
    schema_bytes,
)
from dla.extensions import db
from dla.regions.models import Region
from dla.werksessies.models import Werksessie

log = logging.getLogger(__name__)

FORMATS = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "qdpx": "application/zip",
    "qdc": "application/xml",
}
# Formats a CLI writes to stdout by default (text); the others go to a file.
TEXT_FORMATS = ("json", "csv", "qdc")
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

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
    to threads that only stand in invisible versions. ``include_authors=False``
    pseudonymises version authors and recipients, comment and decision author names,
    action owners and participants' names: the same name gets the same code (P001, P002,
    …) in every table of this export (``Pseudonyms``).
    """
    names = None if include_authors else Pseudonyms()
    return {
        "format": writers.FORMAT,
        "version": writers.FORMAT_VERSION,
        "exported_at": _stamp(now or utcnow()),
        "regions": [
            _region_document(
                region, version_filter_for(region.id) if version_filter_for else None, names
            )
            for region in regions
        ],
    }


class Pseudonyms:
    """Codes for the names of one export: the same name (ignoring case and surrounding
    spaces) gets the same code, in order of first appearance; empty stays empty."""

    def __init__(self) -> None:
        self.codes: dict[str, str] = {}

    def __call__(self, name: str | None) -> str:
        key = " ".join((name or "").split()).casefold()
        if not key:
            return ""
        if key not in self.codes:
            self.codes[key] = f"P{len(self.codes) + 1:03d}"
        return self.codes[key]


def _region_document(region: Region, condition, names: Pseudonyms | None) -> dict:
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
        if names is not None:
            record["author"] = names(record["author"])
            record["recipient"] = names(record["recipient"])
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
        if names is not None:
            record["author_name"] = names(record["author_name"])
        comment_records.append(record)
    analysis = _region_tables(region.id, thread_ids, names)
    sessions = _session_tables(region.id, visible_ids, names)
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


def _table_records(key: str, fields, rows, names: Pseudonyms | None, keep) -> list[dict]:
    """Rows of one region-level table as records: ``keep(record)`` decides, and name fields
    are pseudonymised when names are left out."""
    coded = () if names is None else NAME_FIELDS.get(key, ())
    records = []
    for row in rows:
        record = {"id": row[0], **_record(row, fields)}
        if not keep(record):
            continue
        for field in coded:
            record[field] = names(record[field])
        records.append(record)
    return records


def _region_tables(region_id: int, thread_ids: set[int], names: Pseudonyms | None) -> dict:
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
            names,
            lambda r: r.get("thread_id") is None or r["thread_id"] in thread_ids,
        )
    return result


def _session_tables(region_id: int, version_ids: set[int], names: Pseudonyms | None) -> dict:
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
            names,
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


def build_file(
    document: dict,
    fmt: str,
    *,
    name: str,
    include_authors: bool = True,
    csv_dialect: str = "comma",
) -> bytes:
    """The bytes of one export format: json, csv (long format; ``csv_dialect`` "comma" or
    "excel-nl"), xlsx, zip (bundle), qdpx (REFI-QDA project) or qdc (REFI-QDA codebook)."""
    if fmt == "json":
        return writers.to_json(document)
    if fmt == "csv":
        return tabular.to_csv(
            writers.iter_long_rows(document), writers.LONG_COLUMNS, dialect=csv_dialect
        )
    if fmt == "qdpx":
        return qdpx.project(document)
    if fmt == "qdc":
        return qdpx.codebook_xml(document)
    if fmt == "xlsx":
        return bundle.workbook(document)
    if fmt == "zip":
        return bundle.researcher_bundle(
            document, schema=schema_bytes(), basename=name, include_authors=include_authors
        )
    raise ValueError(f"unknown export format {fmt!r}")
