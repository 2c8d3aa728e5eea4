"""Cells of the matrix and the barrier items in them (barrières and kansen)."""

from flask import abort, flash, request, url_for

from dla import htmx
from dla.agendas.models import Version
from dla.analysis import queries, services
from dla.analysis.forms import ItemForm
from dla.analysis.models import ACTOR, ASPECT, BarrierItem, MatrixHeading
from dla.analysis.views import bp
from dla.analysis.views.common import EDIT, decision_form, load, load_region, rights
from dla.auth.permissions import access
from dla.errors import saving
from dla.extensions import db
from dla.forms import choices, to_int
from dla.measurements import queries as measurement_queries
from dla.regions.models import Region


def _cell_headings(region: Region, aspect_id: int, actor_id: int):
    aspect = db.session.get(MatrixHeading, aspect_id)
    actor = db.session.get(MatrixHeading, actor_id)
    for heading, axis in ((aspect, ASPECT), (actor, ACTOR)):
        if heading is None or heading.region_id != region.id or heading.axis != axis:
            abort(404)
    return aspect, actor


def _item_form(region: Region, formdata=None, obj=None) -> ItemForm:
    form = ItemForm(formdata=formdata, obj=obj) if formdata is not None else ItemForm(obj=obj)
    aspects, actors = services.headings(region)
    form.aspect_id.choices = choices((h.id, h.name) for h in aspects)
    form.actor_id.choices = choices((h.id, h.name) for h in actors)
    return form


def _cell(region: Region, aspect, actor, *, form=None, status: int = 200, open_cell=True):
    cell = queries.cell(region, aspect, actor)
    return htmx.render(
        "analysis/cell.html",
        "analysis/_cell.html",
        region=region,
        cell=cell,
        form=form,
        open_cell=open_cell,
        link_counts=queries.link_counts([item.id for item in cell.items]),
        **rights(region.id),
    ), status


@bp.get("/regios/<int:region_id>/systeemanalyse/cellen/<int:aspect_id>/<int:actor_id>")
def cell(region_id: int, aspect_id: int, actor_id: int):
    region = load_region(region_id)
    aspect, actor = _cell_headings(region, aspect_id, actor_id)
    return _cell(region, aspect, actor)


@bp.get("/regios/<int:region_id>/systeemanalyse/cellen/<int:aspect_id>/<int:actor_id>/nieuw")
def new_item(region_id: int, aspect_id: int, actor_id: int):
    region = load_region(region_id, EDIT)
    aspect, actor = _cell_headings(region, aspect_id, actor_id)
    form = _item_form(region, formdata=None)
    form.aspect_id.data, form.actor_id.data = aspect.id, actor.id
    return _cell(region, aspect, actor, form=form)


@bp.post("/regios/<int:region_id>/systeemanalyse/cellen/<int:aspect_id>/<int:actor_id>")
def create_item(region_id: int, aspect_id: int, actor_id: int):
    region = load_region(region_id, EDIT)
    aspect, actor = _cell_headings(region, aspect_id, actor_id)
    form = _item_form(region, request.form)
    del form.aspect_id, form.actor_id  # the cell (in the URL) says where the item goes
    if form.validate():
        with saving(form) as saved:
            services.create_item(
                region,
                aspect_id=aspect.id,
                actor_id=actor.id,
                kind=form.kind.data,
                description=form.description.data,
                source=form.source.data,
                status=form.status.data,
                noted_on=form.noted_on.data,
                status_on=form.status_on.data,
            )
        if saved.ok:
            if not request.htmx:
                anchor = f"c-{aspect.id}-{actor.id}"
                return htmx.redirect(
                    url_for("analysis.matrix", region_id=region.id, _anchor=anchor)
                )
            return _cell(region, aspect, actor)
    region = db.session.get(Region, region_id)
    return _cell(region, aspect, actor, form=form, status=422)


def item_page(barrier: BarrierItem, *, form=None, status: int = 200):
    """The item's page: its questions, decisions, milestones and indicators; ``form`` is the
    decision form (with its errors after a refused decision)."""
    where = access().readable_versions(barrier.region_id, Version)
    return htmx.render(
        "analysis/item.html",
        item=barrier,
        region=db.session.get(Region, barrier.region_id),
        questions=queries.item_questions(barrier, where),
        decisions=queries.decisions(item_id=barrier.id),
        milestones=queries.item_milestones(barrier),
        indicators=measurement_queries.item_indicators([barrier.id])[barrier.id],
        decision_form=form or decision_form(),
        **rights(barrier.region_id),
    ), status


@bp.get("/barrieres/<int:item_id>")
def item(item_id: int):
    return item_page(load(BarrierItem, item_id))


def _edit_form(barrier: BarrierItem, form, region: Region, status: int = 200, conflict=None):
    response = htmx.render(
        "analysis/item_form.html",
        "analysis/_item_edit.html",
        item=barrier,
        form=form,
        region=region,
        conflict=conflict,
    )
    if status >= 400 and request.htmx:
        response.headers["HX-Retarget"] = f"#item-{barrier.id}"
        response.headers["HX-Reswap"] = "outerHTML"
    return response, status


@bp.get("/barrieres/<int:item_id>/bewerken")
def edit_item(item_id: int):
    barrier = load(BarrierItem, item_id, EDIT)
    region = db.session.get(Region, barrier.region_id)
    form = _item_form(region, formdata=None, obj=barrier)
    form.lock_version.data = barrier.lock_version
    return _edit_form(barrier, form, region)


@bp.post("/barrieres/<int:item_id>")
def save_item(item_id: int):
    barrier = load(BarrierItem, item_id, EDIT)
    region = db.session.get(Region, barrier.region_id)
    form = _item_form(region, request.form)
    if not form.validate():
        return _edit_form(barrier, form, region, 422)
    old_cell = (barrier.aspect_id, barrier.actor_id)
    with saving(form) as saved:
        services.update_item(
            barrier,
            lock_version=to_int(form.lock_version.data),
            aspect_id=form.aspect_id.data,
            actor_id=form.actor_id.data,
            kind=form.kind.data,
            description=form.description.data,
            source=form.source.data,
            status=form.status.data,
            noted_on=form.noted_on.data,
            status_on=form.status_on.data,
        )
    if saved.error:
        barrier = load(BarrierItem, item_id, EDIT)
        if saved.error.current:
            form.lock_version.data = barrier.lock_version
        return _edit_form(barrier, form, region, saved.error.status, conflict=saved.error)
    if not request.htmx:
        return htmx.redirect(url_for("analysis.item", item_id=barrier.id))
    if (barrier.aspect_id, barrier.actor_id) != old_cell:
        # Moved to another cell: both cells change, so show the whole matrix.
        anchor = f"c-{barrier.aspect_id}-{barrier.actor_id}"
        return htmx.redirect(url_for("analysis.matrix", region_id=region.id, _anchor=anchor))
    aspect = db.session.get(MatrixHeading, old_cell[0])
    actor = db.session.get(MatrixHeading, old_cell[1])
    return _cell(region, aspect, actor)


@bp.post("/barrieres/<int:item_id>/verwijderen")
def delete_item(item_id: int):
    barrier = load(BarrierItem, item_id, EDIT)
    region_id = barrier.region_id
    with saving(refuse=True):
        services.delete_item(barrier)
    flash("Het item is verwijderd.")
    return htmx.redirect(url_for("analysis.matrix", region_id=region_id))
