"""Read a Word (.docx) file as Word shows it: paragraphs with their list numbers, and tables.

The zip is opened with size limits and every XML part is parsed by
:func:`dla.safexml.safe_xml_parse` (``defusedxml``: no DTD, no entities, in any encoding).
The list number Word draws in front of a paragraph is not
stored as text; it is computed here the way Word does:

- a paragraph's numbering comes from its own ``w:numPr`` or from its paragraph style
  (following ``w:basedOn``); ``w:numId="0"`` switches numbering off;
- ``numbering.xml`` links a ``w:num`` to an abstract definition with up to nine levels, each with
  a format (decimal, letters, roman numerals, bullet, …), a ``w:lvlText`` such as ``"%1."`` or
  ``"%2)"``, a start value and a ``w:lvlRestart`` rule;
- lists that share an abstract definition continue each other's count, unless a ``w:num``
  restarts with ``w:lvlOverride``/``w:startOverride``;
- a deeper level restarts when a higher level is used.

Tracked deletions and hidden text are not text; insertions are. ``w:br`` becomes a line break
and ``w:tab`` a TAB. Pure standard library plus ``defusedxml``: no Flask, no database.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import NoReturn
from xml.etree.ElementTree import Element

from dla.safexml import UnsafeXML, safe_xml_parse

__all__ = [
    "Cell",
    "ListItem",
    "Numbering",
    "Paragraph",
    "Row",
    "Styles",
    "Table",
    "WordFileError",
    "format_number",
    "parse_xml",
    "read_docx",
]

MSG_NOT_DOCX = "Dit is geen Word-bestand (.docx)."
MSG_DOCX_TOO_BIG = "Dit Word-bestand is te groot of beschadigd."
MSG_DOCX_NO_TEXT = (
    "Dit bestand is geen Word-document: het deel met de tekst (word/document.xml) ontbreekt. "
    "Sla de leeragenda in Word op als Word-document (.docx)."
)
MSG_DOCX_DAMAGED = (
    "Dit Word-bestand is beschadigd of niet helemaal opgeslagen. Open het in Word, sla het "
    "opnieuw op en probeer het nog eens."
)
MSG_OLD_WORD = (
    "Dit is een ouder Word-bestand (.doc) of een bestand met een wachtwoord. Open het in Word "
    "en sla het op als Word-document (.docx), zonder wachtwoord."
)
MSG_OTHER_OFFICE = (
    "Dit is een {kind}, geen Word-bestand. Zet de leeragenda in een Word-document (.docx) "
    "of plak de tekst in het tekstvak."
)
_OTHER_OFFICE_KINDS = {  # content type fragment or part name prefix -> what the file is
    "spreadsheetml": "Excel-bestand",
    "presentationml": "PowerPoint-bestand",
    "xl/": "Excel-bestand",
    "ppt/": "PowerPoint-bestand",
    "content.xml": "OpenDocument-bestand (zoals van LibreOffice)",
}
_OTHER_CONTENT_TYPES = ("spreadsheetml", "presentationml")

_MAX_TOTAL = 20 * 1024 * 1024
_MAX_RATIO = 100
_RATIO_MIN_SIZE = 10_000
_MAX_MEMBERS = 5_000
_MAX_DEPTH = 20  # style chains, nested tables
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_REL_DOCUMENT = "/officeDocument"
_REL_STYLES = "/styles"
_REL_NUMBERING = "/numbering"


class WordFileError(ValueError):
    """The file cannot be read as a Word document; ``message`` is Dutch text for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- XML helpers -------------------------------------------------------------------------------


