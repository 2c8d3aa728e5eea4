r"""The cache of rendered parts and computed data (Flask-Caching), and its one helper.

Two caches: ``cache`` for what every reader of the same versions shares (computed data, parts
of pages) and ``page_cache`` for whole pages, one per viewer. Apart, so that many people's
pages never push out the shared entries that make building a page cheap (a full in-process
cache drops its oldest entries).

``REDIS_URL`` set: ``RedisCache``\s that several app servers share (bound them with Redis's
own ``maxmemory``). Otherwise in-process :class:`BoundedCache`\s per app, bounded in bytes:
``DLA_CACHE_BYTES`` for the shared entries and ``DLA_PAGE_CACHE_BYTES`` for the pages (the
oldest go first), each entry at most ``DLA_CACHE_ENTRY_LIMIT`` bytes (a larger result is not
stored; see README.md, "Caching", for what entries weigh). Entries expire after
``CACHE_DEFAULT_TIMEOUT`` seconds; they never need to be removed on a change, because their
keys hold the change stamps.

A cache that does not answer (Redis away) is a miss, never an error: the page is computed as
without a cache.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections.abc import Callable, Iterable

from flask import Flask, current_app, has_app_context, has_request_context
from flask_caching import Cache
from flask_caching.backends.simplecache import SimpleCache

from dla.caching import stamps
from dla.extensions import db

log = logging.getLogger(__name__)
cache = Cache()  # shared: data and parts of pages
page_cache = Cache()  # whole pages, one per viewer
_NONE = ("dla-cache-none",)  # a builder's None, stored


class BoundedCache(SimpleCache):
    """Flask-Caching's in-process ``SimpleCache``, bounded by the bytes it holds (its entries
    are pickled, so their size is known) as well as by their number: pages weigh 15 KB to
    3 MB, so a count alone says little about memory. When full, expired entries go first,
    then the oldest."""

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self._max_bytes = max_bytes

    def size(self) -> int:
        return sum(len(value) for _expires, value in self._cache.values())

    def _over_threshold(self) -> bool:
        return len(self._cache) > self._threshold or self.size() > self._max_bytes

    @classmethod
    def factory(cls, app, config, args, kwargs):
        kwargs.update(threshold=config["CACHE_THRESHOLD"], max_bytes=config["CACHE_MAX_BYTES"])
        return cls(*args, **kwargs)


def init_app(app: Flask) -> None:
    settings = {key: value for key, value in app.config.items() if key.startswith("CACHE_")}
    cache.init_app(app, config={**settings, "CACHE_MAX_BYTES": app.config["DLA_CACHE_BYTES"]})
    pages = {
        **settings,
        "CACHE_THRESHOLD": app.config["DLA_PAGE_CACHE_THRESHOLD"],
        "CACHE_MAX_BYTES": app.config["DLA_PAGE_CACHE_BYTES"],
        "CACHE_KEY_PREFIX": app.config["CACHE_KEY_PREFIX"] + "page:",
    }
    page_cache.init_app(app, config=pages)


def digest(parts: Iterable) -> str:
    return hashlib.sha256(repr(tuple(parts)).encode()).hexdigest()[:40]


def get(key: str, backend: Cache = cache):
    try:
        packed = backend.get(key)
        return None if packed is None else pickle.loads(packed)
    except Exception:  # noqa: BLE001 - a cache that does not answer is a miss
        log.warning("cache get failed", exc_info=True)
        return None


def put(key: str, value, backend: Cache = cache) -> None:
    """Store ``value`` (pickled once here, so that its size is known and bounded)."""
    try:
        packed = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        if len(packed) <= current_app.config["DLA_CACHE_ENTRY_LIMIT"]:
            backend.set(key, packed)
    except Exception:  # noqa: BLE001
        log.warning("cache set failed", exc_info=True)


def clear() -> None:
    """Empty both caches (of this app; with Redis, every entry under this app's prefix)."""
    cache.clear()
    page_cache.clear()


def identity(*objects) -> tuple:
    """The objects a view loaded before the stamps were read, with their ``lock_version``:
    a change to them that committed in between gives another key."""
    return tuple(
        (type(obj).__name__, obj.id, getattr(obj, "lock_version", None))
        for obj in objects
        if obj is not None
    )


def cached(
    key_parts: tuple,
    builder: Callable,
    *,
    region_id: int,
    agenda_id: int | None = None,
    readable: str | None = None,
    topics: tuple[str, ...] = (),
):
    """``builder()``, computed once per change stamp and per readable set.

    The key holds ``key_parts`` (what the result depends on besides the data: ids, filters,
    the objects from :func:`identity`), the current tokens of the region's (and agenda's)
    stamps and what the viewer may read in the region (``Access.readable_key``): a result
    built for a member is never given to someone who may read less. The tokens are read
    before the builder reads any data, so a result is never stored under a newer stamp than
    the data it was built from. ``readable`` replaces ``Access.readable_key`` when the caller
    filters by something else (see :func:`readable_sql`). ``topics``: the result depends on
    those kinds of content of the region only (``dla.caching.stamps.tokens``).
    """
    from dla.auth.permissions import access

    if not has_app_context() or not current_app.config.get("DLA_CACHE", True):
        return builder()
    if readable is None:
        if not has_request_context():
            return builder()
        readable = access().readable_key(region_id)
    token = stamps.tokens(db.session, region_id=region_id, agenda_id=agenda_id, topics=topics)
    key = "data:" + digest((*key_parts, token, readable))
    value = get(key)
    if value is None:
        value = builder()
        put(key, _NONE if value is None else value)
        return value
    return None if value == _NONE else value


def readable_sql(where) -> str | None:
    """A ``readable_versions`` condition as SQL text with its values (``"all"`` for
    ``None``): the exact filter a result was built with, for its key. ``None`` when it
    cannot be written out (then do not cache)."""
    if where is None:
        return "all"
    try:
        return str(where.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
    except Exception:  # noqa: BLE001 - a value without a literal form: no key, no cache
        return None
