"""Read side of werksessies: a constant number of queries per screen, as plain data.

The live endpoints (facilitator poll, participant poll) are called every second or two by
every screen in the room, so they first compare a cheap fingerprint of the session's
state and only build the fragment when something changed.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import func, select

from dla.agendas import queries as agenda_queries
from dla.agendas.lineage import Matcher
from dla.agendas.models import TRANSITIONS, Agenda, Version, Wording
from dla.db import shared_alias
from dla.extensions import db
from dla.privacy import pii_warnings
from dla.werksessies.models import (
    ACCEPTED,
    MERGED,
    NEW,
    PARKED,
    PARTICIPANT_ROLES,
    REJECTED,
    SOLVED,
    STILL,
    Contribution,
    Participant,
    SessionDecision,
    Upvote,
    Vote,
    Werksessie,
)
from dla.werksessies.services import walk_wordings

# Built once: SQLAlchemy memoizes the alias's column adaptation on the object.
_SOURCE = shared_alias(Version, "source")


def fingerprint(ws: Werksessie) -> str:
    """One statement whose result changes whenever a live panel would change.

    Call it *before* reading what the panel shows: a change that lands after it then makes
    the next poll differ, so a screen can never keep a stand that is newer than its
    content. The session's own columns come from ``ws`` as this request loaded it, the
    object the panel is rendered from, for the same reason (under PostgreSQL's read
    committed each statement may see a newer state than the one before).
    """
    werksessie_id = ws.id

    def scalar(column, model):
        return select(column).where(model.werksessie_id == werksessie_id).scalar_subquery()

    row = db.session.execute(
        select(
            scalar(func.count(Contribution.id), Contribution),
            scalar(func.coalesce(func.sum(Contribution.lock_version), 0), Contribution),
            scalar(func.count(Vote.id), Vote),
            scalar(func.max(Vote.updated_at), Vote),
            scalar(func.count(SessionDecision.id), SessionDecision),
            scalar(func.coalesce(func.sum(SessionDecision.lock_version), 0), SessionDecision),
            scalar(func.count(Participant.id), Participant),
            scalar(func.count(Upvote.id), Upvote),
        )
    ).one()
    own = (ws.focus_wording_id, ws.status, ws.revealed_wording_id, ws.timer_ends_at)
    raw = "|".join(str(value) for value in (*row, *own))
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


@dataclass
class Tally:
    still: int = 0
    solved: int = 0

    @property
    def total(self) -> int:
        return self.still + self.solved


@dataclass
class Incoming:
    """A question in the moderation queue: its sender only by role (never a name: the
    control view may end up on a projector too), its personal-data warnings, and the
    likely duplicates among the questions already accepted."""

    contribution: Contribution
    role_label: str
    pii: tuple[str, ...] = ()
    duplicates: list[Contribution] = field(default_factory=list)


@dataclass
class Live:
    """What the facilitator's live panel shows."""

    incoming: list[Incoming]
    handled: list[Incoming]
    tally: Tally
    focus_id: int | None
    decided: int
    participants: int


def _incoming(werksessie_id: int) -> list[Incoming]:
    rows = db.session.execute(
        select(Contribution, Participant.role, Participant.display_name)
        .outerjoin(Participant, Participant.id == Contribution.participant_id)
        .where(Contribution.werksessie_id == werksessie_id)
        .order_by(Contribution.id)
    ).all()
    return [
        Incoming(contribution, PARTICIPANT_ROLES.get(role or "", role or ""))
        for contribution, role, _name in rows
    ]


# A waiting question this similar (lineage score, 0..1) to an accepted one is suggested as
# a likely duplicate to merge with.
DUPLICATE_THRESHOLD = 0.45


# Suggestions are made for the first questions of the queue against the latest accepted ones:
# a score costs about half a millisecond, and the panel is rendered on every change.
DUPLICATE_WAITING = 8
DUPLICATE_ACCEPTED = 60
# Without a corpus every word weighs the same: a handful of questions is too few for document
# frequencies (words the pair shares would weigh nothing). The matcher keeps the profiles it
# made: it is renewed now and then so that a long-running process does not grow.
_MATCHER = {"matcher": Matcher(), "uses": 0}


