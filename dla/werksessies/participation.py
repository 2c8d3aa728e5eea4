"""Taking part in a werksessie: participants join with the code, add questions and vote;
the facilitator accepts, edits, merges or sets aside what they added. Services flush and
log; the view commits.
"""

from __future__ import annotations

import hashlib
import logging
import secrets

from sqlalchemy import func, select

from dla.agendas import services as agendas
from dla.agendas.models import Wording
from dla.audit import services as audit
from dla.db import utcnow
from dla.errors import ValidationError
from dla.extensions import db
from dla.privacy import pii_warnings
from dla.validation import check_lock, clean_text
from dla.werksessies.models import (
    ACCEPTED,
    CODE_LENGTH,
    MERGED,
    NEW,
    OPEN,
    PARTICIPANT_ROLES,
    REJECTED,
    VOTES,
    Contribution,
    Participant,
    SessionDecision,
    Upvote,
    Vote,
    Werksessie,
    normalise_code,
)
from dla.werksessies.services import NotAllowed, held_back, require_status, walk_source

log = logging.getLogger(__name__)

MAX_QUESTIONS_PER_PARTICIPANT = 25
MAX_NAME_LENGTH = 80


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- participants ----------------------------------------------------------------------------


def find_open_session(code: str | None) -> Werksessie | None:
    code = normalise_code(code)
    if len(code) != CODE_LENGTH:
        return None
    return db.session.scalar(
        select(Werksessie).where(Werksessie.code == code, Werksessie.status == OPEN)
    )


def join(
    ws: Werksessie,
    *,
    user=None,
    is_member: bool = False,
    display_name: str = "",
    role: str = "",
) -> tuple[Participant, str]:
    """Register a participant; returns it and the secret for the participant's cookie."""
    require_status(ws, OPEN)
    if user is None or not is_member:
        if not ws.allow_anonymous:
            raise NotAllowed(
                "Meedoen zonder account is bij deze sessie niet aangezet. Log in met uw "
                "account, of vraag de projectleider om meedoen zonder account toe te staan."
            )
    if role not in PARTICIPANT_ROLES:
        raise ValidationError("Kies uw rol, zodat het verslag kan tellen wie er waren.")
    display_name = clean_text(display_name, limit=MAX_NAME_LENGTH, what="uw naam")
    count = db.session.scalar(
        select(func.count(Participant.id)).where(Participant.werksessie_id == ws.id)
    )
    if count >= ws.max_participants:
        raise ValidationError(
            f"Deze sessie is vol ({ws.max_participants} deelnemers). Vraag de projectleider "
            "om meer plaatsen."
        )
    token = secrets.token_urlsafe(24)
    participant = Participant(
        werksessie_id=ws.id,
        user_id=user.id if user is not None and is_member else None,
        display_name=display_name,
        role=role,
        token_hash=hash_token(token),
    )
    db.session.add(participant)
    db.session.flush()
    log.info(
        "participant %s joined werksessie %s (role %s, %s)",
        participant.id,
        ws.id,
        role,
        "account" if participant.user_id else "anonymous",
    )
    return participant, token


def participant_for(ws: Werksessie, participant_id: int | None, token: str | None):
    """The participant whose cookie holds ``token``, or None."""
    if not participant_id or not token:
        return None
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.werksessie_id != ws.id:
        return None
    if not secrets.compare_digest(participant.token_hash, hash_token(token)):
        return None
    return participant


def add_contribution(ws: Werksessie, participant: Participant, *, text: str) -> Contribution:
    """Save a participant's new question as typed (on submit, so nothing gets lost)."""
    require_status(ws, OPEN)
    text = agendas.clean_question(text)[0]
    count = db.session.scalar(
        select(func.count(Contribution.id)).where(Contribution.participant_id == participant.id)
    )
    if count >= MAX_QUESTIONS_PER_PARTICIPANT:
        raise ValidationError(
            f"U heeft al {MAX_QUESTIONS_PER_PARTICIPANT} vragen ingestuurd. Bespreek de "
            "volgende vraag met de groep."
        )
    agenda_id = ws.agendas[0].agenda_id if len(ws.agendas) == 1 else _focus_agenda(ws)
    contribution = Contribution(
        werksessie_id=ws.id,
        participant_id=participant.id,
        original_text=text,
        text=text,
        status=NEW,
        agenda_id=agenda_id,
    )
    db.session.add(contribution)
    db.session.flush()
    log.info(
        "contribution %s by participant %s in werksessie %s",
        contribution.id,
        participant.id,
        ws.id,
    )
    return contribution


def vote(ws: Werksessie, participant: Participant, *, wording_id: int | None, value: str) -> Vote:
    """Vote ‘staat nog’ or ‘is opgelost’ on the question in focus (a new vote replaces
    the participant's earlier one on the same question)."""
    require_status(ws, OPEN)
    if value not in VOTES:
        raise ValidationError("Kies ‘staat nog’ of ‘is opgelost’.")
    if not wording_id or wording_id != ws.focus_wording_id:
        raise ValidationError(
            "De groep bespreekt intussen een andere vraag. Stem op de vraag die nu op het "
            "scherm staat."
        )
    existing = db.session.scalar(
        select(Vote).where(Vote.participant_id == participant.id, Vote.wording_id == wording_id)
    )
    if existing is None:
        existing = Vote(
            werksessie_id=ws.id, participant_id=participant.id, wording_id=wording_id, value=value
        )
        db.session.add(existing)
    elif existing.value != value:
        existing.value = value
    db.session.flush()
    return existing


