"""Measure the lineage matcher on the hand-labelled evaluation set (tests/data/lineage/).

    python benchmarks/lineage_quality.py              # table on stdout
    python benchmarks/lineage_quality.py --json       # the same figures as JSON
    python benchmarks/lineage_quality.py --verbose    # also every judgement
    python benchmarks/lineage_quality.py --data tests/data/lineage-holdout   # the held-out set
    python benchmarks/lineage_quality.py --examples   # the older GVS examples mode (below)

Every series is replayed through the app's own path, in a fresh in-memory SQLite app
(``create_app`` with ``TESTING``): a region and its agendas are created; each version, in
date order, is written out as a DLA text and read by the importer
(``importing.parse_document``); for each version after the series' first, the links are
asked from the service the import preview uses (:func:`propose`); then the version is saved
with the GOLD links
(``import_version``; splits with ``set_transition``, questions that left with answered /
dropped) and published, so that the next version is matched against the right history.

Figures, over every labelled question:

- **precision** = correct proposals / questions with a proposal; a proposal is correct when
  every source it proposes is a gold source (any source of a merge, the source of a split);
  a proposal for a ``new`` question is wrong;
- **recall** = correct proposals / questions that have a gold source;
- **top-3 recall** = questions whose gold source is among the first three suggestions /
  questions that have a gold source;
- **new kept new** = ``new`` questions without a proposal / ``new`` questions.

Per pattern (unchanged, reworded_light, …; see tests/data/lineage/README.md) and per series.
Targets of issue 15: precision ≥ 0.95 and recall ≥ 0.90 (exit code 1 when missed).

The ``--examples`` mode compares the top suggestion with the known relations of the GVS
example agendas in ../shared/examples (skipped when that folder is absent), and times
``suggest`` on a synthetic case of 30 imported questions × 24 versions × 30 candidates:

- Versie 1 → memo: ambitie-1 ← B, ambitie-2 ← A, ambitie-3 ← D, ambitie-4 ← E,
  vervolgstappen-1/2 ← none;
- memo → project leader: F ← vervolgstappen-2 (a move to another agenda), the others none;
- Versie 1 as copied from the PDF (hyphenated line breaks joined) → memo: as the first.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dla.agendas.lineage import (  # noqa: E402
    DEFAULT_THRESHOLD,
    WORD_WEIGHT,
    Candidate,
    suggest,
)

# The real example texts live next to the repository, never in it (DLA_EXAMPLES_DIR: elsewhere).
EXAMPLES = Path(os.environ.get("DLA_EXAMPLES_DIR") or ROOT.parent / "shared" / "examples")
RUNS = 5
TARGET_QUALITY = 0.9
TARGET_MS = 300.0

_LABEL_RE = re.compile(r"^\s*([A-Z]|\d+)\.\s+(.*)$")
_GROUP_RE = re.compile(r"^\s*Leervragen ten aanzien van (\w+)\s*:")
# A hyphen at the end of a line, followed (maybe after blank lines) by a lower-case word.
_LINE_HYPHEN_RE = re.compile(r"-[ \t]*\n(?:[ \t]*\n)*[ \t]*(?=[a-zà-ÿ])")
_QUESTION_END_RE = re.compile(r"\?\s*(?:\([^()]*\)|\[[^\[\]]*\])*\s*$")


def read_questions(text: str) -> dict[str, str]:
    """Questions by key ("A", or "ambitie-1" under a memo group heading), in order.

    A question may run over several lines: later non-blank lines are appended until it ends
    with "?".
    """
    questions: dict[str, str] = {}
    group = ""
    current: str | None = None
    for line in text.splitlines():
        heading = _GROUP_RE.match(line)
        if heading:
            group, current = heading.group(1), None
            continue
        match = _LABEL_RE.match(line)
        if match:
            label = match.group(1)
            current = f"{group}-{label}" if group else label
            questions[current] = match.group(2).strip()
        elif current and line.strip() and not _QUESTION_END_RE.search(questions[current]):
            questions[current] = f"{questions[current]} {line.strip()}"
    return {key: " ".join(value.split()) for key, value in questions.items()}


def read_example(name: str, *, from_pdf: bool = False) -> dict[str, str]:
    """Read an example file; for a PDF copy, first join the hyphenated line breaks."""
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    if from_pdf:
        text = _LINE_HYPHEN_RE.sub("", text)
    return read_questions(text)


def candidates(questions: dict[str, str], agenda: str, version: int) -> list[Candidate]:
    """Candidates for one version of one agenda."""
    version_key = f"{agenda}#{version}"
    return [
        Candidate(
            key=f"{version_key}:{label}",
            text=text,
            agenda=agenda,
            version=version,
            label=label,
            version_key=version_key,
        )
        for label, text in questions.items()
    ]


def evaluate(
    name: str, imported: dict[str, str], pool: list[Candidate], truth: dict[str, str | None]
) -> tuple[int, int, int, list[str]]:
    """(correct, suggested, expected, detail lines) for the top suggestions of one series."""
    results = suggest(list(imported.values()), pool, same_version_key="imported")
    correct = suggested = expected = 0
    lines = []
    for key, suggestions in zip(imported, results, strict=True):
        want = truth.get(key)
        top = suggestions[0] if suggestions else None
        got = top.candidate.label if top else None
        suggested += top is not None
        expected += want is not None
        correct += want is not None and got == want
        others = ", ".join(
            f"{s.candidate.label} {s.score:.3f}{' (merge?)' if s.possible_merge else ''}"
            for s in suggestions[1:]
        )
        lines.append(
            f"  {name:<26} {key:<18} {want or '—':<8} {got or '—':<6} "
            f"{f'{top.score:.3f}' if top else '':<7} {'ok' if got == want else 'WRONG':<6} {others}"
        )
    return correct, suggested, expected, lines


def ratio(numerator: int, denominator: int) -> float:
    """numerator / denominator, 1.0 for 0 / 0."""
    return numerator / denominator if denominator else 1.0


# --- Synthetic timing case ---------------------------------------------------------------------

_STEMS = ("Hoe kunnen we", "Hoe kan ik", "Hoe komen we tot", "Hoe zorgen we voor", "Hoe krijg ik")
_WORDS = (
    "gedeeld beeld regie procesregie veiligheid veiligheidsplan overlegstructuur gezin "
    "huishouden gemeenten gemeente domeinen regisseurs aanspreekpunt overzicht plan aanpak "
    "informatie privacyregels wijkteam Veiligheidshuis opschaling criteria partners taak "
    "doorzettingsmacht interventies wachttijd begeleid wonen netwerk casus escalatie "
    "verantwoordelijkheid samenwerking mandaat ambitie structuur leren kansen barrières "
    "organisaties professionals definitie situatie werkwijzen verwachtingen middelen "
    "financiering zorgaanbieders jeugdhulp schotten wetgeving"
).split()
_FILLERS = ("de", "het", "een", "van", "voor", "met", "in", "op", "en", "hun", "alle", "niet")


def _phrase(rng: random.Random, words: int) -> str:
    parts = []
    for _ in range(words):
        parts.append(rng.choice(_WORDS))
        if rng.random() < 0.5:
            parts.append(rng.choice(_FILLERS))
    return " ".join(parts)


def _question(rng: random.Random) -> str:
    return (
        f"{rng.choice(_STEMS)} {_phrase(rng, rng.randint(4, 9))}, "
        f"terwijl {_phrase(rng, rng.randint(4, 9))}?"
    )


def _edit(rng: random.Random, text: str) -> str:
    """Replace one to three plain words (never "terwijl" or a word with a comma)."""
    words = text.rstrip("?").split()
    plain = [i for i, word in enumerate(words) if word.isalpha() and word != "terwijl"]
    for _ in range(rng.randint(1, 3)):
        words[rng.choice(plain)] = rng.choice(_WORDS)
    return " ".join(words) + "?"


def synthetic_case(
    questions: int = 30, versions: int = 24, per_version: int = 30, seed: int = 7
) -> tuple[list[str], list[Candidate]]:
    """Imported questions (half edits of candidates) and versions × per_version candidates."""
    rng = random.Random(seed)
    pool = []
    for version in range(versions):
        agenda = f"Agenda {version % 6 + 1}"
        key = f"{agenda}#{version}"
        for number in range(per_version):
            pool.append(
                Candidate(
                    key=f"{key}:{number}",
                    text=_question(rng),
                    agenda=agenda,
                    version=version // 6 + 1,
                    label=str(number + 1),
                    version_key=key,
                )
            )
    imported = [
        _edit(rng, rng.choice(pool).text) if number % 2 == 0 else _question(rng)
        for number in range(questions)
    ]
    return imported, pool


def time_synthetic() -> tuple[float, float, int, int]:
    """(median ms over RUNS, first run ms, imported count, candidate count), synthetic case.

    The first run starts with cold stemming/trigram caches (nothing else ran in the process).
    """
    imported, pool = synthetic_case()
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        suggest(imported, pool)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), timings[0], len(imported), len(pool)


# --- Main --------------------------------------------------------------------------------------


def examples_main() -> int:
    """The GVS examples mode: print its quality table and the timing; exit 1 on a miss."""
    if not EXAMPLES.is_dir() or not any(EXAMPLES.glob("*.txt")):
        print(
            f"Skipped: the examples mode needs the real example texts in {EXAMPLES}, and that "
            "folder is absent or empty (the texts are not in the repository; set "
            "DLA_EXAMPLES_DIR to their folder). The default mode runs on tests/data/lineage.",
            file=sys.stderr,
        )
        return 0
    versie_1 = read_example("gvs-dla-versie-1.txt")
    versie_1_pdf = read_example("gvs-dla-versie-1-uit-pdf.txt", from_pdf=True)
    memo = read_example("gvs-dla-memo-2020-01-31.txt")
    leader = read_example("gvs-dla-projectleider-2020-07-10.txt")

    v1_truth: dict[str, str | None] = {
        "ambitie-1": "B",
        "ambitie-2": "A",
        "ambitie-3": "D",
        "ambitie-4": "E",
        "vervolgstappen-1": None,
        "vervolgstappen-2": None,
    }
    # A move to another audience's agenda (README: medium confidence); the others are new.
    leader_truth: dict[str, str | None] = {key: None for key in memo} | {"vervolgstappen-2": "F"}
    series = (
        ("Versie 1 → memo", memo, candidates(versie_1, "GVS uitvoerders", 1), v1_truth),
        ("memo → projectleider", memo, candidates(leader, "GVS projectleider", 1), leader_truth),
        ("Versie 1 (PDF) → memo", memo, candidates(versie_1_pdf, "GVS uitvoerders", 1), v1_truth),
    )

    print(
        f"Threshold {DEFAULT_THRESHOLD}; TF-IDF cosine: stems {WORD_WEIGHT:.2f} / "
        f"trigrams {1 - WORD_WEIGHT:.2f}"
    )
    print(f"PDF copy of Versie 1 reads the same as Versie 1: {versie_1_pdf == versie_1}")
    print()
    print(
        f"  {'series':<26} {'imported':<18} {'expected':<8} {'top':<6} {'score':<7} "
        f"{'result':<6} other suggestions"
    )
    table = []
    totals = [0, 0, 0]
    for name, imported, pool, truth in series:
        correct, suggested, expected, lines = evaluate(name, imported, pool, truth)
        print("\n".join(lines))
        table.append((name, correct, suggested, expected))
        totals = [totals[0] + correct, totals[1] + suggested, totals[2] + expected]
    table.append(("all series", *totals))

    print()
    print(
        f"  {'series':<26} {'correct':>7} {'suggested':>9} {'expected':>8} "
        f"{'precision':>9} {'recall':>6}"
    )
    quality_ok = True
    for name, correct, suggested, expected in table:
        precision, recall = ratio(correct, suggested), ratio(correct, expected)
        quality_ok &= precision >= TARGET_QUALITY and recall >= TARGET_QUALITY
        print(
            f"  {name:<26} {correct:>7} {suggested:>9} {expected:>8} "
            f"{precision:>9.2f} {recall:>6.2f}"
        )

    median_ms, first_ms, n_imported, n_candidates = time_synthetic()
    time_ok = median_ms < TARGET_MS
    print()
    print(
        f"Synthetic: {n_imported} imported × {n_candidates} candidates "
        f"({n_imported * n_candidates:,} pairs): median {median_ms:.1f} ms over {RUNS} runs, "
        f"first run {first_ms:.1f} ms (target < {TARGET_MS:.0f} ms)"
    )
    print(
        f"Targets (precision and recall ≥ {TARGET_QUALITY}, time): "
        f"{'met' if quality_ok and time_ok else 'NOT met'}"
    )
    return 0 if quality_ok and time_ok else 1


# --- The evaluation set (default mode) ---------------------------------------------------------

DATA = ROOT / "tests" / "data" / "lineage"
TARGET_PRECISION = 0.95
TARGET_RECALL = 0.90
TOP_K = 3

_MONTHS = (
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()


@dataclass
class Proposal:
    """What the matcher says about one imported question.

    ``sources``: keys (wording ids, as strings) of the earlier questions that saving would
    link, empty when it would save the question as new. ``ranked``: all suggested keys, best
    first.
    """

    sources: list[str]
    kind: str | None
    ranked: list[str]


def _keys(value) -> list[str]:
    """Candidate keys from a proposal field: a Suggestion, a Candidate, a key, or a list."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [key for item in value for key in _keys(item)]
    if isinstance(value, dict):
        for name in ("sources", "candidates", "candidate", "key", "wording_id", "id"):
            if name in value:
                return _keys(value[name])
        return []
    for name in ("sources", "candidates", "candidate", "key"):
        if hasattr(value, name):
            return _keys(getattr(value, name))
    return [str(value)]


