"""The files for researchers: the XLSX workbook with its codebook, and the zip bundle of
every table (JSON, CSV, XLSX, codebook, codes for qualitative tools, schema, README).

Pure, like ``writers``: the export document in, file bytes out.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

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
    long_rows,
    observation_rows,
    thread_rows,
    to_json,
    transition_rows,
)
from dla.tabular import to_csv, to_xlsx

# What every column of the CSV and XLSX files means (English), for researchers.
CODEBOOK: list[tuple[str, str]] = [
    ("regio", "Region (regio) the agenda belongs to."),
    ("agenda", "Title of the learning agenda."),
    ("niveau", "Level of the agenda: operationeel, tactisch, strategisch or netwerk."),
    ("doelgroep", "Audience of the agenda (free text, e.g. ICR's, managers, Taskforce)."),
    ("versie", "Sequence number of the version within its agenda (explicit order)."),
    ("versiedatum", "Document date of the version (ISO 8601, YYYY-MM-DD); empty when unknown."),
    (
        "status",
        "Formuleringen: version status (concept or vastgesteld = published). "
        "Leervragen: current status of the thread (open, samengevoegd, verplaatst, "
        "voorlopig_beantwoord, vervallen, concept = only in a concept version).",
    ),
    ("label", "Printed label of the question in its group (A, B, … or 1, 2, …)."),
    ("groep", "Title of the group of questions in the version (may be empty)."),
    ("vraag", "Full text of the question as worded in this version (shared stem expanded)."),
    ("stam", "Parsed question stem, e.g. 'Hoe kan ik'."),
    ("rol", "Parsed role phrase, e.g. 'als ICR'."),
    ("doel", "Parsed goal: what the person wants to achieve."),
    ("barriere", "Parsed barrier: the clause after 'terwijl' (the system barrier)."),
    (
        "barrieres",
        "Items of the system analysis linked to the thread, as 'code: description' joined "
        "by '; ' in code order (B-<id> a barrière, K-<id> a kans); empty when none.",
    ),
    ("aantekening", "Trailing annotation after the question mark."),
    ("bron", "Provenance tag, e.g. '[gereconstrueerd]'."),
    ("leervraag_id", "Thread id: the identity of one learning question across versions."),
    (
        "overgang",
        "Transition decided on this wording when the next version was made "
        "(blijft_staan, geherformuleerd, samengevoegd, gesplitst, verplaatst, "
        "voorlopig_beantwoord, vervallen); empty when none (yet).",
    ),
    (
        "overgang_toelichting",
        "Reason code and note of that transition (answer, action, reason for dropping).",
    ),
    ("versies_aanwezig", "Number of published versions the thread stands in."),
    ("langste_reeks", "Longest run of consecutive published versions of the thread."),
    ("eerste_datum", "Date of the first published version the thread stands in (ISO)."),
    ("laatste_datum", "Date of the last published version the thread stands in (ISO)."),
    (
        "hardnekkig",
        "Persistent (ja/nee): longest run reaches the region's threshold, or the "
        "thread is still open and older than the region's month threshold.",
    ),
    ("leeftijd_maanden", "Age of the thread in whole months (until today while open)."),
    ("gesplitst_uit", "Thread id this thread was split off from; empty otherwise."),
    ("laatste_vraag", "Full text of the thread's latest wording in the export."),
    ("van_versie", "Number of the version that holds the wording the decision is about."),
    ("besloten_in_versie", "Number of the (next) version in which the decision was taken."),
    ("van_formulering", "Id of the wording (formulering) the transition is about."),
    ("soort", "Kind of transition (see 'overgang')."),
    (
        "reden",
        "Reason code for vervallen: niet_meer_urgent, inzicht_bereikt, elders_belegd, anders.",
    ),
    ("toelichting", "Note: the provisional answer or action, or why the question was dropped."),
    ("doelen", "Target thread ids joined by ';' (merged into, split into, moved to)."),
    ("naar_agenda", "Title of the agenda a question was moved to."),
    ("besloten_op", "When the decision was recorded (ISO 8601 timestamp, UTC)."),
    ("item_id", "Id of the item of the system analysis (barrière or kans)."),
    ("code", "Code of the item: B-<id> for a barrière, K-<id> for a kans."),
    ("item_soort", "Kind of item: barriere (a barrier) or kans (a chance)."),
    ("systeemaspect", "System aspect (row of the matrix) the item belongs to."),
    ("actorgroep", "Actor group (column of the matrix) the item belongs to."),
    (
        "omschrijving",
        "Barrières: description of the item. Indicatoren: description of the indicator.",
    ),
    (
        "herkomst",
        "Barrières: where the item was noted (werksessie, interview, observatie, "
        "document). Waarnemingen: source of the observation (free text).",
    ),
    ("item_status", "Status of the item: actief, afgenomen (decreased) or opgeheven (removed)."),
    ("genoteerd_op", "When the item was noted (ISO 8601 date); empty when unknown."),
    ("status_sinds", "When the item's status last changed (ISO 8601 date); empty when unknown."),
    (
        "leervragen",
        "Ids of the question threads linked to the item or indicator, joined by ';' "
        "(only threads in the export).",
    ),
    ("indicator_id", "Id of the indicator (meaningful measurement)."),
    ("indicator", "Name of the indicator."),
    ("betreft", "What the indicator is about: gezinnen (families) or werkwijze (way of working)."),
    ("termijn", "Horizon of the indicator: kort (short term) or lang (long term)."),
    (
        "voor_wie",
        "Who needs this feedback: gezinnen, professionals, managers, bestuurders "
        "(space-separated).",
    ),
    (
        "meetsoort",
        "Kind of measurement: aantal (count), percentage, schaal (scale) or kwalitatief "
        "(a narrative).",
    ),
    ("eenheid", "Unit of the indicator's values (may be empty)."),
    ("barriere_codes", "Codes of the items of the system analysis linked to the indicator (';')."),
    ("waarnemingen", "Number of observations of the indicator."),
    ("waarneming_id", "Id of the observation (waarneming)."),
    ("datum", "Date of the observation, or start of its period (ISO 8601)."),
    ("tot_en_met", "End of the observation's period (ISO 8601); empty for a single date."),
    ("waarde", "Value of the observation (aggregated, never about a person); empty for a story."),
    ("verhaal", "Narrative of the observation (qualitative indicators, or a note with a value)."),
]


# --- codebook ------------------------------------------------------------------------------


def codebook_rows() -> list[dict]:
    return [{"kolom": column, "betekenis": meaning} for column, meaning in CODEBOOK]


def codebook_csv() -> bytes:
    """The codebook (every column of the CSV and XLSX files and its meaning) as CSV."""
    return to_csv(codebook_rows(), ["kolom", "betekenis"])


def workbook(document: dict, *, today: date | None = None) -> bytes:
    """The standard XLSX export: Formuleringen, Leervragen, Overgangen, Barrières,
    Indicatoren, Waarnemingen and Codeboek."""
    return to_xlsx(
        {
            "Formuleringen": long_rows(document, today=today),
            "Leervragen": thread_rows(document, today=today),
            "Overgangen": transition_rows(document),
            "Barrières": barrier_rows(document),
            "Indicatoren": indicator_rows(document),
            "Waarnemingen": observation_rows(document),
            "Codeboek": codebook_rows(),
        },
        {
            "Formuleringen": LONG_COLUMNS,
            "Leervragen": THREAD_COLUMNS,
            "Overgangen": TRANSITION_COLUMNS,
            "Barrières": BARRIER_COLUMNS,
            "Indicatoren": INDICATOR_COLUMNS,
            "Waarnemingen": OBSERVATION_COLUMNS,
            "Codeboek": ["kolom", "betekenis"],
        },
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
{xlsx_name:<27} The six tables above as sheets, plus the codebook.
codebook.csv                What every column means (English).
codes.csv                   Codes for qualitative analysis tools (Taguette, QualCoder):
                            columns code, description, parent. System aspects, the
                            barrier items under their aspect (B-<id>, K-<id> for a kans)
                            and the themes of the versions under "Thema's". UTF-8
                            without a byte order mark.

The CSV files are UTF-8 with a byte order mark, comma-separated, with a header row.
Dates are ISO 8601 (YYYY-MM-DD). Persistence figures count published versions only.
A text cell of a CSV file that starts with =, +, -, @, a tab or a carriage return begins
with an apostrophe (') so that spreadsheets never run it as a formula; remove that first
apostrophe to get the text as written (the JSON and the workbook hold it without one).
Without author names, version authors and recipients, commenters, decision authors and
action owners (free text that may be a name) are left empty.

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
    """JSON, the six CSV tables, XLSX, codebook, codes for qualitative tools, schema and
    README.txt in one zip."""
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
    )
    return bundle(
        {
            json_name: to_json(document),
            "formuleringen.csv": to_csv(long_rows(document, today=today), LONG_COLUMNS),
            "leervragen.csv": to_csv(thread_rows(document, today=today), THREAD_COLUMNS),
            "overgangen.csv": to_csv(transition_rows(document), TRANSITION_COLUMNS),
            "barrieres.csv": to_csv(barrier_rows(document), BARRIER_COLUMNS),
            "indicatoren.csv": to_csv(indicator_rows(document), INDICATOR_COLUMNS),
            "waarnemingen.csv": to_csv(observation_rows(document), OBSERVATION_COLUMNS),
            "codes.csv": codes_csv(document),
            xlsx_name: workbook(document, today=today),
            "codebook.csv": codebook_csv(),
            schema_name: schema,
        },
        readme=readme,
    )
