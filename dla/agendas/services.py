"""Services for agendas, versions, wordings and transitions.

Services change state, flush and log what happened; they never commit (the view does).
Rules live here: a published version never changes, every question of the previous
version gets exactly one transition before the next version is published, and an edit
based on stale data is refused instead of overwriting someone else's work.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from dla.agendas import lineage, parsing, queries
from dla.agendas.models import (
    ANSWER,
    CONCEPT,
    CONTINUING,
    DISTRIBUTIONS,
    DROP,
    DROP_REASONS,
    KEEP,
    LABEL_STYLES,
    LEVELS,
    MERGE,
    MOVE,
    ORIGINS,
    PUBLISHED,
    REWORD,
    SPLIT,
    TRANSITIONS,
    Agenda,
    Comment,
    SubQuestion,
    Thread,
    Transition,
    Version,
    VersionGroup,
    Wording,
    transition_targets,
)
from dla.db import take_write_lock, utcnow
from dla.errors import ConflictError, PublishedError, ValidationError
from dla.extensions import db
from dla.regions.models import Region
from dla.validation import check_lock, clean_text, parse_date

log = logging.getLogger(__name__)

MAX_QUESTION_LENGTH = 2000
MAX_TITLE_LENGTH = 300
MAX_NOTE_LENGTH = 5000
MAX_SPLIT_PARTS = 10


# --- the immutability guard ----------------------------------------------------------------


def _version_of(obj) -> Version | None:
    if isinstance(obj, Version):
        return obj
    if isinstance(obj, Wording | VersionGroup | Transition):
        return obj.version
    if isinstance(obj, SubQuestion):
        return obj.wording.version if obj.wording is not None else None
    return None


def _was_published(version: Version) -> bool:
    """Whether the version was already published before the changes now being flushed."""
    history = db.inspect(version).attrs.status.history
    if history.deleted:
        return history.deleted[0] == PUBLISHED
    return version.status == PUBLISHED and not db.inspect(version).pending


def _row_changed(obj) -> bool:
    """Whether a flush would UPDATE the object's own row (relationship changes aside)."""
    state = db.inspect(obj)
    return any(state.attrs[attr.key].history.has_changes() for attr in state.mapper.column_attrs)


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_published_versions(session, _context, _instances) -> None:
    """Last line of defence: no flush may change the content of a published version."""
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if obj in session.dirty and not _row_changed(obj):
            continue
        version = _version_of(obj)
        if version is None:
            continue
        if isinstance(obj, Version) and obj in session.dirty and not _was_published(obj):
            continue
        if version.status == PUBLISHED and (obj is not version or _was_published(version)):
            raise PublishedError()


# --- small helpers ---------------------------------------------------------------------------


def ensure_concept(version: Version) -> None:
    if version.status != CONCEPT:
        raise PublishedError()


def previous_version(version: Version) -> Version | None:
    """The published version of the same agenda that this version follows."""
    return db.session.scalar(
        select(Version)
        .where(
            Version.agenda_id == version.agenda_id,
            Version.number < version.number,
            Version.status == PUBLISHED,
        )
        .order_by(Version.number.desc())
        .limit(1)
    )


def latest_published(agenda: Agenda) -> Version | None:
    return db.session.scalar(
        select(Version)
        .where(Version.agenda_id == agenda.id, Version.status == PUBLISHED)
        .order_by(Version.number.desc())
        .limit(1)
    )


def concept_version(agenda: Agenda) -> Version | None:
    return db.session.scalar(
        select(Version).where(Version.agenda_id == agenda.id, Version.status == CONCEPT).limit(1)
    )


def ordered_wordings(version: Version) -> list[Wording]:
    positions = {group.id: group.position for group in version.groups}
    return sorted(version.wordings, key=lambda w: (positions.get(w.group_id, 0), w.position))


def _in_group(wording: Wording, group: VersionGroup) -> bool:
    return wording.group is group or (group.id is not None and wording.group_id == group.id)


def _relabel(group: VersionGroup, wordings: list[Wording]) -> None:
    """Give the questions of one group consecutive labels in their order."""
    members = sorted((w for w in wordings if _in_group(w, group)), key=lambda w: w.position)
    for index, wording in enumerate(members, start=1):
        label = parsing.letter_label(index) if group.label_style == "letter" else str(index)
        # Only what changes: an assignment marks the row dirty even when the value is the
        # same, and every dirty row costs the flush and the audit listener a history check.
        if wording.position != index:
            wording.position = index
        if wording.label != label:
            wording.label = label


def _relabel_version(version: Version) -> None:
    for group in version.groups:
        _relabel(group, version.wordings)


def _apply_text(wording: Wording, text: str, shared_stem: str = "") -> None:
    """Set the printed text (and shared stem) and the parsed parts of a wording."""
    wording.text = text
    wording.shared_stem = shared_stem
    full = parsing.expand_shared_stem(shared_stem, text) if shared_stem else text
    parsed = parsing.parse_question(full)
    wording.full_text = parsed.text
    wording.stem = parsed.stem[:120]
    wording.person = parsed.person
    wording.role_phrase = parsed.role_phrase[:120]
    wording.goal = parsed.goal
    wording.barrier = parsed.barrier
    wording.annotation = parsed.annotation
    wording.tag = parsed.tag[:300]


