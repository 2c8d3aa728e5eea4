"""The document parser: a line-by-line state machine from the lines of a DLA document (with
hints from Word's structure, when it came from a .docx) to a :class:`ParsedDocument`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dla.agendas.importing.text import (
    BRACKETS_ONLY_RE,
    BULLET_RE,
    CONTEXT_RE,
    ELLIPSIS_START,
    ITEM_RE,
    LETTER_SUB_RE,
    LIST_SPLIT_RE,
    MAX_HEADING_LENGTH,
    MAX_QUESTIONS,
    MAX_STEM_LENGTH,
    MAX_TEXT_LENGTH,
    MAX_THEME_LENGTH,
    MAX_WARNINGS,
    META_RE,
    META_SPACE_RE,
    MSG_EMPTY,
    MSG_NO_QUESTIONS,
    MSG_TOO_LONG,
    MSG_TOO_MANY,
    MSG_UNREADABLE,
    QUESTION_END_RE,
    SENTENCE_END_RE,
    SUB_RE,
    TERWIJL_RE,
    THEMES_RE,
    DocumentError,
    Hint,
    HintedLine,
    ImportedQuestion,
    ParsedDocument,
    collapse,
    dehyphenate,
    find_date,
    first_label,
    is_heading_like,
    looks_like_question,
    next_label,
    normalise_text,
    snippet,
    split_version,
    tail,
)
from dla.agendas.parsing import (
    expand_shared_stem,
    is_shared_stem,
    parse_question,
)


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


class Parser:
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

    def run(self, lines: list[tuple[int, str]] | list[HintedLine]) -> ParsedDocument:
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
            if QUESTION_END_RE.search(tail(self.draft.target())):
                self.open = False
            else:
                self.blank_pending = True

    def line(self, number: int, line: str, hint: Hint | None = None) -> None:
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
            and not looks_like_question(line)
            and not line.endswith(".")  # a sentence is text, not a title
        ):
            self.title_lines.append(line)
            return
        self.title_done = True
        self.loose.append((number, line))

    # --- Structure ---

    def hinted(self, number: int, line: str, hint: Hint) -> bool:
        """Handle a line whose role Word's structure tells (list level, heading, table)."""
        if hint.kind == "item":
            self.start_item(number, hint.label, line, hint.extra, word_numbered=hint.numbered)
            return True
        if hint.kind == "sub":
            self.add_sub(number, line)
            return True
        if hint.kind == "group":
            self.start_group(collapse(line).rstrip(":").rstrip())
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
        self.start_group(collapse(line).rstrip(":").rstrip())
        return True

    def only_title_so_far(self) -> bool:
        """True while nothing but the title (and header lines) has been read."""
        return not (self.doc.groups or self.doc.questions or self.draft or self.loose)

    def unnumbered_question(self, number: int, line: str) -> bool:
        """A Word paragraph that is one whole learning question ("Hoe …, terwijl …?") but has
        no number: a question, labelled in order, with a warning."""
        if not (
            line[:4].lower().startswith("hoe ")
            and TERWIJL_RE.search(line)
            and QUESTION_END_RE.search(line)
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
                f"(\u2018{snippet(line, 40)}\u2019 …) hebben we overgeslagen."
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
        match = ITEM_RE.match(line)
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
        if text.endswith(":") and "?" not in text and not TERWIJL_RE.search(text):
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
            return next_label(previous[-1])
        return str(len(previous) + 1)

    def handle_sub(self, number: int, line: str) -> bool:
        """A line numbered i., ii., … (or a., b., … under "1." or "A.") is a sub-question."""
        match = SUB_RE.match(line)
        if match is None or not match["label"]:
            match = LETTER_SUB_RE.match(line)
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
        match = META_RE.match(line)
        if match is not None:
            printed_key, value = match["key"], collapse(match["value"])
        else:
            match = META_SPACE_RE.match(line)
            if match is None:
                return False
            if match["datekey"]:
                printed_key, value = match["datekey"], collapse(match["datevalue"])
                if find_date(value) is None:
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
        bullet = BULLET_RE.match(line)
        value = collapse(line[bullet.end() :] if bullet else line)
        if (
            not value
            or len(value) > MAX_HEADING_LENGTH
            or value.endswith(":")
            or looks_like_question(value)
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
            split = split_version("versie " + value)
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
            doc.document_date = find_date(value)
            if doc.document_date is None:
                self.warn(
                    f"De datum \u2018{snippet(value)}\u2019 kunnen we niet lezen. "
                    "Schrijf de datum bijvoorbeeld als 24-02-2020 of 31 januari 2020."
                )
        else:
            doc.extra_meta.append((printed_key[:1].upper() + printed_key[1:].lower(), value))

    def handle_version(self, line: str) -> bool:
        """A version line with a date: "Versie 3 – 12-03-2024", "Versie van 12 maart 2024"."""
        if not line[:6].lower().startswith("versie") or len(line) > MAX_HEADING_LENGTH:
            return False
        split = split_version(line)
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
        if CONTEXT_RE.match(line) is None:
            return False
        self.start_structure()
        self.pending_heading = ""
        value = collapse(line).rstrip(":").rstrip()
        if self.doc.context_line:
            return True
        self.doc.context_line = value
        self.doc.session_date = find_date(value)
        return True

    def handle_themes(self, line: str) -> bool:
        """A "Thema's:" line starts a block of (bulleted) themes."""
        match = THEMES_RE.match(line)
        if match is None:
            return False
        self.start_structure()
        self.pending_heading = ""
        self.themes_mode = True
        self.themes_in_block = 0
        rest = match["rest"].strip()
        if rest:
            for theme in LIST_SPLIT_RE.split(rest):
                self.add_theme(theme)
        return True

    def add_theme_line(self, line: str) -> bool:
        """A line inside the themes block; False when it does not look like a theme."""
        bullet = BULLET_RE.match(line)
        if bullet is None and (
            len(line) > MAX_THEME_LENGTH or line.endswith("?") or TERWIJL_RE.search(line)
        ):
            return False
        self.add_theme(line[bullet.end() :] if bullet else line)
        return True

    def add_theme(self, theme: str) -> None:
        """Add one theme (deduplicated)."""
        theme = collapse(theme)
        if theme:
            self.themes_in_block += 1
            if theme not in self.doc.themes:
                self.doc.themes.append(theme)

    def handle_stem(self, line: str) -> bool:
        """A printed shared stem: "Hoe kan ik …, terwijl….."."""
        if not line[:4].lower().startswith("hoe") or len(line) > MAX_STEM_LENGTH:
            return False
        if not is_shared_stem(line):
            return False
        self.start_structure()
        self.pending_heading = ""
        self.finish_draft()
        self.shared_stem = collapse(line)
        return True

    def handle_colon_heading(self, line: str) -> bool:
        """A line ending in ":" starts a new group: "Leervragen ten aanzien van ambitie:"."""
        if not line.endswith(":") or QUESTION_END_RE.search(line[:-1]):
            return False
        title = collapse(line[:-1])
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
        current = tail(target)
        if self.blank_pending:
            ended = SENTENCE_END_RE.search(current) is not None
            # A capitalised sentence after a blank line is a new paragraph, not a wrap.
            new_paragraph = line[:1].isupper() and line.endswith((".", "!", ":"))
            if ended or new_paragraph:
                self.open = False
                self.blank_pending = False
                return False
        elif QUESTION_END_RE.search(current) and not BRACKETS_ONLY_RE.match(line):
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
        if is_heading_like(first) and (len(lines) == 1 or lines[1][1][:1].isupper()):
            self.last_heading = first
            lines = lines[1:]
            if not lines:
                self.pending_heading = collapse(first)
                return
        number = lines[0][0]
        paragraph = collapse(" ".join(text for _, text in lines))
        if looks_like_question(paragraph):
            self.warn(
                f"Regel {number} lijkt een leervraag, maar er staat geen letter of cijfer voor: "
                f"\u2018{snippet(paragraph)}\u2019. We hebben de regel overgeslagen. "
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
            f"\u2018{snippet(paragraph)}\u2019."
        )

    # --- Questions ---

    def finish_draft(self) -> None:
        """Turn the current draft into an ImportedQuestion."""
        draft, self.draft = self.draft, None
        self.open = False
        self.blank_pending = False
        if draft is None:
            return
        text = collapse(" ".join(draft.parts))
        where = f"Vraag {draft.label} (regel {draft.line})"
        starts_with_ellipsis = text.startswith(ELLIPSIS_START)
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
                full_text = collapse(expand_shared_stem(draft.stem, text))
            else:
                self.warn(
                    f"{where} begint met \u2018…\u2019, maar we vonden geen gedeelde beginzin "
                    "(een zin die eindigt op \u2018terwijl…\u2019). Controleer de vraag."
                )
        subquestions = [collapse(" ".join(parts)) for parts in draft.subquestions]
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
        doc.title = collapse(" ".join(self.title_lines))
        split = split_version(doc.title) if len(doc.title) <= MAX_HEADING_LENGTH else None
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
        if len(self.warnings) > MAX_WARNINGS:
            extra = len(self.warnings) - MAX_WARNINGS
            self.warnings = self.warnings[:MAX_WARNINGS]
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
                elif not previous and label != first_label(label):
                    self.warn(
                        f"{where} begint de eerste vraag bij {label}, niet bij "
                        f"{first_label(label)}. Mist er een vraag?"
                    )
                elif previous and label != next_label(previous):
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
    cleaned = normalise_text(text)
    if not cleaned.strip():
        raise DocumentError(MSG_EMPTY)
    lines = [(number, line.strip()) for number, line in enumerate(cleaned.split("\n"), 1)]
    return Parser().run(dehyphenate([(number, line, None) for number, line in lines]))
