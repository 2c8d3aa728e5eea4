"""Pages and htmx endpoints: the system-analysis matrix, barrier items and their links,
the persistent-barriers view (the taskforce's home page), milestones and decisions, and
escalating a question to another agenda.

Everybody in the region reads; the projectleider edits the matrix, links and milestones;
the taskforce records decisions. Views parse input, call one service, commit once, render.
"""

from flask import Blueprint, abort, flash, request, url_for
from flask_login import current_user
from sqlalchemy import select

from dla import htmx
from dla.agendas.models import LEVELS, MOVE, Agenda, Thread, Version, Wording
from dla.analysis import queries, services
from dla.analysis.forms import (
    ActionForm,
    DecisionForm,
    EscalationForm,
    HeadingForm,
    ItemForm,
    LinkForm,
    MilestoneForm,
)
from dla.analysis.models import (
    ACTION_STATUSES,
    ACTOR,
    ASPECT,
    DECISION_STATUSES,
    BarrierItem,
    BarrierLink,
    Decision,
    MatrixHeading,
    Milestone,
    MilestoneAction,
    MilestoneLink,
    Precondition,
)
from dla.auth.loaders import get_in_region_or_404, get_region_or_404, get_thread_or_404
from dla.auth.permissions import access
from dla.errors import DomainError, ValidationError, error_response
from dla.extensions import db
from dla.forms import choices, to_int
from dla.measurements import queries as measurement_queries
from dla.regions.models import Region

bp = Blueprint("analysis", __name__)

# Policy methods (``Access.can_<need>``) the loaders check.
READ, EDIT, DECIDE = "read_region", "edit_analysis", "decide"


# --- rights and loaders --------------------------------------------------------------------------


def _region(region_id: int, need: str = READ) -> Region:
    return get_region_or_404(region_id, need)


def _load(model, object_id: int, need: str = READ):
    return get_in_region_or_404(model, object_id, need)


def _rights(region_id: int) -> dict:
    return {
        "editing": access().can_edit_analysis(region_id),
        "deciding": access().can_decide(region_id),
        "decision_statuses": DECISION_STATUSES,
        "action_statuses": ACTION_STATUSES,
    }


# --- the matrix ----------------------------------------------------------------------------------


@bp.get("/regios/<int:region_id>/systeemanalyse")
def matrix(region_id: int):
    region = _region(region_id)
    return htmx.render(
        "analysis/matrix.html",
        region=region,
        matrix=queries.matrix(region),
        heading_form=HeadingForm(formdata=None),
        **_rights(region.id),
    )


def _matrix_with_error(
    region: Region, message: str, status: int, form=None, field: str | None = None
):
    """The matrix page with a message: at the name field ``field`` (``new-aspect``,
    ``new-actor`` or ``h-<id>``) when the message is about the name typed there, above the
    matrix otherwise."""
    form = form or HeadingForm(formdata=None)
    if field is None:
        form.form_errors.append(message)
    return htmx.render(
        "analysis/matrix.html",
        region=region,
        matrix=queries.matrix(region),
        heading_form=form,
        heading_error={"field": field, "message": message} if field else None,
        **_rights(region.id),
    ), status


@bp.post("/regios/<int:region_id>/systeemanalyse/standaardlijsten")
def seed(region_id: int):
    region = _region(region_id, EDIT)
    services.seed_defaults(region)
    db.session.commit()
    return htmx.redirect(url_for("analysis.matrix", region_id=region.id))


@bp.post("/regios/<int:region_id>/systeemanalyse/koppen")
def add_heading(region_id: int):
    region = _region(region_id, EDIT)
    form = HeadingForm()
    field = f"new-{form.axis.data}" if form.axis.data in ("aspect", "actor") else None
    if not form.validate():
        message = " ".join([*form.name.errors, *form.axis.errors])
        return _matrix_with_error(region, message, 422, form, field)
    try:
        services.add_heading(region, axis=form.axis.data, name=form.name.data)
    except DomainError as error:
        db.session.rollback()
        region = db.session.get(Region, region_id)
        return _matrix_with_error(region, error.message, 422, form, field)
    db.session.commit()
    return htmx.redirect(url_for("analysis.matrix", region_id=region.id, _anchor="lijsten"))


