"""The persistence chart, drawn like the classic hand-drawn DLA figure, and its CSV rows.

Columns are versions (V1 … Vn of one agenda; the version dates for a whole region), one row
per question with a bar for every version it stands in. A question that skipped versions
shows the gap (a dotted line, no bar); how it left (samengevoegd, voorlopig beantwoord,
vervallen, verplaatst) is a symbol right after its last bar that says in which version that
was decided. Hardnekkige rows have an orange bar and a bold label. Rows are region by agenda
on the region's chart. A pure function of ``data.ThreadRow`` rows and ``data.Column``s.
"""

from __future__ import annotations

import re

from dla.charts.data import MARK_KINDS, RETURNED, Column, ThreadRow, column_key
from dla.charts.figures import STYLE, hover_text, label, layout, plain, short_date

ROW_HEIGHT = 28
BAR = "#c5ced8"
HARD_BAR = "#f0b775"
LABEL_WIDTH = 46
# Where the exit symbol sits: just after the last bar (bars run from -0.38 to +0.38).
EXIT_OFFSET = 0.62


def row_label(row: ThreadRow, width: int = LABEL_WIDTH) -> str:
    """ "LV-8 · …terwijl <barrier>": the barrier says what the question is about; questions
    without a "terwijl" part show their own beginning. Bold when hardnekkig."""
    barrier = row.barrier
    if not barrier and " terwijl " in row.text:
        barrier = row.text.split(" terwijl ", 1)[1]
    text = f"…terwijl {barrier}" if barrier else row.text
    if len(text) > width:
        text = text[: width - 1].rstrip() + "…"
    name = plain(f"{row.code} · {text}")
    return f"<b>{name}</b>" if row.figures.hardnekkig else name


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def short_label(row: ThreadRow) -> str:
    return f"<b>{row.code}</b>" if row.figures.hardnekkig else row.code


def _lines(rows: list[ThreadRow], region: bool) -> list[tuple[str, str, ThreadRow | None]]:
    """The y-axis from top to bottom: (label, short label, row); a group heading has no row."""
    if not region:
        return [(row_label(row), short_label(row), row) for row in rows]
    groups: dict[str, list[ThreadRow]] = {}
    for row in rows:
        groups.setdefault(row.agendas[0] if row.agendas else "", []).append(row)
    lines: list[tuple[str, str, ThreadRow | None]] = []
    for title, members in groups.items():
        heading = plain(_cut(title, 54))
        lines.append((f"<i>{heading}</i>", f"<i>{plain(_cut(title, 10))}</i>", None))
        lines.extend((row_label(row), short_label(row), row) for row in members)
    return lines


