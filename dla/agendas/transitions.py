"""Transitions: what happened to each question of the previous version in the next one.

Every question of the previous version gets exactly one transition before the next version
is published (*blijft staan*, *geherformuleerd*, *samengevoegd*, *gesplitst*, *verplaatst*,
*voorlopig beantwoord*, *vervallen*). :func:`check_decision` is the one validation of such a
decision, also for the decisions a werksessie records before its concept exists.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from dla.agendas import queries, questions, services
from dla.agendas.models import (
    ANSWER,
    CONCEPT,
    DROP,
    DROP_REASONS,
    KEEP,
    MERGE,
    MOVE,
    PUBLISHED,
    REWORD,
    SPLIT,
    TRANSITIONS,
    Agenda,
    Thread,
    Transition,
    Version,
    Wording,
)
from dla.errors import ConflictError, ValidationError
from dla.extensions import db
from dla.validation import clean_text

log = logging.getLogger(__name__)

MAX_SPLIT_PARTS = 10


def _copy_in(version: Version, thread_id: int) -> Wording | None:
    return next((w for w in version.wordings if w.thread_id == thread_id), None)


def _restore_copy(version: Version, source: Wording) -> Wording:
    """Put the previous wording back into the concept version (undoing a removal)."""
    group = next(
        (g for g in version.groups if g.position == source.group.position), version.groups[0]
    )
    copy = services.copy_wording(source, version, group)
    copy.position = source.position - 0.5
    db.session.add(copy)
    services.relabel(group, version.wordings)
    return copy


def _remove_copy(version: Version, copy: Wording) -> None:
    if questions.is_transition_target(copy):
        raise ValidationError(
            "Een andere vraag is met deze vraag samengevoegd of eruit gesplitst. "
            "Maak die keuze eerst ongedaan."
        )
    group = copy.group
    version.wordings.remove(copy)
    db.session.delete(copy)
    services.relabel(group, version.wordings)


def _undo(transition: Transition) -> None:
    """Undo the side effects of a transition and delete it."""
    version = transition.version
    source = transition.from_wording
    if (
        transition.kind in (MERGE, MOVE, ANSWER, DROP)
        and _copy_in(version, source.thread_id) is None
    ):
        if transition.kind == MOVE:
            for target in list(transition.targets):
                if target.version.status != CONCEPT:
                    raise ValidationError(
                        "De verplaatste vraag staat al in een vastgestelde versie van de andere "
                        "agenda. Deze keuze kan niet meer terug."
                    )
                transition.targets.remove(target)
                target.version.wordings.remove(target)
                db.session.delete(target)
        _restore_copy(version, source)
    if transition.kind == SPLIT:
        for target in list(transition.targets):
            transition.targets.remove(target)
            group = target.group
            version.wordings.remove(target)
            db.session.delete(target)
            services.delete_threads([target.thread_id])
            services.relabel(group, version.wordings)
    source.transition = None
    db.session.delete(transition)
    db.session.flush()


def decided_meanwhile(source: Wording, kind: str) -> ConflictError:
    """The refusal of a decision taken on stale information: someone else decided ``kind``
    (empty: undid the decision) on ``source`` meanwhile."""
    shown = TRANSITIONS.get(kind, kind) if kind else "nog geen keuze"
    return ConflictError(
        f"Iemand anders heeft intussen een keuze gemaakt voor vraag {source.label}: "
        f"‘{shown}’. Bekijk die en kies zo nodig opnieuw.",
        current=shown,
    )


def _check_expected(source: Wording, expected: str | None) -> None:
    """Refuse a decision taken on stale information (someone else decided meanwhile)."""
    if expected is None:
        return
    current = source.transition.kind if source.transition is not None else ""
    if current != expected:
        raise decided_meanwhile(source, current)


def _source_in_previous(version: Version, source: Wording) -> None:
    previous = services.previous_version(version)
    if previous is None or source.version_id != previous.id:
        raise ValidationError("Deze vraag hoort niet bij de vorige versie van deze agenda.")


@dataclass(frozen=True)
class Decision:
    """A decision on a question of the previous version, checked and cleaned."""

    kind: str
    note: str = ""
    reason: str = ""
    # geherformuleerd: the new text (None: keep the text the concept has).
    text: str | None = None
    # gesplitst: the questions it goes on in.
    split_texts: list[str] = field(default_factory=list)


SELF_MERGE = "Een vraag kan niet met zichzelf worden samengevoegd."


def check_decision(
    source: Wording,
    kind: str,
    *,
    note: str = "",
    reason: str = "",
    text: str | None = None,
    split_texts: list[str] | None = None,
    target_agenda: Agenda | None = None,
) -> Decision:
    """Check a decision on ``source`` before anything is changed: the one rule for what a
    transition needs, in the concept version and in a werksessie alike.

    What a merge joins differs between the two (a question in the concept, or one of the
    session), so that check stays with the caller.
    """
    if kind not in TRANSITIONS:
        raise ValidationError("Kies wat er met deze vraag gebeurt.")
    note = clean_text(note, limit=services.MAX_NOTE_LENGTH, what="de toelichting")
    if kind == ANSWER and not note:
        raise ValidationError("Schrijf op wat het voorlopige antwoord of de actie is.")
    if kind == DROP:
        if reason not in DROP_REASONS:
            raise ValidationError("Kies waarom de vraag van de agenda gaat.")
        if reason == "anders" and not note:
            raise ValidationError("Schrijf op waarom de vraag van de agenda gaat.")
    if kind == REWORD and text is not None:
        text = services.clean_question(text)[0]
        if text == source.full_text:
            raise ValidationError("De nieuwe tekst is gelijk aan de oude. Kies ‘Blijft staan’.")
    parts = []
    if kind == SPLIT:
        parts = [p for p in (split_texts or []) if p and p.strip()]
        if not parts:
            raise ValidationError(
                "Schrijf minstens één nieuwe vraag waarin deze vraag verder gaat."
            )
        if len(parts) > MAX_SPLIT_PARTS:
            raise ValidationError(f"Splits in hoogstens {MAX_SPLIT_PARTS} vragen tegelijk.")
        parts = [services.clean_question(p)[0] for p in parts]
    if kind == MOVE:
        agenda = source.version.agenda
        if (
            target_agenda is None
            or target_agenda.region_id != agenda.region_id
            or target_agenda.id == agenda.id
        ):
            raise ValidationError("Kies een andere agenda van deze regio.")
    return Decision(
        kind=kind,
        note=note,
        reason=reason if kind == DROP else "",
        text=text if kind == REWORD else None,
        split_texts=parts,
    )


def set_transition(
    version: Version,
    source: Wording,
    kind: str,
    *,
    expected: str | None = None,
    note: str = "",
    reason: str = "",
    text: str | None = None,
    merge_into: Wording | None = None,
    split_texts: list[str] | None = None,
    target_agenda: Agenda | None = None,
) -> Transition:
    """Record what happened to ``source`` (a question of the previous version) in ``version``."""
    services.ensure_concept(version)
    _source_in_previous(version, source)
    _check_expected(source, expected)
    # Validate everything before touching anything.
    decision = check_decision(
        source,
        kind,
        note=note,
        reason=reason,
        text=text,
        split_texts=split_texts,
        target_agenda=target_agenda,
    )
    note, text, split_texts = decision.note, decision.text, decision.split_texts
    if kind == MERGE:
        if merge_into is None or merge_into.version_id != version.id:
            raise ValidationError(
                "Kies de vraag in deze versie waarmee deze vraag is samengevoegd."
            )
        if merge_into.thread_id == source.thread_id:
            raise ValidationError(SELF_MERGE)

    if source.transition is not None:
        _undo(source.transition)
    copy = _copy_in(version, source.thread_id)
    transition = Transition(from_wording=source, version=version, kind=kind, note=note)
    db.session.add(transition)
    if kind == DROP:
        transition.reason = reason
    if kind == KEEP:
        if copy is None:
            copy = _restore_copy(version, source)
        elif copy.full_text != source.full_text:
            raise ValidationError(
                "De tekst van deze vraag is in deze versie veranderd. Kies ‘Geherformuleerd’, "
                "of zet de oude tekst terug."
            )
    elif kind == REWORD:
        if copy is None:
            copy = _restore_copy(version, source)
        if text is not None:
            services.apply_text(
                copy, text, copy.shared_stem if text.startswith(("…", "...")) else ""
            )
        if copy.full_text == source.full_text:
            raise ValidationError("De nieuwe tekst is gelijk aan de oude. Kies ‘Blijft staan’.")
    elif kind == SPLIT:
        if copy is None:
            copy = _restore_copy(version, source)
        for offset, part in enumerate(split_texts, start=1):
            thread = Thread(region_id=version.agenda.region_id, split_from_id=source.thread_id)
            wording = Wording(version=version, thread=thread, group=copy.group)
            wording.position = copy.position + offset / (len(split_texts) + 1)
            services.apply_text(wording, part)
            db.session.add(wording)
            transition.targets.append(wording)
        services.relabel(copy.group, version.wordings)
    elif kind == MERGE:
        if copy is not None:
            _remove_copy(version, copy)
        transition.targets.append(merge_into)
    elif kind == MOVE:
        destination = services.concept_version(target_agenda) or services.create_version(
            target_agenda
        )
        if _copy_in(destination, source.thread_id) is not None:
            raise ValidationError("Deze vraag staat al in de conceptversie van die agenda.")
        group = destination.groups[0]
        moved = services.copy_wording(copy or source, destination, group)
        moved.position = (
            max((w.position for w in destination.wordings if w is not moved), default=0) + 1
        )
        services.relabel(group, destination.wordings)
        transition.target_agenda = target_agenda
        transition.targets.append(moved)
        if copy is not None:
            _remove_copy(version, copy)
    elif kind in (ANSWER, DROP) and copy is not None:
        _remove_copy(version, copy)
    db.session.add(transition)
    db.session.flush()
    log.info(
        "transition %s for wording %s (thread %s) in version %s",
        kind,
        source.id,
        source.thread_id,
        version.id,
    )
    return transition


def clear_transition(version: Version, source: Wording, *, expected: str | None = None) -> None:
    """Undo the decision on a question of the previous version."""
    services.ensure_concept(version)
    _source_in_previous(version, source)
    _check_expected(source, expected)
    if source.transition is not None:
        _undo(source.transition)
        log.info("transition for wording %s cleared in version %s", source.id, version.id)


def returnable_threads(version: Version, previous: Version | None = None) -> list[Wording]:
    """Questions that were on this agenda before but skipped the previous version.

    Returns each thread's last published wording on this agenda (two queries).
    """
    previous = previous or services.previous_version(version)
    if previous is None:
        return []
    present = select(Wording.thread_id).where(Wording.version_id.in_([previous.id, version.id]))
    last_ids = queries.latest_published_ids(
        agenda_ids=[version.agenda_id], where=Wording.thread_id.not_in(present)
    )
    # A merged or moved question lives on elsewhere: it cannot come back here.
    candidates = db.session.scalars(
        select(Wording)
        .where(Wording.id.in_(last_ids), queries.without_transition(MERGE, MOVE))
        .options(joinedload(Wording.version))
    ).all()
    return sorted(candidates, key=lambda w: (-w.version.number, w.position))


def restore_thread(version: Version, source: Wording) -> Wording:
    """Bring back a question that skipped one or more versions (the thread continues)."""
    services.ensure_concept(version)
    if source.version.agenda_id != version.agenda_id or source.version.status != PUBLISHED:
        raise ValidationError("Deze vraag stond niet eerder op deze agenda.")
    if source.id not in {w.id for w in returnable_threads(version)}:
        raise ValidationError("Deze vraag staat al in deze of de vorige versie.")
    group = version.groups[0]
    copy = services.copy_wording(source, version, group)
    copy.position = max((w.position for w in version.wordings if w is not copy), default=0) + 1
    services.relabel(group, version.wordings)
    db.session.flush()
    log.info("thread %s returned in version %s", source.thread_id, version.id)
    return copy
