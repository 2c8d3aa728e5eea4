"""The audit log of a region."""

from flask import Blueprint, request
from sqlalchemy import func, or_, select

from dla import htmx
from dla.agendas import services as agenda_services
from dla.agendas.forms import page_number
from dla.agendas.models import Version
from dla.audit.models import VERSIONED_ENTITIES, AuditEntry
from dla.auth.loaders import get_region_or_404
from dla.auth.permissions import access
from dla.extensions import db

bp = Blueprint("audit", __name__)
PAGE_SIZE = 50


def visible_entries(region_id: int) -> list:
    """SQL conditions on ``AuditEntry`` for the entries the current user may read: none
    about a version, a question thread or a werksessie they may not read (what it was
    about would show restricted text, or that it exists)."""
    rights = access()
    if rights.readable_versions(region_id) is None:
        return []
    return [
        or_(
            AuditEntry.version_id.in_(rights.readable_version_ids(region_id)),
            AuditEntry.version_id.is_(None) & AuditEntry.entity.not_in(VERSIONED_ENTITIES),
        ),
        or_(
            AuditEntry.thread_id.is_(None),
            AuditEntry.thread_id.in_(rights.readable_threads(region_id)),
        ),
        or_(
            AuditEntry.werksessie_id.is_(None),
            AuditEntry.werksessie_id.not_in(rights.hidden_sessions(region_id)),
        ),
    ]


def _after_unreadable(region_id: int, version_ids: set[int]) -> set[int]:
    """Those of ``version_ids`` whose previous published version the user may not read: a
    new version starts as a copy of it, so its log holds that version's text."""
    rights = access()
    if not version_ids or rights.readable_versions(region_id) is None:
        return set()
    hidden = set()
    for version in db.session.scalars(select(Version).where(Version.id.in_(version_ids))):
        previous = agenda_services.previous_version(version)
        if previous is not None and not rights.can_read_version(previous):
            hidden.add(version.id)
    return hidden


@bp.get("/regios/<int:region_id>/logboek")
def log(region_id: int):
    region = get_region_or_404(region_id, "audit")
    where = [AuditEntry.region_id == region.id, *visible_entries(region.id)]
    total = db.session.scalar(select(func.count(AuditEntry.id)).where(*where))
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(page_number(request.args), pages)
    entries = db.session.scalars(
        select(AuditEntry)
        .where(*where)
        .order_by(AuditEntry.id.desc())
        .limit(PAGE_SIZE)
        .offset((number - 1) * PAGE_SIZE)
    ).all()
    rights = access()
    show_codes = rights.can_see_join_codes(region.id)
    copied = _after_unreadable(region.id, {e.version_id for e in entries if e.version_id})
    rows = [
        (e, e.changes_for(show_codes=show_codes, copied_text_hidden=e.version_id in copied))
        for e in entries
    ]
    return htmx.render(
        "audit/log.html",
        region=region,
        rows=rows,
        number=number,
        pages=pages,
        total=total,
    )
