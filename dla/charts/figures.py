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
from dla.agendas.models import LEVELS
from dla.charts.data import (
    FLOW_KINDS,
    MARK_KINDS,
    NEW,
    RETURNED,
    SURVIVAL_MONTHS,
    FlowRow,
    Survival,
    ThreadRow,
)

# Okabe–Ito colours (distinguishable with colour blindness), a symbol and a bar pattern per
# kind, and the Dutch label.
STYLE = {
    NEW: ("Nieuw", "#0072B2", "circle", ""),
    "blijft_staan": ("Blijft staan", "#7f7f7f", "square", "."),
    "geherformuleerd": ("Geherformuleerd", "#CC79A7", "diamond", "/"),
    "gesplitst": ("Gesplitst", "#56B4E9", "star", "x"),
    "verplaatst": ("Verplaatst", "#E69F00", "triangle-right", "-"),
    RETURNED: ("Teruggekomen", "#0072B2", "circle-open", ""),
    "samengevoegd": ("Samengevoegd", "#000000", "triangle-down", "+"),
    "voorlopig_beantwoord": ("Voorlopig beantwoord", "#009E73", "star-diamond", "|"),
    "vervallen": ("Vervallen", "#D55E00", "x", "\\"),
}
LEVEL_STYLE = {
    "operationeel": ("#0072B2", "solid", "circle"),
    "tactisch": ("#E69F00", "dash", "square"),
    "strategisch": ("#009E73", "dot", "diamond"),
    "netwerk": ("#CC79A7", "dashdot", "triangle-up"),
}
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 14}
ROW_HEIGHT = 26


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
def _hover_text(text: str) -> str:
    """Escaped and wrapped at 70 characters (cached: wordings repeat across versions)."""
    return "<br>".join(plain(line) for line in textwrap.wrap(text, 70)) or "–"


def _layout(title: str, **extra) -> dict:
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
    return layout


# --- persistence -----------------------------------------------------------------------------


def row_name(row: ThreadRow, width: int = 48) -> str:
    text = row.text if len(row.text) <= width else row.text[: width - 1].rstrip() + "…"
    return plain(f"{row.code} · {text}")


def persistence_figure(rows: list[ThreadRow], title: str) -> dict:
    """One row per thread, a mark per version it stands in (symbol and colour by how it got
    there), a grey line through its marks, and the mark of how it left."""
    names = [row_name(row) for row in rows]
    line_x: list = []
    line_y: list = []
    points: dict[str, dict[str, list]] = {
        kind: {"x": [], "y": [], "text": []} for kind in MARK_KINDS
    }
    for row, name in zip(rows, names, strict=True):
        cells = [c for c in row.cells if c.day] + ([row.exit] if row.exit and row.exit.day else [])
        for cell in cells:
            line_x.append(cell.day.isoformat())
            line_y.append(name)
        line_x.append(None)
        line_y.append(None)
        for cell in row.cells:
            if cell.day is None:
                continue
            target = points[cell.kind]
            target["x"].append(cell.day.isoformat())
            target["y"].append(name)
            target["text"].append(
                f"<b>{plain(cell.version.name.capitalize())} · {short_date(cell.day)}</b><br>"
                f"{plain(cell.version.agenda_title)}<br>"
                f"{plain(cell.label)}. {_hover_text(cell.text)}<br><i>{label(cell.kind)}</i>"
            )
        if row.exit and row.exit.day:
            target = points[row.exit.kind]
            target["x"].append(row.exit.day.isoformat())
            target["y"].append(name)
            target["text"].append(
                f"<b>{label(row.exit.kind)}</b> in {plain(row.exit.version.name)} · "
                f"{short_date(row.exit.day)}<br>{plain(row.exit.version.agenda_title)}"
            )
    traces = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": line_x,
            "y": line_y,
            "line": {"color": "#c8ccd0", "width": 2},
            "hoverinfo": "skip",
            "showlegend": False,
        }
    ]
    for kind in MARK_KINDS:
        data = points[kind]
        if not data["x"]:
            continue
        name, colour, symbol, _pattern = STYLE[kind]
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": name,
                "x": data["x"],
                "y": data["y"],
                "text": data["text"],
                "hovertemplate": "%{text}<extra></extra>",
                "marker": {
                    "color": colour,
                    "symbol": symbol,
                    "size": 13,
                    "line": {"width": 1.5, "color": colour},
                },
            }
        )
    height = max(320, 200 + ROW_HEIGHT * len(rows))
    return {
        "data": traces,
        "layout": _layout(
            title,
            height=height,
            margin={"l": 360, "r": 20, "t": 60, "b": 130},
            xaxis={
                "type": "date",
                "title": {"text": "Datum van de versie"},
                "tickformat": "%-d %b %Y",
                "gridcolor": "#eef0f2",
            },
            yaxis={
                "type": "category",
                "categoryorder": "array",
                "categoryarray": list(reversed(names)),
                "automargin": True,
                "gridcolor": "#f4f5f6",
            },
        ),
    }


