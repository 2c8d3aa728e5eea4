"""Services for the system analysis, barrier links, milestones, decisions and escalation.

Services change state, flush and log; the view commits. Edits of rows that two people can
change at once carry the ``lock_version`` they were based on: a stale edit is refused with
a Dutch message and the text saved now, never silently overwritten.
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from dla.agendas import services as agendas
from dla.agendas import transitions
from dla.agendas.models import MOVE, PUBLISHED, Agenda, Thread, Version, Wording
from dla.analysis.models import (
    ACTION_STATUSES,
    ACTOR,
    ASPECT,
    AXES,
    DECISION_KINDS,
    DECISION_STATUSES,
    DEFAULT_ACTORS,
    DEFAULT_ASPECTS,
    ITEM_KINDS,
    ITEM_STATUSES,
    MILESTONE_STATUSES,
    SOURCES,
    BarrierItem,
    BarrierLink,
    Decision,
    MatrixHeading,
    Milestone,
    MilestoneAction,
    MilestoneLink,
    Precondition,
)
from dla.db import shared_alias
from dla.errors import ValidationError
from dla.extensions import db
from dla.regions.models import Region
from dla.taskforce.services import note_follow_up
from dla.validation import check_lock, clean_text

# Built once: SQLAlchemy memoizes the alias's column adaptation on the object.
_LATEST = shared_alias(Version, "latest")

log = logging.getLogger(__name__)

MAX_TEXT = 2000
MAX_HEADINGS = 30
COPY = "kopieren"
ESCALATION_MODES = {MOVE: "Verplaatsen (de vraag gaat van deze agenda af)", COPY: "Kopiëren"}


def _choice(value: str, options: dict, message: str) -> str:
    if value not in options:
        raise ValidationError(message)
    return value


def _date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    raise ValidationError("Deze datum klopt niet. Schrijf bijvoorbeeld 24-02-2020.")


# --- matrix headings -----------------------------------------------------------------------------


def headings(region: Region) -> tuple[list[MatrixHeading], list[MatrixHeading]]:
    """The region's system aspects (rows) and actor groups (columns), in order."""
    rows = db.session.scalars(
        select(MatrixHeading)
        .where(MatrixHeading.region_id == region.id)
        .order_by(MatrixHeading.position, MatrixHeading.id)
    ).all()
    return [h for h in rows if h.axis == ASPECT], [h for h in rows if h.axis == ACTOR]


def seed_defaults(region: Region) -> None:
    """Fill an empty matrix with the default aspects and actor groups."""
    aspects, actors = headings(region)
    if aspects or actors:
        raise ValidationError("Deze regio heeft al systeemaspecten of actorgroepen.")
    for axis, names in ((ASPECT, DEFAULT_ASPECTS), (ACTOR, DEFAULT_ACTORS)):
        for position, name in enumerate(names):
            db.session.add(
                MatrixHeading(region_id=region.id, axis=axis, name=name, position=position)
            )
    db.session.flush()
    log.info("default matrix headings added to region %s", region.id)


def _heading_name(region_id: int, axis: str, name: str, exclude: int | None = None) -> str:
    name = " ".join(clean_text(name, limit=120, what="de naam", required=True).split())
    query = select(MatrixHeading.id).where(
        MatrixHeading.region_id == region_id,
        MatrixHeading.axis == axis,
        func.lower(MatrixHeading.name) == name.lower(),
    )
    if exclude is not None:
        query = query.where(MatrixHeading.id != exclude)
    if db.session.scalar(query) is not None:
        raise ValidationError(f"‘{name}’ staat al in de lijst.")
    return name


def add_heading(region: Region, *, axis: str, name: str) -> MatrixHeading:
    _choice(axis, AXES, "Kies een systeemaspect of een actorgroep.")
    name = _heading_name(region.id, axis, name)
    count, highest = db.session.execute(
        select(func.count(MatrixHeading.id), func.max(MatrixHeading.position)).where(
            MatrixHeading.region_id == region.id, MatrixHeading.axis == axis
        )
    ).one()
    if count >= MAX_HEADINGS:
        raise ValidationError(f"Een lijst heeft hoogstens {MAX_HEADINGS} namen.")
    heading = MatrixHeading(region_id=region.id, axis=axis, name=name, position=(highest or 0) + 1)
    db.session.add(heading)
    db.session.flush()
    log.info("matrix heading %s (%s) added to region %s", heading.id, axis, region.id)
    return heading


