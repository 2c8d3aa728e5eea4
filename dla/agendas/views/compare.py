"""Two versions of an agenda side by side: what stayed, changed, came and went."""

from flask import abort, render_template, request
from markupsafe import Markup

from dla import htmx
from dla.agendas import comparison, queries
from dla.agendas.history import CATEGORY_LABELS, summarise
from dla.agendas.models import Version
from dla.agendas.views import bp
from dla.auth.loaders import get_agenda_or_404
from dla.auth.permissions import access
from dla.caching import fragments, pages
from dla.caching.models import PUBLISHED
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
    error = ""
    if old is not None and new is not None and old.id == new.id:
        error = "Kies twee verschillende versies."
    elif old is not None and new is not None and old.number > new.number:
        old, new = new, old

    def comparison_of() -> dict:
        rows = []
        if old is not None and new is not None and not error:
            rows = comparison.compare_versions(
                old, new, access().readable_version_ids(agenda.region_id)
            )
        return {
            "old": old,
            "new": new,
            "rows": rows,
            "counts": summarise(rows),
            "category_labels": CATEGORY_LABELS,
            "error": error,
        }

    if all(v is not None and v.is_published for v in (old, new)):
        # Two published versions never change: shared by everyone who may read the same.
        result = fragments.shared(
            "agendas/_compare.html",
            (old.id, new.id, error),
            comparison_of,
            region_id=agenda.region_id,
            topics=(PUBLISHED,),
        )
    else:
        result = Markup(render_template("agendas/_compare.html", **comparison_of()))
    status = 422 if error else 200
    if htmx.is_fragment_request():
        return result, status
    return htmx.render(
        "agendas/compare.html",
        agenda=agenda,
        versions=versions,
        old=old,
        new=new,
        result=result,
    ), status
