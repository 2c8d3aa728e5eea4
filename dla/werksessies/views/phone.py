"""The participants' routes: reached with the session's code, without logging in.

A participant is remembered by a signed cookie (the session, the participant and its
secret); every route that takes a code counts wrong codes (:mod:`dla.werksessies.throttle`).
"""

from __future__ import annotations

import hashlib

from flask import current_app, request, url_for
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer

from dla import htmx
from dla.agendas import parsing
from dla.agendas import services as agenda_services
from dla.agendas.models import Wording
from dla.auth.permissions import access
from dla.errors import DomainError, saving
from dla.extensions import db
from dla.forms import show_error, to_int
from dla.security import public
from dla.werksessies import participation, queries, room, services
from dla.werksessies.forms import CodeForm, ContributionForm, JoinForm
from dla.werksessies.models import (
    CLOSED,
    CONTRIBUTION_STATUSES,
    SOLVED,
    STILL,
    VOTES,
    Werksessie,
    normalise_code,
)
from dla.werksessies.throttle import open_session_by_code
from dla.werksessies.views import bp

COOKIE = "dla_deelname"
COOKIE_SALT = "werksessie-deelnemer"
UNKNOWN_CODE = (
    "Deze code kennen we niet. Kijk nog eens naar de code op het scherm in de zaal. "
    "Een afgesloten werksessie heeft geen code meer."
)


class UnknownCode(DomainError):
    status = 404


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=COOKIE_SALT)


def _cookie() -> dict:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return {}
    try:
        data = _serializer().loads(raw)
    except BadSignature:
        return {}
    return data if isinstance(data, dict) else {}


CLOSED_MESSAGE = (
    "Deze werksessie is afgesloten; de code werkt niet meer. Bedankt voor uw bijdrage: wat u "
    "instuurde vóór het afsluiten, is bewaard."
)
LATE_MESSAGE = (
    "Deze werksessie is afgesloten; deze vraag is daarom niet meer opgeslagen. Wat u eerder "
    "instuurde, is bewaard. Uw tekst staat hieronder, zodat u hem kunt bewaren."
)


def _find(code: str, closed_message: str = CLOSED_MESSAGE) -> tuple[Werksessie, object | None]:
    """The open session with this code and the current participant (or None).

    An unknown code is a 404; a participant whose session has closed gets a 410 for its code
    (anyone else gets the 404 of an unknown code).
    """
    cookie = _cookie()
    own_code = bool(cookie.get("c")) and cookie.get("c") == normalise_code(code)
    ws = open_session_by_code(code, own_closed_code=own_code)
    if ws is None:
        earlier = db.session.get(Werksessie, to_int(cookie.get("s")) or 0) if own_code else None
        if earlier is not None and earlier.status == CLOSED:
            raise services.SessionClosed(closed_message)
        raise UnknownCode(UNKNOWN_CODE)
    participant = None
    if cookie.get("s") == ws.id:
        participant = participation.participant_for(ws, to_int(cookie.get("p")), cookie.get("t"))
    return ws, participant


def _need_participant(participant) -> None:
    if participant is None:
        raise services.NotAllowed(
            "U doet nog niet mee aan deze sessie. Laad de pagina opnieuw en meld u aan."
        )


def _is_member(ws: Werksessie) -> bool:
    return bool(current_user.is_authenticated and access().is_member(ws.region_id))


@bp.route("/doe-mee", methods=["GET", "POST"])
@public
def enter_code():
    form = CodeForm()
    if form.validate_on_submit():
        ws = open_session_by_code(form.code.data)
        if ws is not None:
            return htmx.redirect(url_for("werksessies.phone", code=ws.code))
        form.code.errors = [*form.code.errors, UNKNOWN_CODE]
        return htmx.render("werksessies/enter_code.html", form=form), 404
    status = 422 if form.errors else 200
    return htmx.render("werksessies/enter_code.html", form=form), status


def _focus_state(ws: Werksessie, participant) -> dict:
    """The question in focus and the participant's vote on it (two small queries)."""
    focus = db.session.get(Wording, ws.focus_wording_id) if ws.focus_wording_id else None
    mine = queries.vote_of(participant.id, focus.id) if focus is not None else None
    return {
        "ws": ws,
        "participant": participant,
        "focus": focus,
        "mine": mine,
        "votes": VOTES,
        "still": STILL,
        "solved": SOLVED,
        "phone_stand": f"{focus.id if focus else 0}-{mine or ''}",
    }


def _phone_context(ws: Werksessie, participant, **extra) -> dict:
    context = _focus_state(ws, participant)
    context["contributions"] = queries.contributions_of(participant.id)
    context["statuses"] = CONTRIBUTION_STATUSES
    context["form"] = extra.pop("form", None) or ContributionForm(formdata=None)
    context.update(_shared_state(ws, participant))
    context["saved"] = False
    context.update(extra)
    return context


@bp.get("/w/<code>")
@public
def phone(code: str):
    ws, participant = _find(code)
    if participant is None:
        # The name field starts empty, also for account holders: a name is a choice.
        form = JoinForm(formdata=None)
        return htmx.render(
            "werksessies/join.html", ws=ws, form=form, may_join=ws.allow_anonymous or _is_member(ws)
        )
    return htmx.render("werksessies/phone.html", **_phone_context(ws, participant))