def rename_heading(heading: MatrixHeading, *, name: str, lock_version: int | None) -> None:
    check_lock(
        heading,
        lock_version,
        "Iemand anders heeft deze naam intussen gewijzigd.",
        current=heading.name,
    )
    heading.name = _heading_name(heading.region_id, heading.axis, name, exclude=heading.id)
    db.session.flush()
    log.info("matrix heading %s renamed", heading.id)


def delete_heading(heading: MatrixHeading) -> None:
    column = BarrierItem.aspect_id if heading.axis == ASPECT else BarrierItem.actor_id
    if db.session.scalar(select(func.count(BarrierItem.id)).where(column == heading.id)):
        raise ValidationError(
            f"Bij ‘{heading.name}’ staan nog items. Verplaats of verwijder die eerst."
        )
    db.session.delete(heading)
    db.session.flush()
    log.info("matrix heading %s deleted", heading.id)


# --- barrier items -------------------------------------------------------------------------------


def _item_fields(region_id: int, fields: dict) -> dict:
    result = {}
    for key, axis in (("aspect_id", ASPECT), ("actor_id", ACTOR)):
        if key in fields:
            heading = db.session.get(MatrixHeading, fields[key]) if fields[key] else None
            if heading is None or heading.region_id != region_id or heading.axis != axis:
                what = "systeemaspect" if axis == ASPECT else "actorgroep"
                raise ValidationError(f"Kies een {what} van deze regio.")
            result[key] = heading.id
    if "kind" in fields:
        result["kind"] = _choice(fields["kind"], ITEM_KINDS, "Kies: barrière of kans.")
    if "description" in fields:
        result["description"] = clean_text(
            fields["description"], limit=MAX_TEXT, what="de beschrijving", required=True
        )
    if "source" in fields:
        result["source"] = _choice(
            fields["source"],
            SOURCES,
            "Kies de bron: werksessie, interview, observatie of document.",
        )
    if "status" in fields:
        result["status"] = _choice(
            fields["status"], ITEM_STATUSES, "Kies de status: actief, afgenomen of opgeheven."
        )
    for key in ("noted_on", "status_on"):
        if key in fields:
            result[key] = _date(fields[key])
    return result


def create_item(region: Region, **fields) -> BarrierItem:
    fields.setdefault("kind", "barriere")
    fields.setdefault("source", "werksessie")
    fields.setdefault("status", "actief")
    fields.setdefault("description", "")
    for key in ("aspect_id", "actor_id"):
        fields.setdefault(key, None)
    values = _item_fields(region.id, fields)
    item = BarrierItem(region_id=region.id, **values)
    if item.noted_on is None:
        item.noted_on = date.today()
    db.session.add(item)
    db.session.flush()
    log.info("barrier item %s (%s) added to region %s", item.id, item.kind, region.id)
    return item


def update_item(item: BarrierItem, *, lock_version: int | None, **fields) -> BarrierItem:
    check_lock(
        item,
        lock_version,
        "Iemand anders heeft dit item intussen gewijzigd. Uw wijziging is niet opgeslagen.",
        current=item.description,
    )
    values = _item_fields(item.region_id, fields)
    if values.get("status", item.status) != item.status and not values.get("status_on"):
        values["status_on"] = date.today()
    for key, value in values.items():
        setattr(item, key, value)
    db.session.flush()
    log.info("barrier item %s updated", item.id)
    return item


def delete_item(item: BarrierItem) -> None:
    if db.session.scalar(select(func.count(Decision.id)).where(Decision.item_id == item.id)):
        raise ValidationError(
            "Over dit item zijn besluiten vastgelegd; het blijft daarom bewaard. "
            "Zet de status op ‘opgeheven’."
        )
    db.session.delete(item)
    db.session.flush()
    log.info("barrier item %s deleted", item.id)