@bp.post("/koppen/<int:heading_id>")
def rename_heading(heading_id: int):
    heading = _load(MatrixHeading, heading_id, EDIT)
    try:
        services.rename_heading(
            heading,
            name=request.form.get("name", ""),
            lock_version=to_int(request.form.get("lock_version")),
        )
    except DomainError as error:
        db.session.rollback()
        region = db.session.get(Region, heading.region_id)
        field = f"h-{heading_id}" if isinstance(error, ValidationError) else None
        return _matrix_with_error(region, error.message, error.status, field=field)
    db.session.commit()
    return htmx.redirect(url_for("analysis.matrix", region_id=heading.region_id, _anchor="lijsten"))


@bp.post("/koppen/<int:heading_id>/verwijderen")
def delete_heading(heading_id: int):
    heading = _load(MatrixHeading, heading_id, EDIT)
    region_id = heading.region_id
    try:
        services.delete_heading(heading)
    except DomainError as error:
        db.session.rollback()
        return _matrix_with_error(db.session.get(Region, region_id), error.message, error.status)
    db.session.commit()
    return htmx.redirect(url_for("analysis.matrix", region_id=region_id, _anchor="lijsten"))


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
        **_rights(region.id),
    ), status


@bp.get("/regios/<int:region_id>/systeemanalyse/cellen/<int:aspect_id>/<int:actor_id>")
def cell(region_id: int, aspect_id: int, actor_id: int):
    region = _region(region_id)
    aspect, actor = _cell_headings(region, aspect_id, actor_id)
    return _cell(region, aspect, actor)


@bp.get("/regios/<int:region_id>/systeemanalyse/cellen/<int:aspect_id>/<int:actor_id>/nieuw")
def new_item(region_id: int, aspect_id: int, actor_id: int):
    region = _region(region_id, EDIT)
    aspect, actor = _cell_headings(region, aspect_id, actor_id)
    form = _item_form(region, formdata=None)
    form.aspect_id.data, form.actor_id.data = aspect.id, actor.id
    return _cell(region, aspect, actor, form=form)


@bp.post("/regios/<int:region_id>/systeemanalyse/cellen/<int:aspect_id>/<int:actor_id>")
def create_item(region_id: int, aspect_id: int, actor_id: int):
    region = _region(region_id, EDIT)
    aspect, actor = _cell_headings(region, aspect_id, actor_id)
    form = _item_form(region, request.form)
    del form.aspect_id, form.actor_id  # the cell (in the URL) says where the item goes
    if form.validate():
        try:
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
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            if not request.htmx:
                return htmx.redirect(
                    url_for(
                        "analysis.matrix", region_id=region.id, _anchor=f"c-{aspect.id}-{actor.id}"
                    )
                )
            return _cell(region, aspect, actor)
    region = db.session.get(Region, region_id)
    return _cell(region, aspect, actor, form=form, status=422)


@bp.get("/barrieres/<int:item_id>")
def item(item_id: int):
    barrier = _load(BarrierItem, item_id)
    rights = access()
    where = rights.readable_versions(barrier.region_id, Version)
    return htmx.render(
        "analysis/item.html",
        item=barrier,
        region=db.session.get(Region, barrier.region_id),
        questions=queries.item_questions(barrier, where),
        decisions=queries.decisions(item_id=barrier.id),
        milestones=queries.item_milestones(barrier),
        indicators=measurement_queries.item_indicators([barrier.id])[barrier.id],
        decision_form=_decision_form(),
        **_rights(barrier.region_id),
    )


@bp.get("/barrieres/<int:item_id>/bewerken")
def edit_item(item_id: int):
    barrier = _load(BarrierItem, item_id, EDIT)
    region = db.session.get(Region, barrier.region_id)
    form = _item_form(region, formdata=None, obj=barrier)
    form.lock_version.data = barrier.lock_version
    return htmx.render(
        "analysis/item_form.html",
        "analysis/_item_edit.html",
        item=barrier,
        form=form,
        region=region,
    )


