"""Pages and htmx endpoints for agendas, versions, questions and transitions.

One blueprint, ``agendas``; one module per sub-resource registers its routes on it. Views
parse input, call a service inside ``dla.errors.saving`` and render. Every mutation on a
concept version answers htmx with the refreshed workspace fragment (questions, decisions,
publish readiness, see ``workspace``); plain form posts get a redirect.
"""

from flask import Blueprint

bp = Blueprint("agendas", __name__)


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
