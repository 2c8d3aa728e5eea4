"""Fixtures: an app on in-memory SQLite, or on PostgreSQL when DATABASE_URL is set.

On PostgreSQL every test run works in its own schema, created here and dropped at the end,
so runs never see each other's data.
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from datetime import date
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, event, text

from dla import create_app
from dla.extensions import db
from tests.examples import EXAMPLES  # noqa: F401 - the example texts, see tests/examples.py
from tests.factories import keep_all, make_agenda, make_region, make_user, make_version


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return None
    from dla.config import normalise_database_url

    return normalise_database_url(url)


def needs_postgres(why: str):
    """Skip a test (or, as ``pytestmark``, a module) unless this run is on PostgreSQL."""
    return pytest.mark.skipif(
        _postgres_url() is None, reason=f"needs DATABASE_URL=postgresql://… ({why})"
    )


@pytest.fixture(scope="session")
def database_url():
    """A database URL for the whole run: in-memory SQLite, or a fresh PostgreSQL schema."""
    base = _postgres_url()
    if base is None:
        yield "sqlite://"
        return
    schema = f"test_{uuid.uuid4().hex[:12]}"
    # pool_pre_ping: tests/test_faults.py may restart PostgreSQL during the run.
    engine = create_engine(base, pool_pre_ping=True)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(scope="session")
def fresh_schema_url():
    """Factory for URLs of empty databases (used by the migration test)."""
    created: list[tuple[str, str]] = []
    base = _postgres_url()

    def make(tmp_path) -> str:
        if base is None:
            return f"sqlite:///{tmp_path / 'migrate.sqlite3'}"
        schema = f"mig_{uuid.uuid4().hex[:12]}"
        engine = create_engine(base)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        created.append((base, schema))
        separator = "&" if "?" in base else "?"
        return f"{base}{separator}options={quote(f'-csearch_path={schema}')}"

    yield make
    for url, schema in created:
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "WTF_CSRF_ENABLED": False,
    "PASSWORD_HASH_FAST": True,
}


@pytest.fixture(scope="session")
def _session_app(database_url):
    """One app for every test that asks for ``app``, its tables created once.

    Building an app (its 760 URL rules compiled) and its tables for every test, and
    emptying PostgreSQL with ``TRUNCATE`` afterwards, was about 0.08 s (SQLite) and 0.15 s
    (PostgreSQL) of every test. Each test now gets this app as a fresh one would be: its
    settings as built, its in-memory state (login throttle, caches) forgotten, and the
    database emptied by ``empty_tables`` and its tables there (``ensure_tables``)."""
    from tests.transactional import remember_limiter

    app = remember_limiter(create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url}))
    with app.app_context():
        db.create_all()
    yield app
    empty_database(app)


@pytest.fixture
def app(_session_app):
    from tests.transactional import _forget_memory

    app = _session_app
    config = dict(app.config)
    ensure_tables(app)
    _forget_memory(app)
    try:
        yield app
    finally:
        app.config.clear()
        app.config.update(config)
        empty_tables(app)
        _forget_memory(app)


@pytest.fixture
def fresh_app(database_url):
    """An app of its own, built for this test: for a test that adds routes (Flask allows
    that only before an app's first request)."""
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.create_all()
    yield app
    empty_database(app)


@pytest.fixture(scope="module")
def module_app(database_url):
    """One app for the whole module, its database work in one transaction that is rolled back
    at the module's end (tests/transactional.py). Build a module's world on it once, in a
    module-scoped fixture, and give the tests ``rolled_back_app``."""
    from tests.transactional import module_transaction, remember_limiter

    app = remember_limiter(create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url}))
    with app.app_context():
        db.create_all()
    with module_transaction(app) as connection:
        app.extensions["dla_test_connection"] = connection
        yield app
    empty_database(app)


@pytest.fixture
def rolled_back_app(module_app):
    """``module_app`` for one test: what the test changes is rolled back afterwards (a
    SAVEPOINT). A module runs its tests this way by overriding ``app`` with it (a fixture
    ``app(rolled_back_app)`` that returns it; see tests/test_authorization.py)."""
    from tests.transactional import savepoint_per_test

    with savepoint_per_test(module_app, module_app.extensions["dla_test_connection"]):
        yield module_app


def empty_database(app) -> None:
    """Leave the run's database empty for the next test: drop SQLite's tables, truncate
    PostgreSQL's (the schema stays for the whole run)."""
    with app.app_context():
        db.session.remove()
        if db.engine.dialect.name == "sqlite":
            db.drop_all()
        else:
            with db.engine.begin() as conn:
                names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


