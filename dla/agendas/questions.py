"""The questions of a concept version: groups, questions (wordings) and sub-questions.

Services change state, flush and log; they never commit (the view does). A question added
here starts a new thread; a carried question changed here becomes *geherformuleerd*.
"""

from __future__ import annotations

import logging

from sqlalchemy import func, select

from dla.agendas import parsing, services
from dla.agendas.models import (
    KEEP,
    LABEL_STYLES,
    REWORD,
    SubQuestion,
    Thread,
    Transition,
    Version,
    VersionGroup,
    Wording,
    transition_targets,
)
from dla.db import utcnow
from dla.errors import ValidationError
from dla.extensions import db
from dla.validation import check_lock, clean_text

log = logging.getLogger(__name__)


# --- groups --------------------------------------------------------------------------------


def add_group(version: Version, *, title: str, label_style: str = "letter") -> VersionGroup:
    services.ensure_concept(version)
    if label_style not in LABEL_STYLES:
        raise ValidationError("Kies letters of cijfers.")
    title = clean_text(
        title, limit=services.MAX_TITLE_LENGTH, what="de naam van de groep", required=True
    )
    position = max((g.position for g in version.groups), default=-1) + 1
    group = VersionGroup(version=version, title=title, position=position, label_style=label_style)
    db.session.add(group)
    db.session.flush()
    log.info("group %s added to version %s", group.id, version.id)
    return group


def update_group(group: VersionGroup, *, title: str, label_style: str) -> VersionGroup:
    services.ensure_concept(group.version)
    if label_style not in LABEL_STYLES:
        raise ValidationError("Kies letters of cijfers.")
    group.title = clean_text(title, limit=services.MAX_TITLE_LENGTH, what="de naam van de groep")
    group.label_style = label_style
    services.relabel(group, group.version.wordings)
    db.session.flush()
    return group


def delete_group(group: VersionGroup) -> None:
    version = group.version
    services.ensure_concept(version)
    if any(w.group_id == group.id for w in version.wordings):
        raise ValidationError("Deze groep bevat nog vragen. Verplaats of verwijder die eerst.")
    if len(version.groups) == 1:
        raise ValidationError("Een versie heeft minstens één groep.")
    db.session.delete(group)
    db.session.flush()


# --- wordings --------------------------------------------------------------------------------


def _group_in(version: Version, group_id: int | None) -> VersionGroup:
    if group_id is None:
        return version.groups[0]
    group = next((g for g in version.groups if g.id == group_id), None)
    if group is None:
        raise ValidationError("Deze groep hoort niet bij deze versie.")
    return group


def add_wording(
    version: Version,
    *,
    text: str,
    shared_stem: str = "",
    group_id: int | None = None,
    subquestions: list[str] | tuple[str, ...] = (),
    after: Wording | None = None,
    created_by_id: int | None = None,
) -> Wording:
    """Add a new question (a new thread) to a concept version."""
    services.ensure_concept(version)
    text, shared_stem = services.clean_question(text, shared_stem)
    group = _group_in(version, group_id)
    thread = Thread(region_id=version.agenda.region_id)
    members = [w for w in version.wordings if services.in_group(w, group)]
    if after is not None:
        position = after.position + 0.5
    else:
        position = max((w.position for w in members), default=0) + 1
    wording = Wording(
        version=version,
        thread=thread,
        group=group,
        position=position,
        created_by_id=created_by_id,
    )
    services.apply_text(wording, text, shared_stem)
    for index, sub in enumerate(subquestions, start=1):
        sub = clean_text(sub, limit=services.MAX_QUESTION_LENGTH, what="de deelvraag")
        if sub:
            wording.subquestions.append(
                SubQuestion(position=index, label=parsing.roman_label(index), text=sub)
            )
    db.session.add(wording)
    services.relabel(group, version.wordings)
    db.session.flush()
    log.info("wording %s (thread %s) added to version %s", wording.id, thread.id, version.id)
    return wording


def predecessor(wording: Wording) -> Wording | None:
    """The wording of the same thread in the previous published version of the agenda."""
    previous = services.previous_version(wording.version)
    if previous is None:
        return None
    return db.session.scalar(
        select(Wording).where(
            Wording.version_id == previous.id, Wording.thread_id == wording.thread_id
        )
    )


