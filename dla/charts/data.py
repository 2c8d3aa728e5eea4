"""Chart data: pure functions over plain data (no Flask, no database).

``queries.chart_input`` reads the published versions and wordings of a region into the
plain ``VersionInfo`` and ``Mark`` records below; everything here works on those, so the
numbers behind every chart can be tested with hand-built histories.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from dla import dates
from dla.agendas import history
from dla.agendas.history import ANSWER, DROP, KEEP, MERGE, MOVE, OPEN, REWORD, SPLIT

NEW = "nieuw"
RETURNED = "teruggekomen"
# What a mark in the persistence chart can say, in legend order: how the question came
# into this version, or (the last three, and verplaatst in an agenda's own chart) how it
# left the agenda.
MARK_KINDS = (NEW, KEEP, REWORD, SPLIT, MOVE, RETURNED, MERGE, ANSWER, DROP)
# Categories of the flow chart, in stacking order.
FLOW_KINDS = (NEW, KEEP, REWORD, MERGE, SPLIT, MOVE, ANSWER, DROP)
CLOSED = (ANSWER, DROP, MERGE)
DAYS_PER_MONTH = 365.25 / 12
SURVIVAL_MONTHS = (3, 6, 9, 12, 18, 24)


@dataclass(frozen=True)
class VersionInfo:
    """A published version, with its agenda's facts."""

    id: int
    agenda_id: int
    agenda_title: str
    level: str
    audience: str
    number: int
    label: str
    day: date | None
    # Position among the agenda's published versions (0, 1, 2 …).
    index: int = 0

    @property
    def name(self) -> str:
        return f"versie {self.label or self.number}"


@dataclass(frozen=True)
class Mark:
    """A published wording of a thread."""

    thread_id: int
    wording_id: int
    version_id: int
    label: str
    text: str
    # The published decision on this wording, and the version it was decided in.
    transition: str | None = None
    decided_version_id: int | None = None
    split_from: int | None = None
    # The system barrier (the "terwijl" part) as parsed; "" when the question has none.
    barrier: str = ""


@dataclass(frozen=True)
class Cell:
    """One mark of the persistence chart."""

    day: date | None
    version: VersionInfo
    label: str
    text: str
    kind: str


@dataclass
class ThreadRow:
    thread_id: int
    text: str
    level: str
    agendas: list[str]
    figures: history.Persistence
    cells: list[Cell] = field(default_factory=list)
    # How the question left (samengevoegd, voorlopig beantwoord, vervallen; or verplaatst
    # in one agenda's chart), marked at the date of the version that decided it.
    exit: Cell | None = None
    # The barrier of its latest wording ("" when it has no "terwijl" part).
    barrier: str = ""

    @property
    def code(self) -> str:
        return f"LV-{self.thread_id}"

    @property
    def course(self) -> list[str]:
        kinds = [cell.kind for cell in self.cells]
        return kinds + ([self.exit.kind] if self.exit else [])


@dataclass(frozen=True)
class Filters:
    level: str = ""
    audience: str = ""
    # "" (all), "open" (still on an agenda) or "dicht" (answered, dropped or merged).
    status: str = ""
    hardnekkig: bool = False
    # Only these threads (e.g. those linked to a barrier); None: no restriction.
    thread_ids: frozenset[int] | None = None
    # The barrier item behind ``thread_ids`` (shown in the filter form).
    barrier: int | None = None


# --- timelines -------------------------------------------------------------------------------


def index_versions(versions: Iterable[VersionInfo]) -> dict[int, VersionInfo]:
    """Versions by id, with ``index`` set to their place among the agenda's versions."""
    by_agenda: dict[int, list[VersionInfo]] = defaultdict(list)
    for version in versions:
        by_agenda[version.agenda_id].append(version)
    indexed = {}
    for items in by_agenda.values():
        for index, version in enumerate(sorted(items, key=lambda v: v.number)):
            indexed[version.id] = VersionInfo(**{**version.__dict__, "index": index})
    return indexed


