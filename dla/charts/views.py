"""Chart pages (per agenda and per region), their CSV downloads, and plotly.js itself.

Every chart is built from the visible data only (agendas the person may read, restricted
versions only for their members) and comes with a table of the same numbers.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, make_response, request, url_for
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from dla import htmx
from dla.agendas.models import LEVELS, Version
from dla.agendas.queries import today
from dla.analysis import queries as analysis_queries
from dla.auth.loaders import get_agenda_or_404, get_region_or_404
from dla.auth.permissions import access
from dla.caching import fragments, pages, store
from dla.caching.models import ANALYSIS, PUBLISHED
from dla.charts import assets, data, figures, persistence, spread
from dla.charts import queries as chart_queries
from dla.charts.assets import PLOTLY_VERSION, plotly_style_ids
from dla.forms import to_int
from dla.regions.models import Region
from dla.security import allow_chart_styles, public
from dla.tabular import to_csv

bp = Blueprint("charts", __name__)
bp.after_request(allow_chart_styles)

STATUS_CHOICES = {"": "Alle vragen", "open": "Staat nog op een agenda", "dicht": "Afgesloten"}
CHARTS = ("persistentie", "verloop", "overleving", "barrieres")
FILTER_ARGS = ("niveau", "doelgroep", "status", "hardnekkig", "barriere", "waarde")


# --- plotly.js -----------------------------------------------------------------------------------


@bp.get("/js/plotly-<version>.min.js")
@public
def plotly_js(version: str):
    """Served from the installed package (never a CDN), compressed once, cached for a year:
    the URL changes with the plotly version."""
    if version != PLOTLY_VERSION:
        abort(404)
    return _static_response(*assets.plotly_js(), "text/javascript; charset=utf-8")


@bp.get("/js/plotly-<version>.css")
@public
def plotly_css(version: str):
    if version != PLOTLY_VERSION:
        abort(404)
    return _static_response(*assets.plotly_css(), "text/css; charset=utf-8")


def _static_response(raw: bytes, packed: bytes, etag: str, mimetype: str):
    if request.if_none_match.contains(etag):
        response = make_response("", 304)
    elif "gzip" in request.accept_encodings:
        response = make_response(packed)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = make_response(raw)
    response.headers["Content-Type"] = mimetype
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.set_etag(etag)
    response.vary.add("Accept-Encoding")
    return response


# --- shared ---------------------------------------------------------------------------------


def _filters(args, region: Region, *, region_wide: bool) -> data.Filters:
    level = args.get("niveau", "") if region_wide else ""
    status = args.get("status", "")
    barrier = args.get("barriere", type=to_int)
    thread_ids = None if barrier is None else chart_queries.barrier_thread_ids(region, barrier)
    return data.Filters(
        level=level if level in LEVELS else "",
        audience=(args.get("doelgroep", "") or "")[:120] if region_wide else "",
        status=status if status in STATUS_CHOICES else "",
        hardnekkig=args.get("hardnekkig") == "1",
        thread_ids=thread_ids,
        barrier=barrier,
    )


def _readable_input(region: Region):
    rights = access()
    agendas = chart_queries.readable_agendas(region, rights)
    source = chart_queries.chart_input(
        region,
        agenda_ids=[a.id for a in agendas],
        where=rights.readable_versions(region.id, Version),
    )
    return agendas, source


def build(
    region: Region,
    source,
    *,
    agenda_id: int | None,
    filters: data.Filters,
    title: str,
    only: str | None = None,
    with_figures: bool = True,
) -> dict:
    """The charts' data, figures and tables for an agenda or the whole region.

    ``only`` (a name of CHARTS) computes just that chart: for an htmx swap of one section,
    or (``with_figures=False``) a CSV download. The persistence figures of the threads are
    computed once and shared by the persistence chart and the heat map.
    """
    settings = {
        "min_run": region.persist_min_run,
        "max_months": region.persist_max_months,
    }
    wanted = set(CHARTS) if only is None else {only}
    charts: dict = {"rows": [], "flow": [], "curves": [], "heat": None, "spread": None}
    by_thread = data.thread_figures(source.versions, source.marks, **settings)
    if "persistentie" in wanted:
        charts["rows"] = data.persistence_rows(
            source.versions,
            source.marks,
            agenda_id=agenda_id,
            filters=filters,
            figures=by_thread,
            **settings,
        )
        charts["spread"] = spread.hardnekkig_spread(
            [row.figures for row in charts["rows"]], **settings
        )
    if "verloop" in wanted:
        charts["flow"] = data.flow_rows(source.versions, source.marks, agenda_id=agenda_id)
    if "overleving" in wanted:
        versions, marks = source.versions, source.marks
        if agenda_id is not None:
            versions = {k: v for k, v in versions.items() if v.agenda_id == agenda_id}
            marks = [m for m in marks if m.version_id in versions]
        charts["curves"] = data.survival_by_level(versions, marks, LEVELS)
    if "barrieres" in wanted and agenda_id is None:
        matrix = chart_queries.matrix_input(region)
        charts["heat"] = data.heat_map(
            matrix.aspects, matrix.actors, matrix.items, matrix.links, by_thread
        )
    if with_figures and "persistentie" in wanted:
        charts["persistence_figure"] = persistence.persistence_figure(
            charts["rows"],
            f"Welke vragen blijven? {title}",
            data.persistence_columns(_shown_versions(source.versions, charts["rows"]), agenda_id),
            region=agenda_id is None,
        )
    if with_figures and "verloop" in wanted:
        charts["flow_figure"] = figures.flow_figure(
            charts["flow"], f"Wat gebeurde er per versie? {title}"
        )
    if with_figures and "overleving" in wanted:
        charts["survival_figure"] = figures.survival_figure(
            charts["curves"], f"Hoe lang blijven vragen open? {title}"
        )
    return charts


def _shown_versions(versions: dict, rows: list[data.ThreadRow]) -> dict:
    """The versions of the agendas the rows stand in: the region chart's date columns."""
    agendas = {cell.version.agenda_id for row in rows for cell in row.cells}
    return {key: v for key, v in versions.items() if v.agenda_id in agendas}