def _field(item, name: str):
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def propose(region, texts: list[str], agenda=None) -> list[Proposal]:
    """The matcher's answer for ``texts`` imported into ``agenda`` of ``region``: the one
    adapter. ``imports.suggest_links`` gives per text the ``proposed`` link (or None) and the
    ranked ``suggestions``, as the import preview and ``flask dla import`` use them.
    """
    from dla.agendas import imports

    results = []
    for item in imports.suggest_links(region, texts, agenda):
        proposed = _field(item, "proposed")
        kind = _field(proposed, "kind") if proposed is not None else None
        results.append(
            Proposal(
                sources=_keys(proposed),
                kind=kind,
                ranked=_keys(_field(item, "suggestions")),
            )
        )
    return results


def load_series(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def replay_steps(series: dict) -> list[tuple[dict, dict]]:
    """(agenda, version) pairs in replay order: by date, unique within a series."""
    pairs = [(agenda, version) for agenda in series["agendas"] for version in agenda["versions"]]
    return sorted(pairs, key=lambda pair: pair[1]["date"])


def gold_sources(gold: dict) -> list[str]:
    value = gold["from"]
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def render(agenda: dict, version: dict) -> str:
    """The version as a DLA text, the way people paste one into the importer."""
    day = date.fromisoformat(version["date"])
    lines = [f"Dynamische Leeragenda {agenda['name']}"]
    if version["number"] == 1:
        lines.append("Versie: 1")
    lines.append(f"Datum: {day.day} {_MONTHS[day.month - 1]} {day.year}")
    lines.append("")
    if version.get("context"):
        lines.append(version["context"])
    group = None
    for question in version["questions"]:
        if question.get("group", "") != group:
            group = question.get("group", "")
            if group:
                lines += ["", f"Leervragen ten aanzien van {group}:"]
        lines.append(f"{question['label']}. {question['text']}")
        for number, sub in enumerate(question.get("subquestions", []), start=1):
            lines.append(f"{_roman(number)}. {sub}")
    return "\n".join(lines) + "\n"


def _roman(number: int) -> str:
    return ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"][number - 1]


@dataclass
class Judgement:
    """One labelled question: the gold link and what the matcher proposed."""

    series: str
    question: str
    kind: str
    patterns: list[str]
    gold: list[str]  # gold source question ids
    proposed: list[str]  # proposed source question ids ("?" for an unknown key)
    ranked: list[str]  # suggested question ids, best first
    note: str

    @property
    def has_gold(self) -> bool:
        return bool(self.gold)

    @property
    def has_proposal(self) -> bool:
        return bool(self.proposed)

    @property
    def correct(self) -> bool:
        return self.has_proposal and set(self.proposed) <= set(self.gold)

    @property
    def in_top(self) -> bool:
        return bool(set(self.ranked[:TOP_K]) & set(self.gold))


@dataclass
class Tally:
    questions: int = 0
    with_gold: int = 0
    proposals: int = 0
    correct: int = 0
    top: int = 0
    new: int = 0
    new_kept: int = 0

    def add(self, judgement: Judgement) -> None:
        self.questions += 1
        self.with_gold += judgement.has_gold
        self.proposals += judgement.has_proposal
        self.correct += judgement.correct
        self.top += judgement.has_gold and judgement.in_top
        self.new += not judgement.has_gold
        self.new_kept += not judgement.has_gold and not judgement.has_proposal

    def figures(self) -> dict:
        return {
            "questions": self.questions,
            "with_gold": self.with_gold,
            "proposals": self.proposals,
            "correct": self.correct,
            "precision": _ratio(self.correct, self.proposals),
            "recall": _ratio(self.correct, self.with_gold),
            "top3_recall": _ratio(self.top, self.with_gold),
            "new": self.new,
            "new_kept_new": _ratio(self.new_kept, self.new),
        }


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 3) if denominator else None


