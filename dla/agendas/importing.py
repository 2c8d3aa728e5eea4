"""Import a pasted Dynamic Learning Agenda (DLA) document into plain data.

A user pastes an agenda from Word or a PDF, or uploads a text or .docx file. This module turns
that text into a :class:`ParsedDocument`: metadata (title, version, dates, memo header, themes,
ambition), groups and lettered or numbered questions with their sub-questions. Each question is
split by :func:`dla.agendas.parsing.parse_question`.

The text is kept verbatim (typographic quotes, "…", real hyphens, grammar slips). Only what the
medium added is undone: line-break hyphenation from PDFs ("organi-" + "saties"), non-breaking
spaces, trailing spaces and Windows line endings.

Standard library and ``defusedxml`` (``dla.safexml``): no Flask, no database.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from xml.etree import ElementTree

from dla.agendas.parsing import (
    ParsedQuestion,
    expand_shared_stem,
    is_shared_stem,
    letter_label,
    parse_question,
    roman_label,
)
from dla.safexml import UnsafeXML, safe_xml_parse

__all__ = [
    "MAX_QUESTIONS",
    "MAX_TEXT_LENGTH",
    "DocumentError",
    "ImportedQuestion",
    "ParsedDocument",
    "clean_text",
    "docx_text",
    "parse_document",
]

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
MSG_NOT_DOCX = "Dit is geen Word-bestand (.docx)."
MSG_DOCX_TOO_BIG = "Dit Word-bestand is te groot of beschadigd."
MSG_DOCX_NO_TEXT = (
    "In dit Word-bestand vonden we geen tekst (word/document.xml ontbreekt). "
    "Sla het opnieuw op als Word-bestand (.docx)."
)

_MAX_WARNINGS = 25


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


# --- Text cleaning -----------------------------------------------------------------------------

_LINE_BREAKS_RE = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_SPACES_RE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE_RE = re.compile("[\u200b\u200d\u2060\ufeff]")
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_SOFT_HYPHEN_INSIDE_RE = re.compile("\u00ad(?!\n|$)")
_JUNK_CHAR_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffd\ud800-\udfff]")
_JUNK_RATIO = 0.1


def _normalise_text(text: str) -> str:
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
    return _normalise_text(text)


# --- Line patterns -----------------------------------------------------------------------------

_ROMAN = r"(?=[ivx])(?:x{0,3}(?:ix|iv|v?i{0,3}))"
_ITEM_RE = re.compile(r"^(?P<label>[A-Z]{1,2}|[0-9]{1,3})[.)](?:\s+(?P<text>.*))?$")
_SUB_RE = re.compile(rf"^(?P<label>{_ROMAN})[.)](?:\s+(?P<text>.*))?$")
_META_RE = re.compile(
    r"^(?P<key>aan|van|datum|verspreiden|verspreiding|kenmerk|versie|onderwerp|betreft|cc)"
    r"[ ]*(?::|\t)[ \t]*(?P<value>.*)$",
    re.IGNORECASE,
)
_META_SPACE_RE = re.compile(
    r"^(?:(?P<key>versie)\s+(?P<value>[0-9][0-9.]*)|(?P<datekey>datum)\s+(?P<datevalue>[0-9].*))$",
    re.IGNORECASE,
)
_CONTEXT_RE = re.compile(r"^(?:naar aanleiding van|n\.a\.v\.|op basis van)\s", re.IGNORECASE)
_THEMES_RE = re.compile(r"^thema(?:['\u2019\u2018`]?s)?\s*:\s*(?P<rest>.*)$", re.IGNORECASE)
_BULLET_RE = re.compile(r"^[•◦▪▫●○■□‣⁃∙·\-*–—]\s*")
_LIST_SPLIT_RE = re.compile(r"\s*[,;]\s*")
_ELLIPSIS_START = ("…", "...")
_QUESTION_END_RE = re.compile(r"\?(?:\s*(?:\([^()]*\)|\[[^\[\]]*\]))*\s*$")
_BRACKETS_ONLY_RE = re.compile(r"^(?:\s*(?:\([^()]*\)|\[[^\[\]]*\]))+\s*$")
_SENTENCE_END_RE = re.compile(r"[.!?…](?:\s*(?:\([^()]*\)|\[[^\[\]]*\]))*\s*$")
_HEADING_END_CHARS = ".,;:!?…"
_WHITESPACE_RE = re.compile(r"\s+")
_TERWIJL_RE = re.compile(r"\bterwijl\b", re.IGNORECASE)
_MAX_HEADING_LENGTH = 150
_MAX_THEME_LENGTH = 100
_MAX_STEM_LENGTH = 1_000
_JOIN_KEEP_HYPHEN_WORDS = ("en", "of")

# --- Dates -------------------------------------------------------------------------------------

_MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "maart": 3,
    "mrt": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augustus": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
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


def _find_date(text: str) -> date | None:
    """The first valid date in ``text`` (DD-MM-YYYY, "31 januari 2020" or YYYY-MM-DD)."""
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
    return min(found)[1] if found else None


# --- Small helpers -----------------------------------------------------------------------------


def _collapse(text: str) -> str:
    """Collapse runs of whitespace to one space and strip."""
    return _WHITESPACE_RE.sub(" ", text).strip()


def _snippet(text: str, length: int = 60) -> str:
    """A short quote of ``text`` for a warning."""
    text = _collapse(text)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _next_label(label: str) -> str:
    """The label after ``label``: "A" -> "B", "Z" -> "AA", "3" -> "4"."""
    if label.isdigit():
        return str(int(label) + 1)
    number = 0
    for char in label:
        number = number * 26 + (ord(char) - ord("A") + 1)
    return letter_label(number + 1)


def _first_label(label: str) -> str:
    """The label a list of this kind starts with: "1" or "A"."""
    return "1" if label.isdigit() else "A"


def _tail(parts: list[str], length: int = 400) -> str:
    """The last parts joined with spaces, at least ``length`` characters when available."""
    picked: list[str] = []
    size = 0
    for part in reversed(parts):
        picked.append(part)
        size += len(part) + 1
        if size >= length:
            break
    return " ".join(reversed(picked))


def _looks_like_question(text: str) -> bool:
    """True for text with "terwijl", or a "Hoe …?" sentence: a question without a label."""
    return _TERWIJL_RE.search(text) is not None or (
        text.endswith("?") and text[:4].lower().startswith("hoe")
    )


def _is_heading_like(line: str) -> bool:
    """A short line without closing punctuation, such as a section heading."""
    return len(line) <= _MAX_HEADING_LENGTH and not line.endswith(tuple(_HEADING_END_CHARS))


def _dehyphenate(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Join PDF line-break hyphenation; lines are (line number, stripped text).

    A line ending in a lower-case letter + "-" (or a soft hyphen) is joined with the next
    non-blank line when that one starts with a lower-case letter: "organi-" + "saties" ->
    "organisaties". Blank lines in between are dropped. When the next line starts with "en"
    or "of" ("Zorg-" + "en Veiligheidshuis") the hyphen is real and is kept with a space.
    After an upper-case letter ("ICR-" + "regisseur") the hyphen is kept without a space.
    """
    result: list[tuple[int, str]] = []
    index = 0
    count = len(lines)
    while index < count:
        number, text = lines[index]
        index += 1
        pieces: list[str] = []
        while text.endswith(("-", "\u00ad")) and len(text) >= 2 and text[-2].isalpha():
            look = index
            while look < count and not lines[look][1]:
                look += 1
            if look >= count:
                break
            following = lines[look][1]
            soft = text.endswith("\u00ad")
            if not soft and (not following[:1].islower() or _SUB_RE.match(following)):
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
        result.append((number, "".join(pieces).replace("\u00ad", "")))
    return result


