"""The files for researchers: the XLSX workbook with its codebook, and the zip bundle of
every table (JSON, CSV, XLSX, codebook, codes for qualitative tools, REFI-QDA project and
codebook, schema, README).

Pure, like ``writers``: the export document in, file bytes out.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

from dla.exports.codebook import CODEBOOK_COLUMNS, codebook_rows
from dla.exports.qdpx import codebook_xml, project
from dla.exports.tables import TABLES
from dla.exports.writers import (
    BARRIER_COLUMNS,
    INDICATOR_COLUMNS,
    LONG_COLUMNS,
    OBSERVATION_COLUMNS,
    THREAD_COLUMNS,
    TRANSITION_COLUMNS,
    barrier_rows,
    codes_csv,
    indicator_rows,
    iter_long_rows,
    long_rows,
    observation_rows,
    thread_rows,
    to_json,
    transition_rows,
)
from dla.tabular import to_csv, to_xlsx

# --- codebook and workbook ----------------------------------------------------------------


def codebook_csv() -> bytes:
    """The codebook (every column of every table: type, allowed values, meaning) as CSV."""
    return to_csv(codebook_rows(), CODEBOOK_COLUMNS)


def _extra(document: dict) -> list[tuple[str, str, list[str], list[dict]]]:
    """The tables of ``tables``: (file stem, sheet, columns, rows)."""
    return [(name, sheet, columns, rows(document)) for name, sheet, columns, rows in TABLES]


def workbook(document: dict, *, today: date | None = None) -> bytes:
    """The standard XLSX export: Formuleringen, Leervragen, Overgangen, Barrières,
    Indicatoren, Waarnemingen, the tables of ``tables`` (Documenten … Besluiten) and the
    Codeboek. Dates are date cells."""
    sheets = {
        "Formuleringen": (LONG_COLUMNS, long_rows(document, today=today)),
        "Leervragen": (THREAD_COLUMNS, thread_rows(document, today=today)),
        "Overgangen": (TRANSITION_COLUMNS, transition_rows(document)),
        "Barrières": (BARRIER_COLUMNS, barrier_rows(document)),
        "Indicatoren": (INDICATOR_COLUMNS, indicator_rows(document)),
        "Waarnemingen": (OBSERVATION_COLUMNS, observation_rows(document)),
    }
    for _name, sheet, columns, rows in _extra(document):
        sheets[sheet] = (columns, rows)
    sheets["Codeboek"] = (CODEBOOK_COLUMNS, codebook_rows())
    return to_xlsx(
        {sheet: rows for sheet, (_columns, rows) in sheets.items()},
        {sheet: columns for sheet, (columns, _rows) in sheets.items()},
    )


# --- bundle ----------------------------------------------------------------------------------

BUNDLE_README = """\
DLA-werkplaats export bundle (format dla-werkplaats, version {version})
=====================================================================

Exported at: {exported_at}
Regions: {regions}
Author names included: {names}

Files
-----
README.txt                  This file.
{json_name:<27} The complete export (lossless; `flask dla restore` reads it back into
                            an empty database). Documented by {schema_name}.
{schema_name:<27} JSON Schema (draft 2020-12) of the JSON file.
formuleringen.csv           Long format: one row per question wording per version, with
                            thread id, transition, persistence figures and the barriers
                            linked to the thread.
leervragen.csv              One row per question thread (leervraag) with its figures.
overgangen.csv              One row per transition (what happened to a question).
barrieres.csv               One row per item of the system analysis (barrière or kans):
                            aspect, actor group, kind, status and linked thread ids.
indicatoren.csv             One row per indicator (meaningful measurement).
waarnemingen.csv            One row per observation of an indicator (aggregated values
                            and stories, never about a person).
documenten.csv              One row per version (document): agenda, level, audience,
                            number, dates, status, origin, distribution, and the GUID of
                            its source in the REFI-QDA project.
