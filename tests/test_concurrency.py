"""Concurrent changes to one concept version take turns (found by benchmarks/load.py).

Adding a question renumbers the version's questions from the list it read. Two requests that
read the same list at the same time gave two questions the same label, and a later
renumbering then failed one of them with a needless 409. A request that changes a version
now locks it before reading it: PostgreSQL locks the version's row, SQLite takes its write
lock at once. These tests check the lock with a second connection that does not wait.
"""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from dla import create_app
from dla.agendas import services
from dla.extensions import db
from tests.factories import keep_all, log_in, make_agenda, make_user, make_version, question

Q1 = question("als ICR regie houden op veiligheid", "ik geen zicht krijg op de situatie")
Q2 = question("informatie delen met Veilig Thuis", "ik de privacyregels niet ken")
HX = {"HX-Request": "true"}


@pytest.fixture
def shared_app(app, database_url, tmp_path):
    """An app whose database a second connection can reach (SQLite: a file, not memory)."""
    if not database_url.startswith("sqlite"):
        yield app
        return
    other = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_FAST": True,
        }
    )
    with other.app_context():
        db.create_all()
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


@contextmanager
def second_connection():
    """Another connection to the same database that never waits for a lock."""
    url = db.engine.url
    sqlite = url.get_backend_name() == "sqlite"
    engine = create_engine(url, connect_args={"timeout": 0} if sqlite else {})
    try:
        with engine.connect() as conn:
            if not sqlite:
                conn.execute(text("SET lock_timeout = 1"))
            yield conn
    finally:
        engine.dispose()


def can_change(conn, version_id: int) -> bool:
    """Can the second connection take the lock a change of this version needs?"""
    try:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.execute(
                text("SELECT id FROM versions WHERE id = :id FOR UPDATE NOWAIT"), {"id": version_id}
            )
    except OperationalError:
        conn.rollback()
        return False
    conn.rollback()
    return True


def _concept(with_user: bool = False) -> dict:
    agenda = make_agenda()
    make_version(agenda, [Q1], publish=True)
    concept = services.create_version(agenda)
    ids = {"version": concept.id, "wording": concept.wordings[0].id}
    if with_user:
        ids["user"] = make_user(region=agenda.region, role="projectleider").get_id()
    db.session.commit()
    return ids


def test_a_version_loaded_for_update_stays_locked_until_the_commit(shared_app):
    with shared_app.app_context():
        version_id = _concept()["version"]
        db.session.remove()
        services.load_version(version_id)
        with second_connection() as conn:
            assert can_change(conn, version_id)  # reading does not lock
        services.load_version(version_id, for_update=True)
        with second_connection() as conn:
            assert not can_change(conn, version_id)
        db.session.commit()
        with second_connection() as conn:
            assert can_change(conn, version_id)


def test_a_version_loaded_for_update_has_the_questions_as_saved_now(shared_app):
    """Questions already in the session are read again, not taken from before the lock."""
    with shared_app.app_context():
        ids = _concept()
        db.session.remove()
        wording = db.session.get(services.Wording, ids["wording"])
        assert wording.label == "A"
        with second_connection() as conn:
            conn.execute(
                text("UPDATE wordings SET label = 'Z', position = 7 WHERE id = :id"),
                {"id": ids["wording"]},
            )
            conn.commit()
        version = services.load_version(ids["version"], for_update=True)
        assert [(w.label, w.position) for w in version.wordings] == [("Z", 7)]
        assert wording.label == "Z"
        db.session.rollback()


def test_changes_to_a_version_lock_it_and_reading_does_not(app, client, monkeypatch):
    with app.app_context():
        ids = _concept(with_user=True)
    log_in(client, ids["user"])
    calls = []
    load = services.load_version

    def recording(version_id, *, for_update=False):
        calls.append(for_update)
        return load(version_id, for_update=for_update)

    monkeypatch.setattr(services, "load_version", recording)
    version, wording = ids["version"], ids["wording"]
    for method, path, data, locked in (
        ("get", f"/versies/{version}", None, False),
        ("post", f"/versies/{version}/vragen", {"text": Q2}, True),
        ("get", f"/versies/{version}/overgangen/{wording}", None, False),
        ("post", f"/vragen/{wording}/verplaatsen", {"richting": "down"}, True),
        ("post", f"/vragen/{wording}/deelvragen", {"text": "Wie belt wie?"}, True),
    ):
        calls.clear()
        response = getattr(client, method)(path, data=data, headers=HX)
        assert response.status_code == 200, (path, response.status_code)
        assert calls[0] is locked, path
        assert not any(calls[1:]), path  # the answer after the commit reads without a lock


def test_a_decision_locks_the_concept_version(app, client, monkeypatch):
    with app.app_context():
        agenda = make_agenda()
        v1 = make_version(agenda, [Q1, Q2], publish=True)
        v2 = make_version(agenda)
        keep_all(v2)
        user = make_user(region=agenda.region, role="projectleider")
        db.session.commit()
        ids = {"v2": v2.id, "source": v1.wordings[0].id}
        log_in(client, user)
    locked = []
    load = services.load_version
    monkeypatch.setattr(
        services,
        "load_version",
        lambda version_id, *, for_update=False: (
            locked.append((version_id, for_update)) or load(version_id, for_update=for_update)
        ),
    )
    response = client.post(
        f"/versies/{ids['v2']}/overgangen/{ids['source']}",
        data={"kind": "voorlopig_beantwoord", "note": "Afgesproken", "expected": "blijft_staan"},
        headers=HX,
    )
    assert response.status_code == 200
    assert locked[0] == (ids["v2"], True)


def test_sqlite_writers_queue_for_the_write_lock_long_enough(shared_app):
    """Under overload writes waited up to 4.7 s for SQLite's write lock; 5 s failed some."""
    with shared_app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15_000
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


# A fresh process (as a new gunicorn worker is) whose eight threads first use the module-level
# aliases of the system analysis at the same moment, with the GIL handed over as often as
# possible. Prints the number of statements that could not be built.
FIRST_USE_BY_EIGHT_THREADS = """
import sys, threading
from sqlalchemy import select
from sqlalchemy.dialects import sqlite
from dla import create_app
create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
from dla.analysis.models import BarrierItem
from dla.analysis.queries import _ACTOR, _ASPECT
errors = []
gate = threading.Barrier(8)
def build(n):
    gate.wait()
    first = BarrierItem if n % 2 else BarrierItem.id
    try:
        select(first, _ASPECT.name, _ACTOR.name).join(
            _ASPECT, _ASPECT.id == BarrierItem.aspect_id
        ).join(_ACTOR, _ACTOR.id == BarrierItem.actor_id).compile(dialect=sqlite.dialect())
    except Exception as error:
        errors.append(error)
sys.setswitchinterval(1e-6)
threads = [threading.Thread(target=build, args=(n,)) for n in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(errors))
"""


def test_module_level_aliases_survive_threads_that_use_them_first_at_once():
    """An alias shared by a worker's threads has its columns built before they share it
    (``dla.db.shared_alias``). Built lazily by two threads at once, it broke for the life of
    the process: in a load test one fresh gunicorn worker answered every question, chart
    and barriers page with a 500. Without the fix about half of these processes fail."""
    root = Path(__file__).resolve().parents[1]
    for _ in range(6):
        run = subprocess.run(
            [sys.executable, "-W", "ignore", "-c", FIRST_USE_BY_EIGHT_THREADS],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=root,
        )
        assert run.returncode == 0, run.stderr[-2000:]
        assert run.stdout.strip().splitlines()[-1] == "0", run.stdout
