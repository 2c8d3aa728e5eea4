"""Two versions of an agenda side by side: what stayed, changed, came and went."""

from flask import abort, request

from dla import htmx
from dla.agendas import comparison, queries
from dla.agendas.history import CATEGORY_LABELS, summarise
from dla.agendas.models import Version
from dla.agendas.views import bp
from dla.auth.loaders import get_agenda_or_404
from dla.auth.permissions import access
from dla.caching import pages
from dla.forms import to_int


@bp.get("/agendas/<int:agenda_id>/vergelijken")
def compare(agenda_id: int):
    agenda = get_agenda_or_404(agenda_id)
    return pages.page(lambda: _compare(agenda), region_id=agenda.region_id, objects=(agenda,))


def _compare(agenda):
    where = access().readable_versions(agenda.region_id, Version)
    versions = queries.agenda_versions(agenda.id, where)
    by_id = {v.id: v for v in versions}
    old = by_id.get(to_int(request.args.get("van")))
    new = by_id.get(to_int(request.args.get("naar")))
    if (request.args.get("van") and old is None) or (request.args.get("naar") and new is None):
        abort(404)
    if old is None and new is None and len(versions) >= 2:
        old, new = versions[-2], versions[-1]
    rows = []
    error = ""
    if old is not None and new is not None:
        if old.id == new.id:
            error = "Kies twee verschillende versies."
        else:
            if old.number > new.number:
                old, new = new, old
            rows = comparison.compare_versions(
                old, new, access().readable_version_ids(agenda.region_id)
            )
    return htmx.render(
        "agendas/compare.html",
        "agendas/_compare.html",
        agenda=agenda,
        versions=versions,
        old=old,
        new=new,
        rows=rows,
        counts=summarise(rows),
        category_labels=CATEGORY_LABELS,
        error=error,
    ), (422 if error else 200)
