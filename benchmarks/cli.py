"""Time the CLI as a person runs it: `flask dla --help`, `flask dla export --format json` on an
empty database, and `import wsgi` (building the app), each in a new process.

    .venv/bin/python benchmarks/cli.py --runs 10

Prints the median and the fastest run of each (wall time, seconds). On a busy machine the
fastest run is the better estimate of the cost itself.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLASK = str(Path(sys.executable).with_name("flask"))


def timed(command: list[str], env: dict, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/cli.sqlite3"}
        env.pop("DLA_ENV", None)
        subprocess.run([FLASK, "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True)
        cases = {
            "flask dla --help": [FLASK, "--app", "wsgi", "dla", "--help"],
            "flask dla export --format json (empty)": [
                FLASK,
                "--app",
                "wsgi",
                "dla",
                "export",
                "--format",
                "json",
            ],
            "python -c 'import wsgi' (create_app)": [sys.executable, "-c", "import wsgi"],
        }
        print(f"{'command':44} {'median':>8} {'fastest':>8}  ({args.runs} runs)")
        for name, command in cases.items():
            times = timed(command, env, args.runs)
            print(f"{name:44} {statistics.median(times):8.2f} {min(times):8.2f}")


if __name__ == "__main__":
    main()
