"""The codebook of the researcher files: every column of every table (CSV file and
workbook sheet) with its type, its allowed values and its meaning.

Pure: plain data. Allowed values come from the models' own choice lists, so the codebook
stays true when a list changes.
"""

from __future__ import annotations

from dla.agendas.models import DISTRIBUTIONS, DROP_REASONS, LEVELS, ORIGINS, TRANSITIONS
from dla.analysis.models import (
    DECISION_KINDS,
    DECISION_STATUSES,
    ITEM_KINDS,
    ITEM_STATUSES,
    MILESTONE_STATUSES,
    SOURCES,
)
from dla.exports import tables, writers
from dla.measurements.models import AUDIENCES, CONCERNS, HORIZONS
from dla.measurements.models import KINDS as MEASURE_KINDS
from dla.werksessies.models import CONTRIBUTION_STATUSES, PARTICIPANT_ROLES, STATUSES, VOTES
from dla.werksessies.models import KINDS as SESSION_KINDS

INTEGER = "integer"
NUMBER = "number (decimal point; decimal comma in the excel-nl CSV)"
DATE = "date (ISO 8601 YYYY-MM-DD; a date cell in the workbook)"
STAMP = "timestamp (ISO 8601, UTC)"
TEXT = "text"
IDS = "text: integer ids joined by ';'"
CODES = "text: codes joined by ';'"
GUID = "GUID"

# The tables: CSV file name in the bundle, workbook sheet, columns.
TABLES: list[tuple[str, str, list[str]]] = [
    ("formuleringen.csv", "Formuleringen", writers.LONG_COLUMNS),
    ("leervragen.csv", "Leervragen", writers.THREAD_COLUMNS),
    ("overgangen.csv", "Overgangen", writers.TRANSITION_COLUMNS),
    ("barrieres.csv", "Barrières", writers.BARRIER_COLUMNS),
    ("indicatoren.csv", "Indicatoren", writers.INDICATOR_COLUMNS),
    ("waarnemingen.csv", "Waarnemingen", writers.OBSERVATION_COLUMNS),
    *((f"{name}.csv", sheet, columns) for name, sheet, columns, _rows in tables.TABLES),
    ("codes.csv", "", writers.CODE_COLUMNS),
]
CODEBOOK_COLUMNS = ["tabel", "blad", "kolom", "type", "waarden", "betekenis"]


def _choices(values) -> str:
    return ", ".join(values)


