"""The hand-labelled lineage evaluation sets are complete and consistent: the calibration set
(tests/data/lineage/) and the held-out set (tests/data/lineage-holdout/), one format.

These checks read only the JSON files: every gold link points at an earlier question of the
right agenda and version, every version after the series' first is fully labelled, every
question of a version is accounted for in the next one, and the set is big and varied enough
(README.md there). No matcher runs here; benchmarks/lineage_quality.py measures it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "lineage"
FILES = sorted(DATA.glob("*.json"))
# Held out: never used to set a parameter of the matcher (README.md there).
HOLDOUT = Path(__file__).parent / "data" / "lineage-holdout"
HOLDOUT_FILES = sorted(HOLDOUT.glob("*.json"))

KINDS = {"continues", "merged", "split", "returns", "moved", "new"}
PATTERNS = {
    "unchanged",
    "reworded_light",
    "reworded_heavy",
    "shared_stem",
    "merge",
    "split",
    "move",
    "returns",
    "new_same_theme",
    "new",
    "distractor",
}
# The pattern that each kind of link must carry.
KIND_PATTERN = {"merged": "merge", "split": "split", "returns": "returns", "moved": "move"}
GONE_REASONS = {"answered", "dropped", "skipped", "moved"}


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def steps(series: dict) -> list[tuple[dict, dict]]:
    """(agenda, version) pairs in replay order: by date (dates are unique within a series)."""
    pairs = [(agenda, version) for agenda in series["agendas"] for version in agenda["versions"]]
    return sorted(pairs, key=lambda pair: pair[1]["date"])


def sources(gold: dict) -> list[str]:
    value = gold["from"]
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def test_there_are_at_least_six_series_with_120_questions():
    series = [load(path) for path in FILES]
    questions = [
        question
        for one in series
        for agenda in one["agendas"]
        for version in agenda["versions"]
        for question in version["questions"]
    ]
    assert len(series) >= 6
    assert len(questions) >= 120
    assert sum(1 for q in questions if "gold" in q) >= 100
    assert sum(1 for one in series if len(one["agendas"]) >= 2) >= 2


def test_the_held_out_set_has_at_least_four_series_with_90_questions():
    series = [load(path) for path in HOLDOUT_FILES]
    questions = [
        question
        for one in series
        for agenda in one["agendas"]
        for version in agenda["versions"]
        for question in version["questions"]
    ]
    assert len(series) >= 4
    assert len(questions) >= 90
    assert sum(1 for q in questions if "gold" in q) >= 75
    assert sum(1 for one in series if len(one["agendas"]) >= 2) >= 2
    # Held out means new series, not copies of the calibration set's.
    assert not {path.stem for path in HOLDOUT_FILES} & {path.stem for path in FILES}
    calibration_texts = {
        question["text"]
        for path in FILES
        for agenda in load(path)["agendas"]
        for version in agenda["versions"]
        for question in version["questions"]
    }
    assert not {q["text"] for q in questions} & calibration_texts


@pytest.mark.parametrize("files", [FILES, HOLDOUT_FILES], ids=["calibration", "holdout"])
def test_every_pattern_and_kind_occurs_several_times(files):
    patterns: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for path in files:
        for _, version in steps(load(path)):
            for question in version["questions"]:
                if "gold" in question:
                    patterns.update(question["gold"]["patterns"])
                    kinds[question["gold"]["kind"]] += 1
    assert set(patterns) == PATTERNS
    assert set(kinds) == KINDS
    assert min(patterns.values()) >= 3, patterns
    assert min(kinds.values()) >= 3, kinds


@pytest.mark.parametrize(
    "path",
    FILES + HOLDOUT_FILES,
    ids=[f"{path.parent.name}/{path.stem}" for path in FILES + HOLDOUT_FILES],
)
def test_series_is_well_formed_and_fully_labelled(path):
    series = load(path)
    assert series["series"] == path.stem
    assert series["title"] and series["region"]
    agenda_keys = [agenda["key"] for agenda in series["agendas"]]
    assert len(agenda_keys) == len(set(agenda_keys))

    dates = [version["date"] for _, version in steps(series)]
    assert len(dates) == len(set(dates)), "replay order needs unique dates"
    for agenda in series["agendas"]:
        numbers = [version["number"] for version in agenda["versions"]]
        assert numbers == list(range(1, len(numbers) + 1)), agenda["key"]
        assert 3 <= len(numbers) <= 6, agenda["key"]
        agenda_dates = [date.fromisoformat(version["date"]) for version in agenda["versions"]]
        assert agenda_dates == sorted(agenda_dates), agenda["key"]

    where: dict[str, tuple[str, int]] = {}  # id -> (agenda key, version number)
    linked_from: Counter[str] = Counter()  # source id -> number of non-split links to it
    split_from: Counter[str] = Counter()
    returns_from: set[str] = set()
    moved_from: set[str] = set()
    for index, (agenda, version) in enumerate(steps(series)):
        key, number = agenda["key"], version["number"]
        labels = [(q.get("group", ""), q["label"]) for q in version["questions"]]
        assert len(labels) == len(set(labels)), f"{key} {number}: duplicate labels"
        for question in version["questions"]:
            qid = question["id"]
            assert qid not in where, f"duplicate id {qid}"
            assert re.fullmatch(r"[a-z]+\d+-[A-Za-z0-9]+", qid), qid
            text = question["text"]
            assert text.startswith(("Hoe", "Wanneer")) and "?" in text, qid
            assert text == " ".join(text.split()), f"{qid}: stray whitespace"
            if index == 0:
                assert "gold" not in question, f"{qid}: nothing earlier to link to"
                continue
            gold = question.get("gold")
            assert gold, f"{qid} has no gold label"
            kind = gold["kind"]
            assert kind in KINDS, qid
            assert gold["note"].strip(), f"{qid}: a judgement needs a note"
            assert gold["patterns"] and set(gold["patterns"]) <= PATTERNS, qid
            froms = sources(gold)
            for source in froms:
                assert source in where, f"{qid}: {source} is not an earlier question"
            if kind == "new":
                assert not froms, qid
                assert {"new", "new_same_theme"} & set(gold["patterns"]), qid
                continue
            assert KIND_PATTERN.get(kind, kind) in gold["patterns"] or kind == "continues", qid
            if kind == "merged":
                assert isinstance(gold["from"], list) and len(set(froms)) >= 2, qid
            else:
                assert isinstance(gold["from"], str), qid
            for source in froms:
                source_agenda, source_number = where[source]
                if kind == "moved":
                    assert source_agenda != key, f"{qid}: a move comes from another agenda"
                    moved_from.add(source)
                elif kind == "returns":
                    assert source_agenda == key, qid
                    assert gold["skipped"] >= 1, qid
                    assert source_number == number - 1 - gold["skipped"], qid
                    returns_from.add(source)
                else:
                    assert (source_agenda, source_number) == (key, number - 1), (
                        f"{qid}: {kind} links to the previous version of the same agenda"
                    )
                if kind == "split":
                    split_from[source] += 1
                else:
                    linked_from[source] += 1
        for question in version["questions"]:
            where[question["id"]] = (key, number)

        # Every question of this agenda's previous version continues here or is listed as gone.
        if number > 1:
            previous = agenda["versions"][number - 2]
            gone = {item["id"]: item for item in version.get("gone", [])}
            for item in gone.values():
                assert item["reason"] in GONE_REASONS and item["note"].strip(), item
            taken = {
                source for question in version["questions"] for source in sources(question["gold"])
            }
            for question in previous["questions"]:
                assert (question["id"] in taken) != (question["id"] in gone), (
                    f"{key} {number}: {question['id']} must be continued or listed as gone, "
                    "not both"
                )
            assert set(gone) <= {question["id"] for question in previous["questions"]}

    assert all(count == 1 for count in linked_from.values()), linked_from
    assert all(count >= 2 for count in split_from.values()), split_from
    assert not set(split_from) & set(linked_from), "a split source is not also continued"
    for agenda in series["agendas"]:
        for version in agenda["versions"]:
            for item in version.get("gone", []):
                if item["reason"] == "skipped":
                    assert item["id"] in returns_from, f"{item['id']} is skipped but never returns"
                if item["reason"] == "moved":
                    assert item["id"] in moved_from, f"{item['id']} is moved but never arrives"


def _benchmark():
    """benchmarks/lineage_quality.py as a module (the benchmarks folder is not a package)."""
    import importlib.util
    import sys

    path = Path(__file__).parents[1] / "benchmarks" / "lineage_quality.py"
    spec = importlib.util.spec_from_file_location("lineage_quality", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_replays_a_series_through_the_app_with_its_gold_links():
    """The app accepts the gold history (groups, a merge, a split, moves both ways, a return)
    and the benchmark judges every labelled question once. No matcher figure is asserted."""
    benchmark = _benchmark()
    series = load(DATA / "vechtland-taskforce.json")
    labelled = [
        question["id"]
        for _, version in steps(series)
        for question in version["questions"]
        if "gold" in question
    ]
    judgements = benchmark.replay_series(series)
    assert [judgement.question for judgement in judgements] == labelled
    known = {
        question_id
        for _, version in steps(series)
        for question_id in (question["id"] for question in version["questions"])
    }
    for judgement in judgements:
        assert set(judgement.proposed) <= known and set(judgement.ranked) <= known


def test_the_benchmark_measures_the_folder_it_is_given(tmp_path, capsys):
    """``--data`` points the benchmark at another folder (the held-out set); no figure is
    asserted, only that it judged exactly that folder's labelled questions."""
    import logging
    import shutil

    benchmark = _benchmark()
    source = HOLDOUT / "scheldeveld-reconstructie.json"
    shutil.copy(source, tmp_path / source.name)
    try:
        benchmark.main(["--data", str(tmp_path), "--json"])
        assert benchmark.main(["--data", str(tmp_path / "absent")]) == 2
    finally:
        logging.disable(logging.NOTSET)  # main() silences the services' logging
    out, err = capsys.readouterr()
    result = json.loads(out)
    labelled = [
        question["id"]
        for _, version in steps(load(source))
        for question in version["questions"]
        if "gold" in question
    ]
    assert [judgement["question"] for judgement in result["judgements"]] == labelled
    assert set(result["series"]) == {"scheldeveld-reconstructie"}
    assert "No series found in" in err and "absent" in err
