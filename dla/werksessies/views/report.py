"""After the session: the report, the handout of the new versions and what changed."""

from __future__ import annotations

from dla import htmx
from dla.agendas import comparison
from dla.agendas import services as agenda_services
from dla.agendas.history import CATEGORY_LABELS, summarise
from dla.agendas.models import TRANSITIONS
from dla.auth.loaders import get_session_or_404
from dla.auth.permissions import access
from dla.errors import DomainError
from dla.werksessies import queries
from dla.werksessies.models import CLOSED, CONTRIBUTION_STATUSES, Werksessie
from dla.werksessies.views import bp

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class NotYet(DomainError):
    status = 409


def _closed(ws: Werksessie) -> None:
    if ws.status != CLOSED:
        raise NotYet("Dit is er pas als de sessie is afgesloten.")


def _concepts(ws: Werksessie):
    """The concept versions the session made that the current user may read."""
    rights = access()
    for link in ws.agendas:
        version = (
            agenda_services.load_version(link.concept_version_id)
            if link.concept_version_id
            else None
        )
        if version is not None and rights.can_read_version(version):
            yield link, version


@bp.get("/werksessies/<int:werksessie_id>/verslag")
def report(werksessie_id: int):
    ws = get_session_or_404(werksessie_id)
    _closed(ws)
    return htmx.render(
        "werksessies/report_print.html",
        ws=ws,
        report=queries.report(ws),
        statuses=CONTRIBUTION_STATUSES,
        transitions=TRANSITIONS,
    )


@bp.get("/werksessies/<int:werksessie_id>/hand-out")
def handout(werksessie_id: int):
    """The new version(s) as printable DLA documents (the export layout)."""
    from dla.exports import services as export_services
    from dla.exports import writers

    ws = get_session_or_404(werksessie_id)
    _closed(ws)
    documents = []
    for _link, version in _concepts(ws):
        document = export_services.version_document(version)
        documents.append(
            {"version": version, "document": document, "lines": writers.document_lines(document)}
        )
    return htmx.render("werksessies/handout.html", ws=ws, documents=documents)


@bp.get("/werksessies/<int:werksessie_id>/wat-is-veranderd")
def changes(werksessie_id: int):
    """One page per agenda: what the session changed (the agendas compare)."""
    ws = get_session_or_404(werksessie_id)
    _closed(ws)
    pages = []
    for link, version in _concepts(ws):
        old = link.source_version
        rows = comparison.compare_versions(old, version) if old is not None else []
        pages.append(
            {
                "agenda": link.agenda,
                "old": old,
                "new": version,
                "rows": rows,
                "counts": summarise(rows),
            }
        )
    return htmx.render(
        "werksessies/changes.html", ws=ws, pages=pages, category_labels=CATEGORY_LABELS
    )


@bp.get("/werksessies/<int:werksessie_id>/verslag.<fmt>")
def report_file(werksessie_id: int, fmt: str):
    """The report as .docx or .csv: votes, decisions, new, untreated and parked questions."""
    from flask import abort, make_response

    from dla.exports import session_report

    ws = get_session_or_404(werksessie_id)
    _closed(ws)
    if fmt not in ("docx", "csv"):
        abort(404)
    doc = queries.report_document(ws)
    if fmt == "csv":
        data, mimetype = session_report.report_csv(doc), "text/csv"
    else:
        data, mimetype = session_report.report_docx(doc), DOCX
    response = make_response(data)
    response.headers["Content-Type"] = mimetype + ("; charset=utf-8" if fmt == "csv" else "")
    response.headers["Content-Disposition"] = f'attachment; filename="verslag-{ws.id}.{fmt}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
