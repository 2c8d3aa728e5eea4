"""Read side of the audit log: the entries a user may read, a page at a time."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from dla.agendas import services as agenda_services
from dla.agendas.models import Version
from dla.audit.models import VERSIONED_ENTITIES, AuditEntry
from dla.auth.permissions import access
from dla.extensions import db


def visible_entries(region_id: int) -> list:
    """SQL conditions on ``AuditEntry`` for the entries the current user may read: none
    about a version, a question thread or a werksessie they may not read (what it was
    about would show restricted text, or that it exists)."""
    rights = access()
    if rights.readable_versions(region_id) is None:
        return []
    return [
        or_(
            AuditEntry.version_id.in_(rights.readable_version_ids(region_id)),
            AuditEntry.version_id.is_(None) & AuditEntry.entity.not_in(VERSIONED_ENTITIES),
        ),
        or_(
            AuditEntry.thread_id.is_(None),
            AuditEntry.thread_id.in_(rights.readable_threads(region_id)),
        ),
        or_(
            AuditEntry.werksessie_id.is_(None),
            AuditEntry.werksessie_id.not_in(rights.hidden_sessions(region_id)),
        ),
    ]


def count_entries(where: list) -> int:
    return db.session.scalar(select(func.count(AuditEntry.id)).where(*where))


def entries_page(where: list, number: int, size: int) -> list[AuditEntry]:
    """Page ``number`` (from 1) of the entries, newest first."""
    return db.session.scalars(
        select(AuditEntry)
        .where(*where)
        .order_by(AuditEntry.id.desc())
        .limit(size)
        .offset((number - 1) * size)
    ).all()


def after_unreadable(region_id: int, version_ids: set[int]) -> set[int]:
    """Those of ``version_ids`` whose previous published version the user may not read: a
    new version starts as a copy of it, so its log holds that version's text."""
    rights = access()
    if not version_ids or rights.readable_versions(region_id) is None:
        return set()
    hidden = set()
    for version in db.session.scalars(select(Version).where(Version.id.in_(version_ids))):
        previous = agenda_services.previous_version(version)
        if previous is not None and not rights.can_read_version(previous):
            hidden.add(version.id)
    return hidden
