"""Read side of the taskforce pages: the digest since a date, the decisions and actions
register, the start page's counts and the programme view's rows.

Everything that reads question text takes ``rights`` (an ``Access``) and applies
``Access.readable_versions``; the persistence figures come from the existing
``persistent_barriers`` / ``persistence_map`` (never recomputed here).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from dla.agendas.imports import region_stop_words
from dla.agendas.models import PUBLISHED, Agenda, Version, Wording
from dla.agendas.queries import latest_published_ids, persistence_map
from dla.analysis.models import (
    ACTIVE,
    BARRIER,
    BarrierItem,
    BarrierLink,
    Decision,
    MatrixHeading,
    Milestone,
)
from dla.analysis.queries import PersistentRow, persistent_barriers
from dla.extensions import db
from dla.regions.models import Region
from dla.taskforce import digest as pure
from dla.taskforce.terms import deadline

FINISHED_DECISION = "afgerond"
FINISHED_MILESTONE = ("bereikt", "losgelaten")
FINISHED_ACTION = "klaar"
DAY = func.coalesce(Version.document_date, Version.session_date)


def taskforce_agenda():
    """The condition on ``Agenda`` for the taskforce's level: strategic agendas and agendas
    whose audience is the taskforce or the bestuurders."""
    audience = func.lower(Agenda.audience)
    return or_(
        Agenda.level == "strategisch",
        audience.like("%taskforce%"),
        audience.like("%bestuurder%"),
    )


def regions(region_ids) -> list[Region]:
    ids = list(region_ids)
    if not ids:
        return []
    return list(db.session.scalars(select(Region).where(Region.id.in_(ids)).order_by(Region.name)))


def last_decision_dates(region_ids) -> list[date]:
    ids = list(region_ids)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(func.max(Decision.decided_on)).where(Decision.region_id.in_(ids))
        ).all()
    )


# --- the digest ----------------------------------------------------------------------------------


@dataclass
class TrendRow:
    row: PersistentRow
    trend: str

    @property
    def trend_label(self) -> str:
        return pure.TRENDS[self.trend]


@dataclass
class Escalated:
    thread_id: int
    label: str
    text: str
    agenda: str
    version_id: int
    version_number: int
    day: date | None
    from_agendas: list[str]


@dataclass
class DueMilestone:
    milestone: Milestone
    deadline: date | None
    state: str  # "te_laat" or "binnenkort"
    late_actions: list = field(default_factory=list)


@dataclass
class OpenDecision:
    decision: Decision
    target: str
    overdue: bool

    @property
    def latest_follow_up(self):
        return self.decision.follow_ups[-1] if self.decision.follow_ups else None


@dataclass
class RegionDigest:
    region: Region
    since: date
    persistent: list[PersistentRow]
    escalated: list[Escalated]
    milestones: list[DueMilestone]
    decisions: list[OpenDecision]
    trends: list[TrendRow]

    @property
    def empty(self) -> bool:
        return not (
            self.persistent or self.escalated or self.milestones or self.decisions or self.trends
        )


def _readable(rights, region_id: int, *extra):
    condition = rights.readable_versions(region_id, Version)
    parts = [c for c in (condition, *extra) if c is not None]
    return and_(*parts) if parts else None


def escalated_questions(region: Region, since: date, rights) -> list[Escalated]:
    """Questions that reached an agenda of the taskforce's level in a version dated after
    ``since``, coming from another agenda of the region (readable versions only)."""
    where = rights.readable_versions(region.id, Version)
    query = (
        select(
            Wording.thread_id,
            Wording.label,
            Wording.full_text,
            Agenda.title,
            Version.id,
            Version.number,
            DAY,
            taskforce_agenda(),
        )
        .join(Version, Version.id == Wording.version_id)
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(Agenda.region_id == region.id, Version.status == PUBLISHED)
        .order_by(Wording.thread_id, Wording.id)
    )
    if where is not None:
        query = query.where(where)
    first_up: dict[int, tuple] = {}
    elsewhere: dict[int, list[str]] = defaultdict(list)
    for thread_id, label, text, title, version_id, number, day, is_up in db.session.execute(query):
        if is_up:
            first_up.setdefault(thread_id, (label, text, title, version_id, number, day))
        elif title not in elsewhere[thread_id]:
            elsewhere[thread_id].append(title)
    found = []
    for thread_id, (label, text, title, version_id, number, day) in first_up.items():
        if day is None or day <= since or not elsewhere.get(thread_id):
            continue
        found.append(
            Escalated(thread_id, label, text, title, version_id, number, day, elsewhere[thread_id])
        )
    return sorted(found, key=lambda e: (e.day, e.thread_id))


def milestone_deadline(milestone: Milestone) -> date | None:
    return milestone.due_on or deadline(milestone.term)


def due_milestones(region: Region, today: date) -> list[DueMilestone]:
    """Milestones (and their actions) past their deadline or due within six weeks."""
    milestones = db.session.scalars(
        select(Milestone)
        .where(Milestone.region_id == region.id)
        .options(selectinload(Milestone.actions))
        .order_by(Milestone.id)
    ).all()
    result = []
    for milestone in milestones:
        limit = milestone_deadline(milestone)
        finished = milestone.status in FINISHED_MILESTONE
        late = [
            (action, deadline(action.term))
            for action in milestone.actions
            if pure.is_due(deadline(action.term), today, action.status == FINISHED_ACTION)
            == "te_laat"
        ]
        state = pure.is_due(limit, today, finished)
        if state or (late and not finished):
            result.append(DueMilestone(milestone, limit, state or "te_laat", late))
    return result


def decision_target(decision: Decision) -> str:
    if decision.item is not None:
        return f"{decision.item.code}: {decision.item.description}"
    if decision.milestone is not None:
        return f"Mijlpaal: {decision.milestone.title}"
    return ""


def open_decisions(region: Region, today: date) -> list[OpenDecision]:
    """Decisions and requests not yet finished, oldest deadline first, with their history."""
    decisions = db.session.scalars(
        select(Decision)
        .where(Decision.region_id == region.id, Decision.status != FINISHED_DECISION)
        .options(
            selectinload(Decision.follow_ups),
            selectinload(Decision.item),
            selectinload(Decision.milestone),
        )
        .order_by(Decision.due_on.is_(None), Decision.due_on, Decision.decided_on, Decision.id)
    ).all()
    return [
        OpenDecision(d, decision_target(d), d.due_on is not None and d.due_on < today)
        for d in decisions
    ]


def persistent_at(region: Region, since: date, rights) -> set[int]:
    """The barrier items that were persistent counting only the versions dated on or
    before ``since`` (the same ranking as the persistent-barriers view)."""
    rows = persistent_barriers(
        region, only_persistent=True, where=_readable(rights, region.id, DAY <= since)
    )
    return {row.item.id for row in rows}


def region_digest(region: Region, since: date, rights, today: date) -> RegionDigest:
    rows = persistent_barriers(region, where=rights.readable_versions(region.id, Version))
    before = persistent_at(region, since, rights)
    became = [row for row in rows if row.rank.persistent and row.item.id not in before]
    trends = [
        TrendRow(row, pure.trend(row.rank.threads, since, row.item.status == ACTIVE))
        for row in rows
        if row.rank.open or row.item.id in before
    ]
    order = {pure.NEW: 0, pure.STILL_OPEN: 1, pure.EASING: 2}
    trends.sort(key=lambda t: order[t.trend])
    return RegionDigest(
        region,
        since,
        became,
        escalated_questions(region, since, rights),
        due_milestones(region, today),
        open_decisions(region, today),
        trends,
    )


# --- the start page ------------------------------------------------------------------------------


@dataclass
class NeedsDecision:
    row: PersistentRow
    reason: str


@dataclass
class StartCounts:
    region: Region
    needs_decision: list[NeedsDecision]
    open_requests: list[OpenDecision]
    overdue: int


def needs_decision(rows: list[PersistentRow]) -> list[NeedsDecision]:
    """Persistent barriers without a decision, or that stood in a newer version than their
    latest decision (they came back)."""
    result = []
    for row in rows:
        if not row.rank.persistent:
            continue
        latest_day = row.rank.sparkline[-1][0] if row.rank.sparkline else None
        if not row.decisions:
            result.append(NeedsDecision(row, "Nog geen besluit"))
        elif latest_day is not None and row.decisions[0].decided_on < latest_day:
            result.append(NeedsDecision(row, "Staat weer op de agenda na het laatste besluit"))
    return result


def start_counts(region: Region, rights, today: date) -> StartCounts:
    rows = persistent_barriers(
        region, only_persistent=True, where=rights.readable_versions(region.id, Version)
    )
    decisions = open_decisions(region, today)
    requests = [d for d in decisions if d.decision.kind == "verzoek"]
    overdue = sum(1 for d in decisions if d.overdue)
    overdue += sum(
        len(m.late_actions)
        + (1 if m.state == "te_laat" and m.deadline and m.deadline < today else 0)
        for m in due_milestones(region, today)
    )
    return StartCounts(region, needs_decision(rows), requests, overdue)


# --- the register --------------------------------------------------------------------------------


@dataclass
class RegisterMilestone:
    milestone: Milestone
    deadline: date | None
    overdue: bool
    actions: list[tuple]  # (action, deadline, overdue)


@dataclass
class Register:
    region: Region
    decisions: list[OpenDecision]
    milestones: list[RegisterMilestone]


def register(region: Region, today: date) -> Register:
    """Every decision (finished ones too) with its history, and every milestone with its
    actions; deadlines from the explicit date or the free-text term."""
    decisions = db.session.scalars(
        select(Decision)
        .where(Decision.region_id == region.id)
        .options(
            selectinload(Decision.follow_ups),
            selectinload(Decision.item),
            selectinload(Decision.milestone),
        )
        .order_by(Decision.decided_on.desc(), Decision.id.desc())
    ).all()
    rows = [
        OpenDecision(
            d,
            decision_target(d),
            d.status != FINISHED_DECISION and d.due_on is not None and d.due_on < today,
        )
        for d in decisions
    ]
    milestones = []
    for milestone in db.session.scalars(
        select(Milestone)
        .where(Milestone.region_id == region.id)
        .options(selectinload(Milestone.actions))
        .order_by(Milestone.id)
    ):
        limit = milestone_deadline(milestone)
        actions = []
        for action in milestone.actions:
            action_limit = deadline(action.term)
            late = pure.is_due(action_limit, today, action.status == FINISHED_ACTION) == "te_laat"
            actions.append((action, action_limit, late))
        late = pure.is_due(limit, today, milestone.status in FINISHED_MILESTONE) == "te_laat"
        milestones.append(RegisterMilestone(milestone, limit, late, actions))
    return Register(region, rows, milestones)


# --- the programme view --------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeQuestion:
    """One open question of one region, with its barrier clause and persistence."""

    region_id: int
    region: str
    thread_id: int
    label: str
    text: str
    barrier: str
    agenda: str
    level: str
    versions_present: int
    age_months: int
    hardnekkig: bool
    barriers: tuple[str, ...] = ()


def programme_questions(region: Region, rights) -> list[ProgrammeQuestion]:
    """The region's open questions (their latest readable wording) with persistence and the
    barrier items they name: four queries."""
    where = rights.readable_versions(region.id, Version)
    latest = latest_published_ids(region_id=region.id, where=where)
    rows = db.session.execute(
        select(
            Wording.thread_id,
            Wording.label,
            Wording.full_text,
            Wording.barrier,
            Agenda.title,
            Agenda.level,
        )
        .join(Version, Version.id == Wording.version_id)
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(Wording.id.in_(latest))
        .order_by(Wording.thread_id)
    ).all()
    figures = persistence_map(region, [r[0] for r in rows], where) if rows else {}
    named: dict[int, list[str]] = defaultdict(list)
    for thread_id, _kind, item_id, description in db.session.execute(
        select(BarrierLink.thread_id, BarrierItem.kind, BarrierItem.id, BarrierItem.description)
        .join(BarrierItem, BarrierItem.id == BarrierLink.item_id)
        .where(BarrierLink.region_id == region.id, BarrierItem.kind == BARRIER)
        .order_by(BarrierItem.id)
    ):
        named[thread_id].append(f"B-{item_id}: {description}")
    result = []
    for thread_id, label, text, barrier, title, level in rows:
        figure = figures.get(thread_id)
        if figure is None or not figure.is_open:
            continue
        result.append(
            ProgrammeQuestion(
                region.id,
                region.name,
                thread_id,
                label,
                text,
                barrier,
                title,
                level,
                figure.versions_present,
                figure.age_months,
                figure.hardnekkig,
                tuple(named.get(thread_id, ())),
            )
        )
    return result


def programme_stop_words(region_list: list[Region]) -> frozenset[str]:
    """The stop words of the regions together (each region may add its own)."""
    words: set[str] = set()
    for region in region_list:
        words |= set(region_stop_words(region))
    return frozenset(words)


def barrier_themes(region: Region) -> list[tuple[str, int, int]]:
    """Per system aspect of the region: (aspect, active barrier items, all barrier items)."""
    return [
        (name, active or 0, total)
        for name, active, total in db.session.execute(
            select(
                MatrixHeading.name,
                func.sum(func.cast(BarrierItem.status == ACTIVE, db.Integer)),
                func.count(BarrierItem.id),
            )
            .join(BarrierItem, BarrierItem.aspect_id == MatrixHeading.id)
            .where(BarrierItem.region_id == region.id, BarrierItem.kind == BARRIER)
            .group_by(MatrixHeading.id, MatrixHeading.name, MatrixHeading.position)
            .order_by(func.count(BarrierItem.id).desc(), MatrixHeading.position)
        ).all()
    ]
