"""The questions of a concept version: the question helper's preview, questions,
sub-questions and groups. A new question is answered with what it changed
(``workspace.question_added``), every other change with the refreshed workspace."""

from flask import request, url_for
from flask_login import current_user

from dla import htmx
from dla.agendas import parsing, questions, services
from dla.agendas.forms import GroupForm, QuestionForm, SubQuestionForm, lines
from dla.agendas.models import SubQuestion, VersionGroup
from dla.agendas.views import bp
from dla.agendas.views.workspace import (
    add_form_refused,
    group_choices,
    list_state,
    question_added,
    save_change,
    workspace,
)
from dla.auth.loaders import get_version_or_404, get_wording_or_404
from dla.errors import saving
from dla.extensions import db
from dla.forms import show_error, to_int


def _question_text(form: QuestionForm) -> str:
    """The sentence from the one-field form, or composed from the two-field helper."""
    if (form.text.data or "").strip():
        return form.text.data
    return parsing.compose_question(form.goal.data or "", form.barrier.data or "")


def _messages(form) -> list[str]:
    """All error messages of a small form, to show at its one text field."""
    return [message for messages in form.errors.values() for message in messages]


# --- questions -------------------------------------------------------------------------------


@bp.post("/versies/<int:version_id>/voorbeeld")
def preview(version_id: int):
    """Live preview for the question helper: the full sentence, its parts and hints."""
    version = get_version_or_404(version_id, "add")
    form = QuestionForm()
    form.validate()
    text = _question_text(form)[: services.MAX_QUESTION_LENGTH]
    stem = (form.shared_stem.data or "")[: services.MAX_QUESTION_LENGTH]
    full = parsing.expand_shared_stem(stem, text) if stem.strip() and text else text
    parsed = parsing.parse_question(full) if full.strip() else None
    from dla.analysis.queries import suggestions_for_text

    barrier_items = (
        suggestions_for_text(version.agenda.region, parsed.barrier) if parsed is not None else []
    )
    return htmx.render(
        "agendas/_preview.html", version=version, parsed=parsed, barrier_items=barrier_items
    )


@bp.post("/versies/<int:version_id>/vragen")
def add_question(version_id: int):
    version = get_version_or_404(version_id, "add")
    services.ensure_concept(version)
    form = QuestionForm(id_prefix="new-")
    form.group_id.choices = group_choices(version)
    if form.validate():
        before = list_state(version)  # read under the version's lock (``need="add"``)
        with saving(keep_loaded=True) as saved:
            wording = questions.add_wording(
                version,
                text=_question_text(form),
                shared_stem=form.shared_stem.data or "",
                group_id=form.group_id.data,
                subquestions=lines(form.subquestions.data),
                created_by_id=current_user.id,
            )
        if saved.ok:
            return question_added(
                version, wording, before=before, seen=request.form.get("list_state")
            )
        # An empty or broken question is the error of the field it was typed in.
        show_error(form, saved.error, form.text if (form.text.data or "").strip() else form.goal)
    return add_form_refused(get_version_or_404(version_id), form)


@bp.get("/vragen/<int:wording_id>")
def question(wording_id: int):
    """One question as a fragment (cancel an inline edit); a plain visit goes to its version."""
    wording = get_wording_or_404(wording_id, "read")
    if not htmx.is_fragment_request():
        return htmx.redirect(
            url_for("agendas.version", version_id=wording.version_id, _anchor=f"q-{wording.id}")
        )
    return htmx.render("agendas/_question.html", wording=wording, version=wording.version)


@bp.get("/vragen/<int:wording_id>/bewerken")
def edit_question(wording_id: int):
    wording = get_wording_or_404(wording_id)
    services.ensure_concept(wording.version)
    form = QuestionForm(formdata=None, obj=wording, id_prefix=f"q{wording.id}-")
    form.lock_version.data = wording.lock_version
    form.group_id.choices = group_choices(wording.version)
    return htmx.render("agendas/_question_edit.html", wording=wording, form=form)


