"""The audit log of a region."""

from flask import Blueprint, request

from dla import htmx
from dla.agendas.forms import page_number
from dla.audit import describe, queries
from dla.audit.models import AuditEntry
from dla.auth.loaders import get_region_or_404
from dla.auth.permissions import access

bp = Blueprint("audit", __name__)
PAGE_SIZE = 50


@bp.get("/regios/<int:region_id>/logboek")
def log(region_id: int):
    region = get_region_or_404(region_id, "audit")
    where = [AuditEntry.region_id == region.id, *queries.visible_entries(region.id)]
    total = queries.count_entries(where)
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(page_number(request.args), pages)
    entries = queries.entries_page(where, number, PAGE_SIZE)
    rights = access()
    show_codes = rights.can_see_join_codes(region.id)
    copied = queries.after_unreadable(region.id, {e.version_id for e in entries if e.version_id})
    facts = queries.facts_for(entries, region.name, readable=rights.readable_version_ids(region.id))
    rows = [
        (
            e,
            describe.describe(
                e,
                e.changes_for(show_codes=show_codes, copied_text_hidden=e.version_id in copied),
                facts[e.id],
            ),
        )
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
