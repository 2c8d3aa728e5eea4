"""Milestones of a region: the overview, one milestone with its preconditions, actions and
links to questions and items."""

from flask import flash, request, url_for

from dla import htmx
from dla.agendas.models import Thread, Version
from dla.analysis import queries, services
from dla.analysis.forms import ActionForm, MilestoneForm
from dla.analysis.models import BarrierItem, Milestone, MilestoneAction, MilestoneLink, Precondition
from dla.analysis.views import bp
from dla.analysis.views.common import EDIT, decision_form, load, load_region, rights
from dla.auth.permissions import access
from dla.errors import saving
from dla.extensions import db
from dla.forms import to_int
from dla.regions.models import Region


@bp.get("/regios/<int:region_id>/mijlpalen")
def milestones(region_id: int):
    region = load_region(region_id)
    return htmx.render(
        "analysis/milestones.html",
        region=region,
        rows=queries.milestone_overview(region, access().readable_threads(region.id)),
        **rights(region.id),
    )


@bp.route("/regios/<int:region_id>/mijlpalen/nieuw", methods=["GET", "POST"])
def create_milestone(region_id: int):
    region = load_region(region_id, EDIT)
    form = MilestoneForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            milestone = services.create_milestone(
                region,
                title=form.title.data,
                description=form.description.data or "",
                term=form.term.data or "",
                due_on=form.due_on.data,
                status=form.status.data,
            )
        if saved.ok:
            return htmx.redirect(url_for("analysis.milestone", milestone_id=milestone.id))
    region = db.session.get(Region, region_id)
    return htmx.render("analysis/milestone_form.html", form=form, region=region, milestone=None), (
        422 if form.errors or form.form_errors else 200
    )


def milestone_page(milestone: Milestone, status: int = 200, **forms):
    """The milestone's page; ``forms`` may bring ``action_form`` or ``decision_form`` with
    their errors, or ``errors``: messages shown above the page."""
    where = access().readable_versions(milestone.region_id, Version)
    region = db.session.get(Region, milestone.region_id)
    editing = access().can_edit_analysis(region.id)
    return htmx.render(
        "analysis/milestone.html",
        region=region,
        milestone=milestone,
        links=queries.milestone_links(milestone, where),
        decisions=queries.decisions(milestone_id=milestone.id),
        threads=queries.region_threads(region, where) if editing else [],
        items=queries.region_items(region) if editing else [],
        action_form=forms.get("action_form") or ActionForm(formdata=None),
        decision_form=forms.get("decision_form") or decision_form(),
        errors=forms.get("errors", []),
        **rights(region.id),
    ), status


def back_to(milestone_id: int, anchor: str):
    return htmx.redirect(url_for("analysis.milestone", milestone_id=milestone_id, _anchor=anchor))


@bp.get("/mijlpalen/<int:milestone_id>")
def milestone(milestone_id: int):
    return milestone_page(load(Milestone, milestone_id))


@bp.route("/mijlpalen/<int:milestone_id>/bewerken", methods=["GET", "POST"])
def edit_milestone(milestone_id: int):
    milestone = load(Milestone, milestone_id, EDIT)
    form = MilestoneForm(obj=milestone)
    status = 200
    if form.validate_on_submit():
        with saving(form) as saved:
            services.update_milestone(
                milestone,
                lock_version=to_int(form.lock_version.data),
                title=form.title.data,
                description=form.description.data or "",
                term=form.term.data or "",
                due_on=form.due_on.data,
                status=form.status.data,
            )
        if saved.ok:
            return htmx.redirect(url_for("analysis.milestone", milestone_id=milestone.id))
        milestone = load(Milestone, milestone_id, EDIT)
        if saved.error.current:
            form.form_errors.append(f"Nu opgeslagen: {saved.error.current}")
        form.lock_version.data = milestone.lock_version
        status = saved.error.status
    elif request.method == "GET":
        form.lock_version.data = milestone.lock_version
    else:
        status = 422
    region = db.session.get(Region, milestone.region_id)
    return htmx.render(
        "analysis/milestone_form.html", form=form, region=region, milestone=milestone
    ), status


