"""Services for werksessies: plan, open, join, contribute, vote, decide, close.

Services change state, flush and log; they never commit (the view does). The rules:
planned → open → closed and never back; the join code exists only while the session is
open; participants join anonymously only when the projectleider allowed it; decisions are
stored per question and become transitions, through the agendas services, when the session
closes; a decision or an edit based on stale data is refused, never silently overwritten.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import date

from sqlalchemy import func, select

from dla.agendas import questions, transitions
from dla.agendas import services as agendas
from dla.agendas.models import (
    MERGE,
    MOVE,
    REWORD,
    SPLIT,
    Agenda,
    Version,
    Wording,
)
from dla.db import utcnow
from dla.errors import ConflictError, DomainError, ValidationError
from dla.extensions import db
from dla.forms import format_date
from dla.regions.models import Region
from dla.validation import check_lock, clean_text
from dla.werksessies.models import (
    ACCEPTED,
    CLOSED,
    KINDS,
    MERGED,
    NEW,
    OPEN,
    PARTICIPANT_ROLES,
    PLANNED,
    REJECTED,
    VOTES,
    Contribution,
    Participant,
    SessionAgenda,
    SessionDecision,
    Vote,
    Werksessie,
)

log = logging.getLogger(__name__)

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: easy to read from a projector and to type on a phone.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6
MAX_PARTICIPANTS = 500
DEFAULT_MAX_PARTICIPANTS = 60
MAX_QUESTIONS_PER_PARTICIPANT = 25
MAX_AGENDAS = 10
MAX_NAME_LENGTH = 80


class NotAllowed(DomainError):
    status = 403


class SessionClosed(DomainError):
    status = 410


# --- small helpers ---------------------------------------------------------------------------


def normalise_code(value: str | None) -> str:
    """What a person typed, as a code: upper case, without spaces and dashes."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())[:20]


def new_code() -> str:
    """A join code of unambiguous characters that no session uses now."""
    for _attempt in range(20):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        taken = db.session.scalar(select(func.count(Werksessie.id)).where(Werksessie.code == code))
        if not taken:
            return code
    raise ConflictError("Er kon geen vrije code worden gemaakt. Probeer het opnieuw.")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def require_status(ws: Werksessie, *statuses: str) -> None:
    if ws.status in statuses:
        return
    if ws.status == CLOSED:
        raise SessionClosed("Deze werksessie is afgesloten. Er kan niets meer bij.")
    if ws.status == PLANNED:
        raise ValidationError("Deze werksessie is nog niet geopend.")
    raise ValidationError("Deze werksessie is al geopend; dit kan alleen vóór het openen.")


# --- planning --------------------------------------------------------------------------------


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


# --- the state machine -----------------------------------------------------------------------


def open_session(ws: Werksessie, *, lock_version: int | None = None) -> Werksessie:
    """Planned → open: fix the versions to walk through and hand out a join code."""
    require_status(ws, PLANNED)
    check_lock(ws, lock_version, "Iemand anders heeft deze sessie intussen gewijzigd.")
    for link in ws.agendas:
        concept = agendas.concept_version(link.agenda)
        if concept is not None:
            raise ValidationError(
                f"De agenda ‘{link.agenda.title}’ heeft al een conceptversie (versie "
                f"{concept.number}). Stel die eerst vast of verwijder die: de werksessie "
                "maakt straks zelf het concept."
            )
        source = agendas.latest_published(link.agenda)
        link.source_version = source
    ws.status = OPEN
    ws.code = new_code()
    ws.opened_at = utcnow()
    db.session.flush()
    first = walk_wordings(ws)
    ws.focus_wording_id = first[0].id if first else None
    db.session.flush()
    log.info("werksessie %s opened", ws.id)
    return ws


