"""Comments on a learning question or on a version (also a published one)."""

from flask import request, url_for
from flask_login import current_user

from dla import htmx
from dla.agendas import services
from dla.agendas.views import bp
from dla.auth.loaders import get_thread_or_404, get_version_or_404
from dla.errors import saving


def _comment(region_id: int, page_url: str, post_url: str, **target):
    """Add a comment and answer with the refreshed comments (or the page, without htmx)."""
    with saving() as saved:
        services.add_comment(
            region_id=region_id, author=current_user, body=request.form.get("body", ""), **target
        )
    error = saved.message or None
    if not request.htmx and error is None:
        return htmx.redirect(page_url)
    return htmx.render(
        "agendas/_comments.html",
        comments=services.comments_for(**target),
        comment_url=post_url,
        comment_error=error,
    ), (422 if error else 200)


@bp.post("/leervragen/<int:thread_id>/reacties")
def comment_thread(thread_id: int):
    thread = get_thread_or_404(thread_id, "comment")
    return _comment(
        thread.region_id,
        url_for("agendas.thread", thread_id=thread.id),
        url_for("agendas.comment_thread", thread_id=thread.id),
        thread_id=thread.id,
    )


@bp.post("/versies/<int:version_id>/reacties")
def comment_version(version_id: int):
    version = get_version_or_404(version_id, "comment")
    return _comment(
        version.agenda.region_id,
        url_for("agendas.version", version_id=version.id),
        url_for("agendas.comment_version", version_id=version.id),
        version_id=version.id,
    )