def timelines(
    versions: dict[int, VersionInfo], marks: Iterable[Mark]
) -> dict[int, list[tuple[VersionInfo, Mark]]]:
    """Each thread's published wordings in the order of ``history.order_appearances``:
    by when the thread arrived in an agenda, then by version."""
    by_thread: dict[int, list[tuple[VersionInfo, Mark]]] = defaultdict(list)
    for mark in marks:
        version = versions.get(mark.version_id)
        if version is not None:
            by_thread[mark.thread_id].append((version, mark))
    ordered = {}
    for thread_id, items in by_thread.items():
        arrived = _arrivals(items)
        ordered[thread_id] = sorted(
            items, key=lambda item: (arrived[item[0].agenda_id], item[0].agenda_id, item[0].index)
        )
    return ordered


def _arrivals(items: Iterable[tuple[VersionInfo, Mark]]) -> dict[int, int]:
    """Per agenda, the thread's first wording id there: when it arrived in that agenda."""
    arrived: dict[int, int] = {}
    for version, mark in items:
        arrived[version.agenda_id] = min(
            arrived.get(version.agenda_id, mark.wording_id), mark.wording_id
        )
    return arrived


def latest_days(versions: dict[int, VersionInfo]) -> dict[int, date]:
    """Per agenda, the date of its latest dated version (open questions age up to it)."""
    return history.latest_days((v.agenda_id, v.day) for v in versions.values())


def figures_of(
    timeline: Sequence[tuple[VersionInfo, Mark]],
    *,
    latest: dict[int, date],
    min_run: int,
    max_months: int,
) -> history.Persistence:
    arrived = _arrivals(timeline)
    return history.persistence(
        [
            history.Appearance(
                thread_id=mark.thread_id,
                agenda_id=version.agenda_id,
                index=version.index,
                day=version.day,
                transition=mark.transition,
                arrived=arrived[version.agenda_id],
            )
            for version, mark in timeline
        ],
        latest=latest,
        min_run=min_run,
        max_months=max_months,
    )


def _arrival(previous: tuple[VersionInfo, Mark] | None, current: tuple[VersionInfo, Mark]) -> str:
    version, mark = current
    if previous is None:
        return SPLIT if mark.split_from is not None else NEW
    before, before_mark = previous
    if before.agenda_id != version.agenda_id:
        return MOVE
    if version.index != before.index + 1:
        return RETURNED
    if before_mark.transition in (KEEP, REWORD, SPLIT):
        return before_mark.transition
    return KEEP


def _matches(row: ThreadRow, filters: Filters, audiences: set[str]) -> bool:
    if filters.thread_ids is not None and row.thread_id not in filters.thread_ids:
        return False
    if filters.level and row.level != filters.level:
        return False
    if filters.audience and filters.audience not in audiences:
        return False
    if filters.status == "open" and not row.figures.is_open:
        return False
    if filters.status == "dicht" and row.figures.is_open:
        return False
    return not (filters.hardnekkig and not row.figures.hardnekkig)


# --- persistence chart -----------------------------------------------------------------------


