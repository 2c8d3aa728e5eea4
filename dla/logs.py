"""Logging: readable lines in development, one JSON object per line on stdout in production.

While a ``flask`` command runs, log lines go to stderr instead: a command's stdout is its data
(``flask dla export --format json > file`` must give valid JSON); see ``ServerOrCommandHandler``.
A command logs warnings and above unless ``DLA_LOG_LEVEL`` asks for more (``log_level``);
``migrations/env.py`` keeps Alembic's own logging setup out when this one is installed.

Every request gets an id (the proxy's ``X-Request-ID`` when it sends a sane one, else a new
one); it is sent back in the ``X-Request-ID`` header and added to every log record written
while the request runs, so the access line and an error's traceback can be found together.
With ``DLA_REQUEST_LOG`` on (the default in production) each request is logged once, with
method, path, status, duration, user id and client address; never query strings, form
values or cookies, which may hold what people typed.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
import time
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
request_log = logging.getLogger("dla.request")


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to records written during a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in STANDARD_ATTRIBUTES and value is not None:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class ServerOrCommandHandler(logging.StreamHandler):
    """stdout for a server (the platform's log shipper reads it); stderr while a command runs.

    A command is running when click has a current context in this thread (``flask …``); the
    request threads of a server have none.
    """

    def __init__(self):
        super().__init__(sys.stdout)

    def emit(self, record: logging.LogRecord) -> None:
        import click

        self.stream = sys.stderr if click.get_current_context(silent=True) else sys.stdout
        super().emit(record)


class TextFormatter(logging.Formatter):
    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")


def running_command() -> bool:
    """True while a ``flask …`` command runs in this thread (click has a current context)."""
    import click

    return click.get_current_context(silent=True) is not None


def log_level(app: Flask, *, serving: bool = False) -> str:
    """``DLA_LOG_LEVEL`` when set; else INFO for a server and WARNING for a command, so a
    command prints only its own output (Alembic's INFO lines included stay away)."""
    if app.config.get("DLA_LOG_LEVEL"):
        return app.config["DLA_LOG_LEVEL"]
    return "WARNING" if running_command() and not serving else "INFO"


def configure(app: Flask) -> None:
    """Install one handler on the root logger (once per process) and the request log."""
    if not app.testing:
        root = logging.getLogger()
        ours = [h for h in root.handlers if getattr(h, "dla_handler", False)]
        handler = ours[0] if ours else ServerOrCommandHandler()
        handler.dla_handler = True
        json_format = app.config["DLA_LOG_FORMAT"] == "json"
        handler.setFormatter(JsonFormatter() if json_format else TextFormatter())
        if not handler.filters:
            handler.addFilter(RequestIdFilter())
        if not ours:
            root.addHandler(handler)
        root.setLevel(log_level(app))
        # Alembic announces its built-in plugins at INFO on every start: not worth a line.
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

    @app.before_request
    def start_request():
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if REQUEST_ID_RE.match(incoming) else secrets.token_hex(8)
        g.request_started = time.perf_counter()

    @app.after_request
    def finish_request(response):
        request_id = g.get("request_id")
        if request_id:
            response.headers["X-Request-ID"] = request_id
        if app.config["DLA_REQUEST_LOG"] and "request_started" in g:
            user = g.get("_login_user")
            request_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "request_id": request_id,
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - g.request_started) * 1000, 1),
                    "user_id": getattr(user, "id", None),
                    "remote_addr": request.remote_addr,
                },
            )
        return response
