"""The facilitator screen: the walk through the questions, the question in focus, the
group's decisions and the questions participants sent in (the live panel)."""

from __future__ import annotations

from flask import flash, request, url_for
from flask_login import current_user

from dla import htmx
from dla.agendas.models import DROP_REASONS, TRANSITIONS
from dla.analysis.panels import thread_panel_context
from dla.auth.loaders import get_session_or_404
from dla.errors import error_response, saving
from dla.extensions import db
from dla.forms import to_int
from dla.werksessies import participation, queries, services
from dla.werksessies.models import CONTRIBUTION_STATUSES, OPEN, VOTES, Contribution, Werksessie
from dla.werksessies.views import bp


def _stage_context(ws: Werksessie, **extra) -> dict:
    the_walk = queries.walk(ws)
    index = the_walk.index_of(ws.focus_wording_id)
    item = the_walk.items[index] if the_walk.items else None
    agendas = [link.agenda for link in ws.agendas]
    context = {
        "ws": ws,
        "walk": the_walk,
        "item": item,
        "index": index,
        "previous_item": the_walk.items[index - 1] if item and index > 0 else None,
        "next_item": the_walk.items[index + 1]
        if item and index + 1 < len(the_walk.items)
        else None,
        "transitions": TRANSITIONS,
        "drop_reasons": DROP_REASONS,
        "agendas": agendas,
        "accepted": queries.accepted_contributions(ws.id),
        "move_agendas": [
            a
            for a in queries.region_agendas(ws.region_id)
            if item is None or a.id != item.wording.version.agenda_id
        ],
        "stage_error": None,
        "timer_choices": services.TIMER_CHOICES,
    }
    if item is not None:
        # The question's barriers, with suggestions to link; escalating is a transition here.
        context.update(
            thread_panel_context(item.wording.thread, item.wording.barrier, panel_in_session=True)
        )
    context.update(extra)
    return context


def _require_open(ws: Werksessie) -> None:
    if ws.status != OPEN:
        services.require_status(ws, OPEN)


@bp.get("/werksessies/<int:werksessie_id>/leiden")
def lead(werksessie_id: int):
    ws = get_session_or_404(werksessie_id, "lead")
    _require_open(ws)
    context = _stage_context(ws)
    context.update(_live_context(ws))
    context["join_url"] = url_for("werksessies.enter_code", _external=True)
    context["short_url"] = url_for("werksessies.phone", code=ws.code, _external=True)
    return htmx.render("werksessies/lead.html", **context)


def _live_context(ws: Werksessie, stand: str | None = None) -> dict:
    stand = stand or queries.fingerprint(ws)  # before the content: see queries.fingerprint
    return {
        "ws": ws,
        "live": queries.live(ws),
        "overview": queries.walk_overview(ws),
        "stand": stand,
        "agendas": [link.agenda for link in ws.agendas],
        "statuses": CONTRIBUTION_STATUSES,
        "votes": VOTES,
        "transitions": TRANSITIONS,
    }


@bp.get("/werksessies/<int:werksessie_id>/live")
def live(werksessie_id: int):
    """The facilitator's live panel, polled every second: 204 when nothing changed."""
    ws = get_session_or_404(werksessie_id, "lead")
    stand = queries.fingerprint(ws)
    if request.args.get("stand") == stand:
        return "", 204
    if ws.status != OPEN:
        # The session was closed (in another tab): stop polling and stop showing the code.
        return htmx.render("werksessies/_live_closed.html", ws=ws)
    return htmx.render("werksessies/_live.html", **_live_context(ws, stand))


def _stage(ws: Werksessie, status: int = 200, **extra):
    if not request.htmx:
        return htmx.redirect(url_for("werksessies.lead", werksessie_id=ws.id))
    return htmx.render("werksessies/_stage.html", **_stage_context(ws, **extra)), status


@bp.post("/werksessies/<int:werksessie_id>/focus")
def focus(werksessie_id: int):
    ws = get_session_or_404(werksessie_id, "lead")
    with saving(refuse=True):
        services.set_focus(ws, to_int(request.form.get("wording_id")))
    return _stage(ws)


@bp.post("/werksessies/<int:werksessie_id>/besluiten/<int:wording_id>")
def decide(werksessie_id: int, wording_id: int):
    ws = get_session_or_404(werksessie_id, "lead")
    _require_open(ws)
    source = services.walk_source(ws, wording_id)
    form = request.form
    merge = form.get("merge", "")
    kind_of, _, merge_id = merge.partition("-")
    with saving() as saved:
        services.decide(
            ws,
            source,
            form.get("kind", ""),
            lock=to_int(form.get("lock")),
            note=form.get("note", ""),
            reason=form.get("reason", ""),
            text=form.get("text", ""),
            split_texts=[line for line in form.get("split_texts", "").splitlines()],
            merge_wording_id=to_int(merge_id) if kind_of == "w" else None,
            merge_contribution_id=to_int(merge_id) if kind_of == "c" else None,
            target_agenda_id=to_int(form.get("target_agenda")),
            user_id=current_user.id,
        )
    if saved.error:
        ws = get_session_or_404(werksessie_id, "lead")
        if not request.htmx:
            raise saved.error
        return _stage(ws, saved.error.status, stage_error=saved.error, values=form)
    return _stage(ws)


