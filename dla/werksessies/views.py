"""Pages and htmx endpoints of werksessie mode.

Two audiences. The projectleider plans, opens, leads (the facilitator screen) and closes a
session; taskforce and onderzoekers may read it and its report (unless it reviewed a
restricted version they may not read: then it does not exist for them). Participants reach the
session only with its code (``/doe-mee``, ``/w/<code>``): with their account, or without
one when the projectleider allowed it. A participant is remembered by a signed cookie;
CSRF protection applies to them like to everyone else.
"""

from __future__ import annotations

import logging
import secrets

from flask import Blueprint, current_app, flash, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from limits import parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import select

from dla import htmx
from dla.agendas import parsing
from dla.agendas import queries as agenda_queries
from dla.agendas import services as agenda_services
from dla.agendas.history import CATEGORY_LABELS, summarise
from dla.agendas.models import DROP_REASONS, TRANSITIONS, Agenda, Wording
from dla.auth.loaders import get_region_or_404, get_session_or_404
from dla.auth.permissions import access
from dla.errors import DomainError, error_response
from dla.extensions import db, limiter
from dla.forms import choices, show_error, to_int
from dla.regions.models import Region
from dla.werksessies import queries, services
from dla.werksessies.forms import CodeForm, ContributionForm, JoinForm, SessionForm
from dla.werksessies.models import (
    CLOSED,
    CONTRIBUTION_STATUSES,
    OPEN,
    SOLVED,
    STILL,
    VOTES,
    Contribution,
    Vote,
    Werksessie,
)

log = logging.getLogger(__name__)
bp = Blueprint("werksessies", __name__)

# Reachable with a session code, without logging in (see dla.auth.views.PUBLIC_ENDPOINTS).
PARTICIPANT_ENDPOINTS = {
    "werksessies.enter_code",
    "werksessies.phone",
    "werksessies.join",
    "werksessies.contribute",
    "werksessies.preview",
    "werksessies.vote",
    "werksessies.phone_focus",
}
COOKIE = "dla_deelname"
COOKIE_SALT = "werksessie-deelnemer"
UNKNOWN_CODE = (
    "Deze code kennen we niet. Kijk nog eens naar de code op het scherm in de zaal. "
    "Een afgesloten werksessie heeft geen code meer."
)


class UnknownCode(DomainError):
    status = 404


class TooManyCodeAttempts(DomainError):
    status = 429

    def __init__(self) -> None:
        super().__init__(
            "Te veel pogingen met een verkeerde code. Wacht een paar minuten en probeer het dan "
            "opnieuw."
        )


# --- the failed-code limit -------------------------------------------------------------------
#
# One limit for every route that takes a code (/doe-mee and every /w/<code>/…). Only wrong
# codes count, and a whole room shares one address (the venue's wifi), so there are two
# counters: one per browser (a random id in its session cookie) and a much larger one per
# address. A browser over its own limit waits; the others in the room go on, and a correct
# code is never counted. Only when the address as a whole fails more often than any room
# mistypes (someone guessing codes and throwing their cookies away) is every attempt from it
# refused until the window passes.
CODE_FAILURES_PER_BROWSER = "10 per minute;30 per hour"
CODE_FAILURES_PER_ADDRESS = "100 per 10 minutes;300 per hour"
_BROWSER_KEY = "code_browser"
# Counts in this process's memory when the shared storage (Redis) does not answer.
_FALLBACK_COUNTER = MovingWindowRateLimiter(MemoryStorage())


def _code_counters() -> list[tuple[list, tuple[str, ...]]]:
    """The (limits, key) pairs that apply to this request."""
    address = get_remote_address() or "?"
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    counters = [(parse_many(CODE_FAILURES_PER_ADDRESS), (prefix, "code-address", address))]
    browser = session.get(_BROWSER_KEY)
    if isinstance(browser, str):
        counters.append(
            (parse_many(CODE_FAILURES_PER_BROWSER), (prefix, "code-browser", address, browser))
        )
    return counters


def _count(method: str, item, key: tuple[str, ...]) -> bool:
    try:
        return getattr(limiter.limiter, method)(item, *key)
    except Exception:  # the shared storage is away: count here meanwhile
        log.warning("rate limit storage unreachable; counting code attempts in memory")
        return getattr(_FALLBACK_COUNTER, method)(item, *key)