def _csv(name: str, charts: dict, filename: str):
    if name == "persistentie":
        body = to_csv(
            persistence.persistence_csv_rows(charts["rows"]), persistence.PERSISTENCE_COLUMNS
        )
    elif name == "verloop":
        body = to_csv(figures.flow_csv_rows(charts["flow"]), figures.FLOW_COLUMNS)
    elif name == "overleving":
        body = to_csv(figures.survival_csv_rows(charts["curves"]), figures.SURVIVAL_COLUMNS)
    elif charts["heat"] is not None:
        body = to_csv(figures.heat_csv_rows(charts["heat"]), figures.HEAT_COLUMNS)
    else:
        abort(404)
    response = make_response(body)
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}-{name}.csv"'
    return response


def _csv_urls(endpoint: str, **ids) -> dict[str, str]:
    """Download links for the charts' numbers, with the same filters as the page."""
    args = {
        k: v
        for k, v in request.args.items()
        if k in ("niveau", "doelgroep", "status", "hardnekkig")
    }
    return {name: url_for(endpoint, name=name, **ids, **args) for name in CHARTS}


# --- pages ----------------------------------------------------------------------------------


FIGURES = ("persistence_figure", "flow_figure", "survival_figure")


def _filter_args() -> tuple:
    """The query arguments a chart page depends on, as part of a cache key: only these, so
    that other arguments cannot fill the shared cache with copies of a page."""
    return tuple(sorted((k, request.args.get(k, "")) for k in FILTER_ARGS if k in request.args))


def chart_data(kind: str, region: Region, agenda=None, **only) -> tuple:
    """(audiences, filters, charts) for the page's request: computed once per filter,
    readable set and stamp of the region's published content and system analysis, the only
    data the charts show (``dla.caching.store.cached``), shared by everyone who may read the
    same."""

    def compute():
        agendas, source = _readable_input(region)
        filters = _filters(request.args, region, region_wide=agenda is None)
        title = region.name if agenda is None else agenda.title
        charts = build(
            region,
            source,
            agenda_id=None if agenda is None else agenda.id,
            filters=filters,
            title=title,
            **only,
        )
        for key in FIGURES:
            if key in charts:  # kept as the JSON the page embeds: written once, not per page
                charts[key] = Markup(htmlsafe_json_dumps(charts[key], dumps=current_app.json.dumps))
        return sorted({a.audience for a in agendas}), filters, charts

    args = _filter_args()
    parts = ("charts", kind, today(), args, sorted(only.items()), store.identity(region, agenda))
    return store.cached(parts, compute, region_id=region.id, topics=(PUBLISHED, ANALYSIS))


def _agenda_context(agenda_id: int, **only):
    agenda = get_agenda_or_404(agenda_id)
    region = agenda.region
    _audiences, filters, charts = chart_data("agenda", region, agenda, **only)
    return agenda, region, filters, charts


@bp.get("/agendas/<int:agenda_id>/grafieken")
def agenda(agenda_id: int):
    loaded = get_agenda_or_404(agenda_id)
    return pages.page(lambda: _agenda_page(loaded), region_id=loaded.region_id, objects=(loaded,))


def _agenda_page(agenda):
    def context() -> dict:
        _agenda, region, filters, charts = _agenda_context(agenda.id, **_fragment_only())
        return {
            "agenda": agenda,
            "region": region,
            "filters": filters,
            "status_choices": STATUS_CHOICES,
            "csv_urls": _csv_urls("charts.agenda_csv", agenda_id=agenda.id),
            "barriers": analysis_queries.item_choices(region.id),
            **charts,
        }

    return _chart_page(
        "charts/agenda.html", "charts/_agenda_body.html", context, agenda.region, agenda
    )


