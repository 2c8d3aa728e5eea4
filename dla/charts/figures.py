"""Plotly figures (as plain dicts) and the tables and CSV rows with the same numbers.

Pure functions of the chart data in ``dla.charts.data``. Colour is never the only carrier:
marks have a symbol per kind, bars a pattern, survival lines a dash style, and every chart
has a table with the same numbers next to it.
"""

from __future__ import annotations

import textwrap
from datetime import date
from functools import lru_cache
from html import escape

from dla import dates
from dla.agendas.history import TRANSITION_LABELS
from dla.agendas.models import LEVELS
from dla.charts.data import (
    FLOW_KINDS,
    NEW,
    RETURNED,
    SURVIVAL_MONTHS,
    FlowRow,
    Survival,
)

# Okabe–Ito colours (distinguishable with colour blindness), a symbol and a bar pattern per
# kind, and the Dutch label.
_LOOK = {
    NEW: ("#0072B2", "circle", ""),
    "blijft_staan": ("#7f7f7f", "square", "."),
    "geherformuleerd": ("#CC79A7", "diamond", "/"),
    "gesplitst": ("#56B4E9", "star", "x"),
    "verplaatst": ("#E69F00", "triangle-right", "-"),
    RETURNED: ("#0072B2", "circle-open", ""),
    "samengevoegd": ("#000000", "triangle-down", "+"),
    "voorlopig_beantwoord": ("#009E73", "star-diamond", "|"),
    "vervallen": ("#D55E00", "x", "\\"),
}
# The names come from the one label table of the decisions (history.TRANSITION_LABELS).
STYLE = {
    kind: ({NEW: "Nieuw", RETURNED: "Teruggekomen"}.get(kind) or TRANSITION_LABELS[kind], *look)
    for kind, look in _LOOK.items()
}
LEVEL_STYLE = {
    "operationeel": ("#0072B2", "solid", "circle"),
    "tactisch": ("#E69F00", "dash", "square"),
    "strategisch": ("#009E73", "dot", "diamond"),
    "netwerk": ("#CC79A7", "dashdot", "triangle-up"),
}
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 14}


def label(kind: str) -> str:
    return STYLE.get(kind, (kind,))[0]


def short_date(day: date | None) -> str:
    return dates.short(day) if day else "zonder datum"


def plain(text) -> str:
    """Text shown as text in a chart. Plotly renders a subset of HTML in every label, title,
    legend entry and hover text (links, styled spans), so everything the app did not write
    itself goes through here. Only ``& < >`` are escaped: plotly shows ``&quot;`` literally."""
    return escape(str(text), quote=False)


@lru_cache(maxsize=4096)
def hover_text(text: str) -> str:
    """Escaped and wrapped at 70 characters (cached: wordings repeat across versions)."""
    return "<br>".join(plain(line) for line in textwrap.wrap(text, 70)) or "–"


def layout(title: str, **extra) -> dict:
    layout = {
        "title": {"text": plain(title), "x": 0, "xanchor": "left"},
        "font": FONT,
        "margin": {"l": 60, "r": 20, "t": 60, "b": 120},
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "hoverlabel": {"align": "left"},
        # Below the plot, whatever its height.
        "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0},
    }
    layout.update(extra)
    if len(title) > 50 and "? " in title:
        # Long titles take two lines, so the toolbar (top right) never covers them.
        layout["title"]["text"] = plain(title).replace("? ", "?<br>", 1)
        layout["margin"] = {**layout["margin"], "t": layout["margin"]["t"] + 24}
        if "height" in layout:
            layout["height"] += 24
    return layout


# --- flow ------------------------------------------------------------------------------------


