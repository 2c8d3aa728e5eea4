"""Measurement pages: a region's indicators, one indicator with its observations, trend
and linked questions, and the feedback-needs view.

Everyone in the region reads them; projectleiders and onderzoekers add and change them.
"""

from __future__ import annotations

from flask import Blueprint, make_response, request, url_for
from flask_login import current_user

from dla import htmx
from dla.agendas.models import Version
from dla.analysis import queries as analysis_queries
from dla.auth.loaders import get_region_or_404
from dla.auth.permissions import access
from dla.charts import data as chart_data
from dla.charts import figures
from dla.charts import queries as chart_queries
from dla.errors import DomainError, saving
from dla.extensions import db
from dla.forms import choices, to_int
from dla.measurements import queries, services
from dla.measurements.forms import IndicatorForm, ItemLinkForm, LinkForm, ObservationForm
from dla.measurements.models import (
    AUDIENCES,
    CONCERNS,
    HORIZONS,
    KINDS,
    Indicator,
    IndicatorLink,
    Observation,
)
from dla.regions.models import Region
from dla.security import allow_chart_styles
from dla.tabular import to_csv

bp = Blueprint("measurements", __name__)
bp.after_request(allow_chart_styles)


def _region(region_id: int, *, manage: bool = False) -> Region:
    return get_region_or_404(region_id, "manage_measurements" if manage else "read_region")


def _indicator(indicator_id: int, *, manage: bool = False) -> Indicator:
    indicator = db.get_or_404(Indicator, indicator_id)
    _region(indicator.region_id, manage=manage)
    return indicator


# A score ("schaal") is drawn on its whole scale when its values fit the usual 1–10.
SCORE_SCALE = (1, 10)


def _scale(indicator, numeric) -> tuple[int, int] | None:
    low, high = SCORE_SCALE
    values = [p.value for p in numeric] + (
        [indicator.target] if indicator.target is not None else []
    )
    if indicator.kind == "schaal" and all(low <= value <= high for value in values):
        return SCORE_SCALE
    return None


def _visible(region: Region) -> dict:
    """Filters for what the current person may read of the region's agendas."""
    rights = access()
    agenda_ids = [agenda.id for agenda in chart_queries.readable_agendas(region, rights)]
    return {"where": rights.readable_versions(region.id, Version), "agenda_ids": agenda_ids}


# --- the region's indicators -----------------------------------------------------------------


@bp.get("/regios/<int:region_id>/metingen")
def index(region_id: int):
    region = _region(region_id)
    return htmx.render(
        "measurements/index.html",
        region=region,
        rows=queries.region_indicators(region, access().readable_threads(region.id)),
        audiences=AUDIENCES,
        may_manage=access().can_manage_measurements(region.id),
    )


@bp.route("/regios/<int:region_id>/metingen/nieuw", methods=["GET", "POST"])
def create(region_id: int):
    region = _region(region_id, manage=True)
    form = IndicatorForm()
    status = 200
    if form.validate_on_submit():
        with saving(form) as saved:
            indicator = services.create_indicator(region, **form.fields_data())
        if saved.ok:
            return htmx.redirect(url_for("measurements.show", indicator_id=indicator.id))
        status = saved.error.status
    elif form.errors:
        status = 422
    return htmx.render("measurements/form.html", form=form, region=region, indicator=None), status


@bp.get("/regios/<int:region_id>/terugkoppeling")
def feedback(region_id: int):
    region = _region(region_id)
    return htmx.render(
        "measurements/feedback.html",
        region=region,
        needs=queries.feedback_needs(region, **_visible(region)),
        audiences=AUDIENCES,
    )


# --- one indicator ---------------------------------------------------------------------------


def _trend(indicator: Indicator):
    points = [
        chart_data.Point(o.observed_on, o.period_end, o.value, o.narrative, o.source, o.id)
        for o in indicator.observations
    ]
    numeric, stories = chart_data.trend(points)
    return points, numeric, stories