def close_session(
    ws: Werksessie,
    *,
    lock_version: int | None = None,
    user_id: int | None = None,
    allow_undecided: bool = False,
) -> list[Version]:
    """Open → closed: the code expires and every agenda gets its concept version.

    The concept is made by the agendas services, as a person would: the next version of
    each agenda (origin werksessie, the session date, the context line), the accepted new
    questions, and a transition for every decided question. Undecided questions stay open
    in the concept only when ``allow_undecided`` is set. Nothing is saved when any step
    fails.
    """
    require_status(ws, OPEN)
    check_lock(ws, lock_version, "Iemand anders heeft deze sessie intussen gewijzigd.")
    walk = walk_wordings(ws)
    decisions = {d.wording_id: d for d in _decisions(ws)}
    undecided = [w for w in walk if w.id not in decisions]
    if undecided and not allow_undecided:
        labels = ", ".join(w.label for w in undecided[:12])
        raise ValidationError(
            f"Nog niet alle vragen zijn besproken ({len(undecided)} open: {labels}). "
            "Bespreek ze eerst, of kies ‘Toch afsluiten’: dan blijven ze open in het concept."
        )
    day = format_date(ws.session_date, "long")
    context = f"Naar aanleiding van de werksessie op {day}"
    versions: dict[int, Version] = {}
    for link in ws.agendas:
        latest = agendas.latest_published(link.agenda)
        if (latest.id if latest else None) != link.source_version_id:
            raise ValidationError(
                f"Van de agenda ‘{link.agenda.title}’ is intussen een nieuwe versie "
                "vastgesteld. De besluiten van deze sessie passen daar niet meer bij."
            )
        version = agendas.create_version(
            link.agenda,
            document_date=ws.session_date,
            session_date=ws.session_date,
            origin="werksessie",
            context_line=context,
            distribution=latest.distribution if latest else "regio",
            created_by_id=user_id,
        )
        link.concept_version = version
        versions[link.agenda_id] = version
    by_contribution: dict[int, Wording] = {}
    accepted = db.session.scalars(
        select(Contribution)
        .where(Contribution.werksessie_id == ws.id, Contribution.status == ACCEPTED)
        .order_by(Contribution.id)
    ).all()
    for contribution in accepted:
        version = versions.get(contribution.agenda_id)
        if version is None:
            raise ValidationError("Een overgenomen vraag hoort bij een agenda buiten deze sessie.")
        wording = questions.add_wording(
            version,
            text=contribution.text,
            created_by_id=contribution.participant.user_id if contribution.participant else None,
        )
        contribution.wording_id = wording.id
        by_contribution[contribution.id] = wording
    # Merges last: the question merged into must already stand in the concept.
    ordered = sorted(
        (decisions[w.id] for w in walk if w.id in decisions), key=lambda d: d.kind == MERGE
    )
    for decision in ordered:
        source = decision.wording
        version = versions[source.version.agenda_id]
        merge_into = None
        if decision.kind == MERGE:
            if decision.merge_contribution_id:
                merge_into = by_contribution.get(decision.merge_contribution_id)
            elif decision.merge_wording is not None:
                thread_id = decision.merge_wording.thread_id
                merge_into = next((w for w in version.wordings if w.thread_id == thread_id), None)
            if merge_into is None:
                raise ValidationError(
                    f"Vraag {source.label} is samengevoegd met een vraag die niet in de nieuwe "
                    "versie staat. Kies bij die vraag opnieuw."
                )
        transitions.set_transition(
            version,
            source,
            decision.kind,
            note=decision.note,
            reason=decision.reason,
            text=decision.text if decision.kind == REWORD else None,
            split_texts=_lines(decision.text) if decision.kind == SPLIT else None,
            merge_into=merge_into,
            target_agenda=decision.target_agenda,
        )
    ws.status = CLOSED
    ws.code = None
    ws.focus_wording_id = None
    ws.closed_at = utcnow()
    db.session.flush()
    log.info(
        "werksessie %s closed by user %s: concept versions %s",
        ws.id,
        user_id,
        [v.id for v in versions.values()],
    )
    return list(versions.values())


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- reading the walk ------------------------------------------------------------------------


def walk_wordings(ws: Werksessie) -> list[Wording]:
    """The questions to walk through: every question of each source version, in order."""
    source_ids = [link.source_version_id for link in ws.agendas if link.source_version_id]
    if not source_ids:
        return []
    rows = db.session.scalars(select(Wording).where(Wording.version_id.in_(source_ids))).all()
    order = {link.source_version_id: link.position for link in ws.agendas}
    versions = {
        v.id: v for v in db.session.scalars(select(Version).where(Version.id.in_(source_ids)))
    }
    groups = {g.id: g.position for v in versions.values() for g in v.groups}
    return sorted(rows, key=lambda w: (order[w.version_id], groups.get(w.group_id, 0), w.position))


def _decisions(ws: Werksessie) -> list[SessionDecision]:
    return list(
        db.session.scalars(select(SessionDecision).where(SessionDecision.werksessie_id == ws.id))
    )


def walk_source(ws: Werksessie, wording_id: int | None) -> Wording:
    wording = db.session.get(Wording, wording_id) if wording_id else None
    sources = {link.source_version_id for link in ws.agendas}
    if wording is None or wording.version_id not in sources:
        raise ValidationError("Deze vraag wordt in deze sessie niet besproken.")
    return wording


