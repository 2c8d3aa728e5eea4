"""The taskforce's pages, one module per sub-resource on the one ``taskforce`` blueprint:
the start page (``start``), the digest since a date (``digest``), the decisions and
actions register (``register``) and the programme view across regions (``programme``).
All of them only read; decisions are recorded on the analysis pages.
"""

from flask import Blueprint

from dla.security import allow_chart_styles

bp = Blueprint("taskforce", __name__)
bp.after_request(allow_chart_styles)


@bp.app_template_global()
def milestone_late(milestone) -> bool:
    """Past its deadline (explicit, or read from the free-text term) and not finished."""
    from datetime import date

    from dla.taskforce.queries import FINISHED_MILESTONE, milestone_deadline

    limit = milestone_deadline(milestone)
    return milestone.status not in FINISHED_MILESTONE and limit is not None and limit < date.today()


# The sub-modules register their routes on ``bp``.
from dla.taskforce.views import digest, programme, register, start  # noqa: E402

__all__ = ["bp", "digest", "programme", "register", "start"]