# --- links between threads and items -------------------------------------------------------------


def link_thread(thread: Thread, item: BarrierItem, *, note: str = "") -> BarrierLink:
    """Link a question thread to a barrier item of the same region (never to a wording)."""
    if item.region_id != thread.region_id:
        raise ValidationError("Kies een item uit de systeemanalyse van deze regio.")
    note = clean_text(note, limit=500, what="de toelichting")
    exists = db.session.scalar(
        select(BarrierLink.id).where(
            BarrierLink.thread_id == thread.id, BarrierLink.item_id == item.id
        )
    )
    if exists is not None:
        raise ValidationError(f"Deze vraag is al gekoppeld aan {item.code}.")
    link = BarrierLink(region_id=thread.region_id, thread_id=thread.id, item_id=item.id, note=note)
    db.session.add(link)
    db.session.flush()
    log.info("thread %s linked to barrier item %s", thread.id, item.id)
    return link


def unlink(link: BarrierLink) -> None:
    db.session.delete(link)
    db.session.flush()
    log.info("link %s between thread %s and item %s removed", link.id, link.thread_id, link.item_id)


# --- milestones ----------------------------------------------------------------------------------


def _milestone_fields(fields: dict) -> dict:
    result = {}
    if "title" in fields:
        result["title"] = clean_text(fields["title"], limit=300, what="de mijlpaal", required=True)
    if "description" in fields:
        result["description"] = clean_text(
            fields["description"], limit=MAX_TEXT, what="de toelichting"
        )
    if "term" in fields:
        result["term"] = clean_text(fields["term"], limit=120, what="de termijn")
    if "status" in fields:
        result["status"] = _choice(fields["status"], MILESTONE_STATUSES, "Kies een status.")
    if "due_on" in fields:
        result["due_on"] = _date(fields["due_on"])
    return result


def create_milestone(region: Region, **fields) -> Milestone:
    fields.setdefault("title", "")
    milestone = Milestone(region_id=region.id, **_milestone_fields(fields))
    db.session.add(milestone)
    db.session.flush()
    log.info("milestone %s added to region %s", milestone.id, region.id)
    return milestone


def update_milestone(milestone: Milestone, *, lock_version: int | None, **fields) -> Milestone:
    check_lock(
        milestone,
        lock_version,
        "Iemand anders heeft deze mijlpaal intussen gewijzigd. Uw wijziging is niet opgeslagen.",
        current=milestone.title,
    )
    for key, value in _milestone_fields(fields).items():
        setattr(milestone, key, value)
    db.session.flush()
    log.info("milestone %s updated", milestone.id)
    return milestone


def delete_milestone(milestone: Milestone) -> None:
    if db.session.scalar(
        select(func.count(Decision.id)).where(Decision.milestone_id == milestone.id)
    ):
        raise ValidationError(
            "Over deze mijlpaal zijn besluiten vastgelegd; hij blijft daarom bewaard. "
            "Zet de status op ‘losgelaten’."
        )
    db.session.delete(milestone)
    db.session.flush()
    log.info("milestone %s deleted", milestone.id)


def add_precondition(milestone: Milestone, *, text: str) -> Precondition:
    text = clean_text(text, limit=MAX_TEXT, what="de randvoorwaarde", required=True)
    position = max((p.position for p in milestone.preconditions), default=0) + 1
    precondition = Precondition(
        region_id=milestone.region_id, milestone_id=milestone.id, position=position, text=text
    )
    milestone.preconditions.append(precondition)
    db.session.flush()
    return precondition


def delete_precondition(precondition: Precondition) -> None:
    db.session.delete(precondition)
    db.session.flush()


def _action_fields(fields: dict) -> dict:
    result = {}
    if "text" in fields:
        result["text"] = clean_text(fields["text"], limit=MAX_TEXT, what="de actie", required=True)
    if "owner" in fields:
        result["owner"] = clean_text(fields["owner"], limit=200, what="wie het doet")
    if "term" in fields:
        result["term"] = clean_text(fields["term"], limit=120, what="de termijn")
    if "status" in fields:
        result["status"] = _choice(fields["status"], ACTION_STATUSES, "Kies: open, bezig of klaar.")
    return result


