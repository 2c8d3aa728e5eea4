"""The failed-code limit: one limit for every route that takes a join code (``/doe-mee``
and every ``/w/<code>/…``).

A correct code is always admitted: a room must never lock itself out. Only wrong codes are
counted and refused, and a whole room shares one address (the venue's wifi), so there are two
counters: one per browser (a random id in its session cookie) and a much larger one per
address. A browser over its own limit gets 429 for its next wrong codes (it learns nothing
about them); the same goes for an address that fails more often than any room mistypes
(someone guessing codes and throwing their cookies away). The protection against guessing
rests on the size of the code space (see ``CODE_LENGTH`` in the models).
"""

from __future__ import annotations

import logging
import secrets

from flask import current_app, session
from flask_limiter.util import get_remote_address
from limits import parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from dla.errors import DomainError
from dla.extensions import limiter
from dla.werksessies.models import Werksessie
from dla.werksessies.participation import find_open_session

log = logging.getLogger(__name__)

CODE_FAILURES_PER_BROWSER = "10 per minute;30 per hour"
CODE_FAILURES_PER_ADDRESS = "100 per 10 minutes;300 per hour"
_BROWSER_KEY = "code_browser"
# Counts in this process's memory when the shared storage (Redis) does not answer.
_FALLBACK_COUNTER = MovingWindowRateLimiter(MemoryStorage())


class TooManyCodeAttempts(DomainError):
    status = 429

    def __init__(self) -> None:
        super().__init__(
            "Te veel pogingen met een verkeerde code. Wacht een paar minuten en probeer het dan "
            "opnieuw."
        )


def open_session_by_code(code: str | None, *, own_closed_code: bool = False) -> Werksessie | None:
    """The open session with this code, or None; a wrong code over the limit is a 429.

    ``own_closed_code``: the browser holds a participant cookie for a session that has
    closed since, and this is that session's code: not a guess, so not counted (the phones
    of a closed session keep asking for a while; they must not use up the room's limit).
    """
    ws = find_open_session(code)
    if ws is not None or own_closed_code:
        return ws
    if not _code_attempts_left():
        raise TooManyCodeAttempts()
    _code_failed()
    return None


def _code_counters() -> list[tuple[list, tuple[str, ...]]]:
    """The (limits, key) pairs that apply to this request."""
    address = get_remote_address() or "?"
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    counters = [(parse_many(CODE_FAILURES_PER_ADDRESS), (prefix, "code-address", address))]
    browser = session.get(_BROWSER_KEY)
    if isinstance(browser, str):
        counters.append(
            (parse_many(CODE_FAILURES_PER_BROWSER), (prefix, "code-browser", address, browser))
        )
    return counters


def _count(method: str, item, key: tuple[str, ...]) -> bool:
    try:
        return getattr(limiter.limiter, method)(item, *key)
    except Exception:  # the shared storage is away: count here meanwhile
        log.warning("rate limit storage unreachable; counting code attempts in memory")
        return getattr(_FALLBACK_COUNTER, method)(item, *key)


def _code_attempts_left() -> bool:
    """False when this browser or this address has failed too often (answer 429)."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    return all(_count("test", item, key) for items, key in _code_counters() for item in items)


def _code_failed() -> None:
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    if not isinstance(session.get(_BROWSER_KEY), str):
        session[_BROWSER_KEY] = secrets.token_hex(8)
    for items, key in _code_counters():
        for item in items:
            _count("hit", item, key)
