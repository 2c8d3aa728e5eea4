"""The citation check on the hand-labelled report excerpt (tests/data/citations/), as pasted
text and as a Word file: precision and recall of matches and of flagged tags reach the
target of issue 20 (≥ 0.95). benchmarks/citations.py prints the same figures."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "citations"
TARGET = 0.95


def _benchmark():
    spec = importlib.util.spec_from_file_location(
        "citations_bench", ROOT / "benchmarks" / "citations.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_labelled_set_is_big_and_varied_enough():
    labels = json.loads((DATA / "rapport-rijnmond.expected.json").read_text(encoding="utf-8"))
    kinds = Counter(label["kind"] for label in labels)
    assert all(kinds[kind] >= 12 for kind in ("exact", "near-exact", "rephrased", "none")), kinds
    why = " ".join(label["why"] for label in labels)
    for case in ("wrong appendix", "another agenda than the tag says", "edited", "no source"):
        assert case in why, case
    assert sum(label["citation_ok"] is False for label in labels) >= 8
    assert all(
        label.get("suggested_tag")
        for label in labels
        if label["citation_ok"] is False and label["thread"]
    )


@pytest.mark.parametrize("docx", [False, True], ids=["text", "docx"])
def test_the_check_reaches_the_target_on_the_labelled_report(docx):
    scores, _results, _seconds = _benchmark().evaluate(docx=docx)
    assert scores.quotes == scores.labelled, scores.mistakes
    for name in ("match_precision", "match_recall", "flag_precision", "flag_recall"):
        assert getattr(scores, name) >= TARGET, (name, scores.mistakes)
    assert scores.kind_accuracy >= 0.9, scores.mistakes