def _show_context(indicator: Indicator, **extra) -> dict:
    region = indicator.region
    points, numeric, stories = _trend(indicator)
    story_numbers = {point.key: number for number, point in stories}
    all_links = queries.indicator_links(indicator.id)
    links = [link for link in all_links if link.thread_id is not None]
    item_links = [link for link in all_links if link.item_id is not None]
    items = {choice.id: choice for choice in analysis_queries.item_choices(region.id)}
    linked_items = {link.item_id for link in item_links}
    item_form = extra.pop("item_form", None) or ItemLinkForm(formdata=None)
    item_form.item_id.choices = choices(
        (c.id, f"{c.code} · {c.aspect} × {c.actor} · {c.description[:90]}")
        for c in items.values()
        if c.id not in linked_items
    )
    options = queries.thread_options(region, **_visible(region))
    texts = {o.thread_id: o for o in options}
    linked = {link.thread_id for link in links}
    link_form = extra.pop("link_form", None) or LinkForm(formdata=None)
    link_form.thread_id.choices = choices(
        (o.thread_id, f"LV-{o.thread_id} · {o.text[:110]}")
        for o in options
        if o.thread_id not in linked
    )
    context = {
        "region": region,
        "indicator": indicator,
        "observations": sorted(
            indicator.observations, key=lambda o: (o.observed_on, o.id), reverse=True
        ),
        "story_numbers": story_numbers,
        "trend_figure": figures.trend_figure(
            indicator.name,
            indicator.unit,
            numeric,
            stories,
            indicator.name,
            scale=_scale(indicator, numeric),
            target=indicator.target,
        ),
        "stories": stories,
        "has_points": bool(points),
        # A link to a question that stands only in versions the viewer may not read is left
        # out altogether: its number and note would tell that such a question exists.
        "links": [(link, texts[link.thread_id]) for link in links if link.thread_id in texts],
        "link_form": link_form,
        "item_links": [(link, items.get(link.item_id)) for link in item_links],
        "item_form": item_form,
        "observation_form": extra.pop("observation_form", None) or ObservationForm(formdata=None),
        "may_manage": access().can_manage_measurements(region.id),
        "audiences": AUDIENCES,
    }
    context.update(extra)
    return context


@bp.get("/metingen/<int:indicator_id>")
def show(indicator_id: int):
    indicator = _indicator(indicator_id)
    return htmx.render("measurements/show.html", **_show_context(indicator))


@bp.get("/metingen/<int:indicator_id>/trend.csv")
def trend_csv(indicator_id: int):
    indicator = _indicator(indicator_id)
    points, _numeric, stories = _trend(indicator)
    body = to_csv(figures.trend_csv_rows(points, stories, indicator.unit), figures.TREND_COLUMNS)
    response = make_response(body)
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="meting-{indicator.id}-waarnemingen.csv"'
    )
    return response


@bp.route("/metingen/<int:indicator_id>/bewerken", methods=["GET", "POST"])
def edit(indicator_id: int):
    indicator = _indicator(indicator_id, manage=True)
    form = IndicatorForm(obj=indicator)
    status = 200
    if request.method == "GET":
        form.audiences.data = indicator.audience_list
        form.target.data = (
            figures.format_number(indicator.target) if indicator.target is not None else ""
        )
        form.lock_version.data = indicator.lock_version
    elif form.validate_on_submit():
        with saving(form) as saved:
            services.update_indicator(
                indicator, lock_version=to_int(form.lock_version.data), **form.fields_data()
            )
        if saved.ok:
            return htmx.redirect(url_for("measurements.show", indicator_id=indicator.id))
        indicator = db.get_or_404(Indicator, indicator_id)
        form.lock_version.data = indicator.lock_version
        status = saved.error.status
    elif form.errors:
        status = 422
    return htmx.render(
        "measurements/form.html", form=form, region=indicator.region, indicator=indicator
    ), status


