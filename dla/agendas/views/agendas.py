"""An agenda: create, show (its versions and questions), edit, delete."""

from flask import flash, request, url_for

from dla import htmx
from dla.agendas import queries, services
from dla.agendas.forms import STATUS_FILTERS, AgendaForm, page_number, question_filters
from dla.agendas.models import AUDIENCE_SUGGESTIONS, CONCEPT, Agenda, Version
from dla.agendas.views import bp
from dla.auth import services as auth_services
from dla.auth.loaders import get_agenda_or_404, get_region_or_404
from dla.auth.permissions import access
from dla.caching import fragments, pages
from dla.caching.models import PUBLISHED
from dla.errors import saving
from dla.forms import to_int
from dla.regions.models import Region


def _render_form(form: AgendaForm, region: Region, agenda: Agenda | None, status: int):
    return (
        htmx.render(
            "agendas/form.html",
            form=form,
            region=region,
            agenda=agenda,
            suggestions=AUDIENCE_SUGGESTIONS,
        ),
        status,
    )


def _fields(form: AgendaForm) -> dict:
    return {
        "level": form.level.data,
        "audience": form.audience.data,
        "title": form.title.data,
        "ambition": form.ambition.data or "",
    }


@bp.route("/regios/<int:region_id>/agendas/nieuw", methods=["GET", "POST"])
def create_agenda(region_id: int):
    region = get_region_or_404(region_id, "create_agenda")
    form = AgendaForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            agenda = services.create_agenda(region, **_fields(form))
        if saved.ok:
            return htmx.redirect(url_for("agendas.show", agenda_id=agenda.id))
    return _render_form(form, region, None, 422 if form.errors else 200)


@bp.get("/agendas/<int:agenda_id>")
def show(agenda_id: int):
    agenda = get_agenda_or_404(agenda_id)
    return pages.page(lambda: _show(agenda), region_id=agenda.region_id, objects=(agenda,))


def _show(agenda: Agenda):
    where = access().readable_versions(agenda.region_id, Version)
    versions = queries.version_rows(agenda, where)
    published = next((row.version for row in versions if not row.version.status == CONCEPT), None)
    concept = next((row.version for row in versions if row.version.status == CONCEPT), None)
    filters = question_filters(request.args, levels=False)
    number = page_number(request.args)

    def question_list() -> dict:
        page = queries.region_questions(
            agenda.region, agenda=agenda, page=number, where=where, **filters
        )
        return {"agenda": agenda, "listing": page, "rows": page.rows, "filters": filters}

    # Published questions only: shared by everyone who may read the same versions.
    questions = fragments.shared(
        "agendas/_questions.html",
        (agenda.id, number, tuple(sorted(filters.items())), queries.today()),
        question_list,
        region_id=agenda.region_id,
        topics=(PUBLISHED,),
    )
    if htmx.is_fragment_request():
        return questions
    managing = access().can_manage_agenda(agenda.region_id)
    return htmx.render(
        "agendas/show.html",
        participants=auth_services.participants(agenda) if managing else [],
        members=auth_services.region_members(agenda.region_id) if managing else [],
        managing=managing,
        agenda=agenda,
        versions=versions,
        published=published,
        concept=concept,
        questions=questions,
        filters=filters,
        status_filters=STATUS_FILTERS,
    )


@bp.route("/agendas/<int:agenda_id>/bewerken", methods=["GET", "POST"])
def edit_agenda(agenda_id: int):
    agenda = get_agenda_or_404(agenda_id, "manage")
    form = AgendaForm(obj=agenda)
    status = None
    if form.validate_on_submit():
        with saving(form) as saved:
            services.update_agenda(
                agenda, lock_version=to_int(form.lock_version.data), **_fields(form)
            )
        if saved.ok:
            return htmx.redirect(url_for("agendas.show", agenda_id=agenda.id))
        # Show what is saved now, with the message; the next save starts from it.
        agenda = get_agenda_or_404(agenda_id)
        form.lock_version.data = agenda.lock_version
        status = saved.error.status
    elif request.method == "GET":
        form.lock_version.data = agenda.lock_version
    return _render_form(form, agenda.region, agenda, status or (422 if form.errors else 200))


@bp.post("/agendas/<int:agenda_id>/verwijderen")
def delete_agenda(agenda_id: int):
    agenda = get_agenda_or_404(agenda_id, "manage")
    region_id = agenda.region_id
    with saving(refuse=True):
        services.delete_agenda(agenda)
    flash("De agenda is verwijderd.")
    return htmx.redirect(url_for("regions.show", region_id=region_id))