def clean_question(text: str | None, shared_stem: str = "") -> tuple[str, str]:
    """Validate a question's printed text and optional shared stem."""
    text = " ".join(
        clean_text(text, limit=MAX_QUESTION_LENGTH, what="de vraag", required=True).split()
    )
    shared_stem = " ".join(
        clean_text(shared_stem, limit=MAX_QUESTION_LENGTH, what="de gedeelde stam").split()
    )
    return text, shared_stem


# --- agendas ---------------------------------------------------------------------------------


def _agenda_fields(level: str, audience: str, title: str, ambition: str) -> dict:
    if level not in LEVELS:
        raise ValidationError("Kies een niveau: operationeel, tactisch, strategisch of netwerk.")
    return {
        "level": level,
        "audience": clean_text(audience, limit=120, what="de doelgroep", required=True),
        "title": clean_text(title, limit=MAX_TITLE_LENGTH, what="de titel", required=True),
        "ambition": clean_text(ambition, limit=MAX_NOTE_LENGTH, what="de ambitie"),
    }


def create_agenda(
    region: Region, *, level: str, audience: str, title: str, ambition: str = ""
) -> Agenda:
    agenda = Agenda(region=region, **_agenda_fields(level, audience, title, ambition))
    db.session.add(agenda)
    db.session.flush()
    log.info("agenda %s created in region %s: %s", agenda.id, region.id, agenda.title)
    return agenda


def update_agenda(
    agenda: Agenda, *, lock_version: int, level: str, audience: str, title: str, ambition: str
) -> Agenda:
    check_lock(agenda, lock_version, "Iemand anders heeft deze agenda intussen gewijzigd.")
    for key, value in _agenda_fields(level, audience, title, ambition).items():
        setattr(agenda, key, value)
    db.session.flush()
    log.info("agenda %s updated", agenda.id)
    return agenda


def delete_agenda(agenda: Agenda) -> None:
    if latest_published(agenda) is not None:
        raise ValidationError(
            "Deze agenda heeft vastgestelde versies. Die blijven bewaard; de agenda kan niet weg."
        )
    incoming = db.session.scalar(
        select(func.count(Transition.id)).where(Transition.target_agenda_id == agenda.id)
    )
    if incoming:
        raise ValidationError(
            "Er zijn vragen naar deze agenda verplaatst. "
            "Maak dat eerst ongedaan in de andere agenda."
        )
    orphan_threads = _threads_only_in(select(Version.id).where(Version.agenda_id == agenda.id))
    db.session.delete(agenda)
    db.session.flush()
    _delete_threads(orphan_threads)
    log.info("agenda %s deleted", agenda.id)


# --- versions --------------------------------------------------------------------------------


def _version_fields(meta: dict) -> dict:
    fields = {}
    if "label" in meta:
        fields["label"] = clean_text(meta["label"], limit=40, what="het versielabel")
    for key in ("document_date", "session_date"):
        if key in meta:
            fields[key] = parse_date(meta[key])
    if "origin" in meta:
        if meta["origin"] not in ORIGINS:
            raise ValidationError("Kies hoe deze versie is gemaakt.")
        fields["origin"] = meta["origin"]
    if "distribution" in meta:
        if meta["distribution"] not in DISTRIBUTIONS:
            raise ValidationError("Kies voor wie deze versie zichtbaar is.")
        fields["distribution"] = meta["distribution"]
    limits = {
        "context_line": 500,
        "themes": 2000,
        "author": 200,
        "recipient": 300,
        "reference": 100,
    }
    names = {
        "context_line": "de aanleiding",
        "themes": "de thema's",
        "author": "de auteur",
        "recipient": "het veld ‘Aan’",
        "reference": "het kenmerk",
    }
    for key, limit in limits.items():
        if key in meta:
            fields[key] = clean_text(meta[key], limit=limit, what=names[key])
    return fields


def create_version(
    agenda: Agenda,
    *,
    number: int | None = None,
    groups=(),
    created_by_id: int | None = None,
    **meta,
) -> Version:
    """Create the next version of an agenda.

    The first version starts empty (with the given groups). Every later version starts as
    a concept copy of the latest published one, in which each question still needs its
    transition. An agenda has at most one concept version at a time.
    """
    existing = concept_version(agenda)
    if existing is not None:
        raise ValidationError(
            f"Er is al een conceptversie (versie {existing.number}). Stel die eerst vast "
            "of verwijder die."
        )
    highest = db.session.scalar(
        select(func.max(Version.number)).where(Version.agenda_id == agenda.id)
    )
    if number is None:
        number = (highest or 0) + 1
    if not 1 <= number <= 10000:
        raise ValidationError("Het versienummer moet tussen 1 en 10000 liggen.")
    if highest is not None and number <= highest:
        raise ValidationError(
            f"Het versienummer moet hoger zijn dan {highest}, het nummer van de laatste versie."
        )
    version = Version(
        agenda=agenda,
        number=number,
        status=CONCEPT,
        created_by_id=created_by_id,
        **_version_fields(meta),
    )
    db.session.add(version)
    source = latest_published(agenda)
    if source is None:
        titles = [t for t in (" ".join(g.split()) for g in groups) if t] or [""]
        for position, title in enumerate(titles):
            title = clean_text(title, limit=MAX_TITLE_LENGTH, what="de naam van de groep")
            version.groups.append(VersionGroup(position=position, title=title))
    else:
        _copy_content(source, version)
    db.session.flush()
    log.info(
        "version %s (number %s) of agenda %s created%s",
        version.id,
        number,
        agenda.id,
        f" from version {source.id}" if source else "",
    )
    return version


