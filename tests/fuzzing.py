"""Support for the fuzz tests (tests/test_fuzz.py): what every route reads, hostile values,
database snapshots and the checks made after every request.

What a view reads is derived from its source: the names it passes to ``request.form``,
``request.args``, ``request.values`` and ``request.files`` (also through helpers of the
views and forms modules it calls), and the fields of the WTForms classes it builds. A name
the tables below do not know fails ``test_every_input_has_a_kind``, so a new field cannot
slip past the fuzzer.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import json
import re
import textwrap
from dataclasses import dataclass, field
from datetime import date, datetime
from fnmatch import fnmatchcase
from html.parser import HTMLParser
from urllib.parse import quote

import wtforms
from hypothesis import strategies as st
from sqlalchemy import insert, select, text
from wtforms.fields.core import UnboundField

from dla.agendas.models import (
    DISTRIBUTIONS,
    DROP_REASONS,
    LEVELS,
    ORIGINS,
    TRANSITIONS,
)
from dla.analysis.models import (
    ACTION_STATUSES,
    DECISION_KINDS,
    DECISION_STATUSES,
    ITEM_KINDS,
)
from dla.auth.models import ROLES
from dla.extensions import db
from dla.measurements.models import KINDS as MEASUREMENT_KINDS
from dla.werksessies.models import KINDS as SESSION_KINDS
from dla.werksessies.models import PARTICIPANT_ROLES, VOTES
from dla.werksessies.participation import ACTIONS as CONTRIBUTION_ACTIONS

# --- what a view reads ---------------------------------------------------------------------------

_SOURCES = {"form", "args", "values", "files"}
_ALIASES = {"form", "args"}  # ``form = request.form`` and helpers' ``args`` parameters


def _is_source(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute) and node.attr in _SOURCES:
        return isinstance(node.value, ast.Name) and node.value.id == "request"
    return isinstance(node, ast.Name) and node.id in _ALIASES


def _names(node: ast.AST, loops: dict[str, list[str]]) -> set[str]:
    """The field names an expression stands for; ``*`` where the name is computed."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Name) and node.id in loops:
        return set(loops[node.id])
    if isinstance(node, ast.JoinedStr):
        return {
            "".join(part.value if isinstance(part, ast.Constant) else "*" for part in node.values)
        }
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = _names(node.left, loops) or {"*"}
        right = _names(node.right, loops) or {"*"}
        return {a + b for a in left for b in right}
    return set()


def _followed(func) -> bool:
    module = getattr(func, "__module__", "") or ""
    parts = module.split(".")
    # A domain's views module, or a module of its views package (dla.agendas.views.imports).
    return parts[0] == "dla" and (parts[-1] in ("views", "forms") or "views" in parts[1:-1])


@dataclass
class Inputs:
    names: set[str] = field(default_factory=set)
    forms: set[type] = field(default_factory=set)


def view_inputs(view) -> Inputs:
    """The request fields ``view`` reads and the form classes it builds."""
    found = Inputs()
    seen: set = set()

    def visit(func) -> None:
        func = inspect.unwrap(func)
        if func in seen:
            return
        seen.add(func)
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
        except (OSError, TypeError):
            return
        scope = func.__globals__
        loops = {
            node.target.id: [e.value for e in node.iter.elts if isinstance(e, ast.Constant)]
            for node in ast.walk(tree)
            if isinstance(node, ast.comprehension)
            and isinstance(node.target, ast.Name)
            and isinstance(node.iter, ast.Tuple | ast.List)
        }
        for node in ast.walk(tree):  # prefix = f"q-{index}-"
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.JoinedStr)
            ):
                loops[node.targets[0].id] = sorted(_names(node.value, loops))
        for node in ast.walk(tree):
            if isinstance(node, ast.Subscript) and _is_source(node.value):
                found.names |= _names(node.slice, loops)
            if not isinstance(node, ast.Call):
                continue
            callee = node.func
            if (
                isinstance(callee, ast.Attribute)
                and callee.attr in ("get", "getlist")
                and _is_source(callee.value)
                and node.args
            ):
                found.names |= _names(node.args[0], loops)
            target = scope.get(callee.id) if isinstance(callee, ast.Name) else None
            if inspect.isclass(target) and issubclass(target, wtforms.form.BaseForm):
                if not any(  # Form(formdata=None) reads nothing from the request
                    k.arg == "formdata"
                    and isinstance(k.value, ast.Constant)
                    and k.value.value is None
                    for k in node.keywords
                ):
                    found.forms.add(target)
            elif inspect.isfunction(target) and _followed(target):
                visit(target)

    visit(view)
    for form in found.forms:
        found.names |= set(form_fields(form))
    return found


