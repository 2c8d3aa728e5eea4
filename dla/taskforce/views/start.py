"""The taskforce's start page: what needs a decision first, then counts per region."""

from flask import abort

from dla.auth.permissions import access
from dla.htmx import render
from dla.taskforce import queries
from dla.taskforce.views import bp
from dla.taskforce.views.common import today


@bp.get("/taskforce")
def start():
    rights = access()
    region_ids = rights.taskforce_regions()
    if not region_ids:
        abort(403)
    counts = [queries.start_counts(r, rights, today()) for r in queries.regions(region_ids)]
    return render(
        "taskforce/start.html",
        counts=counts,
        needs_decision=sum(len(c.needs_decision) for c in counts),
        open_requests=sum(len(c.open_requests) for c in counts),
        overdue=sum(c.overdue for c in counts),
    )
