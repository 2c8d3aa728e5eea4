"""Score the citation check against a hand-labelled report (benchmarks/citations.py and
tests/test_citations_evalset.py).

The labels (``tests/data/citations/*.expected.json``) give per quote, in order: its first
words (``start``), the question it quotes (``thread``: a fragment of one of its wordings, or
null), the ``kind`` and ``citation_ok``, and for a wrong tag the ``suggested_tag``.

* matches: a reported match (kind other than none) is right when it is a wording of the
  labelled question; precision over reported matches, recall over labelled ones;
* flagged tags: ``citation_ok`` False; precision over flagged quotes, recall over those
  labelled False;
* also the share of quotes with the right kind and of right suggestions for wrong tags.

Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dla.citations.matching import NONE, Result, Source


@dataclass(frozen=True)
class Scores:
    quotes: int
    labelled: int
    match_precision: float
    match_recall: float
    flag_precision: float
    flag_recall: float
    kind_accuracy: float
    suggestion_accuracy: float
    mistakes: tuple[str, ...]


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else 1.0


def _pairs(results: Sequence[Result], expected: Sequence[dict], mistakes: list[str]):
    """Each result with its label: the unused label whose ``start`` begins the quote (the
    longest such start; a Word file lists its text frames after the body, so the order
    may differ from the text's)."""
    unused = list(range(len(expected)))
    for result in results:
        fitting = [i for i in unused if result.quote.text.startswith(expected[i]["start"])]
        if not fitting:
            mistakes.append(f"quote {result.quote.text[:40]!r} has no label")
            continue
        best = max(fitting, key=lambda i: (len(expected[i]["start"]), -i))
        unused.remove(best)
        yield result, expected[best]


def score(results: Sequence[Result], expected: Sequence[dict], sources: Sequence[Source]):
    texts_by_thread: dict[int, list[str]] = {}
    for source in sources:
        texts_by_thread.setdefault(source.thread, []).append(source.text)
    mistakes: list[str] = []
    if len(results) != len(expected):
        found = [r.quote.text[:40] for r in results]
        mistakes.append(f"found {len(results)} quotes, labelled {len(expected)}: {found}")
    reported = right_reported = labelled = right_labelled = 0
    flagged = right_flagged = wrong_tags = caught = 0
    kinds = suggestions = right_suggestions = 0
    for result, label in _pairs(results, expected, mistakes):
        name = label["start"]
        thread = label.get("thread")
        right = (
            result.source is not None
            and thread is not None
            and any(thread in text for text in texts_by_thread.get(result.source.thread, []))
        )
        if result.kind != NONE:
            reported += 1
            right_reported += right
        if thread is not None:
            labelled += 1
            right_labelled += right
        if result.kind == label["kind"]:
            kinds += 1
        else:
            mistakes.append(f"{name}: kind {result.kind}, labelled {label['kind']}")
        if thread is not None and result.kind != NONE and not right:
            mistakes.append(f"{name}: matched {result.source.text[:50]!r}")
        if result.citation_ok is False:
            flagged += 1
            right_flagged += label["citation_ok"] is False
        if label["citation_ok"] is False:
            wrong_tags += 1
            caught += result.citation_ok is False
        if result.citation_ok != label["citation_ok"]:
            mistakes.append(
                f"{name}: citation_ok {result.citation_ok}, labelled {label['citation_ok']}"
            )
        if label.get("suggested_tag"):
            suggestions += 1
            if result.suggested_tag == label["suggested_tag"]:
                right_suggestions += 1
            else:
                mistakes.append(
                    f"{name}: suggested {result.suggested_tag}, labelled {label['suggested_tag']}"
                )
    return Scores(
        quotes=len(results),
        labelled=len(expected),
        match_precision=_ratio(right_reported, reported),
        match_recall=_ratio(right_labelled, labelled),
        flag_precision=_ratio(right_flagged, flagged),
        flag_recall=_ratio(caught, wrong_tags),
        kind_accuracy=_ratio(kinds, len(expected)),
        suggestion_accuracy=_ratio(right_suggestions, suggestions),
        mistakes=tuple(mistakes),
    )