# --- The document parser -----------------------------------------------------------------------


@dataclass
class _Draft:
    """A question while its lines are being collected."""

    group: int
    label: str
    line: int
    stem: str
    parts: list[str] = field(default_factory=list)
    subquestions: list[list[str]] = field(default_factory=list)

    def target(self) -> list[str]:
        """The parts that a continuation line extends: the last sub-question or the question."""
        return self.subquestions[-1] if self.subquestions else self.parts


class _Parser:
    """A line-by-line state machine; see :func:`parse_document`."""

    def __init__(self) -> None:
        self.doc = ParsedDocument()
        self.warnings: list[str] = []
        self.group_index: int | None = None
        self.draft: _Draft | None = None
        self.open = False  # continuation lines extend the draft
        self.blank_pending = False  # a blank line was seen inside the open draft
        self.title_lines: list[str] = []
        self.title_done = False
        self.loose: list[tuple[int, str]] = []
        self.pending_heading = ""
        self.last_heading = ""
        self.themes_mode = False
        self.themes_in_block = 0
        self.shared_stem = ""
        self.seen_meta: dict[str, str] = {}

    # --- Warnings ---

    def warn(self, message: str) -> None:
        """Add a warning for the user."""
        self.warnings.append(message)

    # --- Driving ---

    def run(self, lines: list[tuple[int, str]]) -> ParsedDocument:
        """Parse all lines and return the document."""
        for number, line in lines:
            if line:
                self.line(number, line)
            else:
                self.blank()
        self.end_structure()
        return self.finish()

    def blank(self) -> None:
        """Handle an empty line."""
        if self.title_lines:
            self.title_done = True
        self.flush_loose()
        if self.themes_mode and self.themes_in_block:
            self.themes_mode = False
        if self.draft is not None and self.open:
            if _QUESTION_END_RE.search(_tail(self.draft.target())):
                self.open = False
            else:
                self.blank_pending = True

    def line(self, number: int, line: str) -> None:
        """Handle a non-empty line (already stripped)."""
        if self.handle_item(number, line) or self.handle_sub(number, line):
            return
        if self.handle_meta(line) or self.handle_context(line) or self.handle_themes(line):
            return
        if self.handle_stem(line) or self.handle_colon_heading(line):
            return
        if self.continue_draft(line):
            return
        if self.themes_mode and self.add_theme_line(line):
            return
        self.themes_mode = False
        if not self.title_done and not self.loose and not _looks_like_question(line):
            self.title_lines.append(line)
            return
        self.title_done = True
        self.loose.append((number, line))

    # --- Structure ---

    def start_structure(self) -> None:
        """A structural line ends the title, loose text, themes and the open question."""
        self.title_done = True
        self.flush_loose()
        self.themes_mode = False
        self.open = False
        self.blank_pending = False

    def end_structure(self) -> None:
        """Close everything: the loose paragraph and the current question."""
        self.flush_loose()
        self.finish_draft()

    def handle_item(self, number: int, line: str) -> bool:
        """A lettered or numbered line starts a question (or, ending in ":", a group)."""
        match = _ITEM_RE.match(line)
        if match is None:
            return False
        text = match["text"] or ""
        if text.endswith(":") and "?" not in text and not _TERWIJL_RE.search(text):
            self.start_group(text[:-1].strip())
            return True
        self.start_structure()
        heading = self.pending_heading
        self.finish_draft()
        if heading:
            self.start_group(heading)
        if self.group_index is None:
            self.doc.groups.append("")
            self.group_index = len(self.doc.groups) - 1
        self.draft = _Draft(
            group=self.group_index, label=match["label"], line=number, stem=self.shared_stem
        )
        if text:
            self.draft.parts.append(text)
        self.open = True
        return True

    def handle_sub(self, number: int, line: str) -> bool:
        """A Roman-numbered line (i., ii., …) is a sub-question of the preceding question."""
        match = _SUB_RE.match(line)
        if match is None or not match["label"]:
            return False
        draft = self.draft
        self.start_structure()
        self.pending_heading = ""
        if draft is None:
            self.warn(
                f"Regel {number} is een deelvraag, maar er staat geen vraag boven. "
                "We hebben de regel overgeslagen."
            )
            return True
        draft.subquestions.append([match["text"]] if match["text"] else [])
        self.open = True
        return True

    def handle_meta(self, line: str) -> bool:
        """A memo header row or "Label: value" line (Aan, Van, Datum, Versie, …)."""
        match = _META_RE.match(line)
        if match is not None:
            printed_key, value = match["key"], _collapse(match["value"])
        else:
            match = _META_SPACE_RE.match(line)
            if match is None:
                return False
            if match["datekey"]:
                printed_key, value = match["datekey"], _collapse(match["datevalue"])
                if _find_date(value) is None:
                    return False
            else:
                printed_key, value = match["key"], match["value"]
        key = printed_key.lower()
        heading = self.pending_heading  # a sub-audience heading may carry its own date
        self.start_structure()
        self.pending_heading = heading or self.pending_heading
        if not value:
            return True
        if key in self.seen_meta:
            if self.seen_meta[key] != value:
                self.warn(
                    f"De tekst noemt meer dan één keer \u2018{printed_key}\u2019. "
                    f"We gebruiken de eerste: \u2018{self.seen_meta[key]}\u2019."
                )
            return True
        self.seen_meta[key] = value
        doc = self.doc
        if key == "aan":
            doc.recipient = value
        elif key == "van":
            doc.sender = value
        elif key == "kenmerk":
            doc.reference = value
        elif key == "versie":
            doc.version_label = value
        elif key in ("verspreiden", "verspreiding"):
            doc.distribution_note = value
            lowered = value.lower()
            if "beperkt" in lowered or re.match(r"^nee\b", lowered):
                doc.distribution = "beperkt"
        elif key == "datum":
            doc.document_date = _find_date(value)
            if doc.document_date is None:
                self.warn(
                    f"De datum \u2018{_snippet(value)}\u2019 kunnen we niet lezen. "
                    "Schrijf de datum bijvoorbeeld als 24-02-2020 of 31 januari 2020."
                )
        return True

    def handle_context(self, line: str) -> bool:
        """The context line: "Naar aanleiding van de werksessie op 21 januari 2020:"."""
        if _CONTEXT_RE.match(line) is None:
            return False
        self.start_structure()
        self.pending_heading = ""
        value = _collapse(line).rstrip(":").rstrip()
        if self.doc.context_line:
            return True
        self.doc.context_line = value
        self.doc.session_date = _find_date(value)
        return True

    def handle_themes(self, line: str) -> bool:
        """A "Thema's:" line starts a block of (bulleted) themes."""
        match = _THEMES_RE.match(line)
        if match is None:
            return False
        self.start_structure()
        self.pending_heading = ""
        self.themes_mode = True
        self.themes_in_block = 0
        rest = match["rest"].strip()
        if rest:
            for theme in _LIST_SPLIT_RE.split(rest):
                self.add_theme(theme)
        return True

    def add_theme_line(self, line: str) -> bool:
        """A line inside the themes block; False when it does not look like a theme."""
        bullet = _BULLET_RE.match(line)
        if bullet is None and (
            len(line) > _MAX_THEME_LENGTH or line.endswith("?") or _TERWIJL_RE.search(line)
        ):
            return False
        self.add_theme(line[bullet.end() :] if bullet else line)
        return True

    def add_theme(self, theme: str) -> None:
        """Add one theme (deduplicated)."""
        theme = _collapse(theme)
        if theme:
            self.themes_in_block += 1
            if theme not in self.doc.themes:
                self.doc.themes.append(theme)

    def handle_stem(self, line: str) -> bool:
        """A printed shared stem: "Hoe kan ik …, terwijl….."."""
        if not line[:4].lower().startswith("hoe") or len(line) > _MAX_STEM_LENGTH:
            return False
        if not is_shared_stem(line):
            return False
        self.start_structure()
        self.pending_heading = ""
        self.finish_draft()
        self.shared_stem = _collapse(line)
        return True

    def handle_colon_heading(self, line: str) -> bool:
        """A line ending in ":" starts a new group: "Leervragen ten aanzien van ambitie:"."""
        if not line.endswith(":") or _QUESTION_END_RE.search(line[:-1]):
            return False
        title = _collapse(line[:-1])
        if not title:
            return False
        self.start_group(title)
        return True

    def start_group(self, title: str) -> None:
        """Start a new group with this title."""
        self.start_structure()
        self.pending_heading = ""
        self.finish_draft()
        self.shared_stem = ""
        self.doc.groups.append(title)
        self.group_index = len(self.doc.groups) - 1
        self.last_heading = title

    def continue_draft(self, line: str) -> bool:
        """Append a wrapped line to the open question or sub-question."""
        if self.draft is None or not self.open:
            return False
        target = self.draft.target()
        current = _tail(target)
        if self.blank_pending:
            ended = _SENTENCE_END_RE.search(current) is not None
            # A capitalised sentence after a blank line is a new paragraph, not a wrap.
            new_paragraph = line[:1].isupper() and line.endswith((".", "!", ":"))
            if ended or new_paragraph:
                self.open = False
                self.blank_pending = False
                return False
        elif _QUESTION_END_RE.search(current) and not _BRACKETS_ONLY_RE.match(line):
            self.open = False
            return False
        self.blank_pending = False
        target.append(line)
        return True

    # --- Loose text ---

    def flush_loose(self) -> None:
        """Decide what a paragraph of loose lines is: heading, ambition or skipped text."""
        if not self.loose:
            return
        lines, self.loose = self.loose, []
        self.pending_heading = ""
        first_number, first = lines[0]
        if _is_heading_like(first) and (len(lines) == 1 or lines[1][1][:1].isupper()):
            self.last_heading = first
            lines = lines[1:]
            if not lines:
                self.pending_heading = _collapse(first)
                return
        number = lines[0][0]
        paragraph = _collapse(" ".join(text for _, text in lines))
        if _looks_like_question(paragraph):
            self.warn(
                f"Regel {number} lijkt een leervraag, maar er staat geen letter of cijfer voor: "
                f"\u2018{_snippet(paragraph)}\u2019. We hebben de regel overgeslagen. "
                "Zet er bijvoorbeeld \u2018A.\u2019 voor als het een vraag is."
            )
            return
        if (
            not self.doc.ambition
            and not self.doc.questions
            and self.draft is None
            and ("ambitie" in paragraph.lower() or "ambitie" in self.last_heading.lower())
        ):
            self.doc.ambition = paragraph
            return
        self.warn(
            f"Regel {number} hebben we overgeslagen, omdat we niet weten wat het is: "
            f"\u2018{_snippet(paragraph)}\u2019."
        )

    # --- Questions ---

    def finish_draft(self) -> None:
        """Turn the current draft into an ImportedQuestion."""
        draft, self.draft = self.draft, None
        self.open = False
        self.blank_pending = False
        if draft is None:
            return
        text = _collapse(" ".join(draft.parts))
        where = f"Vraag {draft.label} (regel {draft.line})"
        starts_with_ellipsis = text.startswith(_ELLIPSIS_START)
        if not starts_with_ellipsis:
            self.shared_stem = ""
        if not text:
            self.warn(f"{where} heeft geen tekst. We hebben de vraag overgeslagen.")
            return
        shared_stem = ""
        full_text = text
        if starts_with_ellipsis:
            if draft.stem:
                shared_stem = draft.stem
                full_text = _collapse(expand_shared_stem(draft.stem, text))
            else:
                self.warn(
                    f"{where} begint met \u2018…\u2019, maar we vonden geen gedeelde beginzin "
                    "(een zin die eindigt op \u2018terwijl…\u2019). Controleer de vraag."
                )
        subquestions = [_collapse(" ".join(parts)) for parts in draft.subquestions]
        if len(self.doc.questions) >= MAX_QUESTIONS:
            raise DocumentError(MSG_TOO_MANY)
        self.doc.questions.append(
            ImportedQuestion(
                group=draft.group,
                label=draft.label,
                text=text,
                shared_stem=shared_stem,
                full_text=full_text,
                subquestions=[sub for sub in subquestions if sub],
                parsed=parse_question(full_text),
                line=draft.line,
            )
        )

    # --- Finishing ---

    def finish(self) -> ParsedDocument:
        """Set the title, drop empty groups, check numbering and collect warnings."""
        doc = self.doc
        doc.title = _collapse(" ".join(self.title_lines))
        if not doc.questions:
            raise DocumentError(MSG_NO_QUESTIONS)
        used = sorted({question.group for question in doc.questions})
        remap = {old: new for new, old in enumerate(used)}
        doc.groups = [doc.groups[old] for old in used]
        for question in doc.questions:
            question.group = remap[question.group]
        self.check_numbering()
        if len(self.warnings) > _MAX_WARNINGS:
            extra = len(self.warnings) - _MAX_WARNINGS
            self.warnings = self.warnings[:_MAX_WARNINGS]
            self.warnings.append(f"En nog {extra} andere meldingen.")
        doc.warnings = self.warnings
        return doc

    def check_numbering(self) -> None:
        """Warn about gaps, doubles and lists that do not start at A or 1, per group."""
        doc = self.doc
        for index, title in enumerate(doc.groups):
            where = f"In de groep \u2018{title}\u2019" if title else "In de lijst met vragen"
            labels = [q.label for q in doc.questions if q.group == index]
            seen: set[str] = set()
            previous = ""
            for label in labels:
                if label in seen:
                    self.warn(
                        f"{where} komt vraag {label} meer dan één keer voor. "
                        "Controleer de nummering."
                    )
                elif not previous and label != _first_label(label):
                    self.warn(
                        f"{where} begint de eerste vraag bij {label}, niet bij "
                        f"{_first_label(label)}. Mist er een vraag?"
                    )
                elif previous and label != _next_label(previous):
                    self.warn(f"{where} komt na vraag {previous} vraag {label}. Mist er een vraag?")
                seen.add(label)
                previous = label


