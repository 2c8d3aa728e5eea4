"""Downloads: a region's export (JSON, CSV, XLSX, researcher bundle) and one version as
DOCX or as a printable page.

Region exports are for projectleiders and onderzoekers; they contain only the versions the
viewer may see. A version's DOCX and print page are for everyone who may read the version.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, make_response, render_template, request

from dla.agendas import services as agenda_services
from dla.agendas.models import Version
from dla.auth.models import ONDERZOEKER, PROJECTLEIDER
from dla.auth.permissions import access
from dla.exports import services, writers
from dla.extensions import db
from dla.regions.models import Region

bp = Blueprint("exports", __name__)

EXPORTERS = {PROJECTLEIDER, ONDERZOEKER}


def may_export(region_id: int) -> bool:
    """Whether the current user may download the region's exports."""
    return access().role(region_id) in EXPORTERS


def _download(data: bytes, filename: str, mimetype: str):
    response = make_response(data)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/regios/<int:region_id>/export.<fmt>")
def region(region_id: int, fmt: str):
    region = db.get_or_404(Region, region_id)
    rights = access()
    rights.require(region.id, rights.role(region.id) in EXPORTERS)
    if fmt not in services.FORMATS:
        abort(404)
    include_authors = request.args.get("zonder_namen") != "1"
    document = services.export_document(
        [region],
        version_filter_for=lambda rid: rights.version_filter(rid, Version),
        include_authors=include_authors,
    )
    name = services.basename([region])
    data = services.build_file(document, fmt, name=name, include_authors=include_authors)
    return _download(data, f"{name}.{fmt}", services.FORMATS[fmt])


def _readable_version(version_id: int) -> Version:
    """Load a version the current user may read: 404 for non-members and for a restricted
    version they may not see, 403 for members without the right."""
    version = agenda_services.load_version(version_id)
    if version is None:
        abort(404)
    rights = access()
    if not rights.can_read_version(version):
        if rights.can_read_agenda(version.agenda):
            abort(404)
        rights.require(version.agenda.region_id, False)
    return version


@bp.get("/versies/<int:version_id>/export.docx")
def version_docx(version_id: int):
    version = _readable_version(version_id)
    document = services.version_document(version)
    day = version.document_date or date.today()
    name = f"dla-{services.slug(version.agenda.title)}-versie-{version.number}-{day.isoformat()}"
    return _download(writers.version_docx(document), f"{name}.docx", services.DOCX_MIMETYPE)


@bp.get("/versies/<int:version_id>/afdrukken")
def print_version(version_id: int):
    version = _readable_version(version_id)
    document = services.version_document(version)
    return render_template(
        "exports/print.html",
        version=version,
        document=document,
        lines=writers.document_lines(document),
    )
