"""What happened to each question of the previous version: the decision editor, deciding,
undoing a decision, and bringing back a question that skipped versions."""

from flask import request

from dla import htmx
from dla.agendas import queries, services, transitions
from dla.agendas.forms import TransitionForm, lines
from dla.agendas.models import Agenda, Version, Wording
from dla.agendas.views import bp
from dla.agendas.views.workspace import save_change, workspace
from dla.auth.loaders import get_version_or_404, get_wording_or_404
from dla.errors import error_response, saving
from dla.extensions import db
from dla.forms import choices


def _transition_form(version: Version, source: Wording, formdata=None) -> TransitionForm:
    prefix = f"t{source.id}-"
    form = (
        TransitionForm(formdata=formdata, id_prefix=prefix)
        if formdata is not None
        else TransitionForm(formdata=None, id_prefix=prefix)
    )
    form.merge_into.choices = choices(
        [("", "Kies …")]
        + [
            (w.id, f"{w.label}. {w.full_text[:90]}")
            for w in services.ordered_wordings(version)
            if w.thread_id != source.thread_id
        ]
    )
    others = queries.region_agendas(version.agenda.region_id, besides=version.agenda_id)
    form.target_agenda.choices = choices(
        [("", "Kies …")] + [(a.id, a.choice_label) for a in others]
    )
    if formdata is None:
        current = source.transition
        form.expected.data = current.kind if current else ""
        if current is not None:
            form.kind.data = current.kind
            form.note.data = current.note
            form.reason.data = current.reason
        copy = next((w for w in version.wordings if w.thread_id == source.thread_id), None)
        form.text.data = copy.full_text if copy is not None else source.full_text
    return form


@bp.get("/versies/<int:version_id>/overgangen/<int:wording_id>")
def transition_editor(version_id: int, wording_id: int):
    version = get_version_or_404(version_id, "edit")
    services.ensure_concept(version)
    source = get_wording_or_404(wording_id, "read")
    form = _transition_form(version, source)
    return htmx.render("agendas/_transition_edit.html", version=version, source=source, form=form)


@bp.post("/versies/<int:version_id>/overgangen/<int:wording_id>")
def set_transition(version_id: int, wording_id: int):
    version = get_version_or_404(version_id, "edit")
    services.ensure_concept(version)
    source = get_wording_or_404(wording_id, "read")
    form = _transition_form(version, source, request.form)
    error = None
    if form.validate():
        merge_into = db.session.get(Wording, form.merge_into.data) if form.merge_into.data else None
        target = (
            db.session.get(Agenda, form.target_agenda.data) if form.target_agenda.data else None
        )
        kind = form.kind.data
        with saving() as saved:
            transitions.set_transition(
                version,
                source,
                kind,
                expected=form.expected.data if form.expected.raw_data else None,
                note=form.note.data or "",
                reason=form.reason.data or "",
                text=form.text.data if kind == "geherformuleerd" and form.text.data else None,
                merge_into=merge_into,
                split_texts=lines(form.split_texts.data),
                target_agenda=target,
            )
        if saved.ok:
            return workspace(get_version_or_404(version_id))
        error = saved.error
    version = get_version_or_404(version_id)
    source = get_wording_or_404(wording_id, "read")
    if error is not None:
        form.form_errors.append(error.message)
        form.expected.data = source.transition.kind if source.transition else ""
    status = error.status if error else 422
    if not request.htmx:
        # Without htmx there is no editor to show the messages in: say what was wrong.
        messages = [m for errors in form.errors.values() for m in errors]
        return error_response(status, " ".join(messages))
    response = htmx.render(
        "agendas/_transition_edit.html", version=version, source=source, form=form
    )
    response.headers["HX-Retarget"] = f"#t-{source.id}"
    response.headers["HX-Reswap"] = "outerHTML"
    return response, status


@bp.post("/versies/<int:version_id>/overgangen/<int:wording_id>/wissen")
def clear_transition(version_id: int, wording_id: int):
    version = get_version_or_404(version_id, "edit")
    source = get_wording_or_404(wording_id, "read")
    expected = request.form.get("expected")
    return save_change(version_id, transitions.clear_transition, version, source, expected=expected)


@bp.post("/versies/<int:version_id>/terugzetten/<int:wording_id>")
def restore_thread(version_id: int, wording_id: int):
    version = get_version_or_404(version_id, "edit")
    source = get_wording_or_404(wording_id, "read")
    return save_change(version_id, transitions.restore_thread, version, source)
