"""Region pages: the list of regions and a region's overview of questions."""

from flask import Blueprint, abort, request, url_for
from flask_login import current_user

from dla import htmx
from dla.agendas import queries as agenda_queries
from dla.agendas.forms import STATUS_FILTERS, page_number, question_filters
from dla.agendas.models import LEVELS, Version
from dla.auth import services as auth_services
from dla.auth.loaders import get_region_or_404
from dla.auth.permissions import access
from dla.caching import pages
from dla.errors import saving
from dla.forms import to_int
from dla.regions import queries, services
from dla.regions.forms import NewRegionForm, RegionForm

bp = Blueprint("regions", __name__)


@bp.get("/")
def index():
    rights = access()
    regions = queries.visible_regions(rights)
    return htmx.render(
        "regions/index.html",
        regions=regions,
        agenda_counts=queries.agenda_counts(),
        thread_counts=queries.thread_counts(rights, regions),
    )


@bp.route("/regios/nieuw", methods=["GET", "POST"])
def create():
    if not access().is_admin:
        abort(403)
    form = NewRegionForm()
    # The stop words are set on an existing region's settings page, not shown here: a value
    # sent for them must not refuse the new region with a message nobody can see.
    del form.stop_words
    if form.validate_on_submit():
        with saving() as saved:
            region = services.create_region(
                form.name.data,
                description=form.description.data or "",
                municipalities=form.municipalities.data or "",
                persist_min_run=form.persist_min_run.data,
                persist_max_months=form.persist_max_months.data,
            )
            auth_services.set_membership(current_user, region.id, form.my_role.data or "beheerder")
        if saved.ok:
            if form.my_role.data == "beheerder":
                return htmx.redirect(url_for("auth.members", region_id=region.id))
            return htmx.redirect(url_for("regions.show", region_id=region.id))
        form.name.errors = [*form.name.errors, saved.message]
    status = 422 if form.errors else 200
    return htmx.render("regions/form.html", form=form, region=None), status


@bp.get("/regios/<int:region_id>")
def show(region_id: int):
    region = get_region_or_404(region_id)
    return pages.page(lambda: _show(region), region_id=region.id, objects=(region,))


def _show(region):
    rights = access()
    filters = question_filters(request.args)
    page = agenda_queries.region_questions(
        region,
        page=page_number(request.args),
        where=rights.readable_versions(region.id, Version),
        **filters,
    )
    agendas = queries.readable_agendas(region.id, rights)
    by_level = {level: [a for a in agendas if a.level == level] for level in LEVELS}
    return htmx.render(
        "regions/show.html",
        "regions/_questions.html",
        region=region,
        listing=page,
        rows=page.rows,
        filters=filters,
        by_level=by_level,
        levels=LEVELS,
        audiences=agenda_queries.audiences(region),
        status_filters=STATUS_FILTERS,
    )


@bp.route("/regios/<int:region_id>/bewerken", methods=["GET", "POST"])
def edit(region_id: int):
    region = get_region_or_404(region_id, "edit_region")
    form = RegionForm(obj=region)
    if form.validate_on_submit():
        with saving(form) as saved:
            services.update_region(
                region,
                lock_version=to_int(form.lock_version.data),
                name=form.name.data,
                description=form.description.data or "",
                municipalities=form.municipalities.data or "",
                persist_min_run=form.persist_min_run.data,
                persist_max_months=form.persist_max_months.data,
                stop_words=form.stop_words.data or "",
            )
        if saved.ok:
            return htmx.redirect(url_for("regions.show", region_id=region.id))
        region = get_region_or_404(region_id, "edit_region")
        form.lock_version.data = region.lock_version
        return htmx.render("regions/form.html", form=form, region=region), saved.error.status
    if request.method == "GET":
        form.lock_version.data = region.lock_version
    status = 422 if form.errors else 200
    return htmx.render("regions/form.html", form=form, region=region), status
