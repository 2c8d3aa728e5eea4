"""The real app with a fault hook, served by gunicorn in tests/test_faults.py.

When the file named by ``DLA_FAULT_FILE`` exists, the first request whose path ends with the
text in it stops right before its database COMMIT, when every statement of the transaction
has been sent: it writes ``<pid> <write statements>`` to ``DLA_FAULT_FILE + ".paused"`` and
sleeps, so that the test can kill -9 this worker at the worst possible moment.

Every request also appends ``<path> <commits>`` to ``DLA_FAULT_FILE + ".commits"``: a write
that commits exactly once is all-or-nothing when its one COMMIT is cut off.
"""

import os
import time
from pathlib import Path

from flask import g, has_request_context, request
from sqlalchemy import event

from dla import create_app
from dla.extensions import db

app = create_app()
FAULT_FILE = Path(os.environ["DLA_FAULT_FILE"])
WRITES = ("INSERT", "UPDATE", "DELETE")

with app.app_context():
    engine = db.engine


@event.listens_for(engine, "begin")
def _begin(conn):
    conn.info["writes"] = 0


@event.listens_for(engine, "before_cursor_execute")
def _count(conn, cursor, statement, parameters, context, executemany):
    if statement.lstrip().upper().startswith(WRITES):
        conn.info["writes"] = conn.info.get("writes", 0) + 1


@app.teardown_request
def _record_commits(_error):
    with FAULT_FILE.with_name(FAULT_FILE.name + ".commits").open("a") as log:
        log.write(f"{request.path} {g.get('commits', 0)}\n")


@event.listens_for(engine, "commit")
def _pause_before_commit(conn):
    if not has_request_context():
        return
    g.commits = g.get("commits", 0) + 1
    if not FAULT_FILE.exists():
        return
    if not request.path.endswith(FAULT_FILE.read_text().strip()):
        return
    paused = FAULT_FILE.with_name(FAULT_FILE.name + ".paused")
    paused.write_text(f"{os.getpid()} {conn.info.get('writes', 0)}")
    time.sleep(300)
