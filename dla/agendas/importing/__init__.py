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

The package: ``text`` (result types, Dutch messages, cleaning and line patterns), ``parser``
(the line-by-line state machine) and ``word`` (Word's structure as hints for the parser). This
module is the entrance: :func:`read_upload` and the names the rest of the app uses.
"""

from __future__ import annotations

from dla.agendas.importing.parser import parse_document
from dla.agendas.importing.text import (
    MAX_QUESTIONS,
    MAX_TEXT_LENGTH,
    MSG_FILE_EMPTY,
    OLE_MAGIC,
    DocumentError,
    ImportedQuestion,
    ParsedDocument,
    clean_text,
)
from dla.agendas.importing.word import docx_text, parse_docx

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


def read_upload(filename: str, data: bytes) -> ParsedDocument:
    """Parse an uploaded file: a Word document (by name or content) or a text file."""
    if not bytes(data).strip():
        raise DocumentError(MSG_FILE_EMPTY)
    head = bytes(data[:8])
    if filename.lower().endswith(".docx") or head[:4] == b"PK\x03\x04" or head == OLE_MAGIC:
        return parse_docx(data)
    return parse_document(clean_text(data))