def parse_document(text: str) -> ParsedDocument:
    """Parse a pasted DLA document into metadata, groups and questions.

    Raises :class:`DocumentError` (with a Dutch ``message``) for empty text, text without
    questions, text longer than 200,000 characters or more than 500 questions. Any other
    oddity becomes a warning in ``ParsedDocument.warnings``.
    """
    if not isinstance(text, str):
        raise DocumentError(MSG_UNREADABLE)
    if len(text) > MAX_TEXT_LENGTH:
        raise DocumentError(MSG_TOO_LONG)
    cleaned = _normalise_text(text)
    if not cleaned.strip():
        raise DocumentError(MSG_EMPTY)
    lines = [(number, line.strip()) for number, line in enumerate(cleaned.split("\n"), 1)]
    return _Parser().run(_dehyphenate(lines))


# --- DOCX --------------------------------------------------------------------------------------

_DOCX_MAX_TOTAL = 20 * 1024 * 1024
_DOCX_MAX_RATIO = 100
_DOCX_RATIO_MIN_SIZE = 10_000
_DOCX_MAX_MEMBERS = 5_000
_DOCX_DOCUMENT = "word/document.xml"
_DOCX_NUMBERING = "word/numbering.xml"
_LABEL_START_RE = re.compile(rf"^(?:[A-Z]{{1,2}}|[0-9]{{1,3}}|{_ROMAN})[.)](?:\s|$)")
_SKIPPED_RUN_PARTS = {
    "pPr",
    "rPr",
    "del",
    "moveFrom",
    "instrText",
    "delText",
    "drawing",
    "pict",
    "object",
    "AlternateContent",
    "txbxContent",
    "footnoteReference",
    "endnoteReference",
    "sdtPr",
    "sdtEndPr",
}


