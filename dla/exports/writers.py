"""Pure writers: the export document (plain data) in, file bytes out.

Nothing here touches Flask or the database. The document is the JSON interchange format
described by ``schema/dla-export-v1.schema.json``; ``services.export_document`` builds it.
Persistence figures are computed from the document itself (with the pure ``history``
module), so every file agrees with what the viewer may see.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from dla.agendas import history
from dla.tabular import to_csv, to_xlsx

FORMAT = "dla-werkplaats"
FORMAT_VERSION = 1
PUBLISHED = "vastgesteld"

LONG_COLUMNS = [
    "regio",
    "agenda",
    "niveau",
    "doelgroep",
    "versie",
    "versiedatum",
    "status",
    "label",
    "groep",
    "vraag",
    "stam",
    "rol",
    "doel",
    "barriere",
    "barrieres",
    "aantekening",
    "bron",
    "leervraag_id",
    "overgang",
    "overgang_toelichting",
    "versies_aanwezig",
    "langste_reeks",
    "eerste_datum",
    "laatste_datum",
    "hardnekkig",
]
THREAD_COLUMNS = [
    "leervraag_id",
    "regio",
    "status",
    "versies_aanwezig",
    "langste_reeks",
    "eerste_datum",
    "laatste_datum",
    "leeftijd_maanden",
    "hardnekkig",
    "gesplitst_uit",
    "laatste_vraag",
]
TRANSITION_COLUMNS = [
    "regio",
    "agenda",
    "van_versie",
    "besloten_in_versie",
    "van_formulering",
    "leervraag_id",
    "soort",
    "reden",
    "toelichting",
    "doelen",
    "naar_agenda",
    "besloten_op",
]
BARRIER_COLUMNS = [
    "item_id",
    "code",
    "regio",
    "item_soort",
    "systeemaspect",
    "actorgroep",
    "omschrijving",
    "herkomst",
    "item_status",
    "genoteerd_op",
    "status_sinds",
    "leervragen",
]
INDICATOR_COLUMNS = [
    "indicator_id",
    "regio",
    "indicator",
    "omschrijving",
    "betreft",
    "termijn",
    "voor_wie",
    "meetsoort",
    "eenheid",
    "leervragen",
    "barriere_codes",
    "waarnemingen",
]
OBSERVATION_COLUMNS = [
    "waarneming_id",
    "regio",
    "indicator_id",
    "indicator",
    "datum",
    "tot_en_met",
    "waarde",
    "eenheid",
    "verhaal",
    "herkomst",
]
# The codebook of barriers and themes for qualitative tools (Taguette, QualCoder).
CODE_COLUMNS = ["code", "description", "parent"]
THEMES_PARENT = "Thema's"

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

XLSX_SHEETS = (
    "Formuleringen",
    "Leervragen",
    "Overgangen",
    "Barrières",
    "Indicatoren",
    "Waarnemingen",
    "Codeboek",
)

# --- JSON ------------------------------------------------------------------------------------


def to_json(document: dict) -> bytes:
    """The document as compact UTF-8 JSON with sorted keys, non-ASCII kept readable.

    Compact, because only then does Python use its fast C encoder (ten times faster on a
    whole workspace); any JSON viewer or `python -m json.tool` indents it for reading.
    """
    return (
        json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
    ).encode("utf-8")


# --- persistence from the document ----------------------------------------------------------


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def _wordings(version: dict):
    for group in version["groups"]:
        for wording in group["wordings"]:
            yield group, wording


def region_persistence(
    region: dict, *, today: date | None = None
) -> dict[int, history.Persistence]:
    """Persistence figures per thread, from the published versions in the document.

    Follows ``queries.persistence_map``: versions are ordered by number per agenda, a
    transition counts once the version it was decided in is published, and a thread's
    agendas are ordered by when it arrived there (its first wording id).
    """
    today = today or date.today()
    status_of = {}
    for agenda in region["agendas"]:
        for version in agenda["versions"]:
            status_of[version["id"]] = version["status"]
    rows = []
    for agenda in region["agendas"]:
        index = 0
        for version in sorted(agenda["versions"], key=lambda v: v["number"]):
            if version["status"] != PUBLISHED:
                continue
            day = _day(version["document_date"]) or _day(version["session_date"])
            for _group, wording in _wordings(version):
                transition = wording["transition"]
                kind = None
                if transition and status_of.get(transition["version_id"]) == PUBLISHED:
                    kind = transition["kind"]
                rows.append((wording["thread_id"], wording["id"], agenda["id"], index, day, kind))
            index += 1
    arrived: dict[tuple[int, int], int] = {}
    for thread_id, wording_id, agenda_id, _index, _when, _kind in rows:
        key = (thread_id, agenda_id)
        arrived[key] = min(arrived.get(key, wording_id), wording_id)
    appearances: dict[int, list[history.Appearance]] = defaultdict(list)
    for thread_id, _wording_id, agenda_id, index, day, kind in rows:
        appearances[thread_id].append(
            history.Appearance(
                thread_id=thread_id,
                agenda_id=agenda_id,
                index=index,
                day=day,
                transition=kind,
                arrived=arrived[(thread_id, agenda_id)],
            )
        )
    return {
        thread_id: history.persistence(
            items,
            today=today,
            min_run=region["persist_min_run"],
            max_months=region["persist_max_months"],
        )
        for thread_id, items in appearances.items()
    }


def _figures(figure: history.Persistence) -> dict:
    return {
        "versies_aanwezig": figure.versions_present,
        "langste_reeks": figure.longest_run,
        "eerste_datum": _iso(figure.first_date),
        "laatste_datum": _iso(figure.last_date),
        "hardnekkig": "ja" if figure.hardnekkig else "nee",
    }


def _note(transition: dict) -> str:
    return "; ".join(part for part in (transition["reason"], transition["note"]) if part)


# --- tabular rows ----------------------------------------------------------------------------


def long_rows(document: dict, *, today: date | None = None) -> list[dict]:
    """One row per wording per version (long format), with the thread's figures."""
    rows = []
    for region in document["regions"]:
        figures = region_persistence(region, today=today)
        barriers = _thread_barriers(region)
        for agenda in region["agendas"]:
            for version in sorted(agenda["versions"], key=lambda v: v["number"]):
                for group, wording in _wordings(version):
                    transition = wording["transition"] or {}
                    figure = figures.get(wording["thread_id"], history.EMPTY)
                    rows.append(
                        {
                            "regio": region["name"],
                            "agenda": agenda["title"],
                            "niveau": agenda["level"],
                            "doelgroep": agenda["audience"],
                            "versie": version["number"],
                            "versiedatum": version["document_date"] or "",
                            "status": version["status"],
                            "label": wording["label"],
                            "groep": group["title"],
                            "vraag": wording["full_text"],
                            "stam": wording["stem"],
                            "rol": wording["role_phrase"],
                            "doel": wording["goal"],
                            "barriere": wording["barrier"],
                            "barrieres": barriers.get(wording["thread_id"], ""),
                            "aantekening": wording["annotation"],
                            "bron": wording["tag"],
                            "leervraag_id": wording["thread_id"],
                            "overgang": transition.get("kind", ""),
                            "overgang_toelichting": _note(transition) if transition else "",
                            **_figures(figure),
                        }
                    )
    return rows