def persistence_rows(
    versions: dict[int, VersionInfo],
    marks: Iterable[Mark],
    *,
    min_run: int,
    max_months: int,
    agenda_id: int | None = None,
    filters: Filters = Filters(),
    figures: dict[int, history.Persistence] | None = None,
) -> list[ThreadRow]:
    """One row per thread: a cell per published version it stands in, and how it left.

    With ``agenda_id`` only that agenda's cells are kept (a thread moved away ends with a
    *verplaatst* exit; one moved in starts with a *verplaatst* cell). Figures (status,
    hardnekkig) are always the thread's own, over the whole region (``figures`` may bring
    them when they were computed already). Rows come in order of first appearance.
    """
    rows = []
    ages_end = latest_days(versions)
    for thread_id, timeline in timelines(versions, marks).items():
        figure = (figures or {}).get(thread_id) or figures_of(
            timeline, latest=ages_end, min_run=min_run, max_months=max_months
        )
        cells = []
        previous = None
        for item in timeline:
            version, mark = item
            cells.append(
                Cell(version.day, version, mark.label, mark.text, _arrival(previous, item))
            )
            previous = item
        exit_cell = _exit(timeline, versions)
        if agenda_id is not None:
            kept = [c for c in cells if c.version.agenda_id == agenda_id]
            if not kept:
                continue
            if exit_cell is not None and exit_cell.version.agenda_id != agenda_id:
                exit_cell = None
            last_here = max(
                (item for item in timeline if item[0].agenda_id == agenda_id),
                key=lambda item: item[0].index,
            )
            if last_here[1].transition == MOVE and last_here is not timeline[-1]:
                decided = versions.get(last_here[1].decided_version_id)
                if decided is not None and decided.agenda_id == agenda_id:
                    exit_cell = Cell(
                        decided.day, decided, last_here[1].label, last_here[1].text, MOVE
                    )
            cells = kept
        audiences = {cell.version.audience for cell in cells}
        latest = timeline[-1]
        row = ThreadRow(
            thread_id=thread_id,
            text=latest[1].text,
            level=cells[0].version.level,
            agendas=list(dict.fromkeys(cell.version.agenda_title for cell in cells)),
            figures=figure,
            cells=cells,
            exit=exit_cell,
            barrier=latest[1].barrier,
        )
        if _matches(row, filters, audiences):
            rows.append(row)
    rows.sort(key=lambda r: (r.cells[0].day or date.max, r.cells[0].version.number, r.thread_id))
    return rows


def _exit(timeline, versions: dict[int, VersionInfo]) -> Cell | None:
    version, mark = timeline[-1]
    if mark.transition not in CLOSED:
        return None
    decided = versions.get(mark.decided_version_id)
    if decided is None:
        return None
    return Cell(decided.day, decided, mark.label, mark.text, mark.transition)


@dataclass(frozen=True)
class Column:
    """A column of the persistence chart: a version of the agenda, or a date of the region."""

    key: object
    label: str
    hover: str


def persistence_columns(
    versions: dict[int, VersionInfo], agenda_id: int | None = None
) -> list[Column]:
    """An agenda's published versions (V1 … Vn, by number), or the region's version dates
    (versions without a date last, each a column of its own)."""
    if agenda_id is not None:
        mine = sorted((v for v in versions.values() if v.agenda_id == agenda_id), key=_number)
        return [
            Column(
                v.id, f"V{v.number}", f"Versie {v.number}" + (f" · {_day(v.day)}" if v.day else "")
            )
            for v in mine
        ]
    days = sorted({v.day for v in versions.values() if v.day})
    undated = sorted((v for v in versions.values() if not v.day), key=lambda v: v.id)
    return [Column(day, _day(day), _day(day)) for day in days] + [
        Column(
            ("v", v.id),
            f"{v.agenda_title[:12]} V{v.number}",
            f"{v.agenda_title} · Versie {v.number}",
        )
        for v in undated
    ]


def column_key(cell: Cell, *, by_date: bool) -> object:
    if not by_date:
        return cell.version.id
    return cell.day or ("v", cell.version.id)


def _number(version: VersionInfo) -> int:
    return version.number