def _local(tag: object) -> str:
    """The local name of an XML tag ("{ns}p" -> "p")."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _attr(element: ElementTree.Element, name: str) -> str:
    """An attribute by local name (w:val, w:ilvl …), "" when missing."""
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return ""


def _child(element: ElementTree.Element, name: str) -> ElementTree.Element | None:
    """The first child with this local name."""
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


_WRAPPERS = {"sdt", "sdtContent", "customXml", "ins", "smartTag"}


def _children_named(element: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    """Children with this local name, looking through content-control wrappers."""
    found: list[ElementTree.Element] = []
    for child in element:
        local = _local(child.tag)
        if local == name:
            found.append(child)
        elif local in _WRAPPERS:
            found.extend(_children_named(child, name))
    return found


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Read one member, never more than the size limit."""
    with archive.open(info) as handle:
        data = handle.read(_DOCX_MAX_TOTAL + 1)
    if len(data) > _DOCX_MAX_TOTAL:
        raise DocumentError(MSG_DOCX_TOO_BIG)
    return data


def _parse_xml(data: bytes) -> ElementTree.Element:
    """Parse a part of the docx; refuse DTDs (entity expansion) and broken XML."""
    try:
        return safe_xml_parse(data)
    except UnsafeXML:
        raise DocumentError(MSG_DOCX_TOO_BIG) from None


