"""Free-text terms of milestones and actions read as a deadline. Pure: no Flask, no database.

Terms are written as people speak: "Voor de zomer van 2026", "half september 2026",
"eind 2026", "Q3 2026", "december 2026", "31-12-2026", "voorjaar 2027". ``deadline``
returns the last day the term still allows, or ``None`` when the text names no year or
reads as no term at all ("afhankelijk van het tempo"): such a term is never flagged.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "maart": 3,
    "mrt": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augustus": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
# The last day of a season or part of the year: (month, day).
SEASONS = {
    "voorjaar": (6, 20),
    "lente": (6, 20),
    "zomer": (9, 22),
    "zomervakantie": (8, 31),
    "najaar": (12, 20),
    "herfst": (12, 20),
    "winter": (3, 20),
}
# "Voor de zomer" ends where the season begins.
BEFORE_SEASON = {
    "voorjaar": (3, 20),
    "lente": (3, 20),
    "zomer": (6, 20),
    "zomervakantie": (7, 1),
    "najaar": (9, 22),
    "herfst": (9, 22),
    "winter": (12, 20),
    "kerst": (12, 24),
}

_NUMERIC = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_YEAR = re.compile(r"\b(20\d{2})\b")
_QUARTER = re.compile(r"\bq\s*([1-4])\b|\b([1-4])e\s+kwartaal\b|\bkwartaal\s+([1-4])\b")
_HALF = re.compile(r"\b([12])e\s+helft\b|\btweede\s+helft\b|\beerste\s+helft\b")
_WORD = re.compile(r"[a-zà-ÿ]+")


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def deadline(term: str | None) -> date | None:
    """The last day ``term`` allows, or ``None`` when it names no recognisable date."""
    text = " ".join((term or "").lower().split())
    if not text:
        return None
    found = _ISO.search(text)
    if found:
        return _safe(int(found[1]), int(found[2]), int(found[3]))
    found = _NUMERIC.search(text)
    if found:
        return _safe(int(found[3]), int(found[2]), int(found[1]))
    years = _YEAR.findall(text)
    if not years:
        return None
    year = int(years[-1])
    words = _WORD.findall(text)
    before = "voor" in words or "vóór" in words
    quarter = _QUARTER.search(text)
    if quarter:
        number = int(next(g for g in quarter.groups() if g))
        return _last_day(year, number * 3)
    half = _HALF.search(text)
    if half:
        first = half[0].startswith(("1", "eerste"))
        return _last_day(year, 6 if first else 12)
    for word in words:
        if word in BEFORE_SEASON and before:
            month, day = BEFORE_SEASON[word]
            return date(year, month, day)
        if word in SEASONS:
            month, day = SEASONS[word]
            # The winter of 2026 runs into 2027.
            return date(year + 1 if word == "winter" else year, month, day)
    for index, word in enumerate(words):
        month = MONTHS.get(word)
        if month is None:
            continue
        previous = words[index - 1] if index else ""
        if previous in ("half", "medio", "midden"):
            return date(year, month, 15)
        if previous in ("begin", "start"):
            return date(year, month, 10)
        if before:
            # "voor september 2026": the last day of August.
            return _last_day(year - 1, 12) if month == 1 else _last_day(year, month - 1)
        return _last_day(year, month)
    if "begin" in words or "start" in words:
        return date(year, 3, 31)
    if "medio" in words or "half" in words or "midden" in words:
        return date(year, 6, 30)
    if before:
        # "voor 2027": the last day of 2026.
        return date(year - 1, 12, 31)
    return date(year, 12, 31)


def overdue(term: str | None, due_on: date | None, today: date) -> bool:
    """Past its deadline: the explicit date when there is one, otherwise the term's."""
    limit = due_on or deadline(term)
    return limit is not None and limit < today
