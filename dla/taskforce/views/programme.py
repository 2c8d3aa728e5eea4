"""The programme view across regions, with its CSV and XLSX exports."""

from flask import Response, abort, request

from dla.auth.permissions import access
from dla.charts import figures
from dla.charts.figures import HEAT_COLUMNS, heat_csv_rows
from dla.htmx import render
from dla.tabular import to_csv, to_xlsx
from dla.taskforce import panels
from dla.taskforce.views import bp
from dla.taskforce.views.common import chosen_regions


def _view():
    rights = access()
    if not rights.can_view_programme():
        abort(403)
    regions = chosen_regions(rights.programme_regions())
    return panels.programme_view(regions, rights)


def _measure() -> str:
    measure = request.args.get("waarde", "open")
    return measure if measure in figures.MEASURES else "open"


@bp.get("/programma")
def programme():
    view = _view()
    measure = _measure()
    heat = view.heat
    figure = None
    if heat.aspects and heat.actors:
        figure = figures.heat_map_figure(
            heat,
            measure,
            "Waar zitten de barrières? Alle gekozen regio's samen",
            [[None for _ in heat.actors] for _ in heat.aspects],
        )
    return render(
        "taskforce/programme.html",
        view=view,
        heat_figure=figure,
        measure=measure,
        measures=figures.MEASURES,
        region_ids=[r.id for r in view.regions],
    )


@bp.get("/programma.<fmt>")
def programme_export(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    view = _view()
    if fmt == "csv":
        body = to_csv(panels.group_rows(view), panels.COLUMNS)
        mimetype = "text/csv"
    else:
        body = to_xlsx(
            {
                "Groepen": panels.group_rows(view),
                "Thema's": panels.theme_rows(view),
                "Heatmap": heat_csv_rows(view.heat),
            },
            {"Groepen": panels.COLUMNS, "Thema's": panels.THEME_COLUMNS, "Heatmap": HEAT_COLUMNS},
        )
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="programma.{fmt}"'},
    )