@lru_cache(maxsize=20_000)
def duplicate_score(a: str, b: str) -> float:
    """The lineage similarity of two questions (0..1), remembered per pair of texts."""
    if _MATCHER["uses"] >= 5_000:
        _MATCHER.update(matcher=Matcher(), uses=0)
    _MATCHER["uses"] += 1
    matcher = _MATCHER["matcher"]
    return matcher.scores(matcher.profile(a), matcher.profile(b))[0]


def with_duplicates(waiting: list[Incoming], accepted: list[Contribution]) -> None:
    """Fill in the warnings of the waiting questions and, for the first ones, the likely
    duplicates among the accepted questions (at most three, the most similar first)."""
    recent = accepted[-DUPLICATE_ACCEPTED:]
    for index, entry in enumerate(waiting):
        text = entry.contribution.text
        entry.pii = pii_warnings(text) or pii_warnings(entry.contribution.original_text)
        if index >= DUPLICATE_WAITING:
            continue
        agenda_id = entry.contribution.agenda_id
        scored = [
            (duplicate_score(text, other.text), other)
            for other in recent
            if agenda_id is None or other.agenda_id == agenda_id
        ]
        scored = [pair for pair in scored if pair[0] >= DUPLICATE_THRESHOLD]
        scored.sort(key=lambda pair: -pair[0])
        entry.duplicates = [other for _score, other in scored[:3]]


def tallies(werksessie_id: int, wording_id: int | None = None) -> dict[int, Tally]:
    query = (
        select(Vote.wording_id, Vote.value, func.count(Vote.id))
        .where(Vote.werksessie_id == werksessie_id)
        .group_by(Vote.wording_id, Vote.value)
    )
    if wording_id is not None:
        query = query.where(Vote.wording_id == wording_id)
    result: dict[int, Tally] = defaultdict(Tally)
    for wid, value, count in db.session.execute(query):
        if value == STILL:
            result[wid].still = count
        elif value == SOLVED:
            result[wid].solved = count
    return result


def live(ws: Werksessie) -> Live:
    """The live panel: four statements whatever the number of participants."""
    items = _incoming(ws.id)
    counts = db.session.execute(
        select(
            select(func.count(SessionDecision.id))
            .where(SessionDecision.werksessie_id == ws.id)
            .scalar_subquery(),
            participant_count(ws.id),
        )
    ).one()
    tally = tallies(ws.id, ws.focus_wording_id).get(ws.focus_wording_id, Tally())
    waiting = [i for i in items if i.contribution.status == NEW]
    with_duplicates(waiting, [i.contribution for i in items if i.contribution.status == ACCEPTED])
    return Live(
        incoming=waiting,
        handled=[i for i in items if i.contribution.status != NEW],
        tally=tally,
        focus_id=ws.focus_wording_id,
        decided=counts[0],
        participants=counts[1],
    )


def participant_count(werksessie_id: int):
    """People, not devices: one account on two phones counts once (anonymous ones each)."""
    accounts = (
        select(func.count(func.distinct(Participant.user_id)))
        .where(Participant.werksessie_id == werksessie_id)
        .scalar_subquery()
    )
    anonymous = (
        select(func.count(Participant.id))
        .where(Participant.werksessie_id == werksessie_id, Participant.user_id.is_(None))
        .scalar_subquery()
    )
    return accounts + anonymous


# --- the facilitator screen ----------------------------------------------------------------


@dataclass
class WalkItem:
    wording: Wording
    agenda_title: str
    decision: SessionDecision | None
    previous: Wording | None
    persistence: object | None
    tally: Tally


@dataclass
class Walk:
    items: list[WalkItem]
    by_id: dict[int, WalkItem] = field(default_factory=dict)

    @property
    def decided(self) -> int:
        return sum(1 for item in self.items if item.decision is not None)

    def index_of(self, wording_id: int | None) -> int:
        for index, item in enumerate(self.items):
            if item.wording.id == wording_id:
                return index
        return 0


