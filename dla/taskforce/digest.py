"""The digest's pure parts: a barrier's trend since the last meeting, and the default date.
No Flask, no database: ``queries`` brings the plain facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from dla.analysis.ranking import ThreadFacts

NEW = "nieuw"
STILL_OPEN = "nog_open"
EASING = "neemt_af"
TRENDS = {NEW: "Nieuw", STILL_OPEN: "Staat nog open", EASING: "Neemt af"}
# Without any taskforce decision yet, the digest looks back this far.
DEFAULT_DAYS = 91
# Milestones whose deadline falls within this many days are "due".
DUE_WITHIN_DAYS = 42


def default_since(decision_dates: Iterable[date | None], today: date) -> date:
    """The date of the last taskforce decision (not after today), or three months back."""
    dates = [d for d in decision_dates if d is not None and d <= today]
    return max(dates) if dates else today - timedelta(days=DEFAULT_DAYS)


def standing(threads: Sequence[ThreadFacts]) -> list[tuple[date, int]]:
    """Per version date: how many linked questions stood in a version of that date."""
    counts: dict[date, int] = {}
    for facts in threads:
        for day in facts.dates:
            counts[day] = counts.get(day, 0) + 1
    return sorted(counts.items())


def trend(threads: Sequence[ThreadFacts], since: date, item_active: bool = True) -> str:
    """How a barrier fared since ``since``:

    - *neemt af* when the item is no longer active (afgenomen, opgeheven), when none of its
      questions is open any more, or when fewer of its questions stood in the latest
      version than in the last version before ``since``;
    - *nieuw* when none of its questions stood in a version dated on or before ``since``;
    - *staat nog open* otherwise (also when no version appeared since).
    """
    if not item_active:
        return EASING
    series = standing(threads)
    before = [count for day, count in series if day <= since]
    if not before:
        return NEW
    if not any(t.is_open for t in threads):
        return EASING
    after = [count for day, count in series if day > since]
    if after and after[-1] < before[-1]:
        return EASING
    return STILL_OPEN


def is_due(deadline: date | None, today: date, finished: bool) -> str:
    """ "te_laat" (past its deadline and not finished), "binnenkort" (due within six weeks)
    or "" (no deadline, finished, or far away)."""
    if deadline is None or finished:
        return ""
    if deadline < today:
        return "te_laat"
    if deadline <= today + timedelta(days=DUE_WITHIN_DAYS):
        return "binnenkort"
    return ""
