"""What *hardnekkig* means in a region: how its questions spread over the two measures of
the flag (``history.is_hardnekkig``), the longest run of versions in a row and the age of
the open questions, with the bands that make a question hardnekkig. Pure functions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dla.agendas import history


@dataclass(frozen=True)
class Band:
    label: str
    count: int
    # Every question in this band is hardnekkig (by this measure alone).
    hardnekkig: bool


@dataclass(frozen=True)
class Spread:
    runs: list[Band]
    ages: list[Band]
    total: int
    hardnekkig: int
    open: int
    min_run: int
    max_months: int


def hardnekkig_spread(
    figures: Iterable[history.Persistence], *, min_run: int, max_months: int
) -> Spread:
    """Runs: 1, 2, … versions in a row, then "``min_run`` of meer". Ages of the open
    questions (months up to the latest version of their agenda) in three bands below
    ``max_months``, then "``max_months`` of meer"."""
    items = [f for f in figures if f.versions_present]
    runs = [
        Band(str(n), sum(1 for f in items if f.longest_run == n), False) for n in range(1, min_run)
    ]
    runs.append(Band(f"{min_run} of meer", sum(1 for f in items if f.longest_run >= min_run), True))
    open_items = [f for f in items if f.is_open]
    edges = sorted({0, max_months // 3, 2 * max_months // 3, max_months})
    ages = []
    for low, high in zip(edges, edges[1:], strict=False):
        label = f"{low}–{high - 1}" if high - 1 > low else str(low)
        ages.append(Band(label, sum(1 for f in open_items if low <= f.age_months < high), False))
    ages.append(
        Band(
            f"{max_months} of meer", sum(1 for f in open_items if f.age_months >= max_months), True
        )
    )
    return Spread(
        runs,
        ages,
        total=len(items),
        hardnekkig=sum(1 for f in items if f.hardnekkig),
        open=len(open_items),
        min_run=min_run,
        max_months=max_months,
    )
