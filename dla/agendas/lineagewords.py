"""The words of a learning question as the lineage matcher sees them.

The hand-written light stemmer and ``normalise`` (also used by the barrier suggestions of
``dla.analysis.ranking``); the Snowball stemmers; a question's profile (its word stems and
character trigrams, of the whole question and of goal and barrier apart); the feature weights
(BM25's inverse document frequency). Pure standard library plus ``snowballstemmer``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import snowballstemmer

from dla.agendas.parsing import parse_question

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


# --- Normalisation -----------------------------------------------------------------------------
# The hand-written light stemmer and ``normalise``: used by the barrier suggestions of
# dla.analysis.ranking, and by the matcher only when asked for the "light" stemmer.

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
def light_stem(word: str) -> str:
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
def prepared_stop_words(stop_words: frozenset[str]) -> frozenset[str]:
    """Stop words in the form tokens are compared in (lower case, no accents or quotes)."""
    return frozenset(_QUOTES_RE.sub("", _strip_accents(word.lower())) for word in stop_words)


def normalise(text: str, stop_words: frozenset[str] = DEFAULT_STOP_WORDS) -> list[str]:
    """Turn Dutch text into a list of word stems, in order.

    Lower case; accents, typographic quotes and apostrophes removed; punctuation, brackets and
    hyphens split words; stop words (compared before stemming) dropped; then light stemming:
    "-heden" → "-heid", "-en", plural "-s", "-e" and participle "-end(e)" stripped, a final
    double consonant or doubled vowel collapsed. Stems keep at least 3 characters.
    """
    stops = prepared_stop_words(frozenset(stop_words))
    text = _QUOTES_RE.sub("", _strip_accents(text.lower()))
    return [light_stem(word) for word in _SEPARATOR_RE.split(text) if word and word not in stops]


# --- Words for the matcher ---------------------------------------------------------------------

# Quotes and apostrophes separate words here ("agenda’s" → "agenda", "s"; "‘regie’" → "regie").
_WORD_SPLIT_RE = re.compile(r"[\W_]+")
_MIN_WORD = 2


class _SnowballStem:
    """A thread-safe, cached Snowball stemmer (the stemmer object keeps state per call)."""

    def __init__(self, algorithm: str):
        import threading

        self._stemmer = snowballstemmer.stemmer(algorithm)
        self._lock = threading.Lock()
        self.stem = lru_cache(maxsize=65536)(self._stem)

    def _stem(self, word: str) -> str:
        with self._lock:
            return self._stemmer.stemWord(word)


_STEMMERS: dict[str, Callable[[str], str]] = {}


def stemmer(name: str) -> Callable[[str], str]:
    """The stemming function by name: "snowball" (Snowball Dutch, the default),
    "snowball_porter" (Snowball's older Dutch Porter variant) or "light" (the hand-written one
    of :func:`normalise`)."""
    found = _STEMMERS.get(name)
    if found is None:
        if name == "light":
            found = light_stem
        elif name == "snowball":
            found = _SnowballStem("dutch").stem
        elif name == "snowball_porter":
            found = _SnowballStem("dutch_porter").stem
        else:
            raise ValueError(f"unknown stemmer {name!r}")
        _STEMMERS[name] = found
    return found


DEFAULT_STEMMER = "snowball"


def _words(text: str, stops: frozenset[str], stem: Callable[[str], str]) -> list[tuple[str, str]]:
    """(stem, word as written) for every content word of ``text``, in order."""
    found = []
    for raw in _WORD_SPLIT_RE.split(text):
        word = _strip_accents(raw.lower())
        if len(word) < _MIN_WORD or word in stops:
            continue
        found.append((stem(word), raw))
    return found


def _grams(stems) -> frozenset[str]:
    return frozenset().union(*map(_trigrams, stems)) if stems else frozenset()


@lru_cache(maxsize=65536)
def _trigrams(token: str) -> frozenset[str]:
    """Character trigrams of a stem padded with spaces: "plan" → " pl", "pla", "lan", "an "."""
    padded = f" {token} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


# The "?" that ends a question, with the annotations and tags after it; and the generic
# opening "Hoe <verb>" ("Hoe kan", "Hoe komen", "Hoe zorgen"), which says nothing about the topic
# (pronouns and "tot"/"voor" after it are stop words).
_TAIL_RE = re.compile(r"\?(?:\s*(?:\([^()]*\)|\[[^\[\]]*\]))*\s*$")
_OPENING_RE = re.compile(r"^\s*hoe\s+[^\W\d_]+", re.IGNORECASE)


class Profile:
    """One question's word stems and trigrams: of the whole question (for the score), and of
    its goal and barrier apart (for display, worked out only when asked)."""

    __slots__ = ("text", "full", "full_grams", "written", "_stops", "_stem", "_parts")

    def __init__(self, text: str, stops: frozenset[str], stem: Callable[[str], str]):
        self.text, self._stops, self._stem, self._parts = text, stops, stem, None
        body = _OPENING_RE.sub("", text, count=1)
        tail = _TAIL_RE.search(body)
        words = _words(body[: tail.start()] if tail else body, stops, stem)
        self.written: dict[str, str] = {}
        for stem_, raw in words:
            self.written.setdefault(stem_, raw)
        self.full = frozenset(self.written)
        self.full_grams = _grams(self.full)

    def parts(self) -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
        """(goal stems, barrier stems, goal trigrams, barrier trigrams)."""
        if self._parts is None:
            parsed = parse_question(self.text)
            goal = parsed.goal
            if parsed.stem and goal.startswith(parsed.stem):
                goal = goal[len(parsed.stem) :]
            g = frozenset(s for s, _ in _words(goal, self._stops, self._stem))
            b = frozenset(s for s, _ in _words(parsed.barrier, self._stops, self._stem))
            self._parts = (g, b, _grams(g), _grams(b))
        return self._parts


@lru_cache(maxsize=16384)
def cached_profile(text: str, stops: frozenset[str], stem: Callable[[str], str]) -> Profile:
    """A question's profile; cached, as the region's questions come back in every import."""
    return Profile(text, stops, stem)


class Weights(dict):
    """Feature weights; a feature outside the corpus gets the weight of a rare one."""

    def __init__(self, unseen: float, weights: dict[str, float]):
        super().__init__(weights)
        self.unseen = unseen

    def __missing__(self, key: str) -> float:
        return self.unseen


def idf(n_docs: int, df: int) -> float:
    """BM25's inverse document frequency, always positive."""
    return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
