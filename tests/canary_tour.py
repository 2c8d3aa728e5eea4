"""The canary tour: every registered GET route, every id filled from the canary world.

``tour_urls`` builds the URLs from ``app.url_map``, so a new route is visited without anyone
adding it. A path parameter the world cannot fill, or a query argument a view reads that
the table below does not know, fails the test: nothing escapes silently.
``response_texts`` turns any answer (HTML, CSV, JSON, a ZIP, DOCX or XLSX) into the texts
a person could read from it, headers included.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from dla.agendas.models import Agenda, Thread, Version, Wording
from dla.analysis.models import BarrierItem, Milestone
from dla.audit.models import AuditEntry
from dla.charts.views import CHARTS
from dla.citations.models import Quotation
from dla.exports.services import FORMATS
from dla.extensions import db
from dla.glossary.models import GlossaryTerm
from dla.measurements.models import Indicator
from dla.regions.models import Region
from dla.werksessies.models import Contribution, Werksessie
from tests.fuzzing import form_fields, view_inputs

# Routes that serve files shipped with the app (style sheets, scripts), never data.
STATIC_ENDPOINTS = {"static", "charts.plotly_js", "charts.plotly_css"}


@dataclass(frozen=True)
class Value:
    """A value for one or more route parameters, and what it belongs to (region, agenda,
    werksessie): a URL combines only values that belong together."""

    params: tuple[tuple[str, object], ...]
    scope: tuple[tuple[str, int], ...]


def _v(params: dict, **scope) -> Value:
    return Value(tuple(params.items()), tuple(sorted(scope.items())))


def _rows(*columns):
    return db.session.execute(select(*columns).order_by(columns[0])).all()


def _path_values(world) -> dict[tuple[str, ...], Callable[[], list[Value]]]:
    """Fillers by parameter names (one or several filled together)."""

    def regional(model, name):
        return lambda: [_v({name: i}, region=r) for i, r in _rows(model.id, model.region_id)]

    def versions():
        rows = db.session.execute(
            select(Version.id, Version.agenda_id, Agenda.region_id).join(Agenda)
        ).all()
        return [_v({"version_id": v}, region=r, agenda=a) for v, a, r in rows]

    def wordings():
        rows = db.session.execute(
            select(Wording.id, Version.agenda_id, Agenda.region_id)
            .join(Version, Version.id == Wording.version_id)
            .join(Agenda)
        ).all()
        return [_v({"wording_id": w}, region=r, agenda=a) for w, a, r in rows]

    def agendas():
        return [
            _v({"agenda_id": a}, region=r, agenda=a) for a, r in _rows(Agenda.id, Agenda.region_id)
        ]

    def sessions():
        rows = _rows(Werksessie.id, Werksessie.region_id)
        return [_v({"werksessie_id": w}, region=r, werksessie=w) for w, r in rows]

    def contributions():
        rows = db.session.execute(
            select(Contribution.id, Werksessie.id, Werksessie.region_id).join(
                Werksessie, Werksessie.id == Contribution.werksessie_id
            )
        ).all()
        return [_v({"contribution_id": c}, region=r, werksessie=w) for c, w, r in rows]

    def cells():
        rows = db.session.execute(
            select(BarrierItem.aspect_id, BarrierItem.actor_id, BarrierItem.region_id).distinct()
        ).all()
        return [_v({"aspect_id": a, "actor_id": b}, region=r) for a, b, r in rows]

    def codes():
        rows = _rows(Werksessie.code, Werksessie.region_id)
        return [_v({"code": c}, region=r) for c, r in rows if c] + [_v({"code": "QQQQQQ"})]

    return {
        ("region_id",): lambda: [_v({"region_id": r}, region=r) for (r,) in _rows(Region.id)],
        ("agenda_id",): agendas,
        ("version_id",): versions,
        ("wording_id",): wordings,
        ("thread_id",): regional(Thread, "thread_id"),
        ("item_id",): regional(BarrierItem, "item_id"),
        ("milestone_id",): regional(Milestone, "milestone_id"),
        ("indicator_id",): regional(Indicator, "indicator_id"),
        ("quotation_id",): regional(Quotation, "quotation_id"),
        ("term_id",): regional(GlossaryTerm, "term_id"),
        ("werksessie_id",): sessions,
        ("contribution_id",): contributions,
        ("aspect_id", "actor_id"): cells,
        ("code",): codes,
        ("token",): lambda: [_v({"token": world.ids["invitation"]}), _v({"token": "onbekend"})],
        ("fmt",): lambda: [_v({"fmt": f}) for f in FORMATS],
        ("name",): lambda: [_v({"name": n}) for n in CHARTS],
    }


def _query_values(world) -> dict[str, Callable[[dict], list[dict]]]:
    """Values for the query arguments GET views read, given the route's scope."""

    def pages(_scope):
        total = db.session.scalar(select(func.count(AuditEntry.id)))
        return [{"pagina": n} for n in range(1, total // 50 + 2)]

    def version_pairs(scope):
        agenda = scope.get("agenda")
        found = [
            v
            for (v,) in db.session.execute(
                select(Version.id).where(Version.agenda_id == agenda).order_by(Version.number)
            )
        ]
        return [{"van": a, "naar": b} for a, b in itertools.permutations(found, 2)]

    def fixed(name, *values):
        return lambda _scope: [{name: v} for v in values]

    def of(name, model):
        return lambda _scope: [{name: i} for (i,) in _rows(model.id)]

    return {
        "pagina": pages,
        "van": version_pairs,
        "naar": version_pairs,
        "barriere": of("barriere", BarrierItem),
        "agenda": of("agenda", Agenda),
        "q": fixed("q", "kanarie", "hoe"),
        "doelgroep": fixed("doelgroep", "ICR's"),
        "niveau": fixed("niveau", "operationeel"),
        "status": fixed("status", "open", "alle", "dicht"),
        "hardnekkig": fixed("hardnekkig", "1"),
        "waarde": fixed("waarde", "open", "hardnekkig"),
        "alle": fixed("alle", "1"),
        "zonder_namen": fixed("zonder_namen", "1"),
        "scheiding": fixed("scheiding", "puntkomma", "komma"),
        "stand": fixed("stand", "0-"),
        "voorbeeld": fixed("voorbeeld", "1"),
        "regio": of("regio", Region),
        "sinds": fixed("sinds", "01-01-2025", "31-02-2025"),
    }


def query_names(app, endpoint: str) -> set[str]:
    """The query arguments a GET view reads (form fields are read from POST bodies only)."""
    found = view_inputs(app.view_functions[endpoint])
    from_forms = set()
    for form in found.forms:
        from_forms |= set(form_fields(form))
    return found.names - from_forms


def _consistent(values: tuple[Value, ...]) -> dict | None:
    scope: dict[str, int] = {}
    for value in values:
        for key, item in value.scope:
            if scope.setdefault(key, item) != item:
                return None
    return scope


class UnfilledParameter(Exception):
    pass


def tour_urls(app, world) -> list[str]:
    """Every GET URL of the app, filled from the world (with query variants)."""
    from urllib.parse import urlencode

    fillers = _path_values(world)
    queries = _query_values(world)
    urls: list[str] = []
    with app.app_context(), app.test_request_context():
        from flask import url_for

        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in rule.methods or rule.endpoint in STATIC_ENDPOINTS:
                continue
            needed = set(rule.arguments)
            groups = []
            for names, filler in fillers.items():
                if set(names) <= needed:
                    groups.append(filler())
                    needed -= set(names)
            if needed:
                raise UnfilledParameter(
                    f"{rule.endpoint} ({rule.rule}) has parameters the canary world cannot "
                    f"fill: {sorted(needed)}. Add them to tests/canary_tour.py."
                )
            unknown = query_names(app, rule.endpoint) - set(queries)
            if unknown:
                raise UnfilledParameter(
                    f"{rule.endpoint} reads query arguments the canary tour does not know: "
                    f"{sorted(unknown)}. Add them to tests/canary_tour.py."
                )
            for combination in itertools.product(*groups):
                scope = _consistent(combination)
                if scope is None:
                    continue
                params = dict(p for value in combination for p in value.params)
                base = url_for(rule.endpoint, **params)
                urls.append(base)
                seen = set()
                for name in sorted(query_names(app, rule.endpoint)):
                    for args in queries[name](scope):
                        key = tuple(sorted(args.items()))
                        if key in seen:
                            continue
                        seen.add(key)
                        urls.append(f"{base}?{urlencode(args)}")
    return list(dict.fromkeys(urls))


# --- what a person can read from an answer -------------------------------------------------------


def _zip_texts(data: bytes) -> list[str]:
    texts = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        if "word/document.xml" in names:
            texts.append(_docx_text(data))
        if "xl/workbook.xml" in names:
            texts.append(_xlsx_text(data))
        for name in names:
            member = archive.read(name)
            texts.append(name)
            if member[:4] == b"PK\x03\x04":
                texts.extend(_zip_texts(member))
            else:
                texts.append(_decode(member))
    return texts


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def _xlsx_text(data: bytes) -> str:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    parts = []
    for sheet in book.worksheets:
        parts.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            parts.extend(str(cell) for cell in row if cell is not None)
    book.close()
    return "\n".join(parts)


def _decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", "replace")
    return data.decode("utf-8", "replace")


def response_texts(response) -> list[str]:
    """The headers and every readable text of an answer."""
    texts = ["\n".join(f"{k}: {v}" for k, v in response.headers.items())]
    data = response.get_data()
    if data[:4] == b"PK\x03\x04":
        texts.extend(_zip_texts(data))
    else:
        texts.append(_decode(data))
    return texts


def is_html(response) -> bool:
    return response.mimetype == "text/html"


def canaries_in(
    texts: list[str], canaries: dict[str, str], exact: dict[str, str] | None = None
) -> set[str]:
    """The names of the canaries in ``texts``: ``canaries`` in any case, ``exact`` (join
    codes, which are short) only as written."""
    joined = "\n".join(texts)
    lower = joined.lower()
    found = {name for name, value in canaries.items() if value.lower() in lower}
    return found | {name for name, value in (exact or {}).items() if value in joined}
