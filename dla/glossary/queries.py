"""Read-only queries of the begrippenlijst."""

from __future__ import annotations

from sqlalchemy import select

from dla.extensions import db
from dla.glossary.models import GlossaryTerm


def region_terms(region_id: int) -> list[GlossaryTerm]:
    return list(
        db.session.scalars(
            select(GlossaryTerm)
            .where(GlossaryTerm.region_id == region_id)
            .order_by(GlossaryTerm.term, GlossaryTerm.id)
        )
    )
