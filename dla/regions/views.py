"""Region pages: the list of regions and a region's overview of questions."""

from flask import Blueprint, abort, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from dla import htmx
from dla.agendas import queries
from dla.agendas.forms import STATUS_FILTERS, page_number, question_filters
from dla.agendas.models import LEVELS, Agenda, Thread, Version
from dla.auth import services as auth_services
from dla.auth.loaders import get_region_or_404
from dla.auth.permissions import access
from dla.errors import DomainError
from dla.extensions import db
from dla.forms import to_int
from dla.regions import services
from dla.regions.forms import NewRegionForm, RegionForm
from dla.regions.models import Region

bp = Blueprint("regions", __name__)


@bp.get("/")
def index():
    rights = access()
    query = select(Region).order_by(Region.name)
    if not rights.is_admin:
        query = query.where(Region.id.in_(list(rights.roles)))
    regions = db.session.scalars(query).all()
    agenda_counts = dict(
        db.session.execute(
            select(Agenda.region_id, func.count(Agenda.id)).group_by(Agenda.region_id)
        ).all()
    )
    thread_counts = dict(
        db.session.execute(
            select(Thread.region_id, func.count(Thread.id)).group_by(Thread.region_id)
        ).all()
    )
    for region in regions:
        # Count only the questions the person may read (restricted versions stay uncounted).
        readable = rights.readable_threads(region.id)
        if readable is not None and rights.is_member(region.id):
            thread_counts[region.id] = db.session.scalar(
                select(func.count(Thread.id)).where(Thread.id.in_(readable))
            )
    return htmx.render(
        "regions/index.html",
        regions=regions,
        agenda_counts=agenda_counts,
        thread_counts=thread_counts,
    )


@bp.route("/regios/nieuw", methods=["GET", "POST"])
def create():
    if not access().is_admin:
        abort(403)
    form = NewRegionForm()
    # The stop words are set on an existing region's settings page, not shown here: a value
    # sent for them must not refuse the new region with a message nobody can see.
    del form.stop_words
    if form.validate_on_submit():
        try:
            region = services.create_region(
                form.name.data,
                description=form.description.data or "",
                municipalities=form.municipalities.data or "",
                persist_min_run=form.persist_min_run.data,
                persist_max_months=form.persist_max_months.data,
            )
            auth_services.set_membership(current_user, region.id, form.my_role.data or "beheerder")
        except DomainError as error:
            db.session.rollback()
            form.name.errors = [*form.name.errors, error.message]
        else:
            db.session.commit()
            if form.my_role.data == "beheerder":
                return htmx.redirect(url_for("auth.members", region_id=region.id))
            return htmx.redirect(url_for("regions.show", region_id=region.id))
    status = 422 if form.errors else 200
    return htmx.render("regions/form.html", form=form, region=None), status


@bp.get("/regios/<int:region_id>")
def show(region_id: int):
    region = get_region_or_404(region_id)
    rights = access()
    filters = question_filters(request.args)
    page = queries.region_questions(
        region,
        page=page_number(request.args),
        where=rights.readable_versions(region.id, Version),
        **filters,
    )
    agendas = [
        agenda
        for agenda in db.session.scalars(
            select(Agenda).where(Agenda.region_id == region.id).order_by(Agenda.title)
        )
        if rights.can_read_agenda(agenda)
    ]
    by_level = {level: [a for a in agendas if a.level == level] for level in LEVELS}
    return htmx.render(
        "regions/show.html",
        "regions/_questions.html",
        region=region,
        listing=page,
        rows=page.rows,
        filters=filters,
        by_level=by_level,
        levels=LEVELS,
        audiences=queries.audiences(region),
        status_filters=STATUS_FILTERS,
    )


@bp.route("/regios/<int:region_id>/bewerken", methods=["GET", "POST"])
def edit(region_id: int):
    region = get_region_or_404(region_id, "edit_region")
    form = RegionForm(obj=region)
    if form.validate_on_submit():
        try:
            services.update_region(
                region,
                lock_version=to_int(form.lock_version.data),
                name=form.name.data,
                description=form.description.data or "",
                municipalities=form.municipalities.data or "",
                persist_min_run=form.persist_min_run.data,
                persist_max_months=form.persist_max_months.data,
                stop_words=form.stop_words.data or "",
            )
        except DomainError as error:
            db.session.rollback()
            region = get_region_or_404(region_id, "edit_region")
            form.form_errors.append(error.message)
            form.lock_version.data = region.lock_version
            return htmx.render("regions/form.html", form=form, region=region), error.status
        db.session.commit()
        return htmx.redirect(url_for("regions.show", region_id=region.id))
    if request.method == "GET":
        form.lock_version.data = region.lock_version
    status = 422 if form.errors else 200
    return htmx.render("regions/form.html", form=form, region=region), status
