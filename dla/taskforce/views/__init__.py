"""The taskforce's pages, one module per sub-resource on the one ``taskforce`` blueprint:
the start page (``start``), the digest since a date (``digest``), the decisions and
actions register (``register``) and the programme view across regions (``programme``).
All of them only read; decisions are recorded on the analysis pages.
"""

from flask import Blueprint

from dla.security import allow_chart_styles

bp = Blueprint("taskforce", __name__)
bp.after_request(allow_chart_styles)

# The sub-modules register their routes on ``bp``.
from dla.taskforce.views import digest, programme, register, start  # noqa: E402

__all__ = ["bp", "digest", "programme", "register", "start"]