def flow_figure(rows: list[FlowRow], title: str) -> dict:
    keys = [plain(row.key) for row in rows]
    traces = []
    for kind in FLOW_KINDS:
        name, colour, _symbol, pattern = STYLE[kind]
        values = [row.counts.get(kind, 0) for row in rows]
        if not any(values):
            continue
        traces.append(
            {
                "type": "bar",
                "name": name,
                "x": keys,
                "y": values,
                "marker": {
                    "color": colour,
                    "pattern": {
                        "shape": pattern,
                        "fillmode": "overlay",
                        "fgcolor": "#ffffff",
                        "solidity": 0.3,
                    },
                    "line": {"color": "#ffffff", "width": 1},
                },
                "hovertemplate": f"%{{x}}<br>{name}: %{{y}}<extra></extra>",
            }
        )
    return {
        "data": traces,
        "layout": layout(
            title,
            barmode="stack",
            height=420,
            xaxis={"type": "category", "title": {"text": ""}, "automargin": True},
            yaxis={
                "title": {"text": "Aantal vragen"},
                "rangemode": "tozero",
                "gridcolor": "#eef0f2",
            },
        ),
        # Phones: dates stand upright so they never overlap; the legend below gets room.
        "phone": {
            "height": 560,
            "margin": {"l": 50, "r": 8, "t": 50, "b": 230},
            "xaxis.tickangle": -90,
            "xaxis.tickfont": {"size": 11},
        },
    }


FLOW_COLUMNS = ["versie_of_datum", "datum", *FLOW_KINDS, "totaal"]


def flow_csv_rows(rows: list[FlowRow]) -> list[dict]:
    return [
        {
            "versie_of_datum": row.key,
            "datum": row.day.isoformat() if row.day else "",
            **{kind: row.counts.get(kind, 0) for kind in FLOW_KINDS},
            "totaal": row.total,
        }
        for row in rows
    ]


# --- survival --------------------------------------------------------------------------------


# Lines that coincide (every level at 100 % while nothing has ended yet) stay visible:
# each next level is drawn narrower on top of the one before, and ends in its own symbol.
SURVIVAL_WIDTHS = (9, 6, 3.5, 1.5)


def survival_figure(curves: list[Survival], title: str) -> dict:
    traces = []
    for number, curve in enumerate(curves):
        colour, dash, symbol = LEVEL_STYLE.get(curve.level, ("#333333", "solid", "circle"))
        level = plain(LEVELS.get(curve.level, curve.level))
        name = f"{level} ({curve.threads} vragen)"
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name,
                "x": [round(t, 2) for t, _ in curve.steps],
                "y": [round(v * 100, 1) for _, v in curve.steps],
                "line": {
                    "shape": "hv",
                    "color": colour,
                    "dash": dash if number else "solid",
                    "width": SURVIVAL_WIDTHS[min(number, len(SURVIVAL_WIDTHS) - 1)],
                },
                # A symbol at the end of each line (and at every step), big enough to show
                # a level whose questions stood in one version only (a line of length 0).
                "marker": {
                    "symbol": symbol,
                    "size": [8] * (len(curve.steps) - 1) + [14],
                    "color": colour,
                    "line": {"width": 1.5, "color": "#ffffff"},
                },
                "hovertemplate": (
                    f"{level}<br>na %{{x:.1f}} maanden: %{{y:.0f}}% nog open<extra></extra>"
                ),
            }
        )
    return {
        "data": traces,
        "layout": layout(
            title,
            height=420,
            xaxis={
                "title": {"text": "Maanden sinds de vraag voor het eerst op de agenda stond"},
                # From just before 0: a level followed for one version only (a line of
                # length 0) still shows its end symbol in full.
                "range": [-0.4, max((c.steps[-1][0] for c in curves), default=1) * 1.04 + 0.4],
                "gridcolor": "#eef0f2",
                "automargin": True,
            },
            yaxis={
                "title": {"text": "Nog open (%)"},
                "range": [0, 108],
                "gridcolor": "#eef0f2",
                "automargin": True,
            },
        ),
        "phone": {
            "height": 520,
            "margin": {"l": 50, "r": 8, "t": 50, "b": 190},
            "xaxis.title.text": "Maanden sinds de eerste versie",
        },
    }


SURVIVAL_COLUMNS = [
    "niveau",
    "vragen",
    "afgesloten",
    *(f"open_na_{m}_maanden" for m in SURVIVAL_MONTHS),
    "mediaan_maanden",
]


