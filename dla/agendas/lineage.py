"""Suggest which earlier learning question an imported question continues (its lineage).

When a user imports a new version of a learning agenda, the app *suggests* for every imported
question which earlier question (in the latest versions of the region's agendas) it continues.
It never links silently: a person confirms every link.

How two questions are compared:

1. Each question is split with :func:`dla.agendas.parsing.parse_question` into its goal (the
   text before ", terwijl", without the generic stem such as "Hoe komen we tot") and its barrier
   (the text after "terwijl"). Annotations and tags after the "?" are ignored.
2. Each part is normalised (:func:`normalise`): lower case, no accents, no quotes or
   punctuation, no stop words, light Dutch stemming.
3. Each part is scored as a blend of the Dice overlap of the word stems and the Dice overlap
   of the character trigrams of those stems (trigrams catch compounds and spelling changes:
   "procesregie" / "procesregisseur").
4. The combined score weighs goal and barrier both, and the barrier counts only as far as
   the goals are related too. The barrier alone misleads: different questions often share a
   barrier ("de betrokken organisaties een verschillend beeld hebben van …"), and a continued
   question may get a wholly new barrier.
5. :func:`suggest` keeps the candidates above a threshold, plus *merge partners*: questions
   of the top suggestion's version that explain a part of the new question the top one does
   not (GVS Versie 1 B + C → memo ambitie 1).

The weights and the threshold are tuned on the GVS example agendas; see
``benchmarks/lineage_quality.py``.

Pure standard library: no Flask, no I/O, deterministic.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from dla.agendas.parsing import parse_question

__all__ = [
    "BARRIER_WEIGHT",
    "DEFAULT_STOP_WORDS",
    "DEFAULT_THRESHOLD",
    "GOAL_GATE",
    "GOAL_WEIGHT",
    "MERGE_GAIN",
    "MERGE_SCORE_RATIO",
    "TOKEN_WEIGHT",
    "TRIGRAM_WEIGHT",
    "Candidate",
    "Suggestion",
    "normalise",
    "similarity",
    "suggest",
]

# --- Tuning ------------------------------------------------------------------------------------

#: Minimum combined score (0..1) for a suggestion. Tuned on the GVS example agendas.
DEFAULT_THRESHOLD = 0.26
#: Weight of the goal in the combined score; the barrier gets the rest.
GOAL_WEIGHT = 0.6
BARRIER_WEIGHT = 1.0 - GOAL_WEIGHT
#: Weight of the word-stem overlap within one part; character trigrams get the rest.
TOKEN_WEIGHT = 0.5
TRIGRAM_WEIGHT = 1.0 - TOKEN_WEIGHT

#: The barrier counts fully only when the goal score reaches this; below it, proportionally
#: less. Different questions often share a barrier, so the barrier alone must not link them.
GOAL_GATE = 0.5
#: A merge partner must cover this share of the question's goal that the top one does not …
MERGE_GAIN = 0.3
#: … and score at least this share of the threshold.
MERGE_SCORE_RATIO = 0.5

_MIN_STEM = 3

#: Dutch function words. Content words ("gemeenten", "regie", "veiligheid") are not here.
DEFAULT_STOP_WORDS: frozenset[str] = frozenset(
    """
    aan al alle alleen als andere bij dan dat de deze die dit door een eens en er ervoor
    geen hebben heb heeft het hier hiervan hoe hun hen ik in is je jij kan kun kunnen maar
    me men met mij mijn moet moeten na naar niet nog nu of om onder ons onze ook op over
    te ten tot u uit van veel voor waar waarbij waarbinnen waardoor waarin wat we wel welke
    werd wie wij wil willen worden wordt ze zal zelf zich zij zijn zo zodat zonder zou
    zullen terwijl daar daarbij daarin daarvoor daarom daartussen daarmee hierbij hiervoor
    tussen binnen elkaar iets ieder iedere elk elke verschillend verschillende diverse
    enkele meerdere sommige ander
    """.split()
)

# --- Data --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """An earlier question that an imported question could continue."""

    key: str  # opaque id given by the caller (e.g. a wording id as str)
    text: str  # full question text
    agenda: str  # agenda title, for display
    version: int  # version number within its agenda
    label: str  # the question's label in its version ("A", "ambitie-1", …)
    version_key: str  # identifies the version the candidate belongs to


@dataclass(frozen=True)
class Suggestion:
    """A suggested predecessor for one imported question; a person must confirm it.

    ``possible_merge`` is True when

    * the candidate is a *merge partner*: not the top suggestion for this imported question,
      but from the same version as the top one, and it covers a part of the question's goal
      that the top one does not (see :func:`suggest`). Several questions of that version may
      have been merged into this one (GVS Versie 1 B + C → memo ambitie 1); or
    * the same candidate is also suggested for another imported question: two imported
      questions would continue one predecessor, so a person must decide (merge, split or pick
      one). A *top* suggestion is only marked for this when its candidate is the top
      suggestion of another imported question too; a clear continuation stays unmarked when its
      candidate merely turns up lower in another question's list (where it is marked).
    """

    candidate: Candidate
    score: float  # combined, 0..1, rounded to 3 decimals
    goal_score: float
    barrier_score: float  # the barrier part alone, before the goal gate
    possible_merge: bool


# --- Normalisation -----------------------------------------------------------------------------

# Quotes and apostrophes vanish ("agenda’s" → "agendas", "‘regie’" → "regie").
_QUOTES_RE = re.compile("['\"`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00b4\u2032]")
# Everything that is not a letter or a digit separates words.
_SEPARATOR_RE = re.compile(r"[\W_]+")
_COMBINING_RE = re.compile("[\u0300-\u036f]+")
_VOWELS = frozenset("aeiouy")
_PLURAL_S_AFTER = frozenset("aeilnoru")


def _strip_accents(text: str) -> str:
    """Remove diacritics: "één" → "een", "continuïteit" → "continuiteit"."""
    if text.isascii():
        return text
    return _COMBINING_RE.sub("", unicodedata.normalize("NFKD", text))


def _undouble(word: str) -> str:
    """Collapse a final double consonant ("verschill" → "verschil", "plann" → "plan")."""
    if len(word) > _MIN_STEM and word[-1] == word[-2] and word[-1] not in _VOWELS:
        return word[:-1]
    return word


def _single_vowel(word: str) -> str:
    """Collapse a doubled vowel before a final consonant ("duurzaam" → "duurzam")."""
    if (
        len(word) > _MIN_STEM + 1
        and word[-1] not in _VOWELS
        and word[-2] == word[-3]
        and word[-2] in "aou"
    ):
        return word[:-2] + word[-1]
    return word


@lru_cache(maxsize=16384)
def _stem(word: str) -> str:
    """Light, deterministic Dutch stemming; never leaves fewer than 3 characters."""
    if len(word) <= _MIN_STEM:
        return word
    if word.endswith("heden") and len(word) - 5 >= _MIN_STEM - 1:
        return word[:-5] + "heid"
    if word.endswith("ende") and len(word) - 4 >= 5:  # verschillende → verschil
        return _undouble(word[:-4])
    if word.endswith("end") and len(word) - 3 >= 5:  # verschillend → verschil
        return _undouble(word[:-3])
    if word.endswith("en") and len(word) - 2 >= _MIN_STEM:  # gemeenten → gemeent
        word = word[:-2]
        if word.endswith("en") and len(word) - 2 >= _MIN_STEM:  # betrokkenen → betrok
            word = word[:-2]
        return _single_vowel(_undouble(word))
    if (
        word.endswith("s")
        and word[-2] in _PLURAL_S_AFTER
        and not word.endswith(("ss", "ces"))  # "proces", "succes" are singular
        and len(word) - 1 >= _MIN_STEM
    ):  # gemeentes → gemeente → gemeent, agendas → agenda
        word = word[:-1]
    if word.endswith("e") and len(word) - 1 >= _MIN_STEM:  # stabiele → stabiel
        word = word[:-1]
    return _single_vowel(_undouble(word))


@lru_cache(maxsize=32)
def _prepared_stop_words(stop_words: frozenset[str]) -> frozenset[str]:
    """Stop words in the form tokens are compared in (lower case, no accents or quotes)."""
    return frozenset(_QUOTES_RE.sub("", _strip_accents(word.lower())) for word in stop_words)


def normalise(text: str, stop_words: frozenset[str] = DEFAULT_STOP_WORDS) -> list[str]:
    """Turn Dutch text into a list of word stems, in order.

    Lower case; accents, typographic quotes and apostrophes removed; punctuation, brackets and
    hyphens split words; stop words (compared before stemming) dropped; then light stemming:
    "-heden" → "-heid", "-en", plural "-s", "-e" and participle "-end(e)" stripped, a final
    double consonant or doubled vowel collapsed. Stems keep at least 3 characters.
    """
    stops = _prepared_stop_words(frozenset(stop_words))
    text = _QUOTES_RE.sub("", _strip_accents(text.lower()))
    return [_stem(word) for word in _SEPARATOR_RE.split(text) if word and word not in stops]


# --- Similarity --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Part:
    """Precomputed stems and trigrams of one part of a question (with their counts)."""

    tokens: frozenset[str]
    trigrams: frozenset[str]
    n_tokens: int
    n_trigrams: int


@dataclass(frozen=True, slots=True)
class _Profile:
    """Precomputed parts of one question."""

    goal: _Part
    barrier: _Part
    full: _Part
    has_barrier: bool


@lru_cache(maxsize=16384)
def _trigrams(token: str) -> frozenset[str]:
    """Character trigrams of a stem padded with spaces: "plan" → " pl", "pla", "lan", "an "."""
    padded = f" {token} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def _part(tokens: frozenset[str], trigrams: frozenset[str] | None = None) -> _Part:
    if trigrams is None:
        trigrams = frozenset().union(*map(_trigrams, tokens))
    return _Part(tokens, trigrams, len(tokens), len(trigrams))


def _profile(text: str, stop_words: frozenset[str]) -> _Profile:
    parsed = parse_question(text)
    goal = parsed.goal
    if parsed.stem and goal.startswith(parsed.stem):
        goal = goal[len(parsed.stem) :]  # "Hoe komen we tot" says nothing about the topic
    goal_part = _part(frozenset(normalise(goal, stop_words)))
    barrier_part = _part(frozenset(normalise(parsed.barrier, stop_words)))
    full_part = _part(
        goal_part.tokens | barrier_part.tokens, goal_part.trigrams | barrier_part.trigrams
    )
    return _Profile(goal_part, barrier_part, full_part, barrier_part.n_tokens > 0)


def _part_score(a: _Part, b: _Part) -> float:
    """Blend of the Dice overlaps of stems and of trigrams; 0 when either part is empty."""
    if not a.n_tokens or not b.n_tokens:
        return 0.0
    return 2.0 * (
        TOKEN_WEIGHT * len(a.tokens & b.tokens) / (a.n_tokens + b.n_tokens)
        + TRIGRAM_WEIGHT * len(a.trigrams & b.trigrams) / (a.n_trigrams + b.n_trigrams)
    )


def _scores(a: _Profile, b: _Profile, floor: float = 0.0) -> tuple[float, float, float] | None:
    """(combined, goal, barrier) unrounded; None when combined is sure to stay below floor."""
    goal = _part_score(a.goal, b.goal)
    if a.has_barrier and b.has_barrier:
        gate = min(1.0, goal / GOAL_GATE)
        if GOAL_WEIGHT * goal + BARRIER_WEIGHT * gate < floor:
            return None  # even an identical barrier would not lift it to the floor
        barrier = _part_score(a.barrier, b.barrier)
        return GOAL_WEIGHT * goal + BARRIER_WEIGHT * barrier * gate, goal, barrier
    return _part_score(a.full, b.full), goal, 0.0


def similarity(
    a: str, b: str, stop_words: frozenset[str] = DEFAULT_STOP_WORDS
) -> tuple[float, float, float]:
    """Compare two learning questions: ``(combined, goal, barrier)``, each 0..1, 3 decimals.

    Goal (without the generic stem "Hoe komen we tot" etc.) and barrier are each scored as
    ``TOKEN_WEIGHT * Dice(word stems) + TRIGRAM_WEIGHT * Dice(character trigrams)``. The
    combined score is ``GOAL_WEIGHT * goal + BARRIER_WEIGHT * barrier * min(1, goal /
    GOAL_GATE)``: a shared barrier only counts as far as the goals are related too. When
    either question has no barrier, the combined score compares the full texts and the
    barrier score is 0.
    """
    stop_words = frozenset(stop_words)
    scores = _scores(_profile(a, stop_words), _profile(b, stop_words))
    assert scores is not None  # no floor given
    combined, goal, barrier = scores
    return round(combined, 3), round(goal, 3), round(barrier, 3)


# --- Suggestions -------------------------------------------------------------------------------


def _merge_gain(question: _Profile, top: _Profile, other: _Profile) -> float:
    """Share of the question's goal trigrams that ``other`` covers and ``top`` does not."""
    wanted = question.goal.trigrams
    if not wanted:
        return 0.0
    return len((wanted - top.goal.trigrams) & other.goal.trigrams) / len(wanted)


