"""``/healthz``: is the app up, and does the database answer?

Load balancers poll it without logging in. It answers 200 with ``{"status": "ok"}`` when a
``SELECT 1`` succeeds within the pool's timeout, else 503 with ``{"status": "unavailable"}``.
It is never throttled and never cached.
"""

import logging

from flask import Blueprint, jsonify
from sqlalchemy.exc import SQLAlchemyError

from dla.extensions import db, limiter
from dla.health import queries
from dla.security import public

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
@limiter.exempt
def healthz():
    try:
        queries.ping()
        database = "ok"
    except SQLAlchemyError as error:
        db.session.rollback()
        log.warning("health check: database unavailable: %s", getattr(error, "orig", error))
        database = "unavailable"
    ok = database == "ok"
    response = jsonify(status="ok" if ok else "unavailable", database=database)
    response.status_code = 200 if ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response
