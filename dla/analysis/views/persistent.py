"""The persistent-barriers view: the taskforce's home page."""

from flask import request

from dla import htmx
from dla.agendas.models import LEVELS, Version
from dla.agendas.queries import today
from dla.analysis import queries
from dla.analysis.views import bp
from dla.analysis.views.common import load_region, rights
from dla.auth.permissions import access
from dla.caching import fragments, pages
from dla.caching.models import ANALYSIS, PUBLISHED
from dla.measurements import queries as measurement_queries


@bp.get("/regios/<int:region_id>/hardnekkige-barrieres")
def persistent(region_id: int):
    region = load_region(region_id)
    return pages.page(lambda: _persistent(region), region_id=region.id, objects=(region,))


def _persistent(region):
    only = request.args.get("alle") != "1"
    flags = rights(region.id)

    def ranked() -> dict:
        rows = queries.persistent_barriers(
            region, only_persistent=only, where=access().readable_versions(region.id, Version)
        )
        return {
            "region": region,
            "rows": rows,
            "indicators": measurement_queries.item_indicators(row.item.id for row in rows),
            "only_persistent": only,
            "levels": LEVELS,
            "deciding": flags["deciding"],
        }

    # Published questions and the analysis only: shared by everyone who may read the same.
    table = fragments.shared(
        "analysis/_persistent_table.html",
        (region.id, only, flags["deciding"], today()),
        ranked,
        region_id=region.id,
        topics=(PUBLISHED, ANALYSIS),
    )
    return htmx.render(
        "analysis/persistent.html", region=region, table=table, only_persistent=only, **flags
    )
