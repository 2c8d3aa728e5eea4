"""Read side of the room: what the audience view (projector) shows and the accepted new
questions the phones list with their support. Plain data, a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import func, select

from dla.agendas.models import Wording
from dla.db import utcnow
from dla.extensions import db
from dla.werksessies.models import ACCEPTED, Contribution, Upvote, Werksessie
from dla.werksessies.queries import Tally, fingerprint, tallies


@dataclass
class Audience:
    """What the projector shows: never names, never the moderation queue."""

    focus: Wording | None
    agenda_title: str
    tally: Tally
    revealed: bool
    accepted: int
    latest: list[str]
    timer_left: int | None
    stand: str


def audience(ws: Werksessie, stand: str | None = None) -> Audience:
    stand = stand or fingerprint(ws)  # first: see queries.fingerprint
    focus = db.session.get(Wording, ws.focus_wording_id) if ws.focus_wording_id else None
    titles = {link.source_version_id: link.agenda.title for link in ws.agendas}
    revealed = focus is not None and ws.revealed_wording_id == focus.id
    tally = tallies(ws.id, focus.id).get(focus.id, Tally()) if focus else Tally()
    latest = db.session.scalars(
        select(Contribution.text)
        .where(Contribution.werksessie_id == ws.id, Contribution.status == ACCEPTED)
        .order_by(Contribution.id.desc())
        .limit(3)
    ).all()
    accepted = db.session.scalar(
        select(func.count(Contribution.id)).where(
            Contribution.werksessie_id == ws.id, Contribution.status == ACCEPTED
        )
    )
    timer_left = None
    if ws.timer_ends_at is not None:
        ends = ws.timer_ends_at
        if ends.tzinfo is None:  # SQLite gives naive datetimes back
            ends = ends.replace(tzinfo=UTC)
        timer_left = max(0, int((ends - utcnow()).total_seconds()))
    return Audience(
        focus=focus,
        agenda_title=titles.get(focus.version_id, "") if focus else "",
        tally=tally,
        revealed=revealed,
        accepted=accepted or 0,
        latest=list(latest),
        timer_left=timer_left,
        stand=stand,
    )


@dataclass
class Shared:
    """An accepted new question as the phones list it: text and support, never who."""

    id: int
    text: str
    upvotes: int
    mine: bool
    supported: bool


def shared_questions(werksessie_id: int, participant_id: int) -> list[Shared]:
    """The accepted new questions, the most supported first (two statements)."""
    rows = db.session.execute(
        select(
            Contribution.id,
            Contribution.text,
            Contribution.participant_id,
            select(func.count(Upvote.id))
            .where(Upvote.contribution_id == Contribution.id)
            .correlate(Contribution)
            .scalar_subquery(),
        )
        .where(Contribution.werksessie_id == werksessie_id, Contribution.status == ACCEPTED)
        .order_by(Contribution.id)
    ).all()
    supported = set(
        db.session.scalars(
            select(Upvote.contribution_id).where(Upvote.participant_id == participant_id)
        )
    )
    shared = [
        Shared(cid, text, count or 0, owner == participant_id, cid in supported)
        for cid, text, owner, count in rows
    ]
    shared.sort(key=lambda s: -s.upvotes)
    return shared