# --- the facilitator: incoming questions -----------------------------------------------------

ACTIONS = ("overnemen", "bewerken", "samenvoegen", "niet_overnemen", "terugzetten")


def handle_contribution(
    ws: Werksessie,
    contribution: Contribution,
    action: str,
    *,
    lock_version: int | None = None,
    text: str | None = None,
    agenda_id: int | None = None,
    merge_into_id: int | None = None,
    merge_wording_id: int | None = None,
) -> Contribution:
    """Accept, edit, merge, set aside or restore a participant's question."""
    require_status(ws, OPEN)
    if contribution.werksessie_id != ws.id:
        raise ValidationError("Deze vraag hoort niet bij deze sessie.")
    if action not in ACTIONS:
        raise ValidationError("Kies wat er met deze vraag gebeurt.")
    check_lock(
        contribution,
        lock_version,
        "Iemand anders heeft deze vraag intussen behandeld. Bekijk de lijst opnieuw.",
    )
    if action != "bewerken" and contribution.status == ACCEPTED:
        used = db.session.scalar(
            select(func.count(SessionDecision.id)).where(
                SessionDecision.merge_contribution_id == contribution.id
            )
        )
        if used:
            raise ValidationError(
                "Een vraag van de vorige versie is met deze vraag samengevoegd. Maak dat "
                "eerst ongedaan."
            )
    if text is not None and text.strip():
        new_text = agendas.clean_question(text)[0]
        if new_text != contribution.text:
            contribution.text = new_text
    elif action == "bewerken":
        raise ValidationError("Vul de vraag in.")
    if action == "overnemen":
        held_back(contribution)
        if agenda_id is None and len(ws.agendas) == 1:
            agenda_id = ws.agendas[0].agenda_id
        if agenda_id not in _agenda_ids(ws):
            raise ValidationError("Kies de agenda waarop de vraag komt.")
        contribution.agenda_id = agenda_id
        contribution.status = ACCEPTED
        contribution.merged_into_id = None
        contribution.merged_into_wording_id = None
    elif action == "samenvoegen":
        if merge_into_id:
            other = db.session.get(Contribution, merge_into_id)
            if (
                other is None
                or other.werksessie_id != ws.id
                or other.id == contribution.id
                or other.status == MERGED
            ):
                raise ValidationError("Kies een andere nieuwe vraag om mee samen te voegen.")
            contribution.merged_into_id = other.id
            contribution.merged_into_wording_id = None
        else:
            target = walk_source(ws, merge_wording_id)
            contribution.merged_into_wording_id = target.id
            contribution.merged_into_id = None
        contribution.status = MERGED
    elif action == "niet_overnemen":
        contribution.status = REJECTED
    elif action == "terugzetten":
        contribution.status = NEW
        contribution.merged_into_id = None
        contribution.merged_into_wording_id = None
    db.session.flush()
    log.info("werksessie %s: contribution %s %s", ws.id, contribution.id, action.replace("_", " "))
    return contribution


def _focus_agenda(ws: Werksessie) -> int | None:
    """The agenda of the question on the screen: where a new question sent now belongs
    (the facilitator can still move it)."""
    if not ws.focus_wording_id:
        return None
    focus = db.session.get(Wording, ws.focus_wording_id)
    return focus.version.agenda_id if focus is not None else None


def _agenda_ids(ws: Werksessie) -> set[int]:
    return {link.agenda_id for link in ws.agendas}


def erase_personal_data(contribution: Contribution, *, text: str) -> Contribution:
    """Replace what a participant typed by ``text`` everywhere it is kept.

    The original submission, the edited text and every audit entry about the question lose
    the erased text; the audit records the erasure as ‘tekst geanonimiseerd’ without it. Allowed
    while the session is open and after it closed (a projectleider may find it later).
    """
    new_text = agendas.clean_question(text)[0]
    if pii_warnings(new_text):
        raise ValidationError(
            "In de nieuwe tekst staan nog persoonsgegevens: " + " ".join(pii_warnings(new_text))
        )
    audit.erase_text(Contribution, contribution.id, ("original_text", "text"))
    contribution.original_text = new_text
    contribution.text = new_text
    contribution.erased_at = utcnow()
    setattr(contribution, audit.AUDIT_NOTE, "tekst geanonimiseerd")
    db.session.flush()
    log.info(
        "werksessie %s: contribution %s anonymised", contribution.werksessie_id, contribution.id
    )
    return contribution


def upvote(ws: Werksessie, participant: Participant, contribution_id: int | None) -> bool:
    """Support (or, a second time, withdraw support for) an accepted new question of
    someone else. Returns whether the participant supports it now."""
    require_status(ws, OPEN)
    contribution = db.session.get(Contribution, contribution_id or 0)
    if (
        contribution is None
        or contribution.werksessie_id != ws.id
        or contribution.status != ACCEPTED
    ):
        raise ValidationError("U kunt alleen steunen wat de facilitator heeft overgenomen.")
    if contribution.participant_id == participant.id:
        raise ValidationError("Dit is uw eigen vraag.")
    existing = db.session.scalar(
        select(Upvote).where(
            Upvote.participant_id == participant.id, Upvote.contribution_id == contribution.id
        )
    )
    if existing is not None:
        db.session.delete(existing)
        db.session.flush()
        return False
    db.session.add(
        Upvote(werksessie_id=ws.id, participant_id=participant.id, contribution_id=contribution.id)
    )
    db.session.flush()
    return True