@bp.post("/vragen/<int:wording_id>")
def save_question(wording_id: int):
    wording = get_wording_or_404(wording_id)
    version = wording.version
    services.ensure_concept(version)
    form = QuestionForm(id_prefix=f"q{wording.id}-")
    # The inline editor has the sentence, stem and group; sub-questions are edited apart.
    del form.goal, form.barrier, form.subquestions
    form.group_id.choices = group_choices(version)
    conflict = None
    if form.validate():
        with saving() as saved:
            questions.update_wording(
                wording,
                text=form.text.data or "",
                shared_stem=form.shared_stem.data or "",
                group_id=form.group_id.data,
                lock_version=to_int(form.lock_version.data),
            )
        if saved.ok:
            return workspace(get_version_or_404(version.id))
        wording = get_wording_or_404(wording_id)
        show_error(form, saved.error, form.text)
        conflict = saved.error
    status = conflict.status if conflict else 422
    if conflict is not None and conflict.current is not None:
        form.lock_version.data = wording.lock_version
    response = htmx.render(
        "agendas/_question_edit.html", wording=wording, form=form, conflict=conflict
    )
    response.headers["HX-Retarget"] = f"#q-{wording.id}"
    response.headers["HX-Reswap"] = "outerHTML"
    return response, status


@bp.post("/vragen/<int:wording_id>/verwijderen")
def delete_question(wording_id: int):
    wording = get_wording_or_404(wording_id)
    return save_change(wording.version_id, questions.delete_wording, wording)


@bp.post("/vragen/<int:wording_id>/verplaatsen")
def move_question(wording_id: int):
    wording = get_wording_or_404(wording_id, "structure")
    return save_change(
        wording.version_id, questions.move_wording, wording, request.form.get("richting", "")
    )


# --- sub-questions ---------------------------------------------------------------------------


@bp.post("/vragen/<int:wording_id>/deelvragen")
def add_subquestion(wording_id: int):
    wording = get_wording_or_404(wording_id)
    services.ensure_concept(wording.version)
    form = SubQuestionForm()
    if not form.validate():
        return workspace(wording.version, 422, sub_errors={wording.id: form.text.errors})
    return save_change(wording.version_id, questions.add_subquestion, wording, text=form.text.data)


@bp.post("/deelvragen/<int:sub_id>")
def save_subquestion(sub_id: int):
    sub = db.get_or_404(SubQuestion, sub_id)
    get_wording_or_404(sub.wording_id)
    services.ensure_concept(sub.wording.version)
    form = SubQuestionForm()
    if not form.validate():
        return workspace(sub.wording.version, 422, sub_edit_errors={sub.id: form.text.errors})
    return save_change(
        sub.wording.version_id, questions.update_subquestion, sub, text=form.text.data
    )


@bp.post("/deelvragen/<int:sub_id>/verwijderen")
def delete_subquestion(sub_id: int):
    sub = db.get_or_404(SubQuestion, sub_id)
    get_wording_or_404(sub.wording_id)
    return save_change(sub.wording.version_id, questions.delete_subquestion, sub)


# --- groups ----------------------------------------------------------------------------------


@bp.post("/versies/<int:version_id>/groepen")
def add_group(version_id: int):
    version = get_version_or_404(version_id, "edit")
    services.ensure_concept(version)
    form = GroupForm()
    if not form.validate():
        return workspace(version, 422, group_errors={"new": _messages(form)})
    return save_change(
        version_id,
        questions.add_group,
        version,
        title=form.title.data,
        label_style=form.label_style.data,
    )


@bp.post("/groepen/<int:group_id>")
def save_group(group_id: int):
    group = db.get_or_404(VersionGroup, group_id)
    get_version_or_404(group.version_id, "edit")
    services.ensure_concept(group.version)
    form = GroupForm()
    if not form.validate():
        return workspace(group.version, 422, group_errors={group.id: _messages(form)})
    return save_change(
        group.version_id,
        questions.update_group,
        group,
        title=form.title.data,
        label_style=form.label_style.data,
    )


@bp.post("/groepen/<int:group_id>/verwijderen")
def delete_group(group_id: int):
    group = db.get_or_404(VersionGroup, group_id)
    get_version_or_404(group.version_id, "edit")
    return save_change(group.version_id, questions.delete_group, group)
