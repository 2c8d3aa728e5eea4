"""Who may see and do what, by region and role.

A user who is not a member of a region gets 404 for everything in it (its existence does
not leak); a member whose role does not allow an action gets 403.

| role          | may                                                                        |
|---------------|----------------------------------------------------------------------------|
| projectleider | everything in the region's agendas, including restricted versions          |
| deelnemer     | read the agendas they take part in; add questions and comments to concepts |
| taskforce     | read everything in the region; comment; read the audit log                 |
| onderzoeker   | read; comment; audit log; create and edit *gereconstrueerd* versions        |
| beheerder     | the region's settings and memberships (not its agenda content)             |

A global beheerder (``User.is_admin``) manages users and regions everywhere.
"""

from __future__ import annotations

from flask import abort, g
from flask_login import current_user
from sqlalchemy import or_, select

from dla.auth.models import (
    BEHEERDER,
    DEELNEMER,
    ONDERZOEKER,
    PROJECTLEIDER,
    TASKFORCE,
    Membership,
    agenda_participants,
    version_members,
)
from dla.extensions import db

READERS = {PROJECTLEIDER, TASKFORCE, ONDERZOEKER}
AUDITORS = {PROJECTLEIDER, TASKFORCE, ONDERZOEKER}


class Access:
    """The current user's rights, loaded once per request."""

    def __init__(self, user):
        self.user = user
        self.roles: dict[int, str] = {}
        if user is not None and user.is_authenticated:
            self.roles = dict(
                db.session.execute(
                    select(Membership.region_id, Membership.role).where(
                        Membership.user_id == user.id
                    )
                ).all()
            )
        self._participating: set[int] | None = None
        self._member_versions: set[int] | None = None

    # --- facts ---------------------------------------------------------------------------

    @property
    def is_admin(self) -> bool:
        return bool(self.user is not None and self.user.is_authenticated and self.user.is_admin)

    def role(self, region_id: int) -> str | None:
        return self.roles.get(region_id)

    def participating(self) -> set[int]:
        if self._participating is None:
            self._participating = set(
                db.session.scalars(
                    select(agenda_participants.c.agenda_id).where(
                        agenda_participants.c.user_id == self.user.id
                    )
                )
            )
        return self._participating

    def member_versions(self) -> set[int]:
        if self._member_versions is None:
            self._member_versions = set(
                db.session.scalars(
                    select(version_members.c.version_id).where(
                        version_members.c.user_id == self.user.id
                    )
                )
            )
        return self._member_versions

    # --- questions ---------------------------------------------------------------------------

    def can_read_region(self, region_id: int) -> bool:
        return self.role(region_id) in READERS | {DEELNEMER}

    def can_read_agenda(self, agenda) -> bool:
        role = self.role(agenda.region_id)
        return role in READERS or (role == DEELNEMER and agenda.id in self.participating())

    def can_read_version(self, version) -> bool:
        agenda = version.agenda
        if not self.can_read_agenda(agenda):
            return False
        if version.distribution != "beperkt":
            return True
        return self.role(agenda.region_id) == PROJECTLEIDER or version.id in self.member_versions()

    def can_edit_version(self, version) -> bool:
        role = self.role(version.agenda.region_id)
        return role == PROJECTLEIDER or (
            role == ONDERZOEKER and version.origin == "gereconstrueerd"
        )

    def can_add_question(self, version) -> bool:
        return self.can_edit_version(version) or (
            self.role(version.agenda.region_id) == DEELNEMER and self.can_read_version(version)
        )

    def can_edit_wording(self, wording, *, is_new: bool) -> bool:
        if self.can_edit_version(wording.version):
            return True
        return (
            is_new
            and wording.created_by_id == self.user.id
            and self.can_add_question(wording.version)
        )

    def can_create_agenda(self, region_id: int) -> bool:
        return self.role(region_id) == PROJECTLEIDER

    def can_create_version(self, agenda) -> bool:
        return self.role(agenda.region_id) in (PROJECTLEIDER, ONDERZOEKER)

    def can_comment(self, region_id: int) -> bool:
        return self.role(region_id) in READERS | {DEELNEMER}

    def can_audit(self, region_id: int) -> bool:
        return self.role(region_id) in AUDITORS

    def can_manage_region(self, region_id: int) -> bool:
        return self.is_admin or self.role(region_id) == BEHEERDER

    # --- measurements ----------------------------------------------------------------------

    def can_manage_measurements(self, region_id: int) -> bool:
        """Indicators, observations and their links: projectleiders and onderzoekers."""
        return self.role(region_id) in (PROJECTLEIDER, ONDERZOEKER)

    # --- guards ------------------------------------------------------------------------------

    def require(self, region_id: int, allowed: bool) -> None:
        """404 for non-members (nothing leaks), 403 for members without the right."""
        if region_id not in self.roles and not self.is_admin:
            abort(404)
        if not allowed:
            abort(403)

    def version_filter(self, region_id: int, version_table):
        """A SQL condition on ``version_table`` (Version or an alias) for visible versions."""
        role = self.role(region_id)
        if role == PROJECTLEIDER:
            return None
        visible = or_(
            version_table.distribution != "beperkt",
            version_table.id.in_(
                select(version_members.c.version_id).where(
                    version_members.c.user_id == self.user.id
                )
            ),
        )
        if role == DEELNEMER:
            participating = select(agenda_participants.c.agenda_id).where(
                agenda_participants.c.user_id == self.user.id
            )
            return visible & version_table.agenda_id.in_(participating)
        return visible


def access() -> Access:
    """The current request's ``Access`` (cached on ``g``)."""
    if "access" not in g:
        g.access = Access(current_user)
    return g.access