def survival_csv_rows(curves: list[Survival]) -> list[dict]:
    return [
        {
            "niveau": curve.level,
            "vragen": curve.threads,
            "afgesloten": curve.ended,
            **{
                f"open_na_{m}_maanden": "" if curve.at[m] is None else round(curve.at[m] * 100, 1)
                for m in SURVIVAL_MONTHS
            },
            "mediaan_maanden": "" if curve.median is None else round(curve.median, 1),
        }
        for curve in curves
    ]


# --- indicator trend -------------------------------------------------------------------------


def format_number(value: float | None) -> str:
    """12.5 -> "12,5", 1234 -> "1.234" (Dutch), at most two decimals, no trailing zeros."""
    if value is None:
        return ""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def trend_figure(
    name: str,
    unit: str,
    numeric: list,
    stories: list,
    title: str,
    *,
    scale: tuple[float, float] | None = None,
    target: float | None = None,
) -> dict:
    """Numbers as a line over time; every narrative as a numbered annotation (✎ 1, ✎ 2 …)
    at its date, with the whole text on hover. A qualitative indicator has only these.
    ``scale`` (a score, e.g. 1–10): the y-axis shows the whole scale, not just the data.
    ``target`` (the streefwaarde): a dashed horizontal line across the measured period,
    labelled at its right end."""
    traces = []
    if numeric:
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": plain(name),
                "x": [p.day.isoformat() for p in numeric],
                "y": [p.value for p in numeric],
                "text": [
                    f"{short_date(p.day)}{' – ' + short_date(p.end) if p.end else ''}: "
                    f"{format_number(p.value)} {plain(unit)}".strip()
                    for p in numeric
                ],
                "hovertemplate": "%{text}<extra></extra>",
                "line": {"color": "#0072B2", "width": 3},
                "marker": {"size": 9, "symbol": "circle", "color": "#0072B2"},
            }
        )
    values = {p.day: p.value for p in numeric}
    annotations = []
    if numeric and target is not None:
        days = [p.day.isoformat() for p in numeric] + [p.end.isoformat() for p in numeric if p.end]
        first, last = min(days), max(days)
        label = f"Streefwaarde {format_number(target)} {plain(unit)}".strip()
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": "Streefwaarde",
                "x": [first, last],
                "y": [target, target],
                "text": [label, label],
                "hovertemplate": "%{text}<extra></extra>",
                "line": {"color": "#009E73", "width": 2, "dash": "dash"},
            }
        )
        annotations.append(
            {
                "x": last,
                "y": target,
                "xref": "x",
                "yref": "y",
                "text": label,
                "showarrow": False,
                "xanchor": "right",
                "yanchor": "bottom",
                "font": {"size": 13, "color": "#00664a"},
            }
        )
    story_x, story_y, story_text = [], [], []
    for number, point in stories:
        anchored = values.get(point.day)
        if not numeric:
            anchored = 0  # on the row of story marks
        annotations.append(
            {
                "x": point.day.isoformat(),
                "y": anchored if anchored is not None else 0.95,
                "yref": "y" if anchored is not None else "paper",
                "text": f"✎ {number}",
                "hovertext": hover_text(point.narrative),
                "showarrow": True,
                "arrowhead": 0,
                "ax": 0,
                "ay": -30,
                "bgcolor": "#fff8e1",
                "bordercolor": "#b35c00",
                "font": {"size": 13},
            }
        )
        if not numeric:
            story_x.append(point.day.isoformat())
            story_y.append(0)
            story_text.append(
                f"✎ {number} · {short_date(point.day)}<br>{hover_text(point.narrative)}"
            )
    if story_x:
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "Verhalen",
                "x": story_x,
                "y": story_y,
                "text": story_text,
                "hovertemplate": "%{text}<extra></extra>",
                "marker": {"size": 12, "symbol": "diamond", "color": "#b35c00"},
            }
        )
    yaxis = {
        "title": {"text": plain(unit) or "Waarde"},
        "gridcolor": "#eef0f2",
        "rangemode": "tozero",
    }
    if scale is not None:
        low, high = scale
        yaxis.pop("rangemode")
        yaxis.update(range=[low - 0.3, high + 0.3], tickvals=list(range(int(low), int(high) + 1)))
    if not numeric:
        yaxis = {"visible": False, "range": [-1, 1]}
    return {
        "data": traces,
        "layout": layout(
            title,
            height=380,
            showlegend=False,
            annotations=annotations,
            xaxis={
                "type": "date",
                "title": {"text": "Datum"},
                "tickformat": "%-d %b %Y",
                "gridcolor": "#eef0f2",
                "automargin": True,
            },
            yaxis=yaxis,
        ),
        "phone": {"margin": {"l": 50, "r": 8, "t": 50, "b": 90}, "xaxis.tickangle": -90},
    }