def _copy_wording(source: Wording, version: Version, group: VersionGroup) -> Wording:
    copy = Wording(
        version=version,
        thread_id=source.thread_id,
        group=group,
        position=source.position,
        label=source.label,
        shared_stem=source.shared_stem,
        text=source.text,
        full_text=source.full_text,
        stem=source.stem,
        person=source.person,
        role_phrase=source.role_phrase,
        goal=source.goal,
        barrier=source.barrier,
        annotation=source.annotation,
        tag=source.tag,
    )
    db.session.add(copy)
    for sub in source.subquestions:
        copy.subquestions.append(SubQuestion(position=sub.position, label=sub.label, text=sub.text))
    return copy


def _copy_content(source: Version, target: Version) -> None:
    groups = {}
    for group in source.groups:
        copy = VersionGroup(
            position=group.position, title=group.title, label_style=group.label_style
        )
        target.groups.append(copy)
        groups[group.id] = copy
    for wording in source.wordings:
        _copy_wording(wording, target, groups[wording.group_id])


def update_version(version: Version, *, lock_version: int, **meta) -> Version:
    ensure_concept(version)
    check_lock(
        version, lock_version, "Iemand anders heeft de gegevens van deze versie intussen gewijzigd."
    )
    for key, value in _version_fields(meta).items():
        setattr(version, key, value)
    db.session.flush()
    log.info("version %s updated", version.id)
    return version


def missing_transitions(version: Version, previous: Version | None = None) -> list[Wording]:
    """Questions of the previous version that still need a transition in ``version``."""
    previous = previous or previous_version(version)
    if previous is None:
        return []
    decided = set(
        db.session.scalars(
            select(Transition.from_wording_id).where(Transition.version_id == version.id)
        )
    )
    return [w for w in ordered_wordings(previous) if w.id not in decided]


def publish_version(version: Version, *, lock_version: int | None = None) -> Version:
    """Publish (vaststellen) a concept version. Afterwards it never changes."""
    ensure_concept(version)
    check_lock(version, lock_version, "Iemand anders heeft deze versie intussen gewijzigd.")
    if not version.wordings:
        raise ValidationError("Een versie zonder vragen kan niet worden vastgesteld.")
    later = db.session.scalar(
        select(func.count(Version.id)).where(
            Version.agenda_id == version.agenda_id,
            Version.number > version.number,
            Version.status == PUBLISHED,
        )
    )
    if later:
        raise ValidationError("Er is al een latere versie vastgesteld.")
    missing = missing_transitions(version)
    if missing:
        labels = ", ".join(w.label or w.thread.code for w in missing)
        raise ValidationError(
            f"Nog niet klaar: kies eerst voor elke vraag van de vorige versie wat ermee "
            f"gebeurt. Nog open: {labels}."
        )
    _check_transitions_consistent(version)
    version.status = PUBLISHED
    version.published_at = utcnow()
    db.session.flush()
    log.info("version %s of agenda %s published", version.id, version.agenda_id)
    return version


def _check_transitions_consistent(version: Version) -> None:
    copies = {w.thread_id: w for w in version.wordings}
    for transition in version.transitions:
        source = transition.from_wording
        copy = copies.get(source.thread_id)
        label = source.label or source.thread.code
        if transition.kind in CONTINUING and copy is None:
            raise ValidationError(f"Vraag {label} staat niet meer in deze versie. Kies opnieuw.")
        if transition.kind == KEEP and copy.full_text != source.full_text:
            raise ValidationError(
                f"Vraag {label} is veranderd maar staat op ‘Blijft staan’. Kies ‘Geherformuleerd’."
            )
        if transition.kind == REWORD and copy.full_text == source.full_text:
            raise ValidationError(
                f"Vraag {label} staat op ‘Geherformuleerd’ maar de tekst is gelijk. "
                "Kies ‘Blijft staan’ of pas de tekst aan."
            )


def delete_version(version: Version) -> None:
    """Delete a concept version (and the questions that existed only there)."""
    ensure_concept(version)
    incoming = db.session.scalar(
        select(func.count())
        .select_from(transition_targets)
        .join(Transition, Transition.id == transition_targets.c.transition_id)
        .join(Wording, Wording.id == transition_targets.c.wording_id)
        .where(Wording.version_id == version.id, Transition.version_id != version.id)
    )
    if incoming:
        raise ValidationError(
            "Deze versie bevat vragen die uit een andere agenda zijn verplaatst. "
            "Maak die verplaatsing eerst ongedaan."
        )
    orphan_threads = _threads_only_in(select(Version.id).where(Version.id == version.id))
    # Moves out of this version created wordings in other agendas: take them back.
    for transition in list(version.transitions):
        if transition.kind == MOVE:
            for target in list(transition.targets):
                ensure_concept(target.version)
                transition.targets.remove(target)
                target.version.wordings.remove(target)
                db.session.delete(target)
    db.session.delete(version)
    db.session.flush()
    _delete_threads(orphan_threads)
    log.info("version %s of agenda %s deleted", version.id, version.agenda_id)