def _local(tag: object) -> str:
    """The local name of an XML tag ("{ns}p" -> "p")."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _attr(element: Element | None, name: str) -> str | None:
    """An attribute by local name (w:val, w:ilvl …); None when missing."""
    if element is None:
        return None
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


def _child(element: Element | None, name: str) -> Element | None:
    """The first child with this local name."""
    if element is None:
        return None
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _val(element: Element | None, name: str) -> str | None:
    """The w:val of the child ``name``; None when the child is missing."""
    return _attr(_child(element, name), "val")


def _int(value: str | None, default: int | None = None) -> int | None:
    """An integer attribute value; ``default`` when missing or not a number."""
    if value is None:
        return default
    value = value.strip()
    if re.fullmatch(r"-?[0-9]{1,6}", value):
        return int(value)
    return default


def _on(element: Element | None) -> bool:
    """A Word on/off property: present and not switched off with w:val="0"/"false"."""
    if element is None:
        return False
    return (_attr(element, "val") or "true").lower() not in ("0", "false", "off")


def parse_xml(data: bytes) -> Element:
    """Parse one XML part safely: no DTD (also in UTF-16), no entities, no external references.

    Raises :class:`WordFileError` for a DTD or broken XML.
    """
    try:
        return safe_xml_parse(data)
    except UnsafeXML:
        raise WordFileError(MSG_DOCX_TOO_BIG) from None


# --- Styles ------------------------------------------------------------------------------------


@dataclass
class _Style:
    style_id: str = ""
    name: str = ""
    based_on: str = ""
    num_id: str | None = None
    ilvl: int | None = None
    outline: int | None = None
    indent: int | None = None


def _indent(properties: Element | None) -> int | None:
    """The left indent (twips) of a w:pPr, None when it sets none."""
    ind = _child(properties, "ind")
    return _int(_attr(ind, "left") or _attr(ind, "start"))


class Styles:
    """Paragraph styles from ``styles.xml``: numbering, outline level and name, with basedOn."""

    def __init__(self, root: Element | None) -> None:
        self.styles: dict[str, _Style] = {}
        self.default = ""
        if root is None:
            return
        for element in root:
            if _local(element.tag) != "style" or _attr(element, "type") not in (None, "paragraph"):
                continue
            style_id = _attr(element, "styleId") or ""
            properties = _child(element, "pPr")
            num_pr = _child(properties, "numPr")
            self.styles[style_id] = _Style(
                style_id=style_id,
                name=(_val(element, "name") or "").strip().lower(),
                based_on=_val(element, "basedOn") or "",
                num_id=_val(num_pr, "numId"),
                ilvl=_int(_val(num_pr, "ilvl")),
                outline=_int(_val(properties, "outlineLvl")),
                indent=_indent(properties),
            )
            if (_attr(element, "default") or "").lower() in ("1", "true", "on"):
                self.default = style_id

    def chain(self, style_id: str) -> list[_Style]:
        """The style and the styles it is based on, nearest first (loops stop)."""
        found: list[_Style] = []
        seen: set[str] = set()
        current = style_id or self.default
        while current and current not in seen and len(found) < _MAX_DEPTH:
            seen.add(current)
            style = self.styles.get(current)
            if style is None:
                break
            found.append(style)
            current = style.based_on
        return found

    def numbering(self, style_id: str) -> tuple[str | None, int | None]:
        """The (numId, ilvl) a style gives its paragraphs; the nearest setting of each wins."""
        num_id: str | None = None
        ilvl: int | None = None
        for style in self.chain(style_id):
            if num_id is None:
                num_id = style.num_id
            if ilvl is None:
                ilvl = style.ilvl
        return num_id, ilvl

    def outline(self, style_id: str) -> int | None:
        """The heading level (1-9) of a style: its outline level or a "heading N" name."""
        for style in self.chain(style_id):
            if style.outline is not None:
                return style.outline + 1 if 0 <= style.outline < 9 else None
            match = re.fullmatch(r"heading ([1-9])", style.name)
            if match:
                return int(match[1])
        return None

    def indent(self, style_id: str) -> int | None:
        """The left indent a style gives, the nearest setting wins."""
        for style in self.chain(style_id):
            if style.indent is not None:
                return style.indent
        return None

    def title(self, style_id: str) -> str:
        """ "title" or "subtitle" for Word's Title and Subtitle styles (and styles based on
        them), else ""."""
        for style in self.chain(style_id):
            if style.name in ("title", "subtitle"):
                return style.name
        return ""


# --- Numbering ---------------------------------------------------------------------------------


@dataclass
class Level:
    """One level of a list definition."""

    fmt: str = "decimal"
    text: str | None = None  # w:lvlText; None: "%<level>."
    start: int = 1
    restart: int | None = None  # w:lvlRestart; None: after any higher level
    legal: bool = False  # w:isLgl: all numbers in the label as decimals
    style: str = ""  # w:pStyle: the paragraph style that uses this level
    indent: int | None = None  # left indent of the level's paragraphs (twips)


_FALLBACK_LEVEL = Level(fmt="upperLetter")


def _read_level(element: Element) -> Level:
    fmt_element = _child(element, "numFmt")
    if fmt_element is None:  # Word 2010 custom formats hide in mc:AlternateContent
        alternate = _child(element, "AlternateContent")
        fmt_element = _child(_child(alternate, "Fallback"), "numFmt")
    return Level(
        fmt=_attr(fmt_element, "val") or "decimal",
        text=_val(element, "lvlText"),
        start=_int(_val(element, "start"), 1) or 0,
        restart=_int(_val(element, "lvlRestart")),
        legal=_on(_child(element, "isLgl")),
        style=_val(element, "pStyle") or "",
        indent=_indent(_child(element, "pPr")),
    )


def _letters(n: int) -> str:
    """Word's letter numbering: A … Z, AA, BB, … (a letter repeated)."""
    if n < 1:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


