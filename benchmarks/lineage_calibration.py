"""Calibrate the lineage threshold on the hand-labelled evaluation set, without the database.

    .venv/bin/python benchmarks/lineage_calibration.py

Replays every series of tests/data/lineage/ through ``dla.agendas.lineage.propose`` directly
(the candidates are the latest wording of every thread, built from the gold links, as the app's
``lineage_candidates`` builds them from saved versions) and prints:

- precision, recall and top-3 recall of ``proposed`` for a range of thresholds;
- leave-one-series-out: for each series the threshold is chosen on the other six (the
  highest-recall one whose precision is at least ``MIN_PRECISION``) and judged on the held-out
  series; the figures over all held-out judgements;
- the same at the default threshold for each stemmer ("snowball", "snowball_porter", "light").

``benchmarks/lineage_quality.py`` gives the figures through the app's own import path; both
agree at the default threshold.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dla.agendas.lineage import DEFAULT_THRESHOLD, Candidate, propose  # noqa: E402

DATA = ROOT / "tests" / "data" / "lineage"
THRESHOLDS = [round(0.10 + 0.02 * step, 2) for step in range(16)]
MIN_PRECISION = 0.97


def replay(series: dict, **options) -> list[tuple[list[str], str | None, list[str]]]:
    """(gold sources, proposed source, top-3 sources) for every labelled question."""
    steps = sorted(
        ((agenda, version) for agenda in series["agendas"] for version in agenda["versions"]),
        key=lambda step: step[1]["date"],
    )
    thread_of: dict[str, int] = {}
    latest: dict[int, tuple[dict, dict, dict]] = {}
    merged_away: set[int] = set()
    last_number: dict[str, int] = {}
    new_thread = itertools.count()
    judged = []
    for agenda, version in steps:
        questions = version["questions"]
        pool = [
            Candidate(
                key=q["id"],
                text=q["text"],
                agenda=a["name"],
                version=v["number"],
                label=q["label"],
                version_key=f"{a['key']}#{v['number']}",
                agenda_key=a["key"],
            )
            for thread, (q, a, v) in latest.items()
            if thread not in merged_away
        ]
        if pool:
            previous = last_number.get(agenda["key"])
            matches = propose(
                [q["text"] for q in questions],
                pool,
                agenda_key=agenda["key"],
                previous_version_key=f"{agenda['key']}#{previous}" if previous else None,
                **options,
            )
            for question, match in zip(questions, matches, strict=True):
                gold = question["gold"]["from"]
                sources = gold if isinstance(gold, list) else [gold] if gold else []
                proposed = match.proposed.suggestion.candidate.key if match.proposed else None
                top3 = [s.candidate.key for s in match.suggestions[:3]]
                judged.append((sources, proposed, top3))
        split_seen: set[str] = set()
        for question in questions:  # the threads as the gold links make them
            gold = question.get("gold") or {"kind": "new", "from": None}
            kind, source = gold["kind"], gold["from"]
            if kind == "merged":
                thread = thread_of[source[0]]
                merged_away.update(thread_of[other] for other in source[1:])
            elif kind == "split" and source in split_seen:
                thread = next(new_thread)
            elif source:
                split_seen.add(source)
                thread = thread_of[source]
            else:
                thread = next(new_thread)
            thread_of[question["id"]] = thread
            latest[thread] = (question, agenda, version)
        last_number[agenda["key"]] = version["number"]
    return judged


def figures(judged) -> tuple[float, float, float]:
    linked = [j for j in judged if j[0]]
    made = [j for j in judged if j[1] is not None]
    right = sum(1 for sources, proposed, _ in made if proposed in sources)
    top3 = sum(1 for sources, _, top in linked if set(sources) & set(top))
    return (
        right / len(made) if made else 1.0,
        right / len(linked),
        top3 / len(linked),
    )


def main() -> None:
    sets = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(DATA.glob("*.json"))]
    names = [series["series"] for series in sets]
    table = {
        (series["series"], threshold): replay(series, threshold=threshold)
        for series in sets
        for threshold in THRESHOLDS
    }
    print("threshold  precision  recall  top-3")
    for threshold in THRESHOLDS:
        p, r, t = figures([j for name in names for j in table[(name, threshold)]])
        mark = "  ← default" if threshold == DEFAULT_THRESHOLD else ""
        print(f"{threshold:9.2f}  {p:9.3f}  {r:6.3f}  {t:5.3f}{mark}")
    held_out, chosen = [], []
    for name in names:
        train = {
            threshold: figures(
                [j for other in names if other != name for j in table[(other, threshold)]]
            )
            for threshold in THRESHOLDS
        }
        good = [t for t, (p, _, _) in train.items() if p >= MIN_PRECISION] or [max(THRESHOLDS)]
        best = max(good, key=lambda t: (train[t][1], train[t][0]))
        chosen.append(best)
        held_out += table[(name, best)]
    p, r, t = figures(held_out)
    print(
        f"\nleave-one-series-out (threshold with precision ≥ {MIN_PRECISION} on the other six; "
        f"chosen {sorted(set(chosen))}): precision {p:.3f}, recall {r:.3f}, top-3 {t:.3f}"
    )
    print(f"\nstemmers at threshold {DEFAULT_THRESHOLD}:")
    for stemmer in ("snowball", "snowball_porter", "light"):
        judged = [j for series in sets for j in replay(series, stemmer_name=stemmer)]
        p, r, t = figures(judged)
        print(f"  {stemmer:16} precision {p:.3f}, recall {r:.3f}, top-3 {t:.3f}")


if __name__ == "__main__":
    main()
