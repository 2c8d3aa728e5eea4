"""Import a pasted Dynamic Learning Agenda (DLA) document into plain data.

A user pastes an agenda from Word or a PDF, or uploads a text or .docx file. This module turns
that text into a :class:`ParsedDocument`: metadata (title, version, dates, memo header, themes,
ambition), groups and lettered or numbered questions with their sub-questions. Each question is
split by :func:`dla.agendas.parsing.parse_question`.

The text is kept verbatim (typographic quotes, "…", real hyphens, grammar slips). Only what the
medium added is undone: line-break hyphenation from PDFs ("organi-" + "saties"), non-breaking
spaces, trailing spaces and Windows line endings.

Word files are read by :mod:`dla.agendas.wordfile`; their list numbers, headings and tables
guide the same parser (:func:`parse_docx`). Pure Python: no Flask, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from dla.agendas import wordfile, wordnumbering
from dla.agendas.parsing import (
    ParsedQuestion,
    expand_shared_stem,
    is_shared_stem,
    letter_label,
    parse_question,
)

__all__ = [
    "MAX_QUESTIONS",
    "MAX_TEXT_LENGTH",
    "DocumentError",
    "ImportedQuestion",
    "ParsedDocument",
    "clean_text",
    "docx_text",
    "parse_document",
    "parse_docx",
    "read_upload",
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
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

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
# "a." under a question labelled "1." or "A.": a lettered sub-question
_LETTER_SUB_RE = re.compile(r"^(?P<label>[a-z])[.)](?:\s+(?P<text>.*))?$")
_META_RE = re.compile(
    r"^(?P<key>aan|van|datum|verspreiden|verspreiding|kenmerk|versie|onderwerp|betreft|cc|"
    r"aanwezig|aanwezigen|afwezig|afwezigen|deelnemers|afgemeld|notulist|notulen|voorzitter)"
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


def _split_version(text: str) -> tuple[str, str, date | None] | None:
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


def _plain(hint: _Hint | None) -> bool:
    """True for a line whose role Word does not tell (no list item, heading or table row)."""
    return hint is None or hint.kind == "paragraph"


def _dehyphenate(lines: list[_Line]) -> list[_Line]:
    """Join PDF line-break hyphenation; lines are (line number, stripped text, hint).

    A line ending in a lower-case letter + "-" (or a soft hyphen) is joined with the next
    non-blank line when that one starts with a lower-case letter: "organi-" + "saties" ->
    "organisaties". Blank lines in between are dropped. When the next line starts with "en"
    or "of" ("Zorg-" + "en Veiligheidshuis") the hyphen is real and is kept with a space.
    After an upper-case letter ("ICR-" + "regisseur") the hyphen is kept without a space.
    A line that Word marks as a list item or heading (a hint) is never joined to the one above.
    """
    result: list[_Line] = []
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
                or _SUB_RE.match(following)
                or _LETTER_SUB_RE.match(following)
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
class _Hint:
    """What Word's structure says about a line: the parser trusts it over the text's shape."""

    # "item", "sub", "group", "heading", "subtitle", "paragraph" (a Word paragraph outside
    # lists), "text" (an item of a list without questions; label holds the list) or "warn"
    # (label holds the warning)
    kind: str
    label: str = ""
    extra: list[tuple[str, str]] = field(default_factory=list)
    numbered: bool = False  # the label is Word's own list number


_Line = tuple[int, str, _Hint | None]


@dataclass
class _Draft:
    """A question while its lines are being collected."""

    group: int
    label: str
    line: int
    stem: str
    parts: list[str] = field(default_factory=list)
    subquestions: list[list[str]] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)
    word_numbered: bool = False  # the label is Word's list number

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
        self.meta_list: tuple[str, str] | None = None  # (key, printed key) of an open list
        self.meta_values: list[str] = []
        self.meta_bulleted = False
        self.word_numbered: set[int] = set()  # ids of questions labelled by Word numbering
        self.skipped_list = ""  # the Word list whose items are being left out

    # --- Warnings ---

    def warn(self, message: str) -> None:
        """Add a warning for the user."""
        self.warnings.append(message)

    # --- Driving ---

    def run(self, lines: list[tuple[int, str]] | list[_Line]) -> ParsedDocument:
        """Parse all lines and return the document; a line may carry a hint from Word."""
        for number, line, *hint in lines:
            if hint and hint[0] is not None and hint[0].kind == "warn":
                self.warn(hint[0].label)
            elif line:
                self.line(number, line, hint[0] if hint else None)
            else:
                self.blank()
        self.end_structure()
        return self.finish()

    def blank(self) -> None:
        """Handle an empty line."""
        if self.title_lines:
            self.title_done = True
        self.flush_loose()
        if self.meta_list is not None:
            self.end_meta_list()
        if self.themes_mode and self.themes_in_block:
            self.themes_mode = False
        if self.draft is not None and self.open:
            if _QUESTION_END_RE.search(_tail(self.draft.target())):
                self.open = False
            else:
                self.blank_pending = True

    def line(self, number: int, line: str, hint: _Hint | None = None) -> None:
        """Handle a non-empty line (already stripped)."""
        if hint is None or hint.kind != "text":
            self.skipped_list = ""
        if hint is not None and self.hinted(number, line, hint):
            return
        if self.handle_item(number, line) or self.handle_sub(number, line):
            return
        if self.meta_list is not None and self.add_meta_value(line):
            return
        if self.handle_meta(line) or self.handle_version(line) or self.handle_context(line):
            return
        if self.handle_themes(line):
            return
        if self.handle_stem(line) or self.handle_colon_heading(line):
            return
        if self.continue_draft(line):
            return
        if self.themes_mode and self.add_theme_line(line):
            return
        self.themes_mode = False
        if hint is not None and hint.kind == "paragraph" and self.unnumbered_question(number, line):
            return
        if (
            not self.title_done
            and not self.loose
            and not _looks_like_question(line)
            and not line.endswith(".")  # a sentence is text, not a title
        ):
            self.title_lines.append(line)
            return
        self.title_done = True
        self.loose.append((number, line))

    # --- Structure ---

    def hinted(self, number: int, line: str, hint: _Hint) -> bool:
        """Handle a line whose role Word's structure tells (list level, heading, table)."""
        if hint.kind == "item":
            self.start_item(number, hint.label, line, hint.extra, word_numbered=hint.numbered)
            return True
        if hint.kind == "sub":
            self.add_sub(number, line)
            return True
        if hint.kind == "group":
            self.start_group(_collapse(line).rstrip(":").rstrip())
            return True
        if hint.kind == "text":
            self.list_text(number, line, hint.label)
            return True
        if hint.kind == "subtitle" and self.title_lines and self.only_title_so_far():
            if not (self.handle_meta(line) or self.handle_version(line)):
                self.title_lines.append(line)
            return True
        if hint.kind not in ("heading", "subtitle"):
            return False
        with_colon = line if line.endswith(":") else line + ":"
        if self.handle_meta(with_colon) or self.handle_version(line):
            return True
        if self.handle_themes(with_colon):
            return True
        if (
            not self.title_done
            and not self.title_lines
            and self.draft is None
            and not self.doc.questions
            and not self.doc.groups
        ):
            self.title_lines.append(line)
            self.title_done = True
            return True
        self.start_group(_collapse(line).rstrip(":").rstrip())
        return True

    def only_title_so_far(self) -> bool:
        """True while nothing but the title (and header lines) has been read."""
        return not (self.doc.groups or self.doc.questions or self.draft or self.loose)

    def unnumbered_question(self, number: int, line: str) -> bool:
        """A Word paragraph that is one whole learning question ("Hoe …, terwijl …?") but has
        no number: a question, labelled in order, with a warning."""
        if not (
            line[:4].lower().startswith("hoe ")
            and _TERWIJL_RE.search(line)
            and _QUESTION_END_RE.search(line)
        ):
            return False
        self.start_item(number, "", line)  # the next free label of its group
        label = self.draft.label if self.draft is not None else ""
        self.warn(
            f"Regel {number} is een vraag zonder letter of cijfer. We hebben haar "
            f"\u2018{label}\u2019 genoemd. Klopt dat?"
        )
        return True

    def list_text(self, number: int, line: str, list_id: str) -> None:
        """An item of a Word list without questions: a theme, a name under "Aanwezig:", or
        text we leave out (one warning per list)."""
        if self.meta_list is not None and self.add_meta_value(line):
            return
        if self.themes_mode and self.add_theme_line(line):
            return
        self.start_structure()
        if self.skipped_list != list_id:
            self.warn(
                f"Regel {number} en verder: een genummerde lijst zonder leervragen "
                f"(\u2018{_snippet(line, 40)}\u2019 …) hebben we overgeslagen."
            )
        self.skipped_list = list_id

    def start_structure(self) -> None:
        """A structural line ends the title, loose text, themes and the open question."""
        self.title_done = True
        self.flush_loose()
        if self.meta_list is not None:
            self.end_meta_list()
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
        self.start_item(number, match["label"], match["text"] or "")
        return True

    def start_item(
        self,
        number: int,
        label: str,
        text: str,
        extra: list[tuple[str, str]] | None = None,
        word_numbered: bool = False,
    ) -> None:
        """Start a question with this label (or, for text ending in ":", a group)."""
        if text.endswith(":") and "?" not in text and not _TERWIJL_RE.search(text):
            self.start_group(text[:-1].strip())
            return
        self.start_structure()
        heading = self.pending_heading
        self.finish_draft()
        if heading:
            self.start_group(heading)
        if self.group_index is None:
            self.doc.groups.append("")
            self.group_index = len(self.doc.groups) - 1
        if not label:
            label = self.next_free_label()
        self.draft = _Draft(
            group=self.group_index,
            label=label,
            line=number,
            stem=self.shared_stem,
            extra=list(extra or []),
            word_numbered=word_numbered,
        )
        if text:
            self.draft.parts.append(text)
        self.open = True

    def next_free_label(self) -> str:
        """A label for a question the document gives none (a bulleted question): 1, 2, …."""
        previous = [q.label for q in self.doc.questions if q.group == self.group_index]
        if previous and re.fullmatch(r"[A-Z]{1,2}|[0-9]{1,3}", previous[-1]):
            return _next_label(previous[-1])
        return str(len(previous) + 1)

    def handle_sub(self, number: int, line: str) -> bool:
        """A line numbered i., ii., … (or a., b., … under "1." or "A.") is a sub-question."""
        match = _SUB_RE.match(line)
        if match is None or not match["label"]:
            match = _LETTER_SUB_RE.match(line)
            draft = self.draft
            if match is None or draft is None or not re.fullmatch(r"[A-Z0-9]+", draft.label):
                return False
        self.add_sub(number, match["text"] or "")
        return True

    def add_sub(self, number: int, text: str) -> None:
        """Add a sub-question to the preceding question."""
        draft = self.draft
        self.start_structure()
        self.pending_heading = ""
        if draft is None:
            self.warn(
                f"Regel {number} is een deelvraag, maar er staat geen vraag boven. "
                "We hebben de regel overgeslagen."
            )
            return
        draft.subquestions.append([text] if text else [])
        self.open = True

    def handle_meta(self, line: str) -> bool:
        """A memo header row or "Label: value" line (Aan, Van, Datum, Versie, Aanwezig, …)."""
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
            if key not in ("datum", "versie"):
                self.meta_list = (key, printed_key)  # the values follow as a list
            return True
        self.store_meta(key, printed_key, value)
        return True

    def add_meta_value(self, line: str) -> bool:
        """A line of a list under "Aanwezig:", "Aan:", …; False ends the list."""
        bullet = _BULLET_RE.match(line)
        value = _collapse(line[bullet.end() :] if bullet else line)
        if (
            not value
            or len(value) > _MAX_HEADING_LENGTH
            or value.endswith(":")
            or _looks_like_question(value)
            or (self.meta_values and self.meta_bulleted != (bullet is not None))
        ):
            self.end_meta_list()  # a line without a bullet after bulleted names ends the list
            return False
        self.meta_bulleted = bullet is not None
        self.meta_values.append(value)
        return True

    def end_meta_list(self) -> None:
        """Store the values of a list under a header key."""
        if self.meta_list is None:
            return
        (key, printed_key), values = self.meta_list, self.meta_values
        self.meta_list, self.meta_values = None, []
        if values:
            self.store_meta(key, printed_key, ", ".join(values))

    def store_meta(self, key: str, printed_key: str, value: str) -> None:
        """Keep a header value; the first one of each key wins."""
        if key in self.seen_meta:
            if self.seen_meta[key] != value:
                self.warn(
                    f"De tekst noemt meer dan één keer \u2018{printed_key}\u2019. "
                    f"We gebruiken de eerste: \u2018{self.seen_meta[key]}\u2019."
                )
            return
        self.seen_meta[key] = value
        doc = self.doc
        if key == "aan":
            doc.recipient = value
        elif key == "van":
            doc.sender = value
        elif key == "kenmerk":
            doc.reference = value
        elif key == "versie":
            split = _split_version("versie " + value)
            if split is not None and split[1]:
                doc.version_label = split[1]
                if split[2] is not None and doc.document_date is None:
                    doc.document_date = split[2]
            else:
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
        else:
            doc.extra_meta.append((printed_key[:1].upper() + printed_key[1:].lower(), value))

    def handle_version(self, line: str) -> bool:
        """A version line with a date: "Versie 3 – 12-03-2024", "Versie van 12 maart 2024"."""
        if not line[:6].lower().startswith("versie") or len(line) > _MAX_HEADING_LENGTH:
            return False
        split = _split_version(line)
        if split is None or split[0]:
            return False
        heading = self.pending_heading
        self.start_structure()
        self.pending_heading = heading
        _, label, day = split
        if label and "versie" not in self.seen_meta:
            self.seen_meta["versie"] = label
            self.doc.version_label = label
        if day is not None and self.doc.document_date is None:
            self.doc.document_date = day
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
        if "?" not in full_text:
            self.warn(f"{where} heeft geen vraagteken. Controleer of het een leervraag is.")
        question = ImportedQuestion(
            group=draft.group,
            label=draft.label,
            text=text,
            shared_stem=shared_stem,
            full_text=full_text,
            subquestions=[sub for sub in subquestions if sub],
            parsed=parse_question(full_text),
            line=draft.line,
            extra=draft.extra,
        )
        if draft.word_numbered:
            self.word_numbered.add(id(question))
        self.doc.questions.append(question)

    # --- Finishing ---

    def finish(self) -> ParsedDocument:
        """Set the title, drop empty groups, check numbering and collect warnings."""
        doc = self.doc
        doc.title = _collapse(" ".join(self.title_lines))
        split = _split_version(doc.title) if len(doc.title) <= _MAX_HEADING_LENGTH else None
        if split is not None and split[0]:
            doc.title = split[0]
            if split[1] and not doc.version_label:
                doc.version_label = split[1]
            if split[2] is not None and doc.document_date is None:
                doc.document_date = split[2]
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
            labels = [
                q.label
                for q in doc.questions
                if q.group == index and id(q) not in self.word_numbered
            ]
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
    return _Parser().run(_dehyphenate([(number, line, None) for number, line in lines]))