def thread_rows(document: dict, *, today: date | None = None) -> list[dict]:
    """One row per thread (leervraag): its status and persistence figures."""
    rows = []
    for region in document["regions"]:
        figures = region_persistence(region, today=today)
        latest: dict[int, tuple[tuple, str]] = {}
        for agenda in region["agendas"]:
            for version in agenda["versions"]:
                for _group, wording in _wordings(version):
                    key = (version["status"] == PUBLISHED, wording["id"])
                    current = latest.get(wording["thread_id"])
                    if current is None or key > current[0]:
                        latest[wording["thread_id"]] = (key, wording["full_text"])
        for thread in region["threads"]:
            figure = figures.get(thread["id"], history.EMPTY)
            rows.append(
                {
                    "leervraag_id": thread["id"],
                    "regio": region["name"],
                    "status": figure.status,
                    "versies_aanwezig": figure.versions_present,
                    "langste_reeks": figure.longest_run,
                    "eerste_datum": _iso(figure.first_date),
                    "laatste_datum": _iso(figure.last_date),
                    "leeftijd_maanden": figure.age_months,
                    "hardnekkig": "ja" if figure.hardnekkig else "nee",
                    "gesplitst_uit": thread["split_from_id"] or "",
                    "laatste_vraag": latest.get(thread["id"], ((), ""))[1],
                }
            )
    return rows