def _threads_only_in(version_ids) -> list[int]:
    """Threads whose every wording lies in the given versions."""
    inside = select(Wording.thread_id).where(Wording.version_id.in_(version_ids))
    outside = select(Wording.thread_id).where(Wording.version_id.not_in(version_ids))
    return list(db.session.scalars(inside.except_(outside)))


def _delete_threads(thread_ids: list[int]) -> None:
    """Delete the given threads when no wording refers to them any more."""
    db.session.flush()
    for thread_id in thread_ids:
        used = db.session.scalar(
            select(func.count(Wording.id)).where(Wording.thread_id == thread_id)
        )
        thread = db.session.get(Thread, thread_id)
        if thread is not None and not used:
            db.session.delete(thread)
    db.session.flush()


# --- groups --------------------------------------------------------------------------------


def add_group(version: Version, *, title: str, label_style: str = "letter") -> VersionGroup:
    ensure_concept(version)
    if label_style not in LABEL_STYLES:
        raise ValidationError("Kies letters of cijfers.")
    title = clean_text(title, limit=MAX_TITLE_LENGTH, what="de naam van de groep", required=True)
    position = max((g.position for g in version.groups), default=-1) + 1
    group = VersionGroup(version=version, title=title, position=position, label_style=label_style)
    db.session.add(group)
    db.session.flush()
    log.info("group %s added to version %s", group.id, version.id)
    return group


def update_group(group: VersionGroup, *, title: str, label_style: str) -> VersionGroup:
    ensure_concept(group.version)
    if label_style not in LABEL_STYLES:
        raise ValidationError("Kies letters of cijfers.")
    group.title = clean_text(title, limit=MAX_TITLE_LENGTH, what="de naam van de groep")
    group.label_style = label_style
    _relabel(group, group.version.wordings)
    db.session.flush()
    return group


def delete_group(group: VersionGroup) -> None:
    version = group.version
    ensure_concept(version)
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
    ensure_concept(version)
    text, shared_stem = clean_question(text, shared_stem)
    group = _group_in(version, group_id)
    thread = Thread(region_id=version.agenda.region_id)
    members = [w for w in version.wordings if _in_group(w, group)]
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
    _apply_text(wording, text, shared_stem)
    for index, sub in enumerate(subquestions, start=1):
        sub = clean_text(sub, limit=MAX_QUESTION_LENGTH, what="de deelvraag")
        if sub:
            wording.subquestions.append(
                SubQuestion(position=index, label=parsing.roman_label(index), text=sub)
            )
    db.session.add(wording)
    _relabel(group, version.wordings)
    db.session.flush()
    log.info("wording %s (thread %s) added to version %s", wording.id, thread.id, version.id)
    return wording


def predecessor(wording: Wording) -> Wording | None:
    """The wording of the same thread in the previous published version of the agenda."""
    previous = previous_version(wording.version)
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
    ensure_concept(version)
    check_lock(
        wording,
        lock_version,
        "Iemand anders heeft deze vraag intussen gewijzigd. Hieronder staat de tekst die nu "
        "is opgeslagen. Uw tekst is niet opgeslagen; pas die zo nodig opnieuw toe.",
        current=wording.full_text,
    )
    text, stem = clean_question(text, wording.shared_stem if shared_stem is None else shared_stem)
    old = wording.full_text
    _apply_text(wording, text, stem)
    if group_id is not None and group_id != wording.group_id:
        old_group = wording.group
        wording.group = _group_in(version, group_id)
        wording.position = (
            max((w.position for w in version.wordings if w.group_id == group_id), default=0) + 1
        )
        _relabel(old_group, version.wordings)
        _relabel(wording.group, version.wordings)
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


def _referenced_as_target(wording: Wording) -> bool:
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
    ensure_concept(version)
    if predecessor(wording) is not None:
        raise ValidationError(
            "Deze vraag stond in de vorige versie. Kies bij ‘Wat gebeurt er met de vragen?’ "
            "wat ermee gebeurt (bijvoorbeeld ‘Vervallen’)."
        )
    if _referenced_as_target(wording):
        raise ValidationError(
            "Deze vraag is het resultaat van een samenvoeging, splitsing of verplaatsing. "
            "Maak die keuze eerst ongedaan."
        )
    group = wording.group
    version.wordings.remove(wording)
    db.session.delete(wording)
    _delete_threads([wording.thread_id])
    _relabel(group, version.wordings)
    db.session.flush()
    log.info("wording %s deleted from version %s", wording.id, version.id)


def move_wording(wording: Wording, direction: str) -> None:
    """Move a question one place up or down within its group."""
    version = wording.version
    ensure_concept(version)
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
        _relabel(wording.group, version.wordings)
        db.session.flush()


# --- sub-questions ---------------------------------------------------------------------------


def add_subquestion(wording: Wording, *, text: str) -> SubQuestion:
    ensure_concept(wording.version)
    text = clean_text(text, limit=MAX_QUESTION_LENGTH, what="de deelvraag", required=True)
    index = len(wording.subquestions) + 1
    sub = SubQuestion(wording=wording, position=index, label=parsing.roman_label(index), text=text)
    db.session.add(sub)
    db.session.flush()
    return sub


