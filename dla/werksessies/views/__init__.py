"""Pages and htmx endpoints of werksessie mode, one module per audience and step.

Two audiences. The projectleider plans, opens, leads (the facilitator screen) and closes a
session; taskforce and onderzoekers may read it and its report (unless it reviewed a
restricted version they may not read: then it does not exist for them). Participants reach the
session only with its code (``/doe-mee``, ``/w/<code>``): with their account, or without
one when the projectleider allowed it. A participant is remembered by a signed cookie;
CSRF protection applies to them like to everyone else.

- ``sessions``: the list, plan, edit, delete, the session page, open and close;
- ``facilitator``: the control view (walk, focus, decisions, moderation, erasure, timer);
- ``audience``: the audience view for the projector (no controls, no names, no queue);
- ``phone``: the participants' routes by code (``@public``: no login);
- ``report``: report, handout and what changed, once the session has closed.
"""

from inspect import isfunction

from flask import Blueprint

from dla.security import is_public

bp = Blueprint("werksessies", __name__)

# The route modules register on ``bp``: imported after it exists.
from dla.werksessies.views import audience, facilitator, phone, report, sessions  # noqa: E402

# Reachable with a session code, without logging in (the routes marked @public).
PARTICIPANT_ENDPOINTS = {
    f"{bp.name}.{name}"
    for name, view in vars(phone).items()
    if isfunction(view) and is_public(view)
}

__all__ = [
    "PARTICIPANT_ENDPOINTS",
    "audience",
    "bp",
    "facilitator",
    "phone",
    "report",
    "sessions",
]
