"""Read side: the matrix, an item's questions, a thread's links and suggestions, the
persistent-barriers view and the milestone overview, each in a constant number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select, true
from sqlalchemy.orm import selectinload

from dla import dates
from dla.agendas import history
from dla.agendas.imports import region_stop_words
from dla.agendas.models import PUBLISHED, Agenda, Thread, Version, Wording
from dla.agendas.queries import latest_published_ids, persistence_map
from dla.analysis import ranking
from dla.analysis.models import (
    ACTOR,
    ASPECT,
    BARRIER,
    MILESTONE_STATUSES,
    BarrierItem,
    BarrierLink,
    Decision,
    MatrixHeading,
    Milestone,
    MilestoneAction,
    MilestoneLink,
)
from dla.caching import store
from dla.caching.models import ANALYSIS
from dla.db import shared_alias
from dla.extensions import db
from dla.regions.models import Region

# Aliases are built once (SQLAlchemy memoizes their column adaptation on the object).
_ASPECT = shared_alias(MatrixHeading, "aspect")
_ACTOR = shared_alias(MatrixHeading, "actor")

# --- the matrix ----------------------------------------------------------------------------------


@dataclass
class Cell:
    aspect: MatrixHeading
    actor: MatrixHeading
    items: list[BarrierItem] = field(default_factory=list)

    @property
    def barriers(self) -> int:
        return sum(1 for i in self.items if i.kind == BARRIER)

    @property
    def chances(self) -> int:
        return len(self.items) - self.barriers

    @property
    def key(self) -> str:
        return f"{self.aspect.id}-{self.actor.id}"


@dataclass
class Matrix:
    aspects: list[MatrixHeading]
    actors: list[MatrixHeading]
    cells: dict[tuple[int, int], Cell]
    link_counts: dict[int, int]

    def cell(self, aspect: MatrixHeading, actor: MatrixHeading) -> Cell:
        return self.cells.get((aspect.id, actor.id)) or Cell(aspect, actor)

    @property
    def total(self) -> int:
        return sum(len(c.items) for c in self.cells.values())


def matrix(region: Region) -> Matrix:
    """Headings, items per cell and the number of linked questions per item (3 queries)."""
    heads = db.session.scalars(
        select(MatrixHeading)
        .where(MatrixHeading.region_id == region.id)
        .order_by(MatrixHeading.position, MatrixHeading.id)
    ).all()
    by_id = {h.id: h for h in heads}
    items = db.session.scalars(
        select(BarrierItem).where(BarrierItem.region_id == region.id).order_by(BarrierItem.id)
    ).all()
    cells: dict[tuple[int, int], Cell] = {}
    for item in items:
        key = (item.aspect_id, item.actor_id)
        if key not in cells:
            cells[key] = Cell(by_id[item.aspect_id], by_id[item.actor_id])
        cells[key].items.append(item)
    link_counts = dict(
        db.session.execute(
            select(BarrierLink.item_id, func.count(BarrierLink.id))
            .where(BarrierLink.region_id == region.id)
            .group_by(BarrierLink.item_id)
        ).all()
    )
    return Matrix(
        [h for h in heads if h.axis == ASPECT],
        [h for h in heads if h.axis == ACTOR],
        cells,
        link_counts,
    )


def cell(region: Region, aspect: MatrixHeading, actor: MatrixHeading) -> Cell:
    items = db.session.scalars(
        select(BarrierItem)
        .where(
            BarrierItem.region_id == region.id,
            BarrierItem.aspect_id == aspect.id,
            BarrierItem.actor_id == actor.id,
        )
        .order_by(BarrierItem.id)
    ).all()
    return Cell(aspect, actor, list(items))


def link_counts(item_ids: list[int]) -> dict[int, int]:
    """Number of linked questions per item."""
    if not item_ids:
        return {}
    return dict(
        db.session.execute(
            select(BarrierLink.item_id, func.count(BarrierLink.id))
            .where(BarrierLink.item_id.in_(item_ids))
            .group_by(BarrierLink.item_id)
        ).all()
    )


# --- questions of items, links of a thread -------------------------------------------------------


@dataclass
class LinkedQuestion:
    thread_id: int
    wording: Wording
    version: Version
    agenda: Agenda
    persistence: history.Persistence
    note: str = ""
    link_id: int | None = None

    @property
    def code(self) -> str:
        return f"LV-{self.thread_id}"


def _latest_wordings(thread_ids, where=None) -> dict[int, tuple[Wording, Version, Agenda]]:
    """Each thread's latest wording in a published version that matches ``where``."""
    latest = latest_published_ids(thread_ids=thread_ids, where=where)
    rows = db.session.execute(
        select(Wording, Version, Agenda)
        .join(Version, Version.id == Wording.version_id)
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(Wording.id.in_(latest))
    ).all()
    return {w.thread_id: (w, v, a) for w, v, a in rows}