# --- DOCX --------------------------------------------------------------------------------------

_LABEL_START_RE = re.compile(rf"^(?:[A-Z]{{1,2}}|[0-9]{{1,3}}|{_ROMAN})[.)](?:\s|$)")
_NUMBER_CELL_RE = re.compile(r"^\(?(?:[0-9]{1,3}|[A-Za-z]{1,2}|[ivxIVX]{1,6})[.):]?$")
_LABEL_TRIM_RE = re.compile(r"^\W+|\W+$")
_LOOKAHEAD = 200


def _question_like(text: str) -> bool:
    """Text that may be a question: "Hoe …", a "terwijl" clause or a final "?".

    Broader than :func:`_looks_like_question`: it judges list items and table cells, whose
    place in Word's structure already says they are items; a bullet must pass the strict test.
    """
    text = text.strip()
    return (
        text[:4].lower().startswith("hoe ")
        or _TERWIJL_RE.search(text) is not None
        or _QUESTION_END_RE.search(text) is not None
    )


def _typed_label(text: str) -> bool:
    """True when the text starts with a label typed by hand ("A. ", "2) ", "iv. ")."""
    return _LABEL_START_RE.match(text.lstrip()) is not None


def _shown(paragraph: wordfile.Paragraph) -> str:
    """The paragraph as Word shows it, without doubling a label typed by hand."""
    return paragraph.text if _typed_label(paragraph.text) else paragraph.shown


