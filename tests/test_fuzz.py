"""Property-based fuzzing of every route with hostile input (hypothesis).

Every route of ``app.url_map`` is called with values drawn from hostile strategies (huge
strings, control characters, lone surrogates and other odd unicode, HTML/JS, SQL fragments,
numbers for text and text for numbers, dates that do not exist, missing and repeated
fields, ids of objects in another region or of another kind) in every field the view reads
(derived from its source, see tests/fuzzing.py), in its path parameters, with and without
htmx. After every request:

- the answer is never a 500; a 4xx carries a Dutch message in an alert or error element;
- a 4xx changed nothing in the database (every row of every table is compared);
- no page carries the raw markup it was sent (no reflected script);
- when something was saved: the workspace still exports and validates as a restorable
  document, no thread is without a wording, no published version lacks a transition,
  every created, changed or deleted row has its audit entry and every new audit entry its
  change, and every page that shows the changed rows (and the exports) answers without an
  error and without stored markup unescaped. The database is then put back.

CI runs ``DLA_FUZZ_EXAMPLES`` (default 12) examples per route, deterministically; set it
higher for a bigger run, e.g. ``DLA_FUZZ_EXAMPLES=200``. The number of requests per route
is printed at the end of the run and written to test-artifacts/fuzz-cases.json.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from dla import create_app
from dla.agendas import services as agenda_services
from dla.agendas.models import PUBLISHED, Version
from dla.audit.services import ENTITIES, SKIPPED_FIELDS
from dla.auth import services as auth_services
from dla.auth.models import User
from dla.charts.views import PLOTLY_VERSION
from dla.errors import UNSTORABLE
from dla.exports import restore as export_restore
from dla.exports import services as export_services
from dla.extensions import db, limiter
from dla.regions.models import Region
from dla.werksessies import planning
from dla.werksessies import services as session_services
from dla.werksessies.views.phone import COOKIE
from tests import fuzzing
from tests.conftest import empty_database
from tests.factories import log_in, make_agenda, make_version
from tests.test_authorization import (
    ADMIN,
    BH,
    DN,
    OZ,
    PARTICIPANT_REQUESTS,
    PL,
    PUBLIC,
    RULES,
    TF,
    build_world,
)

EXAMPLES = int(os.environ.get("DLA_FUZZ_EXAMPLES", "12"))
# Routes that read no input but their path get fewer examples: only ids to vary.
PATH_ONLY_EXAMPLES = max(3, EXAMPLES // 3)
ENDPOINTS = sorted(set(RULES) | PUBLIC)
CASES: Counter = Counter()
# Per route: answers by status class, and how many requests saved something.
OUTCOMES: dict[str, Counter] = {}
ARTIFACT = Path(__file__).resolve().parents[1] / "test-artifacts" / "fuzz-cases.json"

# Who calls each route: the first role of this list that may.
ACTORS = [PL, TF, OZ, BH, ADMIN, DN]
PUBLIC_URLS = {
    "static": "/static/css/app.css",
    "auth.login": "/inloggen",
    "auth.accept_invitation": "/uitnodiging/{token}",
    "charts.plotly_js": f"/js/plotly-{PLOTLY_VERSION}.min.js",
    "charts.plotly_css": f"/js/plotly-{PLOTLY_VERSION}.css",
    "health.healthz": "/healthz",
    **{endpoint: request[1] for endpoint, request in PARTICIPANT_REQUESTS.items()},
}
PATH_TABLES = {
    "region_id": "regions",
    "agenda_id": "agendas",
    "version_id": "versions",
    "wording_id": "wordings",
    "sub_id": "subquestions",
    "group_id": "version_groups",
    "thread_id": "threads",
    "heading_id": "matrix_headings",
    "aspect_id": "matrix_headings",
    "actor_id": "matrix_headings",
    "item_id": "barrier_items",
    "milestone_id": "milestones",
    "precondition_id": "preconditions",
    "action_id": "milestone_actions",
    "decision_id": "decisions",
    "indicator_id": "indicators",
    "observation_id": "observations",
    "werksessie_id": "work_sessions",
    "contribution_id": "session_contributions",
    "membership_id": "memberships",
    "user_id": "users",
}
PATH_WORDS = {
    "name": ["persistentie", "verloop", "overleving", "barrieres", "x", "../etc/passwd"],
    "fmt": [*export_services.FORMATS, "exe", "JSON"],
    "version": [PLOTLY_VERSION, "0.0.0", "..%2f"],
    "filename": ["css/app.css", "js/app.js", "../dla/config.py", "%00"],
}
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


# --- the world and the plan ----------------------------------------------------------------------


def _extras(app, world: dict) -> dict:
    """What the authorization world lacks: an invitation, a closed session, a participant."""
    with app.app_context():
        region = db.session.get(Region, world["own"]["region"])
        admin = db.session.scalar(select(User).where(User.is_admin))
        _invitation, token = auth_services.create_invitation(
            region.id, "gast@test.nl", DN, by=admin
        )
        agenda = make_agenda(region, title="Afgeronde sessie")
        make_version(agenda, ["Hoe kan ik afronden, terwijl er haast is?"], publish=True)
        closed = planning.plan_session(
            region, agenda_ids=[agenda.id], title="Klaar", session_date=date(2026, 2, 1)
        )
        session_services.open_session(closed)
        session_services.close_session(closed, allow_undecided=True)
        db.session.commit()
        world["own"]["token"] = token
        world["own"]["closed_ws"] = closed.id
    client = app.test_client()
    response = client.post(f"/w/{world['own']['code']}/aanmelden", data={"role": "anders"})
    assert response.status_code == 303, response.status_code
    world["participant_cookie"] = client.get_cookie(COOKIE).value
    with app.app_context():
        leaders = {}
        for place in ("own", "other"):
            region_id = world[place]["region"]
            leader = db.session.get(User, world[place]["leader"])
            leaders[region_id] = leader.get_id()
        world["leaders"] = leaders
        db.session.commit()
    return world


class Env:
    """The app, its world, the plan per route and the state to go back to."""

    def __init__(self, app, world):
        self.app = app
        self.world = world
        with app.app_context():
            self.rows = fuzzing.dump()
            self.baseline = fuzzing.snapshot()
            self.fingerprint = fuzzing.fingerprint()
            # Tables keyed by an integer id (not change_stamps, keyed by scope and key).
            self.ids = fuzzing.Ids(
                {
                    name: sorted(k[0] for k in rows)
                    for name, rows in self.baseline.items()
                    if all(isinstance(k[0], int) for k in rows)
                }
            )
            self.columns = {t.name: [c.name for c in t.columns] for t in db.metadata.sorted_tables}
            self.tables_of = {model.__tablename__: label for model, label in ENTITIES.items()}
        self.adapter = app.url_map.bind("localhost")
        self.rules = {rule.endpoint: rule for rule in app.url_map.iter_rules()}
        self.strategies: dict = {}

    def strategy(self, fld: fuzzing.Field, kind: str):
        """Values for a field: ``plausible``, ``hostile`` or ``any`` (built once)."""
        if (fld, kind) not in self.strategies:
            make = {
                "plausible": fuzzing.plausible,
                "hostile": fuzzing.hostile,
                "any": fuzzing.value_for,
            }[kind]
            self.strategies[fld, kind] = make(fld, self.ids)
        return self.strategies[fld, kind]

    def cascaded(self, table: str, row: dict, gone: set) -> bool:
        """Whether a removed row went with a removed parent (ON DELETE CASCADE)."""
        for fk in db.metadata.tables[table].foreign_keys:
            if fk.ondelete == "CASCADE" and (fk.column.table.name, row[fk.parent.name]) in gone:
                return True
        return False

    def restore(self) -> None:
        with self.app.app_context():
            fuzzing.restore(self.rows)

    def row(self, table: str, values: tuple | None) -> dict:
        return dict(zip(self.columns[table], values or (), strict=False))


@pytest.fixture(scope="module")
def env(database_url):
    enabled = limiter.enabled
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_FAST": True,
            # The throttles would answer 429 after a few wrong codes or logins.
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
    world = _extras(app, build_world(app))
    yield Env(app, world)
    limiter.enabled = enabled
    empty_database(app)


def _template(endpoint: str) -> str:
    if endpoint in RULES:
        return RULES[endpoint][1]
    return PUBLIC_URLS[endpoint]


def _actor(endpoint: str) -> str | None:
    if endpoint not in RULES:
        return None
    allowed = RULES[endpoint][2]
    # A route nobody of the one-region world may use (the programme view) is still fuzzed,
    # as a taskforce member: it must refuse every input cleanly.
    return next((role for role in ACTORS if role in allowed), TF)


def plan(env: Env, endpoint: str) -> dict:
    """Methods, path defaults and fields of one route."""
    rule = env.rules[endpoint]
    methods = sorted(rule.methods & {"GET", "POST"})
    url = _template(endpoint).format(**env.world["own"])
    path, _, query = url.partition("?")
    _endpoint, defaults = env.adapter.match(path, method=methods[0])
    inputs = fuzzing.view_inputs(env.app.view_functions[endpoint])
    names, _unknown = fuzzing.expand(inputs.names)
    fields = []
    for name in sorted(names):
        fld = fuzzing.field_for(name, inputs.forms) or fuzzing.field_for(
            fuzzing.field_kind_for_pattern(name), inputs.forms
        )
        fields.append(
            fld if fld.name == name else fuzzing.Field(name, fld.kind, fld.choices, fld.table)
        )
    query_defaults = [tuple(pair.split("=", 1)) for pair in query.split("&") if pair]
    return {
        "rule": rule,
        "methods": methods,
        "defaults": defaults,
        "query": query_defaults,
        "fields": fields,
        "actor": _actor(endpoint),
    }


# --- one request ---------------------------------------------------------------------------------

_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _path_value(data, env: Env, name: str, converter: str | None, default):
    mode = data.draw(st.integers(0, 9), label=f"{name} mode")
    if mode <= 5:
        return str(default)
    if converter == "int":
        if mode <= 7:
            return str(data.draw(st.sampled_from(env.ids.of(PATH_TABLES.get(name, "")))))
        if mode == 8:
            return str(data.draw(st.sampled_from(env.ids.any())))
        return data.draw(st.sampled_from(fuzzing.BAD_IDS))
    words = PATH_WORDS.get(name, [])
    if name == "code":
        words = [env.world["own"]["code"], env.world["other"]["code"], "QQQQQQ", "acdefg"]
    if name == "token":
        words = [env.world["own"]["token"], "x" * 43]
    if mode <= 7 and words:
        return data.draw(st.sampled_from(words))
    return data.draw(fuzzing.hostile_text())[:MAX_QUERY_VALUE]


# A request line longer than a few kilobytes never reaches the app (gunicorn refuses it).
MAX_QUERY_VALUE = 2000


def draw_request(data, env: Env, endpoint: str, spec: dict) -> dict:
    method = data.draw(st.sampled_from(spec["methods"][::-1]), label="method")
    rule = spec["rule"]

    def replace(match):
        converter, name = match.group(1), match.group(2)
        value = _path_value(data, env, name, converter, spec["defaults"][name])
        return fuzzing.encode(value) if converter != "path" else value

    path = _PARAM.sub(replace, rule.rule)
    pairs: list[tuple[str, str]] = []
    for key, value in spec["query"]:
        if data.draw(st.integers(0, 9), label=f"keep {key}") < 8:
            pairs.append((key, value))
    fields: list[tuple[str, str]] = []
    files = {}
    # A third of the requests are what a person would send but for one hostile field (so
    # that they get saved, and the saved value is checked); the rest are hostile anywhere.
    one_bad = spec["fields"] and data.draw(st.integers(0, 2), label="one bad field") == 0
    bad = data.draw(st.sampled_from(spec["fields"]), label="bad field") if one_bad else None
    for fld in spec["fields"]:
        presence = 5 if one_bad else data.draw(st.integers(0, 9), label=f"{fld.name} presence")
        if presence < 2:
            continue  # missing
        if fld.kind == "file":
            files[fld.name] = data.draw(_upload(), label="file")
            continue
        count = 2 if presence == 9 or fld.kind == "many-ids" and presence > 6 else 1
        for _ in range(count):
            if one_bad:
                strategy = env.strategy(fld, "hostile" if fld == bad else "plausible")
            else:
                strategy = env.strategy(fld, "any")
            value = data.draw(strategy, label=fld.name)
            if method == "GET":
                value = value[:MAX_QUERY_VALUE]
            fields.append((fld.name, value))
    if data.draw(st.integers(0, 9), label="junk") == 0:
        fields.append(
            (data.draw(st.sampled_from(["id", "region_id", "csrf_token", "__proto__", ""])), "1")
        )
    headers = {}
    if data.draw(st.booleans(), label="htmx"):
        headers["HX-Request"] = "true"
    request = {"method": method, "headers": headers, "files": files}
    if method == "GET":
        pairs += fields
        request["url"] = path + ("?" + fuzzing.urlencoded(pairs) if pairs else "")
        return request
    request["url"] = path + ("?" + fuzzing.urlencoded(pairs) if pairs else "")
    body = data.draw(st.integers(0, 19), label="body")
    if files or body == 0:
        multipart = {}
        for key, value in fields:
            multipart.setdefault(key, []).append(fuzzing.plain(value))
        for key, upload in files.items():
            multipart[key] = upload
        request["data"] = multipart
    elif body == 1:
        # JSON: the values as text, or as numbers, lists and nulls.
        shape = data.draw(st.sampled_from([str, len, list, lambda v: None]), label="json")
        document = {key: shape(value) for key, value in fields}
        request["data"] = json.dumps(document, ensure_ascii=False).encode("utf-8", "surrogatepass")
        request["content_type"] = "application/json"
    else:
        request["data"] = fuzzing.urlencoded(fields)
        request["content_type"] = "application/x-www-form-urlencoded"
    return request


def _docx(text_: str) -> bytes:
    from docx import Document

    document = Document()
    for line in text_.splitlines() or [text_]:
        document.add_paragraph(fuzzing.plain(line).replace("\x00", ""))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _upload():
    texts = st.sampled_from(
        [
            "Versie 2\nDatum: 24-02-2020\nA. Hoe kan ik leren, terwijl het lastig is?",
            "Datum: 31-02-2020\n1. <script>alert('dla')</script>",
            "",
        ]
    )
    content = st.one_of(
        st.binary(max_size=200),
        texts.map(lambda t: t.encode("utf-8")),
        texts.map(_docx),
        st.just(b"PK\x03\x04" + b"\x00" * 100),
    )
    names = st.sampled_from(
        ["agenda.docx", "agenda.txt", "AGENDA.DOCX", "", "../x.docx", "a\x00.docx"]
    )
    return st.builds(lambda data, name: (io.BytesIO(data), name), content, names)


def send(env: Env, endpoint: str, spec: dict, request: dict):
    client = env.app.test_client()
    if spec["actor"] is not None:
        log_in(client, env.world["users"][spec["actor"]])
    elif endpoint.startswith("werksessies."):
        client.set_cookie(COOKIE, env.world["participant_cookie"])
    kwargs = {"method": request["method"], "headers": request["headers"]}
    if "data" in request:
        kwargs["data"] = request["data"]
    if "content_type" in request:
        kwargs["content_type"] = request["content_type"]
    CASES[endpoint] += 1
    return client.open(request["url"], **kwargs)


# --- checks --------------------------------------------------------------------------------------


def _describe(endpoint: str, request: dict, response) -> str:
    body = response.get_data()[:300].decode("utf-8", "replace")
    shown = {k: (v if not isinstance(v, str | bytes) else v[:300]) for k, v in request.items()}
    return f"{endpoint} {shown!r} -> {getattr(response, 'status_code', '?')} {body!r}"


def check_answer(endpoint: str, request: dict, response) -> None:
    where = _describe(endpoint, request, response)
    assert response.status_code < 500, where
    body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
    if response.mimetype == "text/html":
        assert not fuzzing.UNSAFE.search(body), "raw markup in the page: " + where
    if 400 <= response.status_code < 500:
        messages = fuzzing.error_messages(body)
        assert messages, "a 4xx without a message: " + where
        joined = " ".join(messages)
        assert not fuzzing.ENGLISH.search(joined), f"an English message {joined!r}: {where}"
        # The database's refusal is a safety net: every value is checked before it.
        assert UNSTORABLE not in joined, "only the database refused this: " + where


def _region_of(env: Env, table: str, row: dict, snap) -> int | None:
    """The region a row belongs to, through its parents."""

    def get(name, key):
        values = snap[name].get((key,))
        return env.row(name, values) if values else {}

    if "region_id" in row and row["region_id"] is not None:
        return row["region_id"]
    if table in ("versions",):
        return get("agendas", row.get("agenda_id")).get("region_id")
    if table in ("version_groups", "wordings", "transitions", "version_members"):
        version = get("versions", row.get("version_id"))
        return get("agendas", version.get("agenda_id")).get("region_id")
    if table == "subquestions":
        wording = get("wordings", row.get("wording_id"))
        return _region_of(env, "wordings", wording, snap) if wording else None
    if table == "transition_targets":
        wording = get("wordings", row.get("wording_id"))
        return _region_of(env, "wordings", wording, snap) if wording else None
    if table == "agenda_participants":
        return get("agendas", row.get("agenda_id")).get("region_id")
    if "werksessie_id" in row:
        return get("work_sessions", row.get("werksessie_id")).get("region_id")
    return None


def _pages(env: Env, table: str, row: dict, region_id: int | None) -> list[str]:
    """Pages (and downloads) that show a row of ``table``."""
    pages = []
    if region_id is not None:
        pages += [f"/regios/{region_id}", f"/regios/{region_id}/logboek"]
    version = row.get("version_id")
    by_table = {
        "regions": ["/", f"/regios/{row.get('id')}/bewerken"],
        "agendas": [f"/agendas/{row.get('id')}", f"/agendas/{row.get('id')}/grafieken"],
        "versions": [
            f"/versies/{row.get('id')}",
            f"/versies/{row.get('id')}/afdrukken",
            f"/versies/{row.get('id')}/export.docx",
            f"/agendas/{row.get('agenda_id')}/vergelijken",
        ],
        "version_groups": [f"/versies/{version}", f"/versies/{version}/export.docx"],
        "wordings": [
            f"/versies/{version}",
            f"/versies/{version}/afdrukken",
            f"/versies/{version}/export.docx",
            f"/leervragen/{row.get('thread_id')}",
        ],
        "transitions": [f"/versies/{version}", f"/leervragen/{row.get('id')}"],
        "comments": [f"/leervragen/{row.get('thread_id')}", f"/versies/{version}"],
        "matrix_headings": [f"/regios/{region_id}/systeemanalyse"],
        "barrier_items": [
            f"/barrieres/{row.get('id')}",
            f"/regios/{region_id}/systeemanalyse",
            f"/regios/{region_id}/hardnekkige-barrieres",
            f"/regios/{region_id}/grafieken",
        ],
        "barrier_links": [
            f"/barrieres/{row.get('item_id')}",
            f"/leervragen/{row.get('thread_id')}",
        ],
        "milestones": [f"/mijlpalen/{row.get('id')}", f"/regios/{region_id}/mijlpalen"],
        "preconditions": [f"/mijlpalen/{row.get('milestone_id')}"],
        "milestone_actions": [f"/mijlpalen/{row.get('milestone_id')}"],
        "milestone_links": [f"/mijlpalen/{row.get('milestone_id')}"],
        "decisions": [
            f"/barrieres/{row.get('item_id')}",
            f"/mijlpalen/{row.get('milestone_id')}",
            f"/regios/{region_id}/hardnekkige-barrieres",
        ],
        "indicators": [
            f"/metingen/{row.get('id')}",
            f"/metingen/{row.get('id')}/trend.csv",
            f"/regios/{region_id}/metingen",
            f"/regios/{region_id}/terugkoppeling",
        ],
        "observations": [f"/metingen/{row.get('indicator_id')}"],
        "indicator_links": [f"/metingen/{row.get('indicator_id')}"],
        "work_sessions": [
            f"/werksessies/{row.get('id')}",
            f"/werksessies/{row.get('id')}/leiden",
            f"/werksessies/{row.get('id')}/verslag",
            f"/regios/{region_id}/werksessies",
        ],
        "users": ["/beheer/gebruikers"],
        "memberships": [f"/regios/{region_id}/leden"],
        "invitations": [f"/regios/{region_id}/leden"],
    }
    pages += by_table.get(table, [])
    if "werksessie_id" in row:
        ws = row["werksessie_id"]
        pages += [f"/werksessies/{ws}/leiden", f"/werksessies/{ws}/live", f"/werksessies/{ws}"]
    return [page for page in pages if "None" not in page]


def check_pages(env: Env, changes: list, after) -> None:
    """Every page showing a changed row answers without an error and escapes markup."""
    pages: dict[str, int | None] = {}
    regions = set()
    for table, _key, row, old in changes:
        values = env.row(table, row if row is not None else old)
        region_id = _region_of(env, table, values, after if row is not None else env.baseline)
        if table == "audit_entries":
            continue
        regions.add(region_id)
        for page in _pages(env, table, values, region_id):
            pages.setdefault(page, region_id)
    for region_id in regions - {None}:
        pages.setdefault(f"/regios/{region_id}/export.xlsx", region_id)
    for page, region_id in sorted(pages.items()):
        client = env.app.test_client()
        admin_only = page.startswith("/beheer") or page.endswith("/leden") or page == "/"
        user = env.world["users"][ADMIN] if admin_only else env.world["leaders"].get(region_id)
        log_in(client, user or env.world["users"][ADMIN])
        for headers in ({}, {"HX-Request": "true"}) if "/leiden" in page else ({},):
            response = client.get(page, headers=headers)
            response.close()
            where = f"page {page} after the change: {response.status_code}"
            assert response.status_code < 500, where + " " + response.get_data(as_text=True)[:200]
            if response.mimetype == "text/html":
                body = response.get_data(as_text=True)
                match = fuzzing.UNSAFE.search(body)
                assert match is None, (
                    f"{where}: stored markup shown raw: {match and match.group(0)}"
                )


def check_integrity(env: Env, before, after, changes: list) -> None:
    """Nothing half-saved: the workspace is consistent and every change is audited."""
    with env.app.app_context():
        document = export_services.export_document(
            db.session.scalars(select(Region).order_by(Region.id)).all()
        )
        export_restore._check_schema(json.loads(json.dumps(document, default=str)))
        export_restore._rows(json.loads(json.dumps(document, default=str)))
        orphans = db.session.execute(
            text(
                "SELECT t.id FROM threads t WHERE NOT EXISTS "
                "(SELECT 1 FROM wordings w WHERE w.thread_id = t.id)"
            )
        ).all()
        assert not orphans, f"threads without a wording: {orphans}"
        strays = db.session.execute(
            text(
                "SELECT w.id FROM wordings w JOIN version_groups g ON g.id = w.group_id "
                "WHERE g.version_id != w.version_id"
            )
        ).all()
        assert not strays, f"questions in a group of another version: {strays}"
        for version in db.session.scalars(select(Version).where(Version.status == PUBLISHED)):
            missing = agenda_services.missing_transitions(version)
            assert not missing, f"published version {version.id} lacks transitions"
        db.session.rollback()
    # Every change of an audited row has its audit entry, and every new entry its change.
    entries = [
        env.row("audit_entries", row)
        for table, _key, row, old in changes
        if table == "audit_entries" and row is not None and old is None
    ]
    logged = {(e["entity"], e["entity_id"], e["action"]) for e in entries}
    touched, required = set(), set()
    gone = {(table, key[0]) for table, key, row, _old in changes if row is None}
    for table, key, row, old in changes:
        label = env.tables_of.get(table)
        if label is None:
            continue
        if old is None:
            action = "aangemaakt"
        elif row is None:
            action = "verwijderd"
        else:
            new, previous = env.row(table, row), env.row(table, old)
            changed = {k for k in new if new[k] != previous[k]} - SKIPPED_FIELDS
            action = "gewijzigd"
            if not changed:
                # Changed and changed back within the request: entries may say so.
                touched.add((label, key[0], action))
                continue
        touched.add((label, key[0], action))
        # A row the database removed with its parent (ON DELETE CASCADE) is covered by the
        # parent's entry.
        if not (row is None and env.cascaded(table, env.row(table, old), gone)):
            required.add((label, key[0], action))
    assert required <= logged, f"changes without an audit entry: {sorted(required - logged)}"
    # A row created and then changed in the same request may have both entries.
    rows = {(label, entity_id) for label, entity_id, _action in touched}
    extra = {entry for entry in logged if entry[:2] not in rows}
    assert not extra, f"audit entries without a change: {sorted(extra)}"


def run_case(env: Env, endpoint: str, spec: dict, data) -> None:
    request = draw_request(data, env, endpoint, spec)
    response = send(env, endpoint, spec, request)
    try:
        check_answer(endpoint, request, response)
    finally:
        response.close()
    outcome = OUTCOMES.setdefault(endpoint, Counter())
    outcome[f"{response.status_code // 100}xx"] += 1
    with env.app.app_context():
        if fuzzing.fingerprint() == env.fingerprint:
            return
        after = fuzzing.snapshot()
    outcome["saved"] += 1
    changes = list(fuzzing.changed_rows(env.baseline, after))
    try:
        where = _describe(endpoint, request, response)
        assert response.status_code < 400, "a refused request changed the database: " + where
        check_integrity(env, env.baseline, after, changes)
        check_pages(env, changes, after)
    finally:
        env.restore()
    with env.app.app_context():
        assert fuzzing.fingerprint() == env.fingerprint, "restoring the database failed"


# --- tests ---------------------------------------------------------------------------------------


def test_every_route_is_fuzzed(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(ENDPOINTS), "a route without fuzzing (add it to RULES or PUBLIC)"


def test_every_input_has_a_kind(app):
    """Each field a view reads is known to the fuzzer (tests/fuzzing.py)."""
    problems = []
    for endpoint in ENDPOINTS:
        inputs = fuzzing.view_inputs(app.view_functions[endpoint])
        names, unknown = fuzzing.expand(inputs.names)
        problems += [f"{endpoint}: no pattern in PATTERNS for {name!r}" for name in unknown]
        for name in sorted(names):
            kind = fuzzing.field_for(name, inputs.forms) or fuzzing.field_for(
                fuzzing.field_kind_for_pattern(name), inputs.forms
            )
            if kind is None:
                problems.append(f"{endpoint} reads {name!r}: give it a kind in tests/fuzzing.py")
    assert not problems


def test_inputs_are_derived_from_the_views(app):
    """The derivation finds what the views read (a guard against a silent, empty plan)."""
    inputs = {e: fuzzing.view_inputs(app.view_functions[e]).names for e in ENDPOINTS}
    assert {"text", "goal", "barrier", "shared_stem", "group_id"} <= inputs["agendas.add_question"]
    assert {"kind", "merge", "lock", "split_texts", "target_agenda"} <= inputs["werksessies.decide"]
    assert {"text", "owner", "term", "status", "lock_version"} <= inputs["analysis.save_action"]
    assert {"q-*-tekst", "groep-*", "agenda_id", "datum"} <= inputs["agendas.import_save"]
    assert {"niveau", "doelgroep", "status", "barriere"} <= inputs["charts.region"]
    assert {"status", "q", "hardnekkig", "pagina"} <= inputs["regions.show"]
    assert {"tekst", "bestand"} <= inputs["agendas.import_read"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
# Werkzeug leaves the temporary file of an upload open when it refuses the rest of the body
# (413, too large); the garbage collector closes it.
@pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <_io.FileIO name=\\d+ mode='rb\\+':"
    "pytest.PytestUnraisableExceptionWarning"
)
def test_fuzz(env, endpoint):
    spec = plan(env, endpoint)
    examples = EXAMPLES if spec["fields"] or spec["query"] else PATH_ONLY_EXAMPLES

    @settings(FUZZ, max_examples=examples)
    @given(data=st.data())
    def fuzz(data):
        run_case(env, endpoint, spec, data)

    fuzz()


def write_summary(terminalreporter) -> None:
    """Called from conftest's terminal summary: the number of requests per route."""
    if not CASES:
        return
    total = sum(CASES.values())
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(
        json.dumps(
            {
                "examples_per_route": EXAMPLES,
                "total": total,
                "routes": {
                    endpoint: {"requests": count, **OUTCOMES.get(endpoint, {})}
                    for endpoint, count in sorted(CASES.items())
                },
            },
            indent=1,
        )
    )
    terminalreporter.write_sep("-", "fuzz cases")
    busiest = CASES.most_common()
    answers = sum((outcome for outcome in OUTCOMES.values()), Counter())
    terminalreporter.write_line(
        f"{total} requests over {len(CASES)} routes: "
        + ", ".join(f"{answers[k]} {k}" for k in ("2xx", "3xx", "4xx", "5xx", "saved"))
    )
    terminalreporter.write_line(
        f"{total} requests over {len(CASES)} routes "
        f"(DLA_FUZZ_EXAMPLES={EXAMPLES}; fewest {busiest[-1][1]} for {busiest[-1][0]}, "
        f"most {busiest[0][1]} for {busiest[0][0]}); per route in {ARTIFACT.name}"
    )
