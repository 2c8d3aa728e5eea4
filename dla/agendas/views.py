"""Pages and htmx endpoints for agendas, versions, questions and transitions.

Views parse input, call one service, commit once and render. Every mutation on a concept
version answers htmx with the refreshed workspace fragment (questions, decisions, publish
readiness); plain form posts get a redirect.
"""

from flask import Blueprint, abort, flash, request, url_for
from flask_login import current_user
from sqlalchemy import select

from dla import htmx
from dla.agendas import importing, imports, parsing, queries, questions, services, transitions
from dla.agendas.forms import (
    STATUS_FILTERS,
    AgendaForm,
    GroupForm,
    QuestionForm,
    SubQuestionForm,
    TransitionForm,
    VersionForm,
    page_number,
    question_filters,
)
from dla.agendas.history import CATEGORY_LABELS, summarise
from dla.agendas.models import (
    AUDIENCE_SUGGESTIONS,
    CONCEPT,
    DISTRIBUTIONS,
    DROP_REASONS,
    LEVELS,
    ORIGINS,
    PUBLISHED,
    TRANSITIONS,
    Agenda,
    SubQuestion,
    Version,
    VersionGroup,
    Wording,
)
from dla.auth import services as auth_services
from dla.auth.loaders import (
    get_agenda_or_404,
    get_region_or_404,
    get_thread_or_404,
    get_version_or_404,
    get_wording_or_404,
)
from dla.auth.permissions import access
from dla.errors import DomainError, ValidationError, error_response
from dla.extensions import db
from dla.forms import choices, parse_dutch_date, show_error, to_int
from dla.measurements import queries as measurement_queries
from dla.regions.models import Region

bp = Blueprint("agendas", __name__)


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _question_text(form: QuestionForm) -> str:
    """The sentence from the one-field form, or composed from the two-field helper."""
    if (form.text.data or "").strip():
        return form.text.data
    return parsing.compose_question(form.goal.data or "", form.barrier.data or "")


# --- agendas ---------------------------------------------------------------------------------


@bp.route("/regios/<int:region_id>/agendas/nieuw", methods=["GET", "POST"])
def create_agenda(region_id: int):
    region = get_region_or_404(region_id, "create_agenda")
    form = AgendaForm()
    if form.validate_on_submit():
        try:
            agenda = services.create_agenda(
                region,
                level=form.level.data,
                audience=form.audience.data,
                title=form.title.data,
                ambition=form.ambition.data or "",
            )
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            return htmx.redirect(url_for("agendas.show", agenda_id=agenda.id))
    return (
        htmx.render(
            "agendas/form.html",
            form=form,
            region=region,
            agenda=None,
            suggestions=AUDIENCE_SUGGESTIONS,
        ),
        422 if form.errors else 200,
    )


@bp.get("/agendas/<int:agenda_id>")
def show(agenda_id: int):
    agenda = get_agenda_or_404(agenda_id)
    where = access().readable_versions(agenda.region_id, Version)
    versions = queries.version_rows(agenda, where)
    published = next((row.version for row in versions if not row.version.status == CONCEPT), None)
    concept = next((row.version for row in versions if row.version.status == CONCEPT), None)
    filters = question_filters(request.args, levels=False)
    page = queries.region_questions(
        agenda.region, agenda=agenda, page=page_number(request.args), where=where, **filters
    )
    managing = access().can_manage_agenda(agenda.region_id)
    return htmx.render(
        "agendas/show.html",
        "agendas/_questions.html",
        participants=auth_services.participants(agenda) if managing else [],
        members=auth_services.region_members(agenda.region_id) if managing else [],
        managing=managing,
        agenda=agenda,
        versions=versions,
        published=published,
        concept=concept,
        listing=page,
        rows=page.rows,
        filters=filters,
        status_filters=STATUS_FILTERS,
    )