THREAD_STATUSES = "open, samengevoegd, verplaatst, voorlopig_beantwoord, vervallen, concept"
# column -> (type, allowed values); text with any value when absent.
TYPES: dict[str, tuple[str, str]] = {
    **dict.fromkeys(
        (
            "versie leervraag_id versies_aanwezig langste_reeks leeftijd_maanden gesplitst_uit "
            "van_versie besloten_in_versie van_formulering item_id indicator_id waarnemingen "
            "waarneming_id versie_id agenda_id vragen opmerking_id werksessie_id deelnemers "
            "bijdrage_id samengevoegd_met_bijdrage samengevoegd_met_formulering formulering_id "
            "deelnemer_id stem_id sessiebesluit_id samenvoegen_met_formulering "
            "samenvoegen_met_bijdrage "
            "mijlpaal_id acties besluit_id"
        ).split(),
        (INTEGER, ""),
    ),
    **dict.fromkeys(
        (
            "versiedatum eerste_datum laatste_datum genoteerd_op status_sinds datum tot_en_met "
            "sessiedatum besluitdatum"
        ).split(),
        (DATE, ""),
    ),
    **dict.fromkeys(
        "besloten_op vastgesteld_op geplaatst_op geopend_op gesloten_op".split(), (STAMP, "")
    ),
    "waarde": (NUMBER, ""),
    "qda_bron": (GUID, ""),
    "leervragen": (IDS, ""),
    "doelen": (IDS, ""),
    "barriere_codes": (CODES, ""),
    "niveau": (TEXT, _choices(LEVELS)),
    "hardnekkig": (TEXT, "ja, nee"),
    "overgang": (TEXT, _choices(TRANSITIONS) + " (or empty)"),
    "soort": (TEXT, _choices(TRANSITIONS)),
    "reden": (TEXT, _choices(DROP_REASONS) + " (or empty)"),
    "item_soort": (TEXT, _choices(ITEM_KINDS)),
    "item_status": (TEXT, _choices(ITEM_STATUSES)),
    "betreft": (TEXT, _choices(CONCERNS)),
    "voor_wie": (TEXT, _choices(AUDIENCES) + " (space-separated)"),
    "meetsoort": (TEXT, _choices(MEASURE_KINDS)),
    "verspreiding": (TEXT, _choices(DISTRIBUTIONS)),
    "sessiesoort": (TEXT, _choices(SESSION_KINDS)),
    "sessiestatus": (TEXT, _choices(STATUSES)),
    "deelnemersrol": (TEXT, _choices(PARTICIPANT_ROLES) + " (or empty)"),
    "bijdragestatus": (TEXT, _choices(CONTRIBUTION_STATUSES)),
    "stem": (TEXT, _choices(VOTES)),
    "mijlpaalstatus": (TEXT, _choices(MILESTONE_STATUSES)),
    "besluitsoort": (TEXT, _choices(DECISION_KINDS)),
    "besluitstatus": (TEXT, _choices(DECISION_STATUSES)),
}
# (table, column) -> (type, allowed values, meaning) where a table uses a name differently.
OVERRIDES: dict[tuple[str, str], tuple[str, str, str]] = {
    ("formuleringen.csv", "status"): (
        TEXT,
        "concept, vastgesteld",
        "Status of the version: concept, or vastgesteld (published).",
    ),
    ("documenten.csv", "status"): (
        TEXT,
        "concept, vastgesteld",
        "Status of the version: concept, or vastgesteld (published).",
    ),
    ("leervragen.csv", "status"): (
        TEXT,
        THREAD_STATUSES,
        "Current status of the thread (concept: only in a concept version).",
    ),
    ("barrieres.csv", "herkomst"): (
        TEXT,
        _choices(SOURCES),
        "Where the item was noted.",
    ),
    ("waarnemingen.csv", "herkomst"): (TEXT, "", "Source of the observation (free text)."),
    ("documenten.csv", "herkomst"): (
        TEXT,
        _choices(ORIGINS),
        "Origin of the version: made in a werksessie, reconstructed, or written together.",
    ),
    ("documenten.csv", "label"): (TEXT, "", "Label printed on the version (may be empty)."),
    ("indicatoren.csv", "termijn"): (TEXT, _choices(HORIZONS), "Horizon of the indicator."),
    ("mijlpalen.csv", "termijn"): (TEXT, "", "When the milestone should be reached (free text)."),
    ("mijlpalen.csv", "omschrijving"): (TEXT, "", "Description of the milestone."),
    ("sessiebesluiten.csv", "soort"): (
        TEXT,
        _choices(TRANSITIONS),
        "What the session decided for the question (the transition it proposes).",
    ),
    ("sessiebesluiten.csv", "toelichting"): (
        TEXT,
        "",
        "Note: the provisional answer or action, or why the question was dropped.",
    ),
    ("codes.csv", "code"): (TEXT, "", "Name of the code (system aspect, B-/K-<id> item, theme)."),
}
# What a column means (English), by column name; ``OVERRIDES`` where a table differs.
_MEANINGS: list[tuple[str, str]] = [
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
    # the tables of ``tables``
    ("versie_id", "Id of the version (document)."),
    ("agenda_id", "Id of the learning agenda."),
    ("sessiedatum", "Date of the werksessie (ISO 8601); empty when unknown."),
    ("verspreiding", "Who may read the version: regio (whole region) or beperkt (restricted)."),
    ("auteur", "Author (free text, may be a name; a code P001… in an export without names)."),
    ("ontvanger", "Recipient named on the version (free text; a code without names)."),
    ("kenmerk", "Reference (kenmerk) printed on the version."),
    ("themas", "Themes named in the version, joined by '; '."),
    (
        "vastgesteld_op",
        "When the version was published (ISO 8601 timestamp, UTC); empty for a concept.",
    ),
    ("vragen", "Number of questions (wordings) in the version."),
    ("qda_bron", "GUID of the version's text source in the REFI-QDA project (.qdpx)."),
    ("opmerking_id", "Id of the comment."),
    ("tekst", "Text as written (comment, contribution after editing)."),
    ("geplaatst_op", "When the comment was placed (ISO 8601 timestamp, UTC)."),
    ("werksessie_id", "Id of the werksessie (work session)."),
    ("sessiesoort", "Kind of session."),
    ("titel", "Title."),
    ("sessiestatus", "Status of the session."),
    ("deelnemers", "Number of participants who joined the session."),
    ("geopend_op", "When the session was opened (ISO 8601 timestamp, UTC)."),
    ("gesloten_op", "When the session was closed (ISO 8601 timestamp, UTC)."),
    ("bijdrage_id", "Id of the contribution (a question brought in during a session)."),
    ("deelnemer_id", "Id of the participant in the session (the same in every table)."),
    ("deelnemer", "Name the participant gave (may be empty; a code P001… without names)."),
    ("deelnemersrol", "Role the participant gave when joining."),
    ("oorspronkelijke_tekst", "The contribution as the participant typed it."),
    ("bijdragestatus", "What happened to the contribution."),
    ("samengevoegd_met_bijdrage", "Id of the contribution it was merged with; empty otherwise."),
    ("samengevoegd_met_formulering", "Id of the wording it was merged into; empty otherwise."),
    ("formulering_id", "Id of the wording (formulering) concerned; empty when none."),
    ("stem_id", "Id of the vote."),
    ("stem", "The participant's vote on a question: does the barrier still stand?"),
    ("sessiebesluit_id", "Id of the decision taken in the session on a question."),
    ("nieuwe_tekst", "New wording decided in the session (for geherformuleerd, gesplitst)."),
    ("samenvoegen_met_formulering", "Id of the wording to merge with; empty otherwise."),
    ("samenvoegen_met_bijdrage", "Id of the contribution to merge with; empty otherwise."),
    ("mijlpaal_id", "Id of the milestone (mijlpaal)."),
    ("mijlpaalstatus", "Status of the milestone."),
    ("randvoorwaarden", "Preconditions of the milestone, in order, joined by ' | '."),
    ("acties", "Number of actions under the milestone."),
    ("besluit_id", "Id of the taskforce decision."),
    ("besluitdatum", "Date of the taskforce decision (ISO 8601)."),
    ("besluitsoort", "Kind: besluit (a decision) or verzoek (a request)."),
    ("besluit", "Text of the decision."),
    ("vervolg", "Follow-up agreed."),
    ("besluitstatus", "Status of the decision's follow-up."),
    ("barriere_code", "Code of the item of the system analysis the decision is about (B-/K-<id>)."),
    ("mijlpaal", "Title of the milestone the decision is about."),
    ("description", "codes.csv: description of the code."),
    ("parent", "codes.csv: the code this code sits under (empty at the top)."),
]
MEANINGS = dict(_MEANINGS)


def describe(table: str, column: str) -> tuple[str, str, str]:
    """(type, allowed values, meaning) of one column of one table (KeyError: undocumented)."""
    if (table, column) in OVERRIDES:
        return OVERRIDES[(table, column)]
    kind, allowed = TYPES.get(column, (TEXT, ""))
    return kind, allowed, MEANINGS[column]


def codebook_rows() -> list[dict]:
    """One row per column of every table: table, sheet, column, type, values, meaning."""
    rows = []
    for table, sheet, columns in TABLES:
        for column in columns:
            kind, allowed, meaning = describe(table, column)
            rows.append(
                {
                    "tabel": table,
                    "blad": sheet,
                    "kolom": column,
                    "type": kind,
                    "waarden": allowed,
                    "betekenis": meaning,
                }
            )
    return rows
