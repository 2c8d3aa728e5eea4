"""Reading a file to restore, within limits, and saying in Dutch what is wrong with it.

Shared by the restore (``restore``) and the CLI: the file size, the size of the JSON inside a
zip (declared and actually read) are limited, and nesting too deep is refused, before anything is
parsed into memory; the schema's complaints are translated into plain Dutch that names the
record (in Dutch) and the field.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import fastjsonschema

from dla.errors import ValidationError

# Default limit of a file to restore (config DLA_RESTORE_MAX_BYTES). The large benchmark
# workspace exports 36 MB of JSON.
MAX_BYTES = 100 * 1024 * 1024
# Free text stored in an unbounded column (Text) is refused beyond this many characters
# (the forms allow at most 5,000).
LONG_TEXT = 20_000

# Dutch names of the tables and of the document's lists: (one, several).
NAMES = {
    "regions": ("regio", "regio's"),
    "agendas": ("agenda", "agenda's"),
    "versions": ("versie", "versies"),
    "version_groups": ("groep", "groepen"),
    "groups": ("groep", "groepen"),
    "threads": ("leervraag", "leervragen"),
    "wordings": ("vraag", "vragen"),
    "subquestions": ("deelvraag", "deelvragen"),
    "transitions": ("overgang", "overgangen"),
    "transition": ("overgang", "overgangen"),
    "transition_targets": ("doel van een overgang", "doelen van overgangen"),
    "comments": ("reactie", "reacties"),
    "matrix_headings": ("kop van de matrix", "koppen van de matrix"),
    "barrier_items": ("barrière", "barrières"),
    "barrier_links": (
        "koppeling tussen leervraag en barrière",
        "koppelingen tussen leervraag en barrière",
    ),
    "milestones": ("mijlpaal", "mijlpalen"),
    "preconditions": ("randvoorwaarde", "randvoorwaarden"),
    "milestone_actions": ("actie bij een mijlpaal", "acties bij mijlpalen"),
    "milestone_links": ("koppeling van een mijlpaal", "koppelingen van mijlpalen"),
    "decisions": ("besluit van de taskforce", "besluiten van de taskforce"),
    "decision_follow_ups": ("vervolg op een besluit", "vervolgen op besluiten"),
    "indicators": ("indicator", "indicatoren"),
    "observations": ("waarneming", "waarnemingen"),
    "indicator_links": ("koppeling van een indicator", "koppelingen van indicatoren"),
    "werksessies": ("werksessie", "werksessies"),
    "session_agendas": ("agenda van een werksessie", "agenda's van werksessies"),
    "session_participants": ("deelnemer aan een werksessie", "deelnemers aan werksessies"),
    "session_contributions": ("ingebrachte vraag", "ingebrachte vragen"),
    "session_votes": ("stem", "stemmen"),
    "session_decisions": ("besluit in een werksessie", "besluiten in werksessies"),
}
# Dutch names of the columns that a uniqueness rule is about.
COLUMNS = {
    "id": "nummer",
    "name": "naam",
    "number": "versienummer",
    "region_id": "regio",
    "agenda_id": "agenda",
    "version_id": "versie",
    "thread_id": "leervraag",
    "item_id": "barrière",
    "wording_id": "vraag",
    "from_wording_id": "vraag",
    "transition_id": "overgang",
    "indicator_id": "indicator",
    "werksessie_id": "werksessie",
    "participant_id": "deelnemer",
    "code": "deelnamecode",
    "token_hash": "sleutel",
}
WHOLE_FILE = "het hele bestand"
TYPES = {
    "string": "tekst",
    "integer": "een geheel getal",
    "number": "een getal",
    "boolean": "waar of onwaar (true/false)",
    "array": "een lijst",
    "object": "een object",
    "null": "leeg (null)",
}


def fail(message: str):
    raise ValidationError(message)


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def read_export(path: str | Path, max_bytes: int = MAX_BYTES) -> dict:
    """The export document in ``path`` (a JSON file, or a zip such as the researcher bundle
    holding one), refused with a Dutch message when it is too large, nested too deeply or no
    JSON. Never reads more than ``max_bytes`` of JSON into memory."""
    path = Path(path)
    limit = megabytes(max_bytes)
    if path.stat().st_size > max_bytes:
        fail(f"Dit bestand is te groot om terug te zetten (groter dan {limit}).")
    if zipfile.is_zipfile(path):
        data = _json_in_zip(path, max_bytes)
    else:
        data = path.read_bytes()
    return parse_json(data)


def _json_in_zip(path: Path, max_bytes: int) -> bytes:
    limit = megabytes(max_bytes)
    try:
        with zipfile.ZipFile(path) as archive:
            members = [
                info
                for info in archive.infolist()
                if info.filename.endswith(".json") and "schema" not in info.filename
            ]
            if len(members) != 1:
                fail("Het zip-bestand bevat niet precies één JSON-export.")
            member = members[0]
            if member.file_size > max_bytes:
                fail(f"De export in het zip-bestand is te groot (groter dan {limit}).")
            # The declared size may lie: read at most one byte past the limit.
            with archive.open(member) as handle:
                data = handle.read(max_bytes + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        fail("Het zip-bestand is beschadigd of kan niet gelezen worden.")
    if len(data) > max_bytes:
        fail(f"De export in het zip-bestand is te groot (groter dan {limit}).")
    return data


def parse_json(data: bytes) -> dict:
    """``data`` parsed as JSON (UTF-8, with or without BOM). A file nested deeper than
    Python's recursion limit (no export nests more than a dozen levels) is refused."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        fail("Dit bestand is geen JSON-bestand (het is geen UTF-8-tekst).")
    try:
        return json.loads(text)
    except RecursionError:
        fail("Dit bestand is geen export van de DLA-werkplaats: het is te diep genest.")
    except json.JSONDecodeError as error:
        fail(
            f"Dit bestand is geen JSON-bestand (het klopt niet op regel {error.lineno}, "
            f"kolom {error.colno})."
        )


