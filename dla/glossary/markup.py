"""Mark the begrippenlijst's terms in a question text, with their definition as a tooltip.

Every occurrence of a term (case-insensitive, on word boundaries, the longest term first)
becomes a button that describes itself with the definition (``aria-describedby``): the
definition shows on hover and on keyboard focus, and screen readers read it. All text is
escaped here; nothing of the question or the definition is ever taken as markup. Pure: no
Flask, no database (``markupsafe`` only).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from markupsafe import Markup, escape

__all__ = ["mark_terms", "pattern"]


def pattern(terms: Iterable[str]) -> re.Pattern | None:
    """One regular expression for all terms, longest first, on word boundaries."""
    unique = sorted({t.strip() for t in terms if t and t.strip()}, key=lambda t: (-len(t), t))
    if not unique:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, t.split())) for t in unique)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def mark_terms(text: str, definitions: dict[str, str], next_id: Callable[[], str]) -> Markup:
    """``text`` as safe HTML with every term of ``definitions`` (term → definition) marked.

    ``next_id`` gives a page-unique id for each tooltip."""
    text = "" if text is None else str(text)
    found = pattern(definitions)
    if found is None:
        return escape(text)
    lookup = {" ".join(term.lower().split()): text for term, text in definitions.items()}
    parts: list[str] = []
    last = 0
    for match in found.finditer(text):
        definition = lookup.get(" ".join(match.group().lower().split()))
        if definition is None:
            continue
        tip = next_id()
        parts.append(escape(text[last : match.start()]))
        parts.append(
            Markup(
                '<span class="term"><button type="button" class="term-button" '
                'aria-describedby="{tip}">{word}</button><span role="tooltip" id="{tip}" '
                'class="term-tip">{definition}</span></span>'
            ).format(tip=tip, word=match.group(), definition=definition)
        )
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)
