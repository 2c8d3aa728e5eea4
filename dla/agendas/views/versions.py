"""A version of an agenda: start, show, edit its details, publish, delete."""

from flask import flash, request, url_for
from flask_login import current_user

from dla import htmx
from dla.agendas import services
from dla.agendas.forms import VersionForm, lines
from dla.agendas.models import CONCEPT, Agenda, Version
from dla.agendas.views import bp
from dla.agendas.views.workspace import page_context
from dla.auth.loaders import get_agenda_or_404, get_version_or_404
from dla.auth.permissions import access
from dla.caching import pages
from dla.errors import DomainError, saving
from dla.forms import to_int


class UnreadableSource(DomainError):
    status = 403


def readable_source(agenda: Agenda) -> Version | None:
    """The latest published version, which a new version copies, when the user may read it.

    A new version starts as a copy of it (or, for an import, has to decide what happened to
    each of its questions), so someone who may not read a restricted latest version cannot
    start the next one: copying part of it would leave the concept without the questions
    it must decide on, and copying all of it would show them.
    """
    if not access().can_start_version(agenda):
        raise UnreadableSource(
            "U kunt geen nieuwe versie van deze agenda beginnen: de laatste vastgestelde "
            "versie is beperkt verspreid en u hoort niet bij de lezers ervan. Vraag de "
            "projectleider om de nieuwe versie te beginnen, of om u aan die versie toe te "
            "voegen."
        )
    return services.latest_published(agenda)


def _render_form(form: VersionForm, agenda: Agenda, version: Version | None, status: int, **extra):
    return (
        htmx.render(
            "agendas/version_form.html",
            form=form,
            agenda=agenda,
            version=version,
            **({"source": None, "concept": None} | extra),
        ),
        status,
    )


@bp.route("/agendas/<int:agenda_id>/versies/nieuw", methods=["GET", "POST"])
def create_version(agenda_id: int):
    agenda = get_agenda_or_404(agenda_id, "create_version")
    source = readable_source(agenda)
    concept = services.concept_version(agenda)
    form = VersionForm()
    if request.method == "GET" and source is not None:
        form.origin.data = source.origin
        form.distribution.data = source.distribution
        form.themes.data = source.themes
    if form.validate_on_submit():
        with saving(form) as saved:
            meta = form.meta_fields()
            if not access().can_issue_any_origin(agenda.region_id):
                # Researchers reconstruct; they do not issue werksessie versions.
                meta["origin"] = "gereconstrueerd"
            version = services.create_version(
                agenda,
                number=form.number.data,
                groups=lines(form.groups.data),
                created_by_id=current_user.id,
                **meta,
            )
        if saved.ok:
            return htmx.redirect(url_for("agendas.version", version_id=version.id))
    status = 422 if form.errors else 200
    return _render_form(form, agenda, None, status, source=source, concept=concept)


@bp.get("/versies/<int:version_id>")
def version(version_id: int):
    version = get_version_or_404(version_id, light=True)
    return pages.page(
        lambda: htmx.render("agendas/version.html", **page_context(get_version_or_404(version_id))),
        region_id=version.agenda.region_id,
        objects=(version, version.agenda),
    )


@bp.route("/versies/<int:version_id>/bewerken", methods=["GET", "POST"])
def edit_version(version_id: int):
    version = get_version_or_404(version_id, "edit")
    if version.status != CONCEPT:
        services.ensure_concept(version)
    form = VersionForm(obj=version)
    status = None
    if request.method == "GET":
        form.lock_version.data = version.lock_version
    elif form.validate_on_submit():
        with saving(form) as saved:
            services.update_version(
                version, lock_version=to_int(form.lock_version.data), **form.meta_fields()
            )
        if saved.ok:
            return htmx.redirect(url_for("agendas.version", version_id=version.id))
        # Show what is saved now, with the message; the next save starts from it.
        version = get_version_or_404(version_id)
        form.lock_version.data = version.lock_version
        status = saved.error.status
    return _render_form(form, version.agenda, version, status or (422 if form.errors else 200))


@bp.post("/versies/<int:version_id>/vaststellen")
def publish(version_id: int):
    version = get_version_or_404(version_id, "edit")
    with saving() as saved:
        services.publish_version(version, lock_version=to_int(request.form.get("lock_version")))
    if not saved.ok:
        if not request.htmx:
            raise saved.error
        error = saved.error
        response = htmx.render("_error.html", message=error.message, current=error.current)
        response.headers["HX-Retarget"] = "#publish-errors"
        response.headers["HX-Reswap"] = "innerHTML show:top"
        return response, error.status
    flash(f"Versie {version.number} is vastgesteld.")
    return htmx.redirect(url_for("agendas.version", version_id=version.id))


@bp.post("/versies/<int:version_id>/verwijderen")
def delete_version(version_id: int):
    version = get_version_or_404(version_id, "edit")
    agenda_id = version.agenda_id
    with saving(refuse=True):
        services.delete_version(version)
    flash("De conceptversie is verwijderd.")
    return htmx.redirect(url_for("agendas.show", agenda_id=agenda_id))