def _clean_label(label: str) -> str:
    """A printed list number as a question label: "3." -> "3", "b)" -> "b", "(ii)" -> "ii"."""
    return _LABEL_TRIM_RE.sub("", label)[:10]


def _clean_line(text: str) -> str:
    """Normalise one line of Word text: spaces, soft hyphens and control characters."""
    return _normalise_text(text.replace("\u00ad", "")).strip()


class _DocxLines:
    """Turns Word's paragraphs and tables into hinted lines for :class:`_Parser`.

    A list paragraph at the list's question level becomes a question with Word's number; a
    deeper one a sub-question. When a top-level list item is no question but its deeper items
    are, the top level names groups and the next level holds the questions. Bulleted
    paragraphs are questions only when they read as one. Headings are headings. A table with a
    column of questions gives one question per row; its number column gives the label and its
    other columns are kept as extra information.
    """

    def __init__(self) -> None:
        self.lines: list[_Line] = []
        self.base: dict[str, int] = {}  # list_id -> the level that holds questions
        # List, level and indent of the last question, while its sub-questions may follow.
        self.question_list: tuple[str, int, int] | None = None
        self.tables = 0
        self.number = 0  # paragraphs and table rows so far
        self.question_lists: set[str] = set()  # lists with at least one question-like item

    def prepare(self, blocks: list) -> None:
        """Find the lists that hold questions: a numbered list without any is other text
        (a meeting agenda, a list of actions)."""
        for block in blocks:
            if isinstance(block, wordfile.Table):
                for row in block.rows:
                    for cell in row.cells:
                        self.prepare(cell.blocks)
            elif block.item is not None and _question_like(block.text):
                self.question_lists.add(block.item.list_id)

    def add(self, text: str, hint: _Hint | None = None, new: bool = True) -> None:
        """Add a line; ``new`` counts a paragraph or table row ("Regel N" in warnings)."""
        if new:
            self.number += 1
        self.lines.append((self.number, _clean_line(text), hint))

    def warn(self, message: str) -> None:
        self.lines.append((self.number, "", _Hint("warn", message)))

    def blocks(self, blocks: list) -> None:
        for index, block in enumerate(blocks):
            if isinstance(block, wordfile.Table):
                self.table(block)
            else:
                self.paragraph(block, blocks[index + 1 : index + 1 + _LOOKAHEAD])

    # --- Paragraphs ---

    def paragraph(self, paragraph: wordfile.Paragraph, following: list) -> None:
        """One paragraph: its first line carries what Word says it is; line breaks follow."""
        text = paragraph.text
        if not text.strip():
            self.add("")
            return
        first, *more = text.split("\n")
        hint: _Hint | None = None
        item = paragraph.item
        if paragraph.subtitle:
            hint = _Hint("subtitle")
        elif paragraph.heading or paragraph.title:
            hint = _Hint("heading")
        elif item is not None and not _typed_label(text):
            if self.nested(paragraph) and (not item.bullet or _question_like(text)):
                hint = _Hint("sub")
            elif item.bullet:
                if _looks_like_question(_collapse(text)):
                    hint = _Hint("item")
                else:
                    first = f"{item.label} {first.lstrip()}"
            elif item.list_id not in self.question_lists:
                hint = _Hint("text", item.list_id)
            else:
                hint = self.list_hint(item, text, following)
        if hint is not None and hint.kind == "item" and item is not None:
            self.question_list = (item.list_id, item.level, paragraph.indent)
        elif hint is None or hint.kind != "sub":
            self.question_list = None
        if hint is None and item is None:
            hint = _Hint("paragraph")  # a paragraph of its own: it may be a question
        self.add(first, hint)
        for line in more:
            self.add(line, new=False)

    def list_hint(self, item: wordnumbering.ListItem, text: str, following: list) -> _Hint:
        """Question, sub-question or group title, by the item's level in its list."""
        base = self.base.get(item.list_id)
        if base is None or item.level == 0 or item.level < base:
            base = item.level
            if not _question_like(text) and self.children_are_questions(item, following):
                base += 1
            self.base[item.list_id] = base
        if item.level < base:
            return _Hint("group")
        if item.level == base:
            label = item.number or _clean_label(item.label)  # "2" of "Vraag 2:" or "1.2."
            return _Hint("item", label, numbered=bool(label))
        return _Hint("sub")

    @staticmethod
    def children_are_questions(item: wordnumbering.ListItem, following: list) -> bool:
        """True when deeper items of this list, before its next item at this level, read as
        questions."""
        for block in following:
            if isinstance(block, wordfile.Table):
                continue
            other = block.item
            if other is None or other.list_id != item.list_id:
                continue
            if other.level <= item.level:
                return False
            if _question_like(block.text):
                return True
        return False

    def nested(self, paragraph: wordfile.Paragraph) -> bool:
        """True for a list paragraph under the question above it: a deeper level of its list,
        or another list indented further (Word's "List Number 2" under "List Number")."""
        if self.question_list is None or paragraph.item is None:
            return False
        list_id, level, indent = self.question_list
        if paragraph.item.list_id == list_id:
            return paragraph.item.level > level
        return paragraph.indent > indent

    # --- Tables ---

    def table(self, table: wordfile.Table) -> None:
        """A table with a column of questions gives a question per row; others are text."""
        self.tables += 1
        self.question_list = None
        width = table.columns
        framed = width <= 1 and (
            len(table.rows) < 2
            or any(
                isinstance(block, wordfile.Table) or block.item is not None
                for row in table.rows
                for cell in row.cells
                for block in cell.blocks
            )
        )
        if framed:  # a one-cell table, or one column holding lists: a frame around text
            for row in table.rows:
                for cell in row.cells:
                    self.blocks(cell.blocks)
            return
        grid = table.grid()
        counts = [sum(_question_like(row[c]) for row in grid) for c in range(width)]
        best = max(counts)
        if best == 0:
            self.plain_table(table)
            return
        column = counts.index(best)
        first = next(r for r, row in enumerate(grid) if _question_like(row[column]))
        header_rows = []
        start = self.number
        for r, row in enumerate(table.rows):
            if r < first and len(row.cells) == 1 and row.cells[0].span > 1:
                self.number = start + r + 1
                self.add(row.cells[0].text, _Hint("group"), new=False)  # a title row
            elif r < first or row.header:
                header_rows.append(r)
        body = [r for r in range(first, len(grid)) if r not in header_rows]
        headers = [
            _collapse(" ".join(grid[r][c] for r in header_rows)).rstrip(":") for c in range(width)
        ]
        number_column = self.number_column(grid, body, column)
        for r in body:
            self.number = start + r + 1
            self.row(table.rows[r], grid[r], column, number_column, headers)
        self.number = start + len(table.rows)

    def plain_table(self, table: wordfile.Table) -> None:
        """A table without questions: one line per row, cells TAB-separated. A warning unless
        it is mostly a memo header ("Aan", "Datum", "Aanwezig", …)."""
        keys = [row.cells[0].text for row in table.rows if row.cells and row.cells[0].text]
        if sum(_META_RE.match(key + ":") is not None for key in keys) * 2 < len(keys):
            self.warn(
                f"Tabel {self.tables}: geen kolom met vragen gevonden. We hebben de tabel als "
                "gewone tekst gelezen."
            )
        for row in table.rows:
            self.add("\t".join(cell.text for cell in row.cells).rstrip())
        self.add("", new=False)

    @staticmethod
    def number_column(grid: list[list[str]], body: list[int], column: int) -> int | None:
        """The column whose filled cells are all numbers or letters ("1", "1.", "A", "ii")."""
        for c in range(len(grid[0]) if grid else 0):
            values = [grid[r][c].strip() for r in body if grid[r][c].strip()]
            if c != column and values and all(_NUMBER_CELL_RE.match(v) for v in values):
                return c
        return None

    def row(
        self,
        row: wordfile.Row,
        texts: list[str],
        column: int,
        number_column: int | None,
        headers: list[str],
    ) -> None:
        """One table row: a question, a group title, or nothing."""
        cell = next((c for c in row.cells if c.column <= column < c.column + c.span), None)
        question = texts[column].strip()
        others = [c for c in range(len(texts)) if c not in (column, number_column)]
        if cell is None or cell.continued or not question:
            filled = [texts[c] for c in range(len(texts)) if texts[c].strip()]
            if len(filled) == 1 and len(row.cells) == 1:
                self.add(filled[0], _Hint("group"), new=False)  # a row across the table
            return
        if not _question_like(question) and not any(texts[c].strip() for c in others):
            if number_column is None or not texts[number_column].strip():
                self.add(question, _Hint("group"), new=False)
                return
        label = _clean_label(texts[number_column]) if number_column is not None else ""
        extra = [(headers[c], _clean_line(texts[c])) for c in others if texts[c].strip()]
        paragraphs = [b for b in cell.blocks if isinstance(b, wordfile.Paragraph)]
        lines = [p for p in paragraphs if p.text.strip()]
        head = _shown(lines[0]) if lines else question
        if not label:
            typed = _ITEM_RE.match(_clean_line(head))
            if typed is not None:
                label, head = typed["label"], typed["text"] or ""
        self.add(head.replace("\n", " "), _Hint("item", label, extra), new=False)
        for paragraph in lines[1:]:
            if paragraph.item is not None and paragraph.item.level > 0:
                self.add(paragraph.text.replace("\n", " "), _Hint("sub"), new=False)
            else:
                self.add(_shown(paragraph).replace("\n", " "), new=False)
        self.add("", new=False)


