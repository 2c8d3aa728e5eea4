"""The begrippenlijst: add, change and remove terms. Services flush, never commit."""

from __future__ import annotations

import logging

from sqlalchemy import func, select

from dla.errors import ValidationError
from dla.extensions import db
from dla.glossary.models import MAX_DEFINITION_LENGTH, MAX_TERM_LENGTH, GlossaryTerm
from dla.regions.models import Region
from dla.validation import check_lock, clean_text

log = logging.getLogger(__name__)


def _clean(region_id: int, term: str, definition: str, *, besides: int | None = None):
    term = clean_text(term, limit=MAX_TERM_LENGTH, what="het begrip", required=True)
    term = " ".join(term.split())
    definition = clean_text(
        definition, limit=MAX_DEFINITION_LENGTH, what="de omschrijving", required=True
    )
    if not any(ch.isalnum() for ch in term):
        raise ValidationError("Een begrip moet letters of cijfers bevatten.")
    query = select(GlossaryTerm.id).where(
        GlossaryTerm.region_id == region_id, func.lower(GlossaryTerm.term) == term.lower()
    )
    if besides is not None:
        query = query.where(GlossaryTerm.id != besides)
    if db.session.scalar(query) is not None:
        raise ValidationError(f"‘{term}’ staat al in de begrippenlijst.")
    return term, definition


def create_term(region: Region, *, term: str, definition: str) -> GlossaryTerm:
    term, definition = _clean(region.id, term, definition)
    made = GlossaryTerm(region_id=region.id, term=term, definition=definition)
    db.session.add(made)
    db.session.flush()
    log.info("glossary term %s added in region %s", made.id, region.id)
    return made


def update_term(
    item: GlossaryTerm, *, term: str, definition: str, lock_version: int | None
) -> GlossaryTerm:
    check_lock(item, lock_version, "Iemand anders heeft dit begrip intussen gewijzigd.")
    item.term, item.definition = _clean(item.region_id, term, definition, besides=item.id)
    db.session.flush()
    log.info("glossary term %s changed", item.id)
    return item


def delete_term(item: GlossaryTerm) -> None:
    db.session.delete(item)
    db.session.flush()
    log.info("glossary term %s removed", item.id)