@bp.route("/agendas/<int:agenda_id>/bewerken", methods=["GET", "POST"])
def edit_agenda(agenda_id: int):
    agenda = get_agenda_or_404(agenda_id, "manage")
    form = AgendaForm(obj=agenda)
    if form.validate_on_submit():
        try:
            services.update_agenda(
                agenda,
                lock_version=to_int(form.lock_version.data),
                level=form.level.data,
                audience=form.audience.data,
                title=form.title.data,
                ambition=form.ambition.data or "",
            )
        except DomainError as error:
            db.session.rollback()
            agenda = get_agenda_or_404(agenda_id)
            form.form_errors.append(error.message)
            form.lock_version.data = agenda.lock_version
            return (
                htmx.render(
                    "agendas/form.html",
                    form=form,
                    region=agenda.region,
                    agenda=agenda,
                    suggestions=AUDIENCE_SUGGESTIONS,
                ),
                error.status,
            )
        db.session.commit()
        return htmx.redirect(url_for("agendas.show", agenda_id=agenda.id))
    if request.method == "GET":
        form.lock_version.data = agenda.lock_version
    return (
        htmx.render(
            "agendas/form.html",
            form=form,
            region=agenda.region,
            agenda=agenda,
            suggestions=AUDIENCE_SUGGESTIONS,
        ),
        422 if form.errors else 200,
    )


@bp.post("/agendas/<int:agenda_id>/verwijderen")
def delete_agenda(agenda_id: int):
    agenda = get_agenda_or_404(agenda_id, "manage")
    region_id = agenda.region_id
    services.delete_agenda(agenda)
    db.session.commit()
    flash("De agenda is verwijderd.")
    return htmx.redirect(url_for("regions.show", region_id=region_id))


# --- versions --------------------------------------------------------------------------------


class UnreadableSource(DomainError):
    status = 403


def _readable_source(agenda: Agenda) -> Version | None:
    """The latest published version, which a new version copies, when the user may read it.

    A new version starts as a copy of it (or, for an import, has to decide what happened to
    each of its questions), so someone who may not read a restricted latest version cannot
    start the next one: copying part of it would leave the concept without the questions
    it must decide on, and copying all of it would show them.
    """
    source = services.latest_published(agenda)
    if source is not None and not access().can_read_version(source):
        raise UnreadableSource(
            "U kunt geen nieuwe versie van deze agenda beginnen: de laatste vastgestelde "
            "versie is beperkt verspreid en u hoort niet bij de lezers ervan. Vraag de "
            "projectleider om de nieuwe versie te beginnen, of om u aan die versie toe te "
            "voegen."
        )
    return source


@bp.route("/agendas/<int:agenda_id>/versies/nieuw", methods=["GET", "POST"])
def create_version(agenda_id: int):
    agenda = get_agenda_or_404(agenda_id, "create_version")
    source = _readable_source(agenda)
    concept = services.concept_version(agenda)
    form = VersionForm()
    if request.method == "GET" and source is not None:
        form.origin.data = source.origin
        form.distribution.data = source.distribution
        form.themes.data = source.themes
    if form.validate_on_submit():
        try:
            meta = form.meta_fields()
            if not access().can_issue_any_origin(agenda.region_id):
                # Researchers reconstruct; they do not issue werksessie versions.
                meta["origin"] = "gereconstrueerd"
            version = services.create_version(
                agenda,
                number=form.number.data,
                groups=_lines(form.groups.data),
                created_by_id=current_user.id,
                **meta,
            )
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            return htmx.redirect(url_for("agendas.version", version_id=version.id))
    return (
        htmx.render(
            "agendas/version_form.html",
            form=form,
            agenda=agenda,
            version=None,
            source=source,
            concept=concept,
        ),
        422 if form.errors else 200,
    )


def _changes_since(version: Version, previous: Version | None) -> Version | None:
    """The version the changelog compares with: the previous published version, or when
    the viewer may not read that one, the latest earlier published version they may read."""
    rights = access()
    if previous is None or rights.can_read_version(previous):
        return previous
    query = select(Version).where(
        Version.agenda_id == version.agenda_id,
        Version.number < version.number,
        Version.status == PUBLISHED,
    )
    readable = rights.readable_versions(version.agenda.region_id)
    if readable is not None:
        query = query.where(readable)
    return db.session.scalar(query.order_by(Version.number.desc()).limit(1))