def transition_rows(document: dict) -> list[dict]:
    """One row per transition (overgang)."""
    rows = []
    for region in document["regions"]:
        agenda_titles = {a["id"]: a["title"] for a in region["agendas"]}
        version_numbers = {v["id"]: v["number"] for a in region["agendas"] for v in a["versions"]}
        thread_of = {
            w["id"]: w["thread_id"]
            for a in region["agendas"]
            for v in a["versions"]
            for _g, w in _wordings(v)
        }
        for agenda in region["agendas"]:
            for version in sorted(agenda["versions"], key=lambda v: v["number"]):
                for _group, wording in _wordings(version):
                    transition = wording["transition"]
                    if not transition:
                        continue
                    targets = [thread_of.get(t) for t in transition["target_wording_ids"]]
                    rows.append(
                        {
                            "regio": region["name"],
                            "agenda": agenda["title"],
                            "van_versie": version["number"],
                            "besloten_in_versie": version_numbers.get(transition["version_id"], ""),
                            "van_formulering": wording["id"],
                            "leervraag_id": wording["thread_id"],
                            "soort": transition["kind"],
                            "reden": transition["reason"],
                            "toelichting": transition["note"],
                            "doelen": ";".join(str(t) for t in targets if t is not None),
                            "naar_agenda": agenda_titles.get(transition["target_agenda_id"], ""),
                            "besloten_op": transition["decided_at"] or "",
                        }
                    )
    return rows


# --- system analysis and measurements ----------------------------------------------------------


def item_code(item: dict) -> str:
    """B-<id> for a barrière, K-<id> for a kans (as in the app)."""
    return f"{'B' if item['kind'] == 'barriere' else 'K'}-{item['id']}"


def _thread_barriers(region: dict) -> dict[int, str]:
    """Per thread: its linked items as "B-12: description; K-15: description" (by id)."""
    items = {item["id"]: item for item in region.get("barrier_items", [])}
    linked: dict[int, list[int]] = defaultdict(list)
    for link in region.get("barrier_links", []):
        if link["item_id"] in items:
            linked[link["thread_id"]].append(link["item_id"])
    return {
        thread_id: "; ".join(
            f"{item_code(items[item_id])}: {items[item_id]['description']}"
            for item_id in sorted(set(item_ids))
        )
        for thread_id, item_ids in linked.items()
    }


def _joined(values: Iterable) -> str:
    return ";".join(str(value) for value in values)


def barrier_rows(document: dict) -> list[dict]:
    """One row per item of the system analysis (barrière or kans), with its linked threads."""
    rows = []
    for region in document["regions"]:
        headings = {h["id"]: h["name"] for h in region.get("matrix_headings", [])}
        threads_of: dict[int, set[int]] = defaultdict(set)
        for link in region.get("barrier_links", []):
            threads_of[link["item_id"]].add(link["thread_id"])
        for item in region.get("barrier_items", []):
            rows.append(
                {
                    "item_id": item["id"],
                    "code": item_code(item),
                    "regio": region["name"],
                    "item_soort": item["kind"],
                    "systeemaspect": headings.get(item["aspect_id"], ""),
                    "actorgroep": headings.get(item["actor_id"], ""),
                    "omschrijving": item["description"],
                    "herkomst": item["source"],
                    "item_status": item["status"],
                    "genoteerd_op": item["noted_on"] or "",
                    "status_sinds": item["status_on"] or "",
                    "leervragen": _joined(sorted(threads_of.get(item["id"], ()))),
                }
            )
    return rows