@bp.post("/barrieres/<int:item_id>")
def save_item(item_id: int):
    barrier = _load(BarrierItem, item_id, EDIT)
    region = db.session.get(Region, barrier.region_id)
    form = _item_form(region, request.form)
    conflict = None
    if form.validate():
        old_cell = (barrier.aspect_id, barrier.actor_id)
        try:
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
        except DomainError as error:
            db.session.rollback()
            barrier = _load(BarrierItem, item_id, EDIT)
            form.form_errors.append(error.message)
            form.lock_version.data = (
                barrier.lock_version if error.current else form.lock_version.data
            )
            conflict = error
        else:
            db.session.commit()
            if not request.htmx:
                return htmx.redirect(url_for("analysis.item", item_id=barrier.id))
            if (barrier.aspect_id, barrier.actor_id) != old_cell:
                # Moved to another cell: both cells change, so show the whole matrix.
                return htmx.redirect(
                    url_for(
                        "analysis.matrix",
                        region_id=region.id,
                        _anchor=f"c-{barrier.aspect_id}-{barrier.actor_id}",
                    )
                )
            aspect = db.session.get(MatrixHeading, old_cell[0])
            actor = db.session.get(MatrixHeading, old_cell[1])
            return _cell(region, aspect, actor)
    status = conflict.status if conflict else 422
    response = htmx.render(
        "analysis/item_form.html",
        "analysis/_item_edit.html",
        item=barrier,
        form=form,
        region=region,
        conflict=conflict,
    )
    if request.htmx:
        response.headers["HX-Retarget"] = f"#item-{barrier.id}"
        response.headers["HX-Reswap"] = "outerHTML"
    return response, status


@bp.post("/barrieres/<int:item_id>/verwijderen")
def delete_item(item_id: int):
    barrier = _load(BarrierItem, item_id, EDIT)
    region_id = barrier.region_id
    services.delete_item(barrier)
    db.session.commit()
    flash("Het item is verwijderd.")
    return htmx.redirect(url_for("analysis.matrix", region_id=region_id))


# --- links from threads to items, escalation -----------------------------------------------------


def _thread(thread_id: int, need: str) -> Thread:
    return get_thread_or_404(thread_id, need)


def thread_panel_context(thread: Thread, barrier: str, **extra) -> dict:
    """What the barrier panel on a question page needs (also used by the agendas view)."""
    region_id = thread.region_id
    editing = access().can_edit_analysis(region_id)
    context = {
        "panel": queries.thread_panel(thread, barrier),
        "panel_thread": thread,
        "panel_editing": editing,
        "link_form": extra.pop("link_form", None) or LinkForm(formdata=None),
        "escalation_form": extra.pop("escalation_form", None) or EscalationForm(formdata=None),
        "escalation_agendas": [],
    }
    if editing:
        source = services.escalation_source(thread)
        context["escalation_agendas"] = [
            (a.id, a.choice_label)
            for a in db.session.scalars(
                select(Agenda)
                .where(Agenda.region_id == region_id)
                .order_by(Agenda.level, Agenda.title)
            )
            if source is None or a.id != source.version.agenda_id
        ]
        context["escalation_source"] = source
    context.update(extra)
    return context


def _latest_barrier(thread: Thread) -> str:
    wording = db.session.scalar(
        select(Wording).where(Wording.thread_id == thread.id).order_by(Wording.id.desc()).limit(1)
    )
    return wording.barrier if wording is not None else ""


def _panel(thread: Thread, status: int = 200, **extra):
    # Without htmx, and for an escalation from the session screen (whose panel has no
    # escalation form), the message goes on the error page.
    hidden = "escalation_form" in extra and request.form.get("in_session") == "1"
    if status >= 400 and (not request.htmx or hidden):
        form = extra.get("link_form") or extra.get("escalation_form")
        return error_response(status, " ".join(form.form_errors))
    # The panel also sits on the werksessie facilitator screen (without escalation).
    extra.setdefault("panel_in_session", request.form.get("in_session") == "1")
    return htmx.render(
        "analysis/_thread_panel.html",
        **thread_panel_context(thread, _latest_barrier(thread), **extra),
    ), status


