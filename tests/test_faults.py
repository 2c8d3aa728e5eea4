"""Faults: an app worker killed with SIGKILL in the middle of a write.

The app runs in gunicorn (one worker) with ``tests/fault_app.py``: the request under test
stops right before its COMMIT, after every statement of its transaction reached the
database. The test then kills the worker with ``kill -9``. Afterwards the database holds all
of the change or none of it (here: none, because the COMMIT was never sent), gunicorn starts
a new worker, and the app serves normally: the same person, still logged in, repeats the
action and it succeeds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time

import pytest
from sqlalchemy import func, select

from dla.agendas import services
from dla.agendas.models import Agenda, Version
from dla.extensions import db
from tests.conftest import QUESTIONS, needs_postgres
from tests.factories import PASSWORD
from tests.servers import AppServer, HttpClient, TcpProxy


@pytest.fixture
def server(server_database, tmp_path):
    _app, url, _ids = server_database
    fault_file = tmp_path / "fault"
    server = AppServer(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "fault-test-secret",
            "DLA_FAULT_FILE": str(fault_file),
            "DLA_SERVER_LOG": str(tmp_path / "gunicorn.log"),
        },
        app_module="tests.fault_app:app",
    )
    server.fault_file = fault_file
    yield server
    server.stop()


def _kill_during(server, client, path: str, data: dict) -> int:
    """POST ``data`` to ``path``, kill -9 the worker before its COMMIT; answer the writes sent."""
    server.fault_file.write_text(path.rsplit("/", 1)[-1])
    paused = server.fault_file.with_name("fault.paused")
    outcome = {}

    def send():
        try:
            outcome["answer"] = client.post(path, data, htmx=True, timeout=60)
        except OSError as error:  # the connection dies with the worker
            outcome["error"] = error

    thread = threading.Thread(target=send)
    thread.start()
    deadline = time.monotonic() + 30
    while not paused.exists() or not paused.read_text():
        assert time.monotonic() < deadline, "the request never reached its COMMIT"
        time.sleep(0.05)
    pid, writes = (int(part) for part in paused.read_text().split())
    server.fault_file.unlink()
    os.kill(pid, signal.SIGKILL)
    thread.join(timeout=30)
    assert "answer" not in outcome, "the request was answered although its worker was killed"
    paused.unlink()
    server.wait_until_healthy()
    return writes


def _commits(server, path: str) -> list[int]:
    """How many COMMITs each request to ``path`` made (killed requests never finished)."""
    log = server.fault_file.with_name("fault.commits").read_text().splitlines()
    return [int(line.rsplit(" ", 1)[1]) for line in log if line.rsplit(" ", 1)[0] == path]


def _row_counts(app) -> dict[str, int]:
    with app.app_context():
        counts = {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }
        db.session.remove()
        return counts


def test_kill_9_while_publishing_leaves_the_version_a_concept(server_database, server):
    app, _url, ids = server_database
    client = HttpClient(server.base)
    assert client.login("pl@fout.test", PASSWORD) == 302
    status, page, _ = client.get(f"/versies/{ids['concept']}")
    assert status == 200 and "Vaststellen" in page
    before = _row_counts(app)
    with app.app_context():
        lock = db.session.get(Version, ids["concept"]).lock_version

    writes = _kill_during(
        server, client, f"/versies/{ids['concept']}/vaststellen", {"lock_version": lock}
    )

    assert writes >= 2  # the version's UPDATE and its audit entry had reached the database
    assert _row_counts(app) == before
    with app.app_context():
        version = db.session.get(Version, ids["concept"])
        assert version.status == "concept" and version.published_at is None
        assert version.lock_version == lock
        db.session.remove()
    # A new worker serves the same person, and publishing now works.
    status, _page, _ = client.get(f"/agendas/{ids['agenda']}")
    assert status == 200
    status, _text, headers = client.post(
        f"/versies/{ids['concept']}/vaststellen", {"lock_version": lock}, htmx=True
    )
    assert status == 204 and headers["HX-Redirect"] == f"/versies/{ids['concept']}"
    # Publishing commits once: cutting off that COMMIT is cutting off all of it.
    assert _commits(server, f"/versies/{ids['concept']}/vaststellen") == [1]
    with app.app_context():
        assert db.session.get(Version, ids["concept"]).status == "vastgesteld"
        db.session.remove()
    assert _row_counts(app)["audit_entries"] > before["audit_entries"]


def test_kill_9_while_saving_an_import_saves_none_of_it(server_database, server):
    app, _url, ids = server_database
    client = HttpClient(server.base)
    assert client.login("pl@fout.test", PASSWORD) == 302
    status, _page, _ = client.get(f"/regios/{ids['region']}/importeren")
    assert status == 200
    fields = {
        "titel": "Ingelezen agenda",
        "niveau": "tactisch",
        "doelgroep": "Managers",
        "datum": "24-02-2020",
        "herkomst": "werksessie",
        "verspreiding": "regio",
        "groepen": "1",
        "groep-0": "",
        "aantal": str(len(QUESTIONS)),
        **{f"q-{i}-tekst": text for i, text in enumerate(QUESTIONS)},
    }
    before = _row_counts(app)

    writes = _kill_during(server, client, f"/regios/{ids['region']}/importeren/opslaan", fields)

    assert writes >= 1 + 1 + 3 * 2  # agenda, version, a thread and a wording per question …
    assert _row_counts(app) == before
    # The app serves normally and the same import now saves all of it.
    status, _text, headers = client.post(
        f"/regios/{ids['region']}/importeren/opslaan", fields, htmx=True
    )
    assert status == 204 and headers["HX-Redirect"].startswith("/versies/")
    assert _commits(server, f"/regios/{ids['region']}/importeren/opslaan") == [1]
    after = _row_counts(app)
    assert after["agendas"] == before["agendas"] + 1
    assert after["versions"] == before["versions"] + 1
    assert after["wordings"] == before["wordings"] + len(QUESTIONS)
    with app.app_context():
        agenda = db.session.scalar(select(Agenda).where(Agenda.title == "Ingelezen agenda"))
        assert [w.full_text for w in services.concept_version(agenda).wordings] == QUESTIONS
        db.session.remove()


# --- the database goes away and comes back --------------------------------------------------

postgres_server = needs_postgres("the connection to a PostgreSQL server is cut")


def _outage(server, client, ids, take_away, bring_back) -> None:
    """Requests during the outage get the friendly 503; afterwards the same worker serves."""
    agenda = f"/agendas/{ids['agenda']}"
    assert client.get(agenda)[0] == 200
    workers = server.worker_pids()
    take_away()
    try:
        for path, htmx in ((agenda, False), (agenda, True), ("/", False)):
            status, text, headers = client.get(path, htmx=htmx)
            assert status == 503, (path, status, text[:500])
            assert "De database is even niet bereikbaar" in text
            assert "Traceback" not in text and "psycopg" not in text
            assert headers["Retry-After"] == "30"
        status, text, _headers = client.get("/healthz")
        assert status == 503 and '"database":"unavailable"' in text.replace(" ", "")
    finally:
        bring_back()
    # No restart: the same worker answers again, the person is still logged in.
    deadline = time.monotonic() + 30
    while client.get("/healthz")[0] != 200:
        assert time.monotonic() < deadline, "the app did not recover"
        time.sleep(0.2)
    status, page, _headers = client.get(agenda)
    assert status == 200 and "Agenda ICR" in page
    assert server.worker_pids() == workers


@pytest.fixture
def proxied(server_database, tmp_path):
    """An app server that reaches PostgreSQL through a proxy the test can cut."""
    from sqlalchemy.engine import make_url

    _app, url, _ids = server_database
    target = make_url(url)
    proxy = TcpProxy(target.host or "127.0.0.1", target.port or 5432)
    server = AppServer(
        {
            "DATABASE_URL": target.set(host="127.0.0.1", port=proxy.port).render_as_string(
                hide_password=False
            ),
            "SECRET_KEY": "outage-test-secret",
            "DLA_SERVER_LOG": str(tmp_path / "gunicorn.log"),
        }
    )
    yield server, proxy
    server.stop()
    proxy.stop()


@postgres_server
def test_database_cut_off_gives_a_friendly_503_and_the_app_recovers(server_database, proxied):
    _app, _url, ids = server_database
    server, proxy = proxied
    client = HttpClient(server.base)
    assert client.login("pl@fout.test", PASSWORD) == 302
    _outage(server, client, ids, proxy.stop, proxy.start)


@postgres_server
@pytest.mark.skipif(
    os.environ.get("DLA_TEST_POSTGRES_RESTART") != "1",
    reason="stops and starts this machine's PostgreSQL: set DLA_TEST_POSTGRES_RESTART=1",
)
def test_postgresql_stopped_and_started_gives_503_then_recovers(server_database, tmp_path):
    _app, url, ids = server_database
    cluster = ["pg_ctlcluster", "--skip-systemctl-redirect", _postgres_version(), "main"]
    server = AppServer(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "outage-test-secret",
            "DLA_SERVER_LOG": str(tmp_path / "gunicorn.log"),
        }
    )
    try:
        client = HttpClient(server.base)
        assert client.login("pl@fout.test", PASSWORD) == 302

        def start():
            subprocess.run([*cluster, "start"], check=True)
            subprocess.run(["pg_isready", "-h", "127.0.0.1", "-t", "30"], check=True)

        _outage(
            server,
            client,
            ids,
            lambda: subprocess.run([*cluster, "stop", "-m", "fast"], check=True),
            start,
        )
    finally:
        server.stop()


def _postgres_version() -> str:
    return sorted(os.listdir("/etc/postgresql"))[-1]
