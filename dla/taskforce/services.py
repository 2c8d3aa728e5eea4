"""Changes the taskforce pages bring: a decision's follow-up history. Flushes, never commits
(the analysis services that record and update decisions call it)."""

from __future__ import annotations

from datetime import date

from dla.analysis.models import Decision, DecisionFollowUp


def note_follow_up(decision: Decision, author=None, day: date | None = None) -> None:
    """Keep the decision's current follow-up as a new entry of its history (nothing is
    overwritten); nothing when it is empty or the same as the latest entry."""
    if not decision.follow_up:
        return
    history = decision.follow_ups
    if history and history[-1].text == decision.follow_up and history[-1].status == decision.status:
        return
    decision.follow_ups.append(
        DecisionFollowUp(
            region_id=decision.region_id,
            written_on=day or date.today(),
            text=decision.follow_up,
            status=decision.status,
            author_name=getattr(author, "name", "") or "",
        )
    )