def form_fields(form: type) -> dict[str, UnboundField]:
    return {
        name: value for name, value in inspect.getmembers(form) if isinstance(value, UnboundField)
    }


# --- what kind of value each field holds ---------------------------------------------------------

# Reference fields: the kind of object (a table) whose id they hold.
ID_FIELDS = {
    "agenda": "agendas",
    "agenda_id": "agendas",
    "agenda_ids": "agendas",
    "target_agenda": "agendas",
    "user_id": "users",
    "thread_id": "threads",
    "item_id": "barrier_items",
    "barriere": "barrier_items",
    "regio": "regions",
    "milestone_id": "milestones",
    "wording_id": "wordings",
    "merge_into": "wordings",
    "group_id": "version_groups",
    "aspect_id": "matrix_headings",
    "actor_id": "matrix_headings",
    "van": "versions",
    "naar": "versions",
}
LOCKS = {"lock_version", "lock"}
FLAGS = {
    "hardnekkig",
    "alle",
    "zonder_namen",
    "toch_afsluiten",
    "active",
    "in_session",
    "allow_anonymous",
    "show",
}
NUMBERS = {
    "pagina",
    "number",
    "max_participants",
    "persist_min_run",
    "persist_max_months",
    "aantal",
    "groepen",
    "seconds",
}
DATES = {"datum", "sessiedatum", "sinds"}
FILES = {"bestand"}
# Fields with a fixed set of values that are not WTForms choices.
CHOICES = {
    "kind": [*TRANSITIONS, *ITEM_KINDS, *DECISION_KINDS, *SESSION_KINDS, *MEASUREMENT_KINDS],
    "reason": list(DROP_REASONS),
    "status": ["open", "alle", "closed", "dicht", *DECISION_STATUSES, *ACTION_STATUSES],
    "niveau": list(LEVELS),
    "herkomst": list(ORIGINS),
    "verspreiding": list(DISTRIBUTIONS),
    "richting": ["up", "down"],
    "action": list(CONTRIBUTION_ACTIONS),
    "value": [*VOTES, "12,5", "4"],
    "waarde": ["open", "hardnekkig"],
    "terug": ["item", "vraag"],
    "scheiding": ["komma", "puntkomma"],
    "expected": ["", *TRANSITIONS],
    "merge": ["w-{wordings}", "c-{session_contributions}"],
    "stand": ["0-", "1-staat_nog"],
    "voorbeeld": ["1", ""],
    "keuze": ["meenemen", "parkeren", "laten_vallen", "onzin"],
    "role": [*ROLES, *PARTICIPANT_ROLES],
    "next": ["/", "/regios/1", "//evil.example", "javascript:alert(1)"],
}
# Everything else a view reads is free text.
TEXTS = {
    "text",
    "list_state",
    "body",
    "note",
    "name",
    "email",
    "password",
    "current",
    "new",
    "code",
    "title",
    "description",
    "municipalities",
    "stop_words",
    "my_role",
    "ambition",
    "audience",
    "doelgroep",
    "q",
    "tekst",
    "titel",
    "ambitie",
    "label",
    "aanleiding",
    "themas",
    "van",
    "aan",
    "kenmerk",
    "verwijzing",
    "definition",
    "owner",
    "term",
    "follow_up",
    "split_texts",
    "goal",
    "barrier",
    "shared_stem",
    "subquestions",
    "display_name",
    "notes",
    "context_line",
    "themes",
    "groups",
    "author",
    "recipient",
    "reference",
    "narrative",
    "source",
    "unit",
    "mode",
    "axis",
    "label_style",
    "origin",
    "distribution",
    "concerns",
    "horizon",
    "audiences",
    "decided_on",
    "due_on",
    "observed_on",
    "period_end",
    "noted_on",
    "status_on",
    "document_date",
    "session_date",
}

