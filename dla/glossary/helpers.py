"""The template helper that marks the region's terms in a question text (see ``markup``)."""

from __future__ import annotations

import itertools

from flask import g
from markupsafe import Markup

from dla.glossary import queries
from dla.glossary.markup import mark_terms


def marked(text: str, region_id: int) -> Markup:
    """``text`` as safe HTML with the region's terms marked; the terms are read once per
    request, and every tooltip gets a page-unique id."""
    cache = g.setdefault("glossary_terms", {})
    if region_id not in cache:
        cache[region_id] = {t.term: t.definition for t in queries.region_terms(region_id)}
    counter = g.setdefault("glossary_ids", itertools.count(1))
    return mark_terms(text, cache[region_id], lambda: f"begrip-tip-{next(counter)}")