def set_focus(ws: Werksessie, wording_id: int | None) -> Wording:
    """Put a question of the walk on the screen (and on the participants' phones)."""
    require_status(ws, OPEN)
    wording = walk_source(ws, wording_id)
    if ws.focus_wording_id != wording.id:
        ws.focus_wording_id = wording.id
        db.session.flush()
    return wording


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
    agenda_id = ws.agendas[0].agenda_id if len(ws.agendas) == 1 else None
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


# --- the facilitator: decisions --------------------------------------------------------------


def _agenda_ids(ws: Werksessie) -> set[int]:
    return {link.agenda_id for link in ws.agendas}


def decide(
    ws: Werksessie,
    source: Wording,
    kind: str,
    *,
    lock: int | None = None,
    note: str = "",
    reason: str = "",
    text: str = "",
    split_texts: list[str] | None = None,
    merge_wording_id: int | None = None,
    merge_contribution_id: int | None = None,
    target_agenda_id: int | None = None,
    user_id: int | None = None,
) -> SessionDecision:
    """Record the group's decision on a question of the walk.

    ``lock`` is the decision's lock version the facilitator saw (0: no decision yet); a
    different one means another tab decided meanwhile, and nothing is overwritten.
    """
    require_status(ws, OPEN)
    source = walk_source(ws, source.id)
    decision = db.session.scalar(
        select(SessionDecision).where(
            SessionDecision.werksessie_id == ws.id, SessionDecision.wording_id == source.id
        )
    )
    _check_decision_lock(source, decision, lock)
    moving = kind == MOVE and target_agenda_id
    target = db.session.get(Agenda, target_agenda_id) if moving else None
    checked = transitions.check_decision(
        source,
        kind,
        note=note,
        reason=reason,
        text=(text or "") if kind == REWORD else None,
        split_texts=split_texts,
        target_agenda=target,
    )
    fields = {
        "kind": kind,
        "note": checked.note,
        "reason": checked.reason,
        "text": checked.text if kind == REWORD else "\n".join(checked.split_texts),
        "merge_wording_id": None,
        "merge_contribution_id": None,
        "target_agenda_id": target.id if kind == MOVE else None,
    }
    if kind == MERGE:
        fields.update(_merge_target(ws, source, merge_wording_id, merge_contribution_id))
    if decision is None:
        decision = SessionDecision(werksessie_id=ws.id, wording_id=source.id, decided_by_id=user_id)
        db.session.add(decision)
    else:
        decision.decided_by_id = user_id
    for key, value in fields.items():
        if getattr(decision, key) != value:
            setattr(decision, key, value)
    db.session.flush()
    log.info("werksessie %s: decision %s on wording %s by user %s", ws.id, kind, source.id, user_id)
    return decision


def _check_decision_lock(
    source: Wording, decision: SessionDecision | None, lock: int | None
) -> None:
    if lock is None:
        return
    current = decision.lock_version if decision is not None else 0
    if lock != current:
        raise transitions.decided_meanwhile(source, decision.kind if decision else "")


def _merge_target(
    ws: Werksessie, source: Wording, wording_id: int | None, contribution_id: int | None
) -> dict:
    if contribution_id:
        contribution = db.session.get(Contribution, contribution_id)
        if (
            contribution is None
            or contribution.werksessie_id != ws.id
            or contribution.status != ACCEPTED
            or contribution.agenda_id != source.version.agenda_id
        ):
            raise ValidationError(
                "Kies een overgenomen nieuwe vraag van dezelfde agenda om mee samen te voegen."
            )
        return {"merge_contribution_id": contribution.id}
    target = db.session.get(Wording, wording_id) if wording_id else None
    if target is None or target.version_id != source.version_id:
        raise ValidationError("Kies de vraag waarmee deze vraag wordt samengevoegd.")
    if target.id == source.id:
        raise ValidationError(transitions.SELF_MERGE)
    return {"merge_wording_id": target.id}


def clear_decision(ws: Werksessie, source: Wording, *, lock: int | None = None) -> None:
    """Undo the decision on a question (it becomes undecided again)."""
    require_status(ws, OPEN)
    decision = db.session.scalar(
        select(SessionDecision).where(
            SessionDecision.werksessie_id == ws.id, SessionDecision.wording_id == source.id
        )
    )
    _check_decision_lock(source, decision, lock)
    if decision is not None:
        db.session.delete(decision)
        db.session.flush()
        log.info("werksessie %s: decision on wording %s cleared", ws.id, source.id)


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
