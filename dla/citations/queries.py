"""Read-only queries of the citations domain: the wordings a quote can come from, the
quotations made of a question, the versions that carry a report reference."""

from __future__ import annotations

from sqlalchemy import select

from dla.agendas.models import PUBLISHED, Agenda, Version, Wording
from dla.citations.matching import Source
from dla.citations.models import Quotation
from dla.extensions import db


def sources(region_id: int, readable=None) -> list[Source]:
    """Every wording in the region's history that the reader may read (``readable``:
    ``Access.readable_versions``; ``None`` for all), as sources for the citation check."""
    query = (
        select(
            Wording.id,
            Wording.thread_id,
            Wording.full_text,
            Wording.label,
            Agenda.title,
            Agenda.audience,
            Version.number,
            Version.id,
            Version.report_reference,
            Version.status,
        )
        .join(Version, Version.id == Wording.version_id)
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(Agenda.region_id == region_id)
        .order_by(Agenda.id, Version.number, Wording.position, Wording.id)
    )
    if readable is not None:
        query = query.where(readable)
    return [
        Source(
            key=wording_id,
            thread=thread_id,
            text=text,
            agenda=title,
            audience=audience,
            version=number,
            version_key=version_id,
            reference=reference or "",
            label=label,
            published=status == PUBLISHED,
        )
        for (
            wording_id,
            thread_id,
            text,
            label,
            title,
            audience,
            number,
            version_id,
            reference,
            status,
        ) in db.session.execute(query)
    ]


def thread_quotations(thread_id: int, readable=None) -> list[Quotation]:
    """The quotations made of a question (any of its readable wordings), newest first."""
    query = (
        select(Quotation)
        .join(Wording, Wording.id == Quotation.wording_id)
        .join(Version, Version.id == Wording.version_id)
        .where(Quotation.thread_id == thread_id)
        .order_by(Quotation.created_at.desc(), Quotation.id.desc())
    )
    if readable is not None:
        query = query.where(readable)
    return list(db.session.scalars(query))


def region_quotations(region_id: int, readable=None, limit: int = 50) -> list[Quotation]:
    query = (
        select(Quotation)
        .join(Wording, Wording.id == Quotation.wording_id)
        .join(Version, Version.id == Wording.version_id)
        .where(Quotation.region_id == region_id)
        .order_by(Quotation.created_at.desc(), Quotation.id.desc())
        .limit(limit)
    )
    if readable is not None:
        query = query.where(readable)
    return list(db.session.scalars(query))
