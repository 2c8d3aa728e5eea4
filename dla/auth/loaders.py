"""The loaders every blueprint uses: fetch a row and check the current user's right.

A user who is not a member of the row's region gets 404 (its existence does not leak); a
member without the right gets 403. A restricted version the user may not read, and a thread
with no wording they may read, do not exist for them: 404.
"""

from __future__ import annotations

from flask import abort, request

from dla.auth.permissions import access
from dla.extensions import db


def get_region_or_404(region_id: int, need: str = "read_region"):
    """Load a region; ``need`` names the policy method (``can_<need>``) that must allow it."""
    from dla.regions.models import Region

    region = db.get_or_404(Region, region_id)
    rights = access()
    rights.require(region.id, getattr(rights, f"can_{need}")(region.id))
    return region


def get_in_region_or_404(model, object_id: int, need: str = "read_region"):
    """Load a row that carries its ``region_id`` and check ``can_<need>(region_id)``."""
    obj = db.get_or_404(model, object_id)
    rights = access()
    rights.require(obj.region_id, getattr(rights, f"can_{need}")(obj.region_id))
    return obj


def get_agenda_or_404(agenda_id: int, need: str = "read"):
    """Load an agenda and check ``read``, ``create_version`` or ``manage``."""
    from dla.agendas.models import Agenda

    agenda = db.get_or_404(Agenda, agenda_id)
    rights = access()
    rights.require(agenda.region_id, rights.can_read_agenda(agenda))
    if need == "create_version":
        rights.require(agenda.region_id, rights.can_create_version(agenda))
    elif need == "manage":
        rights.require(agenda.region_id, rights.can_manage_agenda(agenda.region_id))
    return agenda


def get_version_or_404(
    version_id: int, need: str = "read", *, lock: bool | None = None, light: bool = False
):
    """Load a version and check ``read``, ``add`` (questions), ``edit``, ``manage`` (its
    members) or ``comment``.

    A POST that needs ``add`` or ``edit`` changes the version: it is locked until the commit
    (``lock`` overrides), so concurrent changes to one version take turns. ``light`` loads
    the version with its agenda and region only, not its questions (enough to check the
    right, e.g. before a page comes from the cache).
    """
    from dla.agendas import services

    if lock is None:
        lock = need in ("add", "edit") and request.method == "POST"
    if light and not lock:
        version = services.load_version_light(version_id)
    else:
        version = services.load_version(version_id, for_update=lock)
    if version is None:
        abort(404)
    rights = access()
    region_id = version.agenda.region_id
    if not rights.can_read_version(version):
        if rights.can_read_agenda(version.agenda):
            abort(404)  # a restricted version does not exist for those who may not see it
        rights.require(region_id, False)
    if need == "add":
        rights.require(region_id, rights.can_add_question(version))
    elif need == "edit":
        rights.require(region_id, rights.can_edit_version(version))
    elif need == "manage":
        rights.require(region_id, rights.can_manage_agenda(region_id))
    elif need == "comment":
        rights.require(region_id, rights.can_comment(region_id))
    return version


def get_wording_or_404(wording_id: int, need: str = "edit"):
    """Load a question; ``read``, ``edit`` (its text) or ``structure`` (order, groups,
    decisions)."""
    from dla.agendas.models import Wording

    wording = db.get_or_404(Wording, wording_id)
    version = get_version_or_404(
        wording.version_id, lock=need != "read" and request.method == "POST"
    )
    rights = access()
    if need == "structure":
        allowed = rights.can_edit_version(version)
    elif need == "read":
        allowed = True
    else:
        allowed = rights.can_edit_wording(wording)
    rights.require(version.agenda.region_id, allowed)
    return wording


def get_thread_or_404(thread_id: int, need: str = "read_region"):
    """Load a question thread that has at least one wording the user may read."""
    from sqlalchemy import select

    from dla.agendas.models import Thread, Wording

    thread = get_in_region_or_404(Thread, thread_id, need)
    readable = access().readable_version_ids(thread.region_id)
    if (
        db.session.scalar(
            select(Wording.id)
            .where(Wording.thread_id == thread.id, Wording.version_id.in_(readable))
            .limit(1)
        )
        is None
    ):
        abort(404)
    return thread


def get_session_or_404(werksessie_id: int, need: str = "read"):
    """Load a werksessie; ``read`` (``can_read_sessions``) or ``lead``.

    A session that reviewed a restricted version the user may not read does not exist for
    them (404), like the version itself: its questions, decisions, contributions and notes
    stay with the version's readers.
    """
    from dla.werksessies.models import Werksessie

    ws = db.get_or_404(Werksessie, werksessie_id)
    rights = access()
    if need == "lead":
        rights.require(ws.region_id, rights.can_lead_session(ws.region_id))
        return ws
    rights.require(ws.region_id, rights.can_read_sessions(ws.region_id))
    if not rights.can_read_session(ws):
        abort(404)
    return ws
