"""The taskforce digest: what changed since a date, per region; a page to print and a .docx."""

from flask import Response, url_for

from dla.auth.permissions import access
from dla.htmx import render
from dla.taskforce import documents, queries
from dla.taskforce.digest import TRENDS
from dla.taskforce.views import bp
from dla.taskforce.views.common import chosen_since, digest_regions, today


def _digests():
    regions = digest_regions()
    since, problem = chosen_since([r.id for r in regions])
    rights = access()
    digests = [queries.region_digest(region, since, rights, today()) for region in regions]
    return regions, since, problem, digests


@bp.get("/taskforce/overzicht")
def digest():
    regions, since, problem, digests = _digests()
    params = {"regio": [r.id for r in regions], "sinds": since.strftime("%d-%m-%Y")}
    return render(
        "taskforce/digest.html",
        digests=digests,
        since=since,
        problem=problem,
        today=today(),
        trends=TRENDS,
        share_url=url_for("taskforce.digest", _external=True, **params),
        docx_url=url_for("taskforce.digest_docx", **params),
    ), (422 if problem else 200)


@bp.get("/taskforce/overzicht.docx")
def digest_docx():
    _regions, since, _problem, digests = _digests()
    body = documents.digest_docx(documents.digest_document(digests, since, today()))
    return Response(
        body,
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={
            "Content-Disposition": (
                f'attachment; filename="taskforce-overzicht-{since.isoformat()}.docx"'
            )
        },
    )
