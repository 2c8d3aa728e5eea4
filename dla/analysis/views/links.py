"""Links from questions (threads) to barrier items, and escalating a question to another
agenda. Both answer with the question's barrier panel (htmx) or go back to the page."""

from flask import flash, request, url_for
from flask_login import current_user

from dla import htmx
from dla.agendas.models import MOVE, Agenda, Thread
from dla.analysis import queries, services
from dla.analysis.forms import EscalationForm, LinkForm
from dla.analysis.models import BarrierItem, BarrierLink
from dla.analysis.panels import thread_panel_context
from dla.analysis.views import bp
from dla.analysis.views.common import EDIT, load
from dla.auth.loaders import get_thread_or_404
from dla.errors import ValidationError, error_response, saving
from dla.extensions import db


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
        **thread_panel_context(thread, queries.latest_barrier(thread), **extra),
    ), status


@bp.post("/leervragen/<int:thread_id>/barrieres")
def link_thread(thread_id: int):
    thread = get_thread_or_404(thread_id, EDIT)
    form = LinkForm()
    if not form.validate():
        form.form_errors.append("Controleer de toelichting.")
        return _panel(thread, 422, link_form=form)
    barrier = db.session.get(BarrierItem, form.item_id.data) if form.item_id.data else None
    with saving(form) as saved:
        if barrier is None:
            raise ValidationError("Kies een item uit de systeemanalyse.")
        services.link_thread(thread, barrier, note=form.note.data or "")
    if saved.error:
        return _panel(db.session.get(Thread, thread_id), 422, link_form=form)
    if not request.htmx:
        return htmx.redirect(url_for("agendas.thread", thread_id=thread.id, _anchor="barrieres"))
    return _panel(thread)


@bp.post("/koppelingen/<int:link_id>/verwijderen")
def unlink(link_id: int):
    link = load(BarrierLink, link_id, EDIT)
    thread = db.session.get(Thread, link.thread_id)
    with saving(refuse=True):
        services.unlink(link)
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
    thread = get_thread_or_404(thread_id, EDIT)
    form = EscalationForm()
    if not form.validate():
        form.form_errors.append("Kies hoe de vraag gaat: verplaatsen of kopiëren.")
        return _panel(thread, 422, escalation_form=form)
    target = db.session.get(Agenda, form.agenda_id.data) if form.agenda_id.data else None
    with saving(form) as saved:
        if target is None:
            raise ValidationError("Kies de agenda waar de vraag heen gaat.")
        version, _wording = services.escalate(
            thread, target, mode=form.mode.data, note=form.note.data or "", author=current_user
        )
    if saved.error:
        return _panel(db.session.get(Thread, thread_id), 422, escalation_form=form)
    verb = "verplaatst" if form.mode.data == MOVE else "gekopieerd"
    flash(
        f"De vraag is {verb} naar de conceptversie van ‘{target.title}’. "
        "Stel die versie vast om het zichtbaar te maken."
    )
    return htmx.redirect(url_for("agendas.version", version_id=version.id))