@bp.post("/mijlpalen/<int:milestone_id>/verwijderen")
def delete_milestone(milestone_id: int):
    milestone = load(Milestone, milestone_id, EDIT)
    region_id = milestone.region_id
    with saving(refuse=True):
        services.delete_milestone(milestone)
    flash("De mijlpaal is verwijderd.")
    return htmx.redirect(url_for("analysis.milestones", region_id=region_id))


# --- preconditions -------------------------------------------------------------------------------


@bp.post("/mijlpalen/<int:milestone_id>/randvoorwaarden")
def add_precondition(milestone_id: int):
    milestone = load(Milestone, milestone_id, EDIT)
    with saving() as saved:
        services.add_precondition(milestone, text=request.form.get("text", ""))
    if saved.error:
        return milestone_page(load(Milestone, milestone_id), 422, errors=[saved.message])
    return back_to(milestone_id, "randvoorwaarden")


@bp.post("/randvoorwaarden/<int:precondition_id>/verwijderen")
def delete_precondition(precondition_id: int):
    precondition = load(Precondition, precondition_id, EDIT)
    milestone_id = precondition.milestone_id
    with saving(refuse=True):
        services.delete_precondition(precondition)
    return back_to(milestone_id, "randvoorwaarden")


# --- actions -------------------------------------------------------------------------------------


@bp.post("/mijlpalen/<int:milestone_id>/acties")
def add_action(milestone_id: int):
    milestone = load(Milestone, milestone_id, EDIT)
    form = ActionForm()
    if form.validate():
        with saving(form) as saved:
            services.add_action(
                milestone,
                text=form.text.data,
                owner=form.owner.data or "",
                term=form.term.data or "",
                status=form.status.data,
            )
        if saved.ok:
            return back_to(milestone_id, "acties")
    return milestone_page(load(Milestone, milestone_id), 422, action_form=form)


@bp.post("/acties/<int:action_id>")
def save_action(action_id: int):
    action = load(MilestoneAction, action_id, EDIT)
    milestone_id = action.milestone_id
    fields = {k: request.form[k] for k in ("text", "owner", "term", "status") if k in request.form}
    with saving() as saved:
        services.update_action(
            action, lock_version=to_int(request.form.get("lock_version")), **fields
        )
    if saved.error:
        current = saved.error.current
        message = saved.message + (f" Nu opgeslagen: {current}" if current else "")
        return milestone_page(load(Milestone, milestone_id), saved.error.status, errors=[message])
    return back_to(milestone_id, "acties")


@bp.post("/acties/<int:action_id>/verwijderen")
def delete_action(action_id: int):
    action = load(MilestoneAction, action_id, EDIT)
    milestone_id = action.milestone_id
    with saving(refuse=True):
        services.delete_action(action)
    return back_to(milestone_id, "acties")


# --- links to questions and items ----------------------------------------------------------------


@bp.post("/mijlpalen/<int:milestone_id>/koppelingen")
def link_milestone(milestone_id: int):
    milestone = load(Milestone, milestone_id, EDIT)
    thread_id = to_int(request.form.get("thread_id"))
    item_id = to_int(request.form.get("item_id"))
    thread = db.session.get(Thread, thread_id) if thread_id else None
    barrier = db.session.get(BarrierItem, item_id) if item_id else None
    with saving() as saved:
        services.link_milestone(milestone, thread=thread, item=barrier)
    if saved.error:
        return milestone_page(load(Milestone, milestone_id), 422, errors=[saved.message])
    return back_to(milestone_id, "koppelingen")


@bp.post("/mijlpaalkoppelingen/<int:link_id>/verwijderen")
def unlink_milestone(link_id: int):
    link = load(MilestoneLink, link_id, EDIT)
    milestone_id = link.milestone_id
    with saving(refuse=True):
        services.unlink_milestone(link)
    return back_to(milestone_id, "koppelingen")
