"""Match quoted questions against the wordings of a region's history and check their tags.

For every quote (:mod:`dla.citations.extract`) the best source among the wordings the reader
may read, and how close the quote is to it:

* ``exact``: the same words (case, punctuation and typographic quotes aside);
* ``near-exact``: only a few words differ (at most ``NEAR_MAX_WORDS``, and at most
  ``NEAR_MAX_SHARE`` of the source's words), as when a report changes the opening phrase,
  drops a word or adds a role phrase;
* ``rephrased``: the same barrier or goal in other words: the lineage similarity
  (:class:`dla.agendas.lineage.Matcher`, TF-IDF over the region's own wordings) reaches
  ``REPHRASED_MIN``;
* ``none``: nothing in the history says the same.

The tag is a claim to check, not a key: "[DLA professionals, bijlage 2.4]" claims that the
question stands in the version cited as "bijlage 2.4" (the version's report reference); a tag
without a reference claims an agenda ("[DLA managers]"). ``citation_ok`` is True when the
claim holds for the match (or for a wording of the same question in the cited version), False
(with a suggested tag) when it does not, and None when the tag claims nothing
("[gereconstrueerd]") or there is no tag.

Thresholds are calibrated on the evaluation set (``benchmarks/citations.py``). Pure: no
Flask, no database.
"""

from __future__ import annotations

import difflib
import heapq
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from dla.agendas.history import word_diff
from dla.agendas.lineage import Matcher
from dla.agendas.lineagewords import DEFAULT_STOP_WORDS
from dla.citations.extract import Quote, Tag, normalise_reference

__all__ = [
    "EXACT",
    "KINDS",
    "NEAR",
    "NONE",
    "REPHRASED",
    "Result",
    "Source",
    "check",
    "suggest_tag",
]

EXACT, NEAR, REPHRASED, NONE = "exact", "near-exact", "rephrased", "none"
KINDS = {
    EXACT: "Letterlijk",
    NEAR: "Bijna letterlijk",
    REPHRASED: "In andere woorden",
    NONE: "Niet gevonden",
}
_RANK = {EXACT: 3, NEAR: 2, REPHRASED: 1, NONE: 0}

#: At most this many words differ in a near-exact quote …
NEAR_MAX_WORDS = 4
#: … and at most this share of the source's words.
NEAR_MAX_SHARE = 0.25
#: Lineage similarity from which a quote says the same in other words.
REPHRASED_MIN = 0.30
#: Texts compared word by word per quote (the best by similarity).
SHORTLIST = 30

_WORD = re.compile(r"\w+(?:'\w+)*", re.UNICODE)
_AFTER_QUESTION = re.compile(r"\?[^?]*$")
_FILLER = {"dla", "leeragenda", "agenda", "dynamische", "de", "het", "van", "en", "voor", "in"}


@dataclass(frozen=True)
class Source:
    """A wording that a quote can come from."""

    key: int  # wording id
    thread: int
    text: str
    agenda: str
    audience: str
    version: int  # number within its agenda
    version_key: int
    reference: str  # the version's report reference ("bijlage 2.4"), may be empty
    label: str
    published: bool = True


@dataclass
class Result:
    quote: Quote
    source: Source | None
    kind: str
    score: float
    citation_ok: bool | None
    suggested_tag: str | None
    diff: list[tuple[str, str]] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    def as_json(self) -> dict:
        """The machine form: exactly text, tag, match, kind, citation_ok, suggested_tag."""
        source = self.source
        return {
            "text": self.quote.text,
            "tag": self.quote.tag.written if self.quote.tag else None,
            "match": None
            if source is None
            else {
                "agenda": source.agenda,
                "version": source.version,
                "reference": source.reference or None,
                "label": source.label,
            },
            "kind": self.kind,
            "citation_ok": self.citation_ok,
            "suggested_tag": self.suggested_tag,
        }


def tokens(text: str) -> tuple[str, ...]:
    """Words for the word-by-word comparison: lower case, typographic quotes made plain,
    the annotation or tag after the question mark left out."""
    text = _AFTER_QUESTION.sub("?", text) if "?" in text else text
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'").lower()
    return tuple(_WORD.findall(text))


def changed_words(a: Sequence[str], b: Sequence[str]) -> int:
    """How many words differ between two word lists (a replaced word counts once)."""
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return sum(
        max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"
    )


def kind_of(quote: Sequence[str], source: Sequence[str], score: float) -> str:
    if tuple(quote) == tuple(source):
        return EXACT
    changed = changed_words(quote, source)
    if changed <= NEAR_MAX_WORDS and changed <= NEAR_MAX_SHARE * max(len(source), 1):
        return NEAR
    return REPHRASED if score >= REPHRASED_MIN else NONE


def _descriptor_words(descriptor: str) -> list[str]:
    words = [w.removesuffix("'s") for w in tokens(descriptor)]
    return [w for w in words if w not in _FILLER and len(w) >= 3]


def descriptor_matches(descriptor: str, source: Source) -> bool:
    """Whether a tag's agenda description ("DLA managers") fits the source's agenda: one of
    its words (less its ending) is in the agenda's title or audience."""
    words = _descriptor_words(descriptor)
    if not words:
        return True
    agenda = " ".join(tokens(f"{source.agenda} {source.audience}"))
    return any(w[: max(3, len(w) - 2)] in agenda for w in words)


