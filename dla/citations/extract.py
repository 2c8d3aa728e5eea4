"""Find the quoted learning questions in a report text, with the source tag after each.

Evaluation reports quote learning questions in boxes or in running text, with or without
quotation marks, and put a tag in square brackets after the question mark:
"[DLA professionals, bijlage 2.4]", "[gereconstrueerd]". What counts as a quote:

* text between double quotation marks (“…”, "…", „…”, «…») that ends with a question mark
  and has at least ``MIN_WORDS`` words;
* otherwise, a sentence that starts with "Hoe" and ends with a question mark, when a tag
  follows it or it has the learning question's "terwijl" (a report's own questions, such as
  "Hoe kan de regio dit verbeteren?", are no quotes).

A tag is a bracketed text right after the quote (an annotation in brackets, such as
"(planning)", may stand between them). Pure standard library: no Flask, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MIN_WORDS", "Quote", "Tag", "find_quotes", "parse_tag"]

MIN_WORDS = 6
MAX_QUOTE = 1200

_OPEN_CLOSE = {"“": "”", '"': '"', "„": "”", "«": "»"}
_QUOTED = re.compile(
    r"(?P<open>[“\"„«])\s*(?P<q>[^“”\"„«»]{10," + str(MAX_QUOTE) + r"}?\?)\s*(?P<close>[”\"»])"
)
# "Hoe" at the start of a sentence, a line, after a colon or a bullet; no blank line inside.
_HOE = re.compile(r"\bHoe\s")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SENTENCE_START = set("\n.!?:;(•-–*\t")
_AFTER = re.compile(
    r"\s*(?:\((?P<annotation>[^()\n]{1,80})\)\s*)?(?P<tag>\[(?P<body>[^\[\]\n]{1,200})\])"
)
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+", re.UNICODE)
_REFERENCE = re.compile(
    r"\b(?P<ref>(?:bijlage|appendix|annex|bijl\.)\s*[0-9]+(?:[.\-][0-9A-Za-z]+)*)", re.IGNORECASE
)
# Tags that name where a quote comes from without pointing at an agenda: no claim to check.
NO_CLAIM_WORDS = ("gereconstrueerd", "interview", "observatie", "eigen bewerking", "parafrase")
_AGENDA_WORDS = re.compile(r"\b(dla|leeragenda|agenda|dynamische)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Tag:
    """A source tag as written, split into its claim: an agenda description and/or an
    appendix reference. ``claims`` is False for tags such as "[gereconstrueerd]"."""

    written: str  # with the brackets
    descriptor: str = ""  # "DLA professionals"
    reference: str = ""  # "bijlage 2.4", normalised (lower case, single spaces)

    @property
    def claims(self) -> bool:
        return bool(self.reference or self.descriptor)


@dataclass(frozen=True)
class Quote:
    text: str  # the quoted question, whitespace collapsed
    tag: Tag | None
    start: int  # offsets in the text searched
    end: int
    quoted: bool  # between quotation marks


def normalise_reference(text: str) -> str:
    text = _SPACES.sub(" ", text.strip().lower()).replace("bijl.", "bijlage")
    return re.sub(r"(bijlage|appendix|annex)\s*", r"\1 ", text).strip()


def parse_tag(written: str) -> Tag:
    """Split "[DLA professionals, bijlage 2.4]" into its descriptor and reference."""
    body = written.strip().removeprefix("[").removesuffix("]").strip()
    found = _REFERENCE.search(body)
    reference = normalise_reference(found.group("ref")) if found else ""
    rest = (body[: found.start()] + body[found.end() :]) if found else body
    descriptor = _SPACES.sub(" ", rest.replace(",", " ").replace(";", " ")).strip(" -–:")
    lowered = descriptor.lower()
    if not _AGENDA_WORDS.search(descriptor) and (
        any(word in lowered for word in NO_CLAIM_WORDS) or not reference
    ):
        # "[gereconstrueerd]", "[interview teamleider]": says how, not which agenda.
        descriptor = ""
    written = _SPACES.sub(" ", written.strip())
    return Tag(written=written, descriptor=descriptor, reference=reference)


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _tag_after(text: str, end: int) -> tuple[Tag | None, int]:
    found = _AFTER.match(text, end)
    if found is None:
        return None, end
    return parse_tag(found.group("tag")), found.end()


def _starts_sentence(text: str, start: int) -> bool:
    index = start - 1
    while index >= 0 and text[index] == " ":
        index -= 1
    return index < 0 or text[index] in _SENTENCE_START


def _bare_questions(text: str, taken: list[tuple[int, int]]):
    """(start, end) of questions outside quotation marks: per stretch of text that ends in
    a "?", the first "Hoe" that starts a sentence after the stretch's last blank line, at
    most ``MAX_QUOTE`` characters before the "?". Linear in the text's length."""
    previous = 0
    for mark in re.finditer(r"\?", text):
        end = mark.end()
        base = previous
        for blank in _BLANK_LINE.finditer(text, previous, end):
            base = blank.end()
        previous = end
        for hoe in _HOE.finditer(text, max(base, end - MAX_QUOTE - 1), end):
            start = hoe.start()
            if any(a <= start < b for a, b in taken) or not _starts_sentence(text, start):
                continue
            yield start, end
            break


def find_quotes(text: str) -> list[Quote]:
    """Every quoted learning question in ``text``, in order, with the tag after it."""
    text = text.replace("\u00a0", " ").replace("\r\n", "\n").replace("\r", "\n")
    found: list[Quote] = []
    taken: list[tuple[int, int]] = []
    for match in _QUOTED.finditer(text):
        question = _clean(match.group("q"))
        if len(_WORD.findall(question)) < MIN_WORDS:
            continue
        if _OPEN_CLOSE[match.group("open")] != match.group("close") and match.group("open") != "„":
            continue
        tag, end = _tag_after(text, match.end())
        found.append(Quote(question, tag, match.start(), end, True))
        taken.append((match.start(), end))
    for start, stop in _bare_questions(text, taken):
        question = _clean(text[start:stop])
        tag, end = _tag_after(text, stop)
        if len(_WORD.findall(question)) < MIN_WORDS:
            continue
        if tag is None and "terwijl" not in question.lower():
            continue
        found.append(Quote(question, tag, start, end, False))
    found.sort(key=lambda quote: quote.start)
    return found