@bp.post("/leervragen/<int:thread_id>/barrieres")
def link_thread(thread_id: int):
    thread = _thread(thread_id, EDIT)
    form = LinkForm()
    error = None
    if form.validate():
        barrier = db.session.get(BarrierItem, form.item_id.data) if form.item_id.data else None
        try:
            if barrier is None:
                raise ValidationError("Kies een item uit de systeemanalyse.")
            services.link_thread(thread, barrier, note=form.note.data or "")
        except DomainError as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            if not request.htmx:
                return htmx.redirect(
                    url_for("agendas.thread", thread_id=thread.id, _anchor="barrieres")
                )
            return _panel(thread)
    else:
        error = "Controleer de toelichting."
    thread = db.session.get(Thread, thread_id)
    form.form_errors.append(error)
    return _panel(thread, 422, link_form=form)


@bp.post("/koppelingen/<int:link_id>/verwijderen")
def unlink(link_id: int):
    link = _load(BarrierLink, link_id, EDIT)
    thread = db.session.get(Thread, link.thread_id)
    services.unlink(link)
    db.session.commit()
    back = request.form.get("terug")
    if back == "item" or not request.htmx:
        target = (
            url_for("analysis.item", item_id=link.item_id)
            if back == "item"
            else url_for("agendas.thread", thread_id=thread.id, _anchor="barrieres")
        )
        return htmx.redirect(target)
    return _panel(thread)


@bp.post("/leervragen/<int:thread_id>/escaleren")
def escalate(thread_id: int):
    thread = _thread(thread_id, EDIT)
    form = EscalationForm()
    error = None
    if form.validate():
        target = db.session.get(Agenda, form.agenda_id.data) if form.agenda_id.data else None
        try:
            if target is None:
                raise ValidationError("Kies de agenda waar de vraag heen gaat.")
            version, _wording = services.escalate(
                thread, target, mode=form.mode.data, note=form.note.data or "", author=current_user
            )
        except DomainError as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            verb = "verplaatst" if form.mode.data == MOVE else "gekopieerd"
            flash(
                f"De vraag is {verb} naar de conceptversie van ‘{target.title}’. "
                "Stel die versie vast om het zichtbaar te maken."
            )
            return htmx.redirect(url_for("agendas.version", version_id=version.id))
    else:
        error = "Kies hoe de vraag gaat: verplaatsen of kopiëren."
    thread = db.session.get(Thread, thread_id)
    form.form_errors.append(error)
    return _panel(thread, 422, escalation_form=form)


# --- the persistent-barriers view ----------------------------------------------------------------


@bp.get("/regios/<int:region_id>/hardnekkige-barrieres")
def persistent(region_id: int):
    region = _region(region_id)
    only = request.args.get("alle") != "1"
    rows = queries.persistent_barriers(
        region, only_persistent=only, where=access().readable_versions(region.id, Version)
    )
    return htmx.render(
        "analysis/persistent.html",
        region=region,
        rows=rows,
        indicators=measurement_queries.item_indicators(row.item.id for row in rows),
        only_persistent=only,
        levels=LEVELS,
        **_rights(region.id),
    )


# --- milestones ----------------------------------------------------------------------------------


@bp.get("/regios/<int:region_id>/mijlpalen")
def milestones(region_id: int):
    region = _region(region_id)
    return htmx.render(
        "analysis/milestones.html",
        region=region,
        rows=queries.milestone_overview(region, access().readable_threads(region.id)),
        **_rights(region.id),
    )


@bp.route("/regios/<int:region_id>/mijlpalen/nieuw", methods=["GET", "POST"])
def create_milestone(region_id: int):
    region = _region(region_id, EDIT)
    form = MilestoneForm()
    if form.validate_on_submit():
        try:
            milestone = services.create_milestone(
                region,
                title=form.title.data,
                description=form.description.data or "",
                term=form.term.data or "",
                status=form.status.data,
            )
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            return htmx.redirect(url_for("analysis.milestone", milestone_id=milestone.id))
    region = db.session.get(Region, region_id)
    return htmx.render("analysis/milestone_form.html", form=form, region=region, milestone=None), (
        422 if form.errors or form.form_errors else 200
    )


