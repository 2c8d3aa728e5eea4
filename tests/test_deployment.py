"""Production configuration: structured logs on stdout, request ids, reverse proxies."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dla import create_app
from dla import logs as dla_logs
from dla.extensions import db
from tests.factories import log_in, make_user

ROOT = Path(__file__).resolve().parents[1]


def test_production_logs_one_json_object_per_line_on_stdout(tmp_path):
    script = (
        "from dla import create_app\n"
        "app = create_app()\n"
        "client = app.test_client()\n"
        "assert client.get('/healthz', headers={'X-Request-ID': 'lb-42'}).status_code == 200\n"
        "assert client.get('/bestaat-niet?geheim=1').status_code == 404\n"
        "import logging; logging.getLogger('dla.test').error('kapot', exc_info=ValueError('x'))\n"
    )
    env = {
        **os.environ,
        "DLA_ENV": "production",
        "SECRET_KEY": "a-production-secret-for-this-test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }
    env.pop("DLA_LOG_FORMAT", None)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    requests = [line for line in lines if line["logger"] == "dla.request"]
    assert [(r["method"], r["path"], r["status"]) for r in requests] == [
        ("GET", "/healthz", 200),
        ("GET", "/bestaat-niet", 404),
    ]
    assert requests[0]["request_id"] == "lb-42"
    assert len(requests[1]["request_id"]) == 16  # a new id when the proxy sent none
    assert all(isinstance(r["duration_ms"], float) for r in requests)
    assert all("geheim" not in json.dumps(r) for r in requests)  # no query strings
    error = next(line for line in lines if line["logger"] == "dla.test")
    assert error["level"] == "ERROR" and "ValueError: x" in error["exception"]


def test_request_id_comes_back_and_hostile_ids_are_replaced(client):
    same = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert same.headers["X-Request-ID"] == "abc-123"
    for hostile in ("<script>", "x" * 65, "a b", "%0d%0aSet-Cookie"):
        answer = client.get("/healthz", headers={"X-Request-ID": hostile})
        assert answer.headers["X-Request-ID"] != hostile
        assert len(answer.headers["X-Request-ID"]) == 16


def test_records_written_during_a_request_carry_its_id(app):
    handler = logging.Handler()
    handler.addFilter(dla_logs.RequestIdFilter())
    records = []
    handler.emit = records.append
    logger = logging.getLogger("dla.probe")
    logger.addHandler(handler)
    try:
        with app.test_request_context("/healthz", headers={"X-Request-ID": "req-7"}):
            app.preprocess_request()
            logger.warning("binnen")
        logger.warning("buiten")
    finally:
        logger.removeHandler(handler)
    assert [r.request_id for r in records] == ["req-7", None]
    formatted = json.loads(dla_logs.JsonFormatter().format(records[0]))
    assert formatted["request_id"] == "req-7" and formatted["message"] == "binnen"


@pytest.mark.parametrize("proxies, expected", [(0, "127.0.0.1"), (1, "203.0.113.9")])
def test_forwarded_client_address_is_trusted_only_behind_a_configured_proxy(proxies, expected):
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "DLA_PROXIES": proxies}
    )

    @app.get("/wie")
    def who():
        from flask import request

        return f"{request.remote_addr} {request.scheme}"

    with app.app_context():
        db.create_all()
        user = make_user("pl@test.nl")
        db.session.commit()
        key = user.get_id()
    client = app.test_client()
    log_in(client, key)
    response = client.get(
        "/wie",
        headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert response.get_data(as_text=True) == (f"{expected} {'https' if proxies else 'http'}")


def test_bad_settings_stop_the_app_with_a_clear_message(monkeypatch):
    monkeypatch.setenv("DLA_PROXIES", "twee")
    with pytest.raises(RuntimeError, match="DLA_PROXIES must be a whole number"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    monkeypatch.setenv("DLA_PROXIES", "1")
    monkeypatch.setenv("DLA_LOG_FORMAT", "xml")
    with pytest.raises(RuntimeError, match="DLA_LOG_FORMAT"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_login_throttle_falls_back_to_memory_when_redis_is_unreachable(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'dla.sqlite3'}",
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_FAST": True,
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    )
    with app.app_context():
        db.create_all()
        make_user("pl@test.nl")
        db.session.commit()
    client = app.test_client()
    wrong = {"email": "pl@test.nl", "password": "niet-het-goede-wachtwoord"}
    statuses = [client.post("/inloggen", data=wrong).status_code for _ in range(6)]
    assert statuses == [422] * 5 + [429]


def test_command_stdout_is_data_only_and_logs_go_to_stderr(tmp_path):
    """`flask dla export --format json > file` gives valid JSON: Alembic's and our log lines
    go to stderr while a command runs (they went to stdout before)."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "DLA_LOG_LEVEL": "INFO",
        "FLASK_APP": "wsgi",
    }
    env.pop("DLA_ENV", None)
    flask = [sys.executable, "-m", "flask"]
    upgrade = subprocess.run(
        [*flask, "db", "upgrade"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert upgrade.returncode == 0, upgrade.stderr
    assert upgrade.stdout == ""
    assert "INFO alembic" in upgrade.stderr  # the log lines are there, on stderr
    export = subprocess.run(
        [*flask, "dla", "export", "--format", "json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert export.returncode == 0, export.stderr
    assert json.loads(export.stdout)["regions"] == []