# Names computed by a view (``*`` in the derived name): the field whose kind they share, and
# the concrete names to send.
PATTERNS = {
    "q-*-tekst": ("text", ["q-0-tekst", "q-1-tekst", "q-499-tekst", "q--1-tekst"]),
    "q-*-stam": ("shared_stem", ["q-0-stam"]),
    "q-*-groep": ("pagina", ["q-0-groep", "q-1-groep"]),
    "q-*-label": ("label", ["q-0-label"]),
    "q-*-deelvragen": ("subquestions", ["q-0-deelvragen"]),
    "q-*-vervolg": ("wording_id", ["q-0-vervolg", "q-1-vervolg"]),
    "q-*-samen": ("wording_id", ["q-0-samen"]),
    "q-*-weglaten": ("toch_afsluiten", ["q-1-weglaten"]),
    "groep-*": ("title", ["groep-0", "groep-1", "groep-49"]),
    "keuze-*": ("keuze", ["keuze-1", "keuze-2", "keuze-alle"]),
    "reden-*": ("text", ["reden-1", "reden-alle"]),
    "agenda-*": ("pagina", ["agenda-1", "agenda-2"]),
}
PATTERN_KINDS = {name: kind for kind, names in PATTERNS.values() for name in names}


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text, number, flag, date, lock, file, choice, id, many-ids
    choices: tuple[str, ...] = ()
    table: str = ""


def _from_form(name: str, unbound: UnboundField) -> Field:
    cls = unbound.field_class
    raw = unbound.kwargs.get("choices") or (unbound.args[1] if len(unbound.args) > 1 else None)
    values = tuple(str(getattr(c, "value", c)) for c in raw or ())
    if name in ID_FIELDS:
        many = issubclass(cls, wtforms.SelectMultipleField)
        return Field(name, "many-ids" if many else "id", table=ID_FIELDS[name])
    if issubclass(cls, wtforms.SelectMultipleField):
        return Field(name, "many", choices=values)
    if issubclass(cls, wtforms.SelectField | wtforms.RadioField):
        return Field(name, "choice", choices=values or tuple(CHOICES.get(name, ())))
    if issubclass(cls, wtforms.BooleanField):
        return Field(name, "flag")
    if issubclass(cls, wtforms.IntegerField):
        return Field(name, "number")
    if cls.__name__ == "DutchDateField":
        return Field(name, "date")
    if name in LOCKS:
        return Field(name, "lock")
    if name in CHOICES:
        return Field(name, "choice", choices=tuple(CHOICES[name]))
    return Field(name, "text")


def field_for(name: str, forms: set[type]) -> Field | None:
    """The kind of a field, from the form that declares it or from the tables above."""
    for form in sorted(forms, key=lambda f: f.__name__):
        unbound = form_fields(form).get(name)
        if unbound is not None:
            return _from_form(name, unbound)
    if name in ID_FIELDS:
        return Field(name, "id", table=ID_FIELDS[name])
    if name in LOCKS:
        return Field(name, "lock")
    if name in FLAGS:
        return Field(name, "flag")
    if name in NUMBERS:
        return Field(name, "number")
    if name in DATES:
        return Field(name, "date")
    if name in FILES:
        return Field(name, "file")
    if name in CHOICES:
        return Field(name, "choice", choices=tuple(CHOICES[name]))
    if name in TEXTS:
        return Field(name, "text")
    return None