def indicator_rows(document: dict) -> list[dict]:
    """One row per indicator, with its linked threads and items and its observation count."""
    rows = []
    for region in document["regions"]:
        items = {item["id"]: item for item in region.get("barrier_items", [])}
        threads_of: dict[int, set[int]] = defaultdict(set)
        items_of: dict[int, set[int]] = defaultdict(set)
        for link in region.get("indicator_links", []):
            if link["thread_id"] is not None:
                threads_of[link["indicator_id"]].add(link["thread_id"])
            if link["item_id"] in items:
                items_of[link["indicator_id"]].add(link["item_id"])
        observed: dict[int, int] = defaultdict(int)
        for observation in region.get("observations", []):
            observed[observation["indicator_id"]] += 1
        for indicator in region.get("indicators", []):
            rows.append(
                {
                    "indicator_id": indicator["id"],
                    "regio": region["name"],
                    "indicator": indicator["name"],
                    "omschrijving": indicator["description"],
                    "betreft": indicator["concerns"],
                    "termijn": indicator["horizon"],
                    "voor_wie": indicator["audiences"],
                    "meetsoort": indicator["kind"],
                    "eenheid": indicator["unit"],
                    "leervragen": _joined(sorted(threads_of.get(indicator["id"], ()))),
                    "barriere_codes": _joined(
                        item_code(items[i]) for i in sorted(items_of.get(indicator["id"], ()))
                    ),
                    "waarnemingen": observed.get(indicator["id"], 0),
                }
            )
    return rows


def observation_rows(document: dict) -> list[dict]:
    """One row per observation (waarneming), by indicator and date."""
    rows = []
    for region in document["regions"]:
        indicators = {i["id"]: i for i in region.get("indicators", [])}
        for observation in region.get("observations", []):
            indicator = indicators.get(observation["indicator_id"], {})
            rows.append(
                {
                    "waarneming_id": observation["id"],
                    "regio": region["name"],
                    "indicator_id": observation["indicator_id"],
                    "indicator": indicator.get("name", ""),
                    "datum": observation["observed_on"],
                    "tot_en_met": observation["period_end"] or "",
                    "waarde": observation["value"],
                    "eenheid": indicator.get("unit", ""),
                    "verhaal": observation["narrative"],
                    "herkomst": observation["source"],
                }
            )
    return rows


def code_rows(document: dict) -> list[dict]:
    """Codes for qualitative tools: the system aspects (parents), the items of the system
    analysis under their aspect, and the themes of the versions under "Thema's".

    Parents come before their children; a name occurs once.
    """
    rows: list[dict] = []
    seen: set[str] = set()

    def add(code: str, description: str, parent: str = "") -> None:
        if code and code not in seen:
            seen.add(code)
            rows.append({"code": code, "description": description, "parent": parent})

    for region in document["regions"]:
        aspects = {
            h["id"]: h["name"] for h in region.get("matrix_headings", []) if h["axis"] == "aspect"
        }
        actors = {
            h["id"]: h["name"] for h in region.get("matrix_headings", []) if h["axis"] == "actor"
        }
        for item in region.get("barrier_items", []):
            aspect = aspects.get(item["aspect_id"], "")
            add(aspect, "Systeemaspect (system aspect) of the system analysis.")
            actor = actors.get(item["actor_id"], "")
            description = item["description"] + (f" (actorgroep: {actor})" if actor else "")
            add(item_code(item), description, aspect)
    themes: dict[str, list[str]] = {}
    for region in document["regions"]:
        for agenda in region["agendas"]:
            for version in sorted(agenda["versions"], key=lambda v: v["number"]):
                for line in (version.get("themes") or "").splitlines():
                    theme = line.strip()
                    if theme:
                        themes.setdefault(theme, []).append(
                            f"{agenda['title']} versie {version['number']}"
                        )
    if themes:
        add(THEMES_PARENT, "Themes (thema's) named in the versions of the learning agendas.")
        for theme, places in themes.items():
            add(theme, "Thema in: " + ", ".join(places), THEMES_PARENT)
    return rows