def item_questions(item: BarrierItem, where=None) -> list[LinkedQuestion]:
    """Every question that names the item, across agendas and levels, with persistence."""
    links = db.session.execute(
        select(BarrierLink.thread_id, BarrierLink.note, BarrierLink.id).where(
            BarrierLink.item_id == item.id
        )
    ).all()
    thread_ids = [row[0] for row in links]
    if not thread_ids:
        return []
    latest = _latest_wordings(thread_ids, where)
    region = db.session.get(Region, item.region_id)
    figures = persistence_map(region, thread_ids, where)
    result = []
    for thread_id, note, link_id in links:
        if thread_id not in latest:
            continue  # only in a concept, or in a version this person may not see
        wording, version, agenda = latest[thread_id]
        result.append(
            LinkedQuestion(
                thread_id,
                wording,
                version,
                agenda,
                figures.get(thread_id, history.EMPTY),
                note,
                link_id,
            )
        )
    level_order = {name: i for i, name in enumerate(ranking.LEVEL_ORDER)}
    result.sort(
        key=lambda q: (
            not q.persistence.hardnekkig,
            level_order.get(q.agenda.level, 9),
            q.agenda.title,
            q.thread_id,
        )
    )
    return result


@dataclass(frozen=True)
class ItemChoice:
    """A barrier item as plain data, for pickers and suggestions."""

    id: int
    kind: str
    description: str
    aspect: str
    actor: str

    @property
    def code(self) -> str:
        return f"{'B' if self.kind == BARRIER else 'K'}-{self.id}"


def item_choices(region_id: int) -> list[ItemChoice]:
    """The region's items with their cell names, as plain rows (one query, once per change
    of the region's system analysis: every question page and chart page of the region
    shows them, and they are the same for everyone who may see them)."""

    def build() -> tuple[ItemChoice, ...]:
        rows = db.session.execute(
            select(
                BarrierItem.id, BarrierItem.kind, BarrierItem.description, _ASPECT.name, _ACTOR.name
            )
            .join(_ASPECT, _ASPECT.id == BarrierItem.aspect_id)
            .join(_ACTOR, _ACTOR.id == BarrierItem.actor_id)
            .where(BarrierItem.region_id == region_id)
            .order_by(BarrierItem.kind, BarrierItem.description)
        ).all()
        return tuple(ItemChoice(*row) for row in rows)

    parts = ("item-choices", region_id)
    return list(store.cached(parts, build, region_id=region_id, readable="-", topics=(ANALYSIS,)))


@dataclass
class ThreadPanel:
    links: list[tuple[BarrierLink, ItemChoice]]
    suggestions: list[tuple[ItemChoice, float]]
    items: list[ItemChoice]
    milestones: list[MilestoneLink]
    barrier: str


def thread_panel(thread: Thread, barrier: str) -> ThreadPanel:
    """The thread's linked items, suggested items for its barrier clause, and milestones."""
    region = db.session.get(Region, thread.region_id)
    links = db.session.scalars(
        select(BarrierLink).where(BarrierLink.thread_id == thread.id).order_by(BarrierLink.id)
    ).all()
    items = item_choices(region.id)
    by_id = {i.id: i for i in items}
    linked = {link.item_id for link in links}
    scored = ranking.suggest_items(
        barrier,
        [(i.id, i.description) for i in items if i.kind == BARRIER],
        exclude=linked,
        stop_words=region_stop_words(region),
    )
    milestones = db.session.scalars(
        select(MilestoneLink)
        .where(MilestoneLink.thread_id == thread.id)
        .options(selectinload(MilestoneLink.milestone))
    ).all()
    return ThreadPanel(
        [(link, by_id[link.item_id]) for link in links],
        [(by_id[item_id], score) for item_id, score in scored],
        [i for i in items if i.id not in linked],
        list(milestones),
        barrier,
    )


def latest_barrier(thread: Thread) -> str:
    """The barrier clause of the thread's newest wording (concept included), or ``""``."""
    wording = db.session.scalar(
        select(Wording).where(Wording.thread_id == thread.id).order_by(Wording.id.desc()).limit(1)
    )
    return wording.barrier if wording is not None else ""


def region_agendas(region_id: int) -> list[Agenda]:
    """The region's agendas by level and title: where a question can be escalated to."""
    return list(
        db.session.scalars(
            select(Agenda).where(Agenda.region_id == region_id).order_by(Agenda.level, Agenda.title)
        )
    )


def suggestions_for_text(region: Region, barrier: str) -> list[tuple[ItemChoice, float]]:
    """Barrier items that resemble a barrier clause being written (one query)."""
    if not barrier.strip():
        return []
    items = [i for i in item_choices(region.id) if i.kind == BARRIER]
    by_id = {i.id: i for i in items}
    scored = ranking.suggest_items(
        barrier, [(i.id, i.description) for i in items], stop_words=region_stop_words(region)
    )
    return [(by_id[item_id], score) for item_id, score in scored]


