"""The workspace of a version: what its page and every mutation of a concept show.

A mutation answers htmx with the refreshed workspace fragment (questions, decisions,
publish readiness) and a plain form post with a redirect; a refused plain post gets the
whole version page with the messages.
"""

from flask import request, url_for

from dla import htmx
from dla.agendas import comparison, queries, services, transitions
from dla.agendas.forms import QuestionForm
from dla.agendas.history import CATEGORY_LABELS, summarise
from dla.agendas.models import CONCEPT, DROP_REASONS, TRANSITIONS, Version
from dla.auth import services as auth_services
from dla.auth.loaders import get_version_or_404
from dla.auth.permissions import access
from dla.errors import saving
from dla.forms import choices


def group_choices(version: Version):
    return choices((g.id, g.title or "Vragen") for g in version.groups)


def changes_since(version: Version, previous: Version | None) -> Version | None:
    """The version the changelog compares with: the previous published version, or when
    the viewer may not read that one, the latest earlier published version they may read."""
    rights = access()
    if previous is None or rights.can_read_version(previous):
        return previous
    return queries.published_before(version, rights.readable_versions(version.agenda.region_id))


def workspace_context(version: Version, **extra) -> dict:
    rights = access()
    previous = services.previous_version(version)
    since = changes_since(version, previous)
    if previous is not None and not rights.can_read_version(previous):
        previous = None  # its questions (and their transitions) stay with its readers
    wordings = services.ordered_wordings(version)
    context = {
        "version": version,
        "agenda": version.agenda,
        "previous": previous,
        "wordings": wordings,
        "groups": version.groups,
        "transitions": TRANSITIONS,
        "drop_reasons": DROP_REASONS,
        "add_form": None,
        "category_labels": CATEGORY_LABELS,
        "can_edit": access().can_edit_version(version),
        "can_add": access().can_add_question(version),
    }
    previous_wordings = (
        queries.load_wordings(previous) if version.status == CONCEPT and previous else None
    )
    context["changes_since"] = since
    context["changes"] = (
        comparison.compare_versions(
            since,
            version,
            rights.readable_version_ids(version.agenda.region_id),
            old_wordings=previous_wordings if since is previous else None,
            new_wordings=wordings,
        )
        if since
        else []
    )
    context["change_counts"] = summarise(context["changes"])
    if version.status == CONCEPT:
        add_form = extra.pop("add_form", None) or QuestionForm(formdata=None, id_prefix="new-")
        add_form.group_id.choices = group_choices(version)
        context["add_form"] = add_form
        previous_wordings = previous_wordings or []
        context["previous_wordings"] = previous_wordings
        context["missing"] = {
            w.id
            for w in previous_wordings
            if w.transition is None or w.transition.version_id != version.id
        }
        context["returnable"] = (
            [
                w
                for w in transitions.returnable_threads(version, previous)
                if rights.can_read_version(w.version)
            ]
            if previous is not None
            else []
        )
    context.update(extra)
    return context


def page_context(version: Version, **extra) -> dict:
    """Everything the version page shows: the workspace, the versions, comments, members."""
    context = workspace_context(version, **extra)
    where = access().readable_versions(version.agenda.region_id, Version)
    context["versions"] = queries.agenda_versions(version.agenda_id, where)
    context["comments"] = services.comments_for(version_id=version.id)
    context["comment_url"] = url_for("agendas.comment_version", version_id=version.id)
    managing = access().can_manage_agenda(version.agenda.region_id)
    context["managing"] = managing
    if managing and version.distribution == "beperkt":
        context["version_members"] = auth_services.version_member_list(version)
        context["members"] = auth_services.region_members(version.agenda.region_id)
    return context


def workspace(version: Version, status: int = 200, **extra):
    """Answer a mutation: the workspace fragment for htmx, a redirect otherwise."""
    if not request.htmx:
        if status >= 400:
            return htmx.render("agendas/version.html", **page_context(version, **extra)), status
        return htmx.redirect(url_for("agendas.version", version_id=version.id))
    return htmx.render("agendas/_workspace.html", **workspace_context(version, **extra)), status


def save_change(version_id: int, change, *args, **kwargs):
    """Make one change to a concept version (``change(*args, **kwargs)``, a service) and
    answer with its refreshed workspace; a refusal is answered with its message."""
    with saving(refuse=True):
        change(*args, **kwargs)
    return workspace(get_version_or_404(version_id))