def empty_tables(app) -> None:
    """Delete the rows a test left, table by table, children first, and restart the ids.

    Only tables that hold rows are touched (one query finds them): deleting from a few small
    tables takes milliseconds where ``TRUNCATE`` of every table took a tenth of a second on
    PostgreSQL. Ids start at 1 again, as in a new database: SQLite reuses them once the rows
    are gone, PostgreSQL's sequences are set back. A database the test left unusable (its
    tables dropped, its in-memory connection closed) is emptied the slow way instead."""
    tables = db.metadata.sorted_tables
    with app.app_context():
        db.session.remove()
        try:
            with db.engine.begin() as conn:
                probe = " UNION ALL ".join(
                    f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")" for t in tables
                )
                filled = {name for (name,) in conn.execute(text(probe))}
                for table in reversed(tables):
                    if table.name in filled:
                        conn.execute(table.delete())
                if conn.dialect.name == "postgresql":
                    conn.execute(
                        text(
                            "SELECT setval(c.oid, 1, false) FROM pg_class c WHERE c.relkind = 'S'"
                            " AND c.relnamespace = current_schema()::regnamespace"
                        )
                    )
        except Exception:  # noqa: BLE001 - the test broke the database: start it again
            db.session.remove()
            db.drop_all()
            db.create_all()


def ensure_tables(app) -> None:
    """Create the tables again when a test dropped them (a test with an app of its own on
    the same database may end with ``drop_all``): one query when they are all there."""
    with app.app_context(), db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            query = "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        else:
            query = (
                "SELECT count(*) FROM information_schema.tables"
                " WHERE table_schema = current_schema()"
            )
        present = conn.scalar(text(query))
    if present < len(db.metadata.tables):
        with app.app_context():
            db.create_all()


QUESTIONS = [
    "Hoe kan ik het gezin centraal zetten, terwijl elke organisatie een eigen plan maakt?",
    "Hoe kunnen we informatie delen, terwijl de privacyregels onduidelijk zijn?",
    "Hoe kan ik snel opschalen, terwijl de wachtlijsten lang zijn?",
]


@pytest.fixture
def server_database(tmp_path, fresh_schema_url):
    """A database of its own for app servers in other processes (an SQLite file, or a fresh
    PostgreSQL schema): a region with a projectleider (pl@fout.test), an agenda with a
    published version of three questions and a concept version ready to publish."""
    url = fresh_schema_url(tmp_path)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "fault-test"})
    with app.app_context():
        db.create_all()
        region = make_region("Foutregio")
        make_user("pl@fout.test", region=region, role="projectleider")
        agenda = make_agenda(region)
        make_version(agenda, QUESTIONS, publish=True, day=date(2025, 1, 10))
        concept = make_version(agenda, day=date(2025, 4, 10))
        keep_all(concept)
        db.session.commit()
        ids = {
            "region": region.id,
            "agenda": agenda.id,
            "concept": concept.id,
            "wording": concept.wordings[0].id,
        }
    yield app, url, ids
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def ctx(app):
    """An application context for service tests."""
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


SAVEPOINT_STATEMENTS = (
    "SAVEPOINT sa_savepoint_",
    "RELEASE SAVEPOINT sa_savepoint_",
    "ROLLBACK TO SAVEPOINT sa_savepoint_",
)


@pytest.fixture
def count_queries(app):
    """Context manager that counts SQL statements run inside it. It empties the page and
    data cache first (``keep_cache=True`` keeps it), so that what is counted is the work of
    building the page, not a cache hit (tests/test_caching.py counts those)."""

    rolled_back = "dla_test_connection" in app.extensions

    @contextmanager
    def counter(keep_cache: bool = False):
        statements: list[str] = []
        if not keep_cache:
            from dla.caching import store

            with app.app_context():
                store.clear()

        def before(conn, cursor, statement, parameters, context, executemany):
            if rolled_back and statement.startswith(SAVEPOINT_STATEMENTS):
                return  # the rolled-back test's own bookkeeping (tests/transactional.py)
            statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counter


def pytest_collection_modifyitems(items):
    """A module that names a world only some of its tests ask for (``LAYERED_FIXTURE =
    "demo"``, see tests/transactional.py ``Layer``) runs those tests first, so the world is
    built once; every other test keeps its place."""
    first_index: dict = {}
    for index, item in enumerate(items):
        first_index.setdefault(getattr(item, "module", None), index)

    def key(item):
        module = getattr(item, "module", None)
        name = getattr(module, "LAYERED_FIXTURE", None)
        asks = name is None or name in getattr(item, "fixturenames", ())
        return (first_index[module], 0 if asks else 1)

    items.sort(key=key)


def pytest_terminal_summary(terminalreporter):
    """The fuzz tests' count of requests per route (tests/test_fuzz.py)."""
    import sys

    for name in ("tests.test_fuzz", "test_fuzz"):
        module = sys.modules.get(name)
        if module is not None:
            module.write_summary(terminalreporter)
            return
