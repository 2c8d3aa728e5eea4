"""Write ``rapport-rijnmond.docx``: the labelled report excerpt as a report in Word.

Run from the project root: ``python tests/data/citations/make_docx.py``. The file is
committed; reading it never depends on this script. The boxes ("Kader 4.x") become, in turn,
a one-column table, a table with the question and its tag in separate cells, a text frame
(a DrawingML text box with its VML fallback, as Word saves it) and shaded paragraphs; the
running text stays running text. The text is the same as ``rapport-rijnmond.txt``, so the
labels of ``rapport-rijnmond.expected.json`` hold for both.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import qn

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "rapport-rijnmond.txt"
TARGET = HERE / "rapport-rijnmond.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (
    f'xmlns:w="{W}" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
TAG = re.compile(r"^(?P<q>.*?\?[”\"]?(?:\s*\([^)]*\))?)\s*(?P<tag>\[[^\]]+\])$")


def text_frame(paragraph, lines: list[str]) -> None:
    """A text box anchored in ``paragraph``: DrawingML with the VML fallback."""
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>' for line in lines
    )
    run = parse_xml(
        f'<w:r {NS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="5400000" cy="1800000"/><wp:wrapTopAndBottom/><wp:docPr id="1" '
        'name="Tekstvak 1"/><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/'
        'word/2010/wordprocessingShape"><wps:wsp><wps:txbx><w:txbxContent>'
        f"{body}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic>"
        "</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>"
        f"<w:txbxContent>{body}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )
    paragraph._p.append(run)


def shade(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:shd {NS} w:val="clear" w:color="auto" w:fill="DCE6F2"/>'))


def build() -> bytes:
    document = docx.Document()
    boxes = 0
    lines = SOURCE.read_text(encoding="utf-8").split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("Kader "):
            box = []
            index += 1
            while index < len(lines) and lines[index].strip():
                box.append(lines[index])
                index += 1
            document.add_paragraph(line, style="Heading 3")
            style = boxes % 4
            boxes += 1
            if style == 0:  # one cell, all quotes in it
                cell = document.add_table(rows=1, cols=1).cell(0, 0)
                cell.paragraphs[0].text = box[0]
                for quote in box[1:]:
                    cell.add_paragraph(quote)
            elif style == 1:  # question | tag
                table = document.add_table(rows=len(box), cols=2)
                for row, quote in zip(table.rows, box, strict=True):
                    found = TAG.match(quote)
                    row.cells[0].text = found.group("q") if found else quote
                    row.cells[1].text = found.group("tag") if found else ""
            elif style == 2:
                text_frame(document.add_paragraph(), box)
            else:
                for quote in box:
                    shade(document.add_paragraph(quote))
            continue
        if line.startswith(("Hoofdstuk", "4.")) and len(line) < 80:
            document.add_paragraph(line, style="Heading 2")
        elif line.strip():
            document.add_paragraph(line)
        index += 1
    out = io.BytesIO()
    document.core_properties.author = "Onderzoeksteam (demo)"
    document.save(out)
    # Fixed timestamps: the same input gives the same file.
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    fixed = io.BytesIO()
    with zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2026, 12, 7, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item.filename))
    return fixed.getvalue()


if __name__ == "__main__":
    assert qn("w:p")
    TARGET.write_bytes(build())
    print(TARGET)