def _day(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def chart_days(rows: Iterable[ThreadRow]) -> list[date]:
    """The version dates that appear in the rows, in order."""
    days = {cell.day for row in rows for cell in row.cells if cell.day}
    days |= {row.exit.day for row in rows if row.exit and row.exit.day}
    return sorted(days)


# --- flow per version ------------------------------------------------------------------------


@dataclass
class FlowRow:
    """What happened in one version (agenda chart) or on one date (region chart)."""

    key: str
    day: date | None
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def flow_rows(
    versions: dict[int, VersionInfo], marks: Iterable[Mark], *, agenda_id: int | None = None
) -> list[FlowRow]:
    """Per published version: the questions that are new in it, and the decisions taken in
    it on the questions of the version before (blijft staan, geherformuleerd, …).

    With ``agenda_id``: one row per version of that agenda. Without: one row per date, the
    versions of all agendas on that date added up.
    """
    marks = list(marks)
    first_mark: dict[int, tuple[VersionInfo, Mark]] = {}
    for thread_id, timeline in timelines(versions, marks).items():
        first_mark[thread_id] = timeline[0]
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FLOW_KINDS, 0))
    for version, mark in first_mark.values():
        if mark.split_from is None:
            counts[version.id][NEW] += 1
    for mark in marks:
        if mark.transition and mark.decided_version_id in versions:
            counts[mark.decided_version_id][mark.transition] += 1
    chosen = [v for v in versions.values() if agenda_id is None or v.agenda_id == agenda_id]
    if agenda_id is not None:
        return [
            FlowRow(f"{v.name.capitalize()}", v.day, dict(counts[v.id]))
            for v in sorted(chosen, key=lambda v: v.number)
        ]
    by_day: dict[date | None, dict[str, int]] = {}
    for version in chosen:
        total = by_day.setdefault(version.day, dict.fromkeys(FLOW_KINDS, 0))
        for kind, count in counts[version.id].items():
            total[kind] += count
    return [
        FlowRow(dates.short(day) if day else "zonder datum", day, total)
        for day, total in sorted(by_day.items(), key=lambda item: item[0] or date.max)
    ]


# --- survival --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spell:
    """How long a thread stayed open: months from its first version to its end."""

    thread_id: int
    level: str
    months: float
    # True when it ended (answered, dropped or merged); False when still open (censored).
    ended: bool


@dataclass
class Survival:
    level: str
    threads: int
    ended: int
    # The Kaplan–Meier step function: (months, share still open), starting at (0, 1.0).
    steps: list[tuple[float, float]]
    # The share still open at 3, 6, 9 … months; None beyond the longest follow-up.
    at: dict[int, float | None]
    # Months until half had ended; None when fewer than half ended.
    median: float | None


def _months(start: date, end: date) -> float:
    return max((end - start).days, 0) / DAYS_PER_MONTH


def spells(versions: dict[int, VersionInfo], marks: Iterable[Mark]) -> list[Spell]:
    """One spell per thread with a dated first version.

    The level is the level of the agenda the thread first appeared in. A thread ends when
    the version that answered, dropped or merged it is published; a thread still open is
    censored at the latest dated version of the agenda it last stood in (a moved thread
    continues in its new agenda).
    """
    latest_day = latest_days(versions)
    result = []
    for thread_id, timeline in timelines(versions, marks).items():
        first_version, _ = timeline[0]
        last_version, last_mark = timeline[-1]
        if first_version.day is None:
            continue
        ended = last_mark.transition in CLOSED
        if ended:
            decided = versions.get(last_mark.decided_version_id)
            end = decided.day if decided and decided.day else last_version.day
        else:
            end = latest_day.get(last_version.agenda_id)
        if end is None:
            continue
        result.append(Spell(thread_id, first_version.level, _months(first_version.day, end), ended))
    return result


def kaplan_meier(items: Sequence[Spell], level: str = "") -> Survival:
    """The share of threads still open after t months (events before censoring at ties)."""
    times = sorted({round(s.months, 6) for s in items if s.ended})
    share = 1.0
    steps = [(0.0, 1.0)]
    for t in times:
        at_risk = sum(1 for s in items if round(s.months, 6) >= t)
        events = sum(1 for s in items if s.ended and round(s.months, 6) == t)
        if at_risk:
            share *= 1 - events / at_risk
            steps.append((t, share))
    follow_up = max((s.months for s in items), default=0.0)
    if follow_up > steps[-1][0]:
        steps.append((follow_up, share))  # the curve runs on to the longest follow-up
    at: dict[int, float | None] = {}
    for month in SURVIVAL_MONTHS:
        if month > follow_up:
            at[month] = None
            continue
        at[month] = next((value for t, value in reversed(steps) if t <= month), 1.0)
    median = next((t for t, value in steps if value <= 0.5), None)
    return Survival(level, len(items), sum(1 for s in items if s.ended), steps, at, median)


