"""Pages and htmx endpoints for agendas, versions, questions and transitions.

One blueprint, ``agendas``; one module per sub-resource registers its routes on it. Views
parse input, call a service inside ``dla.errors.saving`` and render. Every mutation on a
concept version answers htmx with the refreshed workspace fragment (questions, decisions,
publish readiness, see ``workspace``); plain form posts get a redirect.
"""

from flask import Blueprint

from dla.errors import saving

bp = Blueprint("agendas", __name__)


def save(change, *args, **kwargs):
    """Call a service and commit what it changed. A refusal (a ``DomainError``) is rolled
    back and answered by the app's handler with its Dutch message (htmx-aware)."""
    with saving() as saved:
        result = change(*args, **kwargs)
    if not saved.ok:
        raise saved.error
    return result


# Loading the modules registers their routes on ``bp``.
from dla.agendas.views import (  # noqa: E402, F401
    agendas,
    comments,
    compare,
    imports,
    members,
    questions,
    threads,
    transitions,
    versions,
)
