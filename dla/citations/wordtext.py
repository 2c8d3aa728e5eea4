"""The text of a report in Word (.docx) for the citation check.

Quotes stand in running text, in tables (a box: one cell, or a row with the question and its
tag in separate cells), in shaded paragraphs and in text frames (text boxes). The body is read
with :func:`dla.agendas.wordfile.read_docx` (safe, as Word shows it: no tracked deletions, no
hidden text); text frames, which that reader leaves out, are read here from the same safely
parsed XML. Pure: no Flask, no database.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree.ElementTree import Element

from dla.agendas.wordfile import Paragraph, Table, WordFileError, parse_xml, read_docx
from dla.agendas.wordnumbering import first_child, is_on, local_name

__all__ = ["WordFileError", "docx_text"]

_SKIP = {"del", "delText", "instrText", "moveFrom", "pPr", "rPr", "fldData"}


def _blocks_text(blocks: list[Paragraph | Table], out: list[str]) -> None:
    for block in blocks:
        if isinstance(block, Table):
            for row in block.rows:
                # A row reads as one line: a question in one cell and its tag in the next.
                cells = [cell.text for cell in row.cells if not cell.continued]
                out.append(" ".join(c for c in cells if c))
            out.append("")
        else:
            out.append(block.shown)


def _runs(element: Element, parts: list[str]) -> None:
    for child in element:
        name = local_name(child.tag)
        if name in _SKIP:
            continue
        if name == "r" and is_on(first_child(first_child(child, "rPr"), "vanish")):
            continue
        if name == "t":
            parts.append(child.text or "")
        elif name in ("br", "cr", "tab"):
            parts.append(" ")
        else:
            _runs(child, parts)


def _frames(document: Element) -> list[str]:
    """The paragraphs of every text frame, once (Word stores a frame twice: as DrawingML and
    as a VML fallback)."""
    seen: set[str] = set()
    found: list[str] = []
    for frame in document.iter():
        if local_name(frame.tag) != "txbxContent":
            continue
        paragraphs = []
        for paragraph in frame.iter():
            if local_name(paragraph.tag) == "p":
                parts: list[str] = []
                _runs(paragraph, parts)
                paragraphs.append("".join(parts))
        text = "\n".join(paragraphs).strip()
        if text and text not in seen:
            seen.add(text)
            found.append(text)
    return found


def docx_text(data: bytes) -> str:
    """The report as plain text: body paragraphs, table rows and text frames, each frame
    after the body. Raises ``WordFileError`` (a Dutch ``message``) for what is no .docx."""
    blocks = read_docx(data)  # checks the zip (size, bombs, other formats) first
    out: list[str] = []
    _blocks_text(blocks, out)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            document = parse_xml(archive.read("word/document.xml"))
        except KeyError:
            document = None
    if document is not None:
        for frame in _frames(document):
            out.extend(["", frame, ""])
    return "\n".join(out)