def _numbering_formats(root: ElementTree.Element | None) -> dict[tuple[str, str], str]:
    """Map (numId, ilvl) to Word's number format ("upperLetter", "decimal", "bullet", …)."""
    if root is None:
        return {}
    abstract: dict[str, dict[str, str]] = {}
    for element in root:
        if _local(element.tag) != "abstractNum":
            continue
        levels: dict[str, str] = {}
        for level in element:
            if _local(level.tag) == "lvl":
                fmt = _child(level, "numFmt")
                levels[_attr(level, "ilvl") or "0"] = _attr(fmt, "val") if fmt is not None else ""
        abstract[_attr(element, "abstractNumId")] = levels
    formats: dict[tuple[str, str], str] = {}
    for element in root:
        if _local(element.tag) != "num":
            continue
        link = _child(element, "abstractNumId")
        levels = abstract.get(_attr(link, "val") if link is not None else "", {})
        for ilvl, fmt in levels.items():
            formats[(_attr(element, "numId"), ilvl)] = fmt
    return formats


def _format_number(fmt: str, n: int) -> str:
    """The printed label for the n-th item of a Word list in this format."""
    if fmt == "bullet":
        return "•"
    if fmt == "none":
        return ""
    if fmt == "decimal":
        return f"{n}."
    if fmt == "lowerRoman":
        return f"{roman_label(n)}."
    if fmt == "upperRoman":
        return f"{roman_label(n).upper()}."
    if fmt == "lowerLetter":
        return f"{letter_label(n).lower()}."
    return f"{letter_label(n)}."