@bp.post("/metingen/<int:indicator_id>/verwijderen")
def delete(indicator_id: int):
    indicator = _indicator(indicator_id, manage=True)
    region_id = indicator.region_id
    with saving(refuse=True):
        services.delete_indicator(indicator)
    return htmx.redirect(url_for("measurements.index", region_id=region_id))


# --- observations and links (htmx: the indicator's panel is swapped) --------------------------


def _section(fragment: str, indicator: Indicator, status: int = 200, **extra):
    """After a change: the indicator's section (``fragment``) for htmx, the whole page with
    the errors for a plain form that failed, or back to the page after a plain form."""
    if not htmx.is_fragment_request() and status < 400:
        return htmx.redirect(url_for("measurements.show", indicator_id=indicator.id))
    return (
        htmx.render("measurements/show.html", fragment, **_show_context(indicator, **extra)),
        status,
    )


def _panel(indicator: Indicator, status: int = 200, **extra):
    """The observations panel: trend, table and form."""
    return _section("measurements/_observations.html", indicator, status, **extra)


def _links(indicator: Indicator, status: int = 200, **extra):
    """The links to questions and barriers."""
    return _section("measurements/_links.html", indicator, status, **extra)


@bp.post("/metingen/<int:indicator_id>/waarnemingen")
def add_observation(indicator_id: int):
    indicator = _indicator(indicator_id, manage=True)
    form = ObservationForm()
    if not form.validate():
        return _panel(indicator, 422, observation_form=form)
    with saving(form) as saved:
        services.add_observation(
            indicator,
            observed_on=form.observed_on.data,
            period_end=form.period_end.data,
            value=form.value.data,
            narrative=form.narrative.data,
            source=form.source.data,
            author=current_user,
        )
    if saved.error:
        indicator = db.get_or_404(Indicator, indicator_id)
        return _panel(indicator, saved.error.status, observation_form=form)
    db.session.refresh(indicator)
    return _panel(indicator, saved="De waarneming is opgeslagen.")


@bp.post("/waarnemingen/<int:observation_id>/verwijderen")
def delete_observation(observation_id: int):
    observation = db.get_or_404(Observation, observation_id)
    indicator = _indicator(observation.indicator_id, manage=True)
    with saving(refuse=True):
        services.delete_observation(observation)
    db.session.refresh(indicator)
    return _panel(indicator, saved="De waarneming is weggehaald.")


@bp.post("/metingen/<int:indicator_id>/leervragen")
def link(indicator_id: int):
    indicator = _indicator(indicator_id, manage=True)
    form = LinkForm()
    visible = {
        o.thread_id for o in queries.thread_options(indicator.region, **_visible(indicator.region))
    }
    with saving(form) as saved:
        if to_int(form.thread_id.data) not in visible:
            raise DomainError("Kies een leervraag uit de lijst.")
        services.link_thread(indicator, form.thread_id.data, note=form.note.data)
    if saved.error:
        indicator = db.get_or_404(Indicator, indicator_id)
        return _links(indicator, saved.error.status, link_form=form)
    return _links(indicator)


@bp.post("/metingen/<int:indicator_id>/barrieres")
def link_item(indicator_id: int):
    indicator = _indicator(indicator_id, manage=True)
    form = ItemLinkForm()
    with saving(form) as saved:
        services.link_item(indicator, form.item_id.data, note=form.note.data)
    if saved.error:
        indicator = db.get_or_404(Indicator, indicator_id)
        return _links(indicator, saved.error.status, item_form=form)
    return _links(indicator)


@bp.post("/metingkoppelingen/<int:link_id>/verwijderen")
def unlink(link_id: int):
    link = db.get_or_404(IndicatorLink, link_id)
    indicator = _indicator(link.indicator_id, manage=True)
    with saving(refuse=True):
        services.unlink(link)
    return _links(indicator)


@bp.app_context_processor
def measurement_labels() -> dict:
    return {
        "measurement_kinds": KINDS,
        "measurement_concerns": CONCERNS,
        "measurement_horizons": HORIZONS,
        "format_number": figures.format_number,
    }
