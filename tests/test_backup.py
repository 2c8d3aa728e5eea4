"""The README's backup and restore procedure, run as written, on PostgreSQL.

A database gets its schema (``flask db upgrade``) and the demo workspace. ``pg_dump`` and
``pg_restore`` copy it into a second database with every row; the JSON export restored
(``flask db upgrade`` + ``flask dla restore``) into a third database exports again to the
same document.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from tests.conftest import needs_postgres

ROOT = Path(__file__).resolve().parents[1]
pytestmark = needs_postgres("pg_dump and pg_restore")


@pytest.fixture
def databases():
    """Three new, empty PostgreSQL databases (plain ``postgresql://`` URLs, as in the README)."""
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.fail("pg_dump and pg_restore must be installed next to PostgreSQL")
    base = make_url(os.environ["DATABASE_URL"]).set(drivername="postgresql+psycopg", query={})
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    names = [f"dla_backup_{uuid.uuid4().hex[:10]}_{i}" for i in range(3)]
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield [
        base.set(drivername="postgresql", database=name).render_as_string(hide_password=False)
        for name in names
    ]
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def flask(url: str, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DLA_")}
    env |= {"DATABASE_URL": url, "SECRET_KEY": "backup-test-secret"}
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def row_counts(url: str) -> dict[str, int]:
    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    try:
        with engine.connect() as conn:
            tables = inspect(conn).get_table_names()
            return {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in tables}
    finally:
        engine.dispose()


def test_pg_dump_and_json_export_restore_what_was_there(databases, tmp_path):
    source, from_dump, from_json = databases
    flask(source, "db", "upgrade")
    flask(source, "dla", "demo")
    counts = row_counts(source)
    assert counts["wordings"] > 0 and counts["users"] > 0 and counts["audit_entries"] > 0

    dump = tmp_path / "dla.dump"
    subprocess.run(["pg_dump", "--format=custom", "--file", str(dump), source], check=True)
    subprocess.run(["pg_restore", "--no-owner", "--dbname", from_dump, str(dump)], check=True)
    assert row_counts(from_dump) == counts  # everything, users and audit log included
    assert "Hoe kan" in flask(from_dump, "dla", "export", "--format", "csv")

    export = tmp_path / "dla.json"
    flask(source, "dla", "export", "--output", str(export))
    flask(from_json, "db", "upgrade")
    flask(from_json, "dla", "restore", str(export))
    again = tmp_path / "again.json"
    flask(from_json, "dla", "export", "--output", str(again))
    first, second = (json.loads(path.read_text()) for path in (export, again))
    assert first.pop("exported_at") <= second.pop("exported_at")
    assert second == first
    restored = row_counts(from_json)
    assert restored["wordings"] == counts["wordings"]
    assert restored["users"] == 0  # the JSON holds no accounts: pg_dump is the full backup