def codes_csv(document: dict) -> bytes:
    """The codes as CSV for Taguette or QualCoder: UTF-8 without a byte order mark (those
    tools would read it as part of the first column name), header code,description,parent."""
    return to_csv(code_rows(document), CODE_COLUMNS).removeprefix("\ufeff".encode())


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


# --- DOCX ------------------------------------------------------------------------------------


def dutch_date(value: str | None) -> str:
    """ISO "2020-02-24" -> "24-02-2020"; "" when empty."""
    day = _day(value)
    return day.strftime("%d-%m-%Y") if day else ""


def document_lines(version_doc: dict) -> list[tuple[str, str]]:
    """A version laid out as a DLA document: (kind, text) pairs in reading order.

    Kinds: title, meta (Versie, Datum, Aan, Van, Kenmerk, …), context, group, stem,
    question, sub. The DOCX writer and the printable page share this layout.
    """
    lines: list[tuple[str, str]] = [("title", version_doc["agenda_title"])]
    if version_doc.get("label"):
        lines.append(("meta", f"Versie: {version_doc['label']}"))
    if version_doc.get("document_date"):
        lines.append(("meta", f"Datum: {dutch_date(version_doc['document_date'])}"))
    for key, caption in (("recipient", "Aan"), ("author", "Van"), ("reference", "Kenmerk")):
        if version_doc.get(key):
            lines.append(("meta", f"{caption}: {version_doc[key]}"))
    if version_doc.get("status") != PUBLISHED:
        lines.append(("meta", "Status: concept (nog niet vastgesteld)"))
    if version_doc.get("distribution") == "beperkt":
        lines.append(("meta", "Verspreiding: beperkt (alleen voor de leden van de werksessie)"))
    if version_doc.get("context_line"):
        lines.append(("context", version_doc["context_line"]))
    themes = [t.strip() for t in (version_doc.get("themes") or "").splitlines() if t.strip()]
    if themes:
        lines.append(("meta", "Thema's: " + ", ".join(themes)))
    for group in version_doc["groups"]:
        if group["title"]:
            lines.append(("group", group["title"]))
        stem = ""
        for wording in group["wordings"]:
            if wording["shared_stem"] and wording["shared_stem"] != stem:
                lines.append(("stem", wording["shared_stem"]))
            stem = wording["shared_stem"]
            lines.append(("question", f"{wording['label']}. {wording['text']}"))
            for sub in wording["subquestions"]:
                lines.append(("sub", f"{sub['label']}. {sub['text']}"))
    return lines


def version_docx(version_doc: dict) -> bytes:
    """One version as a Word document in the DLA layout, in Dutch."""
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    document.core_properties.title = version_doc["agenda_title"]
    document.core_properties.language = "nl-NL"
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    for kind, text in document_lines(version_doc):
        if kind == "title":
            document.add_heading(text, level=1)
        elif kind == "group":
            document.add_heading(text, level=2)
        elif kind == "meta":
            document.add_paragraph(text)
        elif kind == "context":
            paragraph = document.add_paragraph()
            paragraph.add_run(text).italic = True
        elif kind == "stem":
            paragraph = document.add_paragraph()
            paragraph.add_run(text).bold = True
        elif kind == "question":
            paragraph = document.add_paragraph(text)
            paragraph.paragraph_format.left_indent = Cm(0.6)
            paragraph.paragraph_format.first_line_indent = Cm(-0.6)
        else:
            paragraph = document.add_paragraph(text)
            paragraph.paragraph_format.left_indent = Cm(1.5)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


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