def _audience(audience: str) -> str:
    """ "Managers" → "managers", "ICR's" stays "ICR's"."""
    if len(audience) > 1 and audience[0].isupper() and audience[1].islower():
        return audience[0].lower() + audience[1:]
    return audience


def suggest_tag(source: Source, tag: Tag | None = None) -> str:
    """The tag a report should give a quote of ``source``."""
    if source.reference:
        descriptor = (
            tag.descriptor
            if tag is not None and tag.descriptor and descriptor_matches(tag.descriptor, source)
            else f"DLA {_audience(source.audience)}"
        )
        return f"[{descriptor}, {source.reference}]"
    return f"[{source.agenda}, versie {source.version}]"


def _preference(source: Source, reference: str):
    """Among sources with the same words: the cited version first, then one with a report
    reference, published, the earliest."""
    return (
        normalise_reference(source.reference) != reference if reference else True,
        not source.reference,
        not source.published,
        source.version,
        source.key,
    )


class _Checker:
    def __init__(self, sources: Sequence[Source], quotes: Sequence[Quote], stop_words):
        self.by_text: dict[str, list[Source]] = {}
        for source in sources:
            self.by_text.setdefault(source.text, []).append(source)
        self.texts = list(self.by_text)
        self.words = {text: tokens(text) for text in self.texts}
        self.by_words: dict[tuple[str, ...], list[str]] = {}
        for text, words in self.words.items():
            self.by_words.setdefault(words, []).append(text)
        self.matcher = Matcher(self.texts + [q.text for q in quotes], stop_words=stop_words)
        self.profiles = [self.matcher.profile(text) for text in self.texts]
        # One pass over the inverted index for all quotes at once.
        unique = list(dict.fromkeys(q.text for q in quotes))
        rows = self.matcher.score_many([self.matcher.profile(t) for t in unique], self.profiles)
        self.scores = dict(zip(unique, rows, strict=True))
        self.references = {normalise_reference(s.reference) for s in sources if s.reference}
        self.by_thread: dict[int, list[Source]] = {}
        for source in sources:
            self.by_thread.setdefault(source.thread, []).append(source)

    def best(self, quote: Quote) -> tuple[str | None, str, float]:
        """The best source text for a quote, its kind and similarity."""
        words = tokens(quote.text)
        scores = self.scores[quote.text]
        ranked = heapq.nlargest(SHORTLIST, range(len(self.texts)), key=scores.__getitem__)
        shortlist = {self.texts[j]: scores[j] for j in ranked if scores[j] > 0}
        for text in self.by_words.get(words, []):
            shortlist.setdefault(text, 1.0)
        best, best_key = None, (0, 0, 0.0)
        for text, score in shortlist.items():
            kind = kind_of(words, self.words[text], score)
            if kind == NONE:
                continue
            closeness = -changed_words(words, self.words[text]) if _RANK[kind] >= 2 else 0
            key = (_RANK[kind], closeness, score)
            if key > best_key:
                best, best_key = text, key
        if best is None:
            return None, NONE, max(shortlist.values(), default=0.0)
        kind = next(k for k, rank in _RANK.items() if rank == best_key[0])
        return best, kind, best_key[2]

    def result(self, quote: Quote) -> Result:
        tag = quote.tag
        reference = tag.reference if tag is not None else ""
        text, kind, score = self.best(quote)
        if text is None:
            ok = False if tag is not None and tag.claims else None
            return Result(quote, None, NONE, round(score, 3), ok, None)
        source = min(self.by_text[text], key=lambda s: _preference(s, reference))
        if reference and normalise_reference(source.reference) != reference:
            # The same question as worded in the cited version (an older or later wording).
            for other in sorted(self.by_thread[source.thread], key=lambda s: s.version):
                if normalise_reference(other.reference) == reference:
                    other_score = self.matcher.score(
                        self.matcher.profile(quote.text), self.matcher.profile(other.text)
                    )
                    other_kind = kind_of(tokens(quote.text), self.words[other.text], other_score)
                    # Only as close as the best match: quoting the words of one version
                    # while citing another with other words is a wrong citation.
                    if other_kind != NONE and _RANK[other_kind] >= _RANK[kind]:
                        source, kind, score = other, other_kind, other_score
                        break
        ok = self.citation_ok(tag, source)
        suggested = None
        if ok is False or tag is None:
            suggested = suggest_tag(source, tag)
        diff = word_diff(source.text, quote.text)
        return Result(quote, source, kind, round(score, 3), ok, suggested, diff)

    def citation_ok(self, tag: Tag | None, source: Source) -> bool | None:
        if tag is None or not tag.claims:
            return None
        if tag.reference and (self.references or not tag.descriptor):
            return normalise_reference(source.reference) == tag.reference
        return descriptor_matches(tag.descriptor, source)


def check(
    quotes: Sequence[Quote],
    sources: Sequence[Source],
    *,
    stop_words: frozenset[str] = DEFAULT_STOP_WORDS,
) -> list[Result]:
    """Match every quote against the sources and check its tag (see the module text)."""
    if not quotes:
        return []
    if not sources:
        return [
            Result(q, None, NONE, 0.0, False if q.tag is not None and q.tag.claims else None, None)
            for q in quotes
        ]
    checker = _Checker(sources, quotes, stop_words)
    return [checker.result(quote) for quote in quotes]