def suggest(
    imported: list[str],
    candidates: list[Candidate],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 3,
    stop_words: frozenset[str] = DEFAULT_STOP_WORDS,
    same_version_key: str | None = None,
) -> list[list[Suggestion]]:
    """Suggest predecessors for each imported question; nothing is linked here.

    Returns one list per imported question (in order), best first (ties keep the candidates'
    order), at most ``limit`` long. A candidate is suggested when

    * its rounded combined score is at least ``threshold``; or
    * it is a *merge partner* of the question's top suggestion: it comes from the same version
      as the top suggestion, scores at least ``MERGE_SCORE_RATIO * threshold`` and covers at
      least ``MERGE_GAIN`` of the question's goal (as character trigrams) that the top
      suggestion does not cover. Example: memo ambitie 1 takes its stem from Versie 1 B and
      "die overzicht houdt" from Versie 1 C, so B is the top suggestion and C a merge partner.

    ``possible_merge`` is set as described in :class:`Suggestion`. Candidates whose
    ``version_key`` equals ``same_version_key`` (the version being imported) are never
    suggested, so questions of one version are never linked to each other or to themselves.
    """
    if limit <= 0:
        return [[] for _ in imported]
    stop_words = frozenset(stop_words)
    profiles: dict[str, _Profile] = {}

    def profile(text: str) -> _Profile:
        found = profiles.get(text)
        if found is None:
            found = profiles[text] = _profile(text, stop_words)
        return found

    pool = [
        (index, candidate, profile(candidate.text))
        for index, candidate in enumerate(candidates)
        if same_version_key is None or candidate.version_key != same_version_key
    ]
    merge_floor = MERGE_SCORE_RATIO * threshold
    floor = merge_floor - 0.001  # below this, a score cannot round up to the merge floor

    # Per imported question: (combined, goal, barrier, candidate index, is merge partner).
    ranked: list[list[tuple[float, float, float, int, bool]]] = []
    for text in imported:
        mine = profile(text)
        hits: list[tuple[float, float, float, int, bool]] = []
        near: list[tuple[float, float, float, int, bool]] = []
        for index, _candidate, theirs in pool:
            scores = _scores(mine, theirs, floor)
            if scores is None:
                continue
            combined, goal, barrier = scores
            rounded = round(combined, 3)
            if rounded >= threshold:
                hits.append((combined, goal, barrier, index, False))
            elif rounded >= merge_floor:
                near.append((combined, goal, barrier, index, False))
        hits.sort(key=lambda hit: (-hit[0], hit[3]))
        if hits:
            top = candidates[hits[0][3]]
            top_profile = profile(top.text)
            above = len(hits) - 1  # the first `above` entries below reach the threshold
            rest = []
            for number, hit in enumerate(hits[1:] + near):
                other = candidates[hit[3]]
                partner = (
                    other.version_key == top.version_key
                    and _merge_gain(mine, top_profile, profile(other.text)) >= MERGE_GAIN
                )
                if partner or number < above:  # below the threshold only as a merge partner
                    rest.append((*hit[:4], partner))
            hits = [hits[0], *sorted(rest, key=lambda hit: (-hit[0], hit[3]))]
        ranked.append(hits[:limit])

    # Imported questions (by position) that suggest each candidate (by index), at all or on top.
    suggested_by: dict[int, set[int]] = {}
    top_of: dict[int, set[int]] = {}
    for position, hits in enumerate(ranked):
        for rank, hit in enumerate(hits):
            suggested_by.setdefault(hit[3], set()).add(position)
            if rank == 0:
                top_of.setdefault(hit[3], set()).add(position)

    result: list[list[Suggestion]] = []
    for position, hits in enumerate(ranked):
        suggestions = []
        for rank, (combined, goal, barrier, index, partner) in enumerate(hits):
            claimants = top_of if rank == 0 else suggested_by
            claimed_elsewhere = bool(claimants.get(index, set()) - {position})
            suggestions.append(
                Suggestion(
                    candidate=candidates[index],
                    score=round(combined, 3),
                    goal_score=round(goal, 3),
                    barrier_score=round(barrier, 3),
                    possible_merge=partner or claimed_elsewhere,
                )
            )
        result.append(suggestions)
    return result