def _workspace_context(version: Version, **extra) -> dict:
    rights = access()
    previous = services.previous_version(version)
    changes_since = _changes_since(version, previous)
    if previous is not None and not rights.can_read_version(previous):
        previous = None  # its questions (and their transitions) stay with its readers
    wordings = services.ordered_wordings(version)
    context = {
        "version": version,
        "agenda": version.agenda,
        "previous": previous,
        "wordings": wordings,
        "groups": version.groups,
        "transitions": TRANSITIONS,
        "drop_reasons": DROP_REASONS,
        "add_form": None,
        "category_labels": CATEGORY_LABELS,
        "can_edit": access().can_edit_version(version),
        "can_add": access().can_add_question(version),
    }
    context["changes_since"] = changes_since
    context["changes"] = (
        queries.compare_versions(
            changes_since, version, rights.readable_version_ids(version.agenda.region_id)
        )
        if changes_since
        else []
    )
    context["change_counts"] = summarise(context["changes"])
    if version.status == CONCEPT:
        add_form = extra.pop("add_form", None) or QuestionForm(formdata=None, id_prefix="new-")
        add_form.group_id.choices = choices((g.id, g.title or "Vragen") for g in version.groups)
        context["add_form"] = add_form
        previous_wordings = queries.load_wordings(previous) if previous else []
        context["previous_wordings"] = previous_wordings
        context["missing"] = {
            w.id
            for w in previous_wordings
            if w.transition is None or w.transition.version_id != version.id
        }
        context["returnable"] = (
            [
                w
                for w in transitions.returnable_threads(version, previous)
                if rights.can_read_version(w.version)
            ]
            if previous is not None
            else []
        )
    context.update(extra)
    return context


def _workspace(version: Version, status: int = 200, **extra):
    """Answer a mutation: the workspace fragment for htmx, a redirect otherwise."""
    if not request.htmx:
        if status >= 400:
            return htmx.render("agendas/version.html", **_page_context(version, **extra)), status
        return htmx.redirect(url_for("agendas.version", version_id=version.id))
    return htmx.render("agendas/_workspace.html", **_workspace_context(version, **extra)), status


def _page_context(version: Version, **extra) -> dict:
    context = _workspace_context(version, **extra)
    query = select(Version).where(Version.agenda_id == version.agenda_id)
    where = access().readable_versions(version.agenda.region_id, Version)
    if where is not None:
        query = query.where(where)
    context["versions"] = db.session.scalars(query.order_by(Version.number)).all()
    context["comments"] = services.comments_for(version_id=version.id)
    context["comment_url"] = url_for("agendas.comment_version", version_id=version.id)
    managing = access().can_manage_agenda(version.agenda.region_id)
    context["managing"] = managing
    if managing and version.distribution == "beperkt":
        context["version_members"] = auth_services.version_member_list(version)
        context["members"] = auth_services.region_members(version.agenda.region_id)
    return context


@bp.get("/versies/<int:version_id>")
def version(version_id: int):
    version = get_version_or_404(version_id)
    return htmx.render("agendas/version.html", **_page_context(version))


@bp.route("/versies/<int:version_id>/bewerken", methods=["GET", "POST"])
def edit_version(version_id: int):
    version = get_version_or_404(version_id, "edit")
    if version.status != CONCEPT:
        services.ensure_concept(version)
    form = VersionForm(obj=version)
    if request.method == "GET":
        form.lock_version.data = version.lock_version
    elif form.validate_on_submit():
        try:
            services.update_version(
                version, lock_version=to_int(form.lock_version.data), **form.meta_fields()
            )
        except DomainError as error:
            db.session.rollback()
            version = get_version_or_404(version_id)
            form.form_errors.append(error.message)
            form.lock_version.data = version.lock_version
            return (
                htmx.render(
                    "agendas/version_form.html",
                    form=form,
                    agenda=version.agenda,
                    version=version,
                    source=None,
                    concept=None,
                ),
                error.status,
            )
        db.session.commit()
        return htmx.redirect(url_for("agendas.version", version_id=version.id))
    return (
        htmx.render(
            "agendas/version_form.html",
            form=form,
            agenda=version.agenda,
            version=version,
            source=None,
            concept=None,
        ),
        422 if form.errors else 200,
    )


