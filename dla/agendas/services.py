"""Services for agendas and their versions (create, copy, publish, delete) and comments.

Services change state, flush and log what happened; they never commit (the view does).
Rules live here: a published version never changes (``guard`` is the last line of
defence), every question of the previous version gets exactly one transition before the
next version is published, and an edit based on stale data is refused instead of
overwriting someone else's work. The questions of a concept are changed in ``questions``,
decisions on the previous version's questions in ``transitions``, an imported DLA is
saved by ``imports``.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.util import identity_key

from dla.agendas import parsing
from dla.agendas.models import (
    CONCEPT,
    CONTINUING,
    DISTRIBUTIONS,
    KEEP,
    LEVELS,
    MOVE,
    ORIGINS,
    PARSED_FIELDS,
    PUBLISHED,
    REWORD,
    WORDING_TEXT_FIELDS,
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
from dla.errors import PublishedError, ValidationError
from dla.extensions import db
from dla.regions.models import Region
from dla.validation import check_lock, clean_text, parse_date

log = logging.getLogger(__name__)

MAX_QUESTION_LENGTH = 2000
MAX_TITLE_LENGTH = 300
MAX_NOTE_LENGTH = 5000


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


def in_group(wording: Wording, group: VersionGroup) -> bool:
    return wording.group is group or (group.id is not None and wording.group_id == group.id)


def relabel(group: VersionGroup, wordings: list[Wording]) -> None:
    """Give the questions of one group consecutive labels in their order."""
    members = sorted((w for w in wordings if in_group(w, group)), key=lambda w: w.position)
    for index, wording in enumerate(members, start=1):
        label = parsing.letter_label(index) if group.label_style == "letter" else str(index)
        # Only what changes: an assignment marks the row dirty even when the value is the
        # same, and every dirty row costs the flush and the audit listener a history check.
        if wording.position != index:
            wording.position = index
        if wording.label != label:
            wording.label = label


def apply_text(wording: Wording, text: str, shared_stem: str = "") -> None:
    """Set the printed text (and shared stem) and the parsed parts of a wording."""
    wording.text = text
    wording.shared_stem = shared_stem
    full = parsing.expand_shared_stem(shared_stem, text) if shared_stem else text
    parsed = parsing.parse_question(full)
    for name in PARSED_FIELDS:
        value = getattr(parsed, "text" if name == "full_text" else name)
        limit = Wording.__table__.c[name].type.length  # stem, role phrase and tag are cut
        setattr(wording, name, value[:limit] if limit else value)


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
    delete_threads(orphan_threads)
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
        "report_reference": 100,
    }
    names = {
        "context_line": "de aanleiding",
        "themes": "de thema's",
        "author": "de auteur",
        "recipient": "het veld ‘Aan’",
        "reference": "het kenmerk",
        "report_reference": "de verwijzing in rapporten",
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


def copy_wording(source: Wording, version: Version, group: VersionGroup) -> Wording:
    copy = Wording(
        version=version,
        thread_id=source.thread_id,
        group=group,
        position=source.position,
        label=source.label,
        **{name: getattr(source, name) for name in WORDING_TEXT_FIELDS},
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
        copy_wording(wording, target, groups[wording.group_id])


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


def set_report_reference(version: Version, text: str, *, lock_version: int) -> Version:
    """How reports cite the version ("bijlage 2.4"). Allowed after publishing too: it is
    about the reports, not the version's content."""
    check_lock(
        version, lock_version, "Iemand anders heeft de gegevens van deze versie intussen gewijzigd."
    )
    version.report_reference = clean_text(text, limit=100, what="de verwijzing in rapporten")
    db.session.flush()
    log.info("version %s report reference set", version.id)
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


def publish_version(
    version: Version, *, lock_version: int | None = None, published_at: datetime | None = None
) -> Version:
    """Publish (vaststellen) a concept version. Afterwards it never changes.

    ``published_at``: when it was vastgesteld, for a version with a history of its own (the
    demo's versions); default now."""
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
    version.published_at = published_at or utcnow()
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
    delete_threads(orphan_threads)
    log.info("version %s of agenda %s deleted", version.id, version.agenda_id)


def _threads_only_in(version_ids) -> list[int]:
    """Threads whose every wording lies in the given versions."""
    inside = select(Wording.thread_id).where(Wording.version_id.in_(version_ids))
    outside = select(Wording.thread_id).where(Wording.version_id.not_in(version_ids))
    return list(db.session.scalars(inside.except_(outside)))


def delete_threads(thread_ids: list[int]) -> None:
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


def load_version_light(version_id: int) -> Version | None:
    """A version with its agenda and region only (enough to check who may read it)."""
    return db.session.scalar(
        select(Version)
        .where(Version.id == version_id)
        .options(joinedload(Version.agenda).joinedload(Agenda.region))
    )


def load_version(version_id: int, *, for_update: bool = False) -> Version | None:
    """A version with its groups, questions and agenda.

    ``for_update``: the caller is going to change the version. Adding, moving or removing a
    question and deciding on one renumber the version's questions, so two such changes must
    not work from the same list at the same time (they would give two questions one label,
    or one of them a needless 409). The version is locked until the commit (PostgreSQL: its
    row, ``FOR UPDATE``; SQLite: the write lock, see ``take_write_lock``) and read afresh.
    """
    options = [
        selectinload(Version.groups),
        selectinload(Version.wordings).selectinload(Wording.subquestions),
    ]
    known = db.session.identity_map.get(identity_key(Version, version_id))
    if for_update or known is None or "agenda" not in known.__dict__:
        # Not when load_version_light read them in this request (the version page's loader
        # first checks the right, then loads the questions): two statements saved.
        options.append(selectinload(Version.agenda).selectinload(Agenda.region))
    query = select(Version).where(Version.id == version_id).options(*options)
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
