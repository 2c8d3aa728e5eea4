"""Services for werksessies: the state machine, the walk and the group's decisions.

Beside this module: ``planning`` (plan, change, delete a planned session) and
``participation`` (join, add questions, vote; the facilitator handles what came in). Here:
open and close (the concept versions), the walk through the questions, and the decisions.
Services change state, flush and log; they never commit (the view does). The rules:
planned → open → closed and never back; the join code exists only while the session is
open; participants join anonymously only when the projectleider allowed it; decisions are
stored per question and become transitions, through the agendas services, when the session
closes; a decision or an edit based on stale data is refused, never silently overwritten.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

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
from dla.errors import DomainError, ValidationError
from dla.extensions import db
from dla.forms import format_date
from dla.privacy import pii_warnings
from dla.validation import check_lock
from dla.werksessies.models import (
    ACCEPTED,
    CLOSED,
    NEW,
    OPEN,
    PARKED,
    PLANNED,
    REJECTED,
    Contribution,
    SessionDecision,
    Werksessie,
    new_code,
)

log = logging.getLogger(__name__)


class NotAllowed(DomainError):
    status = 403


class SessionClosed(DomainError):
    status = 410


def require_status(ws: Werksessie, *statuses: str) -> None:
    if ws.status in statuses:
        return
    if ws.status == CLOSED:
        raise SessionClosed("Deze werksessie is afgesloten. Er kan niets meer bij.")
    if ws.status == PLANNED:
        raise ValidationError("Deze werksessie is nog niet geopend.")
    raise ValidationError("Deze werksessie is al geopend; dit kan alleen vóór het openen.")


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
    untreated: dict[int, tuple[str, str, int | None]] | None = None,
) -> list[Version]:
    """Open → closed: the code expires and every agenda gets its concept version.

    The concept is made by the agendas services, as a person would: the next version of
    each agenda (origin werksessie, the session date, the context line), the accepted new
    questions, and a transition for every decided question. Undecided questions stay open
    in the concept only when ``allow_undecided`` is set. Every new question nobody handled
    needs a choice in ``untreated`` (id → (choice, reason, agenda id)): carried into the
    concept as a new question, parked, or dropped with a reason; nothing disappears without
    one. Nothing is saved when any step fails.
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
    settle_untreated(ws, untreated or {})
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
    ws.timer_ends_at = None
    ws.closed_at = utcnow()
    db.session.flush()
    log.info(
        "werksessie %s closed by user %s: concept versions %s",
        ws.id,
        user_id,
        [v.id for v in versions.values()],
    )
    return list(versions.values())


PII_HELD = (
    "Deze vraag lijkt persoonsgegevens te bevatten en wordt tegengehouden. Haal ze eerst weg "
    "met ‘Persoonsgegevens wissen’; daarna kunt u de vraag overnemen."
)


def is_held(contribution: Contribution) -> bool:
    """A question with a personal-data warning waits until the data is erased."""
    return bool(pii_warnings(contribution.text) or pii_warnings(contribution.original_text))


def held_back(contribution: Contribution) -> None:
    """Refuse to put a question with a personal-data warning on the screen or the agenda."""
    if is_held(contribution):
        raise ValidationError(PII_HELD)


CLOSE_CHOICES = {
    "meenemen": "Meenemen in het concept als nieuwe vraag",
    "parkeren": "Parkeren (bewaren voor een volgende sessie)",
    "laten_vallen": "Laten vallen, met een reden",
}


def untreated_contributions(ws: Werksessie) -> list[Contribution]:
    """The new questions nobody handled yet, in the order they came in."""
    return list(
        db.session.scalars(
            select(Contribution)
            .where(Contribution.werksessie_id == ws.id, Contribution.status == NEW)
            .order_by(Contribution.id)
        )
    )


def settle_untreated(ws: Werksessie, choices: dict[int, tuple[str, str, int | None]]) -> None:
    """Apply the closing choice to every untreated new question; refuse when one lacks it.

    ``choices``: id → (choice, reason, agenda id); the key 0 holds a choice for all the
    questions without their own."""
    left = untreated_contributions(ws)
    everyone = choices.get(0) or ("", "", None)
    chosen = {}
    for contribution in left:
        own = choices.get(contribution.id) or ("", "", None)
        chosen[contribution.id] = own if own[0] else (everyone[0], own[1] or everyone[1], own[2])
    missing = [c for c in left if chosen[c.id][0] not in CLOSE_CHOICES]
    if missing:
        raise ValidationError(
            f"{len(missing)} nieuwe {'vraag is' if len(missing) == 1 else 'vragen zijn'} nog "
            "niet behandeld. Kies per vraag (of voor alle): meenemen in het concept, parkeren "
            "of laten vallen met een reden. Er verdwijnt niets zonder keuze."
        )
    agenda_ids = [link.agenda_id for link in ws.agendas]
    for contribution in left:
        choice, reason, agenda_id = chosen[contribution.id]
        reason = (reason or "").strip()[:2000]
        if choice == "meenemen":
            held_back(contribution)
            agenda_id = agenda_id or contribution.agenda_id
            if agenda_id is None and len(agenda_ids) == 1:
                agenda_id = agenda_ids[0]
            if agenda_id not in agenda_ids:
                raise ValidationError(
                    f"Kies de agenda voor de nieuwe vraag ‘{contribution.text[:80]}’."
                )
            contribution.agenda_id = agenda_id
            contribution.status = ACCEPTED
        elif choice == "parkeren":
            contribution.status = PARKED
            contribution.close_reason = reason
        else:
            if not reason:
                raise ValidationError(
                    f"Geef een reden om de vraag ‘{contribution.text[:80]}’ te laten vallen."
                )
            contribution.status = REJECTED
            contribution.close_reason = reason
    db.session.flush()


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


# --- the facilitator: decisions --------------------------------------------------------------


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


# --- the audience view: reveal the votes, the timer ----------------------------------------

TIMER_CHOICES = (60, 120, 300, 600)


def reveal_votes(ws: Werksessie, wording_id: int | None, *, show: bool = True) -> None:
    """Show (or hide again) the tally of a question on the audience view."""
    require_status(ws, OPEN)
    wording = walk_source(ws, wording_id)
    ws.revealed_wording_id = wording.id if show else None
    db.session.flush()


def start_timer(ws: Werksessie, seconds: int | None) -> None:
    """Start a countdown for this question or round (None or 0: stop it)."""
    require_status(ws, OPEN)
    if not seconds:
        ws.timer_ends_at = None
        ws.timer_seconds = None
    else:
        if not 10 <= seconds <= 3600:
            raise ValidationError("Kies een tijd van 10 seconden tot een uur.")
        ws.timer_seconds = seconds
        ws.timer_ends_at = utcnow() + timedelta(seconds=seconds)
    db.session.flush()