@bp.post("/versies/<int:version_id>/vaststellen")
def publish(version_id: int):
    version = get_version_or_404(version_id, "edit")
    try:
        services.publish_version(version, lock_version=to_int(request.form.get("lock_version")))
    except DomainError as error:
        db.session.rollback()
        if not request.htmx:
            raise
        response = htmx.render("_error.html", message=error.message, current=error.current)
        response.headers["HX-Retarget"] = "#publish-errors"
        response.headers["HX-Reswap"] = "innerHTML show:top"
        return response, error.status
    db.session.commit()
    flash(f"Versie {version.number} is vastgesteld.")
    return htmx.redirect(url_for("agendas.version", version_id=version.id))


@bp.post("/versies/<int:version_id>/verwijderen")
def delete_version(version_id: int):
    version = get_version_or_404(version_id, "edit")
    agenda_id = version.agenda_id
    services.delete_version(version)
    db.session.commit()
    flash("De conceptversie is verwijderd.")
    return htmx.redirect(url_for("agendas.show", agenda_id=agenda_id))


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
    form.group_id.choices = choices((g.id, g.title or "Vragen") for g in version.groups)
    if form.validate():
        try:
            questions.add_wording(
                version,
                text=_question_text(form),
                shared_stem=form.shared_stem.data or "",
                group_id=form.group_id.data,
                subquestions=_lines(form.subquestions.data),
                created_by_id=current_user.id,
            )
        except DomainError as error:
            db.session.rollback()
            # An empty or broken question is the error of the field it was typed in.
            show_error(form, error, form.text if (form.text.data or "").strip() else form.goal)
        else:
            db.session.commit()
            return _workspace(get_version_or_404(version_id))
    version = get_version_or_404(version_id)
    return _workspace(version, 422, add_form=form)


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
    form.group_id.choices = choices((g.id, g.title or "Vragen") for g in wording.version.groups)
    return htmx.render("agendas/_question_edit.html", wording=wording, form=form)


@bp.post("/vragen/<int:wording_id>")
def save_question(wording_id: int):
    wording = get_wording_or_404(wording_id)
    version = wording.version
    services.ensure_concept(version)
    form = QuestionForm(id_prefix=f"q{wording.id}-")
    # The inline editor has the sentence, stem and group; sub-questions are edited apart.
    del form.goal, form.barrier, form.subquestions
    form.group_id.choices = choices((g.id, g.title or "Vragen") for g in version.groups)
    conflict = None
    if form.validate():
        try:
            questions.update_wording(
                wording,
                text=form.text.data or "",
                shared_stem=form.shared_stem.data or "",
                group_id=form.group_id.data,
                lock_version=to_int(form.lock_version.data),
            )
        except DomainError as error:
            db.session.rollback()
            wording = get_wording_or_404(wording_id)
            show_error(form, error, form.text)
            conflict = error
        else:
            db.session.commit()
            return _workspace(get_version_or_404(version.id))
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
    version_id = wording.version_id
    questions.delete_wording(wording)
    db.session.commit()
    return _workspace(get_version_or_404(version_id))


@bp.post("/vragen/<int:wording_id>/verplaatsen")
def move_question(wording_id: int):
    wording = get_wording_or_404(wording_id, "structure")
    questions.move_wording(wording, request.form.get("richting", ""))
    db.session.commit()
    return _workspace(get_version_or_404(wording.version_id))


