"""Read-side queries for measurements: a constant number of statements per page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select, true

from dla.agendas import history
from dla.agendas.models import Agenda, Version, Wording
from dla.agendas.queries import latest_published_ids, persistence_map
from dla.extensions import db
from dla.measurements.models import AUDIENCES, Indicator, IndicatorLink, Observation
from dla.regions.models import Region


@dataclass
class IndicatorRow:
    indicator: Indicator
    observations: int
    links: int
    latest: Observation | None


def region_indicators(region: Region, readable_threads=None) -> list[IndicatorRow]:
    """The region's indicators with their counts and latest observation: five queries.

    ``readable_threads`` (``Access.readable_threads``) counts only the links to questions
    the viewer may read."""
    indicators = db.session.scalars(
        select(Indicator).where(Indicator.region_id == region.id).order_by(Indicator.name)
    ).all()
    counts = dict(
        db.session.execute(
            select(Observation.indicator_id, func.count(Observation.id))
            .where(Observation.region_id == region.id)
            .group_by(Observation.indicator_id)
        ).all()
    )
    links = dict(
        db.session.execute(
            select(IndicatorLink.indicator_id, func.count(IndicatorLink.id))
            .where(
                IndicatorLink.region_id == region.id,
                IndicatorLink.thread_id.is_(None) | IndicatorLink.thread_id.in_(readable_threads)
                if readable_threads is not None
                else true(),
            )
            .group_by(IndicatorLink.indicator_id)
        ).all()
    )
    # The latest observation by date (then by entry) per indicator: small columns first.
    newest: dict[int, int] = {}
    for indicator_id, observation_id in db.session.execute(
        select(Observation.indicator_id, Observation.id)
        .where(Observation.region_id == region.id)
        .order_by(Observation.observed_on, Observation.id)
    ):
        newest[indicator_id] = observation_id
    latest = {
        o.indicator_id: o
        for o in db.session.scalars(
            select(Observation).where(Observation.id.in_(list(newest.values())))
        )
    }
    return [
        IndicatorRow(i, counts.get(i.id, 0), links.get(i.id, 0), latest.get(i.id))
        for i in indicators
    ]


@dataclass
class ThreadOption:
    thread_id: int
    text: str
    agenda_title: str
    status: str


def thread_options(region: Region, where=None, agenda_ids=None) -> list[ThreadOption]:
    """Every thread of the region with its latest visible published wording, for pickers:
    open threads first. Three queries."""
    latest_ids = latest_published_ids(region_id=region.id, agenda_ids=agenda_ids, where=where)
    rows = db.session.execute(
        select(Wording.thread_id, Wording.full_text, Agenda.title)
        .join(Version, Version.id == Wording.version_id)
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(Wording.id.in_(latest_ids))
    ).all()
    figures = persistence_map(region, where=where)
    options = [
        ThreadOption(
            thread_id,
            text,
            title,
            figures.get(thread_id, history.EMPTY).status,
        )
        for thread_id, text, title in rows
    ]
    options.sort(
        key=lambda o: (o.status not in (history.OPEN, history.MOVE), o.agenda_title, o.thread_id)
    )
    return options


@dataclass
class FeedbackNeeds:
    # Per audience key: the indicators that give it feedback.
    by_audience: dict[str, list[Indicator]]
    # Indicators that name no audience yet.
    without_audience: list[Indicator]
    # Open questions (latest visible wording) with no indicator linked.
    unmeasured: list[ThreadOption]
    open_questions: int


def feedback_needs(region: Region, where=None, agenda_ids=None) -> FeedbackNeeds:
    indicators = db.session.scalars(
        select(Indicator).where(Indicator.region_id == region.id).order_by(Indicator.name)
    ).all()
    by_audience: dict[str, list[Indicator]] = defaultdict(list)
    without = []
    for indicator in indicators:
        if not indicator.audience_list:
            without.append(indicator)
        for key in indicator.audience_list:
            by_audience[key].append(indicator)
    linked = set(
        db.session.scalars(
            select(IndicatorLink.thread_id).where(IndicatorLink.region_id == region.id)
        )
    )
    options = thread_options(region, where, agenda_ids)
    open_options = [o for o in options if o.status in (history.OPEN, history.MOVE)]
    return FeedbackNeeds(
        {key: by_audience.get(key, []) for key in AUDIENCES},
        without,
        [o for o in open_options if o.thread_id not in linked],
        len(open_options),
    )


def indicator_links(indicator_id: int) -> list[IndicatorLink]:
    """The indicator's links to questions and to barrier items, oldest first."""
    return list(
        db.session.scalars(
            select(IndicatorLink)
            .where(IndicatorLink.indicator_id == indicator_id)
            .order_by(IndicatorLink.id)
        )
    )


def thread_indicators(thread_id: int) -> list[tuple[Indicator, str]]:
    """The indicators linked to a thread, with the link's note: one query."""
    return [
        (indicator, note)
        for indicator, note in db.session.execute(
            select(Indicator, IndicatorLink.note)
            .join(IndicatorLink, IndicatorLink.indicator_id == Indicator.id)
            .where(IndicatorLink.thread_id == thread_id)
            .order_by(Indicator.name)
        )
    ]


def item_indicators(item_ids) -> dict[int, list[Indicator]]:
    """Per barrier item, the indicators linked to it: one query."""
    result: dict[int, list[Indicator]] = defaultdict(list)
    ids = list(item_ids)
    if not ids:
        return result
    for item_id, indicator in db.session.execute(
        select(IndicatorLink.item_id, Indicator)
        .join(Indicator, Indicator.id == IndicatorLink.indicator_id)
        .where(IndicatorLink.item_id.in_(ids))
        .order_by(Indicator.name)
    ):
        result[item_id].append(indicator)
    return result
