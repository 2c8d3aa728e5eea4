"""Read side: a constant number of queries per page, turned into plain data.

The pages call these; the rules of computing persistence and comparisons live in the
pure module ``history``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from dla.agendas import history
from dla.agendas.models import (
    CONTINUING,
    LEVELS,
    PUBLISHED,
    Agenda,
    Thread,
    Transition,
    Version,
    VersionGroup,
    Wording,
    transition_targets,
)
from dla.caching import store
from dla.caching.models import PUBLISHED as PUBLISHED_CONTENT
from dla.db import shared_alias
from dla.extensions import db
from dla.regions.models import Region

# Aliases are built once: SQLAlchemy memoizes the work of adapting their columns on the alias
# object, so a new alias per call would redo it on every request.
_DECIDED_IN = shared_alias(Version, "decided_in")
_TARGET = shared_alias(Wording, "target")


def latest_published_ids(
    *, region_id: int | None = None, agenda_ids=None, thread_ids=None, where=None
):
    """A sub-select of the id of each thread's latest wording in a published version.

    Narrowed to a region, to agendas, to threads and by ``where``, a condition on ``Wording``,
    ``Version`` or ``Agenda`` (``Access.readable_versions`` passes the versions the person may
    read, so the latest *readable* wording is chosen). The one place this rule is written.
    """
    latest = (
        select(func.max(Wording.id))
        .join(Version, Version.id == Wording.version_id)
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(Version.status == PUBLISHED)
        .group_by(Wording.thread_id)
    )
    if region_id is not None:
        latest = latest.where(Agenda.region_id == region_id)
    if agenda_ids is not None:
        latest = latest.where(Agenda.id.in_(list(agenda_ids)))
    if thread_ids is not None:
        latest = latest.where(Wording.thread_id.in_(thread_ids))
    if where is not None:
        latest = latest.where(where)
    return latest


def without_transition(*kinds: str):
    """A condition on ``Wording``: no transition of these kinds leaves from it.

    Written as NOT EXISTS, which the unique index on ``from_wording_id`` answers per
    wording; a NOT IN over a sub-select made PostgreSQL scan every transition and every
    wording of the database (12 ms on the large benchmark, 0.7 ms this way).
    """
    return ~(
        select(Transition.id)
        .where(Transition.from_wording_id == Wording.id, Transition.kind.in_(kinds))
        .exists()
    )


def today() -> date:
    return date.today()


def persistence_map(region: Region, thread_ids=None, where=None) -> dict[int, history.Persistence]:
    """Persistence figures for the region's threads (all, or those in ``thread_ids``: a list
    or a select of ids).

    The figures depend on published versions only, so those of the whole region are computed
    once per published-content stamp of the region, date, thresholds and reading filter
    (``dla.caching.store.cached`` with ``PUBLISHED``), and every page takes its threads from
    them: a comment or a question added to a concept version changes nothing here.
    """
    readable = store.readable_sql(where)
    if readable is None:
        return compute_persistence_map(region, thread_ids, where)
    parts = (
        "persistence",
        region.id,
        region.persist_min_run,
        region.persist_max_months,
        today(),
    )
    figures = store.cached(
        parts,
        lambda: compute_persistence_map(region, None, where),
        region_id=region.id,
        readable=readable,
        topics=(PUBLISHED_CONTENT,),
    )
    if thread_ids is None:
        return figures
    if not isinstance(thread_ids, list | tuple | set | frozenset):
        thread_ids = db.session.scalars(thread_ids).all()
    return {t: figures[t] for t in thread_ids if t in figures}


def compute_persistence_map(
    region: Region, thread_ids=None, where=None
) -> dict[int, history.Persistence]:
    """:func:`persistence_map` without the cache.

    ``where`` (``Access.readable_versions``) counts only the versions the viewer may read:
    the figures (versions, runs, dates) then tell nothing about restricted versions.
    Two queries whatever the amount of data; only small columns are fetched.
    """
    published_query = (
        select(
            Version.id,
            Version.agenda_id,
            Version.number,
            Version.document_date,
            Version.session_date,
        )
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(Agenda.region_id == region.id, Version.status == PUBLISHED)
        .order_by(Version.agenda_id, Version.number)
    )
    if where is not None:
        published_query = published_query.where(where)
    published = db.session.execute(published_query).all()
    versions: dict[int, tuple[int, int, date | None]] = {}
    counters: dict[int, int] = defaultdict(int)
    for version_id, agenda_id, _number, document_date, session_date in published:
        versions[version_id] = (agenda_id, counters[agenda_id], document_date or session_date)
        counters[agenda_id] += 1
    if not versions:
        return {}

    query = (
        select(Wording.thread_id, Wording.id, Wording.version_id, Transition.kind, _DECIDED_IN.id)
        .outerjoin(Transition, Transition.from_wording_id == Wording.id)
        .outerjoin(
            _DECIDED_IN,
            (_DECIDED_IN.id == Transition.version_id) & (_DECIDED_IN.status == PUBLISHED),
        )
        .where(Wording.version_id.in_(list(versions)))
    )
    if thread_ids is not None:
        query = query.where(Wording.thread_id.in_(thread_ids))
    rows = db.session.execute(query).all()

    # When a thread arrived in an agenda (its first wording there) orders agendas in time.
    arrived: dict[tuple[int, int], int] = {}
    for thread_id, wording_id, version_id, _kind, _decided in rows:
        key = (thread_id, versions[version_id][0])
        if wording_id < arrived.get(key, wording_id + 1):
            arrived[key] = wording_id
    appearances: dict[int, list[history.Appearance]] = defaultdict(list)
    for thread_id, _wording_id, version_id, kind, decided in rows:
        agenda_id, index, day = versions[version_id]
        appearances[thread_id].append(
            history.Appearance(
                thread_id=thread_id,
                agenda_id=agenda_id,
                index=index,
                day=day,
                transition=kind if decided in versions else None,
                arrived=arrived[(thread_id, agenda_id)],
            )
        )
    latest = history.latest_days((agenda_id, day) for agenda_id, _index, day in versions.values())
    return {
        thread_id: history.persistence(
            items,
            latest=latest,
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


def version_rows(agenda: Agenda, where=None) -> list[VersionRow]:
    """The agenda's versions (those matching ``where``) with their question counts."""
    counts = dict(
        db.session.execute(
            select(Wording.version_id, func.count(Wording.id))
            .join(Version, Version.id == Wording.version_id)
            .where(Version.agenda_id == agenda.id)
            .group_by(Wording.version_id)
        ).all()
    )
    query = select(Version).where(Version.agenda_id == agenda.id)
    if where is not None:
        query = query.where(where)
    versions = db.session.scalars(query.order_by(Version.number.desc())).all()
    return [VersionRow(v, counts.get(v.id, 0)) for v in versions]