def expand(names: set[str]) -> tuple[set[str], set[str]]:
    """Concrete field names, and the computed names no pattern covers."""
    concrete, unknown = set(), set()
    for name in names:
        if "*" not in name:
            concrete.add(name)
            continue
        covered = [p for p in PATTERNS if fnmatchcase(p, name) or p == name]
        if not covered:
            unknown.add(name)
        for pattern in covered:
            concrete |= set(PATTERNS[pattern][1])
    return concrete, unknown


def field_kind_for_pattern(name: str) -> str:
    """q-0-vervolg → wording_id: the field whose kind a computed name shares."""
    return PATTERN_KINDS.get(name, name)


# --- hostile values ------------------------------------------------------------------------------

SCRIPT = "<script>alert('dla')</script>"
PAYLOADS = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">klik</a>',
    "</textarea><script>alert(2)</script>",
    "</script><script>alert(3)</script>",
    "{{ 7*7 }}{% raw %}",
    "<!--",
    "&lt;script&gt;",
    "Hoe kan ik <b>vet</b> zijn, terwijl <script>alert(4)</script>?",
]
SQL = [
    "' OR 1=1 --",
    "1; DROP TABLE wordings; --",
    '" OR ""="',
    "1 UNION SELECT password_hash FROM users",
    "%",
    "_",
    "\\",
    "'",
    "' || pg_sleep(0) || '",
]
NUMBERS_AS_TEXT = [
    "-1",
    "0",
    "1",
    "2",
    "1.5",
    "1e309",
    "NaN",
    "inf",
    "-0",
    " 7 ",
    "0x10",
    "١٢",  # Arabic-Indic digits: int() accepts them
    "１２",  # fullwidth digits
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999999999",
    "1" * 5000,
]
DATES_HOSTILE = [
    "31-02-2020",
    "29-02-2021",
    "00-00-0000",
    "2020-13-01",
    "2020-02-30",
    "9999-12-31",
    "1-1-1",
    "1899-12-31",
    "31 foo 2020",
    "31 februari 2020",
    "24-02-2020",
    "2020-02-24",
    "24 februari 2020",
    "٢٤-٠٢-٢٠٢٠",
    "24-02-2020\x00",
]
UNICODE = [
    "\x00",
    "a\x00b",
    "\x01\x02\x07\x08\x0b\x0c\x1b\x7f",
    "\r\n\r\n",
    "\t",
    "\u202eevil\u202c",
    "\u200b\u200c\u200d\ufeff",
    "e\u0301" * 200,
    "\u0300\u0301\u0302",
    "👩‍👩‍👧‍👦🏳️‍🌈",
    "\U0001f4a9" * 50,
    "ﬁ ß İ ı",
    "\uffff\ufffe",
    "\ud800",  # a lone surrogate (sent as its CESU bytes)
    "a\udfffb",
    "\u2028\u2029",
    "Ω" * 3000,
]
_PIECES = ["A", "é", "<script>", "Hoe kan ik ", " terwijl ", "\x00", "💥", "' OR 1=1 --"]


def huge() -> st.SearchStrategy[str]:
    return st.builds(lambda piece, n: piece * n, st.sampled_from(_PIECES), st.integers(2000, 60000))


def hostile_text() -> st.SearchStrategy[str]:
    return HOSTILE_TEXT


def _hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(PAYLOADS),
        st.sampled_from(SQL),
        st.sampled_from(UNICODE),
        st.sampled_from(NUMBERS_AS_TEXT),
        st.sampled_from(DATES_HOSTILE),
        huge(),
        st.text(max_size=40),
        st.text(
            st.characters(codec=None, categories=["Cc", "Cf", "Cs", "Co", "Mn", "Zl", "Zp"]),
            max_size=20,
        ),
        st.just(""),
        st.just("   "),
    )


