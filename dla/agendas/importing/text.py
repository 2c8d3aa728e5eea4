"""The text side of the importer: what it gives back (:class:`ParsedDocument`,
:class:`ImportedQuestion`, :class:`DocumentError` with its Dutch messages), how pasted or
uploaded text is cleaned, and what a line of a DLA document looks like (labels, metadata,
dates, version lines), with the small helpers the parser and the Word bridge share.

The text is kept verbatim (typographic quotes, "…", real hyphens, grammar slips). Only what the
medium added is undone: line-break hyphenation from PDFs ("organi-" + "saties"), non-breaking
spaces, trailing spaces and Windows line endings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from dla.agendas import wordfile
from dla.agendas.parsing import (
    ParsedQuestion,
    letter_label,
)
from dla.dates import MONTH_ABBREVIATIONS, MONTHS

MAX_TEXT_LENGTH = 200_000
MAX_QUESTIONS = 500

# --- Messages (plain Dutch, B1) ----------------------------------------------------------------

MSG_EMPTY = "De tekst is leeg. Plak de leeragenda in het tekstvak."
MSG_NO_QUESTIONS = (
    "We vonden geen leervragen. Een vraag begint met een letter of cijfer, zoals \u2018A.\u2019 "
    "of \u20181.\u2019."
)
MSG_TOO_LONG = (
    "De tekst is te lang: meer dan 200.000 tekens. Plak alleen de leeragenda, "
    "zonder de rest van het verslag."
)
MSG_TOO_MANY = (
    "De tekst heeft meer dan 500 leervragen. Dat is te veel voor één leeragenda. "
    "Splits de tekst in kleinere delen."
)
MSG_UNREADABLE = (
    "Dit bestand kunnen we niet lezen. Sla het op als tekst (UTF-8) of als Word-bestand (.docx)."
)
MSG_NOT_DOCX = wordfile.MSG_NOT_DOCX
MSG_DOCX_TOO_BIG = wordfile.MSG_DOCX_TOO_BIG
MSG_DOCX_NO_TEXT = wordfile.MSG_DOCX_NO_TEXT
MSG_DOCX_TOO_LONG = (
    "Dit Word-bestand is te lang: meer dan 200.000 tekens. Zet alleen de leeragenda in het "
    "bestand, zonder de rest van het verslag."
)
MSG_DOCX_EMPTY = (
    "Dit Word-bestand bevat geen tekst. Kies het Word-bestand waarin de leeragenda staat."
)
MSG_FILE_EMPTY = (
    "Het gekozen bestand is leeg: er staat niets in. Kies het Word-bestand waarin de "
    "leeragenda staat."
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

MAX_WARNINGS = 25


class DocumentError(ValueError):
    """The document cannot be imported; ``message`` is a Dutch text for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- Result types ------------------------------------------------------------------------------


@dataclass
class ImportedQuestion:
    """One learning question as found in the document."""

    group: int  # index into ParsedDocument.groups
    label: str  # "A", "1", … as printed (labels restart per group)
    text: str  # printed text; for a shared-stem completion the completion ("… ik …?")
    shared_stem: str  # the printed stem ("Hoe kan ik …, terwijl….."), "" when none
    full_text: str  # the full question (stem expanded); what parse_question parses
    subquestions: list[str]  # texts of i., ii., … (labels not included)
    parsed: ParsedQuestion  # parse_question(full_text)
    line: int  # 1-based line number where the question starts
    # Other columns of a table row as (header, text), e.g. ("Wie", "Wethouder"); header "" when
    # the table has no header row. Shown beside the question, never part of it.
    extra: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ParsedDocument:
    """A pasted DLA document as plain data."""

    title: str = ""
    version_label: str = ""
    document_date: date | None = None
    session_date: date | None = None
    context_line: str = ""
    recipient: str = ""
    sender: str = ""
    reference: str = ""
    distribution: str = "regio"
    distribution_note: str = ""
    ambition: str = ""
    themes: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    questions: list[ImportedQuestion] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Header lines shown in the preview but never saved, such as ("Aanwezig", "…").
    extra_meta: list[tuple[str, str]] = field(default_factory=list)


