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
| programma     | read only (no comments, decisions, audit log or werksessies), for a        |
|               | programme over several regions; restricted versions only as a named member |

A global beheerder (``User.is_admin``) manages users and regions everywhere. A version with
distribution *beperkt* is read only by its named members and the region's projectleiders.

This module is the one policy: every rule is a named method of ``Access``; views, templates
(``access()`` is a Jinja global) and the loaders in ``dla.auth.loaders`` ask only those.
``Access.readable_versions`` is the one query-level filter for "the versions this user may
read"; every query that reads questions or their text applies it.
"""

from __future__ import annotations

from flask import abort, g
from flask_login import current_user
from sqlalchemy import bindparam, false, literal, literal_column, or_, select, true, union_all

from dla.auth.models import (
    BEHEERDER,
    DEELNEMER,
    ONDERZOEKER,
    PROGRAMMA,
    PROJECTLEIDER,
    ROLES,
    TASKFORCE,
    Membership,
    User,
    agenda_participants,
    version_members,
)
from dla.caching import stamps
from dla.extensions import db

READERS = {PROJECTLEIDER, TASKFORCE, ONDERZOEKER}
# Roles that read every agenda of the region but never write anything (not even comments).
READ_ONLY = {PROGRAMMA}
AUDITORS = {PROJECTLEIDER, TASKFORCE, ONDERZOEKER}
RESTRICTED = "beperkt"  # Version.distribution of a version for its named members only


# Built once: every request runs it (only the user id changes).
_USER = bindparam("user_id")
_RIGHTS = union_all(
    select(
        literal("role").label("kind"),
        Membership.region_id.label("key"),
        Membership.role.label("role"),
    ).where(Membership.user_id == _USER),
    select(literal("agenda"), agenda_participants.c.agenda_id, literal_column("NULL")).where(
        agenda_participants.c.user_id == _USER
    ),
    select(literal("version"), version_members.c.version_id, literal_column("NULL")).where(
        version_members.c.user_id == _USER
    ),
)


# The user and their rights together (``load_user``): one row per right, or one row of NULLs;
# with the change stamps of their regions read ahead (``dla.caching.stamps.read_ahead``).
_RIGHTS_ROWS = union_all(
    *_RIGHTS.selects,
    stamps.read_ahead(select(Membership.region_id).where(Membership.user_id == _USER)),
).subquery("rights")
_USER_WITH_RIGHTS = (
    select(User, _RIGHTS_ROWS.c.kind, _RIGHTS_ROWS.c.key, _RIGHTS_ROWS.c.role)
    .outerjoin(_RIGHTS_ROWS, true())
    .where(User.id == _USER)
)


class Access:
    """The current user's rights, loaded once per request."""

    def __init__(self, user, rights: list | None = None):
        """``rights``: the rows of ``_RIGHTS`` when the caller read them already
        (:func:`load_user`); else they are read here when someone is logged in."""
        self.user = user
        self.roles: dict[int, str] = {}
        self._participating: set[int] | None = None
        self._member_versions: set[int] | None = None
        if rights is not None:
            self._keep(rights)
        elif user is not None and user.is_authenticated:
            self._keep(db.session.execute(_RIGHTS, {"user_id": user.id}).all())

    def _keep(self, rows) -> None:
        """The person's roles, the agendas they take part in and the restricted versions they
        are a member of: one query (every page needs all three to know what may be read)."""
        self.roles = {key: role for kind, key, role in rows if kind == "role"}
        self._participating = {key for kind, key, _role in rows if kind == "agenda"}
        self._member_versions = {key for kind, key, _role in rows if kind == "version"}

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

    # --- regions ---------------------------------------------------------------------------

    def is_member(self, region_id: int) -> bool:
        return region_id in self.roles

    def role_label(self, region_id: int) -> str:
        return ROLES.get(self.role(region_id) or "", "")

    def can_read_region(self, region_id: int) -> bool:
        return self.role(region_id) in READERS | READ_ONLY | {DEELNEMER}

    def can_manage_region(self, region_id: int) -> bool:
        return self.is_admin or self.role(region_id) == BEHEERDER

    def can_edit_region(self, region_id: int) -> bool:
        """The region's name, description and settings (stop words, thresholds)."""
        return self.can_manage_region(region_id) or self.role(region_id) == PROJECTLEIDER

    def can_audit(self, region_id: int) -> bool:
        return self.role(region_id) in AUDITORS

    def can_comment(self, region_id: int) -> bool:
        return self.role(region_id) in READERS | {DEELNEMER}

    # --- agendas, versions, questions ------------------------------------------------------

    def can_read_agenda(self, agenda) -> bool:
        role = self.role(agenda.region_id)
        return role in READERS | READ_ONLY or (
            role == DEELNEMER and agenda.id in self.participating()
        )

    def can_read_version(self, version) -> bool:
        agenda = version.agenda
        if not self.can_read_agenda(agenda):
            return False
        if version.distribution != RESTRICTED:
            return True
        return self.role(agenda.region_id) == PROJECTLEIDER or version.id in self.member_versions()

    def can_create_agenda(self, region_id: int) -> bool:
        return self.role(region_id) == PROJECTLEIDER

    def can_manage_agenda(self, region_id: int) -> bool:
        """Edit and delete agendas, their participants and the members of restricted
        versions; move and copy questions between agendas."""
        return self.role(region_id) == PROJECTLEIDER

    def can_create_version(self, agenda) -> bool:
        return self.role(agenda.region_id) in (PROJECTLEIDER, ONDERZOEKER)

    def can_start_version(self, agenda) -> bool:
        """Start or import the agenda's next version. It copies the latest published
        version (or decides on each of its questions), so the person must be able to read
        that one: a restricted latest version keeps the next one to its readers."""
        if not self.can_create_version(agenda):
            return False
        from dla.agendas.services import latest_published

        source = latest_published(agenda)
        return source is None or self.can_read_version(source)

    def can_issue_any_origin(self, region_id: int) -> bool:
        """Issue versions of every origin; others only reconstruct (*gereconstrueerd*)."""
        return self.role(region_id) == PROJECTLEIDER

    def can_edit_version(self, version) -> bool:
        role = self.role(version.agenda.region_id)
        return role == PROJECTLEIDER or (
            role == ONDERZOEKER and version.origin == "gereconstrueerd"
        )

    def can_add_question(self, version) -> bool:
        return self.can_edit_version(version) or (
            self.role(version.agenda.region_id) == DEELNEMER and self.can_read_version(version)
        )

    def can_edit_wording(self, wording, *, is_new: bool | None = None) -> bool:
        """Edit a question's text: editors of the version, or the author of a question that
        is new in this version (not carried over from the previous one). ``is_new`` is
        looked up when not given."""
        if self.can_edit_version(wording.version):
            return True
        if self.user is None or wording.created_by_id != getattr(self.user, "id", None):
            return False
        if not self.can_add_question(wording.version):
            return False
        if is_new is None:
            from dla.agendas.questions import predecessor

            is_new = predecessor(wording) is None
        return is_new

    def can_import(self, region_id: int) -> bool:
        return self.role(region_id) in (PROJECTLEIDER, ONDERZOEKER)

    def can_export(self, region_id: int) -> bool:
        """The region's exports (JSON, CSV, XLSX, bundle); a version's own download is for
        everyone who may read the version."""
        return self.role(region_id) in (PROJECTLEIDER, ONDERZOEKER)

    # --- system analysis -------------------------------------------------------------------

    def can_edit_analysis(self, region_id: int) -> bool:
        """The matrix, barrier items, links, milestones; escalating questions."""
        return self.role(region_id) == PROJECTLEIDER

    def can_decide(self, region_id: int) -> bool:
        """The taskforce's decisions on barriers and milestones."""
        return self.role(region_id) == TASKFORCE

    # --- measurements ----------------------------------------------------------------------

    def can_manage_measurements(self, region_id: int) -> bool:
        """Indicators, observations and their links: projectleiders and onderzoekers."""
        return self.role(region_id) in (PROJECTLEIDER, ONDERZOEKER)

    # --- citations and the begrippenlijst --------------------------------------------------

    def can_check_citations(self, region_id: int) -> bool:
        """The citation check of report texts, and quoting ("Citeren") a question: those
        who write reports (onderzoekers) and projectleiders."""
        return self.role(region_id) in (PROJECTLEIDER, ONDERZOEKER)

    def can_read_quotations(self, region_id: int) -> bool:
        """Where a question was quoted (who, when, tag)."""
        return self.role(region_id) in READERS

    def can_set_report_reference(self, version) -> bool:
        """How reports cite a version ("bijlage 2.4"); also after publishing."""
        return self.can_check_citations(version.agenda.region_id) and self.can_read_version(version)

    def can_edit_glossary(self, region_id: int) -> bool:
        return self.role(region_id) == PROJECTLEIDER

    # --- werksessies -----------------------------------------------------------------------

    def can_read_sessions(self, region_id: int) -> bool:
        return self.role(region_id) in READERS

    def can_lead_session(self, region_id: int) -> bool:
        return self.role(region_id) == PROJECTLEIDER

    def can_read_session(self, werksessie) -> bool:
        """A session's questions, decisions and contributions: only when every version it
        reviews is readable (a restricted source version keeps its session closed)."""
        if not self.can_read_sessions(werksessie.region_id):
            return False
        return all(
            link.source_version is None or self.can_read_version(link.source_version)
            for link in werksessie.agendas
        )

    def can_see_join_codes(self, region_id: int) -> bool:
        """A session's join code: for those who lead sessions (and the room, on screen)."""
        return self.can_lead_session(region_id)

    def hidden_sessions(self, region_id: int):
        """A select of the ids of the region's werksessies this user may not read (see
        ``can_read_session``): those that reviewed a version they may not read."""
        from dla.werksessies.models import SessionAgenda

        return (
            select(SessionAgenda.werksessie_id)
            .where(
                SessionAgenda.source_version_id.is_not(None),
                SessionAgenda.source_version_id.not_in(self.readable_version_ids(region_id)),
            )
            .correlate(None)
        )

    def readable_sessions(self, region_id: int, session_table=None):
        """A SQL condition on ``Werksessie`` for the region's sessions this user may read,
        or ``None`` when they may read them all."""
        from dla.werksessies.models import Werksessie

        session_table = session_table if session_table is not None else Werksessie
        if self.readable_versions(region_id) is None:
            return None
        return session_table.id.not_in(self.hidden_sessions(region_id))

    # --- taskforce and programme -----------------------------------------------------------

    def can_read_digest(self, region_id: int) -> bool:
        """The taskforce digest and the decisions register: everyone who reads the whole
        region (not deelnemers, who read only their own agendas)."""
        return self.role(region_id) in READERS | READ_ONLY

    def is_taskforce(self, region_id: int) -> bool:
        """The taskforce's start page shows this region's counts."""
        return self.role(region_id) == TASKFORCE

    def taskforce_regions(self) -> list[int]:
        return sorted(r for r, role in self.roles.items() if role == TASKFORCE)

    def programme_regions(self) -> list[int]:
        """The regions the programme view may combine: every region this user reads as a
        whole (programma, taskforce, projectleider, onderzoeker)."""
        return sorted(r for r, role in self.roles.items() if role in READERS | READ_ONLY)

    def can_view_programme(self) -> bool:
        """The programme view across regions: a programma role, or reading several regions."""
        regions = self.programme_regions()
        return len(regions) > 1 or any(self.roles[r] == PROGRAMMA for r in regions)

    # --- guards ------------------------------------------------------------------------------

    def require(self, region_id: int, allowed: bool) -> None:
        """404 for non-members (nothing leaks), 403 for members without the right."""
        if region_id not in self.roles and not self.is_admin:
            abort(404)
        if not allowed:
            abort(403)

    # --- the one query-level filter ----------------------------------------------------------

    def readable_versions(self, region_id: int, version_table=None):
        """A SQL condition on ``version_table`` (``Version`` or an alias) that holds for the
        versions of the region this user may read, or ``None`` when they may read them all.

        Every query that reads wordings or their text (directly, through a thread, a
        transition, a link, a log entry, a suggestion, a chart, an export or a werksessie)
        joins the version and applies this condition.
        """
        if version_table is None:
            from dla.agendas.models import Version as version_table
        role = self.role(region_id)
        if role == PROJECTLEIDER:
            return None
        if role not in READERS | READ_ONLY | {DEELNEMER}:
            return false()
        visible = or_(
            version_table.distribution != RESTRICTED,
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

    def readable_key(self, region_id: int) -> str:
        """What this user may read in the region, as part of a cache key: two people with
        the same key are shown the same questions (``dla.caching``)."""
        role = self.role(region_id)
        if role == PROJECTLEIDER:
            return "all"
        if role not in READERS | READ_ONLY | {DEELNEMER}:
            return "none"
        members = sorted(self.member_versions())
        if role == DEELNEMER:
            return f"{role}:{sorted(self.participating())}:{members}"
        return f"{role}:{members}"

    def readable_version_ids(self, region_id: int):
        """``readable_versions`` as a select of version ids (for ``in_``)."""
        from dla.agendas.models import Agenda, Version

        # Never correlated: it is used inside queries that select from versions too.
        query = (
            select(Version.id)
            .join(Agenda, Agenda.id == Version.agenda_id)
            .where(Agenda.region_id == region_id)
            .correlate(None)
        )
        condition = self.readable_versions(region_id, Version)
        return query if condition is None else query.where(condition)

    def readable_threads(self, region_id: int):
        """A select of the ids of the region's threads with a wording this user may read,
        or ``None`` when they may read them all."""
        from dla.agendas.models import Wording

        if self.readable_versions(region_id) is None:
            return None
        return (
            select(Wording.thread_id)
            .where(Wording.version_id.in_(self.readable_version_ids(region_id)))
            .correlate(None)
        )


def load_user(user_id: int):
    """The user with this id and their ``Access``, in one statement: every request of a
    logged-in person needs both, and on PostgreSQL each statement is a round trip.
    ``(None, None)`` when there is no such user."""
    rows = db.session.execute(_USER_WITH_RIGHTS, {"user_id": user_id}).all()
    if not rows:
        return None, None
    user = rows[0][0]
    rights = [(kind, key, role) for _user, kind, key, role in rows if kind is not None]
    ahead = [row for row in rights if row[0].startswith(stamps.READ_AHEAD)]
    access = Access(user, rights)
    stamps.remember(db.session, access.roles, ahead)
    return user, access


def access() -> Access:
    """The current request's ``Access`` (cached on ``g``, for the person logged in now)."""
    user = current_user._get_current_object()
    rights = g.get("access")
    if rights is None or rights.user is not user:
        rights = g.access = Access(user)
    return rights
