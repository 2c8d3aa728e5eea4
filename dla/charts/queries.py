"""Read the plain chart input of a region: two queries whatever the amount of data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from dla.agendas.models import PUBLISHED, Agenda, Thread, Transition, Version, Wording
from dla.analysis.models import ACTOR, ASPECT, BARRIER, BarrierItem, BarrierLink, MatrixHeading
from dla.charts.data import Mark, VersionInfo, index_versions
from dla.db import shared_alias
from dla.extensions import db
from dla.regions.models import Region

# Built once: SQLAlchemy memoizes the alias's column adaptation on the object.
_DECIDED_IN = shared_alias(Version, "decided_in")


def readable_agendas(region: Region, rights) -> list[Agenda]:
    """The region's agendas that ``rights`` (an ``Access``) may read, by title."""
    agendas = db.session.scalars(
        select(Agenda).where(Agenda.region_id == region.id).order_by(Agenda.title)
    )
    return [agenda for agenda in agendas if rights.can_read_agenda(agenda)]


def barrier_thread_ids(region: Region, item_id: int) -> frozenset[int]:
    """The threads linked to the barrier item ``item_id`` of the region (the chart filter)."""
    return frozenset(
        db.session.scalars(
            select(BarrierLink.thread_id).where(
                BarrierLink.item_id == item_id, BarrierLink.region_id == region.id
            )
        )
    )


@dataclass
class ChartInput:
    versions: dict[int, VersionInfo]
    marks: list[Mark]


def chart_input(
    region: Region, *, agenda_ids: Iterable[int] | None = None, where=None
) -> ChartInput:
    """The published versions of the region (of ``agenda_ids`` when given, matching the
    visibility condition ``where`` on ``Version``) and all their wordings.

    A decision counts once the version it was taken in is published and visible.
    """
    query = (
        select(
            Version.id,
            Version.agenda_id,
            Agenda.title,
            Agenda.level,
            Agenda.audience,
            Version.number,
            Version.label,
            Version.document_date,
            Version.session_date,
        )
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(Agenda.region_id == region.id, Version.status == PUBLISHED)
    )
    if agenda_ids is not None:
        query = query.where(Agenda.id.in_(list(agenda_ids)))
    if where is not None:
        query = query.where(where)
    versions = index_versions(
        VersionInfo(
            id=row.id,
            agenda_id=row.agenda_id,
            agenda_title=row.title,
            level=row.level,
            audience=row.audience,
            number=row.number,
            label=row.label or "",
            day=row.document_date or row.session_date,
        )
        for row in db.session.execute(query)
    )
    if not versions:
        return ChartInput({}, [])
    rows = db.session.execute(
        select(
            Wording.thread_id,
            Wording.id,
            Wording.version_id,
            Wording.label,
            Wording.full_text,
            Transition.kind,
            _DECIDED_IN.id,
            Thread.split_from_id,
            Wording.barrier,
        )
        .join(Thread, Thread.id == Wording.thread_id)
        .outerjoin(Transition, Transition.from_wording_id == Wording.id)
        .outerjoin(
            _DECIDED_IN,
            (_DECIDED_IN.id == Transition.version_id) & (_DECIDED_IN.status == PUBLISHED),
        )
        .where(Wording.version_id.in_(list(versions)))
    ).all()
    marks = []
    for row in rows:
        thread_id, wording_id, version_id, label, text, kind, decided, split_from, barrier = row
        marks.append(
            Mark(
                thread_id=thread_id,
                wording_id=wording_id,
                version_id=version_id,
                label=label,
                text=text,
                transition=kind if decided in versions else None,
                decided_version_id=decided if decided in versions else None,
                split_from=split_from,
                barrier=barrier or "",
            )
        )
    return ChartInput(versions, marks)


@dataclass
class MatrixInput:
    aspects: list[tuple[int, str]]
    actors: list[tuple[int, str]]
    items: list[tuple[int, int, int]]
    links: list[tuple[int, int]]


def matrix_input(region: Region) -> MatrixInput:
    """The region's matrix headings, barrier items and their thread links: three queries."""
    headings = db.session.execute(
        select(MatrixHeading.id, MatrixHeading.axis, MatrixHeading.name)
        .where(MatrixHeading.region_id == region.id)
        .order_by(MatrixHeading.position, MatrixHeading.id)
    ).all()
    items = db.session.execute(
        select(BarrierItem.id, BarrierItem.aspect_id, BarrierItem.actor_id).where(
            BarrierItem.region_id == region.id, BarrierItem.kind == BARRIER
        )
    ).all()
    links = db.session.execute(
        select(BarrierLink.item_id, BarrierLink.thread_id).where(BarrierLink.region_id == region.id)
    ).all()
    return MatrixInput(
        aspects=[(h.id, h.name) for h in headings if h.axis == ASPECT],
        actors=[(h.id, h.name) for h in headings if h.axis == ACTOR],
        items=[tuple(row) for row in items],
        links=[tuple(row) for row in links],
    )