def agenda_versions(agenda_id: int, where=None) -> list[Version]:
    """The agenda's versions (those matching ``where``), oldest first."""
    query = select(Version).where(Version.agenda_id == agenda_id)
    if where is not None:
        query = query.where(where)
    return list(db.session.scalars(query.order_by(Version.number)))


def published_before(version: Version, where=None) -> Version | None:
    """The latest published version of the agenda before ``version`` (matching ``where``)."""
    query = select(Version).where(
        Version.agenda_id == version.agenda_id,
        Version.number < version.number,
        Version.status == PUBLISHED,
    )
    if where is not None:
        query = query.where(where)
    return db.session.scalar(query.order_by(Version.number.desc()).limit(1))


def region_agendas(region_id: int, *, besides: int | None = None) -> list[Agenda]:
    """The agendas of a region by title (without the agenda ``besides``)."""
    query = select(Agenda).where(Agenda.region_id == region_id)
    if besides is not None:
        query = query.where(Agenda.id != besides)
    return list(db.session.scalars(query.order_by(Agenda.title)))


@dataclass
class QuestionRow:
    thread_id: int
    wording: Wording
    agenda: Agenda
    version: Version
    persistence: history.Persistence
    # On an agenda's list: the agenda the question was moved to ("" when it stays here).
    moved_to: str = ""

    @property
    def code(self) -> str:
        return f"LV-{self.thread_id}"


