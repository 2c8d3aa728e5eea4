"""The taskforce's decisions on a barrier item or a milestone."""

from flask import abort, flash, request, url_for
from flask_login import current_user

from dla import htmx
from dla.analysis import services
from dla.analysis.models import BarrierItem, Decision, Milestone
from dla.analysis.views import bp
from dla.analysis.views.common import DECIDE, decision_form, load, load_region
from dla.analysis.views.items import item_page
from dla.analysis.views.milestones import back_to, milestone_page
from dla.errors import saving
from dla.extensions import db
from dla.forms import parse_dutch_date, to_int


@bp.post("/regios/<int:region_id>/besluiten")
def record_decision(region_id: int):
    region = load_region(region_id, DECIDE)
    item_id = to_int(request.values.get("item_id"))
    milestone_id = to_int(request.values.get("milestone_id"))
    barrier = db.session.get(BarrierItem, item_id) if item_id else None
    milestone = db.session.get(Milestone, milestone_id) if milestone_id else None
    if barrier is None and milestone is None:
        abort(404)
    if any(target.region_id != region.id for target in (barrier, milestone) if target):
        abort(404)  # another region's barrier or milestone does not exist here
    form = decision_form(request.form)
    if form.validate():
        with saving(form) as saved:
            services.record_decision(
                region,
                author=current_user,
                item=barrier,
                milestone=milestone,
                decided_on=form.decided_on.data,
                kind=form.kind.data,
                text=form.text.data,
                follow_up=form.follow_up.data or "",
                owner=form.owner.data or "",
                due_on=form.due_on.data,
                status=form.status.data,
            )
        if saved.ok:
            flash("Het besluit is vastgelegd.", "besluiten")
            if barrier is not None:
                return htmx.redirect(
                    url_for("analysis.item", item_id=barrier.id, _anchor="besluiten")
                )
            return back_to(milestone.id, "besluiten")
    if milestone is not None:
        return milestone_page(db.session.get(Milestone, milestone_id), 422, decision_form=form)
    return item_page(db.session.get(BarrierItem, item_id), form=form, status=422)


@bp.post("/besluiten/<int:decision_id>")
def save_decision(decision_id: int):
    decision = load(Decision, decision_id, DECIDE)
    fields = {k: request.form[k] for k in ("status", "follow_up", "owner") if k in request.form}
    if "due_on" in request.form:
        try:
            fields["due_on"] = parse_dutch_date(request.form["due_on"])
        except ValueError:
            fields["due_on"] = request.form["due_on"]  # the service refuses it in Dutch
    item_id, milestone_id = decision.item_id, decision.milestone_id
    with saving(refuse=True):
        services.update_decision(
            decision,
            lock_version=to_int(request.form.get("lock_version")),
            author=current_user,
            **fields,
        )
    flash("Het besluit is bijgewerkt.", "besluiten")
    if item_id is not None:
        return htmx.redirect(url_for("analysis.item", item_id=item_id, _anchor="besluiten"))
    return back_to(milestone_id, "besluiten")
