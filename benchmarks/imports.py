"""Time the import of a 30-question version with suggestions against a large region.

    .venv/bin/python benchmarks/imports.py

Uses the large generated dataset (24 versions per agenda); generates it when missing.
Target: parsing plus suggestions for 30 questions ≤ 300 ms (median).
"""

from __future__ import annotations

import statistics
import time

from generate import dataset_ready, dataset_url, generate
from sqlalchemy import select

from dla import create_app
from dla.agendas import importing, services
from dla.extensions import db
from dla.regions.models import Region


def document(n: int = 30) -> str:
    lines = [
        "Versie: 25",
        "Datum: 24-02-2026",
        "Naar aanleiding van de werksessie op 20 februari 2026:",
    ]
    for i in range(n):
        lines.append(
            f"{i + 1}. Hoe kan ik als ICR het plan van aanpak {i} uitvoeren, terwijl de partners "
            f"in gemeente {i % 7} een andere werkwijze {i % 5} hebben?"
        )
    return "\n".join(lines)


def main() -> None:
    url = dataset_url("large")
    if not dataset_ready("large"):
        generate("large", url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    text = document()
    with app.app_context():
        region = db.session.scalar(select(Region).order_by(Region.id))
        candidates = len(services.lineage_candidates(region))
        timings = []
        for _ in range(7):
            started = time.perf_counter()
            parsed = importing.parse_document(text)
            services.suggest_links(region, [q.full_text for q in parsed.questions])
            timings.append((time.perf_counter() - started) * 1000)
    median = statistics.median(timings)
    print(f"import of {len(parsed.questions)} questions against {candidates} candidate questions")
    worst = max(timings)
    print(f"parse + suggestions: median {median:.1f} ms, worst {worst:.1f} ms (target ≤ 300 ms)")
    print("OK" if median <= 300 else "ABOVE TARGET")


if __name__ == "__main__":
    main()