def _matches(figures: history.Persistence, *, status: str, hardnekkig: bool) -> bool:
    if hardnekkig and not figures.hardnekkig:
        return False
    if status == "open":
        return figures.is_open
    if status == "closed":
        return not figures.is_open
    if status in (history.ANSWER, history.DROP, history.MERGE):
        return figures.status == status
    return True


PAGE_SIZE = 50


@dataclass
class Page:
    rows: list
    number: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def first(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.number * PAGE_SIZE, self.total)


def region_questions(
    region: Region,
    *,
    level: str = "",
    audience: str = "",
    status: str = "",
    q: str = "",
    hardnekkig: bool = False,
    agenda: Agenda | None = None,
    page: int = 1,
    where=None,
) -> Page:
    """One page of the latest published wording of every thread of a region (or agenda).

    Filtering and sorting run on small columns; only the rows of the page are loaded as
    objects. Four queries whatever the amount of data.
    """
    latest_ids = latest_published_ids(
        region_id=region.id, agenda_ids=[agenda.id] if agenda is not None else None, where=where
    )
    query = (
        select(
            Wording.id,
            Wording.thread_id,
            Wording.position,
            Version.number,
            Agenda.level,
            Agenda.title,
            func.coalesce(Version.document_date, Version.session_date).label("day"),
        )
        .join(Version, Version.id == Wording.version_id)
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(Wording.id.in_(latest_ids))
    )
    narrowed = bool(level or audience or q or agenda is not None or where is not None)
    if level:
        query = query.where(Agenda.level == level)
    if audience:
        query = query.where(Agenda.audience == audience)
    if q:
        query = query.where(func.lower(Wording.full_text).contains(q.lower(), autoescape=True))
    rows = db.session.execute(query).all()
    figures = persistence_map(region, [r.thread_id for r in rows] if narrowed else None, where)
    moved_to = {}
    if agenda is not None and rows:
        moved_to = _moved_away(region, agenda, [r.thread_id for r in rows], where)
        for r in rows:
            if r.thread_id in moved_to and r.thread_id in figures:
                # On this agenda the question ended with its move: not "Staat op de agenda",
                # and its last date is its last version here, not one of the other agenda.
                figures[r.thread_id] = replace(
                    figures[r.thread_id], status=history.MOVE, last_date=r.day
                )
    rows = [
        r
        for r in rows
        if _matches(figures.get(r.thread_id, history.EMPTY), status=status, hardnekkig=hardnekkig)
    ]
    level_order = {name: i for i, name in enumerate(LEVELS)}
    rows.sort(
        key=lambda r: (
            level_order.get(r.level, 9),
            r.title,
            not figures.get(r.thread_id, history.EMPTY).is_open,
            -r.number,
            r.position,
        )
    )
    number = min(max(page, 1), max(1, -(-len(rows) // PAGE_SIZE)))
    chosen = rows[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    loaded = {
        w.id: (w, v, a)
        for w, v, a in db.session.execute(
            select(Wording, Version, Agenda)
            .join(Version, Version.id == Wording.version_id)
            .join(Agenda, Agenda.id == Version.agenda_id)
            .where(Wording.id.in_([r.id for r in chosen]))
        )
    }
    result = []
    for r in chosen:
        wording, version, row_agenda = loaded[r.id]
        figure = figures.get(r.thread_id, history.EMPTY)
        result.append(
            QuestionRow(
                r.thread_id, wording, row_agenda, version, figure, moved_to.get(r.thread_id, "")
            )
        )
    return Page(result, number, len(rows))


def _moved_away(region: Region, agenda: Agenda, thread_ids: list[int], where) -> dict[int, str]:
    """The threads whose latest (readable) published wording stands in another agenda than
    ``agenda``: they were moved away from it. By thread id, the title of that agenda."""
    latest = latest_published_ids(region_id=region.id, thread_ids=thread_ids, where=where)
    return dict(
        db.session.execute(
            select(Wording.thread_id, Agenda.title)
            .join(Version, Version.id == Wording.version_id)
            .join(Agenda, Agenda.id == Version.agenda_id)
            .where(Wording.id.in_(latest), Agenda.id != agenda.id)
        ).all()
    )


def audiences(region: Region) -> list[str]:
    return list(
        db.session.scalars(
            select(Agenda.audience)
            .where(Agenda.region_id == region.id)
            .distinct()
            .order_by(Agenda.audience)
        )
    )


def load_wordings(version: Version) -> list[Wording]:
    """A version's wordings in order (of their group, then in it), with their transitions
    and sub-questions loaded."""
    return list(
        db.session.scalars(
            select(Wording)
            .outerjoin(VersionGroup, VersionGroup.id == Wording.group_id)
            .where(Wording.version_id == version.id)
            .order_by(func.coalesce(VersionGroup.position, 0), Wording.position, Wording.id)
            .options(
                selectinload(Wording.subquestions),
                selectinload(Wording.transition).selectinload(Transition.targets),
                selectinload(Wording.transition).joinedload(Transition.target_agenda),
            )
        )
    )


# --- question (thread) page ------------------------------------------------------------------


@dataclass
class HistoryEntry:
    wording: Wording
    version: Version
    agenda: Agenda
    transition: Transition | None
    # The question came back to this agenda after skipping versions (*teruggekomen*).
    returned: bool = False


def thread_history(thread: Thread, where=None) -> list[HistoryEntry]:
    """Every wording of the thread (in versions matching ``where``) with its decision."""
    query = (
        select(Wording, Version, Agenda)
        .join(Version, Version.id == Wording.version_id)
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(Wording.thread_id == thread.id)
        .options(selectinload(Wording.subquestions))
    )
    if where is not None:
        query = query.where(where)
    rows = db.session.execute(query).all()
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
    for before, entry in zip(entries, entries[1:], strict=False):
        # Not carried on by a decision in the next version, yet back later: a return.
        entry.returned = (
            before.agenda.id == entry.agenda.id
            and entry.version.number > before.version.number
            and (before.transition is None or before.transition.kind not in CONTINUING)
        )
    return entries


def related_threads(thread: Thread) -> dict[str, list[Thread]]:
    """Threads split off from this one, and the thread this one was split from."""
    children = db.session.scalars(select(Thread).where(Thread.split_from_id == thread.id)).all()
    parent = db.session.get(Thread, thread.split_from_id) if thread.split_from_id else None
    return {"children": list(children), "parent": [parent] if parent else []}


def merged_into_this(thread: Thread) -> list[Wording]:
    """Wordings of other threads that were merged into this thread."""
    return list(
        db.session.scalars(
            select(Wording)
            .join(Transition, Transition.from_wording_id == Wording.id)
            .join(transition_targets, transition_targets.c.transition_id == Transition.id)
            .join(_TARGET, _TARGET.id == transition_targets.c.wording_id)
            .where(Transition.kind == "samengevoegd", _TARGET.thread_id == thread.id)
        )
    )


def threads_with_wordings_in(thread_ids: list[int], version_ids) -> set[int]:
    """Those of ``thread_ids`` with a wording in one of ``version_ids``."""
    if not thread_ids:
        return set()
    return set(
        db.session.scalars(
            select(Wording.thread_id).where(
                Wording.thread_id.in_(thread_ids), Wording.version_id.in_(version_ids)
            )
        )
    )
