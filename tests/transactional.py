"""One app and one database connection for a whole test module, rolled back per test.

Building the same world (regions, agendas, users, …) for every test was most of the suite's
time. A module that wants speed builds it once, and each test runs inside a SAVEPOINT that is
rolled back afterwards (SQLAlchemy's "joining a Session into an external transaction"
recipe):

- one connection with an outer transaction that is never committed (rolled back at the end
  of the module);
- the app's sessions are bound to that connection with ``join_transaction_mode=
  "create_savepoint"``: a view's ``commit()`` releases a savepoint, a ``rollback()`` goes back
  to one, the data stays in the outer transaction;
- per test a SAVEPOINT on the connection, rolled back after the test, so every test sees the
  module's world exactly as it was built.

Only sessions made for this app are bound; another app in the same test (a second database to
restore into) gets ordinary sessions. pysqlite needs its own transaction handling switched off
for SAVEPOINTs to work (SQLAlchemy's pysqlite recipe); PostgreSQL works as it is.

Use it through the fixtures ``module_app`` (module) and ``rolled_back_app`` (test) in
``tests/conftest.py``; see ``tests/test_authorization.py`` for a module that does.
"""

from __future__ import annotations

from contextlib import contextmanager

from flask import Flask, current_app
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event
from sqlalchemy.engine import Connection

from dla.extensions import db, limiter


class _ConnectionSession(FlaskSession):
    """Flask-SQLAlchemy's session picks an engine per table; this one uses its connection."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if isinstance(self.bind, Connection):
            return self.bind
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


@contextmanager
def module_transaction(app: Flask):
    """Bind ``app``'s sessions to one connection in an outer transaction; roll it back at
    the end."""
    with app.app_context():
        connection = db.engine.connect()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # pysqlite begins transactions itself (and not before DDL); let SQLAlchemy do it.
        connection.connection.driver_connection.isolation_level = None
        event.listen(connection, "begin", _sqlite_begin)
    outer = connection.begin()
    registry = db.session.registry
    ordinary = registry.createfunc
    bound = db._make_session_factory(
        {
            "class_": _ConnectionSession,
            "bind": connection,
            "join_transaction_mode": "create_savepoint",
        }
    )

    def make_session():
        return bound() if current_app._get_current_object() is app else ordinary()

    registry.createfunc = make_session
    try:
        yield connection
    finally:
        with app.app_context():
            db.session.remove()
        registry.createfunc = ordinary
        if outer.is_active:
            outer.rollback()
        if sqlite:
            event.remove(connection, "begin", _sqlite_begin)
            # In-memory SQLite: the pool keeps this DBAPI connection; give it back as it was.
            connection.connection.driver_connection.isolation_level = ""
        connection.close()


def _sqlite_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN")


@contextmanager
def savepoint_per_test(app: Flask, connection: Connection):
    """One test's changes, rolled back afterwards; also forgets the app's in-memory state
    (login throttle counters, caches) that a fresh app would not have."""
    savepoint = connection.begin_nested()
    _forget_memory(app)
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
        if savepoint.is_active:
            savepoint.rollback()
        _forget_memory(app)


def remember_limiter(app: Flask) -> Flask:
    """Keep the login throttle's state as ``app`` set it up. The throttle (Flask-Limiter) is
    one object per process, set up again by every app made later (a test that builds its own
    app with another storage): ``_forget_memory`` gives it back to ``app``."""
    app.extensions["dla_test_limiter"] = dict(limiter.__dict__)
    return app


def _forget_memory(app: Flask) -> None:
    state = app.extensions.get("dla_test_limiter")
    if state is not None:
        limiter.__dict__.update(state)
    with app.app_context():
        limiter.reset()
        for backend in (app.extensions.get("cache") or {}).values():
            backend.clear()


class Layer:
    """An optional world in a SAVEPOINT of its own under the module's transaction: built when a
    test asks for it, rolled back when a test asks for the empty database. A module whose tests
    mostly share one world (the demo) and sometimes need an empty database pays for building
    it only when the file's order switches between the two."""

    def __init__(self, app: Flask, connection: Connection, build) -> None:
        self.app, self.connection, self.build = app, connection, build
        self.savepoint = None

    def want(self, wanted: bool) -> None:
        if wanted and self.savepoint is None:
            self.savepoint = self.connection.begin_nested()
            with self.app.app_context():
                self.build()
                db.session.commit()
                db.session.remove()
        elif not wanted and self.savepoint is not None:
            self.savepoint.rollback()
            self.savepoint = None