@bp.post("/vragen/<int:wording_id>/deelvragen")
def add_subquestion(wording_id: int):
    wording = get_wording_or_404(wording_id)
    services.ensure_concept(wording.version)
    form = SubQuestionForm()
    if not form.validate():
        return _workspace(wording.version, 422, sub_errors={wording.id: form.text.errors})
    questions.add_subquestion(wording, text=form.text.data)
    db.session.commit()
    return _workspace(get_version_or_404(wording.version_id))


@bp.post("/deelvragen/<int:sub_id>")
def save_subquestion(sub_id: int):
    sub = db.get_or_404(SubQuestion, sub_id)
    get_wording_or_404(sub.wording_id)
    services.ensure_concept(sub.wording.version)
    form = SubQuestionForm()
    if not form.validate():
        return _workspace(sub.wording.version, 422, sub_edit_errors={sub.id: form.text.errors})
    questions.update_subquestion(sub, text=form.text.data)
    db.session.commit()
    return _workspace(get_version_or_404(sub.wording.version_id))


@bp.post("/deelvragen/<int:sub_id>/verwijderen")
def delete_subquestion(sub_id: int):
    sub = db.get_or_404(SubQuestion, sub_id)
    get_wording_or_404(sub.wording_id)
    version_id = sub.wording.version_id
    questions.delete_subquestion(sub)
    db.session.commit()
    return _workspace(get_version_or_404(version_id))


# --- groups ----------------------------------------------------------------------------------


def _messages(form) -> list[str]:
    """All error messages of a small form, to show at its one text field."""
    return [message for messages in form.errors.values() for message in messages]


@bp.post("/versies/<int:version_id>/groepen")
def add_group(version_id: int):
    version = get_version_or_404(version_id, "edit")
    services.ensure_concept(version)
    form = GroupForm()
    if not form.validate():
        return _workspace(version, 422, group_errors={"new": _messages(form)})
    questions.add_group(version, title=form.title.data, label_style=form.label_style.data)
    db.session.commit()
    return _workspace(get_version_or_404(version_id))


@bp.post("/groepen/<int:group_id>")
def save_group(group_id: int):
    group = db.get_or_404(VersionGroup, group_id)
    get_version_or_404(group.version_id, "edit")
    services.ensure_concept(group.version)
    form = GroupForm()
    if not form.validate():
        return _workspace(group.version, 422, group_errors={group.id: _messages(form)})
    questions.update_group(group, title=form.title.data, label_style=form.label_style.data)
    db.session.commit()
    return _workspace(get_version_or_404(group.version_id))


@bp.post("/groepen/<int:group_id>/verwijderen")
def delete_group(group_id: int):
    group = db.get_or_404(VersionGroup, group_id)
    get_version_or_404(group.version_id, "edit")
    version_id = group.version_id
    questions.delete_group(group)
    db.session.commit()
    return _workspace(get_version_or_404(version_id))


