"""Planning a werksessie: plan it, change it, delete it while it is still planned.

Services flush and log; the view commits.
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import select

from dla.agendas.models import Agenda
from dla.errors import ValidationError
from dla.extensions import db
from dla.regions.models import Region
from dla.validation import check_lock, clean_text
from dla.werksessies.models import (
    KINDS,
    OPEN,
    PLANNED,
    SessionAgenda,
    Werksessie,
)
from dla.werksessies.services import require_status

log = logging.getLogger(__name__)

MAX_PARTICIPANTS = 500
DEFAULT_MAX_PARTICIPANTS = 60
MAX_AGENDAS = 10


def _session_fields(
    region: Region,
    *,
    kind: str,
    title: str,
    session_date: date | None,
    notes: str,
    allow_anonymous: bool,
    max_participants: int | None,
) -> dict:
    if kind not in KINDS:
        raise ValidationError("Kies het soort sessie.")
    if not isinstance(session_date, date):
        raise ValidationError("Vul de datum van de sessie in, bijvoorbeeld 21-01-2026.")
    max_participants = DEFAULT_MAX_PARTICIPANTS if max_participants is None else max_participants
    if not 1 <= max_participants <= MAX_PARTICIPANTS:
        raise ValidationError(f"Kies een aantal deelnemers van 1 tot en met {MAX_PARTICIPANTS}.")
    return {
        "kind": kind,
        "title": clean_text(title, limit=200, what="de titel", required=True),
        "session_date": session_date,
        "notes": clean_text(notes, limit=5000, what="de aantekeningen"),
        "allow_anonymous": bool(allow_anonymous),
        "max_participants": max_participants,
    }


def _set_agendas(ws: Werksessie, region: Region, agenda_ids: list[int]) -> None:
    ids = list(dict.fromkeys(agenda_ids))
    if not ids:
        raise ValidationError("Kies minstens één agenda om te bespreken.")
    if len(ids) > MAX_AGENDAS:
        raise ValidationError(f"Bespreek hoogstens {MAX_AGENDAS} agenda's in één sessie.")
    found = {
        a.id: a
        for a in db.session.scalars(
            select(Agenda).where(Agenda.id.in_(ids), Agenda.region_id == region.id)
        )
    }
    if len(found) != len(ids):
        raise ValidationError("Kies agenda's van deze regio.")
    for link in list(ws.agendas):
        ws.agendas.remove(link)
        db.session.delete(link)
    db.session.flush()
    for position, agenda_id in enumerate(ids):
        ws.agendas.append(SessionAgenda(agenda=found[agenda_id], position=position))


def plan_session(
    region: Region,
    *,
    agenda_ids: list[int],
    created_by_id: int | None = None,
    kind: str = "werksessie",
    title: str,
    session_date: date | None,
    notes: str = "",
    allow_anonymous: bool = False,
    max_participants: int | None = None,
) -> Werksessie:
    ws = Werksessie(
        region=region,
        status=PLANNED,
        created_by_id=created_by_id,
        **_session_fields(
            region,
            kind=kind,
            title=title,
            session_date=session_date,
            notes=notes,
            allow_anonymous=allow_anonymous,
            max_participants=max_participants,
        ),
    )
    db.session.add(ws)
    _set_agendas(ws, region, agenda_ids)
    db.session.flush()
    log.info("werksessie %s planned in region %s by user %s", ws.id, region.id, created_by_id)
    return ws


def update_session(
    ws: Werksessie,
    *,
    lock_version: int | None,
    agenda_ids: list[int],
    kind: str,
    title: str,
    session_date: date | None,
    notes: str = "",
    allow_anonymous: bool = False,
    max_participants: int | None = None,
) -> Werksessie:
    """Change a session. Its agendas change only before it opens; the rest also while open."""
    require_status(ws, PLANNED, OPEN)
    check_lock(ws, lock_version, "Iemand anders heeft deze sessie intussen gewijzigd.")
    fields = _session_fields(
        ws.region,
        kind=kind,
        title=title,
        session_date=session_date,
        notes=notes,
        allow_anonymous=allow_anonymous,
        max_participants=max_participants,
    )
    for key, value in fields.items():
        setattr(ws, key, value)
    current = [link.agenda_id for link in ws.agendas]
    if list(dict.fromkeys(agenda_ids)) != current:
        if ws.status != PLANNED:
            raise ValidationError("De agenda's van een geopende sessie liggen vast.")
        _set_agendas(ws, ws.region, agenda_ids)
    db.session.flush()
    log.info("werksessie %s updated", ws.id)
    return ws


def delete_session(ws: Werksessie) -> None:
    """Delete a planned session (an opened one holds what participants typed)."""
    require_status(ws, PLANNED)
    db.session.delete(ws)
    db.session.flush()
    log.info("werksessie %s deleted", ws.id)
