"""Parts of pages that every reader of the same versions shares: rendered once per change of
what they show, not once per person.

A page as a whole is one viewer's (``dla.caching.pages``): it shows their name and the
controls of their role, so it is built again for every person after every change in its
region. Most of its weight, though, is published content: the question list of an agenda,
the comparison of two published versions. Such a part is an underscore partial (the same
template htmx swaps in) rendered here through ``store.cached`` with the stamps of the kinds
of content it shows (``topics``: published versions, the system analysis) and the set of
versions the viewer may read: a comment, a question added to a concept or a decision taken in
it leaves it alone, and a person who may read less never gets a part built for a member.

The partial must show nothing else of the viewer: no name, no controls that depend on the
role, no form with a CSRF token (a token in the output is refused: the part is then not
stored).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import render_template, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from dla.caching import store


class ViewerSpecific(RuntimeError):
    """A shared part held something of one viewer (their CSRF token)."""


def shared(
    template: str,
    key_parts: tuple,
    context: Callable[[], dict],
    *,
    region_id: int,
    topics: tuple[str, ...],
) -> Markup:
    """``template`` rendered with ``context()``, once per ``key_parts`` (the filters, ids and
    date it depends on), readable set and stamps of ``topics`` of the region."""

    def build() -> str:
        html = render_template(template, **context())
        if generate_csrf() in html:
            raise ViewerSpecific(f"{template} holds a CSRF token: it cannot be shared")
        return html

    parts = ("fragment", template, request.script_root, *key_parts)
    return Markup(store.cached(parts, build, region_id=region_id, topics=topics))