def schema_message(error, document) -> str:
    """A Dutch sentence for a schema violation (a ``JsonSchemaValueException``): which
    record, which field, and what is wrong with it."""
    # fastjsonschema gives list indexes as digit strings ("data.regions[0].name").
    path = [int(part) if part.isdigit() else part for part in error.path[1:] if part]
    inner = _inner_error(error)
    if inner is not None:
        path += [int(part) if part.isdigit() else part for part in inner.path[1:] if part]
        error = inner
    field = None
    if path and isinstance(path[-1], str) and path[-1] not in NAMES:
        field = path[-1]
    where = _record(path, document)
    problem = _problem(error)
    if field:
        where = f"het veld ‘{field}’" if where == WHOLE_FILE else f"{where}, veld ‘{field}’"
    if where == WHOLE_FILE:
        return f"Het bestand past niet bij het exportformaat: {problem}."
    return f"Het bestand past niet bij het exportformaat: bij {where}: {problem}."


def _inner_error(error):
    """For "one of: a record or null", the reason the value is not that record."""
    if error.rule not in ("oneOf", "anyOf") or not isinstance(error.value, dict):
        return None
    # fastjsonschema hands the definition over with its references expanded.
    options = [
        option
        for option in (error.definition or {}).get(error.rule, [])
        if isinstance(option, dict) and option.get("type") != "null"
    ]
    if len(options) != 1:
        return None
    try:
        fastjsonschema.compile(_inline(options[0]))(error.value)
    except fastjsonschema.JsonSchemaValueException as inner:
        return inner
    return None


def _inline(node):
    """``node`` with every reference into the export schema replaced by what it names, so
    that it compiles on its own (the schema's definitions do not refer to themselves)."""
    from dla.exports.fields import schema

    if isinstance(node, list):
        return [_inline(item) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].rpartition("/$defs/")[2]
        return _inline(schema()["$defs"][name])
    return {key: _inline(value) for key, value in node.items()}


def _record(path: list, document) -> str:
    """'vraag 57 (regio 1)': the innermost record on ``path`` with its id, or the list."""
    node, described, region = document, WHOLE_FILE, None
    key = None
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(part, str):
            key = part
            if part == "transition" and isinstance(node, dict):
                described = _named(key, node, None)
        elif key in NAMES:
            described = _named(key, node, part)
            if key == "regions" and isinstance(node, dict):
                region = node.get("id")
    if region is not None and not described.startswith("regio"):
        described += f" (regio {region})"
    return described


def _named(key: str, node, index) -> str:
    one = NAMES[key][0]
    ident = node.get("id") if isinstance(node, dict) else None
    if isinstance(ident, int) and not isinstance(ident, bool):
        return f"{one} {ident}"
    return f"{one} nr. {index + 1}" if index is not None else one


def _fields(names: list[str], one: str, several: str) -> str:
    """'het veld ‘a’ ontbreekt' or 'de velden ‘a’ en ‘b’ ontbreken'."""
    quoted = [f"‘{name}’" for name in names[:4]]
    if len(quoted) == 1:
        return f"het veld {quoted[0]} {one}"
    return f"de velden {', '.join(quoted[:-1])} en {quoted[-1]} {several}"


def _problem(error) -> str:
    rule, definition, value = error.rule, error.definition or {}, error.value
    if rule == "type":
        wanted = definition.get("type")
        wanted = wanted if isinstance(wanted, list) else [wanted]
        return "dit moet " + " of ".join(TYPES.get(w, str(w)) for w in wanted) + " zijn"
    if rule == "required":
        missing = [n for n in definition.get("required", []) if n not in (value or {})]
        return _fields(missing, "ontbreekt", "ontbreken")
    if rule == "additionalProperties":
        known = set(definition.get("properties", {}))
        extra = [str(n) for n in (value or {}) if n not in known]
        return _fields(extra, "is onbekend", "zijn onbekend")
    if rule == "maxLength":
        return f"de tekst is te lang (meer dan {definition['maxLength']} tekens)"
    if rule == "minLength":
        return "dit mag niet leeg zijn"
    if rule == "minimum":
        return f"dit moet minstens {definition['minimum']} zijn"
    if rule == "maximum":
        return f"dit mag hoogstens {definition['maximum']} zijn"
    if rule in ("enum", "const"):
        allowed = definition.get("enum") or [definition.get("const")]
        return "dit moet een van deze waarden zijn: " + ", ".join(str(a) for a in allowed)
    if rule in ("oneOf", "anyOf"):
        return "dit heeft niet de vorm die het exportformaat hier verwacht"
    if rule == "format":
        if definition.get("format") == "date":
            return "dit is geen geldige datum (zoals 2025-01-14)"
        return "dit is geen geldig tijdstip (zoals 2025-01-14T15:30:00+00:00)"
    if rule in ("maxItems", "minItems"):
        return "deze lijst heeft niet het juiste aantal onderdelen"
    return "deze waarde klopt niet"
