"""The DOCX writer: one version as a Word document in the DLA layout (``document_lines``,
which the printable page shares)."""

from __future__ import annotations

import io

from dla.exports.writers import document_lines

APP = "DLA-werkplaats"


def version_docx(version_doc: dict) -> bytes:
    """One version as a Word document in the DLA layout, in Dutch."""
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    properties = document.core_properties
    properties.title = version_doc["agenda_title"]
    properties.language = "nl-NL"
    # python-docx's template says "python-docx"; the document is the region's (its author
    # as written on the version, else the region), made with DLA-werkplaats.
    properties.author = version_doc.get("author") or version_doc.get("region_name") or APP
    properties.last_modified_by = APP
    properties.comments = f"Gemaakt met {APP}"
    properties.subject = version_doc.get("region_name") or ""
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    for kind, text in document_lines(version_doc):
        if kind == "title":
            document.add_heading(text, level=1)
        elif kind == "group":
            document.add_heading(text, level=2)
        elif kind == "meta":
            document.add_paragraph(text)
        elif kind == "context":
            paragraph = document.add_paragraph()
            paragraph.add_run(text).italic = True
        elif kind == "stem":
            paragraph = document.add_paragraph()
            paragraph.add_run(text).bold = True
        elif kind == "question":
            paragraph = document.add_paragraph(text)
            paragraph.paragraph_format.left_indent = Cm(0.6)
            paragraph.paragraph_format.first_line_indent = Cm(-0.6)
        else:
            paragraph = document.add_paragraph(text)
            paragraph.paragraph_format.left_indent = Cm(1.5)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