HOSTILE_TEXT = _hostile_text()
QUESTIONS = [
    "Hoe kan ik regie houden, terwijl ik geen mandaat heb?",
    "Hoe kunnen we samenwerken, terwijl de privacyregels het delen lastig maken?",
    "Hoe kan ik leren",
    "terwijl niemand tijd heeft",
    "Hoe kan ik <script>alert('dla')</script>, terwijl \"><img src=x onerror=alert(1)>?",
]
PLAUSIBLE_TEXT = [*QUESTIONS, "Groep A", "Overleg", "ICR's", "nieuw@test.nl", "kompas-regenjas-9"]


@dataclass
class Ids:
    """Ids in the database per table (both regions), for references and path parameters."""

    by_table: dict[str, list[int]]

    def of(self, table: str) -> list[int]:
        return self.by_table.get(table) or [1]

    def any(self) -> list[int]:
        return sorted({i for ids in self.by_table.values() for i in ids}) or [1]


BAD_IDS = ["0", "-1", "1.5", "abc", "2147483648", "9223372036854775808", "1" * 30, "", " 1"]


VALID_DATES = ["24-02-2020", "2025-03-01", "1 maart 2025", "31-12-2024"]


def plausible(fld: Field, ids: Ids) -> st.SearchStrategy[str]:
    """A value the view may accept (texts include markup: it must come back escaped)."""
    if fld.kind in ("id", "many-ids"):
        return st.sampled_from(ids.of(fld.table)).map(str)  # own or foreign region
    if fld.kind == "lock":
        return st.sampled_from(["1", "2", "3"])
    if fld.kind == "number":
        return st.integers(1, 60).map(str)
    if fld.kind == "flag":
        return st.sampled_from(["1", ""])
    if fld.kind == "date":
        return st.sampled_from(VALID_DATES)
    if fld.kind in ("choice", "many"):
        options = [c.format(**{t: ids.of(t)[0] for t in ids.by_table}) for c in fld.choices]
        if options:
            return st.sampled_from(options)
    return st.sampled_from(PLAUSIBLE_TEXT)


def hostile(fld: Field, ids: Ids) -> st.SearchStrategy[str]:
    """A value no person would send."""
    if fld.kind in ("id", "many-ids"):
        wrong_kind = st.sampled_from(ids.any()).map(str)  # an id of another kind of object
        return st.one_of(wrong_kind, st.sampled_from(BAD_IDS), hostile_text())
    if fld.kind == "lock":
        return st.one_of(st.sampled_from(BAD_IDS), hostile_text())
    if fld.kind == "number":
        return st.one_of(st.integers(-5, 200).map(str), st.sampled_from(NUMBERS_AS_TEXT))
    if fld.kind == "flag":
        return st.one_of(st.sampled_from(["0", "on", "true", "2"]), hostile_text())
    if fld.kind == "date":
        return st.one_of(st.sampled_from(DATES_HOSTILE), hostile_text())
    return hostile_text()


def value_for(fld: Field, ids: Ids) -> st.SearchStrategy[str]:
    """A value for one field: mostly hostile, sometimes one the view accepts."""
    return st.one_of(plausible(fld, ids), hostile(fld, ids), hostile(fld, ids))


def encode(value: str | bytes) -> str:
    """Percent-encode a value as a hostile client would send it: lone surrogates as their
    (invalid) UTF-8 bytes."""
    if isinstance(value, str):
        value = value.encode("utf-8", "surrogatepass")
    return quote(value, safe="")


def urlencoded(pairs: list[tuple[str, str | bytes]]) -> str:
    return "&".join(f"{encode(k)}={encode(v)}" for k, v in pairs)


def plain(value: str) -> str:
    """For multipart bodies, which the test client encodes strictly."""
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


# --- database snapshots --------------------------------------------------------------------------

Snapshot = dict[str, dict[tuple, tuple]]


