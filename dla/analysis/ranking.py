"""Pure functions: barrier suggestions for a "terwijl" clause, and the persistence ranking.

Nothing here touches the database or Flask; ``queries`` builds the plain inputs.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from dla.agendas.lineagewords import DEFAULT_STOP_WORDS, normalise

# --- suggestions ---------------------------------------------------------------------------

#: Minimum score (0..1) for suggesting a barrier item for a question's barrier clause.
SUGGEST_THRESHOLD = 0.35
SUGGEST_LIMIT = 5
# Weight of the word-stem overlap; character trigrams (compounds, spelling) get the rest.
TOKEN_WEIGHT = 0.4


def _trigrams(stems: Iterable[str]) -> frozenset[str]:
    grams: set[str] = set()
    for stem in stems:
        padded = f" {stem} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def _dice(a: frozenset, b: frozenset) -> float:
    return 2.0 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _overlap(a: frozenset, b: frozenset) -> float:
    """Share of the smaller set found in the larger (a short item inside a long clause)."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


@functools.lru_cache(maxsize=512)
def _features(text: str, stop_words: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """A text's word stems and their character trigrams. Kept for the 512 texts asked last
    (about 10 KB each): every question page scores its barrier clause against all the
    region's items."""
    stems = frozenset(normalise(text, stop_words))
    return stems, _trigrams(stems)


def _score(first: tuple[frozenset, frozenset], second: tuple[frozenset, frozenset]) -> float:
    (a, ta), (b, tb) = first, second
    if not a or not b:
        return 0.0
    tokens = (_dice(a, b) + _overlap(a, b)) / 2
    grams = (_dice(ta, tb) + _overlap(ta, tb)) / 2
    return round(TOKEN_WEIGHT * tokens + (1 - TOKEN_WEIGHT) * grams, 3)


def text_score(
    barrier: str, description: str, stop_words: frozenset[str] = DEFAULT_STOP_WORDS
) -> float:
    """How much a barrier clause and an item description say the same (0..1, 3 decimals).

    Both texts are normalised the way question lineage does it (lower case, no accents,
    no Dutch stop words, light stemming). The score blends Dice and overlap coefficients
    of word stems and of their character trigrams: a short item description ("onduidelijke
    privacyregels") should match a long clause that contains it.
    """
    return _score(_features(barrier, stop_words), _features(description, stop_words))


def suggest_items(
    barrier: str,
    items: Sequence[tuple[int, str]],
    *,
    exclude: Iterable[int] = (),
    stop_words: frozenset[str] = DEFAULT_STOP_WORDS,
    threshold: float = SUGGEST_THRESHOLD,
    limit: int = SUGGEST_LIMIT,
) -> list[tuple[int, float]]:
    """Items ``(id, description)`` whose description resembles ``barrier``, best first."""
    skip = set(exclude)
    clause = _features(barrier, stop_words)
    scored = [
        (item_id, _score(clause, _features(description, stop_words)))
        for item_id, description in items
        if item_id not in skip
    ]
    scored = [(item_id, score) for item_id, score in scored if score >= threshold]
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[:limit]


# --- persistence ranking -------------------------------------------------------------------

LEVEL_ORDER = ("operationeel", "tactisch", "strategisch", "netwerk")


@dataclass(frozen=True)
class ThreadFacts:
    """What matters about one linked question for the ranking."""

    thread_id: int
    hardnekkig: bool
    is_open: bool
    versions_present: int
    age_months: int
    levels: frozenset[str] = frozenset()
    agendas: frozenset[int] = frozenset()
    # Document dates of the published versions the question stands in.
    dates: frozenset[date] = frozenset()


@dataclass
class BarrierRank:
    item_id: int
    threads: list[ThreadFacts]
    hardnekkig: int = 0
    open: int = 0
    max_versions: int = 0
    max_months: int = 0
    levels: list[str] = field(default_factory=list)
    agendas: int = 0
    # (date, number of linked open questions standing in a version of that date)
    sparkline: list[tuple[date, int]] = field(default_factory=list)

    @property
    def persistent(self) -> bool:
        """Linked to a hardnekkige question, or raised on several levels or agendas."""
        return self.hardnekkig > 0 or len(self.levels) > 1 or self.agendas > 1

    @property
    def escalate(self) -> bool:
        """Raised on more than one level: a signal to take it up a level."""
        return len(self.levels) > 1

    def sort_key(self) -> tuple:
        return (
            -self.hardnekkig,
            -len(self.levels),
            -self.agendas,
            -self.max_versions,
            -self.max_months,
            -self.open,
            self.item_id,
        )


def sparkline(threads: Sequence[ThreadFacts]) -> list[tuple[date, int]]:
    """Per version date: how many of the open linked questions stand in a version then."""
    counts: dict[date, int] = {}
    for facts in threads:
        if not facts.is_open:
            continue
        for day in facts.dates:
            counts[day] = counts.get(day, 0) + 1
    return sorted(counts.items())


def rank_barriers(links: Mapping[int, Sequence[ThreadFacts]]) -> list[BarrierRank]:
    """Rank barrier items by how persistent their linked questions are.

    Order: number of hardnekkige linked questions, number of levels that raise the barrier,
    number of agendas, most versions one question stood in, oldest open question in months,
    number of open questions; ties by item id. Items without linked questions are left out.
    """
    ranks = []
    for item_id, threads in links.items():
        if not threads:
            continue
        levels = set().union(*(t.levels for t in threads))
        agendas = set().union(*(t.agendas for t in threads))
        ranks.append(
            BarrierRank(
                item_id=item_id,
                threads=sorted(threads, key=lambda t: (not t.hardnekkig, -t.versions_present)),
                hardnekkig=sum(1 for t in threads if t.hardnekkig),
                open=sum(1 for t in threads if t.is_open),
                max_versions=max(t.versions_present for t in threads),
                max_months=max((t.age_months for t in threads if t.is_open), default=0),
                levels=[level for level in LEVEL_ORDER if level in levels]
                + sorted(levels - set(LEVEL_ORDER)),
                agendas=len(agendas),
                sparkline=sparkline(threads),
            )
        )
    ranks.sort(key=BarrierRank.sort_key)
    return ranks


def sparkline_points(series: Sequence[tuple[date, int]], width: int = 120, height: int = 28):
    """SVG polyline points (a string) for a small chart of ``series``; "" when empty."""
    if not series:
        return ""
    top = max(count for _day, count in series) or 1
    step = width / max(len(series) - 1, 1)
    points = []
    for index, (_day, count) in enumerate(series):
        x = round(index * step if len(series) > 1 else width / 2, 1)
        y = round(height - 2 - (height - 4) * count / top, 1)
        points.append(f"{x},{y}")
    return " ".join(points)