def add_action(milestone: Milestone, **fields) -> MilestoneAction:
    fields.setdefault("text", "")
    position = max((a.position for a in milestone.actions), default=0) + 1
    action = MilestoneAction(
        region_id=milestone.region_id,
        milestone_id=milestone.id,
        position=position,
        **_action_fields(fields),
    )
    milestone.actions.append(action)
    db.session.flush()
    return action


def update_action(action: MilestoneAction, *, lock_version: int | None, **fields) -> None:
    check_lock(
        action,
        lock_version,
        "Iemand anders heeft deze actie intussen gewijzigd. Uw wijziging is niet opgeslagen.",
        current=f"{action.text} ({action.status_label})",
    )
    for key, value in _action_fields(fields).items():
        setattr(action, key, value)
    db.session.flush()


def delete_action(action: MilestoneAction) -> None:
    db.session.delete(action)
    db.session.flush()


def link_milestone(
    milestone: Milestone, *, thread: Thread | None = None, item: BarrierItem | None = None
) -> MilestoneLink:
    """Link a milestone to a question thread or a barrier item of its region."""
    if (thread is None) == (item is None):
        raise ValidationError("Kies een leervraag of een item uit de systeemanalyse.")
    target = thread or item
    if target.region_id != milestone.region_id:
        raise ValidationError("Kies iets uit deze regio.")
    column, value = (
        (MilestoneLink.thread_id, thread.id) if thread else (MilestoneLink.item_id, item.id)
    )
    exists = db.session.scalar(
        select(MilestoneLink.id).where(MilestoneLink.milestone_id == milestone.id, column == value)
    )
    if exists is not None:
        raise ValidationError("Deze koppeling bestaat al.")
    link = MilestoneLink(
        region_id=milestone.region_id,
        milestone_id=milestone.id,
        thread_id=thread.id if thread else None,
        item_id=item.id if item else None,
    )
    db.session.add(link)
    db.session.flush()
    return link


def unlink_milestone(link: MilestoneLink) -> None:
    db.session.delete(link)
    db.session.flush()


# --- decisions -----------------------------------------------------------------------------------


def _decision_fields(fields: dict) -> dict:
    result = {}
    if "decided_on" in fields:
        decided_on = _date(fields["decided_on"])
        if decided_on is None:
            raise ValidationError("Vul de datum van het besluit in.")
        result["decided_on"] = decided_on
    if "kind" in fields:
        result["kind"] = _choice(fields["kind"], DECISION_KINDS, "Kies: besluit of verzoek.")
    if "text" in fields:
        result["text"] = clean_text(
            fields["text"], limit=MAX_TEXT, what="het besluit", required=True
        )
    if "follow_up" in fields:
        result["follow_up"] = clean_text(fields["follow_up"], limit=MAX_TEXT, what="het vervolg")
    if "status" in fields:
        result["status"] = _choice(fields["status"], DECISION_STATUSES, "Kies een status.")
    if "owner" in fields:
        result["owner"] = clean_text(fields["owner"] or "", limit=200, what="de eigenaar")
    if "due_on" in fields:
        result["due_on"] = _date(fields["due_on"])
    return result


def record_decision(
    region: Region,
    *,
    author=None,
    item: BarrierItem | None = None,
    milestone: Milestone | None = None,
    **fields,
) -> Decision:
    """The taskforce records a decision or request on a barrier item or a milestone."""
    if (item is None) == (milestone is None):
        raise ValidationError("Een besluit hoort bij één barrière of één mijlpaal.")
    if (item or milestone).region_id != region.id:
        raise ValidationError("Kies een barrière of mijlpaal van deze regio.")
    fields.setdefault("decided_on", None)
    fields.setdefault("text", "")
    decision = Decision(
        region_id=region.id,
        item_id=item.id if item else None,
        milestone_id=milestone.id if milestone else None,
        author_name=getattr(author, "name", "") or "",
        **_decision_fields(fields),
    )
    db.session.add(decision)
    note_follow_up(decision, author, decision.decided_on)
    db.session.flush()
    log.info(
        "decision %s recorded in region %s by %s",
        decision.id,
        region.id,
        getattr(author, "id", "systeem"),
    )
    return decision


