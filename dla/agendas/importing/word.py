"""From a Word file to the parser: Word's paragraphs and tables (read by
:mod:`dla.agendas.wordfile`) become hinted lines, so that its list numbers, headings and tables
guide the same parser as pasted text."""

from __future__ import annotations

import re

from dla.agendas import wordfile, wordnumbering
from dla.agendas.importing.parser import Parser
from dla.agendas.importing.text import (
    ITEM_RE,
    MAX_TEXT_LENGTH,
    META_RE,
    MSG_DOCX_EMPTY,
    MSG_DOCX_TOO_LONG,
    QUESTION_END_RE,
    ROMAN,
    TERWIJL_RE,
    DocumentError,
    Hint,
    HintedLine,
    ParsedDocument,
    collapse,
    dehyphenate,
    looks_like_question,
    normalise_text,
)

_LABEL_START_RE = re.compile(rf"^(?:[A-Z]{{1,2}}|[0-9]{{1,3}}|{ROMAN})[.)](?:\s|$)")
_NUMBER_CELL_RE = re.compile(r"^\(?(?:[0-9]{1,3}|[A-Za-z]{1,2}|[ivxIVX]{1,6})[.):]?$")
_LABEL_TRIM_RE = re.compile(r"^\W+|\W+$")
_LOOKAHEAD = 200


def _question_like(text: str) -> bool:
    """Text that may be a question: "Hoe …", a "terwijl" clause or a final "?".

    Broader than :func:`looks_like_question`: it judges list items and table cells, whose
    place in Word's structure already says they are items; a bullet must pass the strict test.
    """
    text = text.strip()
    return (
        text[:4].lower().startswith("hoe ")
        or TERWIJL_RE.search(text) is not None
        or QUESTION_END_RE.search(text) is not None
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
    return normalise_text(text.replace("\u00ad", "")).strip()


class _DocxLines:
    """Turns Word's paragraphs and tables into hinted lines for :class:`Parser`.

    A list paragraph at the list's question level becomes a question with Word's number; a
    deeper one a sub-question. When a top-level list item is no question but its deeper items
    are, the top level names groups and the next level holds the questions. Bulleted
    paragraphs are questions only when they read as one. Headings are headings. A table with a
    column of questions gives one question per row; its number column gives the label and its
    other columns are kept as extra information.
    """

    def __init__(self) -> None:
        self.lines: list[HintedLine] = []
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

    def add(self, text: str, hint: Hint | None = None, new: bool = True) -> None:
        """Add a line; ``new`` counts a paragraph or table row ("Regel N" in warnings)."""
        if new:
            self.number += 1
        self.lines.append((self.number, _clean_line(text), hint))

    def warn(self, message: str) -> None:
        self.lines.append((self.number, "", Hint("warn", message)))

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
        hint: Hint | None = None
        item = paragraph.item
        if paragraph.subtitle:
            hint = Hint("subtitle")
        elif paragraph.heading or paragraph.title:
            hint = Hint("heading")
        elif item is not None and not _typed_label(text):
            if self.nested(paragraph) and (not item.bullet or _question_like(text)):
                hint = Hint("sub")
            elif item.bullet:
                if looks_like_question(collapse(text)):
                    hint = Hint("item")
                else:
                    first = f"{item.label} {first.lstrip()}"
            elif item.list_id not in self.question_lists:
                hint = Hint("text", item.list_id)
            else:
                hint = self.list_hint(item, text, following)
        if hint is not None and hint.kind == "item" and item is not None:
            self.question_list = (item.list_id, item.level, paragraph.indent)
        elif hint is None or hint.kind != "sub":
            self.question_list = None
        if hint is None and item is None:
            hint = Hint("paragraph")  # a paragraph of its own: it may be a question
        self.add(first, hint)
        for line in more:
            self.add(line, new=False)

    def list_hint(self, item: wordnumbering.ListItem, text: str, following: list) -> Hint:
        """Question, sub-question or group title, by the item's level in its list."""
        base = self.base.get(item.list_id)
        if base is None or item.level == 0 or item.level < base:
            base = item.level
            if not _question_like(text) and self.children_are_questions(item, following):
                base += 1
            self.base[item.list_id] = base
        if item.level < base:
            return Hint("group")
        if item.level == base:
            label = item.number or _clean_label(item.label)  # "2" of "Vraag 2:" or "1.2."
            return Hint("item", label, numbered=bool(label))
        return Hint("sub")

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
                self.add(row.cells[0].text, Hint("group"), new=False)  # a title row
            elif r < first or row.header:
                header_rows.append(r)
        body = [r for r in range(first, len(grid)) if r not in header_rows]
        headers = [
            collapse(" ".join(grid[r][c] for r in header_rows)).rstrip(":") for c in range(width)
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
        if sum(META_RE.match(key + ":") is not None for key in keys) * 2 < len(keys):
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
                self.add(filled[0], Hint("group"), new=False)  # a row across the table
            return
        if not _question_like(question) and not any(texts[c].strip() for c in others):
            if number_column is None or not texts[number_column].strip():
                self.add(question, Hint("group"), new=False)
                return
        label = _clean_label(texts[number_column]) if number_column is not None else ""
        extra = [(headers[c], _clean_line(texts[c])) for c in others if texts[c].strip()]
        paragraphs = [b for b in cell.blocks if isinstance(b, wordfile.Paragraph)]
        lines = [p for p in paragraphs if p.text.strip()]
        head = _shown(lines[0]) if lines else question
        if not label:
            typed = ITEM_RE.match(_clean_line(head))
            if typed is not None:
                label, head = typed["label"], typed["text"] or ""
        self.add(head.replace("\n", " "), Hint("item", label, extra), new=False)
        for paragraph in lines[1:]:
            if paragraph.item is not None and paragraph.item.level > 0:
                self.add(paragraph.text.replace("\n", " "), Hint("sub"), new=False)
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
    return Parser().run(dehyphenate(lines))


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