def _milestone_page(milestone: Milestone, status: int = 200, **forms):
    rights = access()
    where = rights.readable_versions(milestone.region_id, Version)
    region = db.session.get(Region, milestone.region_id)
    editing = access().can_edit_analysis(region.id)
    return htmx.render(
        "analysis/milestone.html",
        region=region,
        milestone=milestone,
        links=queries.milestone_links(milestone, where),
        decisions=queries.decisions(milestone_id=milestone.id),
        threads=queries.region_threads(region, where) if editing else [],
        items=db.session.scalars(
            select(BarrierItem)
            .where(BarrierItem.region_id == region.id)
            .order_by(BarrierItem.description)
        ).all()
        if editing
        else [],
        action_form=forms.get("action_form") or ActionForm(formdata=None),
        decision_form=forms.get("decision_form") or _decision_form(),
        errors=forms.get("errors", []),
        **_rights(region.id),
    ), status


@bp.get("/mijlpalen/<int:milestone_id>")
def milestone(milestone_id: int):
    return _milestone_page(_load(Milestone, milestone_id))


@bp.route("/mijlpalen/<int:milestone_id>/bewerken", methods=["GET", "POST"])
def edit_milestone(milestone_id: int):
    milestone = _load(Milestone, milestone_id, EDIT)
    form = MilestoneForm(obj=milestone)
    status = 200
    if form.validate_on_submit():
        try:
            services.update_milestone(
                milestone,
                lock_version=to_int(form.lock_version.data),
                title=form.title.data,
                description=form.description.data or "",
                term=form.term.data or "",
                status=form.status.data,
            )
        except DomainError as error:
            db.session.rollback()
            milestone = _load(Milestone, milestone_id, EDIT)
            form.form_errors.append(error.message)
            if error.current:
                form.form_errors.append(f"Nu opgeslagen: {error.current}")
            form.lock_version.data = milestone.lock_version
            status = error.status
        else:
            db.session.commit()
            return htmx.redirect(url_for("analysis.milestone", milestone_id=milestone.id))
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
    milestone = _load(Milestone, milestone_id, EDIT)
    region_id = milestone.region_id
    services.delete_milestone(milestone)
    db.session.commit()
    flash("De mijlpaal is verwijderd.")
    return htmx.redirect(url_for("analysis.milestones", region_id=region_id))


def _back_to(milestone_id: int, anchor: str):
    return htmx.redirect(url_for("analysis.milestone", milestone_id=milestone_id, _anchor=anchor))


@bp.post("/mijlpalen/<int:milestone_id>/randvoorwaarden")
def add_precondition(milestone_id: int):
    milestone = _load(Milestone, milestone_id, EDIT)
    try:
        services.add_precondition(milestone, text=request.form.get("text", ""))
    except DomainError as error:
        db.session.rollback()
        return _milestone_page(_load(Milestone, milestone_id), 422, errors=[error.message])
    db.session.commit()
    return _back_to(milestone_id, "randvoorwaarden")


@bp.post("/randvoorwaarden/<int:precondition_id>/verwijderen")
def delete_precondition(precondition_id: int):
    precondition = _load(Precondition, precondition_id, EDIT)
    milestone_id = precondition.milestone_id
    services.delete_precondition(precondition)
    db.session.commit()
    return _back_to(milestone_id, "randvoorwaarden")


@bp.post("/mijlpalen/<int:milestone_id>/acties")
def add_action(milestone_id: int):
    milestone = _load(Milestone, milestone_id, EDIT)
    form = ActionForm()
    if form.validate():
        try:
            services.add_action(
                milestone,
                text=form.text.data,
                owner=form.owner.data or "",
                term=form.term.data or "",
                status=form.status.data,
            )
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            return _back_to(milestone_id, "acties")
    return _milestone_page(_load(Milestone, milestone_id), 422, action_form=form)


@bp.post("/acties/<int:action_id>")
def save_action(action_id: int):
    action = _load(MilestoneAction, action_id, EDIT)
    milestone_id = action.milestone_id
    fields = {k: request.form[k] for k in ("text", "owner", "term", "status") if k in request.form}
    try:
        services.update_action(
            action, lock_version=to_int(request.form.get("lock_version")), **fields
        )
    except DomainError as error:
        db.session.rollback()
        message = error.message + (f" Nu opgeslagen: {error.current}" if error.current else "")
        return _milestone_page(_load(Milestone, milestone_id), error.status, errors=[message])
    db.session.commit()
    return _back_to(milestone_id, "acties")