def update_subquestion(sub: SubQuestion, *, text: str) -> SubQuestion:
    ensure_concept(sub.wording.version)
    sub.text = clean_text(text, limit=MAX_QUESTION_LENGTH, what="de deelvraag", required=True)
    db.session.flush()
    return sub


def delete_subquestion(sub: SubQuestion) -> None:
    wording = sub.wording
    ensure_concept(wording.version)
    wording.subquestions.remove(sub)
    db.session.delete(sub)
    for index, other in enumerate(wording.subquestions, start=1):
        other.position = index
        other.label = parsing.roman_label(index)
    db.session.flush()


# --- transitions -----------------------------------------------------------------------------


def _copy_in(version: Version, thread_id: int) -> Wording | None:
    return next((w for w in version.wordings if w.thread_id == thread_id), None)


def _restore_copy(version: Version, source: Wording) -> Wording:
    """Put the previous wording back into the concept version (undoing a removal)."""
    group = next(
        (g for g in version.groups if g.position == source.group.position), version.groups[0]
    )
    copy = _copy_wording(source, version, group)
    copy.position = source.position - 0.5
    db.session.add(copy)
    _relabel(group, version.wordings)
    return copy


def _remove_copy(version: Version, copy: Wording) -> None:
    if _referenced_as_target(copy):
        raise ValidationError(
            "Een andere vraag is met deze vraag samengevoegd of eruit gesplitst. "
            "Maak die keuze eerst ongedaan."
        )
    group = copy.group
    version.wordings.remove(copy)
    db.session.delete(copy)
    _relabel(group, version.wordings)


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
            _delete_threads([target.thread_id])
            _relabel(group, version.wordings)
    source.transition = None
    db.session.delete(transition)
    db.session.flush()


def _check_expected(source: Wording, expected: str | None) -> None:
    """Refuse a decision taken on stale information (someone else decided meanwhile)."""
    if expected is None:
        return
    current = source.transition.kind if source.transition is not None else ""
    if current != expected:
        shown = TRANSITIONS.get(current, "nog geen keuze")
        raise ConflictError(
            f"Iemand anders heeft intussen een keuze gemaakt voor vraag {source.label}: "
            f"‘{shown}’. Bekijk die en kies zo nodig opnieuw.",
            current=shown,
        )


def _source_in_previous(version: Version, source: Wording) -> None:
    previous = previous_version(version)
    if previous is None or source.version_id != previous.id:
        raise ValidationError("Deze vraag hoort niet bij de vorige versie van deze agenda.")


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
    ensure_concept(version)
    _source_in_previous(version, source)
    if kind not in TRANSITIONS:
        raise ValidationError("Kies wat er met deze vraag gebeurt.")
    _check_expected(source, expected)
    note = clean_text(note, limit=MAX_NOTE_LENGTH, what="de toelichting")
    # Validate everything before touching anything.
    if kind == ANSWER and not note:
        raise ValidationError("Schrijf op wat het voorlopige antwoord of de actie is.")
    if kind == DROP:
        if reason not in DROP_REASONS:
            raise ValidationError("Kies waarom de vraag van de agenda gaat.")
        if reason == "anders" and not note:
            raise ValidationError("Schrijf op waarom de vraag van de agenda gaat.")
    if kind == MERGE:
        if merge_into is None or merge_into.version_id != version.id:
            raise ValidationError(
                "Kies de vraag in deze versie waarmee deze vraag is samengevoegd."
            )
        if merge_into.thread_id == source.thread_id:
            raise ValidationError("Een vraag kan niet met zichzelf worden samengevoegd.")
    if kind == SPLIT:
        parts = [p for p in (split_texts or []) if p and p.strip()]
        if not parts:
            raise ValidationError(
                "Schrijf minstens één nieuwe vraag waarin deze vraag verder gaat."
            )
        if len(parts) > MAX_SPLIT_PARTS:
            raise ValidationError(f"Splits in hoogstens {MAX_SPLIT_PARTS} vragen tegelijk.")
        split_texts = [clean_question(p)[0] for p in parts]
    if kind == MOVE:
        if (
            target_agenda is None
            or target_agenda.region_id != version.agenda.region_id
            or target_agenda.id == version.agenda_id
        ):
            raise ValidationError("Kies een andere agenda van deze regio.")
    if kind == REWORD and text is not None:
        text = clean_question(text)[0]

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
            _apply_text(copy, text, copy.shared_stem if text.startswith(("…", "...")) else "")
        if copy.full_text == source.full_text:
            raise ValidationError("De nieuwe tekst is gelijk aan de oude. Kies ‘Blijft staan’.")
    elif kind == SPLIT:
        if copy is None:
            copy = _restore_copy(version, source)
        for offset, part in enumerate(split_texts, start=1):
            thread = Thread(region_id=version.agenda.region_id, split_from_id=source.thread_id)
            wording = Wording(version=version, thread=thread, group=copy.group)
            wording.position = copy.position + offset / (len(split_texts) + 1)
            _apply_text(wording, part)
            db.session.add(wording)
            transition.targets.append(wording)
        _relabel(copy.group, version.wordings)
    elif kind == MERGE:
        if copy is not None:
            _remove_copy(version, copy)
        transition.targets.append(merge_into)
    elif kind == MOVE:
        destination = concept_version(target_agenda) or create_version(target_agenda)
        if _copy_in(destination, source.thread_id) is not None:
            raise ValidationError("Deze vraag staat al in de conceptversie van die agenda.")
        group = destination.groups[0]
        moved = _copy_wording(copy or source, destination, group)
        moved.position = (
            max((w.position for w in destination.wordings if w is not moved), default=0) + 1
        )
        _relabel(group, destination.wordings)
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
    ensure_concept(version)
    _source_in_previous(version, source)
    _check_expected(source, expected)
    if source.transition is not None:
        _undo(source.transition)
        log.info("transition for wording %s cleared in version %s", source.id, version.id)


