"""Pure functions over plain data: persistence figures, version comparison, word diffs.

Nothing here touches the database or Flask; the services build the plain inputs.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

# Transition kinds (mirrors dla.agendas.models; kept here so this module stays pure).
KEEP, REWORD, MERGE, SPLIT = "blijft_staan", "geherformuleerd", "samengevoegd", "gesplitst"
MOVE, ANSWER, DROP = "verplaatst", "voorlopig_beantwoord", "vervallen"

# The one Dutch name of each decision on a question, used by every page, chart and export
# (dla.agendas.models.TRANSITIONS, the status badges, the compare view, the charts).
TRANSITION_LABELS = {
    KEEP: "Blijft staan",
    REWORD: "Geherformuleerd",
    MERGE: "Samengevoegd",
    SPLIT: "Gesplitst",
    MOVE: "Verplaatst",
    ANSWER: "Voorlopig beantwoord",
    DROP: "Vervallen",
}

OPEN = "open"
STATUS_LABELS = {
    OPEN: "Staat op de agenda",
    ANSWER: TRANSITION_LABELS[ANSWER],
    DROP: TRANSITION_LABELS[DROP],
    MERGE: TRANSITION_LABELS[MERGE],
    MOVE: TRANSITION_LABELS[MOVE],
    "concept": "Alleen in concept",
}


@dataclass(frozen=True)
class Appearance:
    """One published wording of a thread, in agenda order."""

    thread_id: int
    agenda_id: int
    # Index of the version in its agenda's list of published versions (0, 1, 2 …).
    index: int
    day: date | None
    # The published decision taken on this wording in the next version, if any.
    transition: str | None = None
    # Sort key across agendas: when the thread arrived in this agenda.
    arrived: float = 0.0


@dataclass(frozen=True)
class Persistence:
    versions_present: int
    longest_run: int
    first_date: date | None
    last_date: date | None
    age_months: int
    status: str
    hardnekkig: bool

    @property
    def is_open(self) -> bool:
        return self.status in (OPEN, MOVE)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


EMPTY = Persistence(0, 0, None, None, 0, "concept", False)


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (0 when end is before start)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def order_appearances(appearances: Iterable[Appearance]) -> list[Appearance]:
    return sorted(appearances, key=lambda a: (a.arrived, a.agenda_id, a.index))


def latest_days(versions: Iterable[tuple[int, date | None]]) -> dict[int, date]:
    """Per agenda, the date of its latest dated version, from (agenda id, date) pairs: the
    day up to which the open questions of that agenda are counted (see ``persistence``)."""
    latest: dict[int, date] = {}
    for agenda_id, day in versions:
        if day is not None and (agenda_id not in latest or day > latest[agenda_id]):
            latest[agenda_id] = day
    return latest


def is_hardnekkig(longest_run: int, age_months: int, status: str, *, min_run: int, max_months: int):
    """The one definition of *hardnekkig*: the thread stood in ``min_run`` or more versions
    in a row, or it is still open and ``max_months`` months or older (its age counted up to
    the latest version of its agenda, never to today)."""
    return longest_run >= min_run or (status in (OPEN, MOVE) and age_months >= max_months)


def persistence(
    appearances: Sequence[Appearance],
    *,
    latest: Mapping[int, date],
    min_run: int,
    max_months: int,
) -> Persistence:
    """Persistence figures of one thread from its published appearances.

    A run continues from one appearance to the next when the next one is in the following
    published version of the same agenda, or when the thread was moved to another agenda.
    The age of an open thread runs from its first version to the latest dated version of the
    agenda it last stands in (``latest``, by agenda id: see ``latest_days``), so a thread
    does not grow older while nobody issues a new version; a closed thread's age ends at its
    last version. *Hardnekkig*: see ``is_hardnekkig``.
    """
    if not appearances:
        return EMPTY
    ordered = order_appearances(appearances)
    longest = run = 1
    for previous, current in zip(ordered, ordered[1:], strict=False):
        same_agenda = previous.agenda_id == current.agenda_id
        if (same_agenda and current.index == previous.index + 1) or (
            not same_agenda and previous.transition == MOVE
        ):
            run += 1
        else:
            run = 1
        longest = max(longest, run)
    last = ordered[-1]
    status = last.transition if last.transition in (ANSWER, DROP, MERGE, MOVE) else OPEN
    days = [a.day for a in ordered if a.day is not None]
    first_date = ordered[0].day or (min(days) if days else None)
    last_date = last.day or (max(days) if days else None)
    age = 0
    if days:
        end = max(days)
        if status in (OPEN, MOVE):
            end = max(end, latest.get(last.agenda_id, end))
        age = months_between(min(days), end)
    hardnekkig = is_hardnekkig(longest, age, status, min_run=min_run, max_months=max_months)
    return Persistence(len(ordered), longest, first_date, last_date, age, status, hardnekkig)


# --- word-level diff -------------------------------------------------------------------

_TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level diff: a list of (op, text) with op in equal/delete/insert."""
    a = _TOKEN.findall(old)
    b = _TOKEN.findall(new)
    result: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result.append(("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            result.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            result.append(("insert", "".join(b[j1:j2])))
    return result


# --- comparing two versions ---------------------------------------------------------------

UNCHANGED, REWORDED, NEW, RETURNED, SPLIT_OFF, MOVED_IN, REMOVED = (
    "unchanged",
    "reworded",
    "new",
    "returned",
    "split_off",
    "moved_in",
    "removed",
)
CATEGORY_LABELS = {
    NEW: "Nieuw",
    RETURNED: "Teruggekomen",
    SPLIT_OFF: "Afgesplitst",
    MOVED_IN: "Hierheen verplaatst",
    UNCHANGED: TRANSITION_LABELS[KEEP],
    REWORDED: TRANSITION_LABELS[REWORD],
    MERGE: TRANSITION_LABELS[MERGE],
    SPLIT: TRANSITION_LABELS[SPLIT],
    MOVE: "Verplaatst naar een andere agenda",
    ANSWER: TRANSITION_LABELS[ANSWER],
    DROP: TRANSITION_LABELS[DROP],
    REMOVED: "Niet meer op de agenda",
}
CATEGORY_ORDER = list(CATEGORY_LABELS)


@dataclass(frozen=True)
class Item:
    """A thread's wording in one version."""

    thread_id: int
    wording_id: int
    label: str
    text: str


@dataclass(frozen=True)
class Event:
    """A published or concept decision on the thread between the two versions."""

    kind: str
    note: str = ""
    target_thread_ids: tuple[int, ...] = ()
    target_agenda: str = ""


@dataclass
class Row:
    category: str
    thread_id: int
    old: Item | None = None
    new: Item | None = None
    diff: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""
    related: list[Item] = field(default_factory=list)
    split: list[Item] = field(default_factory=list)
    # Questions of the old version that were merged into this one.
    merged_in: list[Item] = field(default_factory=list)

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self.category]


def compare(
    old: Sequence[Item],
    new: Sequence[Item],
    *,
    events: dict[int, list[Event]],
    earlier_threads: set[int],
    split_from: dict[int, int],
    moved_in: dict[int, str],
) -> list[Row]:
    """Compare two versions of one agenda, old before new.

    ``events`` holds, per thread of ``old``, the decisions taken on it in the versions from
    ``old`` up to (not including) ``new``, in order. ``earlier_threads`` are threads present
    in the agenda before ``old``; ``split_from`` maps split-off threads to their origin;
    ``moved_in`` maps threads that arrived from another agenda to that agenda's title.
    """
    old_by_thread = {item.thread_id: item for item in old}
    new_by_thread = {item.thread_id: item for item in new}
    rows: list[Row] = []
    for item in old:
        thread_events = events.get(item.thread_id, [])
        split_targets = [
            new_by_thread[t]
            for e in thread_events
            if e.kind == SPLIT
            for t in e.target_thread_ids
            if t in new_by_thread
        ]
        successor = new_by_thread.get(item.thread_id)
        if successor is not None:
            same = successor.text == item.text
            row = Row(
                UNCHANGED if same else REWORDED,
                item.thread_id,
                old=item,
                new=successor,
                diff=[] if same else word_diff(item.text, successor.text),
                split=split_targets,
            )
            rows.append(row)
            continue
        leaving = next(
            (e for e in reversed(thread_events) if e.kind in (MERGE, MOVE, ANSWER, DROP)), None
        )
        if leaving is None:
            rows.append(Row(REMOVED, item.thread_id, old=item))
            continue
        related = [new_by_thread[t] for t in leaving.target_thread_ids if t in new_by_thread]
        note = leaving.target_agenda if leaving.kind == MOVE else leaving.note
        rows.append(Row(leaving.kind, item.thread_id, old=item, note=note, related=related))
    for item in new:
        if item.thread_id in old_by_thread:
            continue
        origin = split_from.get(item.thread_id)
        if origin is not None and origin in old_by_thread:
            rows.append(Row(SPLIT_OFF, item.thread_id, new=item, related=[old_by_thread[origin]]))
        elif item.thread_id in moved_in:
            rows.append(Row(MOVED_IN, item.thread_id, new=item, note=moved_in[item.thread_id]))
        elif item.thread_id in earlier_threads:
            rows.append(Row(RETURNED, item.thread_id, new=item))
        else:
            rows.append(Row(NEW, item.thread_id, new=item))
    # Merges: name, on the surviving thread, the threads merged into it.
    for row in rows:
        if row.category == MERGE:
            for target in row.related:
                survivor = next(
                    (r for r in rows if r.new and r.new.thread_id == target.thread_id), None
                )
                if survivor is not None and row.old is not None:
                    survivor.merged_in.append(row.old)
    return rows


def summarise(rows: Sequence[Row]) -> dict[str, int]:
    """Count rows per category, in display order, leaving out empty categories."""
    counts = {category: 0 for category in CATEGORY_ORDER}
    for row in rows:
        counts[row.category] += 1
    return {category: n for category, n in counts.items() if n}