def _chart_page(page: str, part: str, context, region: Region, agenda=None):
    """A chart page around its charts and tables (``part``, rendered with ``context()``), or
    for an htmx filter request only the persistence section.

    The charts and tables are rendered once per query string, date, change of the region's
    published versions or system analysis, and readable set (``dla.caching.fragments``):
    after a comment or a new question in a concept version they are not written again for
    every person who opens the page, and the chart data (large for a region) is not even read
    from the cache."""
    if htmx.is_fragment_request():
        return htmx.render("charts/_persistence.html", **context())
    body = fragments.shared(
        part,
        (today(), _filter_args(), store.identity(region, agenda)),
        context,
        region_id=region.id,
        topics=(PUBLISHED, ANALYSIS),
    )
    return htmx.render(page, agenda=agenda, region=region, body=body)


@bp.get("/agendas/<int:agenda_id>/grafieken/<name>.csv")
def agenda_csv(agenda_id: int, name: str):
    if name not in CHARTS:
        abort(404)
    loaded = get_agenda_or_404(agenda_id)

    def download():
        agenda, _region, _f, charts = _agenda_context(agenda_id, only=name, with_figures=False)
        return _csv(name, charts, f"agenda-{agenda.id}")

    return pages.page(download, region_id=loaded.region_id, objects=(loaded,))


def _region_context(region_id: int, **only):
    region = get_region_or_404(region_id)
    audiences, filters, charts = chart_data("region", region, **only)
    return region, audiences, filters, charts


@bp.get("/regios/<int:region_id>/grafieken")
def region(region_id: int):
    loaded = get_region_or_404(region_id)
    return pages.page(lambda: _region_page(loaded), region_id=loaded.id, objects=(loaded,))


def _region_page(region: Region):
    def context() -> dict:
        _region, audiences, filters, charts = _region_context(region.id, **_fragment_only())
        return {
            "region": region,
            "agenda": None,
            "filters": filters,
            "levels": LEVELS,
            "audiences": audiences,
            "status_choices": STATUS_CHOICES,
            "csv_urls": _csv_urls("charts.region_csv", region_id=region.id),
            "barriers": analysis_queries.item_choices(region.id),
            "measure": _measure(),
            "measures": figures.MEASURES,
            "heat_figure": _heat_figure(region, charts["heat"]),
            **charts,
        }

    return _chart_page("charts/region.html", "charts/_region_body.html", context, region)


def _fragment_only() -> dict:
    """An htmx filter request swaps only the persistence section: compute only that."""
    return {"only": "persistentie"} if htmx.is_fragment_request() else {}


def _measure() -> str:
    measure = request.args.get("waarde", "open")
    return measure if measure in figures.MEASURES else "open"


def _heat_figure(region: Region, heat):
    if heat is None or not heat.aspects or not heat.actors:
        return None
    urls = [
        [
            url_for("analysis.cell", region_id=region.id, aspect_id=aspect_id, actor_id=actor_id)
            for actor_id, _name in heat.actors
        ]
        for aspect_id, _name in heat.aspects
    ]
    return figures.heat_map_figure(
        heat, _measure(), f"Waar zitten de barrières? {region.name}", urls
    )


@bp.get("/regios/<int:region_id>/grafieken/barrieres")
def heat_map(region_id: int):
    """The heat map section alone (htmx: switch between open and hardnekkige questions)."""
    loaded = get_region_or_404(region_id)
    return pages.page(lambda: _heat_map(region_id), region_id=loaded.id, objects=(loaded,))


def _heat_map(region_id: int):
    region, _audiences, _filters_, charts = _region_context(region_id, only="barrieres")
    return htmx.render(
        "charts/_heat_map.html",
        region=region,
        heat=charts["heat"],
        measure=_measure(),
        measures=figures.MEASURES,
        heat_figure=_heat_figure(region, charts["heat"]),
        csv_urls=_csv_urls("charts.region_csv", region_id=region.id),
    )


@bp.get("/regios/<int:region_id>/grafieken/<name>.csv")
def region_csv(region_id: int, name: str):
    if name not in CHARTS:
        abort(404)
    loaded = get_region_or_404(region_id)

    def download():
        region, _audiences, _f, charts = _region_context(region_id, only=name, with_figures=False)
        return _csv(name, charts, f"regio-{region.id}")

    return pages.page(download, region_id=loaded.id, objects=(loaded,))


@bp.app_context_processor
def chart_helpers() -> dict:
    return {
        "plotly_version": PLOTLY_VERSION,
        "plotly_style_ids": plotly_style_ids,
        "kind_label": figures.label,
        "levels_label": lambda level: LEVELS.get(level, level),
        "flow_kinds": data.FLOW_KINDS,
        "survival_months": data.SURVIVAL_MONTHS,
        "plural": plural,
        "printed_on": date.today,
    }


def plural(count: int, one: str, many: str) -> str:
    """ "1 open vraag", "3 open vragen" (templates: ``plural(n, 'vraag', 'vragen')``)."""
    return f"{count} {one if count == 1 else many}"
