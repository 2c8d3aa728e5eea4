"""Read side: a constant number of queries per page, turned into plain data.

The pages call these; the rules of computing persistence and comparisons live in the
pure module ``history``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased, selectinload

from dla.agendas import history
from dla.agendas.models import (
    DROP,
    DROP_REASONS,
    LEVELS,
    MOVE,
    PUBLISHED,
    Agenda,
    Thread,
    Transition,
    Version,
    Wording,
    transition_targets,
)
from dla.extensions import db
from dla.regions.models import Region


def today() -> date:
    return date.today()


def _version_day(document_date: date | None, session_date: date | None) -> date | None:
    return document_date or session_date


def persistence_map(region: Region, thread_ids=None) -> dict[int, history.Persistence]:
    """Persistence figures for the region's threads (all, or those in ``thread_ids``).

    Two queries whatever the amount of data. ``thread_ids`` may be a list or a select.
    """
    published = db.session.execute(
        select(Version.id, Version.agenda_id, Version.number)
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(Agenda.region_id == region.id, Version.status == PUBLISHED)
        .order_by(Version.agenda_id, Version.number)
    ).all()
    index: dict[int, int] = {}
    counters: dict[int, int] = defaultdict(int)
    for version_id, agenda_id, _number in published:
        index[version_id] = counters[agenda_id]
        counters[agenda_id] += 1

    decided_in = aliased(Version)
    query = (
        select(
            Wording.thread_id,
            Wording.created_at,
            Version.id,
            Version.agenda_id,
            Version.document_date,
            Version.session_date,
            Transition.kind,
        )
        .join(Version, Version.id == Wording.version_id)
        .join(Agenda, Agenda.id == Version.agenda_id)
        .outerjoin(Transition, Transition.from_wording_id == Wording.id)
        .outerjoin(
            decided_in,
            (decided_in.id == Transition.version_id) & (decided_in.status == PUBLISHED),
        )
        .where(Agenda.region_id == region.id, Version.status == PUBLISHED)
    )
    if thread_ids is not None:
        query = query.where(Wording.thread_id.in_(thread_ids))
    query = query.add_columns(decided_in.id)
    rows = db.session.execute(query).all()

    arrived: dict[tuple[int, int], float] = {}
    for thread_id, created, _vid, agenda_id, *_rest in rows:
        key = (thread_id, agenda_id)
        stamp = created.timestamp() if created else 0.0
        arrived[key] = min(arrived.get(key, stamp), stamp)
    appearances: dict[int, list[history.Appearance]] = defaultdict(list)
    for thread_id, _created, version_id, agenda_id, doc, session, kind, decided in rows:
        appearances[thread_id].append(
            history.Appearance(
                thread_id=thread_id,
                agenda_id=agenda_id,
                index=index[version_id],
                day=_version_day(doc, session),
                transition=kind if decided is not None else None,
                arrived=arrived[(thread_id, agenda_id)],
            )
        )
    now = today()
    return {
        thread_id: history.persistence(
            items,
            today=now,
            min_run=region.persist_min_run,
            max_months=region.persist_max_months,
        )
        for thread_id, items in appearances.items()
    }


# --- agenda page ---------------------------------------------------------------------------


@dataclass
class VersionRow:
    version: Version
    questions: int


def version_rows(agenda: Agenda) -> list[VersionRow]:
    counts = dict(
        db.session.execute(
            select(Wording.version_id, func.count(Wording.id))
            .join(Version, Version.id == Wording.version_id)
            .where(Version.agenda_id == agenda.id)
            .group_by(Wording.version_id)
        ).all()
    )
    versions = db.session.scalars(
        select(Version).where(Version.agenda_id == agenda.id).order_by(Version.number.desc())
    ).all()
    return [VersionRow(v, counts.get(v.id, 0)) for v in versions]


@dataclass
class QuestionRow:
    thread_id: int
    wording: Wording
    agenda: Agenda
    version: Version
    persistence: history.Persistence

    @property
    def code(self) -> str:
        return f"LV-{self.thread_id}"


def _matches(row: QuestionRow, *, status: str, q: str, hardnekkig: bool) -> bool:
    if hardnekkig and not row.persistence.hardnekkig:
        return False
    if status == "open" and not row.persistence.is_open:
        return False
    if status == "closed" and row.persistence.is_open:
        return False
    if (
        status in history.STATUS_LABELS
        and status not in ("open",)
        and row.persistence.status != status
    ):
        return False
    if q and q.casefold() not in row.wording.full_text.casefold():
        return False
    return True


def region_questions(
    region: Region,
    *,
    level: str = "",
    audience: str = "",
    status: str = "",
    q: str = "",
    hardnekkig: bool = False,
    agenda: Agenda | None = None,
) -> list[QuestionRow]:
    """The latest published wording of every thread of a region (or one agenda)."""
    latest_ids = (
        select(func.max(Wording.id))
        .join(Version, Version.id == Wording.version_id)
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(Agenda.region_id == region.id, Version.status == PUBLISHED)
        .group_by(Wording.thread_id)
    )
    query = (
        select(Wording, Version, Agenda)
        .join(Version, Version.id == Wording.version_id)
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(Wording.id.in_(latest_ids))
    )
    if level:
        query = query.where(Agenda.level == level)
    if audience:
        query = query.where(Agenda.audience == audience)
    if agenda is not None:
        query = query.where(Agenda.id == agenda.id)
    if q:
        query = query.where(func.lower(Wording.full_text).contains(q.lower(), autoescape=True))
    rows = db.session.execute(query).all()
    figures = persistence_map(region, [w.thread_id for w, _v, _a in rows]) if rows else {}
    result = [
        QuestionRow(w.thread_id, w, a, v, figures.get(w.thread_id, history.EMPTY))
        for w, v, a in rows
    ]
    result = [r for r in result if _matches(r, status=status, q="", hardnekkig=hardnekkig)]
    level_order = {name: i for i, name in enumerate(LEVELS)}
    result.sort(
        key=lambda r: (
            level_order.get(r.agenda.level, 9),
            r.agenda.title,
            not r.persistence.is_open,
            -r.version.number,
            r.wording.group_id,
            r.wording.position,
        )
    )
    return result


def agenda_questions(agenda: Agenda, version: Version | None) -> list[QuestionRow]:
    """The questions of one version with their persistence figures."""
    if version is None:
        return []
    wordings = db.session.scalars(
        select(Wording)
        .where(Wording.version_id == version.id)
        .options(selectinload(Wording.subquestions))
    ).all()
    figures = persistence_map(agenda.region, [w.thread_id for w in wordings]) if wordings else {}
    positions = {g.id: g.position for g in version.groups}
    wordings = sorted(wordings, key=lambda w: (positions.get(w.group_id, 0), w.position))
    return [
        QuestionRow(w.thread_id, w, agenda, version, figures.get(w.thread_id, history.EMPTY))
        for w in wordings
    ]


def audiences(region: Region) -> list[str]:
    return list(
        db.session.scalars(
            select(Agenda.audience)
            .where(Agenda.region_id == region.id)
            .distinct()
            .order_by(Agenda.audience)
        )
    )


# --- question (thread) page ------------------------------------------------------------------


@dataclass
class HistoryEntry:
    wording: Wording
    version: Version
    agenda: Agenda
    transition: Transition | None


def thread_history(thread: Thread) -> list[HistoryEntry]:
    rows = db.session.execute(
        select(Wording, Version, Agenda)
        .join(Version, Version.id == Wording.version_id)
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(Wording.thread_id == thread.id)
        .options(selectinload(Wording.subquestions))
    ).all()
    transitions = {
        t.from_wording_id: t
        for t in db.session.scalars(
            select(Transition)
            .where(Transition.from_wording_id.in_([w.id for w, _v, _a in rows]))
            .options(
                selectinload(Transition.targets).selectinload(Wording.version),
                selectinload(Transition.target_agenda),
                selectinload(Transition.version),
            )
        )
    }
    entries = [HistoryEntry(w, v, a, transitions.get(w.id)) for w, v, a in rows]
    entries.sort(key=lambda e: (e.wording.created_at, e.version.number))
    return entries


def related_threads(thread: Thread) -> dict[str, list[Thread]]:
    """Threads split off from this one, and the thread this one was split from."""
    children = db.session.scalars(select(Thread).where(Thread.split_from_id == thread.id)).all()
    parent = db.session.get(Thread, thread.split_from_id) if thread.split_from_id else None
    return {"children": list(children), "parent": [parent] if parent else []}


def merged_into_this(thread: Thread) -> list[Wording]:
    """Wordings of other threads that were merged into this thread."""
    target = aliased(Wording)
    return list(
        db.session.scalars(
            select(Wording)
            .join(Transition, Transition.from_wording_id == Wording.id)
            .join(transition_targets, transition_targets.c.transition_id == Transition.id)
            .join(target, target.id == transition_targets.c.wording_id)
            .where(Transition.kind == "samengevoegd", target.thread_id == thread.id)
        )
    )


# --- compare two versions --------------------------------------------------------------------


def _items(version: Version) -> list[history.Item]:
    rows = db.session.execute(
        select(
            Wording.thread_id,
            Wording.id,
            Wording.label,
            Wording.full_text,
            Wording.group_id,
            Wording.position,
        ).where(Wording.version_id == version.id)
    ).all()
    positions = {g.id: g.position for g in version.groups}
    rows = sorted(rows, key=lambda r: (positions.get(r[4], 0), r[5]))
    return [history.Item(r[0], r[1], r[2], r[3]) for r in rows]


def compare_versions(old: Version, new: Version) -> list[history.Row]:
    """Compare two versions of the same agenda (``old`` before ``new``)."""
    old_items = _items(old)
    new_items = _items(new)
    old_threads = [i.thread_id for i in old_items]
    new_threads = [i.thread_id for i in new_items]

    # Decisions on the old threads in versions old … new-1 of this agenda.
    transitions = db.session.scalars(
        select(Transition)
        .join(Wording, Wording.id == Transition.from_wording_id)
        .join(Version, Version.id == Wording.version_id)
        .where(
            Version.agenda_id == old.agenda_id,
            Version.number >= old.number,
            Version.number < new.number,
            Wording.thread_id.in_(old_threads),
        )
        .options(
            selectinload(Transition.targets),
            selectinload(Transition.target_agenda),
            selectinload(Transition.from_wording),
        )
        .order_by(Version.number)
    ).all()
    events: dict[int, list[history.Event]] = defaultdict(list)
    for t in transitions:
        note = t.note
        if t.kind == DROP and t.reason:
            reason = DROP_REASONS.get(t.reason, t.reason)
            note = f"{reason}: {note}" if note else reason
        events[t.from_wording.thread_id].append(
            history.Event(
                kind=t.kind,
                note=note,
                target_thread_ids=tuple(w.thread_id for w in t.targets),
                target_agenda=t.target_agenda.title if t.target_agenda else "",
            )
        )
    earlier = set(
        db.session.scalars(
            select(Wording.thread_id)
            .join(Version, Version.id == Wording.version_id)
            .where(
                Version.agenda_id == old.agenda_id,
                Version.number < old.number,
                Wording.thread_id.in_(new_threads),
            )
        )
    )
    split_from = dict(
        db.session.execute(
            select(Thread.id, Thread.split_from_id).where(
                Thread.id.in_(new_threads), Thread.split_from_id.is_not(None)
            )
        ).all()
    )
    source_agenda = aliased(Agenda)
    source_version = aliased(Version)
    moved_in = dict(
        db.session.execute(
            select(Wording.thread_id, source_agenda.title)
            .join(Transition, Transition.from_wording_id == Wording.id)
            .join(source_version, source_version.id == Wording.version_id)
            .join(source_agenda, source_agenda.id == source_version.agenda_id)
            .where(
                Transition.kind == MOVE,
                Transition.target_agenda_id == old.agenda_id,
                Wording.thread_id.in_(new_threads),
                or_(source_agenda.id != old.agenda_id),
            )
        ).all()
    )
    return history.compare(
        old_items,
        new_items,
        events=events,
        earlier_threads=earlier,
        split_from=split_from,
        moved_in=moved_in,
    )
