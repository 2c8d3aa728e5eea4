"""Pages and htmx endpoints of the system analysis, one module per sub-resource on the one
``analysis`` blueprint: the matrix and its headings (``matrix``), cells and barrier items
(``items``), links from questions to items and escalation (``links``), the persistent-barriers
view (``persistent``), milestones (``milestones``) and taskforce decisions (``decisions``).

Everybody in the region reads; the projectleider edits the matrix, links and milestones;
the taskforce records decisions. Views parse input, call one service, save through
``dla.errors.saving``, render.
"""

from flask import Blueprint

bp = Blueprint("analysis", __name__)

# The sub-modules register their routes on ``bp``.
from dla.analysis.views import (  # noqa: E402
    decisions,
    items,
    links,
    matrix,
    milestones,
    persistent,
)

__all__ = ["bp", "decisions", "items", "links", "matrix", "milestones", "persistent"]
