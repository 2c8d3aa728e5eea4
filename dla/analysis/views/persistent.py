"""The persistent-barriers view: the taskforce's home page."""

from flask import request

from dla import htmx
from dla.agendas.models import LEVELS, Version
from dla.analysis import queries
from dla.analysis.views import bp
from dla.analysis.views.common import load_region, rights
from dla.auth.permissions import access
from dla.caching import pages
from dla.measurements import queries as measurement_queries


@bp.get("/regios/<int:region_id>/hardnekkige-barrieres")
def persistent(region_id: int):
    region = load_region(region_id)
    return pages.page(lambda: _persistent(region), region_id=region.id, objects=(region,))


def _persistent(region):
    only = request.args.get("alle") != "1"
    rows = queries.persistent_barriers(
        region, only_persistent=only, where=access().readable_versions(region.id, Version)
    )
    return htmx.render(
        "analysis/persistent.html",
        region=region,
        rows=rows,
        indicators=measurement_queries.item_indicators(row.item.id for row in rows),
        only_persistent=only,
        levels=LEVELS,
        **rights(region.id),
    )
