"""The citation check and quotations.

:func:`check_report` finds the quotes in a report (pasted text, a .txt or a .docx) and
matches them against the wordings the reader may read; :func:`create_quotation` records a
citation made from a wording ("Citeren"). Services flush, never commit.
"""

from __future__ import annotations

import logging
from datetime import date

from dla.agendas import importing
from dla.agendas.imports import region_stop_words
from dla.agendas.models import Wording
from dla.citations import queries
from dla.citations.extract import find_quotes
from dla.citations.matching import Result, Source, check, suggest_tag
from dla.citations.models import Quotation
from dla.citations.wordtext import WordFileError, docx_text
from dla.errors import ValidationError
from dla.extensions import db
from dla.regions.models import Region

log = logging.getLogger(__name__)

MAX_REPORT_LENGTH = importing.MAX_TEXT_LENGTH
MSG_EMPTY = "Plak de tekst van het rapport of kies een bestand (.docx of .txt)."
MSG_TOO_LONG = "Deze tekst is te lang. Controleer het rapport per hoofdstuk."
MSG_KIND = "Kies een Word-document (.docx) of een tekstbestand (.txt)."


def report_text(text: str = "", filename: str = "", data: bytes | None = None) -> str:
    """The report's text from pasted text or an uploaded .docx/.txt; a Dutch refusal for
    anything else."""
    if data:
        name = filename.lower()
        try:
            if name.endswith(".docx") or data[:4] == b"PK\x03\x04":
                text = docx_text(data)
            elif name.endswith(".txt") or not name:
                text = importing.clean_text(data)
            else:
                raise ValidationError(MSG_KIND)
        except WordFileError as error:
            raise ValidationError(error.message) from None
        except importing.DocumentError as error:
            raise ValidationError(error.message) from None
    else:
        try:
            text = importing.clean_text(text or "")
        except importing.DocumentError as error:
            raise ValidationError(error.message) from None
    if not text.strip():
        raise ValidationError(MSG_EMPTY)
    if len(text) > MAX_REPORT_LENGTH:
        raise ValidationError(MSG_TOO_LONG)
    return text


def check_report(region: Region, text: str, readable=None) -> list[Result]:
    """Every quote in ``text`` with its best readable source, kind, diff and tag check.

    ``readable`` (``Access.readable_versions``) keeps restricted versions out for those who
    may not read them: they are never matched, so never shown."""
    quotes = find_quotes(text)
    results = check(
        quotes, queries.sources(region.id, readable), stop_words=region_stop_words(region)
    )
    log.info("citation check in region %s: %d quotes", region.id, len(results))
    return results


def source_of(wording: Wording) -> Source:
    version = wording.version
    agenda = version.agenda
    return Source(
        key=wording.id,
        thread=wording.thread_id,
        text=wording.full_text,
        agenda=agenda.title,
        audience=agenda.audience,
        version=version.number,
        version_key=version.id,
        reference=version.report_reference,
        label=wording.label,
        published=version.is_published,
    )


def create_quotation(wording: Wording, *, created_by_id: int | None, today: date) -> Quotation:
    """Record that ``wording`` is quoted, with the tag a report should give it."""
    quotation = Quotation(
        region_id=wording.version.agenda.region_id,
        wording_id=wording.id,
        thread_id=wording.thread_id,
        tag=suggest_tag(source_of(wording)),
        cited_on=today,
        created_by_id=created_by_id,
    )
    db.session.add(quotation)
    db.session.flush()
    log.info("quotation %s of wording %s", quotation.id, wording.id)
    return quotation


def citation_text(quotation: Quotation, permalink: str, when: str) -> str:
    """The citation to paste into a report: the question, its tag, date and permalink."""
    text = quotation.wording.full_text
    if "?" in text:
        # The question itself: an annotation or provenance tag after the "?" is no part of it.
        text = text[: text.rindex("?") + 1]
    return f"“{text}” {quotation.tag} (geraadpleegd {when}, {permalink})"