def _cell(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot() -> Snapshot:
    """Every row of every table, by primary key (the test database is small)."""
    result: Snapshot = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            keys = list(table.primary_key.columns)
            rows = conn.execute(select(table).order_by(*keys)).mappings().all()
            result[table.name] = {
                tuple(row[k.name] for k in keys): tuple(_cell(v) for v in row.values())
                for row in rows
            }
    return result


def _fingerprint_sql(dialect: str) -> str:
    """One statement that reads every table as one string per table, in key order."""
    parts = []
    for table in db.metadata.sorted_tables:
        keys = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
        if dialect == "postgresql":
            rows = (
                f"string_agg(t::text, '|' ORDER BY {', '.join('t.' + k for k in keys.split(', '))})"
            )
            parts.append(f"SELECT '{table.name}', count(*), {rows} FROM \"{table.name}\" t")
        else:
            cells = " || ',' || ".join(f'quote("{c.name}")' for c in table.columns)
            parts.append(
                f"SELECT '{table.name}', count(*), group_concat(r, '|') FROM "
                f'(SELECT {cells} AS r FROM "{table.name}" ORDER BY {keys})'
            )
    return " UNION ALL ".join(parts)


def fingerprint() -> tuple:
    """Every row of every table, read in one statement: cheap to compare after a request."""
    with db.engine.connect() as conn:
        sql = _fingerprint_sql(conn.dialect.name)
        return tuple(sorted(tuple(row) for row in conn.execute(text(sql))))


def digest(snap: Snapshot) -> str:
    return hashlib.sha256(repr(sorted(snap.items())).encode()).hexdigest()[:16]


def restore(rows: dict[str, list[dict]]) -> None:
    """Put the database back to ``rows`` (from ``dump``), bypassing the ORM listeners."""
    with db.engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            conn.execute(text("PRAGMA defer_foreign_keys = ON"))
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())
        for table in db.metadata.sorted_tables:
            if rows[table.name]:
                conn.execute(insert(table), rows[table.name])


def dump() -> dict[str, list[dict]]:
    with db.engine.connect() as conn:
        return {
            table.name: [dict(row) for row in conn.execute(select(table)).mappings()]
            for table in db.metadata.sorted_tables
        }


def changed_rows(before: Snapshot, after: Snapshot):
    """(table, key, row or None, old row or None) for every row that differs."""
    for name, rows in after.items():
        old_rows = before.get(name, {})
        for key, row in rows.items():
            if old_rows.get(key) != row:
                yield name, key, row, old_rows.get(key)
        for key, row in old_rows.items():
            if key not in rows:
                yield name, key, None, row


# --- checks on answers ---------------------------------------------------------------------------

ENGLISH = re.compile(
    r"This field is required|Not a valid|Invalid [Cc]hoice|could not coerce|Field must be|"
    r"Bad Request|Not Found|Method Not Allowed|Internal Server Error|Traceback|"
    r"Request Entity Too Large|The browser \(or proxy\)|Invalid input",
)


class _Messages(HTMLParser):
    """The text of the error and alert elements of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.stack: list[bool] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        marked = attrs.get("role") == "alert" or bool(
            {"error", "alert", "alert-error"} & set(classes)
        )
        if tag in ("br", "img", "input", "meta", "link", "hr", "col", "source"):
            return
        self.stack.append(marked)
        if marked:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in ("br", "img", "input", "meta", "link", "hr", "col", "source"):
            return
        if self.stack and self.stack.pop():
            self.depth -= 1

    def handle_data(self, data):
        if self.depth > 0 and data.strip():
            self.texts.append(data.strip())


def error_messages(body: str) -> list[str]:
    parser = _Messages()
    parser.feed(body)
    return parser.texts


# Raw markup that must never reach a page unescaped.
UNSAFE = re.compile(
    r"<script>alert|<img src=x onerror|<svg onload|<a href=\"?javascript:|"
    r"href=\"javascript:|src=\"javascript:|<b>vet</b>",
    re.IGNORECASE,
)
MARKERS = ("<script", "onerror=", "onload=", "javascript:", "<b>vet")


def stored_markup(row: tuple) -> bool:
    return any(isinstance(v, str) and any(m in v for m in MARKERS) for v in row)


def jsonable(value) -> str:
    return json.dumps(value, default=str, ensure_ascii=False)