def _code_attempts_left() -> bool:
    """False when this browser or this address has failed too often (answer 429)."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    return all(_count("test", item, key) for items, key in _code_counters() for item in items)


def _code_failed() -> None:
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    if not isinstance(session.get(_BROWSER_KEY), str):
        session[_BROWSER_KEY] = secrets.token_hex(8)
    for items, key in _code_counters():
        for item in items:
            _count("hit", item, key)


def open_session_by_code(code: str | None, *, own_closed_code: bool = False) -> Werksessie | None:
    """The open session with this code, or None, under the failed-code limit (429).

    ``own_closed_code``: the browser holds a participant cookie for a session that has
    closed since, and this is that session's code: not a guess, so not counted (the phones
    of a closed session keep asking for a while; they must not use up the room's limit).
    """
    if not _code_attempts_left():
        raise TooManyCodeAttempts()
    ws = services.find_open_session(code)
    if ws is None and not own_closed_code:
        _code_failed()
    return ws


# --- loaders ---------------------------------------------------------------------------------


def _region(region_id: int, need: str = "read") -> Region:
    return get_region_or_404(region_id, "lead_session" if need == "lead" else "read_sessions")


# --- planning ------------------------------------------------------------------------------


def _agenda_choices(form: SessionForm, region: Region) -> None:
    agendas = db.session.scalars(
        select(Agenda).where(Agenda.region_id == region.id).order_by(Agenda.level, Agenda.title)
    ).all()
    form.agenda_ids.choices = choices((a.id, a.choice_label) for a in agendas)


@bp.get("/regios/<int:region_id>/werksessies")
def index(region_id: int):
    region = _region(region_id)
    query = select(Werksessie).where(Werksessie.region_id == region.id)
    readable = access().readable_sessions(region.id)
    if readable is not None:
        query = query.where(readable)
    sessions = db.session.scalars(
        query.order_by(Werksessie.session_date.desc(), Werksessie.id.desc())
    ).all()
    return htmx.render(
        "werksessies/index.html",
        region=region,
        sessions=sessions,
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
        try:
            ws = services.plan_session(region, created_by_id=current_user.id, **form.values())
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            db.session.commit()
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
        try:
            values = form.values()
            if ws.status != "gepland":
                values["agenda_ids"] = [link.agenda_id for link in ws.agendas]
            services.update_session(ws, lock_version=to_int(form.lock_version.data), **values)
        except DomainError as error:
            db.session.rollback()
            ws = get_session_or_404(werksessie_id, "lead")
            form.form_errors.append(error.message)
            form.lock_version.data = ws.lock_version
            return (
                htmx.render("werksessies/form.html", form=form, region=ws.region, ws=ws),
                error.status,
            )
        db.session.commit()
        return htmx.redirect(url_for("werksessies.show", werksessie_id=ws.id))
    status = 422 if form.errors else 200
    return htmx.render("werksessies/form.html", form=form, region=ws.region, ws=ws), status


@bp.post("/werksessies/<int:werksessie_id>/verwijderen")
def delete(werksessie_id: int):
    ws = get_session_or_404(werksessie_id, "lead")
    region_id = ws.region_id
    services.delete_session(ws)
    db.session.commit()
    flash("De geplande sessie is verwijderd.")
    return htmx.redirect(url_for("werksessies.index", region_id=region_id))


@bp.get("/werksessies/<int:werksessie_id>")
def show(werksessie_id: int):
    ws = get_session_or_404(werksessie_id)
    context = {"ws": ws, "can_lead": access().can_lead_session(ws.region_id)}
    if ws.status == OPEN:
        the_walk = queries.walk(ws)
        context["undecided"] = len(the_walk.items) - the_walk.decided
        context["walk_total"] = len(the_walk.items)
        context["join_url"] = url_for("werksessies.enter_code", _external=True)
    if ws.status == CLOSED:
        context["report"] = queries.report(ws)
        context["statuses"] = CONTRIBUTION_STATUSES
        context["transitions"] = TRANSITIONS
    return htmx.render("werksessies/show.html", **context)


@bp.post("/werksessies/<int:werksessie_id>/openen")
def open_session(werksessie_id: int):
    ws = get_session_or_404(werksessie_id, "lead")
    services.open_session(ws, lock_version=to_int(request.form.get("lock_version")))
    db.session.commit()
    flash(f"De sessie is geopend. De code is {ws.code}.")
    return htmx.redirect(url_for("werksessies.lead", werksessie_id=ws.id))


@bp.post("/werksessies/<int:werksessie_id>/sluiten")
def close(werksessie_id: int):
    ws = get_session_or_404(werksessie_id, "lead")
    versions = services.close_session(
        ws,
        lock_version=to_int(request.form.get("lock_version")),
        user_id=current_user.id,
        allow_undecided=request.form.get("toch_afsluiten") == "1",
    )
    db.session.commit()
    numbers = ", ".join(f"versie {v.number} van ‘{v.agenda.title}’" for v in versions)
    flash(
        f"De sessie is afgesloten; de code werkt niet meer. Nieuw concept: {numbers}. "
        "Lees het na en stel het daarna vast."
    )
    return htmx.redirect(url_for("werksessies.show", werksessie_id=ws.id))


# --- the facilitator screen -----------------------------------------------------------------


def _stage_context(ws: Werksessie, **extra) -> dict:
    the_walk = queries.walk(ws)
    index = the_walk.index_of(ws.focus_wording_id)
    item = the_walk.items[index] if the_walk.items else None
    agendas = [link.agenda for link in ws.agendas]
    accepted = db.session.scalars(
        select(Contribution)
        .where(Contribution.werksessie_id == ws.id, Contribution.status == "overgenomen")
        .order_by(Contribution.id)
    ).all()
    region_agendas = db.session.scalars(
        select(Agenda).where(Agenda.region_id == ws.region_id).order_by(Agenda.title)
    ).all()
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
        "accepted": accepted,
        "move_agendas": [
            a for a in region_agendas if item is None or a.id != item.wording.version.agenda_id
        ],
        "stage_error": None,
    }
    if item is not None:
        from dla.analysis.views import thread_panel_context

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
    return htmx.render("werksessies/lead.html", **context)


def _live_context(ws: Werksessie) -> dict:
    return {
        "ws": ws,
        "live": queries.live(ws),
        "overview": queries.walk_overview(ws),
        "stand": queries.fingerprint(ws.id),
        "agendas": [link.agenda for link in ws.agendas],
        "statuses": CONTRIBUTION_STATUSES,
        "votes": VOTES,
        "transitions": TRANSITIONS,
    }


@bp.get("/werksessies/<int:werksessie_id>/live")
def live(werksessie_id: int):
    """The facilitator's live panel, polled every second: 204 when nothing changed."""
    ws = get_session_or_404(werksessie_id, "lead")
    stand = queries.fingerprint(ws.id)
    if request.args.get("stand") == stand:
        return "", 204
    return htmx.render("werksessies/_live.html", **_live_context(ws))