class ReplayError(RuntimeError):
    """The app could not replay a series as labelled (a data or importer problem)."""


@dataclass
class _Replay:
    """State of one series' replay: which app wording holds which labelled question."""

    wording_of: dict[str, int] = field(default_factory=dict)  # question id -> wording id
    question_of: dict[str, str] = field(default_factory=dict)  # wording key -> question id


def replay_series(series: dict) -> list[Judgement]:
    """Replay one series in a fresh app; the judgements of its labelled questions."""
    from dla import create_app
    from dla.agendas import importing, imports, transitions
    from dla.agendas import services as agendas
    from dla.agendas.models import ANSWER, DROP, SPLIT, Wording
    from dla.extensions import db
    from dla.regions import services as regions

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "lineage-benchmark",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "WTF_CSRF_ENABLED": False,
        }
    )
    judgements: list[Judgement] = []
    state = _Replay()
    with app.app_context():
        db.create_all()
        region = regions.create_region(series["region"])
        agenda_rows = {
            agenda["key"]: agendas.create_agenda(
                region, level="operationeel", audience=agenda["name"][:120], title=agenda["name"]
            )
            for agenda in series["agendas"]
        }
        db.session.commit()
        for index, (agenda, version) in enumerate(replay_steps(series)):
            where = f"{series['series']} {agenda['key']} {version['number']}"
            document = importing.parse_document(render(agenda, version))
            questions = version["questions"]
            if len(document.questions) != len(questions):
                raise ReplayError(
                    f"{where}: the importer read {len(document.questions)} questions, "
                    f"the file has {len(questions)}"
                )
            texts = [found.full_text for found in document.questions]
            if index > 0:
                answers = propose(region, texts, agenda_rows[agenda["key"]])
                for question, proposal in zip(questions, answers, strict=True):
                    gold = question["gold"]
                    judgements.append(
                        Judgement(
                            series=series["series"],
                            question=question["id"],
                            kind=gold["kind"],
                            patterns=gold["patterns"],
                            gold=gold_sources(gold),
                            proposed=[state.question_of.get(k, "?") for k in proposal.sources],
                            ranked=[state.question_of.get(k, "?") for k in proposal.ranked],
                            note=gold["note"],
                        )
                    )
            # Save with the gold links: a split's first part continues the thread, the
            # other parts are recorded as split off; a merge links its first source.
            confirmed, split_parts = [], defaultdict(list)
            for question, found in zip(questions, document.questions, strict=True):
                gold = question.get("gold", {"kind": "new", "from": None})
                sources = [state.wording_of[s] for s in gold_sources(gold)]
                if gold["kind"] == "split" and sources[0] in split_parts:
                    split_parts[sources[0]].append((question["id"], found.full_text))
                    continue
                if gold["kind"] == "split":
                    split_parts[sources[0]] = []
                confirmed.append(
                    (
                        question["id"],
                        imports.ConfirmedQuestion(
                            text=found.text,
                            shared_stem=found.shared_stem,
                            group=found.group,
                            label=found.label,
                            subquestions=found.subquestions,
                            link=sources[0] if sources else None,
                            merges=sources[1:],
                        ),
                    )
                )
            saved = imports.import_version(
                agenda_rows[agenda["key"]],
                groups=document.groups,
                questions=[question for _, question in confirmed],
                document_date=date.fromisoformat(version["date"]),
            )
            wordings = agendas.ordered_wordings(saved)
            for (question_id, _), wording in zip(confirmed, wordings, strict=True):
                state.wording_of[question_id] = wording.id
            for source_id, parts in split_parts.items():
                transition = transitions.set_transition(
                    saved,
                    db.session.get(Wording, source_id),
                    SPLIT,
                    split_texts=[text for _, text in parts],
                )
                for (question_id, _), wording in zip(parts, transition.targets, strict=True):
                    state.wording_of[question_id] = wording.id
            gone = {item["id"]: item for item in version.get("gone", [])}
            for wording in agendas.missing_transitions(saved):
                item = gone.get(state.question_of.get(str(wording.id), ""))
                if item is None:
                    raise ReplayError(f"{where}: nothing says what happened to {wording.label}")
                if item["reason"] == "answered":
                    transitions.set_transition(saved, wording, ANSWER, note=item["note"])
                else:
                    # Skipped and moved questions leave this agenda's next version; their
                    # thread continues later (a return) or elsewhere (the move's target).
                    reason = {"dropped": "niet_meer_urgent", "moved": "elders_belegd"}
                    transitions.set_transition(
                        saved,
                        wording,
                        DROP,
                        reason=reason.get(item["reason"], "anders"),
                        note=item["note"],
                    )
            agendas.publish_version(saved)
            db.session.commit()
            state.question_of = {str(w): q for q, w in state.wording_of.items()}
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    return judgements


