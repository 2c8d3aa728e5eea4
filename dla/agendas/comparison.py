"""Read side of comparing two versions of one agenda (the compare page, the workspace's
changes since the last version, the werksessie report): a constant number of queries, turned
into ``history.Row`` by the pure ``history.compare``."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import or_, select, true

from dla.agendas import history
from dla.agendas.models import (
    DROP,
    DROP_REASONS,
    KEEP,
    MERGE,
    MOVE,
    SPLIT,
    Agenda,
    Thread,
    Transition,
    Version,
    Wording,
    transition_targets,
)
from dla.db import shared_alias
from dla.extensions import db

# Built once: SQLAlchemy memoizes the work of adapting their columns on the alias object.
_TARGET_AGENDA = shared_alias(Agenda, "target_agenda")
_SOURCE_AGENDA = shared_alias(Agenda, "source_agenda")
_SOURCE_VERSION = shared_alias(Version, "source_version")


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


def _loaded_items(wordings: list[Wording]) -> list[history.Item]:
    return [history.Item(w.thread_id, w.id, w.label, w.full_text) for w in wordings]


def compare_versions(
    old: Version,
    new: Version,
    readable_ids=None,
    *,
    old_wordings: list[Wording] | None = None,
    new_wordings: list[Wording] | None = None,
) -> list[history.Row]:
    """Compare two versions of the same agenda (``old`` before ``new``).

    ``readable_ids`` (a select of version ids, ``Access.readable_version_ids``) keeps out
    the decisions taken in versions in between that the viewer may not read.
    ``old_wordings``/``new_wordings``: the versions' wordings when the caller loaded them
    already, in their order (``services.ordered_wordings``, ``queries.load_wordings``).
    """
    old_items = _items(old) if old_wordings is None else _loaded_items(old_wordings)
    new_items = _items(new) if new_wordings is None else _loaded_items(new_wordings)
    old_threads = [i.thread_id for i in old_items]
    new_threads = [i.thread_id for i in new_items]

    # Decisions on the old threads in versions old … new-1 of this agenda, as plain rows.
    decisions = db.session.execute(
        select(
            Transition.id,
            Wording.thread_id,
            Transition.kind,
            Transition.note,
            Transition.reason,
            _TARGET_AGENDA.title,
        )
        .join(Wording, Wording.id == Transition.from_wording_id)
        .join(Version, Version.id == Wording.version_id)
        .outerjoin(_TARGET_AGENDA, _TARGET_AGENDA.id == Transition.target_agenda_id)
        .where(
            Version.agenda_id == old.agenda_id,
            Version.number >= old.number,
            Version.number < new.number,
            Wording.thread_id.in_(old_threads),
            Transition.kind != KEEP,
            Transition.version_id.in_(readable_ids) if readable_ids is not None else true(),
        )
        .order_by(Version.number)
    ).all()
    with_targets = [row[0] for row in decisions if row[2] in (MERGE, SPLIT)]
    targets: dict[int, list[int]] = defaultdict(list)
    for transition_id, thread_id in db.session.execute(
        select(transition_targets.c.transition_id, Wording.thread_id)
        .join(Wording, Wording.id == transition_targets.c.wording_id)
        .where(transition_targets.c.transition_id.in_(with_targets))
    ):
        targets[transition_id].append(thread_id)
    events: dict[int, list[history.Event]] = defaultdict(list)
    for transition_id, thread_id, kind, note, reason, agenda_title in decisions:
        if kind == DROP and reason:
            label = DROP_REASONS.get(reason, reason)
            note = f"{label}: {note}" if note else label
        events[thread_id].append(
            history.Event(
                kind=kind,
                note=note,
                target_thread_ids=tuple(targets.get(transition_id, ())),
                target_agenda=agenda_title or "",
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
                Version.id.in_(readable_ids) if readable_ids is not None else true(),
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
    moved_in = dict(
        db.session.execute(
            select(Wording.thread_id, _SOURCE_AGENDA.title)
            .join(Transition, Transition.from_wording_id == Wording.id)
            .join(_SOURCE_VERSION, _SOURCE_VERSION.id == Wording.version_id)
            .join(_SOURCE_AGENDA, _SOURCE_AGENDA.id == _SOURCE_VERSION.agenda_id)
            .where(
                Transition.kind == MOVE,
                Transition.target_agenda_id == old.agenda_id,
                Wording.thread_id.in_(new_threads),
                or_(_SOURCE_AGENDA.id != old.agenda_id),
                _SOURCE_VERSION.id.in_(readable_ids) if readable_ids is not None else true(),
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
