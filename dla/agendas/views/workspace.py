"""The workspace of a version: what its page and every mutation of a concept show.

A mutation answers htmx with the refreshed workspace fragment (questions, decisions,
publish readiness) and a plain form post with a redirect; a refused plain post gets the
whole version page with the messages.

Adding a question, the most frequent change while a session is under way, answers with
what it changed only (``question_added``): the new question, a fresh form and the list of
changes. The rest of the workspace stays as the person left it (an editor they opened, a
sub-question they were typing). The add form carries ``list_state``, a digest of the
question list it was shown with; when others changed the list since, the answer says so and
offers to show the whole list again. When the new question changes more than its own line
(the first one of its group), the whole workspace is the answer.
"""

import hashlib

from flask import make_response, request, url_for

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


def list_state(version: Version, leave_out: int | None = None) -> str:
    """A digest of the question list as the workspace shows it: every question (any change
    to its row bumps ``lock_version``: text, label, group, position), its sub-questions and
    the groups. ``leave_out``: a question to count as not there."""
    questions = sorted(
        (w.id, w.group_id, w.lock_version, tuple((s.id, s.label, s.text) for s in w.subquestions))
        for w in version.wordings
        if w.id != leave_out
    )
    groups = sorted((g.id, g.title, g.label_style) for g in version.groups)
    return hashlib.sha256(repr((questions, groups)).encode()).hexdigest()[:20]


def changes_context(
    version: Version, since: Version | None, wordings: list, previous_wordings=None
) -> dict:
    """The list of changes since ``since`` (``changes_since``); ``previous_wordings``: its
    questions when already loaded."""
    rights = access()
    changes = (
        comparison.compare_versions(
            since,
            version,
            rights.readable_version_ids(version.agenda.region_id),
            old_wordings=previous_wordings,
            new_wordings=wordings,
        )
        if since
        else []
    )
    return {"changes_since": since, "changes": changes, "change_counts": summarise(changes)}


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
    context.update(
        changes_context(version, since, wordings, previous_wordings if since is previous else None)
    )
    if version.status == CONCEPT:
        context.update(add_context(version, extra.pop("add_form", None)))
        previous_wordings = previous_wordings or []
        context["previous_wordings"] = previous_wordings
        context["missing"] = {
            w.id
            for w in previous_wordings
            if w.transition is None or w.transition.version_id != version.id
        }
        # Only editors see (and may use) the questions that can come back.
        context["returnable"] = (
            [
                w
                for w in transitions.returnable_threads(version, previous)
                if rights.can_read_version(w.version)
            ]
            if previous is not None and context["can_edit"]
            else []
        )
    context.update(extra)
    return context


def add_context(version: Version, add_form: QuestionForm | None = None) -> dict:
    """What the form for a new question needs: an empty form (or the refused one) and the
    state of the list it is shown with."""
    add_form = add_form or QuestionForm(formdata=None, id_prefix="new-")
    add_form.group_id.choices = group_choices(version)
    return {"add_form": add_form, "list_state": list_state(version)}


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


def add_form_refused(version: Version, form: QuestionForm):
    """A refused new question: htmx gets the form with its messages (the rest of the
    workspace stays as it is), a plain post the whole page."""
    if not request.htmx:
        return workspace(version, 422, add_form=form)
    context = {"version": version, "wordings": version.wordings, **add_context(version, form)}
    return htmx.render("agendas/_add_question.html", **context), 422


def question_added(version: Version, added, *, before: str, seen: str | None):
    """Answer a new question (see the module's docstring): ``added``, just committed to
    ``version``, both as loaded under the version's lock (``saving(keep_loaded=True)``).
    ``before``: the list's state just before it was added; ``seen``: the state the person's
    form was shown with."""
    if not request.htmx:
        return workspace(version)
    wordings = services.ordered_wordings(version)
    members = [w for w in wordings if w.group_id == added.group_id]
    if (
        len(members) < 2
        or members[-1] is not added
        or list_state(version, leave_out=added.id) != before
    ):
        # The new question changed more than its own line (the first of its group, other
        # questions renumbered): the whole workspace, in place of the form it was sent from.
        response = make_response(workspace(version))
        response.headers["HX-Retarget"] = "#workspace"
        response.headers["HX-Reswap"] = "outerHTML"
        return response
    context = {
        "version": version,
        "wording": added,
        "wordings": wordings,
        "previous_stem": members[-2].shared_stem,
        "added": added,
        "outdated": seen != before,
        "category_labels": CATEGORY_LABELS,
        **add_context(version),
        **changes_context(
            version, changes_since(version, services.previous_version(version)), wordings
        ),
    }
    return htmx.render("agendas/_question_added.html", **context)


def save_change(version_id: int, change, *args, **kwargs):
    """Make one change to a concept version (``change(*args, **kwargs)``, a service) and
    answer with its refreshed workspace; a refusal is answered with its message."""
    with saving(refuse=True):
        change(*args, **kwargs)
    return workspace(get_version_or_404(version_id))
