"""The audit log of a region."""

from flask import Blueprint, request
from sqlalchemy import func, select

from dla import htmx
from dla.agendas.forms import page_number
from dla.audit.models import AuditEntry
from dla.auth.permissions import access
from dla.extensions import db
from dla.regions.models import Region

bp = Blueprint("audit", __name__)
PAGE_SIZE = 50


@bp.get("/regios/<int:region_id>/logboek")
def log(region_id: int):
    region = db.get_or_404(Region, region_id)
    rights = access()
    rights.require(region.id, rights.can_audit(region.id))
    total = db.session.scalar(
        select(func.count(AuditEntry.id)).where(AuditEntry.region_id == region.id)
    )
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(page_number(request.args), pages)
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.region_id == region.id)
        .order_by(AuditEntry.id.desc())
        .limit(PAGE_SIZE)
        .offset((number - 1) * PAGE_SIZE)
    ).all()
    return htmx.render(
        "audit/log.html", region=region, entries=entries, number=number, pages=pages, total=total
    )
