"""Whole pages from the cache, and ``ETag``/``304`` for them.

A page shows controls for its viewer (edit buttons for their own questions, their name, their
regions), so a cached page is one viewer's: the key holds the user, their roles in every
region, what they may read in the page's region, the change stamps, the objects the view
loaded first (with their ``lock_version``), the date (persistence badges count days), the URL
with its query and whether htmx asked for a fragment.

A page holds the session's CSRF token. It is rendered with a placeholder instead, stored
like that, and the current token is put in when the page is sent: the cache never holds a
token and a page never carries another session's. The ``ETag`` is the key plus the session's
CSRF secret (hashed): a 304 only when the same session would get the same page.

Not cached: pages while a flash message waits (it would be shown once and then stored), and
anything that is not a 200.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date

from flask import current_app, g, make_response, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from dla.caching import stamps, store
from dla.extensions import db

REVALIDATE = "dla_revalidate"


def _placeholder() -> str:
    secret = str(current_app.config.get("SECRET_KEY", "")).encode()
    return "csrf" + hashlib.sha256(secret + b"dla-csrf-placeholder").hexdigest()[:40]


def _field() -> str:
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")


def page_key(region_id: int, objects: tuple, agenda_id: int | None = None) -> str | None:
    """The cache key of this request's page, or ``None`` when it must not be cached."""
    from dla.auth.permissions import access

    if not current_user.is_authenticated or session.get("_flashes"):
        return None
    rights = access()
    user = current_user
    parts = (
        "page",
        request.method,
        request.full_path,
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-History-Restore-Request", ""),
        user.id,
        user.name,
        bool(user.is_admin),
        tuple(sorted(rights.roles.items())),
        rights.readable_key(region_id),
        stamps.tokens(db.session, region_id=region_id, agenda_id=agenda_id),
        store.identity(*objects),
        date.today().isoformat(),
    )
    return "page:" + store.digest(parts)


def etag_for(key: str) -> str:
    secret = str(session.get(_field(), ""))
    return hashlib.sha256(f"{key}|{secret}".encode()).hexdigest()[:32]


KEPT_HEADERS = ("Content-Disposition", "Content-Type")


def _send(body: str, headers: list, etag: str):
    token = generate_csrf()
    response = make_response(body.replace(_placeholder(), token))
    for name, value in headers:
        response.headers[name] = value
    response.set_etag(etag, weak=True)
    g.setdefault(REVALIDATE, True)
    return response


def page(render: Callable, *, region_id: int, objects: tuple = (), agenda_id: int | None = None):
    """``render()`` (a view's response) through the page cache, with an ``ETag``.

    Call it after the loaders have checked access, with the objects they loaded; everything
    else the page shows must be read inside ``render``.
    """
    if not current_app.config.get("DLA_CACHE", True) or request.method != "GET":
        return render()
    key = page_key(region_id, objects, agenda_id)
    if key is None:
        return render()
    generate_csrf()  # the session's CSRF secret exists before the ETag is computed
    etag = etag_for(key)
    if request.if_none_match.contains_weak(etag):
        response = make_response("", 304)
        response.set_etag(etag, weak=True)
        g.setdefault(REVALIDATE, True)
        return response
    stored = store.get(key, store.page_cache)
    if stored is not None:
        return _send(stored[0], stored[1], etag)
    field, real = _field(), generate_csrf()
    setattr(g, field, _placeholder())
    try:
        response = make_response(render())
    finally:
        setattr(g, field, real)
    if response.status_code != 200 or response.direct_passthrough:
        response.set_data(response.get_data().replace(_placeholder().encode(), real.encode()))
        return response
    body = response.get_data(as_text=True)
    headers = [(k, v) for k, v in response.headers.items() if k in KEPT_HEADERS]
    store.put(key, (body, headers), store.page_cache)
    return _send(body, headers, etag)


def cache_control(response) -> str | None:
    """The ``Cache-Control`` of a logged-in person's response that carries an ``ETag`` from
    :func:`page`: the browser may keep it for this person only and must ask every time
    (``If-None-Match``). ``None`` for every other response (``dla.security`` sends
    ``no-store``)."""
    if g.get(REVALIDATE) and response.status_code in (200, 304):
        return "private, no-cache, must-revalidate"
    return None