def evaluate_set(paths: list[Path]) -> dict:
    """Replay every series; the figures overall, per series and per pattern."""
    judgements = []
    for path in paths:
        judgements += replay_series(load_series(path))
    overall, per_series, per_pattern = Tally(), defaultdict(Tally), defaultdict(Tally)
    for judgement in judgements:
        overall.add(judgement)
        per_series[judgement.series].add(judgement)
        for pattern in judgement.patterns:
            per_pattern[pattern].add(judgement)
    return {
        "overall": overall.figures(),
        "series": {name: tally.figures() for name, tally in sorted(per_series.items())},
        "patterns": {name: tally.figures() for name, tally in sorted(per_pattern.items())},
        "judgements": [
            {
                "series": j.series,
                "question": j.question,
                "kind": j.kind,
                "patterns": j.patterns,
                "gold": j.gold,
                "proposed": j.proposed,
                "top3": j.ranked[:TOP_K],
                "correct": j.correct if j.has_proposal or j.has_gold else not j.has_proposal,
                "note": j.note,
            }
            for j in judgements
        ],
    }


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def print_table(result: dict, verbose: bool) -> None:
    header = (
        f"  {'':<24} {'items':>5} {'linked':>6} {'prop.':>5} {'right':>5} "
        f"{'precision':>9} {'recall':>6} {'top-3':>6} {'new kept':>8}"
    )

    def row(name: str, f: dict) -> str:
        return (
            f"  {name:<24} {f['questions']:>5} {f['with_gold']:>6} {f['proposals']:>5} "
            f"{f['correct']:>5} {_cell(f['precision']):>9} {_cell(f['recall']):>6} "
            f"{_cell(f['top3_recall']):>6} {_cell(f['new_kept_new']):>8}"
        )

    if verbose:
        print(f"  {'question':<14} {'gold':<16} {'proposed':<16} {'top-3':<28} ok  patterns")
        for j in result["judgements"]:
            print(
                f"  {j['question']:<14} {','.join(j['gold']) or 'new':<16} "
                f"{','.join(j['proposed']) or '—':<16} {','.join(j['top3']):<28} "
                f"{'ok ' if j['correct'] else 'NO '} {' '.join(j['patterns'])}"
            )
        print()
    print("Per series")
    print(header)
    for name, figures in result["series"].items():
        print(row(name, figures))
    print(row("all series", result["overall"]))
    print()
    print("Per pattern (an item can carry several)")
    print(header)
    for name, figures in result["patterns"].items():
        print(row(name, figures))
    print()
    print(
        "linked: items with a gold source; prop.: items with a proposed link; right: correct "
        "proposals; new kept: share of new questions without a proposal."
    )


