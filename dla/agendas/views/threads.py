"""A learning question (thread) through all its versions."""

from flask import url_for

from dla import htmx
from dla.agendas import queries, services
from dla.agendas.models import DROP_REASONS, TRANSITIONS, Version
from dla.agendas.views import bp
from dla.analysis.panels import thread_panel_context
from dla.auth.loaders import get_thread_or_404
from dla.auth.permissions import access
from dla.caching import pages
from dla.citations import queries as citation_queries
from dla.extensions import db
from dla.measurements import queries as measurement_queries
from dla.regions.models import Region


@bp.get("/leervragen/<int:thread_id>")
def thread(thread_id: int):
    thread = get_thread_or_404(thread_id)
    return pages.page(lambda: _thread(thread), region_id=thread.region_id, objects=(thread,))


def _thread(thread):
    region = db.session.get(Region, thread.region_id)
    rights = access()
    entries = queries.thread_history(thread, rights.readable_versions(region.id, Version))
    for entry in entries:
        if entry.transition is not None and not rights.can_read_version(entry.transition.version):
            entry.transition = None  # decided in a version the viewer may not read
    related = queries.related_threads(thread)
    merged_in = queries.merged_into_this(thread)
    # Related questions are shown when the viewer may read one of their wordings.
    shown = queries.threads_with_wordings_in(
        [t.id for group in related.values() for t in group] + [w.thread_id for w in merged_in],
        rights.readable_version_ids(region.id),
    )
    related = {key: [t for t in group if t.id in shown] for key, group in related.items()}
    merged_in = [
        w for w in merged_in if w.thread_id in shown and rights.can_read_version(w.version)
    ]
    figures = queries.persistence_map(region, [thread.id], rights.readable_versions(region.id)).get(
        thread.id
    )
    return htmx.render(
        "agendas/thread.html",
        **thread_panel_context(thread, entries[-1].wording.barrier),
        thread=thread,
        region=region,
        entries=entries,
        comments=services.comments_for(thread_id=thread.id),
        comment_url=url_for("agendas.comment_thread", thread_id=thread.id),
        figures=figures,
        related=related,
        merged_in=merged_in,
        indicators=measurement_queries.thread_indicators(thread.id),
        quotations=citation_queries.thread_quotations(
            thread.id, rights.readable_versions(region.id, Version)
        )
        if rights.can_read_quotations(region.id)
        else [],
        transitions=TRANSITIONS,
        drop_reasons=DROP_REASONS,
    )