def returnable_threads(version: Version, previous: Version | None = None) -> list[Wording]:
    """Questions that were on this agenda before but skipped the previous version.

    Returns each thread's last published wording on this agenda (two queries).
    """
    previous = previous or previous_version(version)
    if previous is None:
        return []
    present = select(Wording.thread_id).where(Wording.version_id.in_([previous.id, version.id]))
    last_ids = queries.latest_published_ids(
        agenda_ids=[version.agenda_id], where=Wording.thread_id.not_in(present)
    )
    # A merged or moved question lives on elsewhere: it cannot come back here.
    elsewhere = select(Transition.from_wording_id).where(Transition.kind.in_([MERGE, MOVE]))
    candidates = db.session.scalars(
        select(Wording)
        .where(Wording.id.in_(last_ids), Wording.id.not_in(elsewhere))
        .options(joinedload(Wording.version))
    ).all()
    return sorted(candidates, key=lambda w: (-w.version.number, w.position))


def load_wordings(version: Version) -> list[Wording]:
    """A version's wordings in order, with their transitions and sub-questions loaded."""
    wordings = db.session.scalars(
        select(Wording)
        .where(Wording.version_id == version.id)
        .options(
            selectinload(Wording.subquestions),
            selectinload(Wording.transition).selectinload(Transition.targets),
            selectinload(Wording.transition).joinedload(Transition.target_agenda),
        )
    ).all()
    positions = {group.id: group.position for group in version.groups}
    return sorted(wordings, key=lambda w: (positions.get(w.group_id, 0), w.position))


def restore_thread(version: Version, source: Wording) -> Wording:
    """Bring back a question that skipped one or more versions (the thread continues)."""
    ensure_concept(version)
    if source.version.agenda_id != version.agenda_id or source.version.status != PUBLISHED:
        raise ValidationError("Deze vraag stond niet eerder op deze agenda.")
    if source.id not in {w.id for w in returnable_threads(version)}:
        raise ValidationError("Deze vraag staat al in deze of de vorige versie.")
    group = version.groups[0]
    copy = _copy_wording(source, version, group)
    copy.position = max((w.position for w in version.wordings if w is not copy), default=0) + 1
    _relabel(group, version.wordings)
    db.session.flush()
    log.info("thread %s returned in version %s", source.thread_id, version.id)
    return copy


def load_version(version_id: int, *, for_update: bool = False) -> Version | None:
    """A version with its groups, questions and agenda.

    ``for_update``: the caller is going to change the version. Adding, moving or removing a
    question and deciding on one renumber the version's questions, so two such changes must
    not work from the same list at the same time (they would give two questions one label,
    or one of them a needless 409). The version is locked until the commit (PostgreSQL: its
    row, ``FOR UPDATE``; SQLite: the write lock, see ``take_write_lock``) and read afresh.
    """
    query = (
        select(Version)
        .where(Version.id == version_id)
        .options(
            selectinload(Version.groups),
            selectinload(Version.wordings).selectinload(Wording.subquestions),
            selectinload(Version.agenda).selectinload(Agenda.region),
        )
    )
    if for_update:
        take_write_lock(db.session)
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


# --- comments --------------------------------------------------------------------------------


def add_comment(
    *,
    region_id: int,
    author,
    body: str,
    thread_id: int | None = None,
    version_id: int | None = None,
) -> Comment:
    """A comment on a thread or a version (also on a published one: it does not change it)."""
    body = clean_text(body, limit=MAX_NOTE_LENGTH, what="de reactie", required=True)
    comment = Comment(
        region_id=region_id,
        thread_id=thread_id,
        version_id=version_id,
        author_id=author.id,
        author_name=author.name,
        body=body,
    )
    db.session.add(comment)
    db.session.flush()
    log.info("comment %s by user %s", comment.id, author.id)
    return comment


def comments_for(*, thread_id: int | None = None, version_id: int | None = None) -> list[Comment]:
    query = select(Comment).order_by(Comment.created_at, Comment.id)
    if thread_id is not None:
        query = query.where(Comment.thread_id == thread_id)
    else:
        query = query.where(Comment.version_id == version_id)
    return list(db.session.scalars(query))


# --- import of an existing DLA ---------------------------------------------------------------