opmerkingen.csv             One row per comment on a question or version.
werksessies.csv             One row per werksessie (work session).
bijdragen.csv               One row per question brought in during a werksessie.
stemmen.csv                 One row per vote in a werksessie ("staat nog" / "opgelost").
sessiebesluiten.csv         One row per decision a werksessie took on a question.
mijlpalen.csv               One row per milestone, with preconditions and linked items.
besluiten.csv               One row per taskforce decision.
{xlsx_name:<27} The tables above as sheets (dates as date cells), plus the codebook.
codebook.csv                Every column of every table: its type, allowed values and
                            meaning (English).
{qdpx_name:<27} REFI-QDA project (ATLAS.ti, NVivo, MAXQDA, QualCoder): one text
                            source per version with document variables, the codebook,
                            and each question coded with its linked barriers, its
                            transition and "hardnekkig" when persistent.
{qdc_name:<27} The REFI-QDA codebook alone.
codes.csv                   Codes for qualitative analysis tools (Taguette, QualCoder):
                            columns code, description, parent. System aspects, the
                            barrier items under their aspect (B-<id>, K-<id> for a kans)
                            and the themes of the versions under "Thema's". UTF-8
                            without a byte order mark.

The CSV files are UTF-8 with a byte order mark, comma-separated, with a header row (the
web export and `flask dla export --csv-dialect excel-nl` also give semicolon-separated CSV
for Excel with Dutch settings).
Dates are ISO 8601 (YYYY-MM-DD). Persistence figures count published versions only.
A text cell of a CSV file that starts with =, +, -, @, a tab or a carriage return begins
with an apostrophe (') so that spreadsheets never run it as a formula; remove that first
apostrophe to get the text as written (the JSON and the workbook hold it without one).
Without author names, version authors and recipients, commenters, decision authors,
action owners and participants' names (free text that may be a name) are replaced by a
code (P001, P002, ...): the same name has the same code in every file of this bundle.

Nederlands: deze bundel bevat alle leervragen, versies en overgangen van de regio('s) als
JSON, CSV en Excel, met de systeemanalyse (barrières, mijlpalen, besluiten) en de
betekenisvolle metingen, een codeboek dat uitlegt wat elke kolom betekent en een
codelijst voor kwalitatieve analyseprogramma's.
"""


def bundle(files: dict[str, bytes], *, readme: str | None = None) -> bytes:
    """A zip of ``files`` (README.txt first, then by name), deflated, with fixed timestamps."""
    files = dict(files)
    if readme is not None:
        files["README.txt"] = readme.encode("utf-8")
    names = sorted(files, key=lambda name: (name != "README.txt", name))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def researcher_bundle(
    document: dict,
    *,
    schema: bytes,
    basename: str,
    include_authors: bool = True,
    today: date | None = None,
) -> bytes:
    """JSON, the CSV tables, XLSX, codebook, codes for qualitative tools, the REFI-QDA
    project and codebook, schema and README.txt in one zip."""
    json_name = f"{basename}.json"
    xlsx_name = f"{basename}.xlsx"
    schema_name = "dla-export-v1.schema.json"
    readme = BUNDLE_README.format(
        version=document["version"],
        exported_at=document["exported_at"],
        regions=", ".join(r["name"] for r in document["regions"]) or "(none)",
        names="yes" if include_authors else "no",
        json_name=json_name,
        xlsx_name=xlsx_name,
        schema_name=schema_name,
        qdpx_name=f"{basename}.qdpx",
        qdc_name=f"{basename}.qdc",
    )
    extra = {
        f"{name}.csv": to_csv(rows, columns) for name, _sheet, columns, rows in _extra(document)
    }
    return bundle(
        {
            json_name: to_json(document),
            "formuleringen.csv": to_csv(iter_long_rows(document, today=today), LONG_COLUMNS),
            "leervragen.csv": to_csv(thread_rows(document, today=today), THREAD_COLUMNS),
            "overgangen.csv": to_csv(transition_rows(document), TRANSITION_COLUMNS),
            "barrieres.csv": to_csv(barrier_rows(document), BARRIER_COLUMNS),
            "indicatoren.csv": to_csv(indicator_rows(document), INDICATOR_COLUMNS),
            "waarnemingen.csv": to_csv(observation_rows(document), OBSERVATION_COLUMNS),
            "codes.csv": codes_csv(document),
            **extra,
            f"{basename}.qdpx": project(document, today=today),
            f"{basename}.qdc": codebook_xml(document),
            xlsx_name: workbook(document, today=today),
            "codebook.csv": codebook_csv(),
            schema_name: schema,
        },
        readme=readme,
    )
