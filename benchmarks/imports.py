"""Time the import of a 30-question version with proposed links against a large region.

    .venv/bin/python benchmarks/imports.py

Uses the large generated dataset (regions of 6 agendas × 24 versions × 30 questions);
generates it when missing. The imported text is a next version of the region's first agenda:
its latest questions, every other one reworded (words dropped and swapped), plus new ones,
so the matcher does real work. Timed: parsing the text plus ``suggest_links`` with the agenda
(one-to-one proposals, merges, splits, suggestions), as the import preview and ``flask dla
import`` call it. The first run is cold (no cached question profiles); the median is over the
runs after it, as a running server has the region's questions cached. Target: ≤ 300 ms.
"""

from __future__ import annotations

import statistics
import time

from generate import dataset_ready, dataset_url, generate
from sqlalchemy import select

from dla import create_app
from dla.agendas import importing, imports, services
from dla.agendas.models import Agenda
from dla.extensions import db
from dla.regions.models import Region

RUNS = 7


def document(previous: list[str], n: int = 30) -> str:
    lines = [
        "Versie: 25",
        "Datum: 24-02-2026",
        "Naar aanleiding van de werksessie op 20 februari 2026:",
    ]
    for i in range(n):
        if i < len(previous) and i % 3 != 2:
            text = previous[i]
            if i % 2:  # reworded: drop a word from the barrier, swap two words of the goal
                goal, _, barrier = text.partition(", terwijl ")
                words = goal.split()
                if len(words) > 5:
                    words[3], words[4] = words[4], words[3]
                kept = barrier.split()
                kept = kept[:-2] + kept[-1:]
                text = f"{' '.join(words)}, terwijl {' '.join(kept)}"
        else:
            text = (
                f"Hoe kunnen we de overdracht naar team {i} regelen, terwijl de wachtlijst in "
                f"wijk {i % 7} oploopt?"
            )
        lines.append(f"{i + 1}. {text}")
    return "\n".join(lines)


def main() -> None:
    url = dataset_url("large")
    if not dataset_ready("large"):
        generate("large", url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        region = db.session.scalar(select(Region).order_by(Region.id))
        agenda = db.session.scalar(
            select(Agenda).where(Agenda.region_id == region.id).order_by(Agenda.id)
        )
        latest = services.latest_published(agenda)
        text = document([w.full_text for w in services.ordered_wordings(latest)])
        candidates = len(imports.lineage_candidates(region, agenda))
        versions = len(agenda.versions)
        timings, proposed = [], 0
        for _ in range(RUNS):
            started = time.perf_counter()
            parsed = importing.parse_document(text)
            matches = imports.suggest_links(region, [q.full_text for q in parsed.questions], agenda)
            timings.append((time.perf_counter() - started) * 1000)
            proposed = sum(m.proposed is not None for m in matches)
    cold, warm = timings[0], statistics.median(timings[1:])
    print(
        f"import of {len(parsed.questions)} questions into an agenda with {versions} versions, "
        f"against {candidates} candidate questions of the region; {proposed} links proposed"
    )
    print(
        f"parse + proposals: first run {cold:.1f} ms, then median {warm:.1f} ms (target ≤ 300 ms)"
    )
    print("OK" if max(cold, warm) <= 300 else "ABOVE TARGET")


if __name__ == "__main__":
    main()
