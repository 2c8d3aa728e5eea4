"""The immutability guard: no flush may change the content of a published version.

The services refuse such changes first, with a clear message; this listener is the last line
of defence for any code path that forgets. ``create_app`` calls :func:`install`.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from dla.agendas.models import (
    CITABLE_AFTER_PUBLISHING,
    PUBLISHED,
    SubQuestion,
    Transition,
    Version,
    VersionGroup,
    Wording,
)
from dla.errors import PublishedError
from dla.extensions import db


def install() -> None:
    """Register the guard on every session (once; calling it again changes nothing)."""
    if not event.contains(Session, "before_flush", refuse_changes_to_published_versions):
        event.listen(Session, "before_flush", refuse_changes_to_published_versions)


def _version_of(obj) -> Version | None:
    if isinstance(obj, Version):
        return obj
    if isinstance(obj, Wording | VersionGroup | Transition):
        return obj.version
    if isinstance(obj, SubQuestion):
        return obj.wording.version if obj.wording is not None else None
    return None


def _was_published(version: Version) -> bool:
    """Whether the version was already published before the changes now being flushed."""
    history = db.inspect(version).attrs.status.history
    if history.deleted:
        return history.deleted[0] == PUBLISHED
    return version.status == PUBLISHED and not db.inspect(version).pending


def _row_changed(obj) -> bool:
    """Whether a flush would UPDATE the object's own row (relationship changes aside).

    A version's report reference (how reports cite it) is not its content."""
    state = db.inspect(obj)
    exempt = CITABLE_AFTER_PUBLISHING if isinstance(obj, Version) else frozenset()
    return any(
        state.attrs[attr.key].history.has_changes()
        for attr in state.mapper.column_attrs
        if attr.key not in exempt
    )


def refuse_changes_to_published_versions(session, _context, _instances) -> None:
    """Last line of defence: no flush may change the content of a published version."""
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if obj in session.dirty and not _row_changed(obj):
            continue
        version = _version_of(obj)
        if version is None:
            continue
        if isinstance(obj, Version) and obj in session.dirty and not _was_published(obj):
            continue
        if version.status == PUBLISHED and (obj is not version or _was_published(version)):
            raise PublishedError()
