"""The digest as plain lines (shared by the .docx) and as a Word document. Pure: plain
data in, bytes out (``digest_document`` turns the query results into plain data)."""

from __future__ import annotations

import io
from datetime import date

from dla.forms import format_date
from dla.taskforce.digest import TRENDS


def digest_document(digests, since: date, today: date) -> dict:
    """Plain data of the digest: per region its sections, each a title and lines."""
    regions = []
    for d in digests:
        sections = [
            (
                "Nieuw hardnekkige barrières",
                [
                    f"{row.item.code}: {row.item.description} ({row.rank.hardnekkig} "
                    f"hardnekkige vragen; niveaus: {', '.join(row.rank.levels)})"
                    for row in d.persistent
                ],
            ),
            (
                "Naar het niveau van de taskforce gebracht",
                [
                    f"{e.label}. {e.text} (op {e.agenda} sinds {format_date(e.day)}; "
                    f"eerder op {', '.join(e.from_agendas)})"
                    for e in d.escalated
                ],
            ),
            (
                "Mijlpalen die eraan komen of te laat zijn",
                [
                    f"{m.milestone.title}: {m.milestone.status_label}, termijn "
                    f"{m.milestone.term or '-'}"
                    + (f" (uiterlijk {format_date(m.deadline)})" if m.deadline else "")
                    + (" – TE LAAT" if m.state == "te_laat" else " – binnenkort")
                    for m in d.milestones
                ],
            ),
            (
                "Besluiten die op vervolg wachten",
                [
                    f"{o.decision.kind_label} van {format_date(o.decision.decided_on)}: "
                    f"{o.decision.text} – eigenaar: {o.decision.owner or 'niet genoemd'}"
                    + (f", uiterlijk {format_date(o.decision.due_on)}" if o.decision.due_on else "")
                    + (" – TE LAAT" if o.overdue else "")
                    + f" ({o.target})"
                    for o in d.decisions
                ],
            ),
            (
                "Verloop per barrière",
                [
                    f"{TRENDS[t.trend]}: {t.row.item.code}: {t.row.item.description}"
                    for t in d.trends
                ],
            ),
        ]
        regions.append({"name": d.region.name, "sections": sections})
    return {
        "title": "Taskforce-overzicht",
        "since": format_date(since),
        "today": format_date(today),
        "regions": regions,
    }


def digest_docx(document_data: dict) -> bytes:
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.core_properties.title = document_data["title"]
    document.core_properties.language = "nl-NL"
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(document_data["title"], level=1)
    document.add_paragraph(
        f"Wat er veranderde sinds {document_data['since']} (gemaakt op {document_data['today']})."
    )
    for region in document_data["regions"]:
        document.add_heading(region["name"], level=2)
        for title, lines in region["sections"]:
            document.add_heading(title, level=3)
            if not lines:
                document.add_paragraph("Niets sinds deze datum.")
            for line in lines:
                document.add_paragraph(line, style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
