"""Measure the citation check on the hand-labelled report excerpt (tests/data/citations/).

    python benchmarks/citations.py             # figures on stdout
    python benchmarks/citations.py --json      # the same as JSON
    python benchmarks/citations.py --verbose   # also every quote and every mistake

The demo workspace is built in a fresh in-memory SQLite app (``create_app`` with
``TESTING``), the report is read as the demo onderzoeker may read Rijnmond (restricted
versions she is no member of stay out), and checked through the service the web page and
``flask dla citations`` use (:func:`dla.citations.services.check_report`). The report also
exists as a Word file (``rapport-rijnmond.docx``: boxes as tables, a text frame and shaded
paragraphs); ``--docx`` reads that one instead.

Figures (see dla/citations/evaluation.py): precision and recall of matches (a match is right
when it is a wording of the labelled question) and of flagged tags (citation_ok False), the
share of right kinds and of right suggested tags. Target: each ≥ 0.95 (exit code 1 when
missed).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = ROOT / "tests" / "data" / "citations"
REPORT = DATA / "rapport-rijnmond.txt"
EXPECTED = DATA / "rapport-rijnmond.expected.json"
TARGET = 0.95


def evaluate(docx: bool = False):
    """(scores, results, seconds the check took) for the labelled report, in a fresh demo
    workspace."""
    from sqlalchemy import select

    from dla import create_app
    from dla.auth.models import User
    from dla.auth.permissions import Access
    from dla.citations import queries, services
    from dla.citations.evaluation import score
    from dla.demo import RIJNMOND, load_demo
    from dla.extensions import db
    from dla.regions.models import Region

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    with app.app_context():
        db.create_all()
        load_demo()
        db.session.commit()
        region = db.session.scalar(select(Region).where(Region.name == RIJNMOND))
        user = db.session.scalar(select(User).where(User.email == "onderzoeker@demo.dla"))
        readable = Access(user).readable_versions(region.id)
        if docx:
            data = REPORT.with_suffix(".docx").read_bytes()
            text = services.report_text(filename="rapport.docx", data=data)
        else:
            text = REPORT.read_text(encoding="utf-8")
        started = time.perf_counter()
        results = services.check_report(region, text, readable)
        elapsed = time.perf_counter() - started
        sources = queries.sources(region.id, readable)
        expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
        return score(results, expected, sources), results, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--docx", action="store_true")
    args = parser.parse_args()
    logging.disable(logging.INFO)
    scores, results, elapsed = evaluate(docx=args.docx)
    figures = {
        "quotes found": scores.quotes,
        "quotes labelled": scores.labelled,
        "match precision": round(scores.match_precision, 3),
        "match recall": round(scores.match_recall, 3),
        "flagged tag precision": round(scores.flag_precision, 3),
        "flagged tag recall": round(scores.flag_recall, 3),
        "kind accuracy": round(scores.kind_accuracy, 3),
        "suggested tag accuracy": round(scores.suggestion_accuracy, 3),
        "check seconds": round(elapsed, 3),
    }
    if args.json:
        print(json.dumps(figures | {"mistakes": list(scores.mistakes)}, indent=2))
    else:
        for name, value in figures.items():
            print(f"{name:24} {value}")
    if args.verbose:
        for result in results:
            where = (
                f"{result.source.agenda[:30]} v{result.source.version} {result.source.label}"
                if result.source
                else "-"
            )
            print(
                f"{result.kind:10} {result.score:5.2f} {str(result.citation_ok):5} "
                f"{result.quote.text[:50]!r} -> {where}",
                file=sys.stderr,
            )
        for mistake in scores.mistakes:
            print("MISTAKE", mistake, file=sys.stderr)
    passed = scores.quotes == scores.labelled and all(
        value >= TARGET
        for value in (
            scores.match_precision,
            scores.match_recall,
            scores.flag_precision,
            scores.flag_recall,
        )
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
