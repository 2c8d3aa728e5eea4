"""Dates and times as people in the Netherlands read them, through Flask-Babel (locale nl,
time zone Europe/Amsterdam). The one place the app formats a date or a time.

Stored times stay UTC; they are shown in Dutch local time, summer and winter time included.
One style everywhere: "14-01-2025" where dates stand in tables and lists (``date``),
"14 januari 2025" in running text (``datelong``), "14-01-2025 15:30" for a moment
(``datetime``), "15:30" (``time``) and "3 minuten geleden" (``ago``). In a page every one
is a ``<time class="date">`` element that never wraps; the Python functions (``short``,
``long``, ``stamp``) give the plain text for charts, messages and form values.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates
from flask import Flask
from flask_babel import Babel
from markupsafe import Markup, escape

LOCALE = "nl"
DUTCH = Locale.parse(LOCALE)  # parsed once: Babel parses a locale name on every call
TIMEZONE = "Europe/Amsterdam"
ZONE = ZoneInfo(TIMEZONE)
SHORT = "dd-MM-yyyy"
LONG = "d MMMM y"
CLOCK = "HH:mm"
# Month names from Babel's Dutch locale data (the parsers read them too).
MONTHS = [babel_dates.get_month_names("wide", locale=LOCALE)[m] for m in range(1, 13)]
MONTH_ABBREVIATIONS = [
    babel_dates.get_month_names("abbreviated", locale=LOCALE)[m].rstrip(".") for m in range(1, 13)
]

babel = Babel()


def local(value: datetime) -> datetime:
    """``value`` (UTC; a naive value from the database is UTC) in Dutch local time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(ZONE)


def _day(value: date | datetime) -> date:
    return local(value).date() if isinstance(value, datetime) else value


@lru_cache(maxsize=4096)
def _format_day(day: date, pattern: str) -> str:
    """A day in one of the patterns. Pages show the same few version dates hundreds of times
    (the persistent barriers: every row's versions), so each is formatted once."""
    return babel_dates.format_date(day, pattern, locale=DUTCH)


def short(value: date | datetime | None) -> str:
    """14-01-2025 (a moment: its local date)."""
    if value is None:
        return ""
    return _format_day(_day(value), SHORT)


def long(value: date | datetime | None) -> str:
    """14 januari 2025."""
    if value is None:
        return ""
    return _format_day(_day(value), LONG)


def stamp(value: datetime | None) -> str:
    """14-01-2025 15:30, in Dutch local time."""
    if value is None:
        return ""
    return babel_dates.format_datetime(local(value), f"{SHORT} {CLOCK}", locale=DUTCH)


def clock(value: datetime | None) -> str:
    """15:30, in Dutch local time."""
    if value is None:
        return ""
    return babel_dates.format_time(local(value), CLOCK, locale=DUTCH)


def ago(value: datetime | None, now: datetime | None = None) -> str:
    """3 minuten geleden; over 2 dagen."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    if abs((now - value).total_seconds()) < 60:
        return "zojuist"
    return babel_dates.format_timedelta(value - now, add_direction=True, locale=DUTCH)


def _element(value, text: str, title: str = "") -> Markup:
    if not text:
        return Markup("")
    machine = value.isoformat()
    hover = Markup(' title="{}"').format(title) if title else Markup("")
    return Markup('<time class="date" datetime="{}"{}>{}</time>').format(
        machine, hover, escape(text)
    )


def date_filter(value, style: str = "short") -> Markup:
    """``{{ day | date }}`` (14-01-2025) or ``{{ day | date("long") }}``."""
    if value is None:
        return Markup("")
    return _element(_day(value), long(value) if style == "long" else short(value))


def datetime_filter(value) -> Markup:
    if value is None:
        return Markup("")
    return _element(local(value), stamp(value))


def time_filter(value) -> Markup:
    if value is None:
        return Markup("")
    return _element(local(value), clock(value), stamp(value))


def ago_filter(value) -> Markup:
    if value is None:
        return Markup("")
    return _element(local(value), ago(value), stamp(value))


def install(app: Flask) -> None:
    """Babel with the Dutch locale and time zone, and the one set of date filters."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", LOCALE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", TIMEZONE)
    babel.init_app(app, locale_selector=lambda: LOCALE, timezone_selector=lambda: TIMEZONE)
    app.jinja_env.filters["date"] = date_filter
    app.jinja_env.filters["datelong"] = lambda value: date_filter(value, "long")
    app.jinja_env.filters["datetime"] = datetime_filter
    app.jinja_env.filters["time"] = time_filter
    app.jinja_env.filters["ago"] = ago_filter
    app.jinja_env.filters["dateplain"] = short
