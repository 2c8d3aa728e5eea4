"""Read a Word (.docx) file as Word shows it: paragraphs with their list numbers, and tables.

The zip is opened with size limits and every XML part is parsed by
:func:`dla.safexml.safe_xml_parse` (``defusedxml``: no DTD, no entities, in any encoding).
The list number Word draws in front of a paragraph is not stored as text; ``wordnumbering``
computes it the way Word does, from the paragraph styles and ``numbering.xml``.

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

from dla.agendas.wordnumbering import (
    MAX_DEPTH,
    ListItem,
    Numbering,
    Styles,
    attr_value,
    child_val,
    first_child,
    indent_of,
    is_on,
    local_name,
    to_int,
)
from dla.safexml import UnsafeXML, safe_xml_parse

__all__ = [
    "Cell",
    "Paragraph",
    "Row",
    "Table",
    "WordFileError",
    "parse_xml",
    "read_docx",
]

MSG_NOT_DOCX = "Dit is geen Word-bestand (.docx)."
MSG_DOCX_TOO_BIG = "Dit Word-bestand is te groot of beschadigd."
MSG_DOCX_NO_TEXT = (
    "Dit is geen Word-bestand: er staat geen Word-document in. Sla de leeragenda in Word op "
    "als Word-document (.docx)."
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
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_REL_DOCUMENT = "/officeDocument"
_REL_STYLES = "/styles"
_REL_NUMBERING = "/numbering"


class WordFileError(ValueError):
    """The file cannot be read as a Word document; ``message`` is Dutch text for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_xml(data: bytes) -> Element:
    """Parse one XML part safely: no DTD (also in UTF-16), no entities, no external references.

    Raises :class:`WordFileError` for a DTD or broken XML.
    """
    try:
        return safe_xml_parse(data)
    except UnsafeXML:
        raise WordFileError(MSG_DOCX_TOO_BIG) from None


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
            name = local_name(child.tag)
            if name == "p":
                rpr = first_child(first_child(child, "pPr"), "rPr")
                if first_child(rpr, "del") is not None:
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
            elif name == "tbl" and depth < MAX_DEPTH:
                found.append(self.table(child, depth + 1))
            elif name in _WRAPPERS:
                found.extend(self.blocks(child, depth + 1))
        if carried:
            found.append(Paragraph(carried))
        return found

    def table(self, element: Element, depth: int) -> Table:
        table = Table()
        for row in self._children(element, "tr"):
            properties = first_child(row, "trPr")
            column = to_int(child_val(properties, "gridBefore"), 0) or 0
            cells: list[Cell] = []
            for cell in self._children(row, "tc"):
                cell_pr = first_child(cell, "tcPr")
                span = max(to_int(child_val(cell_pr, "gridSpan"), 1) or 1, 1)
                merge = first_child(cell_pr, "vMerge")
                continued = (
                    merge is not None and (attr_value(merge, "val") or "continue") == "continue"
                )
                cells.append(Cell(self.blocks(cell, depth), column, min(span, 64), continued))
                column += min(span, 64)
            table.rows.append(Row(cells, is_on(first_child(properties, "tblHeader"))))
        return table

    def _children(self, element: Element, name: str) -> list[Element]:
        """Children with this local name, looking through content-control wrappers."""
        found: list[Element] = []
        for child in element:
            local = local_name(child.tag)
            if local == name:
                found.append(child)
            elif local in _WRAPPERS:
                found.extend(self._children(child, name))
        return found

    def paragraph(self, element: Element) -> Paragraph:
        parts: list[str] = []
        self.runs(element, parts)
        text = "".join(parts)
        properties = first_child(element, "pPr")
        style_id = child_val(properties, "pStyle") or ""
        heading = self.styles.outline(style_id) or 0
        own_outline = to_int(child_val(properties, "outlineLvl"))
        if own_outline is not None:
            heading = own_outline + 1 if 0 <= own_outline < 9 else 0
        item = self.list_item(properties, style_id)
        indent = indent_of(properties)
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
        num_pr = first_child(properties, "numPr")
        num_id = child_val(num_pr, "numId")
        ilvl = to_int(child_val(num_pr, "ilvl"))
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
            name = local_name(child.tag)
            if name in _SKIPPED or name == "p":
                continue
            if name == "r" and is_on(first_child(first_child(child, "rPr"), "vanish")):
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
                code = attr_value(child, "char") or ""
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
        kind = attr_value(element, "Type") or ""
        target = attr_value(element, "Target") or ""
        if (attr_value(element, "TargetMode") or "").lower() == "external" or not target:
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
        if (attr_value(element, "PartName") or "").lstrip("/") == part:
            return attr_value(element, "ContentType") or ""
        if attr_value(element, "Extension") == part.rsplit(".", 1)[-1]:
            by_extension = attr_value(element, "ContentType") or ""
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
    body = first_child(document, "body")
    if local_name(document.tag) != "document" or body is None:
        _refuse(names)
    return _Reader(styles, numbering).blocks(body)