# --- decisions and milestones of items -----------------------------------------------------------


def region_items(region: Region) -> list[BarrierItem]:
    """The region's barrier items by description, for the milestone's link picker."""
    return list(
        db.session.scalars(
            select(BarrierItem)
            .where(BarrierItem.region_id == region.id)
            .order_by(BarrierItem.description)
        )
    )


def decisions(*, item_id: int | None = None, milestone_id: int | None = None) -> list[Decision]:
    query = select(Decision).order_by(Decision.decided_on.desc(), Decision.id.desc())
    if item_id is not None:
        query = query.where(Decision.item_id == item_id)
    if milestone_id is not None:
        query = query.where(Decision.milestone_id == milestone_id)
    return list(db.session.scalars(query))


def item_milestones(item: BarrierItem) -> list[Milestone]:
    return list(
        db.session.scalars(
            select(Milestone)
            .join(MilestoneLink, MilestoneLink.milestone_id == Milestone.id)
            .where(MilestoneLink.item_id == item.id)
            .order_by(Milestone.id)
        )
    )


# --- the persistent-barriers view ----------------------------------------------------------------


@dataclass
class PersistentRow:
    rank: ranking.BarrierRank
    item: BarrierItem
    aspect: str
    actor: str
    decisions: list[Decision]
    milestones: list[tuple[int, str, str]]

    @property
    def points(self) -> str:
        return ranking.sparkline_points(self.rank.sparkline)

    @property
    def dots(self) -> list[tuple[str, str]]:
        """The points of the sparkline as (x, y) pairs, for a dot per version date."""
        return [tuple(point.split(",")) for point in self.points.split()]

    @property
    def sparkline_top(self) -> int:
        """The top of the sparkline's scale (its bottom is 0)."""
        return max((count for _day, count in self.rank.sparkline), default=0)

    @property
    def sparkline_label(self) -> str:
        if not self.rank.sparkline:
            return "Geen open gekoppelde vragen in vastgestelde versies."
        parts = [f"{dates.short(day)}: {n}" for day, n in self.rank.sparkline]
        return "Open gekoppelde vragen per versiedatum: " + ", ".join(parts)


def persistent_barriers(
    region: Region, *, only_persistent: bool = False, where=None
) -> list[PersistentRow]:
    """Barrier items with linked questions, ranked by persistence (seven queries).

    ``where`` limits the questions to versions the person may read (see
    ``Access.readable_versions``): a question that stands in none of them is neither listed nor
    counted, so the ranking of a deelnemer rests on the agendas they take part in.
    """
    item_rows = db.session.execute(
        select(BarrierItem, _ASPECT.name, _ACTOR.name)
        .join(_ASPECT, _ASPECT.id == BarrierItem.aspect_id)
        .join(_ACTOR, _ACTOR.id == BarrierItem.actor_id)
        .where(
            BarrierItem.region_id == region.id,
            BarrierItem.kind == BARRIER,
            BarrierItem.id.in_(select(BarrierLink.item_id)),
        )
    ).all()
    if not item_rows:
        return []
    links = db.session.execute(
        select(BarrierLink.item_id, BarrierLink.thread_id).where(BarrierLink.region_id == region.id)
    ).all()
    linked_threads = select(BarrierLink.thread_id).where(BarrierLink.region_id == region.id)
    figures = persistence_map(region, linked_threads, where)
    appearances = db.session.execute(
        select(
            Wording.thread_id,
            Agenda.id,
            Agenda.level,
            func.coalesce(Version.document_date, Version.session_date),
        )
        .join(Version, Version.id == Wording.version_id)
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(
            Agenda.region_id == region.id,
            Version.status == PUBLISHED,
            Wording.thread_id.in_(linked_threads),
            *([] if where is None else [where]),
        )
    ).all()
    levels: dict[int, set[str]] = defaultdict(set)
    agendas: dict[int, set[int]] = defaultdict(set)
    dates: dict[int, set[date]] = defaultdict(set)
    for thread_id, agenda_id, level, day in appearances:
        levels[thread_id].add(level)
        agendas[thread_id].add(agenda_id)
        if day is not None:
            dates[thread_id].add(day)
    facts: dict[int, list[ranking.ThreadFacts]] = defaultdict(list)
    for item_id, thread_id in links:
        figure = figures.get(thread_id)
        if figure is None or thread_id not in levels:
            continue  # not in any published version (that this person may read) yet
        facts[item_id].append(
            ranking.ThreadFacts(
                thread_id=thread_id,
                hardnekkig=figure.hardnekkig,
                is_open=figure.is_open,
                versions_present=figure.versions_present,
                age_months=figure.age_months,
                levels=frozenset(levels[thread_id]),
                agendas=frozenset(agendas[thread_id]),
                dates=frozenset(dates[thread_id]),
            )
        )
    by_item = {item.id: (item, a, b) for item, a, b in item_rows}
    ranks = ranking.rank_barriers({k: v for k, v in facts.items() if k in by_item})
    if only_persistent:
        ranks = [r for r in ranks if r.persistent]
    item_ids = [r.item_id for r in ranks]
    decided: dict[int, list[Decision]] = defaultdict(list)
    for decision in db.session.scalars(
        select(Decision)
        .where(Decision.item_id.in_(item_ids))
        .order_by(Decision.decided_on.desc(), Decision.id.desc())
    ):
        decided[decision.item_id].append(decision)
    milestones: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for item_id, milestone_id, title, status in db.session.execute(
        select(MilestoneLink.item_id, Milestone.id, Milestone.title, Milestone.status)
        .join(Milestone, Milestone.id == MilestoneLink.milestone_id)
        .where(MilestoneLink.item_id.in_(item_ids))
    ):
        milestones[item_id].append((milestone_id, title, MILESTONE_STATUSES.get(status, status)))
    result = []
    for rank in ranks:
        item, aspect_name, actor_name = by_item[rank.item_id]
        result.append(
            PersistentRow(
                rank, item, aspect_name, actor_name, decided[item.id], milestones[item.id]
            )
        )
    return result


