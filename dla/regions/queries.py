"""Read side of regions: the list with its counts, a region's agendas."""

from __future__ import annotations

from sqlalchemy import func, select

from dla.agendas.models import Agenda, Thread
from dla.extensions import db
from dla.regions.models import Region


def visible_regions(rights) -> list[Region]:
    """The regions a person sees in the list: all for an administrator, else their own."""
    query = select(Region).order_by(Region.name)
    if not rights.is_admin:
        query = query.where(Region.id.in_(list(rights.roles)))
    return db.session.scalars(query).all()


def agenda_counts() -> dict[int, int]:
    """Agendas per region id."""
    return dict(
        db.session.execute(
            select(Agenda.region_id, func.count(Agenda.id)).group_by(Agenda.region_id)
        ).all()
    )


def thread_counts(rights, regions: list[Region]) -> dict[int, int]:
    """Questions per region id, counting only those the person may read in the regions they
    are a member of (restricted versions stay uncounted)."""
    counts = dict(
        db.session.execute(
            select(Thread.region_id, func.count(Thread.id)).group_by(Thread.region_id)
        ).all()
    )
    for region in regions:
        readable = rights.readable_threads(region.id)
        if readable is not None and rights.is_member(region.id):
            counts[region.id] = db.session.scalar(
                select(func.count(Thread.id)).where(Thread.id.in_(readable))
            )
    return counts


def readable_agendas(region_id: int, rights) -> list[Agenda]:
    """The region's agendas the person may read, by title."""
    return [
        agenda
        for agenda in db.session.scalars(
            select(Agenda).where(Agenda.region_id == region_id).order_by(Agenda.title)
        )
        if rights.can_read_agenda(agenda)
    ]
