"""Fixtures for the browser tests: a live server and a Chromium page driven by Playwright.

The tests use Debian's chromium at /usr/bin/chromium (never a downloaded browser). Without it
they are skipped, unless ``DLA_REQUIRE_BROWSER=1`` is set (as in CI): then they fail.

The live server runs the real app in a background thread with CSRF protection on, on a
database that every thread can share: an SQLite file in a temporary folder, or the run's
PostgreSQL schema when ``DATABASE_URL`` points at PostgreSQL. Every test starts with empty
tables. A test fails when the page logs a console error or an uncaught page error, or when the
server logs an error; tests that provoke an expected HTTP error allow its console line with
``browser_log.allow(...)``.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from werkzeug.serving import make_server

from dla import create_app
from dla.extensions import db

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent
REQUIRED = os.environ.get("DLA_REQUIRE_BROWSER") == "1"


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder as a browser test; skip them without chromium."""
    skip = pytest.mark.skip(reason="Debian's chromium is not installed")
    for item in items:
        if HERE not in Path(item.path).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        if not CHROMIUM.exists() and not REQUIRED:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _chromium_required():
    """With DLA_REQUIRE_BROWSER=1 a missing chromium is a failure, not a skip."""
    if not CHROMIUM.exists() and REQUIRED:
        pytest.fail(
            f"DLA_REQUIRE_BROWSER=1 but {CHROMIUM} does not exist: install Debian's chromium "
            "(apt-get install chromium) to run the browser tests.",
            pytrace=False,
        )


class ServerErrors(logging.Handler):
    """Collects ERROR log records of the live server (tracebacks of 500s included)."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s: %(message)s"))

    def emit(self, record):
        self.records.append(self.format(record))


@pytest.fixture(scope="session")
def live_server(database_url, tmp_path_factory):
    """The app served over HTTP from a daemon thread; yields the base URL."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.sqlite3'}"
    else:
        url = database_url
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-test-secret",
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": True,
        }
    )
    with app.app_context():
        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    errors = ServerErrors()
    logging.getLogger().addHandler(errors)
    server.app = app
    server.errors = errors
    try:
        yield server
    finally:
        logging.getLogger().removeHandler(errors)
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def base_url(live_server):
    host, port = live_server.server_address[:2]
    return f"http://{host}:{port}"


def empty_tables(live_server) -> None:
    """Delete every row, reset the login throttle and forget the server's logged errors."""
    app = live_server.app
    with app.app_context():
        tables = db.metadata.sorted_tables
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "sqlite":
                for table in reversed(tables):
                    conn.execute(table.delete())
            else:
                names = ", ".join(f'"{t.name}"' for t in tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        db.session.remove()
    live_server.errors.records.clear()
    # Every test logs in anew; the login throttle (per address) must not carry over.
    from dla.extensions import limiter

    with app.app_context():
        limiter.reset()


@pytest.fixture(autouse=True)
def _empty_tables(live_server):
    """Every test starts with empty tables and no server errors."""
    empty_tables(live_server)
    yield


class BrowserLog:
    """Console errors and page errors of one test, minus the ones the test expects."""

    def __init__(self):
        self.errors: list[str] = []
        self.allowed: list[re.Pattern] = []

    def allow(self, pattern: str) -> None:
        """Expect console errors matching ``pattern`` (e.g. the 409 of a refused request)."""
        self.allowed.append(re.compile(pattern))

    def add(self, message: str) -> None:
        self.errors.append(message)

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.allowed)]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_log():
    return BrowserLog()


def new_page(browser, base_url: str, browser_log: BrowserLog, **options):
    """A new browser context and page whose console and page errors go to ``browser_log``.

    ``options`` go to ``browser.new_context`` (e.g. a phone's viewport). Returns
    ``(context, page)``; the caller closes the context.
    """
    context = browser.new_context(locale="nl-NL", base_url=base_url, **options)
    page = context.new_page()

    def on_console(message):
        if message.type == "error":
            location = message.location or {}
            where = location.get("url", "")
            browser_log.add(f"console error: {message.text} ({where})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: browser_log.add(f"page error: {error}"))
    return context, page


@pytest.fixture
def checked_log(browser_log, live_server):
    """``browser_log``, checked when the test ends: unexpected console or page errors, and
    errors the server logged, fail the test. For tests that open their own contexts with
    ``new_page`` (the ``page`` fixture uses it too)."""
    yield browser_log
    problems = browser_log.unexpected()
    server_errors = list(live_server.errors.records)
    assert not problems, "The page logged errors:\n" + "\n".join(problems)
    assert not server_errors, "The server logged errors:\n" + "\n".join(server_errors)


@pytest.fixture
def page(browser, base_url, checked_log, request):
    context, page = new_page(browser, base_url, checked_log)
    yield page
    artifacts = Path(request.config.rootpath) / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    try:
        # caret="initial": hiding the caret leaves style="" on inputs, which htmx would
        # later copy when it settles a swap (a CSP violation caused by the test, not the app).
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True, caret="initial")
    finally:
        context.close()


ADMIN_EMAIL = "beheer@test.nl"
PASSWORD = "kompas-regenjas-lantaarn-9"


@pytest.fixture
def admin_account(live_server, _empty_tables):
    """A global beheerder, created through the service."""
    from dla.auth import services as auth_services

    with live_server.app.app_context():
        auth_services.create_user(ADMIN_EMAIL, "Bea Beheer", PASSWORD, is_admin=True)
        db.session.commit()
        db.session.remove()
    return ADMIN_EMAIL


def login(page, email: str, password: str = PASSWORD) -> None:
    """Log in through the form, as a person does."""
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(re.compile(r"/$"))


def published_agenda(live_server, region_name: str, questions: list[str]) -> tuple[int, int]:
    """A region with an agenda whose first version (``questions``) is published, and its
    projectleider pl@test.nl; answers (region id, agenda id)."""
    from datetime import date

    from dla.agendas import questions as agenda_questions
    from dla.agendas import services as agendas
    from dla.auth import services as auth_services
    from dla.regions import services as regions

    with live_server.app.app_context():
        region = regions.create_region(region_name)
        agenda = agendas.create_agenda(
            region, level="operationeel", audience="ICR's", title="Leeragenda ICR's"
        )
        version = agendas.create_version(agenda, document_date=date(2025, 11, 4))
        for text in questions:
            agenda_questions.add_wording(version, text=text)
        agendas.publish_version(version)
        leader = auth_services.create_user("pl@test.nl", "Pim Projectleider", PASSWORD)
        auth_services.set_membership(leader, region.id, "projectleider")
        db.session.commit()
        ids = region.id, agenda.id
        db.session.remove()
    return ids