# --- milestones ----------------------------------------------------------------------------------


@dataclass
class MilestoneRow:
    milestone: Milestone
    actions: dict[str, int]
    links: int
    decisions: int

    @property
    def actions_total(self) -> int:
        return sum(self.actions.values())


def milestone_overview(region: Region, readable_threads=None) -> list[MilestoneRow]:
    """Every milestone with its actions per status and numbers of links and decisions
    (links to questions only when in ``readable_threads``, see ``Access.readable_threads``)."""
    milestones = db.session.scalars(
        select(Milestone).where(Milestone.region_id == region.id).order_by(Milestone.id)
    ).all()
    actions: dict[int, dict[str, int]] = defaultdict(dict)
    for milestone_id, status, count in db.session.execute(
        select(MilestoneAction.milestone_id, MilestoneAction.status, func.count())
        .where(MilestoneAction.region_id == region.id)
        .group_by(MilestoneAction.milestone_id, MilestoneAction.status)
    ):
        actions[milestone_id][status] = count
    links = dict(
        db.session.execute(
            select(MilestoneLink.milestone_id, func.count())
            .where(
                MilestoneLink.region_id == region.id,
                MilestoneLink.thread_id.is_(None) | MilestoneLink.thread_id.in_(readable_threads)
                if readable_threads is not None
                else true(),
            )
            .group_by(MilestoneLink.milestone_id)
        ).all()
    )
    decided = dict(
        db.session.execute(
            select(Decision.milestone_id, func.count())
            .where(Decision.region_id == region.id, Decision.milestone_id.is_not(None))
            .group_by(Decision.milestone_id)
        ).all()
    )
    return [
        MilestoneRow(m, actions[m.id], links.get(m.id, 0), decided.get(m.id, 0)) for m in milestones
    ]


@dataclass
class MilestoneLinks:
    questions: list[tuple[MilestoneLink, LinkedQuestion | None]]
    items: list[MilestoneLink]


def milestone_links(milestone: Milestone, where=None) -> MilestoneLinks:
    links = db.session.scalars(
        select(MilestoneLink)
        .where(MilestoneLink.milestone_id == milestone.id)
        .order_by(MilestoneLink.id)
    ).all()
    thread_ids = [link.thread_id for link in links if link.thread_id]
    latest = _latest_wordings(thread_ids, where) if thread_ids else {}
    region = db.session.get(Region, milestone.region_id)
    figures = persistence_map(region, thread_ids, where) if thread_ids else {}
    questions = []
    for link in links:
        if link.thread_id is None:
            continue
        found = latest.get(link.thread_id)
        if found is None and where is not None:
            continue  # a question only in versions the viewer may not read: not even its number
        questions.append(
            (
                link,
                LinkedQuestion(
                    link.thread_id,
                    *found,
                    figures.get(link.thread_id, history.EMPTY),
                )
                if found
                else None,
            )
        )
    return MilestoneLinks(questions, [link for link in links if link.item_id])


def region_threads(region: Region, where=None) -> list[tuple[int, str]]:
    """(thread id, latest published wording) of the region's threads, for link pickers."""
    latest = latest_published_ids(region_id=region.id, where=where)
    return list(
        db.session.execute(
            select(Wording.thread_id, Wording.full_text)
            .where(Wording.id.in_(latest))
            .order_by(Wording.thread_id)
        ).all()
    )
