"""`flask …` commands as a person runs them (real processes, real files): stdout holds the
command's output and nothing else, logs go to stderr (warnings and above unless
``DLA_LOG_LEVEL`` asks for more), and ``flask dla --help`` answers without building the app."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FLASK = str(Path(sys.executable).with_name("flask"))  # the venv's console script
COMMANDS = ("citations", "create-admin", "demo", "export", "import", "restore", "serve")


def flask(*args: str, env: dict, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run(
        [FLASK, "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory) -> dict:
    """A file database of its own with the demo workspace, upgraded through the CLI."""
    folder = tmp_path_factory.mktemp("cli")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'cli.sqlite3'}"}
    for name in ("DLA_ENV", "DLA_LOG_LEVEL", "DLA_LOG_FORMAT", "FLASK_APP"):
        env.pop(name, None)
    upgrade = flask("db", "upgrade", env=env)
    assert upgrade.returncode == 0, upgrade.stderr
    # Alembic's "Context impl SQLiteImpl." and "Running upgrade" lines are INFO: not shown.
    assert (upgrade.stdout, upgrade.stderr) == ("", "")
    demo = flask("dla", "demo", env=env)
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.startswith("Demo workspace loaded.")
    assert demo.stderr == ""
    return env


def test_help_prints_only_the_help_without_building_the_app():
    """The app is not built for the help: even a configuration it refuses (production without
    a secret) still gets the help, and nothing else, on stdout."""
    env = {**os.environ, "DLA_ENV": "production"}
    env.pop("SECRET_KEY", None)
    result = flask("dla", "--help", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("Usage: flask dla [OPTIONS] COMMAND [ARGS]...")
    listed = [
        line.split()[0] for line in result.stdout.split("Commands:\n")[1].splitlines() if line
    ]
    assert listed == list(COMMANDS)
    sub = flask("dla", "export", "--help", env=env)
    assert sub.returncode == 0 and sub.stderr == ""
    assert sub.stdout.startswith("Usage: flask dla export [OPTIONS]")
    assert "--format [json|csv|xlsx|zip|qdpx|qdc]" in sub.stdout


def test_the_command_group_imports_no_models_charts_or_documents():
    """What makes ``flask dla --help`` quick: the group's module (and every command registered
    on it at import) leaves the models, SQLAlchemy, plotly and python-docx for the commands."""
    probe = (
        "import sys, dla.cli; "
        "heavy = ('sqlalchemy', 'plotly', 'docx', 'openpyxl', 'dla.agendas.models'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_export_json_redirected_to_a_file_is_valid_json(cli_env, tmp_path):
    target = tmp_path / "f.json"
    with target.open("w", encoding="utf-8") as handle:
        result = flask("dla", "export", "--format", "json", env=cli_env, stdout=handle)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    document = json.loads(target.read_text(encoding="utf-8"))
    names = sorted(region["name"] for region in document["regions"])
    assert len(names) == 2 and all(name for name in names)


def test_export_csv_on_stdout_is_the_table_only(cli_env):
    result = flask("dla", "export", "--format", "csv", env=cli_env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows, "the demo has questions"
    assert list(rows[0])[:3] == ["regio", "agenda", "niveau"]
    assert all(row["regio"] and row["vraag"] for row in rows)
    assert {row["regio"] for row in rows} == {"Rijnmond (demo)", "Gooi en Vecht (demo)"}


def test_export_to_a_file_reports_on_stderr(cli_env, tmp_path):
    target = tmp_path / "bundle.xlsx"
    result = flask("dla", "export", "--format", "xlsx", "--output", str(target), env=cli_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert f"Written / geschreven: {target}" in result.stderr
    assert target.read_bytes()[:2] == b"PK"


def test_log_level_asks_for_more_and_it_goes_to_stderr(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'verbose.sqlite3'}",
        "DLA_LOG_LEVEL": "INFO",
    }
    env.pop("DLA_ENV", None)
    upgrade = flask("db", "upgrade", env=env)
    assert upgrade.returncode == 0, upgrade.stderr
    assert upgrade.stdout == ""
    assert "INFO alembic.runtime.migration Running upgrade" in upgrade.stderr
    export = flask("dla", "export", "--format", "json", env=env)
    assert export.returncode == 0, export.stderr
    assert json.loads(export.stdout)["regions"] == []