def update_wording(
    wording: Wording,
    *,
    text: str,
    lock_version: int | None,
    shared_stem: str | None = None,
    group_id: int | None = None,
) -> Wording:
    """Change a question's text. A changed carried question becomes *geherformuleerd*."""
    version = wording.version
    services.ensure_concept(version)
    check_lock(
        wording,
        lock_version,
        "Iemand anders heeft deze vraag intussen gewijzigd. Hieronder staat de tekst die nu "
        "is opgeslagen. Uw tekst is niet opgeslagen; pas die zo nodig opnieuw toe.",
        current=wording.full_text,
    )
    text, stem = services.clean_question(
        text, wording.shared_stem if shared_stem is None else shared_stem
    )
    old = wording.full_text
    services.apply_text(wording, text, stem)
    if group_id is not None and group_id != wording.group_id:
        old_group = wording.group
        wording.group = _group_in(version, group_id)
        wording.position = (
            max((w.position for w in version.wordings if w.group_id == group_id), default=0) + 1
        )
        services.relabel(old_group, version.wordings)
        services.relabel(wording.group, version.wordings)
    _sync_reword(wording)
    db.session.flush()
    if old != wording.full_text:
        log.info("wording %s reworded in version %s", wording.id, version.id)
    return wording


def _sync_reword(wording: Wording) -> None:
    """Keep ‘blijft staan’ and ‘geherformuleerd’ true to the text of a carried question."""
    source = predecessor(wording)
    if source is None:
        return
    transition = source.transition
    changed = source.full_text != wording.full_text
    if changed and (transition is None or transition.kind == KEEP):
        if transition is None:
            transition = Transition(from_wording=source, version=wording.version, kind=REWORD)
            db.session.add(transition)
        transition.kind = REWORD
        transition.decided_at = utcnow()
    elif not changed and transition is not None and transition.kind == REWORD:
        transition.kind = KEEP
        transition.decided_at = utcnow()


def is_transition_target(wording: Wording) -> bool:
    return bool(
        db.session.scalar(
            select(func.count())
            .select_from(transition_targets)
            .where(transition_targets.c.wording_id == wording.id)
        )
    )


def delete_wording(wording: Wording) -> None:
    """Delete a question that is new in this concept version."""
    version = wording.version
    services.ensure_concept(version)
    if predecessor(wording) is not None:
        raise ValidationError(
            "Deze vraag stond in de vorige versie. Kies bij ‘Wat gebeurt er met de vragen?’ "
            "wat ermee gebeurt (bijvoorbeeld ‘Vervallen’)."
        )
    if is_transition_target(wording):
        raise ValidationError(
            "Deze vraag is het resultaat van een samenvoeging, splitsing of verplaatsing. "
            "Maak die keuze eerst ongedaan."
        )
    group = wording.group
    version.wordings.remove(wording)
    db.session.delete(wording)
    services.delete_threads([wording.thread_id])
    services.relabel(group, version.wordings)
    db.session.flush()
    log.info("wording %s deleted from version %s", wording.id, version.id)


def move_wording(wording: Wording, direction: str) -> None:
    """Move a question one place up or down within its group."""
    version = wording.version
    services.ensure_concept(version)
    if direction not in ("up", "down"):
        raise ValidationError("Kies omhoog of omlaag.")
    members = sorted(
        (w for w in version.wordings if w.group_id == wording.group_id), key=lambda w: w.position
    )
    index = members.index(wording)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(members):
        members[index], members[other] = members[other], members[index]
        for position, member in enumerate(members, start=1):
            member.position = position
        services.relabel(wording.group, version.wordings)
        db.session.flush()


# --- sub-questions ---------------------------------------------------------------------------


def add_subquestion(wording: Wording, *, text: str) -> SubQuestion:
    services.ensure_concept(wording.version)
    text = clean_text(text, limit=services.MAX_QUESTION_LENGTH, what="de deelvraag", required=True)
    index = len(wording.subquestions) + 1
    sub = SubQuestion(wording=wording, position=index, label=parsing.roman_label(index), text=text)
    db.session.add(sub)
    db.session.flush()
    return sub


def update_subquestion(sub: SubQuestion, *, text: str) -> SubQuestion:
    services.ensure_concept(sub.wording.version)
    sub.text = clean_text(
        text, limit=services.MAX_QUESTION_LENGTH, what="de deelvraag", required=True
    )
    db.session.flush()
    return sub


def delete_subquestion(sub: SubQuestion) -> None:
    wording = sub.wording
    services.ensure_concept(wording.version)
    wording.subquestions.remove(sub)
    db.session.delete(sub)
    for index, other in enumerate(wording.subquestions, start=1):
        other.position = index
        other.label = parsing.roman_label(index)
    db.session.flush()