class _DocxWriter:
    """Collects the lines of a docx body."""

    def __init__(self, formats: dict[tuple[str, str], str]) -> None:
        self.formats = formats
        self.counters: dict[tuple[str, int], int] = {}
        self.lines: list[str] = []

    def body(self, element: ElementTree.Element) -> None:
        """Walk block-level content: paragraphs, tables and content controls."""
        for child in element:
            name = _local(child.tag)
            if name == "p":
                self.lines.append(self.paragraph(child))
            elif name == "tbl":
                self.table(child)
            elif name in _WRAPPERS:
                self.body(child)

    def table(self, table: ElementTree.Element) -> None:
        """One line per row: cells separated by a TAB."""
        for row in _children_named(table, "tr"):
            cells = [self.cell(cell) for cell in _children_named(row, "tc")]
            self.lines.append("\t".join(cells).rstrip())

    def cell(self, cell: ElementTree.Element) -> str:
        """The text of a table cell: its paragraphs joined with spaces."""
        texts = [self.paragraph(p, numbered=False) for p in cell.iter() if _local(p.tag) == "p"]
        return " ".join(text.replace("\n", " ").strip() for text in texts if text.strip())

    def paragraph(self, paragraph: ElementTree.Element, numbered: bool = True) -> str:
        """The text of a paragraph, with a label prefix for Word list numbering."""
        parts: list[str] = []
        self.runs(paragraph, parts)
        text = "".join(parts)
        if numbered:
            text = self.number(paragraph, text)
        return text

    def runs(self, element: ElementTree.Element, parts: list[str]) -> None:
        """Collect run text in document order."""
        for child in element:
            name = _local(child.tag)
            if name in _SKIPPED_RUN_PARTS or name == "p":
                continue
            if name == "t":
                parts.append(child.text or "")
            elif name == "tab":
                parts.append("\t")
            elif name in ("br", "cr"):
                parts.append("\n")
            elif name == "noBreakHyphen":
                parts.append("-")
            else:
                self.runs(child, parts)

    def number(self, paragraph: ElementTree.Element, text: str) -> str:
        """Prefix the list label Word would show ("A.", "1.", "•") when text has none."""
        properties = _child(paragraph, "pPr")
        num_pr = _child(properties, "numPr") if properties is not None else None
        if num_pr is None or not text.strip():
            return text
        num_element = _child(num_pr, "numId")
        level_element = _child(num_pr, "ilvl")
        num_id = _attr(num_element, "val") if num_element is not None else ""
        level_text = _attr(level_element, "val") if level_element is not None else "0"
        if not num_id or num_id == "0":
            return text
        level = int(level_text) if level_text.isdigit() and len(level_text) < 3 else 0
        count = self.counters.get((num_id, level), 0) + 1
        self.counters[(num_id, level)] = count
        for key in [key for key in self.counters if key[0] == num_id and key[1] > level]:
            del self.counters[key]
        if _LABEL_START_RE.match(text.lstrip()):
            return text
        label = _format_number(self.formats.get((num_id, str(level)), ""), count)
        return f"{label} {text.lstrip()}" if label else text


