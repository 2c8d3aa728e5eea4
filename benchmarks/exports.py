"""Time the exports of the large dataset and the restore of its JSON, with peak memory.

    .venv/bin/python benchmarks/exports.py
    .venv/bin/python benchmarks/exports.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

"cpu s" is the CPU time of the benchmark process itself (not the database server's): on a
busy machine it shows what the step costs when wall-clock time is inflated by other work.

Each step runs in a fresh Python process, so its peak memory (maximum resident set size,
which includes the interpreter and the app, about 80 MB) is its own:

- json:    export the whole workspace (10 regions, 43,200 wordings) to JSON bytes;
- csv:     the long-format CSV (one row per wording per version, with persistence figures);
- xlsx:    the workbook (fourteen sheets and the codebook; dates as date cells);
- qdpx:    the REFI-QDA project (one text source per version, every question coded);
- restore: read the JSON file, validate it (JSON Schema, references) and insert it into an
           empty database (SQLite file, or the PostgreSQL schema bench_restore).

Targets: JSON ≤ 3 s, restore ≤ 15 s, XLSX ≤ 15 s, qdpx ≤ 15 s, peak memory ≤ 300 MB per
step.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from generate import OUT, _reset_database, dataset_ready, dataset_url, generate

TARGETS = {"json": 3.0, "csv": 15.0, "xlsx": 15.0, "qdpx": 15.0, "restore": 15.0}
MEMORY_TARGET_MB = 300
JSON_FILE = OUT / "export-large.json"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_step(step: str, database_url: str | None) -> dict:
    """One step in this process; returns seconds, output size and peak memory."""
    from sqlalchemy import func, select

    from dla import create_app
    from dla.exports import restore, restore_input, services
    from dla.extensions import db
    from dla.regions.models import Region

    if step == "restore":
        url = dataset_url("restore", database_url)
        _reset_database("restore", url)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            db.create_all()
            started, cpu = time.perf_counter(), time.process_time()
            # As `flask dla restore` reads it: size-capped, then parsed.
            document = restore_input.read_export(JSON_FILE)
            restore.restore_document(document)
            db.session.commit()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            regions = db.session.scalar(select(func.count(Region.id)))
            db.session.remove()
            db.engine.dispose()
        return {
            "seconds": seconds,
            "cpu": cpu,
            "bytes": JSON_FILE.stat().st_size,
            "peak_mb": peak_mb(),
            "detail": f"{regions} regions restored",
        }

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": dataset_url("large", database_url), "SECRET_KEY": "bench"}
    )
    with app.app_context():
        regions = list(db.session.scalars(select(Region).order_by(Region.id)))
        started, cpu = time.perf_counter(), time.process_time()
        document = services.export_document(regions)
        data = services.build_file(document, step, name="bench")
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if step == "json":
        JSON_FILE.write_bytes(data)
    wordings = sum(
        len(g["wordings"])
        for r in document["regions"]
        for a in r["agendas"]
        for v in a["versions"]
        for g in v["groups"]
    )
    return {
        "seconds": seconds,
        "cpu": cpu,
        "bytes": len(data),
        "peak_mb": peak_mb(),
        "detail": f"{len(regions)} regions, {wordings} wordings",
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="default: the SQLite files")
    parser.add_argument("--step", choices=list(TARGETS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.step:  # child process
        print(json.dumps(run_step(args.step, args.database_url)))
        return

    if not dataset_ready("large", args.database_url):
        generate("large", args.database_url)
    ok = True
    print(
        f"{'step':<8} {'seconds':>8} {'cpu s':>6} {'target':>7} {'size MB':>8} {'peak MB':>8}"
        "  detail"
    )
    for step, target in TARGETS.items():
        command = [sys.executable, str(Path(__file__)), "--step", step]
        if args.database_url:
            command += ["--database-url", args.database_url]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        result = json.loads(output.strip().splitlines()[-1])
        within = result["seconds"] <= target and result["peak_mb"] <= MEMORY_TARGET_MB
        ok = ok and within
        print(
            f"{step:<8} {result['seconds']:>8.2f} {result['cpu']:>6.2f} {target:>7.0f} "
            f"{result['bytes'] / 1e6:>8.1f} "
            f"{result['peak_mb']:>8.0f}  {result['detail']}{'' if within else '  ABOVE TARGET'}"
        )
    print("OK" if ok else "ABOVE TARGET")


if __name__ == "__main__":
    main()
