"""Downloads: a region's export (JSON, CSV, XLSX, researcher bundle, REFI-QDA project and
codebook) and one version as DOCX or as a printable page.

Region exports are for projectleiders and onderzoekers; they contain only the versions the
viewer may see. A version's DOCX and print page are for everyone who may read the version.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, make_response, render_template, request

from dla.agendas.models import Version
from dla.auth.loaders import get_region_or_404, get_version_or_404
from dla.auth.permissions import access
from dla.exports import docx, services, writers

bp = Blueprint("exports", __name__)


def _download(data: bytes, filename: str, mimetype: str):
    response = make_response(data)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/regios/<int:region_id>/export.<fmt>")
def region(region_id: int, fmt: str):
    region = get_region_or_404(region_id, "export")
    rights = access()
    if fmt not in services.FORMATS:
        abort(404)
    include_authors = request.args.get("zonder_namen") != "1"
    dialect = "excel-nl" if request.args.get("scheiding") == "puntkomma" else "comma"
    document = services.export_document(
        [region],
        version_filter_for=lambda rid: rights.readable_versions(rid, Version),
        include_authors=include_authors,
    )
    name = services.basename([region])
    data = services.build_file(
        document, fmt, name=name, include_authors=include_authors, csv_dialect=dialect
    )
    return _download(data, f"{name}.{fmt}", services.FORMATS[fmt])


@bp.get("/versies/<int:version_id>/export.docx")
def version_docx(version_id: int):
    version = get_version_or_404(version_id)
    document = services.version_document(version)
    day = version.document_date or date.today()
    name = f"dla-{services.slug(version.agenda.title)}-versie-{version.number}-{day.isoformat()}"
    return _download(docx.version_docx(document), f"{name}.docx", services.DOCX_MIMETYPE)


@bp.get("/versies/<int:version_id>/afdrukken")
def print_version(version_id: int):
    version = get_version_or_404(version_id)
    document = services.version_document(version)
    return render_template(
        "exports/print.html",
        version=version,
        document=document,
        lines=writers.document_lines(document),
    )
