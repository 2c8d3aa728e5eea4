"""What the analysis views share: the rights they check, loaders and the page flags."""

from datetime import date

from dla.analysis.forms import DecisionForm
from dla.analysis.models import ACTION_STATUSES, DECISION_STATUSES
from dla.auth.loaders import get_in_region_or_404, get_region_or_404
from dla.auth.permissions import access
from dla.regions.models import Region

# Policy methods (``Access.can_<need>``) the loaders check.
READ, EDIT, DECIDE = "read_region", "edit_analysis", "decide"


def load_region(region_id: int, need: str = READ) -> Region:
    return get_region_or_404(region_id, need)


def load(model, object_id: int, need: str = READ):
    """An object of the analysis (item, link, milestone…) in a region the person may ``need``."""
    return get_in_region_or_404(model, object_id, need)


def rights(region_id: int) -> dict:
    """The flags and labels every analysis page uses to show or hide its controls."""
    return {
        "editing": access().can_edit_analysis(region_id),
        "deciding": access().can_decide(region_id),
        "decision_statuses": DECISION_STATUSES,
        "action_statuses": ACTION_STATUSES,
    }


def decision_form(formdata=None) -> DecisionForm:
    """The taskforce's decision form: from the request, or empty with today's date."""
    if formdata is not None:
        return DecisionForm(formdata=formdata)
    form = DecisionForm(formdata=None)
    form.decided_on.data = date.today()
    return form