def walk(ws: Werksessie) -> Walk:
    """Every question to discuss, with its decision, earlier wording, persistence and votes."""
    wordings = walk_wordings(ws)
    decisions = {
        d.wording_id: d
        for d in db.session.scalars(
            select(SessionDecision).where(SessionDecision.werksessie_id == ws.id)
        )
    }
    titles = {link.source_version_id: link.agenda.title for link in ws.agendas}
    # The wording of the same thread in the version before the walked one (reworded or not).
    previous: dict[int, Wording] = {}
    source_ids = [link.source_version_id for link in ws.agendas if link.source_version_id]
    if wordings:
        earlier = db.session.execute(
            select(Wording, Version.number)
            .join(Version, Version.id == Wording.version_id)
            .join(_SOURCE, _SOURCE.agenda_id == Version.agenda_id)
            .where(
                _SOURCE.id.in_(source_ids),
                Version.number < _SOURCE.number,
                Version.status == "vastgesteld",
                Wording.thread_id.in_({w.thread_id for w in wordings}),
            )
            .order_by(Version.number)
        ).all()
        for wording, _number in earlier:
            previous[wording.thread_id] = wording  # the last one wins: the latest earlier
    persistence = (
        agenda_queries.persistence_map(ws.region, [w.thread_id for w in wordings])
        if wordings
        else {}
    )
    votes = tallies(ws.id)
    items = [
        WalkItem(
            wording=w,
            agenda_title=titles.get(w.version_id, ""),
            decision=decisions.get(w.id),
            previous=previous.get(w.thread_id),
            persistence=persistence.get(w.thread_id),
            tally=votes.get(w.id, Tally()),
        )
        for w in wordings
    ]
    return Walk(items=items, by_id={item.wording.id: item for item in items})


@dataclass
class OverviewRow:
    wording_id: int
    label: str
    text: str
    kind: str | None
    agenda_title: str = ""


def walk_overview(ws: Werksessie) -> list[OverviewRow]:
    """Every question of the walk with its decision (if any), for the live panel."""
    wordings = walk_wordings(ws)
    kinds = dict(
        db.session.execute(
            select(SessionDecision.wording_id, SessionDecision.kind).where(
                SessionDecision.werksessie_id == ws.id
            )
        ).all()
    )
    titles = {link.source_version_id: link.agenda.title for link in ws.agendas}
    return [
        OverviewRow(w.id, w.label, w.full_text, kinds.get(w.id), titles.get(w.version_id, ""))
        for w in wordings
    ]


# --- the report ----------------------------------------------------------------------------


@dataclass
class Report:
    participants: int
    by_role: list[tuple[str, int]]
    anonymous: int
    decisions: list[tuple[str, int]]
    undecided: int
    contributions: dict[str, int]
    accepted: list[Contribution]
    merged: list[Contribution]
    rejected: list[Contribution]
    unhandled: list[Contribution]
    walk: Walk
    parked: list[Contribution] = field(default_factory=list)
    upvotes: dict[int, int] = field(default_factory=dict)


def report(ws: Werksessie) -> Report:
    """The session report: who took part (by role), what was decided, what came in."""
    participants = db.session.execute(
        select(Participant.role, Participant.user_id).where(Participant.werksessie_id == ws.id)
    ).all()
    # People, not devices: an account that joined on two phones counts once.
    seen: set[int] = set()
    people = []
    for role, user in participants:
        if user is not None:
            if user in seen:
                continue
            seen.add(user)
        people.append((role, user))
    participants = people
    roles = Counter(role for role, _user in participants)
    the_walk = walk(ws)
    kinds = Counter(item.decision.kind for item in the_walk.items if item.decision)
    contributions = db.session.scalars(
        select(Contribution).where(Contribution.werksessie_id == ws.id).order_by(Contribution.id)
    ).all()
    status = Counter(c.status for c in contributions)
    return Report(
        participants=len(participants),
        by_role=[(label, roles[key]) for key, label in PARTICIPANT_ROLES.items() if roles.get(key)],
        anonymous=sum(1 for _role, user in participants if user is None),
        decisions=[(label, kinds[key]) for key, label in TRANSITIONS.items() if kinds.get(key)],
        undecided=len(the_walk.items) - the_walk.decided,
        contributions={
            "total": len(contributions),
            ACCEPTED: status.get(ACCEPTED, 0),
            MERGED: status.get(MERGED, 0),
            REJECTED: status.get(REJECTED, 0),
            NEW: status.get(NEW, 0),
            PARKED: status.get(PARKED, 0),
        },
        accepted=[c for c in contributions if c.status == ACCEPTED],
        merged=[c for c in contributions if c.status == MERGED],
        rejected=[c for c in contributions if c.status == REJECTED],
        unhandled=[c for c in contributions if c.status == NEW],
        walk=the_walk,
        parked=[c for c in contributions if c.status == PARKED],
        upvotes=dict(
            db.session.execute(
                select(Upvote.contribution_id, func.count(Upvote.id))
                .where(Upvote.werksessie_id == ws.id)
                .group_by(Upvote.contribution_id)
            ).all()
        ),
    )


