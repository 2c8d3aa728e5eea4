"""The system-analysis matrix of a region and its headings (aspects and actor groups)."""

from flask import request, url_for

from dla import htmx
from dla.analysis import queries, services
from dla.analysis.forms import HeadingForm
from dla.analysis.models import MatrixHeading
from dla.analysis.views import bp
from dla.analysis.views.common import EDIT, load, load_region, rights
from dla.errors import ValidationError, saving
from dla.extensions import db
from dla.forms import to_int
from dla.regions.models import Region


@bp.get("/regios/<int:region_id>/systeemanalyse")
def matrix(region_id: int):
    region = load_region(region_id)
    return htmx.render(
        "analysis/matrix.html",
        region=region,
        matrix=queries.matrix(region),
        heading_form=HeadingForm(formdata=None),
        **rights(region.id),
    )


def _matrix_with_error(
    region: Region, message: str, status: int, form=None, field: str | None = None
):
    """The matrix page with a message: at the name field ``field`` (``new-aspect``,
    ``new-actor`` or ``h-<id>``) when the message is about the name typed there, above the
    matrix otherwise."""
    form = form or HeadingForm(formdata=None)
    if field is None:
        form.form_errors.append(message)
    return htmx.render(
        "analysis/matrix.html",
        region=region,
        matrix=queries.matrix(region),
        heading_form=form,
        heading_error={"field": field, "message": message} if field else None,
        **rights(region.id),
    ), status


def _to_lists(region_id: int):
    return htmx.redirect(url_for("analysis.matrix", region_id=region_id, _anchor="lijsten"))


@bp.post("/regios/<int:region_id>/systeemanalyse/standaardlijsten")
def seed(region_id: int):
    region = load_region(region_id, EDIT)
    with saving(refuse=True):
        services.seed_defaults(region)
    return htmx.redirect(url_for("analysis.matrix", region_id=region.id))


@bp.post("/regios/<int:region_id>/systeemanalyse/koppen")
def add_heading(region_id: int):
    region = load_region(region_id, EDIT)
    form = HeadingForm()
    field = f"new-{form.axis.data}" if form.axis.data in ("aspect", "actor") else None
    if not form.validate():
        message = " ".join([*form.name.errors, *form.axis.errors])
        return _matrix_with_error(region, message, 422, form, field)
    with saving() as saved:
        services.add_heading(region, axis=form.axis.data, name=form.name.data)
    if saved.error:
        region = db.session.get(Region, region_id)
        return _matrix_with_error(region, saved.message, 422, form, field)
    return _to_lists(region.id)


@bp.post("/koppen/<int:heading_id>")
def rename_heading(heading_id: int):
    heading = load(MatrixHeading, heading_id, EDIT)
    with saving() as saved:
        services.rename_heading(
            heading,
            name=request.form.get("name", ""),
            lock_version=to_int(request.form.get("lock_version")),
        )
    if saved.error:
        region = db.session.get(Region, heading.region_id)
        field = f"h-{heading_id}" if isinstance(saved.error, ValidationError) else None
        return _matrix_with_error(region, saved.message, saved.error.status, field=field)
    return _to_lists(heading.region_id)


@bp.post("/koppen/<int:heading_id>/verwijderen")
def delete_heading(heading_id: int):
    heading = load(MatrixHeading, heading_id, EDIT)
    region_id = heading.region_id
    with saving() as saved:
        services.delete_heading(heading)
    if saved.error:
        region = db.session.get(Region, region_id)
        return _matrix_with_error(region, saved.message, saved.error.status)
    return _to_lists(region_id)
