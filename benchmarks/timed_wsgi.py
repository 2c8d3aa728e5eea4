"""The app with a CPU timer around every request: ``load.py --cpu-per-request`` serves this.

Each gunicorn worker appends one line per request to ``<DLA_BENCH_REQUEST_LOG>.<pid>``:
method, endpoint, status, CPU milliseconds of the request's thread (``time.thread_time``:
the Python work, the database driver's included, not the time spent waiting for the
database, the GIL or a lock) and the number of SQL statements. The timer wraps the whole
WSGI call, so the login, the access checks and the hooks count too; writing the body to the
socket does not.

Only for benchmarks: it is not part of the app.
"""

from __future__ import annotations

import os
import threading
import time

from sqlalchemy import event

from dla import create_app
from dla.extensions import db

app = create_app()
_state = threading.local()
_log = open(f"{os.environ['DLA_BENCH_REQUEST_LOG']}.{os.getpid()}", "a", buffering=1)  # noqa: SIM115 (open for the worker's life)


@app.after_request
def _remember_endpoint(response):
    from flask import request

    request.environ["dla.bench.endpoint"] = request.endpoint or "-"
    request.environ["dla.bench.status"] = response.status_code
    return response


with app.app_context():

    @event.listens_for(db.engine, "before_cursor_execute")
    def _count(*_args) -> None:
        _state.statements = getattr(_state, "statements", 0) + 1


class _Timed:
    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        _state.statements = 0
        started = time.thread_time()
        try:
            return self.wsgi_app(environ, start_response)
        finally:
            cpu = (time.thread_time() - started) * 1000
            _log.write(
                f"{environ.get('REQUEST_METHOD')} {environ.get('dla.bench.endpoint', '-')} "
                f"{environ.get('dla.bench.status', '-')} {cpu:.3f} {_state.statements}\n"
            )


app.wsgi_app = _Timed(app.wsgi_app)