@dataclass
class ConfirmedQuestion:
    """One imported question as the person confirmed it."""

    text: str
    shared_stem: str = ""
    group: int = 0
    label: str = ""
    subquestions: list[str] = field(default_factory=list)
    # The earlier wording this question continues (confirmed by a person), or None (new).
    link: int | None = None
    # Wordings of the previous version of this agenda that were merged into this question.
    merges: list[int] = field(default_factory=list)
    # A wording of the previous version that was split: this question is one of its parts.
    split_from: int | None = None


def lineage_candidates(
    region: Region, agenda: Agenda | None = None, readable=None
) -> list[lineage.Candidate]:
    """The latest published wording of every thread of the region (three queries).

    A question that was merged into another one lives on in that one and is left out. A
    thread that a concept version of another agenda than ``agenda`` already holds is marked
    ``busy_in`` (that agenda's title): it is listed, never proposed.

    ``readable`` (``Access.readable_versions``: a condition on ``Version``) limits them to
    the versions the person may read: restricted wordings are never suggested.
    """
    latest = queries.latest_published_ids(region_id=region.id, where=readable)
    merged = select(Transition.from_wording_id).where(Transition.kind == MERGE)
    rows = db.session.execute(
        select(
            Wording.id,
            Wording.thread_id,
            Wording.full_text,
            Wording.label,
            Version.id,
            Version.number,
            Agenda.id,
            Agenda.title,
        )
        .join(Version, Version.id == Wording.version_id)
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(Wording.id.in_(latest), Wording.id.not_in(merged))
        .order_by(Agenda.title, Agenda.id, Version.number, Wording.position)
    ).all()
    in_concepts = db.session.execute(
        select(Wording.thread_id, Agenda.title)
        .join(Version, Version.id == Wording.version_id)
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(
            Agenda.region_id == region.id,
            Version.status == CONCEPT,
            Agenda.id != (agenda.id if agenda is not None else -1),
        )
    ).all()
    busy = dict(in_concepts)
    return [
        lineage.Candidate(
            key=str(wording_id),
            text=text,
            agenda=title,
            version=number,
            label=label,
            version_key=str(version_id),
            agenda_key=str(agenda_id),
            busy_in=busy.get(thread_id, ""),
        )
        for wording_id, thread_id, text, label, version_id, number, agenda_id, title in rows
    ]


def region_stop_words(region: Region) -> frozenset[str]:
    words = {w.strip().lower() for w in (region.stop_words or "").splitlines() if w.strip()}
    return frozenset(words) if words else lineage.DEFAULT_STOP_WORDS


def suggest_links(
    region: Region, texts: list[str], agenda: Agenda | None = None, readable=None
) -> list[lineage.Match]:
    """For each text: the link saving would make (``proposed``) and ranked suggestions.

    ``agenda``: the agenda imported into (None for a new one); its questions come first and
    its previous version's can be merged or split. ``readable``: only wordings of these
    versions are candidates (see ``lineage_candidates``). Links nothing.
    """
    candidates = lineage_candidates(region, agenda, readable)
    if not candidates or not texts:
        return [lineage.Match(None, []) for _ in texts]
    previous = latest_published(agenda) if agenda is not None else None
    return lineage.propose(
        texts,
        candidates,
        agenda_key=str(agenda.id) if agenda is not None else None,
        previous_version_key=str(previous.id) if previous is not None else None,
        stop_words=region_stop_words(region),
    )


def confirmed_from_proposal(match: lineage.Match) -> dict:
    """The ``link`` / ``merges`` / ``split_from`` fields that saving ``match.proposed`` sets."""
    proposal = match.proposed
    if proposal is None:
        return {"link": None, "merges": [], "split_from": None}
    key = int(proposal.suggestion.candidate.key)
    if proposal.kind == lineage.SPLIT:
        return {"link": None, "merges": [], "split_from": key}
    return {
        "link": key,
        "merges": [int(s.candidate.key) for s in proposal.merges],
        "split_from": None,
    }