# --- transitions -----------------------------------------------------------------------------


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
    form.target_agenda.choices = choices(
        [("", "Kies …")]
        + [
            (a.id, f"{a.title} ({LEVELS.get(a.level, a.level)}, {a.audience})")
            for a in db.session.scalars(
                select(Agenda)
                .where(Agenda.region_id == version.agenda.region_id, Agenda.id != version.agenda_id)
                .order_by(Agenda.title)
            )
        ]
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
        try:
            transitions.set_transition(
                version,
                source,
                kind,
                expected=form.expected.data if form.expected.raw_data else None,
                note=form.note.data or "",
                reason=form.reason.data or "",
                text=form.text.data if kind == "geherformuleerd" and form.text.data else None,
                merge_into=merge_into,
                split_texts=_lines(form.split_texts.data),
                target_agenda=target,
            )
        except DomainError as exc:
            db.session.rollback()
            error = exc
        else:
            db.session.commit()
            return _workspace(get_version_or_404(version_id))
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
    transitions.clear_transition(version, source, expected=expected)
    db.session.commit()
    return _workspace(get_version_or_404(version_id))


@bp.post("/versies/<int:version_id>/terugzetten/<int:wording_id>")
def restore_thread(version_id: int, wording_id: int):
    version = get_version_or_404(version_id, "edit")
    source = get_wording_or_404(wording_id, "read")
    transitions.restore_thread(version, source)
    db.session.commit()
    return _workspace(get_version_or_404(version_id))


# --- compare and history ---------------------------------------------------------------------


@bp.get("/agendas/<int:agenda_id>/vergelijken")
def compare(agenda_id: int):
    agenda = get_agenda_or_404(agenda_id)
    query = select(Version).where(Version.agenda_id == agenda.id)
    where = access().readable_versions(agenda.region_id, Version)
    if where is not None:
        query = query.where(where)
    versions = db.session.scalars(query.order_by(Version.number)).all()
    by_id = {v.id: v for v in versions}
    old = by_id.get(to_int(request.args.get("van")))
    new = by_id.get(to_int(request.args.get("naar")))
    if (request.args.get("van") and old is None) or (request.args.get("naar") and new is None):
        abort(404)
    if old is None and new is None and len(versions) >= 2:
        old, new = versions[-2], versions[-1]
    rows = []
    error = ""
    if old is not None and new is not None:
        if old.id == new.id:
            error = "Kies twee verschillende versies."
        else:
            if old.number > new.number:
                old, new = new, old
            rows = queries.compare_versions(
                old, new, access().readable_version_ids(agenda.region_id)
            )
    return htmx.render(
        "agendas/compare.html",
        "agendas/_compare.html",
        agenda=agenda,
        versions=versions,
        old=old,
        new=new,
        rows=rows,
        counts=summarise(rows),
        category_labels=CATEGORY_LABELS,
        error=error,
    ), (422 if error else 200)


def _readable_threads(region_id: int, thread_ids: list[int]) -> set[int]:
    """Those of ``thread_ids`` with a wording the current user may read."""
    if not thread_ids:
        return set()
    return set(
        db.session.scalars(
            select(Wording.thread_id).where(
                Wording.thread_id.in_(thread_ids),
                Wording.version_id.in_(access().readable_version_ids(region_id)),
            )
        )
    )


@bp.get("/leervragen/<int:thread_id>")
def thread(thread_id: int):
    thread = get_thread_or_404(thread_id)
    region = db.session.get(Region, thread.region_id)
    rights = access()
    entries = queries.thread_history(thread, rights.readable_versions(region.id, Version))
    for entry in entries:
        if entry.transition is not None and not rights.can_read_version(entry.transition.version):
            entry.transition = None  # decided in a version the viewer may not read
    related = queries.related_threads(thread)
    merged_in = queries.merged_into_this(thread)
    shown = _readable_threads(
        region.id,
        [t.id for group in related.values() for t in group] + [w.thread_id for w in merged_in],
    )
    related = {key: [t for t in group if t.id in shown] for key, group in related.items()}
    merged_in = [
        w for w in merged_in if w.thread_id in shown and rights.can_read_version(w.version)
    ]
    figures = queries.persistence_map(region, [thread.id], rights.readable_versions(region.id)).get(
        thread.id
    )
    from dla.analysis.views import thread_panel_context

    return htmx.render(
        "agendas/thread.html",
        **thread_panel_context(thread, entries[-1].wording.barrier),
        thread=thread,
        region=region,
        entries=entries,
        comments=services.comments_for(thread_id=thread.id),
        comment_url=url_for("agendas.comment_thread", thread_id=thread.id),
        figures=figures,
        related=related,
        merged_in=merged_in,
        indicators=measurement_queries.thread_indicators(thread.id),
        transitions=TRANSITIONS,
        drop_reasons=DROP_REASONS,
    )


# --- comments, participants and restricted-version members ------------------------------------


def _comment(region_id: int, page_url: str, post_url: str, **target):
    """Add a comment and answer with the refreshed comments (or the page, without htmx)."""
    error = None
    try:
        services.add_comment(
            region_id=region_id, author=current_user, body=request.form.get("body", ""), **target
        )
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        error = exc.message
    if not request.htmx and error is None:
        return htmx.redirect(page_url)
    return htmx.render(
        "agendas/_comments.html",
        comments=services.comments_for(**target),
        comment_url=post_url,
        comment_error=error,
    ), (422 if error else 200)


@bp.post("/leervragen/<int:thread_id>/reacties")
def comment_thread(thread_id: int):
    thread = get_thread_or_404(thread_id, "comment")
    return _comment(
        thread.region_id,
        url_for("agendas.thread", thread_id=thread.id),
        url_for("agendas.comment_thread", thread_id=thread.id),
        thread_id=thread.id,
    )


@bp.post("/versies/<int:version_id>/reacties")
def comment_version(version_id: int):
    version = get_version_or_404(version_id, "comment")
    return _comment(
        version.agenda.region_id,
        url_for("agendas.version", version_id=version.id),
        url_for("agendas.comment_version", version_id=version.id),
        version_id=version.id,
    )


@bp.post("/agendas/<int:agenda_id>/deelnemers")
def add_participant(agenda_id: int):
    agenda = get_agenda_or_404(agenda_id, "manage")
    auth_services.add_participant(agenda, to_int(request.form.get("user_id")) or 0)
    db.session.commit()
    return htmx.redirect(url_for("agendas.show", agenda_id=agenda.id, _anchor="deelnemers"))


@bp.post("/agendas/<int:agenda_id>/deelnemers/<int:user_id>/verwijderen")
def remove_participant(agenda_id: int, user_id: int):
    agenda = get_agenda_or_404(agenda_id, "manage")
    auth_services.remove_participant(agenda, user_id)
    db.session.commit()
    return htmx.redirect(url_for("agendas.show", agenda_id=agenda.id, _anchor="deelnemers"))


@bp.post("/versies/<int:version_id>/leden")
def add_version_member(version_id: int):
    version = get_version_or_404(version_id, "manage")
    auth_services.add_version_member(version, to_int(request.form.get("user_id")) or 0)
    db.session.commit()
    return htmx.redirect(url_for("agendas.version", version_id=version.id, _anchor="leden"))


@bp.post("/versies/<int:version_id>/leden/<int:user_id>/verwijderen")
def remove_version_member(version_id: int, user_id: int):
    version = get_version_or_404(version_id, "manage")
    auth_services.remove_version_member(version, user_id)
    db.session.commit()
    return htmx.redirect(url_for("agendas.version", version_id=version.id, _anchor="leden"))


# --- import of an existing DLA ------------------------------------------------------------------


def _import_region(region_id: int) -> Region:
    return get_region_or_404(region_id, "import")


def _import_agendas(region: Region) -> list[Agenda]:
    return [
        agenda
        for agenda in db.session.scalars(
            select(Agenda).where(Agenda.region_id == region.id).order_by(Agenda.title)
        )
        if access().can_create_version(agenda)
    ]


def _import_form(region: Region, status: int = 200, error: str = "", **values):
    return htmx.render(
        "agendas/import.html",
        region=region,
        agendas=_import_agendas(region),
        levels=LEVELS,
        error=error,
        values=values,
    ), status


@bp.get("/regios/<int:region_id>/importeren")
def import_start(region_id: int):
    region = _import_region(region_id)
    return _import_form(region, agenda_id=to_int(request.args.get("agenda")))


@bp.post("/regios/<int:region_id>/importeren")
def import_read(region_id: int):
    """Read the pasted text or the uploaded file and show what was understood."""
    region = _import_region(region_id)
    values = {key: request.form.get(key, "") for key in ("tekst", "titel", "niveau", "doelgroep")}
    values["agenda_id"] = to_int(request.form.get("agenda_id"))
    upload = request.files.get("bestand")
    try:
        if upload is not None and upload.filename:
            document = importing.read_upload(upload.filename, upload.read())
        else:
            document = importing.parse_document(importing.clean_text(values["tekst"]))
    except importing.DocumentError as error:
        return _import_form(region, 422, error.message, **values)
    agenda = None
    if values["agenda_id"]:
        agenda = db.session.get(Agenda, values["agenda_id"])
        if agenda is None or agenda not in _import_agendas(region):
            abort(404)
        _readable_source(agenda)
    matches = imports.suggest_links(
        region,
        [q.full_text for q in document.questions],
        agenda,
        readable=access().readable_versions(region.id),
    )
    previous = services.latest_published(agenda) if agenda is not None else None
    return htmx.render(
        "agendas/import_preview.html",
        region=region,
        agenda=agenda,
        document=document,
        rows=list(zip(document.questions, matches, strict=True)),
        previous_key=str(previous.id) if previous is not None else None,
        values=values,
        levels=LEVELS,
        origins=ORIGINS,
        distributions=DISTRIBUTIONS,
        error="",
    )


def _confirmed_questions(form) -> list[imports.ConfirmedQuestion]:
    count = min(to_int(form.get("aantal")) or 0, 500)
    questions = []
    for index in range(count):
        prefix = f"q-{index}-"
        if form.get(prefix + "weglaten"):
            continue
        # The lineage choice: "<wording id>" continues it, "s<wording id>" is split off it.
        choice = (form.get(prefix + "vervolg") or "").strip()
        questions.append(
            imports.ConfirmedQuestion(
                text=form.get(prefix + "tekst", ""),
                shared_stem=form.get(prefix + "stam", ""),
                group=to_int(form.get(prefix + "groep")) or 0,
                label=form.get(prefix + "label", "")[:10],
                subquestions=_lines(form.get(prefix + "deelvragen")),
                link=to_int(choice) if not choice.startswith("s") else None,
                split_from=to_int(choice[1:]) if choice.startswith("s") else None,
                merges=[m for m in (to_int(v) for v in form.getlist(prefix + "samen")) if m],
            )
        )
    return questions


@bp.post("/regios/<int:region_id>/importeren/opslaan")
def import_save(region_id: int):
    """Save the confirmed import as the agenda's next concept version, all or nothing."""
    region = _import_region(region_id)
    form = request.form
    try:
        agenda_id = to_int(request.values.get("agenda_id"))
        if agenda_id:
            agenda = db.session.get(Agenda, agenda_id)
            if agenda is None or agenda not in _import_agendas(region):
                abort(404)
            _readable_source(agenda)
        else:
            if not access().can_create_agenda(region.id):
                abort(403)
            agenda = services.create_agenda(
                region,
                level=form.get("niveau", ""),
                audience=form.get("doelgroep", ""),
                title=form.get("titel", ""),
                ambition=form.get("ambitie", ""),
            )
        meta = {
            "label": form.get("label", ""),
            "document_date": _form_date(form.get("datum")),
            "session_date": _form_date(form.get("sessiedatum")),
            "origin": form.get("herkomst", "werksessie"),
            "context_line": form.get("aanleiding", ""),
            "distribution": form.get("verspreiding", "regio"),
            "themes": form.get("themas", ""),
            "author": form.get("van", ""),
            "recipient": form.get("aan", ""),
            "reference": form.get("kenmerk", ""),
        }
        if not access().can_issue_any_origin(region.id):
            meta["origin"] = "gereconstrueerd"
        groups = [
            form.get(f"groep-{i}", "") for i in range(min(to_int(form.get("groepen")) or 1, 50))
        ]
        version = imports.import_version(
            agenda,
            groups=groups,
            questions=_confirmed_questions(form),
            created_by_id=current_user.id,
            readable=access().readable_versions(region.id),
            **meta,
        )
    except DomainError as error:
        db.session.rollback()
        return error_response(error.status, error.message)
    db.session.commit()
    flash(
        "De versie is ingelezen als concept. Kies bij de vragen van de vorige versie wat ermee "
        "gebeurde, en stel de versie daarna vast."
    )
    return htmx.redirect(url_for("agendas.version", version_id=version.id))


def _form_date(value: str | None):
    try:
        return parse_dutch_date(value or "")
    except ValueError:
        raise ValidationError(
            f"De datum ‘{value}’ klopt niet. Schrijf bijvoorbeeld 24-02-2020."
        ) from None
