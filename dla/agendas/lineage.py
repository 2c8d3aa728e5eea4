"""Propose which earlier learning question an imported question continues (its lineage).

When a user imports a new version of a learning agenda, the app *proposes* for every imported
question which earlier question it continues, and lists weaker candidates too. A person
confirms every link; the proposal is what is pre-selected.

How two questions are compared (:class:`Matcher`):

1. The generic opening ("Hoe kan", "Hoe komen") and the annotations and tags after the "?"
   are left out; words are lower-cased, stripped of accents and quotes, stop words dropped,
   and stemmed with the Snowball Dutch stemmer (``snowballstemmer``); each stem also yields
   character trigrams, which catch compounds and spelling changes ("procesregie" / "regie").
2. Every word and trigram is weighed by how much it tells *within the region's own questions*:
   its inverse document frequency (the BM25 form) over the latest wording of every thread of
   the region plus the imported questions. A stem most questions share (a shared stem "Hoe kan
   ik als regisseur het plan van aanpak uitvoeren") counts for little; the specific words of
   a barrier count for a lot.
3. The score is the cosine of the weighted word vectors blended with that of the trigram
   vectors, over the whole question. Goal and barrier compared apart (split with
   :func:`dla.agendas.parsing.parse_question`) are shown, not scored: weighing them apart
   lowered recall on the evaluation set (benchmarks/README.md).

How links are proposed (:func:`propose`):

* A one-to-one assignment, best pair first (greedy on the score, ties by order): an earlier
  question is proposed for at most one imported question, and only when the score reaches
  ``DEFAULT_THRESHOLD``. The same agenda comes first; a question of another agenda only when
  it beats every question of this agenda by ``CROSS_AGENDA_MARGIN`` and reaches the threshold
  plus that margin.
* Explicit many-to-one and one-to-many links afterwards: *merged* when a question of the
  previous version that no imported question continues has its best match in an imported
  question that already continues another one, above the threshold, and explains words of it
  the other one does not; *split* when an imported question that continues nothing has its
  best match in a question of the previous version that another imported question continues.
* A thread that another agenda's concept version already continues is never proposed; it is
  listed with a warning.

Pure standard library plus ``snowballstemmer``: no Flask, no I/O, deterministic.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from dla.agendas.lineagewords import (
    DEFAULT_STEMMER,
    DEFAULT_STOP_WORDS,
    Profile,
    Weights,
    cached_profile,
    idf,
    prepared_stop_words,
    stemmer,
)

__all__ = [
    "CONTINUES",
    "CROSS_AGENDA_MARGIN",
    "DEFAULT_THRESHOLD",
    "MERGED",
    "RETURNS",
    "SPLIT",
    "WEAK_FLOOR",
    "Candidate",
    "Match",
    "Matcher",
    "Proposal",
    "Suggestion",
    "propose",
    "similarity",
    "suggest",
]

# --- Tuning ------------------------------------------------------------------------------------

#: Minimum score (0..1) for proposing a link. Calibrated on the evaluation set, see
#: ``benchmarks/lineage_calibration.py`` and benchmarks/README.md.
DEFAULT_THRESHOLD = 0.20
#: A question of another agenda must beat every question of the agenda itself by this much,
#: and reach the threshold plus this much.
CROSS_AGENDA_MARGIN = 0.10
#: Candidates down to this share of the threshold are still listed, marked weak.
WEAK_FLOOR = 0.5
#: Weight of the word vectors within one part; character trigrams get the rest.
WORD_WEIGHT = 0.5
#: A merge partner must explain this share (by weight) of the merged question's words that its
#: main predecessor does not; a split part this share of the split question's words that the
#: question continuing it does not. Otherwise it is a near-duplicate, not a part.
EXPLAIN_GAIN = 0.05
#: A word's weight in the dot product: its IDF to this power (2: the classic TF-IDF cosine).
IDF_POWER = 2.0
#: A word or trigram counts as common (never a reason, left out of the index) from this many
#: texts on, or from half the corpus when that is more.
COMMON_MIN = 10
#: Words shown as the reason for a suggestion.
REASON_WORDS = 5


# Proposal kinds.
CONTINUES = "continues"
RETURNS = "returns"
MERGED = "merged"
SPLIT = "split"


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
    agenda_key: str = ""  # identifies the candidate's agenda
    # Another agenda whose concept version already continues this thread (never proposed).
    busy_in: str = ""


@dataclass(frozen=True)
class Suggestion:
    """A possible predecessor for one imported question; a person confirms it.

    ``possible_merge`` is True when the same candidate is also suggested for another imported
    question (a person must decide: merge, split or pick one) or is proposed as merged into
    this one. ``weak`` is True below the threshold: listed, never proposed. ``matched`` holds
    the words of the imported question that the candidate shares, most telling first.
    """

    candidate: Candidate
    score: float  # 0..1, rounded to 3 decimals
    goal_score: float
    barrier_score: float
    possible_merge: bool = False
    weak: bool = False
    matched: tuple[str, ...] = ()
    warning: str = ""
    other_agenda: bool = False


@dataclass(frozen=True)
class Proposal:
    """The link that saving would make for one imported question.

    * ``continues``: it continues ``suggestion.candidate`` (of the previous version, or of
      another agenda when ``suggestion.other_agenda``);
    * ``returns``: it brings back a question of an older version of the same agenda;
    * ``merged``: it continues ``suggestion.candidate`` and ``merges`` went up in it too;
    * ``split``: it is split off ``suggestion.candidate``, which continues in imported
      question number ``split_with`` (an index into the imported list).
    """

    kind: str
    suggestion: Suggestion
    merges: tuple[Suggestion, ...] = ()
    split_with: int | None = None

    @property
    def sources(self) -> tuple[Candidate, ...]:
        """Every earlier question this proposal links: the main one, then merged ones."""
        return (self.suggestion.candidate, *(s.candidate for s in self.merges))


@dataclass(frozen=True)
class Match:
    """What :func:`propose` says about one imported question."""

    proposed: Proposal | None
    suggestions: list[Suggestion] = field(default_factory=list)


class Matcher:
    """Scores questions against each other with weights from a corpus of the region's questions.

    ``corpus``: the texts whose document frequencies weigh the words (each counted once per
    text). Without a corpus every word weighs the same.
    """

    def __init__(
        self,
        corpus: Sequence[str] = (),
        *,
        stop_words: frozenset[str] = DEFAULT_STOP_WORDS,
        stemmer_name: str = DEFAULT_STEMMER,
        word_weight: float | None = None,
    ):
        self._stops = prepared_stop_words(frozenset(stop_words))
        self._stem = stemmer(stemmer_name)
        self.word_weight = WORD_WEIGHT if word_weight is None else word_weight
        self._profiles: dict[str, Profile] = {}
        word_df: dict[str, int] = {}
        gram_df: dict[str, int] = {}
        texts = list(dict.fromkeys(corpus))
        for text in texts:
            profile = self.profile(text)
            for word in profile.full:
                word_df[word] = word_df.get(word, 0) + 1
            for gram in profile.full_grams:
                gram_df[gram] = gram_df.get(gram, 0) + 1
        n = len(texts)
        power = IDF_POWER
        # A word or trigram outside the corpus is as telling as one seen once.
        self._unseen = idf(n, 1) ** power if n else 1.0
        self._word_w = Weights(self._unseen, {w: idf(n, df) ** power for w, df in word_df.items()})
        self._gram_w = Weights(self._unseen, {g: idf(n, df) ** power for g, df in gram_df.items()})
        # Words and trigrams in half the corpus (and in 10 texts at least) tell next to nothing.
        common = max(n / 2, COMMON_MIN)
        self._common = idf(n, common) ** power if common <= n else -1.0
        self._norms: dict[tuple[int, str], float] = {}

    def profile(self, text: str) -> Profile:
        found = self._profiles.get(text)
        if found is None:
            found = self._profiles[text] = cached_profile(text, self._stops, self._stem)
        return found

    def _mass(self, features: frozenset[str], weights: dict[str, float]) -> float:
        return sum(map(weights.__getitem__, features))

    def _norm(self, features: frozenset[str], weights: dict[str, float]) -> float:
        key = (id(features), "w" if weights is self._word_w else "g")
        found = self._norms.get(key)
        if found is None:
            found = self._norms[key] = math.sqrt(self._mass(features, weights))
        return found

    def _cosine(self, a: frozenset[str], b: frozenset[str], weights: dict[str, float]) -> float:
        if not a or not b:
            return 0.0
        shared = a & b
        if not shared:
            return 0.0
        return self._mass(shared, weights) / (self._norm(a, weights) * self._norm(b, weights))

    def _part(self, words_a, words_b, grams_a, grams_b) -> float:
        return self.word_weight * self._cosine(words_a, words_b, self._word_w) + (
            1.0 - self.word_weight
        ) * self._cosine(grams_a, grams_b, self._gram_w)

    def score(self, a: Profile, b: Profile) -> float:
        """How much two questions say the same, 0..1 (unrounded)."""
        return self._part(a.full, b.full, a.full_grams, b.full_grams)

    def scores(self, a: Profile, b: Profile) -> tuple[float, float, float]:
        """(score, goal, barrier), unrounded: the score and, for display, the goals and the
        barriers compared apart (0 when either has no barrier)."""
        a_goal, a_barrier, a_goal_grams, a_barrier_grams = a.parts()
        b_goal, b_barrier, b_goal_grams, b_barrier_grams = b.parts()
        goal = self._part(a_goal, b_goal, a_goal_grams, b_goal_grams)
        barrier = self._part(a_barrier, b_barrier, a_barrier_grams, b_barrier_grams)
        return self.score(a, b), goal, barrier

    def score_many(self, questions: Sequence[Profile], pool: Sequence[Profile]):
        """``score(q, p)`` for every question and pool entry, as rows of floats.

        Through an inverted index of the pool, so pairs that share nothing cost nothing. Words
        and trigrams that half the corpus or more holds are left out of the index (they still
        count in the norms): they weigh next to nothing and would make every pair a pair.
        """
        channels = []
        for share, weights, part in (
            (self.word_weight, self._word_w, lambda p: p.full),
            (1.0 - self.word_weight, self._gram_w, lambda p: p.full_grams),
        ):
            postings: dict[str, list[int]] = {}
            for j, profile in enumerate(pool):
                for feature in part(profile):
                    if weights[feature] > self._common:
                        postings.setdefault(feature, []).append(j)
            norms = [self._norm(part(p), weights) for p in pool]
            channels.append((share, weights, part, postings, norms))
        rows = []
        for question in questions:
            total = [0.0] * len(pool)
            for share, weights, part, postings, norms in channels:
                features = part(question)
                if not features:
                    continue
                dot = [0.0] * len(pool)
                for feature in features:
                    found = postings.get(feature)
                    if found:
                        weight = weights[feature]
                        for j in found:
                            dot[j] += weight
                scale = share / self._norm(features, weights)
                for j, value in enumerate(dot):
                    if value:
                        total[j] += scale * value / norms[j]
            rows.append(total)
        return rows

    def matched(self, a: Profile, b: Profile, limit: int = REASON_WORDS) -> tuple[str, ...]:
        """The words of ``a`` that ``b`` shares, most telling first (as written in ``a``).

        Common words (in half the region's questions or more) tell nothing and are left out.
        """
        weight = self._word_w.get
        shared = [w for w in a.full & b.full if weight(w, self._unseen) > self._common]
        shared.sort(key=lambda w: (-weight(w, self._unseen), w))
        return tuple(a.written[w] for w in shared[:limit])

    def gain(self, question: Profile, main: Profile, other: Profile) -> float:
        """Share (by weight) of the question's words that ``other`` explains and ``main`` not."""
        total = self._mass(question.full, self._word_w)
        if not total:
            return 0.0
        extra = (question.full & other.full) - main.full
        return self._mass(extra, self._word_w) / total


def similarity(
    a: str,
    b: str,
    stop_words: frozenset[str] = DEFAULT_STOP_WORDS,
    corpus: Sequence[str] = (),
    stemmer_name: str = DEFAULT_STEMMER,
) -> tuple[float, float, float]:
    """Compare two learning questions: ``(score, goal, barrier)``, each 0..1, 3 decimals.

    Words are weighed by their document frequency in ``corpus`` (all equal without one).
    """
    matcher = Matcher(corpus, stop_words=stop_words, stemmer_name=stemmer_name)
    score, goal, barrier = matcher.scores(matcher.profile(a), matcher.profile(b))
    return round(score, 3), round(goal, 3), round(barrier, 3)


# --- Proposals ---------------------------------------------------------------------------------


def propose(
    imported: Sequence[str],
    candidates: Sequence[Candidate],
    *,
    agenda_key: str | None = None,
    previous_version_key: str | None = None,
    same_version_key: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    margin: float = CROSS_AGENDA_MARGIN,
    limit: int = 3,
    stop_words: frozenset[str] = DEFAULT_STOP_WORDS,
    stemmer_name: str = DEFAULT_STEMMER,
    corpus: Sequence[str] | None = None,
) -> list[Match]:
    """Propose for each imported question the link that saving would make, and list candidates.

    ``agenda_key``: the agenda imported into (None for a new agenda): its candidates come
    first. ``previous_version_key``: its latest published version, whose questions can be
    continued, merged or split (older ones of the agenda can return). ``same_version_key``:
    the version being imported; its questions are never candidates. ``corpus``: texts for the
    word weights; by default the candidates plus the imported questions.
    """
    imported = list(imported)
    pool = [c for c in candidates if same_version_key is None or c.version_key != same_version_key]
    if corpus is None:
        corpus = [c.text for c in pool] + imported
    matcher = Matcher(corpus, stop_words=stop_words, stemmer_name=stemmer_name)
    mine = [matcher.profile(text) for text in imported]
    theirs = [matcher.profile(c.text) for c in pool]
    same = [agenda_key is not None and c.agenda_key == agenda_key for c in pool]
    in_previous = [
        previous_version_key is not None and c.version_key == previous_version_key for c in pool
    ]
    floor = WEAK_FLOOR * threshold

    # Scores worth keeping, by imported index and candidate index.
    scored: list[dict[int, float]] = []
    best_same = [0.0] * len(imported)
    for i, values in enumerate(matcher.score_many(mine, theirs)):
        row = {}
        for j, value in enumerate(values):
            if value >= floor:
                row[j] = round(value, 3)
                if same[j] and value > best_same[i]:
                    best_same[i] = value
        scored.append(row)

    def score(i: int, j: int) -> float:
        return scored[i].get(j, 0.0)

    link: dict[int, int] = {}  # imported index → candidate index (one to one)
    taken: set[int] = set()

    def assign(pairs: list[tuple[float, int, int]]) -> None:
        for _score, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
            if i not in link and j not in taken:
                link[i] = j
                taken.add(j)

    # A question whose best candidate of another agenda clearly beats all of its own agenda's
    # is left for the second round.
    strong = [
        [(value, i, j) for j, value in row.items() if value >= threshold and not pool[j].busy_in]
        for i, row in enumerate(scored)
    ]
    best_other = [max((v for v, _, j in pairs if not same[j]), default=0.0) for pairs in strong]
    elsewhere = {
        i
        for i in range(len(imported))
        if best_other[i] >= threshold + margin and best_other[i] >= round(best_same[i], 3) + margin
    }
    assign([p for i, pairs in enumerate(strong) if i not in elsewhere for p in pairs if same[p[2]]])
    assign(
        [
            (value, i, j)
            for i, pairs in enumerate(strong)
            if i not in link
            for value, _, j in pairs
            if not same[j]
            and value >= threshold + margin
            and value >= round(best_same[i], 3) + margin
        ]
    )

    # Merged: a question of the previous version that nothing continues went up in an imported
    # question that continues another question of the previous version.
    merges: dict[int, list[int]] = {}
    for j in range(len(pool)):
        if j in taken or not in_previous[j] or pool[j].busy_in:
            continue
        best = max(range(len(imported)), key=lambda i: (score(i, j), -i), default=None)
        if best is None or score(best, j) < threshold or best not in link:
            continue
        main = link[best]
        if in_previous[main] and matcher.gain(mine[best], theirs[main], theirs[j]) >= EXPLAIN_GAIN:
            merges.setdefault(best, []).append(j)
    # Split: an imported question that continues nothing is best explained by a question of the
    # previous version that another imported question continues.
    split_from: dict[int, int] = {}
    continued_by = {j: i for i, j in link.items()}
    for i, row in enumerate(scored):
        if i in link or not row:
            continue
        j = max(row, key=lambda j: (score(i, j), -j))
        if score(i, j) >= threshold and in_previous[j] and j in continued_by:
            gain = matcher.gain(theirs[j], mine[continued_by[j]], mine[i])
            if gain >= EXPLAIN_GAIN:
                split_from[i] = j
    merged_into = {j: i for i, js in merges.items() for j in js}

    # Suggestions: best first, with the proposed ones always among them.
    listed: list[list[int]] = []
    for i, row in enumerate(scored):
        order = [j for _, j in heapq.nsmallest(max(limit, 0), ((-v, j) for j, v in row.items()))]
        wanted = [link.get(i), split_from.get(i), *merges.get(i, [])]
        order += [j for j in wanted if j is not None and j not in order]
        listed.append(sorted(order, key=lambda j: (-score(i, j), j)))
    strong_by: dict[int, set[int]] = {}
    for i, order in enumerate(listed):
        for j in order:
            if score(i, j) >= threshold:
                strong_by.setdefault(j, set()).add(i)

    results = []
    for i, order in enumerate(listed):
        made: dict[int, Suggestion] = {}
        for j in order:
            value, goal, barrier = matcher.scores(mine[i], theirs[j])
            candidate = pool[j]
            warning = ""
            if candidate.busy_in:
                warning = f"Deze vraag loopt al door in de conceptversie van ‘{candidate.busy_in}’."
            made[j] = Suggestion(
                candidate=candidate,
                score=round(value, 3),
                goal_score=round(goal, 3),
                barrier_score=round(barrier, 3),
                possible_merge=bool(strong_by.get(j, set()) - {i}) or merged_into.get(j) == i,
                weak=round(value, 3) < threshold,
                matched=matcher.matched(mine[i], theirs[j]),
                warning=warning,
                other_agenda=not same[j],
            )
        proposal = None
        if i in link:
            j = link[i]
            kind = CONTINUES if in_previous[j] or not same[j] else RETURNS
            partners = tuple(made[m] for m in merges.get(i, []))
            proposal = Proposal(MERGED if partners else kind, made[j], partners)
        elif i in split_from:
            j = split_from[i]
            proposal = Proposal(SPLIT, made[j], split_with=continued_by[j])
        results.append(Match(proposal, [made[j] for j in order]))
    return results


def suggest(
    imported: list[str],
    candidates: list[Candidate],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 3,
    stop_words: frozenset[str] = DEFAULT_STOP_WORDS,
    same_version_key: str | None = None,
) -> list[list[Suggestion]]:
    """The candidates at or above the threshold (and proposed merge partners), best first.

    A shortcut over :func:`propose` for callers that only list suggestions.
    """
    if limit <= 0:
        return [[] for _ in imported]
    matches = propose(
        imported,
        candidates,
        same_version_key=same_version_key,
        threshold=threshold,
        limit=limit,
        stop_words=stop_words,
    )
    return [[s for s in match.suggestions if not s.weak][:limit] for match in matches]
