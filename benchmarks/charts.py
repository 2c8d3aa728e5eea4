"""Time how long each chart takes to build, for one agenda and for a whole region.

    .venv/bin/python benchmarks/charts.py [--database-url URL] [--runs 15]

On the large generated dataset (generated first when missing): region 1 (6 agendas × 24
versions × 30 questions, with the system analysis) and its middle agenda. Per chart, the
median over ``--runs`` of: reading the chart input (two queries, shared by the charts of a
page; reported separately), computing the chart data (pure functions) and building the plotly
figure (plain JSON-ready dicts; plotly's Python object model is not used), and the size of
the figure's JSON as the page embeds it. The chart pages themselves (with their SQL counts at
both sizes) are timed by ``pages.py``. Also prints the size of plotly.js as served (gzip)
and uncompressed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from generate import dataset_ready, dataset_url, generate
from sqlalchemy import select

from dla import create_app
from dla.agendas.models import LEVELS, Agenda
from dla.charts import data, figures, persistence
from dla.charts import queries as chart_queries
from dla.charts.assets import plotly_css, plotly_js, plotly_path
from dla.extensions import db
from dla.regions.models import Region


def timed(function, runs: int) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    if not dataset_ready("large", args.database_url):
        generate("large", args.database_url)
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": dataset_url("large", args.database_url), "SECRET_KEY": "b"}
    )
    with app.app_context():
        region = db.session.scalar(select(Region).order_by(Region.id).limit(1))
        agendas = db.session.scalars(
            select(Agenda).where(Agenda.region_id == region.id).order_by(Agenda.id)
        ).all()
        agenda = agendas[len(agendas) // 2]
        ms, source = timed(lambda: chart_queries.chart_input(region), args.runs)
        print(
            f"chart input of region 1: {len(source.versions)} published versions, "
            f"{len(source.marks)} wordings: {ms:.1f} ms (2 queries)"
        )
        ms, matrix = timed(lambda: chart_queries.matrix_input(region), args.runs)
        print(f"matrix input: {len(matrix.items)} barrier items: {ms:.1f} ms (3 queries)")
        settings = {
            "min_run": region.persist_min_run,
            "max_months": region.persist_max_months,
        }
        print(
            f"\n{'chart':<14} {'scope':<8} {'data ms':>8} {'figure ms':>10} {'rows':>6} "
            f"{'JSON kB':>8}"
        )
        for scope, agenda_id in (("agenda", agenda.id), ("region", None)):
            versions, marks = source.versions, source.marks
            if agenda_id is not None:
                versions = {k: v for k, v in versions.items() if v.agenda_id == agenda_id}
                marks = [m for m in marks if m.version_id in versions]
            charts = {
                "persistence": (
                    lambda a=agenda_id: data.persistence_rows(
                        source.versions, source.marks, agenda_id=a, **settings
                    ),
                    lambda rows, a=agenda_id: persistence.persistence_figure(
                        rows, "x", data.persistence_columns(source.versions, a), region=a is None
                    ),
                ),
                "flow": (
                    lambda a=agenda_id: data.flow_rows(source.versions, source.marks, agenda_id=a),
                    lambda rows: figures.flow_figure(rows, "x"),
                ),
                "survival": (
                    lambda v=versions, m=marks: data.survival_by_level(v, m, LEVELS),
                    lambda rows: figures.survival_figure(rows, "x"),
                ),
            }
            if agenda_id is None:
                charts["heat map"] = (
                    lambda: data.heat_map(
                        matrix.aspects,
                        matrix.actors,
                        matrix.items,
                        matrix.links,
                        data.thread_figures(source.versions, source.marks, **settings),
                    ),
                    lambda heat: figures.heat_map_figure(
                        heat,
                        "open",
                        "x",
                        [["/"] * len(heat.actors) for _ in heat.aspects],
                    ),
                )
            for name, (build_data, build_figure) in charts.items():
                data_ms, result = timed(build_data, args.runs)
                figure_ms, figure = timed(lambda r=result, f=build_figure: f(r), args.runs)
                count = len(result.aspects) if hasattr(result, "aspects") else len(result)
                size = len(json.dumps(figure, separators=(",", ":"))) / 1e3
                print(
                    f"{name:<14} {scope:<8} {data_ms:>8.1f} {figure_ms:>10.1f} {count:>6} "
                    f"{size:>8.0f}"
                )
    raw, packed, _etag = plotly_js()
    css = plotly_css()
    print(
        f"\nplotly.js {plotly_path().name}: {len(raw) / 1e6:.2f} MB, served gzip "
        f"{len(packed) / 1e6:.2f} MB (Cache-Control: public, max-age=31536000, immutable); "
        f"plotly CSS {len(css[0]) / 1e3:.1f} kB, gzip {len(css[1]) / 1e3:.1f} kB"
    )


if __name__ == "__main__":
    main()