def _stage(ws: Werksessie, status: int = 200, **extra):
    if not request.htmx:
        return htmx.redirect(url_for("werksessies.lead", werksessie_id=ws.id))
    return htmx.render("werksessies/_stage.html", **_stage_context(ws, **extra)), status


@bp.post("/werksessies/<int:werksessie_id>/focus")
def focus(werksessie_id: int):
    ws = get_session_or_404(werksessie_id, "lead")
    services.set_focus(ws, to_int(request.form.get("wording_id")))
    db.session.commit()
    return _stage(ws)


@bp.post("/werksessies/<int:werksessie_id>/besluiten/<int:wording_id>")
def decide(werksessie_id: int, wording_id: int):
    ws = get_session_or_404(werksessie_id, "lead")
    _require_open(ws)
    source = services.walk_source(ws, wording_id)
    form = request.form
    merge = form.get("merge", "")
    kind_of, _, merge_id = merge.partition("-")
    try:
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
    except DomainError as error:
        db.session.rollback()
        ws = get_session_or_404(werksessie_id, "lead")
        if not request.htmx:
            raise
        return _stage(ws, error.status, stage_error=error, values=form)
    db.session.commit()
    return _stage(ws)


@bp.post("/werksessies/<int:werksessie_id>/besluiten/<int:wording_id>/wissen")
def clear(werksessie_id: int, wording_id: int):
    ws = get_session_or_404(werksessie_id, "lead")
    _require_open(ws)
    source = services.walk_source(ws, wording_id)
    try:
        services.clear_decision(ws, source, lock=to_int(request.form.get("lock")))
    except DomainError as error:
        db.session.rollback()
        ws = get_session_or_404(werksessie_id, "lead")
        if not request.htmx:
            raise
        return _stage(ws, error.status, stage_error=error)
    db.session.commit()
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
    accepted = db.session.scalars(
        select(Contribution)
        .where(
            Contribution.werksessie_id == ws.id,
            Contribution.status == "overgenomen",
            Contribution.id != contribution.id,
        )
        .order_by(Contribution.id)
    ).all()
    return {
        "ws": ws,
        "c": contribution,
        "accepted": accepted,
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
    error = None
    try:
        services.handle_contribution(
            ws,
            contribution,
            form.get("action", ""),
            lock_version=to_int(form.get("lock_version")),
            text=form.get("text"),
            agenda_id=to_int(form.get("agenda_id")),
            merge_into_id=to_int(merge_id) if kind_of == "c" else None,
            merge_wording_id=to_int(merge_id) if kind_of == "w" else None,
        )
    except DomainError as exc:
        db.session.rollback()
        ws = get_session_or_404(werksessie_id, "lead")
        error = exc
    else:
        db.session.commit()
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


# --- report, handout, what changed ---------------------------------------------------------


class NotYet(DomainError):
    status = 409


def _closed(ws: Werksessie) -> None:
    if ws.status != CLOSED:
        raise NotYet("Dit is er pas als de sessie is afgesloten.")


def _concepts(ws: Werksessie):
    """The concept versions the session made that the current user may read."""
    rights = access()
    for link in ws.agendas:
        version = (
            agenda_services.load_version(link.concept_version_id)
            if link.concept_version_id
            else None
        )
        if version is not None and rights.can_read_version(version):
            yield link, version


@bp.get("/werksessies/<int:werksessie_id>/verslag")
def report(werksessie_id: int):
    ws = get_session_or_404(werksessie_id)
    _closed(ws)
    return htmx.render(
        "werksessies/report_print.html",
        ws=ws,
        report=queries.report(ws),
        statuses=CONTRIBUTION_STATUSES,
        transitions=TRANSITIONS,
    )


@bp.get("/werksessies/<int:werksessie_id>/hand-out")
def handout(werksessie_id: int):
    """The new version(s) as printable DLA documents (the export layout)."""
    from dla.exports import services as export_services
    from dla.exports import writers

    ws = get_session_or_404(werksessie_id)
    _closed(ws)
    documents = []
    for _link, version in _concepts(ws):
        document = export_services.version_document(version)
        documents.append(
            {"version": version, "document": document, "lines": writers.document_lines(document)}
        )
    return htmx.render("werksessies/handout.html", ws=ws, documents=documents)


@bp.get("/werksessies/<int:werksessie_id>/wat-is-veranderd")
def changes(werksessie_id: int):
    """One page per agenda: what the session changed (the agendas compare)."""
    ws = get_session_or_404(werksessie_id)
    _closed(ws)
    pages = []
    for link, version in _concepts(ws):
        old = link.source_version
        rows = agenda_queries.compare_versions(old, version) if old is not None else []
        pages.append(
            {
                "agenda": link.agenda,
                "old": old,
                "new": version,
                "rows": rows,
                "counts": summarise(rows),
            }
        )
    return htmx.render(
        "werksessies/changes.html", ws=ws, pages=pages, category_labels=CATEGORY_LABELS
    )


# --- participants (by code) ----------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    from flask import current_app

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


def _find(code: str) -> tuple[Werksessie, object | None]:
    """The open session with this code and the current participant (or None).

    An unknown code is a 404; a participant whose session has closed gets a 410 for its code
    (anyone else gets the 404 of an unknown code).
    """
    cookie = _cookie()
    own_code = bool(cookie.get("c")) and cookie.get("c") == services.normalise_code(code)
    ws = open_session_by_code(code, own_closed_code=own_code)
    if ws is None:
        earlier = db.session.get(Werksessie, to_int(cookie.get("s")) or 0) if own_code else None
        if earlier is not None and earlier.status == CLOSED:
            raise services.SessionClosed(
                "Deze werksessie is afgesloten; de code werkt niet meer. Bedankt voor uw "
                "bijdrage: alles wat u instuurde is bewaard."
            )
        raise UnknownCode(UNKNOWN_CODE)
    participant = None
    if cookie.get("s") == ws.id:
        participant = services.participant_for(ws, to_int(cookie.get("p")), cookie.get("t"))
    return ws, participant


def _need_participant(participant) -> None:
    if participant is None:
        raise services.NotAllowed(
            "U doet nog niet mee aan deze sessie. Laad de pagina opnieuw en meld u aan."
        )


def _is_member(ws: Werksessie) -> bool:
    return bool(current_user.is_authenticated and access().is_member(ws.region_id))


@bp.route("/doe-mee", methods=["GET", "POST"])
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
    mine = None
    if focus is not None:
        mine = db.session.scalar(
            select(Vote.value).where(
                Vote.participant_id == participant.id, Vote.wording_id == focus.id
            )
        )
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
    context["contributions"] = db.session.scalars(
        select(Contribution)
        .where(Contribution.participant_id == participant.id)
        .order_by(Contribution.id.desc())
    ).all()
    context["statuses"] = CONTRIBUTION_STATUSES
    context["form"] = extra.pop("form", None) or ContributionForm(formdata=None)
    context["saved"] = False
    context.update(extra)
    return context


@bp.get("/w/<code>")
def phone(code: str):
    ws, participant = _find(code)
    if participant is None:
        form = JoinForm(formdata=None)
        if current_user.is_authenticated:
            form.display_name.data = current_user.name
        return htmx.render(
            "werksessies/join.html", ws=ws, form=form, may_join=ws.allow_anonymous or _is_member(ws)
        )
    return htmx.render("werksessies/phone.html", **_phone_context(ws, participant))


@bp.post("/w/<code>/aanmelden")
def join(code: str):
    ws, participant = _find(code)
    if participant is not None:
        return htmx.redirect(url_for("werksessies.phone", code=ws.code))
    form = JoinForm()
    error = None
    if form.validate():
        try:
            member = _is_member(ws)
            participant, token = services.join(
                ws,
                user=current_user if member else None,
                is_member=member,
                display_name=form.display_name.data or "",
                role=form.role.data,
            )
        except DomainError as exc:
            db.session.rollback()
            error = exc
        else:
            db.session.commit()
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
    if error is not None:
        form.form_errors.append(error.message)
    return htmx.render(
        "werksessies/join.html",
        ws=ws,
        form=form,
        may_join=ws.allow_anonymous or _is_member(ws),
    ), (error.status if error else 422)


def _composed(form: ContributionForm) -> str:
    return parsing.compose_question(form.goal.data or "", form.barrier.data or "")


@bp.post("/w/<code>/voorbeeld")
def preview(code: str):
    ws, participant = _find(code)
    _need_participant(participant)
    form = ContributionForm()
    form.validate()
    text = _composed(form)[: agenda_services.MAX_QUESTION_LENGTH]
    parsed = parsing.parse_question(text) if text.strip() else None
    return htmx.render("agendas/_preview.html", parsed=parsed)


@bp.post("/w/<code>/vragen")
def contribute(code: str):
    ws, participant = _find(code)
    _need_participant(participant)
    form = ContributionForm()
    if form.validate():
        try:
            services.add_contribution(ws, participant, text=_composed(form))
        except DomainError as error:
            db.session.rollback()
            show_error(form, error, form.goal)
        else:
            db.session.commit()
            if not request.htmx:
                return htmx.redirect(url_for("werksessies.phone", code=ws.code))
            context = _phone_context(ws, participant, saved=True)
            return htmx.render("werksessies/_phone_add.html", **context)
    # Re-render with what was typed: nothing is lost.
    text = _composed(form)[: agenda_services.MAX_QUESTION_LENGTH]
    preview = parsing.parse_question(text) if text.strip() else None
    context = _phone_context(ws, participant, form=form, preview=preview)
    if not request.htmx:
        return htmx.render("werksessies/phone.html", **context), 422
    return htmx.render("werksessies/_phone_add.html", **context), 422


@bp.post("/w/<code>/stem")
def vote(code: str):
    ws, participant = _find(code)
    _need_participant(participant)
    error = None
    try:
        services.vote(
            ws,
            participant,
            wording_id=to_int(request.form.get("wording_id")),
            value=request.form.get("value", ""),
        )
    except DomainError as exc:
        db.session.rollback()
        error = exc
    else:
        db.session.commit()
    if not request.htmx:
        if error is not None:
            raise error
        return htmx.redirect(url_for("werksessies.phone", code=ws.code))
    context = _focus_state(ws, participant)
    context["vote_error"] = error
    return htmx.render("werksessies/_phone_focus.html", **context), (error.status if error else 200)


@bp.get("/w/<code>/stand")
def phone_focus(code: str):
    """The question in focus on a participant's phone, polled: 204 when unchanged."""
    ws, participant = _find(code)
    _need_participant(participant)
    context = _focus_state(ws, participant)
    if request.args.get("stand") == context["phone_stand"]:
        return "", 204
    return htmx.render("werksessies/_phone_focus.html", **context)
