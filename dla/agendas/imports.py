"""Import of an existing DLA: link its questions to earlier ones and save it as a version.

Nothing is linked without a person's confirmation: :func:`suggest_links` proposes,
:func:`import_version` saves what was confirmed, all or nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select

from dla.agendas import lineage, parsing, queries, services
from dla.agendas.models import (
    CONCEPT,
    KEEP,
    MERGE,
    PUBLISHED,
    REWORD,
    SPLIT,
    Agenda,
    SubQuestion,
    Thread,
    Transition,
    Version,
    VersionGroup,
    Wording,
)
from dla.errors import ValidationError
from dla.extensions import db
from dla.regions.models import Region
from dla.validation import clean_text

log = logging.getLogger(__name__)


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
        .where(Wording.id.in_(latest), queries.without_transition(MERGE))
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
    previous = services.latest_published(agenda) if agenda is not None else None
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
    previous = services.latest_published(agenda)
    version = services.create_version(agenda, created_by_id=created_by_id, **meta)
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
            title=clean_text(title, limit=services.MAX_TITLE_LENGTH, what="de naam van de groep"),
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
        text, stem = services.clean_question(question.text, question.shared_stem)
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
        services.apply_text(wording, text, stem)
        for index, sub in enumerate(question.subquestions, start=1):
            sub = clean_text(sub, limit=services.MAX_QUESTION_LENGTH, what="de deelvraag")
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