@bp.post("/w/<code>/aanmelden")
@public
def join(code: str):
    ws, participant = _find(code)
    if participant is not None:
        return htmx.redirect(url_for("werksessies.phone", code=ws.code))
    form = JoinForm()
    if form.validate():
        with saving(form) as saved:
            member = _is_member(ws)
            participant, token = participation.join(
                ws,
                user=current_user if member else None,
                is_member=member,
                display_name=form.display_name.data or "",
                role=form.role.data,
            )
        if saved.ok:
            response = htmx.redirect(url_for("werksessies.phone", code=ws.code))
            response.set_cookie(
                COOKIE,
                _serializer().dumps({"s": ws.id, "p": participant.id, "t": token, "c": ws.code}),
                max_age=60 * 60 * 24,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure,
            )
            return response
        error = saved.error
    else:
        error = None
    return htmx.render(
        "werksessies/join.html",
        ws=ws,
        form=form,
        may_join=ws.allow_anonymous or _is_member(ws),
    ), (error.status if error else 422)


def _composed(form: ContributionForm) -> str:
    return parsing.compose_question(form.goal.data or "", form.barrier.data or "")


@bp.post("/w/<code>/voorbeeld")
@public
def preview(code: str):
    ws, participant = _find(code)
    _need_participant(participant)
    form = ContributionForm()
    form.validate()
    text = _composed(form)
    if len(text) > agenda_services.MAX_QUESTION_LENGTH:
        return htmx.render(
            "werksessies/_too_long.html",
            length=len(text),
            limit=agenda_services.MAX_QUESTION_LENGTH,
        )
    parsed = parsing.parse_question(text) if text.strip() else None
    return htmx.render("agendas/_preview.html", parsed=parsed)


@bp.post("/w/<code>/vragen")
@public
def contribute(code: str):
    try:
        ws, participant = _find(code, LATE_MESSAGE)
    except services.SessionClosed as closed:
        if not request.htmx:
            raise
        # Not saved: say so, and give the text back (the phone keeps its draft too).
        form = ContributionForm()
        return htmx.render(
            "werksessies/_phone_closed.html",
            message=closed.message,
            text=_composed(form),
            section_id="phone-add",
        ), closed.status
    _need_participant(participant)
    form = ContributionForm()
    if form.validate():
        with saving() as saved:
            participation.add_contribution(ws, participant, text=_composed(form))
        if saved.ok:
            if not request.htmx:
                return htmx.redirect(url_for("werksessies.phone", code=ws.code))
            context = _phone_context(ws, participant, saved=True)
            return htmx.render("werksessies/_phone_add.html", **context)
        show_error(form, saved.error, form.goal)
    # Re-render with what was typed: nothing is lost (and nothing is cut).
    text = _composed(form)
    fits = len(text) <= agenda_services.MAX_QUESTION_LENGTH
    preview = parsing.parse_question(text) if text.strip() and fits else None
    context = _phone_context(ws, participant, form=form, preview=preview)
    if not request.htmx:
        return htmx.render("werksessies/phone.html", **context), 422
    return htmx.render("werksessies/_phone_add.html", **context), 422


@bp.post("/w/<code>/stem")
@public
def vote(code: str):
    ws, participant = _find(code)
    _need_participant(participant)
    with saving() as saved:
        participation.vote(
            ws,
            participant,
            wording_id=to_int(request.form.get("wording_id")),
            value=request.form.get("value", ""),
        )
    error = saved.error
    if not request.htmx:
        if error is not None:
            raise error
        return htmx.redirect(url_for("werksessies.phone", code=ws.code))
    context = _focus_state(ws, participant)
    context["vote_error"] = error
    return htmx.render("werksessies/_phone_focus.html", **context), (error.status if error else 200)


@bp.get("/w/<code>/stand")
@public
def phone_focus(code: str):
    """The question in focus on a participant's phone, polled: 204 when unchanged. After
    the session closed the answer has no poll in it: the phone stops asking."""
    try:
        ws, participant = _find(code)
    except services.SessionClosed as closed:
        if not request.htmx:
            raise
        return htmx.render(
            "werksessies/_phone_closed.html", message=closed.message, text=""
        ), closed.status
    _need_participant(participant)
    context = _focus_state(ws, participant)
    if request.args.get("stand") == context["phone_stand"]:
        return "", 204
    return htmx.render("werksessies/_phone_focus.html", **context)


def _shared_state(ws: Werksessie, participant) -> dict:
    shared = room.shared_questions(ws.id, participant.id)
    stand = "-".join(f"{s.id}.{s.upvotes}.{int(s.supported)}" for s in shared)
    return {
        "ws": ws,
        "shared": shared,
        "shared_stand": hashlib.sha256(stand.encode()).hexdigest()[:12],
    }


@bp.get("/w/<code>/nieuwe-vragen")
@public
def phone_shared(code: str):
    """The accepted new questions with their support, polled: 204 when unchanged."""
    try:
        ws, participant = _find(code)
    except services.SessionClosed:
        if not request.htmx:
            raise
        return "", 410
    _need_participant(participant)
    context = _shared_state(ws, participant)
    if request.args.get("stand") == context["shared_stand"]:
        return "", 204
    return htmx.render("werksessies/_phone_shared.html", **context)


@bp.post("/w/<code>/steun/<int:contribution_id>")
@public
def upvote(code: str, contribution_id: int):
    """Support (or withdraw support for) someone else's accepted new question."""
    ws, participant = _find(code)
    _need_participant(participant)
    with saving() as saved:
        participation.upvote(ws, participant, contribution_id)
    if not request.htmx:
        if saved.error is not None:
            raise saved.error
        return htmx.redirect(url_for("werksessies.phone", code=ws.code))
    context = _shared_state(ws, participant)
    context["shared_error"] = saved.error
    return htmx.render("werksessies/_phone_shared.html", **context), (
        saved.error.status if saved.error else 200
    )
