"""The programme view's pure parts: questions (or barriers) of several regions grouped by
similarity, and the heat maps of the regions summed. No Flask, no database.

Similarity is lineage's measure (``dla.agendas.lineage.Matcher``: TF-IDF weighted word
stems and character trigrams over the texts compared) with lineage's calibrated threshold.
Groups are built by average linkage across regions: two groups join when their texts, pair
by pair across regions, score at least the threshold on average. Only groups that span two
or more regions are kept: they are what recurs across the programme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dla.agendas.lineage import DEFAULT_THRESHOLD, Matcher
from dla.agendas.lineagewords import DEFAULT_STOP_WORDS
from dla.charts.data import HeatMap


@dataclass(frozen=True)
class Entry:
    """Something to group: a question or a barrier of one region."""

    region: str
    key: int
    text: str


@dataclass
class Group:
    entries: list[Entry]
    score: float  # the average cross-region score that held the group together

    @property
    def regions(self) -> list[str]:
        return sorted({e.region for e in self.entries})

    def by_region(self) -> list[tuple[str, list[Entry]]]:
        return [(r, [e for e in self.entries if e.region == r]) for r in self.regions]


def group_similar(
    entries: Sequence[Entry],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    stop_words: frozenset[str] = DEFAULT_STOP_WORDS,
) -> list[Group]:
    """Groups of entries from two or more regions that say the same, best first."""
    if len(entries) < 2:
        return []
    matcher = Matcher([e.text for e in entries], stop_words=stop_words)
    profiles = [matcher.profile(e.text) for e in entries]
    scores = matcher.score_many(profiles, profiles)
    n = len(entries)

    def cross(a: list[int], b: list[int]) -> float:
        pairs = [
            (scores[i][j] + scores[j][i]) / 2
            for i in a
            for j in b
            if entries[i].region != entries[j].region
        ]
        return sum(pairs) / len(pairs) if pairs else 0.0

    # Entries with no counterpart in another region stay alone: leave them out of the loop.
    linked = [
        i
        for i in range(n)
        if any(
            entries[i].region != entries[j].region
            and (scores[i][j] + scores[j][i]) / 2 >= threshold
            for j in range(n)
        )
    ]
    groups: list[list[int]] = [[i] for i in linked]
    held: dict[int, float] = {}
    while True:
        best = (threshold, -1, -1)
        for x in range(len(groups)):
            for y in range(x + 1, len(groups)):
                value = cross(groups[x], groups[y])
                if value >= best[0] and (best[1] < 0 or value > best[0]):
                    best = (value, x, y)
        value, x, y = best
        if x < 0:
            break
        merged = groups[x] + groups[y]
        held[id(merged)] = value
        groups = [g for k, g in enumerate(groups) if k not in (x, y)] + [merged]
    result = []
    for members in groups:
        if len({entries[i].region for i in members}) < 2:
            continue
        ordered = sorted(members, key=lambda i: (entries[i].region, entries[i].key))
        result.append(Group([entries[i] for i in ordered], round(held.get(id(members), 0.0), 3)))
    result.sort(key=lambda g: (-len(g.regions), -g.score, g.entries[0].key))
    return result


def sum_heat_maps(heats: Sequence[HeatMap]) -> HeatMap:
    """The heat maps of several regions as one: rows and columns matched by name (case and
    spaces ignored), in the order of first appearance; counts added up."""

    def key(name: str) -> str:
        return " ".join(name.lower().split())

    aspects: dict[str, str] = {}
    actors: dict[str, str] = {}
    for heat in heats:
        for _id, name in heat.aspects:
            aspects.setdefault(key(name), name)
        for _id, name in heat.actors:
            actors.setdefault(key(name), name)
    rows, columns = list(aspects), list(actors)
    open_counts = [[0] * len(columns) for _ in rows]
    hard_counts = [[0] * len(columns) for _ in rows]
    for heat in heats:
        for i, (_a, aspect) in enumerate(heat.aspects):
            for j, (_b, actor) in enumerate(heat.actors):
                r, c = rows.index(key(aspect)), columns.index(key(actor))
                open_counts[r][c] += heat.open[i][j]
                hard_counts[r][c] += heat.hardnekkig[i][j]
    return HeatMap(
        [(i, aspects[k]) for i, k in enumerate(rows)],
        [(j, actors[k]) for j, k in enumerate(columns)],
        open_counts,
        hard_counts,
        {},
    )
