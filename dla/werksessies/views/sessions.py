"""A region's werksessies: the list, planning and editing, the session page, open and close."""

from __future__ import annotations

from flask import flash, request, url_for
from flask_login import current_user

from dla import htmx
from dla.agendas.models import TRANSITIONS
from dla.auth.loaders import get_region_or_404, get_session_or_404
from dla.auth.permissions import access
from dla.errors import saving
from dla.forms import choices, to_int
from dla.regions.models import Region
from dla.werksessies import planning, queries, services
from dla.werksessies.forms import SessionForm
from dla.werksessies.models import CLOSED, CONTRIBUTION_STATUSES, OPEN
from dla.werksessies.views import bp


def _region(region_id: int, need: str = "read") -> Region:
    return get_region_or_404(region_id, "lead_session" if need == "lead" else "read_sessions")


def _agenda_choices(form: SessionForm, region: Region) -> None:
    form.agenda_ids.choices = choices(
        (a.id, a.choice_label) for a in queries.region_agendas(region.id, by_level=True)
    )


@bp.get("/regios/<int:region_id>/werksessies")
def index(region_id: int):
    region = _region(region_id)
    return htmx.render(
        "werksessies/index.html",
        region=region,
        sessions=queries.region_sessions(region.id, access().readable_sessions(region.id)),
        can_lead=access().can_lead_session(region.id),
    )


@bp.route("/regios/<int:region_id>/werksessies/nieuw", methods=["GET", "POST"])
def create(region_id: int):
    region = _region(region_id, "lead")
    form = SessionForm()
    _agenda_choices(form, region)
    if request.method == "GET" and request.args.get("agenda"):
        form.agenda_ids.data = [to_int(request.args.get("agenda"))]
    if form.validate_on_submit():
        with saving(form) as saved:
            ws = planning.plan_session(region, created_by_id=current_user.id, **form.values())
        if saved.ok:
            flash("De sessie is gepland.")
            return htmx.redirect(url_for("werksessies.show", werksessie_id=ws.id))
    status = 422 if form.errors or form.form_errors else 200
    return htmx.render("werksessies/form.html", form=form, region=region, ws=None), status


@bp.route("/werksessies/<int:werksessie_id>/bewerken", methods=["GET", "POST"])
def edit(werksessie_id: int):
    ws = get_session_or_404(werksessie_id, "lead")
    form = SessionForm(obj=ws)
    _agenda_choices(form, ws.region)
    if request.method == "GET":
        form.agenda_ids.data = [link.agenda_id for link in ws.agendas]
        form.lock_version.data = ws.lock_version
    elif form.validate_on_submit():
        with saving(form) as saved:
            values = form.values()
            if ws.status != "gepland":
                values["agenda_ids"] = [link.agenda_id for link in ws.agendas]
            planning.update_session(ws, lock_version=to_int(form.lock_version.data), **values)
        if saved.ok:
            return htmx.redirect(url_for("werksessies.show", werksessie_id=ws.id))
        ws = get_session_or_404(werksessie_id, "lead")
        form.lock_version.data = ws.lock_version
        return (
            htmx.render("werksessies/form.html", form=form, region=ws.region, ws=ws),
            saved.error.status,
        )
    status = 422 if form.errors else 200
    return htmx.render("werksessies/form.html", form=form, region=ws.region, ws=ws), status


@bp.post("/werksessies/<int:werksessie_id>/verwijderen")
def delete(werksessie_id: int):
    ws = get_session_or_404(werksessie_id, "lead")
    region_id = ws.region_id
    with saving(refuse=True):
        planning.delete_session(ws)
    flash("De geplande sessie is verwijderd.")
    return htmx.redirect(url_for("werksessies.index", region_id=region_id))


@bp.get("/werksessies/<int:werksessie_id>")
def show(werksessie_id: int):
    ws = get_session_or_404(werksessie_id)
    return htmx.render("werksessies/show.html", **_show_context(ws))


def _show_context(ws, **extra) -> dict:
    context = {"ws": ws, "can_lead": access().can_lead_session(ws.region_id), **extra}
    if ws.status == OPEN:
        the_walk = queries.walk(ws)
        context["undecided"] = len(the_walk.items) - the_walk.decided
        context["walk_total"] = len(the_walk.items)
        context["join_url"] = url_for("werksessies.enter_code", _external=True)
        context["untreated"] = services.untreated_contributions(ws)
        context["close_choices"] = services.CLOSE_CHOICES
        context["pii_held"] = {c.id for c in context["untreated"] if services.is_held(c)}
    if ws.status == CLOSED:
        context["report"] = queries.report(ws)
        context["statuses"] = CONTRIBUTION_STATUSES
        context["transitions"] = TRANSITIONS
    return context


@bp.post("/werksessies/<int:werksessie_id>/openen")
def open_session(werksessie_id: int):
    ws = get_session_or_404(werksessie_id, "lead")
    with saving(refuse=True):
        services.open_session(ws, lock_version=to_int(request.form.get("lock_version")))
    flash(f"De sessie is geopend. De code is {ws.code}.")
    return htmx.redirect(url_for("werksessies.lead", werksessie_id=ws.id))


@bp.post("/werksessies/<int:werksessie_id>/sluiten")
def close(werksessie_id: int):
    ws = get_session_or_404(werksessie_id, "lead")
    with saving() as saved:
        versions = services.close_session(
            ws,
            lock_version=to_int(request.form.get("lock_version")),
            user_id=current_user.id,
            allow_undecided=request.form.get("toch_afsluiten") == "1",
            untreated=_untreated_choices(request.form),
        )
    if saved.error is not None:
        ws = get_session_or_404(werksessie_id, "lead")
        if ws.status != OPEN:
            raise saved.error
        # The close form again, with the message and the choices made so far.
        page = htmx.render(
            "werksessies/show.html",
            **_show_context(ws, close_error=saved.error, chosen=request.form),
        )
        return page, saved.error.status
    numbers = ", ".join(f"versie {v.number} van ‘{v.agenda.title}’" for v in versions)
    flash(
        f"De sessie is afgesloten; de code werkt niet meer. Nieuw concept: {numbers}. "
        "Lees het na en stel het daarna vast."
    )
    return htmx.redirect(url_for("werksessies.show", werksessie_id=ws.id))


def _untreated_choices(form) -> dict[int, tuple[str, str, int | None]]:
    """The closing choice per untreated question (``keuze-<id>``, ``reden-<id>``,
    ``agenda-<id>``); ``keuze-alle`` and ``reden-alle`` (key 0) apply to every question
    without its own choice."""
    everyone = form.get("keuze-alle", "")
    everyone_reason = form.get("reden-alle", "")
    choices: dict[int, tuple[str, str, int | None]] = {}
    if everyone:
        choices[0] = (everyone, everyone_reason, None)
    for key in form:
        if not key.startswith("keuze-") or key == "keuze-alle":
            continue
        contribution_id = to_int(key.removeprefix("keuze-"))
        if contribution_id is None:
            continue
        choice = form.get(key, "") or everyone
        reason = form.get(f"reden-{contribution_id}", "").strip() or everyone_reason
        choices[contribution_id] = (choice, reason, to_int(form.get(f"agenda-{contribution_id}")))
    return choices