@bp.post("/acties/<int:action_id>/verwijderen")
def delete_action(action_id: int):
    action = _load(MilestoneAction, action_id, EDIT)
    milestone_id = action.milestone_id
    services.delete_action(action)
    db.session.commit()
    return _back_to(milestone_id, "acties")


@bp.post("/mijlpalen/<int:milestone_id>/koppelingen")
def link_milestone(milestone_id: int):
    milestone = _load(Milestone, milestone_id, EDIT)
    thread_id = to_int(request.form.get("thread_id"))
    item_id = to_int(request.form.get("item_id"))
    thread = db.session.get(Thread, thread_id) if thread_id else None
    barrier = db.session.get(BarrierItem, item_id) if item_id else None
    try:
        services.link_milestone(milestone, thread=thread, item=barrier)
    except DomainError as error:
        db.session.rollback()
        return _milestone_page(_load(Milestone, milestone_id), 422, errors=[error.message])
    db.session.commit()
    return _back_to(milestone_id, "koppelingen")


@bp.post("/mijlpaalkoppelingen/<int:link_id>/verwijderen")
def unlink_milestone(link_id: int):
    link = _load(MilestoneLink, link_id, EDIT)
    milestone_id = link.milestone_id
    services.unlink_milestone(link)
    db.session.commit()
    return _back_to(milestone_id, "koppelingen")


# --- decisions -----------------------------------------------------------------------------------


def _decision_form(formdata=None) -> DecisionForm:
    if formdata is not None:
        return DecisionForm(formdata=formdata)
    from datetime import date

    form = DecisionForm(formdata=None)
    form.decided_on.data = date.today()
    return form


@bp.post("/regios/<int:region_id>/besluiten")
def record_decision(region_id: int):
    region = _region(region_id, DECIDE)
    item_id = to_int(request.values.get("item_id"))
    milestone_id = to_int(request.values.get("milestone_id"))
    barrier = db.session.get(BarrierItem, item_id) if item_id else None
    milestone = db.session.get(Milestone, milestone_id) if milestone_id else None
    if barrier is None and milestone is None:
        abort(404)
    if any(target.region_id != region.id for target in (barrier, milestone) if target):
        abort(404)  # another region's barrier or milestone does not exist here
    form = _decision_form(request.form)
    if form.validate():
        try:
            services.record_decision(
                region,
                author=current_user,
                item=barrier,
                milestone=milestone,
                decided_on=form.decided_on.data,
                kind=form.kind.data,
                text=form.text.data,
                follow_up=form.follow_up.data or "",
                status=form.status.data,
            )
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash("Het besluit is vastgelegd.")
            if barrier is not None:
                return htmx.redirect(
                    url_for("analysis.item", item_id=barrier.id, _anchor="besluiten")
                )
            return _back_to(milestone.id, "besluiten")
    if milestone is not None:
        return _milestone_page(db.session.get(Milestone, milestone_id), 422, decision_form=form)
    barrier = db.session.get(BarrierItem, item_id)
    return htmx.render(
        "analysis/item.html",
        item=barrier,
        region=db.session.get(Region, region_id),
        questions=queries.item_questions(barrier, access().readable_versions(region_id, Version)),
        decisions=queries.decisions(item_id=barrier.id),
        milestones=queries.item_milestones(barrier),
        decision_form=form,
        **_rights(region_id),
    ), 422


@bp.post("/besluiten/<int:decision_id>")
def save_decision(decision_id: int):
    decision = _load(Decision, decision_id, DECIDE)
    fields = {k: request.form[k] for k in ("status", "follow_up") if k in request.form}
    item_id, milestone_id = decision.item_id, decision.milestone_id
    try:
        services.update_decision(
            decision, lock_version=to_int(request.form.get("lock_version")), **fields
        )
    except DomainError:
        db.session.rollback()
        raise
    db.session.commit()
    if item_id is not None:
        return htmx.redirect(url_for("analysis.item", item_id=item_id, _anchor="besluiten"))
    return _back_to(milestone_id, "besluiten")