# --- lists the pages show --------------------------------------------------------------------


def region_sessions(region_id: int, readable=None) -> list[Werksessie]:
    """The region's sessions, newest first; ``readable``: a condition on ``Werksessie`` that
    hides those the user may not read (None: all)."""
    query = select(Werksessie).where(Werksessie.region_id == region_id)
    if readable is not None:
        query = query.where(readable)
    return db.session.scalars(
        query.order_by(Werksessie.session_date.desc(), Werksessie.id.desc())
    ).all()


def region_agendas(region_id: int, *, by_level: bool = False) -> list[Agenda]:
    """The region's agendas by title (by level first with ``by_level``)."""
    order = (Agenda.level, Agenda.title) if by_level else (Agenda.title,)
    return db.session.scalars(
        select(Agenda).where(Agenda.region_id == region_id).order_by(*order)
    ).all()


def accepted_contributions(werksessie_id: int, *, but: int | None = None) -> list[Contribution]:
    """The questions the facilitator accepted, in the order they came in (without ``but``)."""
    query = select(Contribution).where(
        Contribution.werksessie_id == werksessie_id, Contribution.status == ACCEPTED
    )
    if but is not None:
        query = query.where(Contribution.id != but)
    return db.session.scalars(query.order_by(Contribution.id)).all()


def contributions_of(participant_id: int) -> list[Contribution]:
    """What a participant added, newest first."""
    return db.session.scalars(
        select(Contribution)
        .where(Contribution.participant_id == participant_id)
        .order_by(Contribution.id.desc())
    ).all()


def vote_of(participant_id: int, wording_id: int) -> str | None:
    """A participant's vote on a question (its value), or None."""
    return db.session.scalar(
        select(Vote.value).where(
            Vote.participant_id == participant_id, Vote.wording_id == wording_id
        )
    )


def report_document(ws: Werksessie) -> dict:
    """The session report as plain data for the .docx and .csv files (no names: roles)."""
    from dla.forms import format_date

    data = report(ws)
    questions = [
        {
            "agenda": item.agenda_title,
            "label": item.wording.label,
            "text": item.wording.full_text,
            "decision": TRANSITIONS.get(item.decision.kind, item.decision.kind)
            if item.decision
            else "Nog geen keuze",
            "note": item.decision.note if item.decision else "",
            "still": item.tally.still,
            "solved": item.tally.solved,
        }
        for item in data.walk.items
    ]
    sections = (
        ("Overgenomen", data.accepted),
        ("Samengevoegd", data.merged),
        ("Niet overgenomen", data.rejected),
        ("Geparkeerd", data.parked),
        ("Niet behandeld", data.unhandled),
    )
    new = [
        {
            "status": title,
            "text": c.text,
            "reason": c.close_reason,
            "upvotes": data.upvotes.get(c.id, 0),
            "role": PARTICIPANT_ROLES.get(c.participant.role, "") if c.participant else "",
        }
        for title, rows in sections
        for c in rows
    ]
    return {
        "title": ws.title,
        "kind": ws.kind_label,
        "date": format_date(ws.session_date, "long"),
        "participants": data.participants,
        "by_role": data.by_role,
        "decisions": data.decisions,
        "undecided": data.undecided,
        "versions": [
            (link.agenda.title, link.concept_version.number if link.concept_version else None)
            for link in ws.agendas
        ],
        "questions": questions,
        "new": new,
    }
