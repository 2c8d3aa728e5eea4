"""Parse Dutch learning questions (*leervragen*) of a Dynamic Learning Agenda.

A learning question has the shape::

    <stem: Hoe kan ik | Hoe kunnen we | Hoe komen we tot | ...> [role phrase] <goal ...>,
    terwijl <barrier ...>? [(annotation)] [[provenance tag]]

This module splits such a question into its parts without ever "fixing" the text: typographic
quotes, ellipses, real hyphens and grammar slips are kept verbatim. It also offers small helpers
for composing a question from two fields, expanding a printed shared stem ("..., terwijl…..")
and making list labels.

Pure standard library: no Flask, no I/O.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

__all__ = [
    "ParsedQuestion",
    "compose_question",
    "expand_shared_stem",
    "is_shared_stem",
    "letter_label",
    "parse_question",
    "roman_label",
]

# --- Hints (plain Dutch, B1) -------------------------------------------------------------------

_HINT_NO_HOE = (
    "De methode begint een leervraag met 'Hoe …' "
    "(bijvoorbeeld 'Hoe kan ik …' of 'Hoe kunnen we …')."
)
_HINT_NO_TERWIJL = "Noem na ', terwijl' wat u tegenhoudt: de barrière in het systeem."
_HINT_MANY_TERWIJL = (
    "Deze vraag bevat meer dan één keer 'terwijl'. Meestal hoort er één barrière bij een vraag."
)
_HINT_NO_QUESTION_MARK = "Een leervraag eindigt met een vraagteken."
_HINT_SHORT_BARRIER = "De barrière na 'terwijl' is erg kort. Beschrijf wat u tegenhoudt."

_MIN_BARRIER_WORDS = 3

# --- Regular expressions -----------------------------------------------------------------------

_WHITESPACE_RE = re.compile(r"\s+")

# The "?" that ends the question: only bracketed annotations/tags may follow it.
_QUESTION_END_RE = re.compile(r"\?((?:\s*(?:\([^()]*\)|\[[^\[\]]*\]))*)\s*$")
_ANNOTATION_RE = re.compile(r"\(([^()]*)\)")
_TAG_RE = re.compile(r"\[([^\[\]]*)\]")

_TERWIJL_WORD_RE = re.compile(r"\bterwijl\b", re.IGNORECASE)
_TERWIJL_COMMA_RE = re.compile(r"\s*,\s*terwijl\b\s*", re.IGNORECASE)
_TERWIJL_BARE_RE = re.compile(r"\s+terwijl\b\s*", re.IGNORECASE)

# "Hoe" + verb + optional pronoun (+ "tot"/"voor" checked in code).
_STEM_RE = re.compile(
    r"^hoe\b(?:\s+(?P<verb>[^\W\d_]+)(?:\s+(?P<pronoun>ik|we|wij)\b"
    r"(?:\s+(?P<prep>tot|voor)\b)?)?)?",
    re.IGNORECASE,
)
_PREP_VERBS = {"tot": {"komen", "kom", "komt"}, "voor": {"zorgen", "zorg", "zorgt"}}

_ROLE_NOUNS = (
    "ICR",
    "regisseur",
    "procesregisseur",
    "casusregisseur",
    "manager",
    "teamleider",
    "uitvoerder",
    "professional",
    "bestuurder",
    "projectleider",
    "netwerk",
    "wijkteammedewerker",
    "beleidsmedewerker",
    "ervaringsdeskundige",
    "gemeente",
    "taskforce",
)
# A role noun, optionally a compound ("jeugdregisseur", "ICR-regisseur") or plural.
_ROLE_ALTERNATION = "|".join(sorted(_ROLE_NOUNS, key=len, reverse=True))
_ROLE_NOUN = rf"(?:[^\W\d_]+-?)?(?:{_ROLE_ALTERNATION})(?:s|en|n)?\b"
_ROLE_NOUNS_PATTERN = rf"{_ROLE_NOUN}(?:\s*(?:/|\s(?:en|of)\s)\s*{_ROLE_NOUN})*"
_ROLE_ALS_RE = re.compile(rf"\bals\s+{_ROLE_NOUNS_PATTERN}", re.IGNORECASE)
_ROLE_ALS_START_RE = re.compile(rf"\s*(als\s+{_ROLE_NOUNS_PATTERN})", re.IGNORECASE)
_ROLE_BRACKET_START_RE = re.compile(r"\s*(\([^()]{1,60}\))")
_ROLE_WORD_RE = re.compile(rf"\b{_ROLE_NOUN}", re.IGNORECASE)
_MAX_BRACKET_ROLE_WORDS = 3

# Printed shared stem: "..., terwijl….." (ellipsis characters and/or dots, maybe spaces).
_SHARED_STEM_RE = re.compile(r"^(?P<head>.*\bterwijl)\s*[….][\s….]*$", re.IGNORECASE | re.DOTALL)
_STEM_TERWIJL_END_RE = re.compile(r"^(?P<head>.*\bterwijl)[\s….]*$", re.IGNORECASE | re.DOTALL)
_LEADING_TERWIJL_RE = re.compile(r"^terwijl\b", re.IGNORECASE)
_LEADING_FILLER_RE = re.compile(r"^[\s….,]+")
_TRAILING_DOTS_RE = re.compile(r"[\s….]+$")
_GOAL_TRAILING_RE = re.compile(r"(?:[\s,?.]|,?\s*\bterwijl)+$", re.IGNORECASE)

_ROMAN_NUMERALS = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


# --- Parsed question ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedQuestion:
    """A learning question split into its parts; all text fields are verbatim slices."""

    text: str
    stem: str
    person: str
    role_phrase: str
    goal: str
    barrier: str
    annotation: str
    tag: str
    hints: tuple[str, ...]

    @property
    def follows_method(self) -> bool:
        """True when the question follows the method (no hints)."""
        return not self.hints


def _normalise(text: str) -> str:
    """Strip outer whitespace and collapse inner runs of whitespace to one space."""
    return _WHITESPACE_RE.sub(" ", text).strip()


def _split_tail(text: str) -> tuple[str, str, str, bool]:
    """Split off the final "?" and what follows it: (body, annotation, tag, has_question_mark)."""
    match = _QUESTION_END_RE.search(text)
    if match is None:
        return text, "", "", False
    tail = match.group(1)
    annotation = "; ".join(part.strip() for part in _ANNOTATION_RE.findall(tail))
    tag = "; ".join(part.strip() for part in _TAG_RE.findall(tail))
    return text[: match.start()].rstrip(), annotation, tag, True


def _split_barrier(body: str) -> tuple[str, str, bool]:
    """Split the body at the first ", terwijl" (or bare " terwijl"): (goal, barrier, found)."""
    match = _TERWIJL_COMMA_RE.search(body) or _TERWIJL_BARE_RE.search(body)
    if match is None:
        return body, "", False
    return body[: match.start()], body[match.end() :].strip(), True


def _parse_stem(text: str) -> tuple[str, str, int]:
    """Return (stem, person, end of the pronoun or -1) for a text that may start with "Hoe"."""
    match = _STEM_RE.match(text)
    if match is None:
        return "", "", -1
    pronoun = match.group("pronoun")
    if pronoun is None:
        return text[: match.end()], "", -1
    end = match.end()
    prep = match.group("prep")
    if prep is not None and match.group("verb").lower() not in _PREP_VERBS[prep.lower()]:
        end = match.end("pronoun")
    person = "ik" if pronoun.lower() == "ik" else "we"
    return text[:end], person, match.end("pronoun")


def _is_bracket_role(bracket: str) -> bool:
    """True for a short bracketed role such as "(ICR)"."""
    inner = bracket[1:-1]
    return len(inner.split()) <= _MAX_BRACKET_ROLE_WORDS and _ROLE_WORD_RE.search(inner) is not None


def _find_role_phrase(text: str, goal: str, stem: str, pronoun_end: int) -> str:
    """Find a role phrase right after the pronoun, or "als <role>" later in the goal."""
    if pronoun_end >= 0:
        after = text[pronoun_end:]
        match = _ROLE_ALS_START_RE.match(after)
        if match:
            return match.group(1)
        match = _ROLE_BRACKET_START_RE.match(after)
        if match and _is_bracket_role(match.group(1)):
            return match.group(1)
    match = _ROLE_ALS_RE.search(goal, len(stem))
    return match.group(0) if match else ""


def _hints(
    stem: str, terwijl_count: int, found_terwijl: bool, barrier: str, has_question_mark: bool
) -> tuple[str, ...]:
    """Collect the friendly hints for a question that departs from the method."""
    hints: list[str] = []
    if not stem:
        hints.append(_HINT_NO_HOE)
    if not found_terwijl:
        hints.append(_HINT_NO_TERWIJL)
    elif terwijl_count > 1:
        hints.append(_HINT_MANY_TERWIJL)
    if not has_question_mark:
        hints.append(_HINT_NO_QUESTION_MARK)
    if found_terwijl and len(barrier.split()) < _MIN_BARRIER_WORDS:
        hints.append(_HINT_SHORT_BARRIER)
    return tuple(hints)


@functools.lru_cache(maxsize=4096)
def parse_question(text: str) -> ParsedQuestion:
    """Split a learning question into stem, person, role phrase, goal, barrier and extras.

    The result is immutable and depends on the text alone, so it is kept for the 4,096
    texts asked last (about 1 KB each): a concept version's page asks it for every question
    on every view, and each change to the version shows the whole list again."""
    text = _normalise(text)
    body, annotation, tag, has_question_mark = _split_tail(text)
    goal, barrier, found_terwijl = _split_barrier(body)
    stem, person, pronoun_end = _parse_stem(text)
    role_phrase = _find_role_phrase(text, goal, stem, pronoun_end)
    terwijl_count = len(_TERWIJL_WORD_RE.findall(body))
    return ParsedQuestion(
        text=text,
        stem=stem,
        person=person,
        role_phrase=role_phrase,
        goal=goal,
        barrier=barrier,
        annotation=annotation,
        tag=tag,
        hints=_hints(stem, terwijl_count, found_terwijl, barrier, has_question_mark),
    )


# --- Composing and shared stems ----------------------------------------------------------------


def _clean_barrier_input(barrier: str) -> str:
    """Drop leading "terwijl", commas, dots and ellipses typed before the barrier."""
    previous = None
    while barrier != previous:
        previous = barrier
        barrier = _LEADING_FILLER_RE.sub("", barrier)
        barrier = _LEADING_TERWIJL_RE.sub("", barrier)
    return barrier.strip()


def compose_question(goal: str, barrier: str) -> str:
    """Join a goal and a barrier into "<goal>, terwijl <barrier>?" ("" without a goal)."""
    goal = _GOAL_TRAILING_RE.sub("", goal.strip())
    if not goal:
        return ""
    barrier = _clean_barrier_input(barrier.strip())
    if _QUESTION_END_RE.search(barrier) and not barrier.endswith("?"):
        # The barrier already ends in "? (annotation)" or "? [tag]": keep it as typed.
        return f"{goal}, terwijl {barrier}"
    barrier = barrier.rstrip("? ").rstrip()
    if not barrier:
        return f"{goal}?"
    return f"{goal}, terwijl {barrier}?"


def is_shared_stem(line: str) -> bool:
    """True for a printed shared stem ending in "terwijl" plus only dots/ellipses."""
    return _SHARED_STEM_RE.match(line.strip()) is not None


def expand_shared_stem(stem: str, completion: str) -> str:
    """Join a printed shared stem ("..., terwijl…..") and a completion ("… ik ...?")."""
    stem = stem.strip()
    completion = _LEADING_FILLER_RE.sub("", completion.strip())
    match = _STEM_TERWIJL_END_RE.match(stem)
    if match:
        head = match.group("head")
        completion = _clean_barrier_input(completion)
    else:
        head = _TRAILING_DOTS_RE.sub("", stem)
    return " ".join(part for part in (head, completion) if part)


# --- Labels ------------------------------------------------------------------------------------


def roman_label(n: int) -> str:
    """Lower-case roman numeral for a sub-question: 1 -> "i", 4 -> "iv", 9 -> "ix"."""
    if n < 1:
        raise ValueError(f"roman_label needs n >= 1, got {n}")
    parts: list[str] = []
    for value, numeral in _ROMAN_NUMERALS:
        count, n = divmod(n, value)
        parts.append(numeral * count)
    return "".join(parts)


def letter_label(n: int) -> str:
    """Spreadsheet-style letter label: 1 -> "A", 26 -> "Z", 27 -> "AA", 28 -> "AB"."""
    if n < 1:
        raise ValueError(f"letter_label needs n >= 1, got {n}")
    letters: list[str] = []
    while n > 0:
        n, remainder = divmod(n - 1, 26)
        letters.append(chr(ord("A") + remainder))
    return "".join(reversed(letters))