def persistence_figure(
    rows: list[ThreadRow], title: str, columns: list[Column], *, region: bool = False
) -> dict:
    """The figure as plain plotly JSON, with a ``phone`` layout for screens of 480 px or
    less (short labels LV-n; the full text is in the table). ``region``: columns are dates
    (``data.persistence_columns`` without an agenda) and rows are grouped by agenda."""
    place = {column.key: i for i, column in enumerate(columns)}
    lines = _lines(rows, region)
    hover = _Hover()
    bars = {False: {"x": [], "y": []}, True: {"x": [], "y": []}}
    gaps: dict[str, list] = {"x": [], "y": []}
    points: dict[str, dict[str, list]] = {
        kind: {"x": [], "y": [], "text": [], "label": []} for kind in MARK_KINDS
    }
    for y, (_label, _short, row) in enumerate(lines):
        if row is None:
            continue
        spots = [(place.get(column_key(cell, by_date=region)), cell) for cell in row.cells]
        spots = [(x, cell) for x, cell in spots if x is not None]
        bar = bars[row.figures.hardnekkig]
        start = previous = None
        for x, cell in spots:
            if previous is not None and cell.kind == RETURNED:
                bar["x"] += [start - 0.38, previous + 0.38, None]
                bar["y"] += [y, y, None]
                gaps["x"] += [previous + 0.38, x - 0.38, None]
                gaps["y"] += [y, y, None]
                start = None
            start = x if start is None else start
            previous = x
            target = points[cell.kind]
            target["x"].append(x)
            target["y"].append(y)
            target["label"].append("")
            target["text"].append(
                hover.parts(
                    CELL,
                    row.code,
                    columns[x].hover,
                    cell.version.agenda_title,
                    f"{cell.label}. {cell.text}",
                    label(cell.kind),
                )
            )
        if start is not None:
            bar["x"] += [start - 0.38, previous + 0.38, None]
            bar["y"] += [y, y, None]
        if row.exit is not None and previous is not None:
            decided = place.get(column_key(row.exit, by_date=region))
            in_version = columns[decided].label if decided is not None else ""
            target = points[row.exit.kind]
            target["x"].append(previous + EXIT_OFFSET)
            target["y"].append(y)
            target["label"].append(f"in {in_version}" if in_version else "")
            target["text"].append(
                hover.parts(
                    EXIT,
                    row.code,
                    label(row.exit.kind).lower(),
                    f"{row.exit.version.name} · {short_date(row.exit.day)}",
                    row.exit.version.agenda_title,
                )
            )
    traces = []
    for hard, colour, name in ((False, BAR, "Staat op de agenda"), (True, HARD_BAR, "Hardnekkig")):
        if bars[hard]["x"]:
            traces.append(_line(bars[hard], name, colour, 12, "solid"))
    if gaps["x"]:
        traces.append(_line(gaps, "Overgeslagen versies", "#5f6b78", 2, "dot"))
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
                # Expanded into "hovertext" by static/js/charts.js (see expand_hover).
                "hoverparts": data["text"],
                "hovertemplate": "%{hovertext}<extra></extra>",
                "marker": {
                    "color": colour,
                    "symbol": symbol,
                    "size": 12,
                    "line": {"width": 1.5, "color": colour},
                },
            }
        )
        if any(data["label"]):
            traces[-1].update(
                mode="markers+text",
                text=data["label"],
                textposition="middle right",
                textfont={"size": 12, "color": "#333333"},
            )
    ticks = list(range(len(lines)))
    height = 200 + ROW_HEIGHT * len(lines)
    xaxis = {
        "range": [-0.6, len(columns) - 0.4 + 0.9],
        "tickvals": list(range(len(columns))),
        "ticktext": [plain(column.label) for column in columns],
        "tickangle": 0 if not region else -45,
        "title": {"text": "Versie" if not region else "Datum van de versie"},
        "showgrid": True,
        "gridcolor": "#eef0f2",
        "zeroline": False,
        "fixedrange": True,
        "automargin": True,
    }
    yaxis = {
        "range": [len(lines) - 0.5, -0.7],
        "tickvals": ticks,
        "ticktext": [line[0] for line in lines],
        "tickfont": {"size": 12},
        "showgrid": False,
        "zeroline": False,
        "fixedrange": True,
    }
    figure = {
        "hover": hover.table(),
        "data": traces,
        "layout": layout(
            title,
            height=height,
            margin={"l": 390, "r": 20, "t": 60, "b": 210 if region else 160},
            xaxis=xaxis,
            yaxis=yaxis,
        ),
    }
    figure["phone"] = {
        "height": (380 if region else 310) + 24 * len(lines),
        "margin": {"l": 88, "r": 8, "t": 50, "b": 330 if region else 260},
        "xaxis.title.text": "",
        "yaxis.ticktext": [line[1] for line in lines],
        "xaxis.tickangle": -90 if region else 0,
        "xaxis.tickfont": {"size": 10},
    }
    return figure


# Hover texts are sent once each: a point names its template and the texts it fills in, by
# index (``hoverparts``); static/js/charts.js builds the hover text from them. A wording that
# stands unchanged in ten versions then travels once, not ten times.
CELL, EXIT = 0, 1
HOVER_TEMPLATES = [
    "<b>{0} · {1}</b><br>{2}<br>{3}<br><i>{4}</i>",
    "<b>{0}: {1}</b> in {2}<br>{3}",
]


class _Hover:
    def __init__(self):
        self.texts: list[str] = []
        self.index: dict[str, int] = {}

    def parts(self, template: int, *texts: str) -> list[int]:
        refs = [template]
        for text in texts:
            ref = self.index.get(text)
            if ref is None:
                ref = self.index[text] = len(self.texts)
                self.texts.append(hover_text(text) if len(text) > 70 else plain(text))
            refs.append(ref)
        return refs

    def table(self) -> dict:
        return {"templates": HOVER_TEMPLATES, "texts": self.texts}


def expand_hover(figure: dict) -> dict:
    """The figure as the browser draws it: every ``hoverparts`` turned into ``hovertext``
    (what static/js/charts.js does; for tests and for tools that read the JSON)."""
    table = figure.get("hover")
    if not table:
        return figure
    data = []
    for trace in figure["data"]:
        trace = dict(trace)
        parts = trace.pop("hoverparts", None)
        if parts is not None:
            trace["hovertext"] = [
                re.sub(
                    r"\{(\d)\}",
                    lambda m, p=p: table["texts"][p[1 + int(m.group(1))]],
                    table["templates"][p[0]],
                )
                for p in parts
            ]
        data.append(trace)
    return {**figure, "data": data}


def _line(points: dict, name: str, colour: str, width: int, dash: str) -> dict:
    return {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "x": points["x"],
        "y": points["y"],
        "line": {"color": colour, "width": width, "dash": dash},
        "hoverinfo": "skip",
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