def import_version(
    agenda: Agenda,
    *,
    groups: list[str],
    questions: list[ConfirmedQuestion],
    created_by_id: int | None = None,
    readable=None,
    **meta,
) -> Version:
    """Save an imported DLA text as the agenda's next (concept) version.

    ``readable`` (a condition on ``Version``) limits the earlier questions a link may
    continue to those the person may read.

    Confirmed links continue a thread: a question of the previous version gets *blijft
    staan* or *geherformuleerd*; a question from an older version or another agenda of the
    region continues there (it skipped versions or moved). Confirmed merges become
    *samengevoegd*. A question of the previous version with parts (``split_from``) becomes
    *gesplitst*: it continues in the question that links to it (or else in its first part)
    and each other part is a new thread split off it. Questions of the previous version that
    nothing continues stay undecided: the person decides them in the concept before
    publishing.
    """
    if not questions:
        raise ValidationError("Er zijn geen vragen om op te slaan.")
    if len(questions) > 500:
        raise ValidationError("Een versie kan hoogstens 500 vragen hebben.")
    previous = latest_published(agenda)
    version = create_version(agenda, created_by_id=created_by_id, **meta)
    # The version starts empty: the imported text says what is in it.
    for wording in list(version.wordings):
        version.wordings.remove(wording)
        db.session.delete(wording)
    for group in list(version.groups):
        version.groups.remove(group)
        db.session.delete(group)
    db.session.flush()
    titles = groups or [""]
    group_rows = []
    for position, title in enumerate(titles):
        group = VersionGroup(
            version=version,
            position=position,
            title=clean_text(title, limit=MAX_TITLE_LENGTH, what="de naam van de groep"),
        )
        db.session.add(group)
        group_rows.append(group)
    previous_wordings = {w.id: w for w in previous.wordings} if previous else {}

    # Resolve and check every link before creating anything.
    sources = [
        _import_link(agenda, version, q.link, readable) if q.link else None for q in questions
    ]
    used_threads: set[int] = set()
    for source in sources:
        if source is None:
            continue
        if source.thread_id in used_threads:
            raise ValidationError(
                f"Twee vragen zetten dezelfde eerdere vraag ({source.label}) voort. "
                "Kies bij één van beide ‘Nieuwe vraag’, of kies ‘Gesplitst’."
            )
        used_threads.add(source.thread_id)
    merged: set[int] = set()
    for question in questions:
        for merge_id in question.merges:
            partner = previous_wordings.get(merge_id)
            if partner is None:
                raise ValidationError("Samenvoegen kan alleen met een vraag van de vorige versie.")
            if partner.thread_id in used_threads or merge_id in merged:
                raise ValidationError(
                    f"Vraag {partner.label} is al gekoppeld. Voeg een vraag maar één keer samen."
                )
            merged.add(merge_id)
    split_parts: dict[int, list[int]] = {}  # wording id of the split question → question indexes
    for index, question in enumerate(questions):
        if question.split_from is None:
            continue
        whole = previous_wordings.get(question.split_from)
        if whole is None:
            raise ValidationError("Splitsen kan alleen van een vraag van de vorige versie.")
        if whole.id in merged:
            raise ValidationError(
                f"Vraag {whole.label} is samengevoegd en kan niet ook gesplitst zijn."
            )
        if question.link or question.merges:
            raise ValidationError(
                f"Vraag {_label_of(question, index)} is een deel van een gesplitste vraag "
                "en kan niet ook een andere vraag voortzetten."
            )
        split_parts.setdefault(whole.id, []).append(index)
    # A split question that no imported question continues goes on in its first part.
    for whole_id, parts in split_parts.items():
        if previous_wordings[whole_id].thread_id not in used_threads:
            first = parts.pop(0)
            sources[first] = previous_wordings[whole_id]
            used_threads.add(sources[first].thread_id)

    wordings: list[Wording] = []
    for position, question in enumerate(questions, start=1):
        text, stem = clean_question(question.text, question.shared_stem)
        if not 0 <= question.group < len(group_rows):
            raise ValidationError(f"Vraag {position} hoort bij een groep die niet bestaat.")
        group = group_rows[question.group]
        if question.label[:1].isdigit():
            group.label_style = "number"
        source = sources[position - 1]
        if source is not None:
            thread = source.thread
        elif question.split_from is not None:
            whole = previous_wordings[question.split_from]
            thread = Thread(region_id=agenda.region_id, split_from_id=whole.thread_id)
        else:
            thread = Thread(region_id=agenda.region_id)
        wording = Wording(
            version=version,
            thread=thread,
            group=group,
            position=position,
            label=clean_text(question.label, limit=10, what="het label") or str(position),
            created_by_id=created_by_id,
        )
        db.session.add(wording)
        _apply_text(wording, text, stem)
        for index, sub in enumerate(question.subquestions, start=1):
            sub = clean_text(sub, limit=MAX_QUESTION_LENGTH, what="de deelvraag")
            if sub:
                wording.subquestions.append(
                    SubQuestion(position=index, label=parsing.roman_label(index), text=sub)
                )
        wordings.append(wording)

    split_ids = {previous_wordings[w].thread_id: w for w, parts in split_parts.items() if parts}
    for source, wording in zip(sources, wordings, strict=True):
        if source is None or source.id not in previous_wordings:
            continue
        if source.thread_id in split_ids:
            transition = Transition(from_wording=source, version=version, kind=SPLIT)
            for index in split_parts[split_ids[source.thread_id]]:
                transition.targets.append(wordings[index])
        else:
            kind = KEEP if source.full_text == wording.full_text else REWORD
            transition = Transition(from_wording=source, version=version, kind=kind)
        db.session.add(transition)
    for question, wording in zip(questions, wordings, strict=True):
        for merge_id in question.merges:
            transition = Transition(
                from_wording=previous_wordings[merge_id], version=version, kind=MERGE
            )
            db.session.add(transition)
            transition.targets.append(wording)
    db.session.flush()
    log.info(
        "version %s of agenda %s imported with %s questions",
        version.id,
        agenda.id,
        len(questions),
    )
    return version


def _label_of(question: ConfirmedQuestion, index: int) -> str:
    return question.label or str(index + 1)


def _import_link(agenda: Agenda, version: Version, wording_id: int, readable=None) -> Wording:
    source = db.session.get(Wording, wording_id)
    if (
        source is None
        or source.version.agenda.region_id != agenda.region_id
        or source.version.status != PUBLISHED
        or source.version_id == version.id
        or (
            readable is not None
            and db.session.scalar(
                select(Version.id).where(Version.id == source.version_id, readable)
            )
            is None
        )
    ):
        raise ValidationError("Een gekozen eerdere vraag bestaat niet (meer) in deze regio.")
    return source