# --- Text cleaning -----------------------------------------------------------------------------

_LINE_BREAKS_RE = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_SPACES_RE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE_RE = re.compile("[\u200b\u200d\u2060\ufeff]")
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_SOFT_HYPHEN_INSIDE_RE = re.compile("\u00ad(?!\n|$)")
_JUNK_CHAR_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffd\ud800-\udfff]")
_JUNK_RATIO = 0.1


def normalise_text(text: str) -> str:
    """Unify line endings and spaces, drop control characters and trailing spaces."""
    text = _LINE_BREAKS_RE.sub("\n", text)
    text = _SPACES_RE.sub(" ", text)
    text = _INVISIBLE_RE.sub("", text)
    text = _CONTROL_RE.sub("", text)
    text = _SOFT_HYPHEN_INSIDE_RE.sub("", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _looks_binary(text: str) -> bool:
    """True for NUL bytes or a high share of control/replacement characters."""
    if "\x00" in text:
        return True
    if not text:
        return False
    return len(_JUNK_CHAR_RE.findall(text)) > _JUNK_RATIO * len(text)


def _decode(data: bytes) -> str:
    """Decode bytes: UTF-16 with a BOM, else UTF-8 (with or without BOM), else cp1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise DocumentError(MSG_UNREADABLE) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def clean_text(raw: bytes | str) -> str:
    """Decode (when bytes) and normalise a text file or pasted text.

    Bytes are read as UTF-8 (with or without BOM), as UTF-16 when they start with a BOM, and
    else as cp1252. Binary junk raises :class:`DocumentError`. Line endings become ``\\n``,
    non-breaking spaces become spaces and trailing spaces are removed. Typographic quotes, "…"
    and hyphens are kept.
    """
    if isinstance(raw, bytes | bytearray | memoryview):
        text = _decode(bytes(raw))
    else:
        text = str(raw)
    if _looks_binary(text):
        raise DocumentError(MSG_UNREADABLE)
    return normalise_text(text)


# --- Line patterns -----------------------------------------------------------------------------

ROMAN = r"(?=[ivx])(?:x{0,3}(?:ix|iv|v?i{0,3}))"
ITEM_RE = re.compile(r"^(?P<label>[A-Z]{1,2}|[0-9]{1,3})[.)](?:\s+(?P<text>.*))?$")
SUB_RE = re.compile(rf"^(?P<label>{ROMAN})[.)](?:\s+(?P<text>.*))?$")
# "a." under a question labelled "1." or "A.": a lettered sub-question
LETTER_SUB_RE = re.compile(r"^(?P<label>[a-z])[.)](?:\s+(?P<text>.*))?$")
META_RE = re.compile(
    r"^(?P<key>aan|van|datum|verspreiden|verspreiding|kenmerk|versie|onderwerp|betreft|cc|"
    r"aanwezig|aanwezigen|afwezig|afwezigen|deelnemers|afgemeld|notulist|notulen|voorzitter)"
    r"[ ]*(?::|\t)[ \t]*(?P<value>.*)$",
    re.IGNORECASE,
)
META_SPACE_RE = re.compile(
    r"^(?:(?P<key>versie)\s+(?P<value>[0-9][0-9.]*)|(?P<datekey>datum)\s+(?P<datevalue>[0-9].*))$",
    re.IGNORECASE,
)
CONTEXT_RE = re.compile(r"^(?:naar aanleiding van|n\.a\.v\.|op basis van)\s", re.IGNORECASE)
THEMES_RE = re.compile(r"^thema(?:['\u2019\u2018`]?s)?\s*:\s*(?P<rest>.*)$", re.IGNORECASE)
BULLET_RE = re.compile(r"^[•◦▪▫●○■□‣⁃∙·\-*–—]\s*")
LIST_SPLIT_RE = re.compile(r"\s*[,;]\s*")
ELLIPSIS_START = ("…", "...")
QUESTION_END_RE = re.compile(r"\?(?:\s*(?:\([^()]*\)|\[[^\[\]]*\]))*\s*$")
BRACKETS_ONLY_RE = re.compile(r"^(?:\s*(?:\([^()]*\)|\[[^\[\]]*\]))+\s*$")
SENTENCE_END_RE = re.compile(r"[.!?…](?:\s*(?:\([^()]*\)|\[[^\[\]]*\]))*\s*$")
_HEADING_END_CHARS = ".,;:!?…"
_WHITESPACE_RE = re.compile(r"\s+")
TERWIJL_RE = re.compile(r"\bterwijl\b", re.IGNORECASE)
MAX_HEADING_LENGTH = 150
MAX_THEME_LENGTH = 100
MAX_STEM_LENGTH = 1_000
_JOIN_KEEP_HYPHEN_WORDS = ("en", "of")

# --- Dates -------------------------------------------------------------------------------------

# Month names and their abbreviations (Babel's Dutch locale data), plus "sept".
_MONTHS = {
    **{name: number for number, name in enumerate(MONTHS, start=1)},
    **{name: number for number, name in enumerate(MONTH_ABBREVIATIONS, start=1)},
    "sept": 9,
}
_MONTH_ALTERNATION = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_RES = (
    # 24-02-2020, 24/02/2020, 24.02.2020
    (re.compile(r"(?<![0-9])([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})(?![0-9])"), "dmy"),
    # 31 januari 2020, 31 jan. 2020
    (
        re.compile(
            rf"(?<![0-9])([0-9]{{1,2}})\s+({_MONTH_ALTERNATION})\b\.?\s+([0-9]{{4}})(?![0-9])",
            re.IGNORECASE,
        ),
        "dMy",
    ),
    # 2020-02-24
    (re.compile(r"(?<![0-9])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9])"), "ymd"),
)


def find_date(text: str) -> date | None:
    """The first valid date in ``text`` (DD-MM-YYYY, "31 januari 2020" or YYYY-MM-DD)."""
    found = _find_date_at(text)
    return found[1] if found else None


def _find_date_at(text: str) -> tuple[int, date] | None:
    """The first valid date in ``text`` and where it starts."""
    found: list[tuple[int, date]] = []
    for pattern, order in _DATE_RES:
        for match in pattern.finditer(text):
            first, second, third = match.groups()
            try:
                if order == "dmy":
                    value = date(int(third), int(second), int(first))
                elif order == "dMy":
                    value = date(int(third), _MONTHS[second.lower()], int(first))
                else:
                    value = date(int(first), int(second), int(third))
            except (ValueError, KeyError):
                continue
            found.append((match.start(), value))
            break
    return min(found) if found else None


_VERSION_WORD_RE = re.compile(r"(?:^|(?<=[\s(\[,;:|\u2013\u2014-]))versie\b\s*:?\s*", re.IGNORECASE)
_VERSION_LABEL_RE = re.compile(r"^(?:nr\.?\s*)?(?P<label>[0-9]{1,3}(?:\.[0-9]{1,3})?)(?![0-9./-])")
_TITLE_TRIM = " \t,;:|([\u2013\u2014-"


def split_version(text: str) -> tuple[str, str, date | None] | None:
    """Split "Leeragenda X – versie 3, 12 maart 2024" into (text before, "3", date).

    None when "versie" is not followed by a version number or a date.
    """
    match = _VERSION_WORD_RE.search(text)
    if match is None:
        return None
    rest = text[match.end() :]
    dated = _find_date_at(rest)
    label_match = _VERSION_LABEL_RE.match(rest)
    label = ""
    if label_match is not None and not (dated is not None and dated[0] == 0):
        label = label_match["label"]
    if not label and dated is None:
        return None
    return text[: match.start()].rstrip(_TITLE_TRIM), label, dated[1] if dated else None


# --- Small helpers -----------------------------------------------------------------------------


def collapse(text: str) -> str:
    """Collapse runs of whitespace to one space and strip."""
    return _WHITESPACE_RE.sub(" ", text).strip()


def snippet(text: str, length: int = 60) -> str:
    """A short quote of ``text`` for a warning."""
    text = collapse(text)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def next_label(label: str) -> str:
    """The label after ``label``: "A" -> "B", "Z" -> "AA", "3" -> "4"."""
    if label.isdigit():
        return str(int(label) + 1)
    number = 0
    for char in label:
        number = number * 26 + (ord(char) - ord("A") + 1)
    return letter_label(number + 1)


def first_label(label: str) -> str:
    """The label a list of this kind starts with: "1" or "A"."""
    return "1" if label.isdigit() else "A"


def tail(parts: list[str], length: int = 400) -> str:
    """The last parts joined with spaces, at least ``length`` characters when available."""
    picked: list[str] = []
    size = 0
    for part in reversed(parts):
        picked.append(part)
        size += len(part) + 1
        if size >= length:
            break
    return " ".join(reversed(picked))


def looks_like_question(text: str) -> bool:
    """True for text with "terwijl", or a "Hoe …?" sentence: a question without a label."""
    return TERWIJL_RE.search(text) is not None or (
        text.endswith("?") and text[:4].lower().startswith("hoe")
    )


def is_heading_like(line: str) -> bool:
    """A short line without closing punctuation, such as a section heading."""
    return len(line) <= MAX_HEADING_LENGTH and not line.endswith(tuple(_HEADING_END_CHARS))


def _plain(hint: Hint | None) -> bool:
    """True for a line whose role Word does not tell (no list item, heading or table row)."""
    return hint is None or hint.kind == "paragraph"


def dehyphenate(lines: list[HintedLine]) -> list[HintedLine]:
    """Join PDF line-break hyphenation; lines are (line number, stripped text, hint).

    A line ending in a lower-case letter + "-" (or a soft hyphen) is joined with the next
    non-blank line when that one starts with a lower-case letter: "organi-" + "saties" ->
    "organisaties". Blank lines in between are dropped. When the next line starts with "en"
    or "of" ("Zorg-" + "en Veiligheidshuis") the hyphen is real and is kept with a space.
    After an upper-case letter ("ICR-" + "regisseur") the hyphen is kept without a space.
    A line that Word marks as a list item or heading (a hint) is never joined to the one above.
    """
    result: list[HintedLine] = []
    index = 0
    count = len(lines)
    while index < count:
        number, text, hint = lines[index]
        index += 1
        pieces: list[str] = []
        while text.endswith(("-", "\u00ad")) and len(text) >= 2 and text[-2].isalpha():
            look = index
            while look < count and not lines[look][1] and _plain(lines[look][2]):
                look += 1
            if look >= count or not _plain(lines[look][2]):
                break
            following = lines[look][1]
            soft = text.endswith("\u00ad")
            if not soft and (
                not following[:1].islower()
                or SUB_RE.match(following)
                or LETTER_SUB_RE.match(following)
            ):
                break
            first_word = following.split(" ", 1)[0]
            if soft:
                pieces.append(text[:-1])
            elif first_word in _JOIN_KEEP_HYPHEN_WORDS:
                pieces.append(text + " ")
            elif text[-2].isupper():
                pieces.append(text)
            else:
                pieces.append(text[:-1])
            text = following
            index = look + 1
        pieces.append(text)
        result.append((number, "".join(pieces).replace("\u00ad", ""), hint))
    return result


# --- The document parser -----------------------------------------------------------------------


@dataclass
class Hint:
    """What Word's structure says about a line: the parser trusts it over the text's shape."""

    # "item", "sub", "group", "heading", "subtitle", "paragraph" (a Word paragraph outside
    # lists), "text" (an item of a list without questions; label holds the list) or "warn"
    # (label holds the warning)
    kind: str
    label: str = ""
    extra: list[tuple[str, str]] = field(default_factory=list)
    numbered: bool = False  # the label is Word's own list number


HintedLine = tuple[int, str, Hint | None]
