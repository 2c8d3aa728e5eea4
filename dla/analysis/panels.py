"""The barrier panel of a question: its linked items, suggestions, milestones and the
escalation form. Shared by the question page (agendas), the werksessie facilitator screen
and the analysis views that swap the panel after a change.
"""

from dla.agendas.models import Thread
from dla.analysis import queries, services
from dla.analysis.forms import EscalationForm, LinkForm
from dla.auth.permissions import access


def thread_panel_context(thread: Thread, barrier: str, **extra) -> dict:
    """What the barrier panel on a question page needs, for ``barrier`` (the thread's
    barrier clause); ``extra`` may bring forms with errors and is passed on."""
    region_id = thread.region_id
    editing = access().can_edit_analysis(region_id)
    context = {
        "panel": queries.thread_panel(thread, barrier),
        "panel_thread": thread,
        "panel_editing": editing,
        "link_form": extra.pop("link_form", None) or LinkForm(formdata=None),
        "escalation_form": extra.pop("escalation_form", None) or EscalationForm(formdata=None),
        "escalation_agendas": [],
    }
    if editing:
        source = services.escalation_source(thread)
        context["escalation_agendas"] = [
            (a.id, a.choice_label)
            for a in queries.region_agendas(region_id)
            if source is None or a.id != source.version.agenda_id
        ]
        context["escalation_source"] = source
    context.update(extra)
    return context