def update_decision(
    decision: Decision, *, lock_version: int | None, author=None, **fields
) -> Decision:
    check_lock(
        decision,
        lock_version,
        "Iemand anders heeft dit besluit intussen gewijzigd. Uw wijziging is niet opgeslagen.",
        current=f"{decision.status_label}: {decision.follow_up or decision.text}",
    )
    for key, value in _decision_fields(fields).items():
        setattr(decision, key, value)
    note_follow_up(decision, author)
    db.session.flush()
    log.info("decision %s updated", decision.id)
    return decision


# --- escalation ----------------------------------------------------------------------------------


def escalation_source(thread: Thread) -> Wording | None:
    """The thread's wording in the latest published version of an agenda (one query)."""
    newest_published = (
        select(func.max(_LATEST.number))
        .where(_LATEST.agenda_id == Version.agenda_id, _LATEST.status == PUBLISHED)
        .correlate(Version)
        .scalar_subquery()
    )
    return db.session.scalar(
        select(Wording)
        .join(Version, Version.id == Wording.version_id)
        .where(
            Wording.thread_id == thread.id,
            Version.status == PUBLISHED,
            Version.number == newest_published,
        )
        .options(contains_eager(Wording.version))
        .order_by(Wording.id.desc())
        .limit(1)
    )


def escalate(
    thread: Thread, target: Agenda, *, mode: str = MOVE, note: str = "", author=None
) -> tuple[Version, Wording]:
    """Move (a *verplaatst* transition) or copy a question to another agenda of the region.

    Moving records the transition in the concept version of the question's own agenda
    (started when there is none); copying puts the same thread in the target agenda's
    concept version while the question stays where it is (with a comment on the thread
    when ``author`` is given). Either way the thread is kept.
    Returns the target concept version and the wording there.
    """
    _choice(mode, ESCALATION_MODES, "Kies: verplaatsen of kopiëren.")
    if target.region_id != thread.region_id:
        raise ValidationError("Kies een agenda van deze regio.")
    note = clean_text(note, limit=MAX_TEXT, what="de toelichting")
    source = escalation_source(thread)
    if source is None:
        raise ValidationError(
            "Deze vraag staat niet (meer) in de laatste vastgestelde versie van een agenda. "
            "Alleen een vraag die op de agenda staat kan worden geëscaleerd."
        )
    if source.version.agenda_id == target.id:
        raise ValidationError("De vraag staat al op deze agenda. Kies een andere agenda.")
    if mode == MOVE:
        own = agendas.concept_version(source.version.agenda) or agendas.create_version(
            source.version.agenda
        )
        transition = transitions.set_transition(
            own, source, MOVE, target_agenda=target, note=note or "Geëscaleerd."
        )
        moved = transition.targets[0]
        log.info("thread %s escalated (moved) to agenda %s", thread.id, target.id)
        return moved.version, moved
    destination = agendas.concept_version(target) or agendas.create_version(target)
    if any(w.thread_id == thread.id for w in destination.wordings):
        raise ValidationError("Deze vraag staat al in de conceptversie van die agenda.")
    group = destination.groups[0]
    copy = agendas.copy_wording(source, destination, group)
    copy.position = max((w.position for w in destination.wordings if w is not copy), default=0) + 1
    agendas.relabel(group, destination.wordings)
    db.session.flush()
    if author is not None:
        agendas.add_comment(
            region_id=thread.region_id,
            author=author,
            body=f"Gekopieerd naar ‘{target.title}’." + (f" {note}" if note else ""),
            thread_id=thread.id,
        )
    log.info("thread %s escalated (copied) to agenda %s", thread.id, target.id)
    return destination, copy
