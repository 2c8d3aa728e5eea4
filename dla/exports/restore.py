"""Restore: an export (the JSON document) validated and inserted, with its original ids,
into an empty database.
"""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from datetime import UTC, date, datetime
from functools import cache
from operator import itemgetter

import fastjsonschema
from fastjsonschema import JsonSchemaValueException
from psycopg import errors as psycopg_errors
from sqlalchemy import (
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError

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
from dla.errors import ValidationError
from dla.exports import writers
from dla.exports.fields import (
    ADDED_FIELDS,
    ADDED_TABLES,
    AGENDA_FIELDS,
    COMMENT_FIELDS,
    DATES,
    GROUP_FIELDS,
    ID_TABLES,
    REGION_FIELDS,
    REGION_TABLES,
    SESSION_TABLES,
    STAMPS,
    SUB_FIELDS,
    TRANSITION_FIELDS,
    VERSION_FIELDS,
    WORDING_FIELDS,
    schema,
)
from dla.exports.restore_input import COLUMNS, LONG_TEXT, NAMES, schema_message
from dla.extensions import db
from dla.regions.models import Region
from dla.werksessies.models import (
    Contribution,
    new_code,
)

log = logging.getLogger(__name__)


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
        _fail(schema_message(error, document))
    except RecursionError:
        _fail("Dit bestand is geen export van de DLA-werkplaats: het is te diep genest.")


@cache
def _validator():
    """The schema compiled to Python (fastjsonschema: some 20 times faster than jsonschema
    on a large export, which matters for restoring a whole workspace)."""
    return fastjsonschema.compile(schema())


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
                # .get: files written before report references existed lack that key.
                row = {k: version.get(k, "") for k in VERSION_FIELDS}
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
            for record in region.get(key, []) if key in ADDED_TABLES else region[key]:
                row = {"id": record["id"], "region_id": rid}
                for name in fields:
                    value = (
                        record.get(name, ADDED_FIELDS[name])
                        if name in ADDED_FIELDS
                        else record[name]
                    )
                    row[name] = (
                        _date(value, f"{NAMES[key][0]} {record['id']}") if name in DATES else value
                    )
                tables[key].append(row)
    tables["_splits"] = splits
    _session_rows(document, tables)
    for table, name in _insert_order():
        _check_unique(table, name, tables[name])
        _check_lengths(table, name, tables[name])
    return tables


def _insert_order() -> tuple:
    """(table, key of the rows) in the order they are inserted."""
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
    return tuple(
        (transition_targets if model is None else model.__table__, key) for model, key in order
    )


def _upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _record(name: str, row: dict) -> str:
    one = NAMES[name][0]
    return f"{one} {row['id']}" if "id" in row else one


def _check_unique(table, name: str, rows: list[dict]) -> None:
    """Every uniqueness rule of the table (primary key, unique constraints and indexes, as
    the models declare them) holds for the rows, checked here so that SQLite and PostgreSQL
    refuse a duplicate with the same Dutch message and nothing reaches the database."""
    rules = [
        [column.name for column in constraint.columns]
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint | PrimaryKeyConstraint)
    ]
    rules += [[column.name for column in index.columns] for index in table.indexes if index.unique]
    for columns in rules:
        if not rows or any(column not in rows[0] for column in columns):
            continue  # filled in by the restore itself (a fresh code or secret)
        key_of = itemgetter(*columns)
        if len(set(map(key_of, rows))) == len(rows):
            continue  # the usual case, found fast; else find the pair (NULLs never collide)
        seen: dict[tuple, dict] = {}
        for row in rows:
            key = tuple(row[column] for column in columns)
            if any(value is None for value in key):
                continue  # NULLs never collide in SQL
            if key in seen:
                _fail(_duplicate_message(name, columns, seen[key], row))
            seen[key] = row


def _duplicate_message(name: str, columns: list[str], first: dict, second: dict) -> str:
    one, several = NAMES[name]
    if columns == ["id"]:
        return f"In het bestand staan twee {several} met nummer {second['id']}."
    what = " en ".join(COLUMNS.get(column, column) for column in columns)
    if "id" not in second:
        values = ", ".join(f"{COLUMNS.get(c, c)} {second[c]}" for c in columns)
        return f"In het bestand staat {one} ({values}) twee keer."
    return (
        f"{_upper(_record(name, second))} is dubbel: {_record(name, first)} heeft dezelfde {what}."
    )


def _check_lengths(table, name: str, rows: list[dict]) -> None:
    """No text is longer than its column allows (an unbounded column: ``LONG_TEXT``)."""
    limits = {}
    for column in table.columns:
        if isinstance(column.type, Text):
            limits[column.name] = LONG_TEXT
        elif isinstance(column.type, String) and column.type.length:
            limits[column.name] = column.type.length
    limits = {column: limit for column, limit in limits.items() if rows and column in rows[0]}
    for row in rows:
        for column, limit in limits.items():
            value = row[column]
            if isinstance(value, str) and len(value) > limit:
                _fail(
                    f"De tekst in het veld ‘{column}’ van {_record(name, row)} is te lang "
                    f"(meer dan {limit} tekens)."
                )


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

    def check_target(link: dict, owner: str) -> None:
        """A link of a milestone or an indicator points at one known question or item."""
        label = f"Koppeling {link['id']} van een {owner}"
        if (link["thread_id"] is None) == (link["item_id"] is None):
            _fail(f"{label} moet naar één leervraag of één barrière verwijzen.")
        if not known(link["thread_id"], thread_ids):
            _fail(f"{label} verwijst naar een onbekende leervraag ({link['thread_id']}).")
        if not known(link["item_id"], item_ids):
            _fail(f"{label} verwijst naar een onbekende barrière ({link['item_id']}).")

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
        if link["milestone_id"] not in milestone_ids:
            _fail(f"Koppeling {link['id']} van een mijlpaal hoort bij een onbekende mijlpaal.")
        check_target(link, "mijlpaal")
    for decision in region["decisions"]:
        label = f"Besluit {decision['id']}"
        if (decision["item_id"] is None) == (decision["milestone_id"] is None):
            _fail(f"{label} moet bij één barrière of één mijlpaal horen.")
        if not known(decision["item_id"], item_ids):
            _fail(f"{label} hoort bij een onbekende barrière.")
        if not known(decision["milestone_id"], milestone_ids):
            _fail(f"{label} hoort bij een onbekende mijlpaal.")
    decision_ids = {d["id"] for d in region["decisions"]}
    for follow_up in region.get("decision_follow_ups", []):
        if follow_up["decision_id"] not in decision_ids:
            _fail(f"Vervolg {follow_up['id']} hoort bij een onbekend besluit.")
    names = [i["name"] for i in region["indicators"]]
    if len(names) != len(set(names)):
        _fail(f"Regio {region['name']} heeft twee indicatoren met dezelfde naam.")
    for observation in region["observations"]:
        if observation["indicator_id"] not in indicator_ids:
            _fail(f"Waarneming {observation['id']} hoort bij een onbekende indicator.")
    for link in region["indicator_links"]:
        if link["indicator_id"] not in indicator_ids:
            _fail(f"Koppeling {link['id']} van een indicator hoort bij een onbekende indicator.")
        check_target(link, "indicator")


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
                where = f"{NAMES[key][0]} {record['id']}"
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
    try:
        for table, name in _insert_order():
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
    except (IntegrityError, psycopg_errors.IntegrityError) as error:
        # The checks above should have caught it; COPY raises the driver's own error.
        log.warning("restore refused by the database: %s", getattr(error, "orig", error))
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