@bp.post("/werksessies/<int:werksessie_id>/besluiten/<int:wording_id>/wissen")
def clear(werksessie_id: int, wording_id: int):
    ws = get_session_or_404(werksessie_id, "lead")
    _require_open(ws)
    source = services.walk_source(ws, wording_id)
    with saving() as saved:
        services.clear_decision(ws, source, lock=to_int(request.form.get("lock")))
    if saved.error:
        ws = get_session_or_404(werksessie_id, "lead")
        if not request.htmx:
            raise saved.error
        return _stage(ws, saved.error.status, stage_error=saved.error)
    return _stage(ws)


@bp.get("/werksessies/<int:werksessie_id>/inbreng/<int:contribution_id>/bewerken")
def edit_contribution(werksessie_id: int, contribution_id: int):
    """The editor of one incoming question (loaded on demand: the live panel stays small)."""
    ws = get_session_or_404(werksessie_id, "lead")
    _require_open(ws)
    contribution = db.get_or_404(Contribution, contribution_id)
    if contribution.werksessie_id != ws.id:
        return error_response(404, "Deze vraag hoort niet bij deze sessie.")
    return htmx.render("werksessies/_contribution_edit.html", **_editor_context(ws, contribution))


def _editor_context(ws: Werksessie, contribution: Contribution) -> dict:
    return {
        "ws": ws,
        "c": contribution,
        "accepted": queries.accepted_contributions(ws.id, but=contribution.id),
        "overview": queries.walk_overview(ws),
        "agendas": [link.agenda for link in ws.agendas],
    }


@bp.post("/werksessies/<int:werksessie_id>/inbreng/<int:contribution_id>")
def handle(werksessie_id: int, contribution_id: int):
    """Accept, edit, merge or set aside an incoming question; answers the live panel."""
    ws = get_session_or_404(werksessie_id, "lead")
    contribution = db.get_or_404(Contribution, contribution_id)
    if contribution.werksessie_id != ws.id:
        return error_response(404, "Deze vraag hoort niet bij deze sessie.")
    form = request.form
    merge = form.get("merge", "")
    kind_of, _, merge_id = merge.partition("-")
    with saving() as saved:
        participation.handle_contribution(
            ws,
            contribution,
            form.get("action", ""),
            lock_version=to_int(form.get("lock_version")),
            text=form.get("text"),
            agenda_id=to_int(form.get("agenda_id")),
            merge_into_id=to_int(merge_id) if kind_of == "c" else None,
            merge_wording_id=to_int(merge_id) if kind_of == "w" else None,
        )
    error = saved.error
    if error is not None:
        ws = get_session_or_404(werksessie_id, "lead")
    if not request.htmx:
        if error is not None:
            raise error
        return htmx.redirect(url_for("werksessies.lead", werksessie_id=ws.id))
    if error is not None:
        if ws.status != OPEN:
            raise error
        # Keep what the facilitator typed, with the message, in the question's editor.
        response = htmx.render(
            "werksessies/_contribution_edit.html",
            **_editor_context(ws, db.session.get(Contribution, contribution_id)),
            error=error,
            text=form.get("text", ""),
        )
        response.headers["HX-Retarget"] = f"#c-{contribution_id}-edit"
        response.headers["HX-Reswap"] = "innerHTML"
        return response, error.status
    return htmx.render("werksessies/_live.html", **_live_context(ws))


@bp.post("/werksessies/<int:werksessie_id>/onthullen")
def reveal(werksessie_id: int):
    """Show (or hide again) the votes of the question in focus on the audience view."""
    ws = get_session_or_404(werksessie_id, "lead")
    with saving(refuse=True):
        services.reveal_votes(
            ws, to_int(request.form.get("wording_id")), show=request.form.get("show") == "1"
        )
    return _stage(ws)


@bp.post("/werksessies/<int:werksessie_id>/timer")
def timer(werksessie_id: int):
    """Start or stop the countdown shown on the audience view."""
    ws = get_session_or_404(werksessie_id, "lead")
    with saving(refuse=True):
        services.start_timer(ws, to_int(request.form.get("seconds")))
    return _stage(ws)


@bp.post("/werksessies/<int:werksessie_id>/inbreng/<int:contribution_id>/wissen")
def erase(werksessie_id: int, contribution_id: int):
    """Erase personal data from what a participant sent, everywhere it is kept (open or
    closed session: a projectleider may find it later)."""
    ws = get_session_or_404(werksessie_id, "lead")
    contribution = db.get_or_404(Contribution, contribution_id)
    if contribution.werksessie_id != ws.id:
        return error_response(404, "Deze vraag hoort niet bij deze sessie.")
    with saving() as saved:
        participation.erase_personal_data(contribution, text=request.form.get("text", ""))
    if saved.error is not None and (not request.htmx or ws.status != OPEN):
        raise saved.error
    if ws.status != OPEN:
        flash("De persoonsgegevens zijn gewist. In het logboek staat: tekst geanonimiseerd.")
        if contribution.wording_id is not None:
            flash(
                "Let op: deze vraag staat ook als vraag in de nieuwe versie. Pas hem daar aan "
                "als de persoonsgegevens er nog in staan."
            )
        return htmx.redirect(url_for("werksessies.show", werksessie_id=ws.id))
    if saved.error is not None:
        ws = get_session_or_404(werksessie_id, "lead")
        response = htmx.render(
            "werksessies/_contribution_edit.html",
            **_editor_context(ws, db.session.get(Contribution, contribution_id)),
            error=saved.error,
            text=request.form.get("text", ""),
        )
        response.headers["HX-Retarget"] = f"#c-{contribution_id}-edit"
        response.headers["HX-Reswap"] = "innerHTML"
        return response, saved.error.status
    return htmx.render("werksessies/_live.html", **_live_context(ws))