def survival_by_level(
    versions: dict[int, VersionInfo], marks: Iterable[Mark], levels: Iterable[str]
) -> list[Survival]:
    """Kaplan–Meier per level (in ``levels`` order), for the levels that have threads."""
    by_level: dict[str, list[Spell]] = defaultdict(list)
    for spell in spells(versions, marks):
        by_level[spell.level].append(spell)
    return [kaplan_meier(by_level[level], level) for level in levels if by_level.get(level)]


def still_open(status: str) -> bool:
    return status in (OPEN, MOVE)


# --- indicator trends ------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """An observation of an indicator, as plain data."""

    day: date
    end: date | None
    value: float | None
    narrative: str
    source: str = ""
    # The observation's id: orders points on the same date, names them in the table.
    key: int = 0


def trend(points: Iterable[Point]) -> tuple[list[Point], list[tuple[int, Point]]]:
    """The numeric points in date order, and the narratives numbered 1, 2, … in date order
    (the numbers are shown in the chart and the table)."""
    ordered = sorted(points, key=lambda p: (p.day, p.end or p.day, p.key))
    numeric = [p for p in ordered if p.value is not None]
    stories = [p for p in ordered if p.narrative]
    return numeric, list(enumerate(stories, start=1))


# --- barrier heat map ------------------------------------------------------------------------


@dataclass
class HeatMap:
    """Per cell of the system analysis (aspect × actor group): the distinct linked question
    threads that are open, and those that are hardnekkig."""

    aspects: list[tuple[int, str]]
    actors: list[tuple[int, str]]
    open: list[list[int]]
    hardnekkig: list[list[int]]
    threads: dict[tuple[int, int], set[int]]

    def values(self, measure: str) -> list[list[int]]:
        return self.hardnekkig if measure == "hardnekkig" else self.open


def heat_map(
    aspects: Sequence[tuple[int, str]],
    actors: Sequence[tuple[int, str]],
    items: Iterable[tuple[int, int, int]],
    links: Iterable[tuple[int, int]],
    figures: dict[int, history.Persistence],
) -> HeatMap:
    """``items``: (item id, aspect id, actor id) of the barriers; ``links``: (item id, thread
    id); ``figures``: the persistence of the threads that may be counted (others are left
    out). A thread linked to two barriers in one cell counts once there."""
    cell_of = {item_id: (aspect_id, actor_id) for item_id, aspect_id, actor_id in items}
    threads: dict[tuple[int, int], set[int]] = defaultdict(set)
    for item_id, thread_id in links:
        if item_id in cell_of and thread_id in figures:
            threads[cell_of[item_id]].add(thread_id)
    open_counts, hard_counts = [], []
    for aspect_id, _name in aspects:
        open_row, hard_row = [], []
        for actor_id, _actor in actors:
            ids = threads.get((aspect_id, actor_id), set())
            open_row.append(sum(1 for t in ids if figures[t].is_open))
            hard_row.append(sum(1 for t in ids if figures[t].hardnekkig))
        open_counts.append(open_row)
        hard_counts.append(hard_row)
    return HeatMap(list(aspects), list(actors), open_counts, hard_counts, dict(threads))


def thread_figures(
    versions: dict[int, VersionInfo],
    marks: Iterable[Mark],
    *,
    min_run: int,
    max_months: int,
) -> dict[int, history.Persistence]:
    """Persistence figures of every thread in the chart input."""
    latest = latest_days(versions)
    return {
        thread_id: figures_of(timeline, latest=latest, min_run=min_run, max_months=max_months)
        for thread_id, timeline in timelines(versions, marks).items()
    }