def _read_word(data: bytes) -> list[wordfile.Paragraph | wordfile.Table]:
    """The body of a .docx; a file we cannot read raises :class:`DocumentError`."""
    try:
        return wordfile.read_docx(data)
    except wordfile.WordFileError as error:
        raise DocumentError(error.message) from None


def parse_docx(data: bytes) -> ParsedDocument:
    """Parse a .docx file: Word's list numbers, headings and tables tell the structure.

    Raises :class:`DocumentError` (with a Dutch ``message``) for files that are no Word
    document, too big or broken, have no text, or hold no questions.
    """
    blocks = _read_word(data)
    converter = _DocxLines()
    converter.prepare(blocks)
    converter.blocks(blocks)
    lines = converter.lines
    if sum(len(text) for _, text, _ in lines) > MAX_TEXT_LENGTH:
        raise DocumentError(MSG_DOCX_TOO_LONG)
    if not any(text for _, text, _ in lines):
        raise DocumentError(MSG_DOCX_EMPTY)
    return _Parser().run(_dehyphenate(lines))


def docx_text(data: bytes) -> str:
    """The text of a .docx: one paragraph per line, table rows as "cell<TAB>cell".

    A list paragraph starts with the number Word shows ("1.", "b)", "•"), unless its text
    already starts with a typed label. See :mod:`dla.agendas.wordfile` for how numbers are
    computed and which files are refused (:class:`DocumentError`).
    """
    lines: list[str] = []
    for block in _read_word(data):
        if isinstance(block, wordfile.Table):
            lines.extend("\t".join(c.text for c in row.cells).rstrip() for row in block.rows)
        else:
            lines.append(_shown(block))
    return "\n".join(lines)


def read_upload(filename: str, data: bytes) -> ParsedDocument:
    """Parse an uploaded file: a Word document (by name or content) or a text file."""
    head = bytes(data[:8])
    if filename.lower().endswith(".docx") or head[:4] == b"PK\x03\x04" or head == _OLE_MAGIC:
        return parse_docx(data)
    return parse_document(clean_text(data))