TREND_COLUMNS = ["datum", "einde_periode", "waarde", "eenheid", "verhaal_nummer", "verhaal", "bron"]


def trend_csv_rows(points: list, stories: list, unit: str) -> list[dict]:
    numbers = {point.key: number for number, point in stories}
    ordered = sorted(points, key=lambda p: (p.day, p.end or p.day, p.key))
    return [
        {
            "datum": p.day.isoformat(),
            "einde_periode": p.end.isoformat() if p.end else "",
            "waarde": "" if p.value is None else p.value,
            "eenheid": unit if p.value is not None else "",
            "verhaal_nummer": numbers.get(p.key, ""),
            "verhaal": p.narrative,
            "bron": p.source,
        }
        for p in ordered
    ]


# --- barrier heat map ------------------------------------------------------------------------

MEASURES = {"open": "open vragen", "hardnekkig": "hardnekkige vragen"}


def heat_map_figure(heat, measure: str, title: str, cell_urls: list[list[str]]) -> dict:
    """Aspects as rows, actor groups as columns, the number in every cell (so colour is not
    the only carrier); a click on a cell opens it (the URL is in customdata)."""
    values = heat.values(measure)
    return {
        "data": [
            {
                "type": "heatmap",
                "x": [plain(name) for _id, name in heat.actors],
                "y": [plain(name) for _id, name in heat.aspects],
                "z": values,
                "customdata": cell_urls,
                "text": [[str(v) if v else "" for v in row] for row in values],
                "texttemplate": "%{text}",
                "textfont": {"size": 15},
                "colorscale": [[0, "#f4f7fb"], [1, "#08306b"]],
                "zmin": 0,
                "xgap": 2,
                "ygap": 2,
                # No colour bar: the numbers are in the cells (and plotly's colour bar sets
                # inline styles, which the CSP blocks).
                "showscale": False,
                "hovertemplate": f"%{{y}} × %{{x}}<br>%{{z}} {MEASURES[measure]}"
                "<br>Klik om de cel te openen<extra></extra>",
            }
        ],
        "layout": layout(
            title,
            height=max(360, 160 + 42 * len(heat.aspects)),
            margin={"l": 230, "r": 20, "t": 60, "b": 40},
            xaxis={"side": "bottom", "tickangle": -30, "automargin": True},
            yaxis={"autorange": "reversed", "automargin": True},
        ),
        # Phones: every label stays, shortened (the table below has them in full).
        "phone": {
            "height": max(420, 220 + 34 * len(heat.aspects)),
            "margin": {"l": 8, "r": 8, "t": 50, "b": 20},
            "xaxis.tickangle": -90,
            "xaxis.tickvals": [plain(name) for _id, name in heat.actors],
            "xaxis.ticktext": [plain(_cut(name, 14)) for _id, name in heat.actors],
            "xaxis.tickfont": {"size": 10},
            "yaxis.tickvals": [plain(name) for _id, name in heat.aspects],
            "yaxis.ticktext": [plain(_cut(name, 16)) for _id, name in heat.aspects],
            "yaxis.tickfont": {"size": 10},
        },
    }


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


HEAT_COLUMNS = ["systeemaspect", "actorgroep", "open_vragen", "hardnekkige_vragen"]


def heat_csv_rows(heat) -> list[dict]:
    return [
        {
            "systeemaspect": aspect,
            "actorgroep": actor,
            "open_vragen": heat.open[i][j],
            "hardnekkige_vragen": heat.hardnekkig[i][j],
        }
        for i, (_a, aspect) in enumerate(heat.aspects)
        for j, (_b, actor) in enumerate(heat.actors)
    ]
