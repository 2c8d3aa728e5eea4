"""The werksessie report as files: CSV rows and a Word document. Pure: plain data in
(``werksessies.queries.report_document``), bytes out through ``dla.tabular`` and python-docx."""

from __future__ import annotations

import io

from dla.tabular import to_csv

CSV_COLUMNS = [
    "soort",
    "agenda",
    "vraag",
    "tekst",
    "keuze of status",
    "toelichting of reden",
    "staat nog",
    "is opgelost",
    "steun",
    "rol",
]


def report_rows(doc: dict) -> list[dict]:
    """One row per question of the walk (with its votes and decision) and per new question
    (with what happened to it: accepted, merged, not accepted, parked or untreated)."""
    rows = [
        {
            "soort": "vraag van de agenda",
            "agenda": q["agenda"],
            "vraag": q["label"],
            "tekst": q["text"],
            "keuze of status": q["decision"],
            "toelichting of reden": q["note"],
            "staat nog": q["still"],
            "is opgelost": q["solved"],
        }
        for q in doc["questions"]
    ]
    rows += [
        {
            "soort": "nieuwe vraag",
            "tekst": n["text"],
            "keuze of status": n["status"],
            "toelichting of reden": n["reason"],
            "steun": n["upvotes"],
            "rol": n["role"],
        }
        for n in doc["new"]
    ]
    return rows


def report_csv(doc: dict) -> bytes:
    return to_csv(report_rows(doc), CSV_COLUMNS)


def report_docx(doc: dict) -> bytes:
    """The report as a Word document, in Dutch: counts, decisions per question, new questions."""
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.core_properties.title = f"Verslag {doc['title']}"
    document.core_properties.language = "nl-NL"
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(f"Verslag: {doc['title']}", level=1)
    document.add_paragraph(f"{doc['kind']} op {doc['date']}.")
    for title, number in doc["versions"]:
        document.add_paragraph(
            f"{title}: " + (f"versie {number} (concept)" if number else "geen nieuwe versie")
        )
    document.add_heading(f"Deelnemers per rol ({doc['participants']})", level=2)
    for label, count in doc["by_role"]:
        document.add_paragraph(f"{label}: {count}", style="List Bullet")
    document.add_heading("Besluiten", level=2)
    for label, count in doc["decisions"]:
        document.add_paragraph(f"{label}: {count}", style="List Bullet")
    if doc["undecided"]:
        document.add_paragraph(f"Nog geen keuze: {doc['undecided']}", style="List Bullet")
    document.add_heading("Per vraag", level=2)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("Vraag", "Keuze", "Staat nog", "Is opgelost"), strict=True
    ):
        cell.text = text
    for q in doc["questions"]:
        cells = table.add_row().cells
        cells[0].text = f"{q['label']}. {q['text']}"
        cells[1].text = q["decision"] + (f" ({q['note']})" if q["note"] else "")
        cells[2].text = str(q["still"])
        cells[3].text = str(q["solved"])
    document.add_heading("Nieuwe vragen van deelnemers", level=2)
    if not doc["new"]:
        document.add_paragraph("Geen.")
    for n in doc["new"]:
        extra = [n["status"]]
        if n["reason"]:
            extra.append(f"reden: {n['reason']}")
        if n["upvotes"]:
            extra.append(f"{n['upvotes']}× gesteund")
        document.add_paragraph(f"{n['text']} ({'; '.join(extra)})", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