_ROMAN_VALUES = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, letters in _ROMAN_VALUES:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def format_number(fmt: str, n: int) -> str:
    """A counter value in a Word number format ("lowerRoman", 4 -> "iv")."""
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)  # decimal and every format we do not draw (ordinal, cardinalText, …)


_PLACEHOLDER_RE = re.compile(r"%([1-9])")
_BULLET = "\u2022"


@dataclass
class ListItem:
    """The list number of one paragraph."""

    label: str  # as Word shows it: "3.", "b)", "ii.", "•"; "" for format "none"
    level: int  # 0 = top level
    bullet: bool
    list_id: str  # paragraphs with the same list_id count together
    indent: int | None = None  # the level's left indent (twips)
    number: str = ""  # this level's own number in the label: "b" in "b)", "2" in "1.2."


class Numbering:
    """List definitions from ``numbering.xml`` and the running counters of one document."""

    def __init__(self, root: Element | None, styles: Styles) -> None:
        self.styles = styles
        self.abstract: dict[str, dict[int, Level]] = {}
        self.style_links: dict[str, str] = {}  # abstractNumId -> numbering style it follows
        self.links: dict[str, str] = {}  # numId -> abstractNumId
        self.overrides: dict[str, dict[int, tuple[int | None, Level | None]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.known = root is not None
        for element in root if root is not None else ():
            name = _local(element.tag)
            if name == "abstractNum":
                key = _attr(element, "abstractNumId") or ""
                levels = {}
                for level in element:
                    if _local(level.tag) == "lvl":
                        ilvl = _int(_attr(level, "ilvl"), 0) or 0
                        levels[ilvl] = _read_level(level)
                self.abstract[key] = levels
                link = _val(element, "numStyleLink")
                if link:
                    self.style_links[key] = link
            elif name == "num":
                num_id = _attr(element, "numId") or ""
                self.links[num_id] = _val(element, "abstractNumId") or ""
                overrides = {}
                for override in element:
                    if _local(override.tag) != "lvlOverride":
                        continue
                    ilvl = _int(_attr(override, "ilvl"), 0) or 0
                    start = _int(_val(override, "startOverride"))
                    level = _child(override, "lvl")
                    overrides[ilvl] = (start, _read_level(level) if level is not None else None)
                if overrides:
                    self.overrides[num_id] = overrides

    def _abstract_id(self, num_id: str) -> str | None:
        """The abstract definition of a list, following a numbering-style link once or more."""
        abstract_id = self.links.get(num_id)
        seen: set[str] = set()
        while abstract_id in self.style_links and abstract_id not in seen:
            seen.add(abstract_id)
            linked_num, _ = self.styles.numbering(self.style_links[abstract_id])
            target = self.links.get(linked_num or "")
            if target is None:
                break
            abstract_id = target
        return abstract_id if abstract_id in self.abstract else None

    def level_for_style(self, num_id: str, style_id: str) -> int | None:
        """The level whose w:pStyle names this paragraph style or the nearest style it is
        based on."""
        levels = self.abstract.get(self._abstract_id(num_id) or "", {})
        for style in self.styles.chain(style_id):
            for ilvl, level in levels.items():
                if level.style == style.style_id:
                    return ilvl
        return None

    def _levels(self, num_id: str) -> dict[int, Level] | None:
        abstract_id = self._abstract_id(num_id)
        if abstract_id is None:
            return None
        levels = dict(self.abstract[abstract_id])
        for ilvl, (start, level) in self.overrides.get(num_id, {}).items():
            base = level or levels.get(ilvl) or Level()
            if start is not None:
                base = Level(**{**base.__dict__, "start": start})
            levels[ilvl] = base
        return levels

    def item(self, num_id: str, ilvl: int) -> ListItem | None:
        """Count one paragraph of list ``num_id`` at level ``ilvl`` and return its label.

        Lists without a definition (no numbering.xml, unknown numId) count per numId and are
        shown with capital letters.
        """
        if not num_id or num_id == "0":
            return None
        ilvl = min(max(ilvl, 0), 8)
        levels = self._levels(num_id)
        if levels is None:
            if self.known and num_id not in self.links:
                return None  # Word draws nothing for a list it has no definition of
            levels = {}
            list_id = f"num:{num_id}"
            fallback = _FALLBACK_LEVEL
        else:
            # Lists continue each other's count unless this one restarts with an override.
            list_id = f"num:{num_id}" if num_id in self.overrides else self._abstract_id(num_id)
            fallback = Level()
        level = levels.get(ilvl, fallback)
        counters = self.counters.setdefault(list_id or "", {})
        counters[ilvl] = level.start if ilvl not in counters else counters[ilvl] + 1
        for deeper in [key for key in counters if key > ilvl]:
            restart = levels.get(deeper, fallback).restart
            if restart is None or (restart != 0 and ilvl <= restart - 1):
                del counters[deeper]
        if level.fmt == "bullet":
            text = level.text or ""
            shown = text if text.strip() and text.isprintable() and text.isascii() else _BULLET
            shown = shown if len(shown) <= 3 else _BULLET
            return ListItem(shown, ilvl, True, list_id or "", level.indent)
        pattern = level.text if level.text is not None else f"%{ilvl + 1}."

        def number(at: int) -> str:
            shown_level = levels.get(at, fallback)
            value = counters.get(at, shown_level.start)
            fmt = "decimal" if level.legal and shown_level.fmt != "none" else shown_level.fmt
            return format_number(fmt, value)

        label = _PLACEHOLDER_RE.sub(lambda match: number(int(match[1]) - 1), pattern).strip()
        mine = number(ilvl) if f"%{ilvl + 1}" in pattern else ""
        return ListItem(label, ilvl, False, list_id or "", level.indent, mine)


# --- Document content --------------------------------------------------------------------------


@dataclass
class Paragraph:
    """A paragraph as Word shows it."""

    text: str  # runs joined; "\n" for a line break, "\t" for a TAB
    item: ListItem | None = None  # the list number, when the paragraph is in a list
    heading: int = 0  # 1-9 for a heading (style or outline level), 0 for body text
    title: bool = False  # Word's Title style
    subtitle: bool = False  # Word's Subtitle style
    indent: int = 0  # left indent in twips: own, else the list level's, else the style's

    @property
    def shown(self) -> str:
        """The text with the list number in front, as Word draws it."""
        if self.item is not None and self.item.label and self.text.strip():
            return f"{self.item.label} {self.text.lstrip()}"
        return self.text


@dataclass
class Cell:
    """A table cell at its grid column (``span`` columns wide)."""

    blocks: list[Paragraph | Table]
    column: int
    span: int = 1
    continued: bool = False  # w:vMerge continuation: the cell above extends into this row

    @property
    def text(self) -> str:
        """The visible text of the cell, paragraphs joined with a space."""
        parts: list[str] = []
        for block in self.blocks:
            if isinstance(block, Table):
                parts.extend(cell.text for row in block.rows for cell in row.cells)
            else:
                parts.append(block.shown.replace("\n", " ").replace("\t", " "))
        return " ".join(part.strip() for part in parts if part.strip())


@dataclass
class Row:
    cells: list[Cell]
    header: bool = False  # w:tblHeader: repeated as header row on every page


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)

    @property
    def columns(self) -> int:
        """The number of grid columns used by the rows."""
        return max((c.column + c.span for row in self.rows for c in row.cells), default=0)

    def grid(self) -> list[list[str]]:
        """Cell texts per row and grid column; a vertically merged cell repeats its text."""
        width = self.columns
        above = [""] * width
        grid: list[list[str]] = []
        for row in self.rows:
            texts = [""] * width
            for cell in row.cells:
                texts[cell.column] = above[cell.column] if cell.continued else cell.text
            grid.append(texts)
            above = texts
        return grid


_SKIPPED = {
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
    "commentReference",
    "sdtPr",
    "sdtEndPr",
    "softHyphen",
    "fldData",
}
_WRAPPERS = {"sdt", "sdtContent", "customXml", "ins", "moveTo", "smartTag"}


class _Reader:
    """Walks the document body in order, so list counters run as Word counts them."""

    def __init__(self, styles: Styles, numbering: Numbering) -> None:
        self.styles = styles
        self.numbering = numbering

    def blocks(self, parent: Element, depth: int = 0) -> list[Paragraph | Table]:
        found: list[Paragraph | Table] = []
        carried = ""  # text of a paragraph whose paragraph mark was deleted
        for child in parent:
            name = _local(child.tag)
            if name == "p":
                rpr = _child(_child(child, "pPr"), "rPr")
                if _child(rpr, "del") is not None:
                    # A deleted paragraph mark: Word joins the text with the next paragraph,
                    # which keeps its own style and list number.
                    parts: list[str] = []
                    self.runs(child, parts)
                    carried += "".join(parts)
                    continue
                paragraph = self.paragraph(child)
                if carried:
                    paragraph.text = carried + paragraph.text
                    carried = ""
                found.append(paragraph)
            elif name == "tbl" and depth < _MAX_DEPTH:
                found.append(self.table(child, depth + 1))
            elif name in _WRAPPERS:
                found.extend(self.blocks(child, depth + 1))
        if carried:
            found.append(Paragraph(carried))
        return found

    def table(self, element: Element, depth: int) -> Table:
        table = Table()
        for row in self._children(element, "tr"):
            properties = _child(row, "trPr")
            column = _int(_val(properties, "gridBefore"), 0) or 0
            cells: list[Cell] = []
            for cell in self._children(row, "tc"):
                cell_pr = _child(cell, "tcPr")
                span = max(_int(_val(cell_pr, "gridSpan"), 1) or 1, 1)
                merge = _child(cell_pr, "vMerge")
                continued = merge is not None and (_attr(merge, "val") or "continue") == "continue"
                cells.append(Cell(self.blocks(cell, depth), column, min(span, 64), continued))
                column += min(span, 64)
            table.rows.append(Row(cells, _on(_child(properties, "tblHeader"))))
        return table

    def _children(self, element: Element, name: str) -> list[Element]:
        """Children with this local name, looking through content-control wrappers."""
        found: list[Element] = []
        for child in element:
            local = _local(child.tag)
            if local == name:
                found.append(child)
            elif local in _WRAPPERS:
                found.extend(self._children(child, name))
        return found

    def paragraph(self, element: Element) -> Paragraph:
        parts: list[str] = []
        self.runs(element, parts)
        text = "".join(parts)
        properties = _child(element, "pPr")
        style_id = _val(properties, "pStyle") or ""
        heading = self.styles.outline(style_id) or 0
        own_outline = _int(_val(properties, "outlineLvl"))
        if own_outline is not None:
            heading = own_outline + 1 if 0 <= own_outline < 9 else 0
        item = self.list_item(properties, style_id)
        indent = _indent(properties)
        if indent is None and item is not None:
            indent = item.indent
        if indent is None:
            indent = self.styles.indent(style_id)
        return Paragraph(
            text=text,
            item=item,
            heading=heading,
            title=self.styles.title(style_id) == "title",
            subtitle=self.styles.title(style_id) == "subtitle",
            indent=indent or 0,
        )

    def list_item(self, properties: Element | None, style_id: str) -> ListItem | None:
        num_pr = _child(properties, "numPr")
        num_id = _val(num_pr, "numId")
        ilvl = _int(_val(num_pr, "ilvl"))
        style_num, style_ilvl = self.styles.numbering(style_id)
        if num_id is None:
            num_id = style_num
        if num_id is None or num_id == "0":
            return None
        if ilvl is None:
            ilvl = style_ilvl
        if ilvl is None:
            ilvl = self.numbering.level_for_style(num_id, style_id)
        return self.numbering.item(num_id, ilvl or 0)

    def runs(self, element: Element, parts: list[str]) -> None:
        """Collect visible run text in document order."""
        for child in element:
            name = _local(child.tag)
            if name in _SKIPPED or name == "p":
                continue
            if name == "r" and _on(_child(_child(child, "rPr"), "vanish")):
                continue  # hidden text
            if name == "t":
                parts.append(child.text or "")
            elif name in ("tab", "ptab"):
                parts.append("\t")
            elif name in ("br", "cr"):
                parts.append("\n")
            elif name == "noBreakHyphen":
                parts.append("-")
            elif name == "sym":
                code = _attr(child, "char") or ""
                if re.fullmatch(r"[0-9A-Fa-f]{2,4}", code) and int(code, 16) < 0xE000:
                    parts.append(chr(int(code, 16)))
            else:
                self.runs(child, parts)


# --- The package -------------------------------------------------------------------------------


def _open(data: bytes) -> zipfile.ZipFile:
    """Open the zip and check its limits; refuse what is no Word file with a clear message."""
    if bytes(data[:8]) == _OLE_MAGIC:
        raise WordFileError(MSG_OLD_WORD)
    try:
        archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
        infos = archive.infolist()
    except Exception:  # any failure to read the zip directory means: not a docx
        if bytes(data[:4]) == b"PK\x03\x04":  # a zip that was cut off or damaged
            raise WordFileError(MSG_DOCX_DAMAGED) from None
        raise WordFileError(MSG_NOT_DOCX) from None
    if len(infos) > _MAX_MEMBERS:
        raise WordFileError(MSG_DOCX_TOO_BIG)
    total = 0
    for info in infos:
        total += max(info.file_size, 0)
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_MIN_SIZE and ratio > _MAX_RATIO:
            raise WordFileError(MSG_DOCX_TOO_BIG)
    if total > _MAX_TOTAL:
        raise WordFileError(MSG_DOCX_TOO_BIG)
    return archive


def _read(archive: zipfile.ZipFile, name: str) -> bytes | None:
    """Read one member, never more than the size limit; None when it is missing."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    try:
        with archive.open(info) as handle:
            data = handle.read(_MAX_TOTAL + 1)
    except Exception:  # encrypted, unsupported compression, bad CRC
        raise WordFileError(MSG_DOCX_TOO_BIG) from None
    if len(data) > _MAX_TOTAL:
        raise WordFileError(MSG_DOCX_TOO_BIG)
    return data


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship type suffix ("/styles") -> target part name, for one part."""
    folder, name = posixpath.split(part)
    data = _read(archive, posixpath.join(folder, "_rels", name + ".rels"))
    found: dict[str, str] = {}
    if data is None:
        return found
    for element in parse_xml(data):
        kind = _attr(element, "Type") or ""
        target = _attr(element, "Target") or ""
        if (_attr(element, "TargetMode") or "").lower() == "external" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        found.setdefault("/" + kind.rsplit("/", 1)[-1], posixpath.normpath(path))
    return found


def _content_type(archive: zipfile.ZipFile, part: str) -> str:
    """The content type [Content_Types].xml gives a part ("" when unknown)."""
    data = _read(archive, "[Content_Types].xml")
    if data is None:
        return ""
    by_extension = ""
    for element in parse_xml(data):
        if (_attr(element, "PartName") or "").lstrip("/") == part:
            return _attr(element, "ContentType") or ""
        if _attr(element, "Extension") == part.rsplit(".", 1)[-1]:
            by_extension = _attr(element, "ContentType") or ""
    return by_extension


def _main_part(archive: zipfile.ZipFile) -> str:
    """The Word document part, found as Word finds it: the package's officeDocument link."""
    names = set(archive.namelist())
    target = _relationships(archive, "").get(_REL_DOCUMENT)
    if target not in names and "word/document.xml" in names:
        target = "word/document.xml"
    kind = _content_type(archive, target) if target in names else ""
    if target in names and not any(other in kind for other in _OTHER_CONTENT_TYPES):
        return target
    _refuse(names, kind)


def _refuse(names: set[str], kind: str = "") -> NoReturn:
    """Say what a package that holds no Word document is."""
    if "[Content_Types].xml" not in names and "mimetype" not in names:
        raise WordFileError(MSG_NOT_DOCX)
    for fragment, what in _OTHER_OFFICE_KINDS.items():
        if fragment in kind or any(name.startswith(fragment) for name in names):
            raise WordFileError(MSG_OTHER_OFFICE.format(kind=what))
    raise WordFileError(MSG_DOCX_NO_TEXT)


def read_docx(data: bytes) -> list[Paragraph | Table]:
    """The body of a .docx as paragraphs (with list numbers) and tables, in order.

    Raises :class:`WordFileError` (with a Dutch ``message``) for files that are no zip, another
    Office format, an old .doc or password-protected file, zip bombs (declared total size over
    20 MB, or a member compressed more than 100 times), XML with a DTD, and broken XML.
    """
    archive = _open(data)
    with archive:
        main = _main_part(archive)
        links = _relationships(archive, main)
        document = parse_xml(_read(archive, main) or b"")
        styles_data = _read(archive, links.get(_REL_STYLES, "word/styles.xml"))
        numbering_data = _read(archive, links.get(_REL_NUMBERING, "word/numbering.xml"))
        styles = Styles(parse_xml(styles_data) if styles_data is not None else None)
        numbering = Numbering(
            parse_xml(numbering_data) if numbering_data is not None else None, styles
        )
        names = set(archive.namelist())
    body = _child(document, "body")
    if _local(document.tag) != "document" or body is None:
        _refuse(names)
    return _Reader(styles, numbering).blocks(body)