PERSISTENCE_COLUMNS = [
    "leervraag_id",
    "leervraag",
    "niveau",
    "agenda",
    "versie",
    "datum",
    "label",
    "formulering",
    "soort",
]


def persistence_csv_rows(rows: list[ThreadRow]) -> list[dict]:
    """One row per mark: the data behind the persistence chart."""
    result = []
    for row in rows:
        for cell in row.cells + ([row.exit] if row.exit else []):
            result.append(
                {
                    "leervraag_id": row.thread_id,
                    "leervraag": row.text,
                    "niveau": cell.version.level,
                    "agenda": cell.version.agenda_title,
                    "versie": cell.version.label or cell.version.number,
                    "datum": cell.day.isoformat() if cell.day else "",
                    "label": cell.label,
                    "formulering": cell.text,
                    "soort": cell.kind,
                }
            )
    return result


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
        "layout": _layout(
            title,
            barmode="stack",
            height=420,
            xaxis={"type": "category", "title": {"text": ""}},
            yaxis={
                "title": {"text": "Aantal vragen"},
                "rangemode": "tozero",
                "gridcolor": "#eef0f2",
            },
        ),
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


def survival_figure(curves: list[Survival], title: str) -> dict:
    traces = []
    for curve in curves:
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
                "line": {"shape": "hv", "color": colour, "dash": dash, "width": 3},
                "marker": {"symbol": symbol, "size": 8, "color": colour},
                "hovertemplate": (
                    f"{level}<br>na %{{x:.1f}} maanden: %{{y:.0f}}% nog open<extra></extra>"
                ),
            }
        )
    return {
        "data": traces,
        "layout": _layout(
            title,
            height=420,
            xaxis={
                "title": {"text": "Maanden sinds de vraag voor het eerst op de agenda stond"},
                "rangemode": "tozero",
                "gridcolor": "#eef0f2",
            },
            yaxis={"title": {"text": "Nog open (%)"}, "range": [0, 105], "gridcolor": "#eef0f2"},
        ),
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


def trend_figure(name: str, unit: str, numeric: list, stories: list, title: str) -> dict:
    """Numbers as a line over time; every narrative as a numbered annotation (✎ 1, ✎ 2 …)
    at its date, with the whole text on hover. A qualitative indicator has only these."""
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
                "hovertext": _hover_text(point.narrative),
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
                f"✎ {number} · {short_date(point.day)}<br>{_hover_text(point.narrative)}"
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
    if not numeric:
        yaxis = {"visible": False, "range": [-1, 1]}
    return {
        "data": traces,
        "layout": _layout(
            title,
            height=380,
            showlegend=False,
            annotations=annotations,
            xaxis={
                "type": "date",
                "title": {"text": "Datum"},
                "tickformat": "%-d %b %Y",
                "gridcolor": "#eef0f2",
            },
            yaxis=yaxis,
        ),
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
        "layout": _layout(
            title,
            height=max(360, 160 + 42 * len(heat.aspects)),
            margin={"l": 230, "r": 20, "t": 60, "b": 40},
            xaxis={"side": "bottom", "tickangle": -30, "automargin": True},
            yaxis={"autorange": "reversed", "automargin": True},
        ),
    }


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
