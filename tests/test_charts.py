"""Chart data and figures from a hand-built history (pure functions, no Flask, no database)."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import pytest

from dla.agendas.history import ANSWER, DROP, KEEP, MOVE, REWORD
from dla.charts import data, figures, persistence
from dla.charts.data import Mark, VersionInfo

TODAY = date(2024, 10, 1)
A, B = 1, 2
T1, T2, T3, T4, T5 = 11, 12, 13, 14, 15


def version(id_, agenda, number, day):
    level, title = ("operationeel", "Agenda ICR's") if agenda == A else ("strategisch", "Taskforce")
    return VersionInfo(
        id_, agenda, title, level, "ICR's" if agenda == A else "Bestuur", number, str(number), day
    )


VERSIONS = data.index_versions(
    [
        version(101, A, 1, date(2024, 1, 1)),
        version(102, A, 2, date(2024, 4, 1)),
        version(103, A, 3, date(2024, 7, 1)),
        version(201, B, 1, date(2024, 5, 1)),
        version(202, B, 2, date(2024, 9, 1)),
    ]
)
# T1 stays and is reworded; T2 is dropped; T3 moves from A to B; T4 is new in version 2 and
# answered; T5 stands in both versions of B.
MARKS = [
    Mark(T1, 1, 101, "A", "Hoe houd ik regie, terwijl ik geen mandaat heb?", KEEP, 102),
    Mark(T1, 2, 102, "A", "Hoe houd ik regie, terwijl ik geen mandaat heb?", REWORD, 103),
    Mark(T1, 3, 103, "A", "Hoe houd ik regie, terwijl niemand mandaat geeft?"),
    Mark(T2, 4, 101, "B", "Hoe deel ik informatie, terwijl de AVG onduidelijk is?", DROP, 102),
    Mark(T3, 5, 101, "C", "Hoe schaal ik op, terwijl criteria verschillen?", KEEP, 102),
    Mark(T3, 6, 102, "B", "Hoe schaal ik op, terwijl criteria verschillen?", MOVE, 103),
    Mark(T3, 20, 202, "B", "Hoe schaal ik op, terwijl criteria verschillen?"),
    Mark(T4, 7, 102, "C", "Hoe verdeel ik de caseload, terwijl die groeit?", ANSWER, 103),
    Mark(T5, 8, 201, "A", "Hoe krijgen we structureel geld, terwijl de pilot eindigt?", KEEP, 202),
    Mark(T5, 9, 202, "A", "Hoe krijgen we structureel geld, terwijl de pilot eindigt?"),
]


def rows(**options):
    return data.persistence_rows(VERSIONS, MARKS, min_run=3, max_months=9, **options)


def by_thread(result):
    return {row.thread_id: row for row in result}


def test_persistence_rows_of_the_region_follow_each_thread_across_agendas():
    result = by_thread(rows())
    assert list(result) == [T1, T2, T3, T4, T5]
    assert result[T1].course == ["nieuw", "blijft_staan", "geherformuleerd"]
    assert result[T2].course == ["nieuw", "vervallen"]
    assert result[T2].exit.day == date(2024, 4, 1)
    # In the region, a moved question continues: no exit, an arrival in the other agenda.
    assert result[T3].course == ["nieuw", "blijft_staan", "verplaatst"]
    assert result[T3].exit is None
    assert result[T3].agendas == ["Agenda ICR's", "Taskforce"]
    assert result[T4].course == ["nieuw", "voorlopig_beantwoord"]
    assert result[T1].figures.hardnekkig and result[T1].figures.longest_run == 3
    assert result[T3].figures.hardnekkig  # the run goes on through the move
    assert not result[T2].figures.is_open and not result[T4].figures.is_open
    assert [c.text for c in result[T1].cells][-1].endswith("niemand mandaat geeft?")


def test_persistence_rows_of_one_agenda_end_a_moved_question_with_its_move():
    result = by_thread(rows(agenda_id=A))
    assert list(result) == [T1, T2, T3, T4]
    assert result[T3].course == ["nieuw", "blijft_staan", "verplaatst"]
    assert result[T3].exit.kind == "verplaatst" and result[T3].exit.day == date(2024, 7, 1)
    other = by_thread(rows(agenda_id=B))
    assert list(other) == [T5, T3]
    assert other[T3].course == ["verplaatst"]
    assert other[T3].level == "strategisch"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (data.Filters(status="open"), [T1, T3, T5]),
        (data.Filters(status="dicht"), [T2, T4]),
        (data.Filters(hardnekkig=True), [T1, T3]),
        (data.Filters(level="strategisch"), [T5]),
        (data.Filters(audience="Bestuur"), [T3, T5]),
        (data.Filters(thread_ids=frozenset({T2, T5})), [T2, T5]),
    ],
)
def test_persistence_filters(filters, expected):
    assert [row.thread_id for row in rows(filters=filters)] == expected


def test_flow_per_version_of_an_agenda():
    flow = data.flow_rows(VERSIONS, MARKS, agenda_id=A)
    assert [row.key for row in flow] == ["Versie 1", "Versie 2", "Versie 3"]
    counts = [{k: v for k, v in row.counts.items() if v} for row in flow]
    assert counts == [
        {"nieuw": 3},
        {"nieuw": 1, "blijft_staan": 2, "vervallen": 1},
        {"geherformuleerd": 1, "verplaatst": 1, "voorlopig_beantwoord": 1},
    ]
    assert [row.total for row in flow] == [3, 4, 3]


def test_flow_of_the_region_adds_up_per_date():
    flow = data.flow_rows(VERSIONS, MARKS)
    assert [row.day for row in flow] == [
        date(2024, 1, 1),
        date(2024, 4, 1),
        date(2024, 5, 1),
        date(2024, 7, 1),
        date(2024, 9, 1),
    ]
    assert [{k: v for k, v in row.counts.items() if v} for row in flow] == [
        {"nieuw": 3},
        {"nieuw": 1, "blijft_staan": 2, "vervallen": 1},
        {"nieuw": 1},
        {"geherformuleerd": 1, "verplaatst": 1, "voorlopig_beantwoord": 1},
        {"blijft_staan": 1},
    ]


def test_survival_per_level_is_kaplan_meier_with_open_threads_censored():
    curves = {
        c.level: c
        for c in data.survival_by_level(
            VERSIONS, MARKS, ["operationeel", "tactisch", "strategisch"]
        )
    }
    assert list(curves) == ["operationeel", "strategisch"]
    operational = curves["operationeel"]
    # T2 and T4 end after 91 days; T1 is censored at 1 July (182 days), T3 at 1 September in
    # its new agenda (244 days).
    assert (operational.threads, operational.ended) == (4, 2)
    months = 91 / data.DAYS_PER_MONTH
    assert operational.steps[0] == (0.0, 1.0)
    assert operational.steps[1] == pytest.approx((months, 0.5))
    assert operational.steps[-1] == pytest.approx((244 / data.DAYS_PER_MONTH, 0.5))
    assert operational.at[3] == 0.5 and operational.at[6] == 0.5
    assert operational.at[9] is None  # beyond the longest follow-up
    assert operational.median == pytest.approx(months)
    strategic = curves["strategisch"]
    assert (strategic.threads, strategic.ended, strategic.median) == (1, 0, None)
    assert strategic.at[3] == 1.0 and strategic.at[6] is None


def test_kaplan_meier_with_censoring_between_events():
    spells = [
        data.Spell(1, "x", 1.0, True),
        data.Spell(2, "x", 2.0, False),
        data.Spell(3, "x", 3.0, True),
        data.Spell(4, "x", 4.0, False),
    ]
    curve = data.kaplan_meier(spells)
    # 1 − 1/4 = 0.75 at one month; at three months 2 at risk, 1 event: 0.75 × 0.5.
    assert curve.steps == [(0.0, 1.0), (1.0, 0.75), (3.0, 0.375), (4.0, 0.375)]
    assert curve.median == 3.0


def test_heat_map_counts_distinct_open_and_hardnekkige_threads_per_cell():
    figures_by_thread = data.thread_figures(VERSIONS, MARKS, min_run=3, max_months=9)
    heat = data.heat_map(
        aspects=[(10, "Financiering"), (11, "Mandaat en besluitvorming")],
        actors=[(20, "Gemeente"), (21, "Politie")],
        items=[(100, 10, 20), (101, 10, 20), (102, 11, 21)],
        links=[(100, T1), (101, T1), (101, T2), (102, T3), (102, 999)],
        figures=figures_by_thread,
    )
    assert heat.open == [[1, 0], [0, 1]]
    assert heat.hardnekkig == [[1, 0], [0, 1]]
    assert heat.threads[(10, 20)] == {T1, T2}
    rows_ = figures.heat_csv_rows(heat)
    assert rows_[0] == {
        "systeemaspect": "Financiering",
        "actorgroep": "Gemeente",
        "open_vragen": 1,
        "hardnekkige_vragen": 1,
    }
    urls = [["/a", "/b"], ["/c", "/d"]]
    figure = figures.heat_map_figure(heat, "hardnekkig", "Barrières", urls)
    go.Figure(figure)
    trace = figure["data"][0]
    assert trace["z"] == [[1, 0], [0, 1]] and trace["customdata"] == urls
    assert trace["text"] == [["1", ""], ["", "1"]]


def test_persistence_figure_has_a_symbol_per_kind_and_the_wording_on_hover():
    result = rows()
    sent = persistence.persistence_figure(
        result, "Leervragen", data.persistence_columns(VERSIONS), region=True
    )
    figure = persistence.expand_hover(sent)  # as static/js/charts.js draws it
    go.Figure({"data": figure["data"], "layout": figure["layout"]})  # valid for plotly
    # Every text is sent once: the wording that stood unchanged in versions 1 and 2 too.
    texts = sent["hover"]["texts"]
    assert len(texts) == len(set(texts))
    assert sum("geen mandaat heb?" in t for t in texts) == 1
    traces = {t.get("name"): t for t in figure["data"] if t.get("name")}
    marks = {k: t for k, t in traces.items() if t["mode"].startswith("markers")}
    assert set(marks) == {
        "Nieuw",
        "Blijft staan",
        "Geherformuleerd",
        "Verplaatst",
        "Vervallen",
        "Voorlopig beantwoord",
    }
    symbols = {t["marker"]["symbol"] for t in marks.values()}
    assert len(symbols) == len(marks)  # colour is never the only carrier
    reworded = marks["Geherformuleerd"]
    ticks = figure["layout"]["xaxis"]["ticktext"]
    assert ticks[reworded["x"][0]] == "01-07-2024"
    assert "niemand mandaat geeft?" in reworded["hovertext"][0]
    labels = figure["layout"]["yaxis"]["ticktext"]
    # Grouped by agenda (a heading line first), the barrier in the label.
    assert labels[0] == "<i>Agenda ICR's</i>"
    assert labels[reworded["y"][0]].startswith("<b>LV-11 · …terwijl")  # hardnekkig: bold
    assert figure["phone"]["yaxis.ticktext"][reworded["y"][0]] == "<b>LV-11</b>"
    # The exit sits right after the last bar and says where it was decided.
    dropped = marks["Vervallen"]
    assert dropped["x"] == [0 + persistence.EXIT_OFFSET]
    assert dropped["text"] == ["in 01-04-2024"]
    csv_rows = persistence.persistence_csv_rows(result)
    assert len(csv_rows) == 10 + 2  # every wording, and the two exits (dropped, answered)


def test_persistence_figure_shows_the_gap_of_a_skipped_version():
    skipped = [
        Mark(T1, 1, 101, "A", "Hoe houd ik regie, terwijl ik geen mandaat heb?", KEEP, 102),
        Mark(T1, 2, 102, "A", "Hoe houd ik regie, terwijl ik geen mandaat heb?"),
        Mark(T1, 3, 103, "A", "Hoe houd ik regie, terwijl ik geen mandaat heb?"),
        Mark(T2, 4, 101, "B", "Hoe deel ik informatie, terwijl de AVG onduidelijk is?"),
        Mark(T2, 5, 103, "B", "Hoe deel ik informatie, terwijl de AVG onduidelijk is?"),
    ]
    result = data.persistence_rows(VERSIONS, skipped, agenda_id=A, min_run=3, max_months=99)
    columns = data.persistence_columns(VERSIONS, A)
    assert [c.label for c in columns] == ["V1", "V2", "V3"]
    figure = persistence.persistence_figure(result, "x", columns)
    traces = {t["name"]: t for t in figure["data"]}
    gap = traces["Overgeslagen versies"]
    row = figure["layout"]["yaxis"]["ticktext"].index("LV-12 · …terwijl de AVG onduidelijk is?")
    assert gap["y"] == [row, row, None]
    assert gap["x"][0] < 1 < gap["x"][1]  # across V2
    # The unbroken thread is one bar; the other two bars with the gap between them.
    assert traces["Hardnekkig"]["x"] == [-0.38, 2.38, None]
    assert traces["Staat op de agenda"]["x"] == [-0.38, 0.38, None, 1.62, 2.38, None]
    assert traces["Teruggekomen"]["x"] == [2]


def test_flow_and_survival_figures_and_tables():
    flow = data.flow_rows(VERSIONS, MARKS, agenda_id=A)
    figure = figures.flow_figure(flow, "Verloop")
    go.Figure(figure)
    names = [t["name"] for t in figure["data"]]
    assert names == [
        "Nieuw",
        "Blijft staan",
        "Geherformuleerd",
        "Verplaatst",
        "Voorlopig beantwoord",
        "Vervallen",
    ]
    assert all(t["marker"]["pattern"]["shape"] != "" for t in figure["data"][1:])
    table = figures.flow_csv_rows(flow)
    assert table[1]["blijft_staan"] == 2 and table[1]["totaal"] == 4
    curves = data.survival_by_level(VERSIONS, MARKS, ["operationeel", "strategisch"])
    survival = figures.survival_figure(curves, "Overleving")
    go.Figure(survival)
    assert survival["data"][0]["y"][:2] == [100.0, 50.0]
    assert survival["data"][0]["line"]["dash"] != survival["data"][1]["line"]["dash"]
    survival_table = figures.survival_csv_rows(curves)
    assert survival_table[0]["open_na_3_maanden"] == 50.0
    assert survival_table[0]["open_na_9_maanden"] == ""
    assert survival_table[1]["mediaan_maanden"] == ""


def test_trend_numbers_and_numbered_stories():
    points = [
        data.Point(date(2025, 3, 1), None, 5.0, "", key=2),
        data.Point(date(2025, 2, 1), None, 4.0, "Eerste maand", key=1),
        data.Point(date(2025, 4, 1), date(2025, 4, 30), None, "Alleen een verhaal", key=3),
    ]
    numeric, stories = data.trend(points)
    assert [p.value for p in numeric] == [4.0, 5.0]
    assert [(n, p.narrative) for n, p in stories] == [
        (1, "Eerste maand"),
        (2, "Alleen een verhaal"),
    ]
    figure = figures.trend_figure("Gezinnen", "gezinnen", numeric, stories, "Verloop")
    go.Figure(figure)
    notes = figure["layout"]["annotations"]
    assert [n["text"] for n in notes] == ["✎ 1", "✎ 2"]
    assert notes[0]["y"] == 4.0 and notes[1]["yref"] == "paper"
    table = figures.trend_csv_rows(points, stories, "gezinnen")
    assert [(r["datum"], r["waarde"], r["verhaal_nummer"]) for r in table] == [
        ("2025-02-01", 4.0, 1),
        ("2025-03-01", 5.0, ""),
        ("2025-04-01", "", 2),
    ]
    qualitative = figures.trend_figure("Verhalen", "", [], stories, "Verhalen")
    assert qualitative["data"][0]["name"] == "Verhalen"
    assert figures.format_number(1234.5) == "1.234,5" and figures.format_number(12.0) == "12"


def test_the_spread_shows_what_hardnekkig_means():
    from dla.agendas.history import Persistence
    from dla.charts import spread

    def figure(run, age, status="open", hard=False):
        return Persistence(run, run, None, None, age, status, hard)

    result = spread.hardnekkig_spread(
        [
            figure(1, 2),
            figure(2, 4),
            figure(3, 8, hard=True),
            figure(5, 10, hard=True),
            figure(2, 12, "vervallen"),
            figure(0, 0, "concept"),  # only in a concept: not counted
        ],
        min_run=3,
        max_months=9,
    )
    assert [(b.label, b.count, b.hardnekkig) for b in result.runs] == [
        ("1", 1, False),
        ("2", 2, False),
        ("3 of meer", 2, True),
    ]
    # Ages of the open questions only (the dropped one is 12 months but closed).
    assert [(b.label, b.count, b.hardnekkig) for b in result.ages] == [
        ("0–2", 1, False),
        ("3–5", 1, False),
        ("6–8", 1, False),
        ("9 of meer", 1, True),
    ]
    assert (result.total, result.hardnekkig, result.open) == (5, 2, 4)


def test_a_target_is_a_dashed_line_over_the_measured_period():
    points = [
        data.Point(date(2025, 2, 1), None, 5.0, "", key=1),
        data.Point(date(2025, 3, 1), date(2025, 3, 31), 6.0, "", key=2),
    ]
    numeric, stories = data.trend(points)
    figure = figures.trend_figure(
        "Score", "punten", numeric, stories, "Verloop", scale=(1, 10), target=7.5
    )
    go.Figure(figure)
    line = next(trace for trace in figure["data"] if trace["name"] == "Streefwaarde")
    assert line["x"] == ["2025-02-01", "2025-03-31"] and line["y"] == [7.5, 7.5]
    assert line["line"]["dash"] == "dash"
    assert "Streefwaarde 7,5 punten" in [n["text"] for n in figure["layout"]["annotations"]]
    assert figure["layout"]["yaxis"]["tickvals"] == list(range(1, 11))
    without = figures.trend_figure("Score", "punten", numeric, stories, "Verloop")
    assert [trace["name"] for trace in without["data"]] == ["Score"]