def targets_met(result: dict) -> bool:
    overall = result["overall"]
    return (overall["precision"] or 0) >= TARGET_PRECISION and (
        overall["recall"] or 0
    ) >= TARGET_RECALL


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--verbose", action="store_true", help="also list every judgement")
    parser.add_argument(
        "--examples", action="store_true", help="the GVS examples mode (../shared/examples)"
    )
    parser.add_argument(
        "--series", action="append", default=[], help="only this series (repeatable)"
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=DATA,
        help="folder of series (default tests/data/lineage; the held-out set is "
        "tests/data/lineage-holdout)",
    )
    args = parser.parse_args(argv)
    if args.examples:
        return examples_main()
    logging.disable(logging.INFO)  # the services log every import; stdout holds the figures
    paths = sorted(args.data.glob("*.json"))
    if args.series:
        paths = [path for path in paths if path.stem in args.series]
    if not paths:
        print(f"No series found in {args.data}", file=sys.stderr)
        return 2
    result = evaluate_set(paths)
    ok = targets_met(result)
    if args.json:
        result["targets"] = {
            "precision": TARGET_PRECISION,
            "recall": TARGET_RECALL,
            "met": ok,
        }
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_table(result, args.verbose)
        print(
            f"Targets (precision ≥ {TARGET_PRECISION}, recall ≥ {TARGET_RECALL}): "
            f"{'met' if ok else 'NOT met'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