def docx_text(data: bytes) -> str:
    """Extract the text of a .docx: one paragraph per line, table rows as "cell<TAB>cell".

    Uses ``zipfile`` and ``dla.safexml``. Refuses (with :class:`DocumentError`) files that
    are no zip or no Word document, zip bombs (declared total size over 20 MB, or a member
    compressed more than 100 times) and XML with a DTD.

    Word list numbering is not stored as text. For a paragraph with ``w:numPr`` whose text
    does not start with a label, the label Word would show is added: the list format comes from
    ``word/numbering.xml`` ("decimal" -> "1.", "lowerRoman" -> "i.", "bullet" -> "•"), and
    lettered or unknown formats get "A.", "B.", … . Counting restarts per list (``numId``) and
    a deeper level restarts when a higher level continues. Start values, overrides and
    numbering set through paragraph styles are ignored.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    except Exception:  # any failure to read the zip directory means: not a docx
        raise DocumentError(MSG_NOT_DOCX) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > _DOCX_MAX_MEMBERS:
            raise DocumentError(MSG_DOCX_TOO_BIG)
        total = 0
        for info in infos:
            total += max(info.file_size, 0)
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > _DOCX_RATIO_MIN_SIZE and ratio > _DOCX_MAX_RATIO:
                raise DocumentError(MSG_DOCX_TOO_BIG)
        if total > _DOCX_MAX_TOTAL:
            raise DocumentError(MSG_DOCX_TOO_BIG)
        members = {info.filename: info for info in infos}
        if _DOCX_DOCUMENT not in members:
            if "[Content_Types].xml" not in members:
                raise DocumentError(MSG_NOT_DOCX)
            raise DocumentError(MSG_DOCX_NO_TEXT)
        try:
            document = _parse_xml(_read_member(archive, members[_DOCX_DOCUMENT]))
            numbering = None
            if _DOCX_NUMBERING in members:
                numbering = _parse_xml(_read_member(archive, members[_DOCX_NUMBERING]))
        except DocumentError:
            raise
        except Exception:  # broken, encrypted or unsupported members
            raise DocumentError(MSG_DOCX_TOO_BIG) from None
    body = _child(document, "body")
    if _local(document.tag) != "document" or body is None:
        raise DocumentError(MSG_DOCX_NO_TEXT)
    writer = _DocxWriter(_numbering_formats(numbering))
    writer.body(body)
    return "\n".join(writer.lines)
