"""The citation check page, quoting a question ("Citeren"), a quotation's permalink, and a
version's report reference.

The check is for onderzoekers and projectleiders; it reads only what they may read
(``Access.readable_versions``): a restricted version they are no member of is never matched.
"""

from __future__ import annotations

from flask import Blueprint, request, url_for
from flask_login import current_user

from dla import htmx
from dla.agendas import queries as agenda_queries
from dla.agendas import services as agendas
from dla.auth.loaders import get_region_or_404, get_version_or_404, get_wording_or_404
from dla.auth.permissions import access
from dla.citations import services
from dla.citations.matching import KINDS
from dla.citations.models import Quotation
from dla.demo import DEMO_REGIONS
from dla.demo.citations import EXAMPLE_REPORT
from dla.errors import DomainError, saving
from dla.extensions import db
from dla.forms import format_date, to_int
from dla.regions.models import Region

bp = Blueprint("citations", __name__)


def _check_page(region: Region, status: int = 200, **context):
    return htmx.render(
        "citations/check.html",
        "citations/_results.html",
        region=region,
        example=EXAMPLE_REPORT if region.name in DEMO_REGIONS else "",
        kinds=KINDS,
        **({"results": None, "text": "", "error": ""} | context),
    ), status


@bp.get("/regios/<int:region_id>/citaten")
def check(region_id: int):
    region = get_region_or_404(region_id, "check_citations")
    text = EXAMPLE_REPORT if request.args.get("voorbeeld") and region.name in DEMO_REGIONS else ""
    return _check_page(region, text=text)


@bp.post("/regios/<int:region_id>/citaten")
def check_report(region_id: int):
    """Check the pasted text or the uploaded report: every quote, its source and its tag."""
    region = get_region_or_404(region_id, "check_citations")
    pasted = request.form.get("tekst", "")
    upload = request.files.get("bestand")
    try:
        if upload is not None and upload.filename:
            text = services.report_text(filename=upload.filename, data=upload.read())
        else:
            text = services.report_text(pasted)
    except DomainError as error:
        return _check_page(region, error.status, text=pasted, error=error.message)
    results = services.check_report(region, text, access().readable_versions(region.id))
    return _check_page(region, text=pasted, results=results)


@bp.post("/vragen/<int:wording_id>/citeren")
def quote(wording_id: int):
    """Make a citation of this wording: stored, so the question shows where it was used."""
    wording = get_wording_or_404(wording_id, "read")
    region_id = wording.version.agenda.region_id
    access().require(region_id, access().can_check_citations(region_id))
    with saving(refuse=True):
        quotation = services.create_quotation(
            wording, created_by_id=current_user.id, today=agenda_queries.today()
        )
    return htmx.redirect(url_for("citations.quotation", quotation_id=quotation.id))


@bp.get("/citaten/<int:quotation_id>")
def quotation(quotation_id: int):
    """A quotation's stable page: the question as quoted, its tag, date and permalink."""
    quotation = db.get_or_404(Quotation, quotation_id)
    wording = get_wording_or_404(quotation.wording_id, "read")
    region_id = wording.version.agenda.region_id
    access().require(region_id, access().can_read_quotations(region_id))
    permalink = url_for("citations.quotation", quotation_id=quotation.id, _external=True)
    return htmx.render(
        "citations/quotation.html",
        quotation=quotation,
        wording=wording,
        version=wording.version,
        agenda=wording.version.agenda,
        permalink=permalink,
        citation=services.citation_text(
            quotation, permalink, format_date(quotation.cited_on, "long")
        ),
    )


@bp.post("/versies/<int:version_id>/verwijzing")
def set_reference(version_id: int):
    """How reports cite the version ("bijlage 2.4"); allowed after publishing."""
    version = get_version_or_404(version_id)
    access().require(version.agenda.region_id, access().can_set_report_reference(version))
    with saving(refuse=True):
        agendas.set_report_reference(
            version,
            request.form.get("verwijzing", ""),
            lock_version=to_int(request.form.get("lock_version")),
        )
    return htmx.redirect(url_for("agendas.version", version_id=version.id))
