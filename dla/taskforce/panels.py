"""The programme view put together from the queries and the pure grouping: what recurs
across regions, each region's barrier themes and the summed heat map. Read-only."""

from __future__ import annotations

from dataclasses import dataclass

from dla.agendas.models import Version
from dla.agendas.queries import persistence_map
from dla.analysis.queries import PersistentRow, persistent_barriers
from dla.charts import data as chart_data
from dla.charts.queries import matrix_input
from dla.regions.models import Region
from dla.taskforce import queries
from dla.taskforce.programme import Entry, Group, group_similar, sum_heat_maps


@dataclass
class ProgrammeView:
    regions: list[Region]
    question_groups: list[Group]
    questions: dict[int, queries.ProgrammeQuestion]  # by thread id
    barrier_groups: list[Group]
    barriers: dict[int, PersistentRow]  # by item id
    themes: list[tuple[Region, list[tuple[str, int, int]]]]
    heat: chart_data.HeatMap


def programme_view(regions: list[Region], rights) -> ProgrammeView:
    stop_words = queries.programme_stop_words(regions)
    questions: dict[int, queries.ProgrammeQuestion] = {}
    barriers: dict[int, PersistentRow] = {}
    heats = []
    for region in regions:
        where = rights.readable_versions(region.id, Version)
        for question in queries.programme_questions(region, rights):
            questions[question.thread_id] = question
        for row in persistent_barriers(region, where=where):
            barriers[row.item.id] = row
        matrix = matrix_input(region)
        figures = persistence_map(region, None, where)
        heats.append(
            chart_data.heat_map(matrix.aspects, matrix.actors, matrix.items, matrix.links, figures)
        )
    names = {r.id: r.name for r in regions}
    question_groups = group_similar(
        [Entry(q.region, q.thread_id, q.text) for q in questions.values()], stop_words=stop_words
    )
    barrier_groups = group_similar(
        [Entry(names[r.item.region_id], r.item.id, r.item.description) for r in barriers.values()],
        stop_words=stop_words,
    )
    return ProgrammeView(
        regions,
        question_groups,
        questions,
        barrier_groups,
        barriers,
        [(region, queries.barrier_themes(region)) for region in regions],
        sum_heat_maps(heats),
    )


COLUMNS = [
    "groep",
    "soort",
    "regio",
    "code",
    "tekst",
    "agenda",
    "niveau",
    "versies",
    "maanden_open",
    "hardnekkig",
]
THEME_COLUMNS = ["regio", "systeemaspect", "actieve_barrieres", "barrieres"]


def group_rows(view: ProgrammeView) -> list[dict]:
    """One row per question or barrier in a group (plain dicts for ``dla.tabular``)."""
    rows = []
    for number, group in enumerate(view.question_groups, start=1):
        for entry in group.entries:
            q = view.questions[entry.key]
            rows.append(
                {
                    "groep": f"V{number}",
                    "soort": "leervraag",
                    "regio": q.region,
                    "code": f"LV-{q.thread_id}",
                    "tekst": q.text,
                    "agenda": q.agenda,
                    "niveau": q.level,
                    "versies": q.versions_present,
                    "maanden_open": q.age_months,
                    "hardnekkig": "ja" if q.hardnekkig else "nee",
                }
            )
    for number, group in enumerate(view.barrier_groups, start=1):
        for entry in group.entries:
            row = view.barriers[entry.key]
            rows.append(
                {
                    "groep": f"B{number}",
                    "soort": "barrière",
                    "regio": entry.region,
                    "code": row.item.code,
                    "tekst": row.item.description,
                    "agenda": "",
                    "niveau": ", ".join(row.rank.levels),
                    "versies": row.rank.max_versions,
                    "maanden_open": row.rank.max_months,
                    "hardnekkig": f"{row.rank.hardnekkig} hardnekkige vragen",
                }
            )
    return rows


def theme_rows(view: ProgrammeView) -> list[dict]:
    return [
        {"regio": region.name, "systeemaspect": name, "actieve_barrieres": active, "barrieres": n}
        for region, themes in view.themes
        for name, active, n in themes
    ]
