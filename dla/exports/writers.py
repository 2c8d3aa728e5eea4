"""Pure writers: the export document (plain data) in, file bytes out.

Nothing here touches Flask or the database. The document is the JSON interchange format
described by ``schema/dla-export-v1.schema.json``; ``services.export_document`` builds it.
Persistence figures are computed from the document itself (with the pure ``history``
module), so every file agrees with what the viewer may see.
The workbook and the researcher bundle are in ``bundle``, the Word document in ``docx``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date

from dla import dates
from dla.agendas import history
from dla.tabular import to_csv

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

XLSX_SHEETS = (
    "Formuleringen",
    "Leervragen",
    "Overgangen",
    "Barrières",
    "Indicatoren",
    "Waarnemingen",
    "Documenten",
    "Opmerkingen",
    "Werksessies",
    "Bijdragen",
    "Stemmen",
    "Sessiebesluiten",
    "Mijlpalen",
    "Besluiten",
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
    agendas are ordered by when it arrived there (its first wording id). Ages run to the
    latest version of the agenda, not to ``today`` (kept for the callers' signature).
    """
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
    latest = history.latest_days((agenda_id, day) for _t, _w, agenda_id, _i, day, _k in rows)
    return {
        thread_id: history.persistence(
            items,
            latest=latest,
            min_run=region["persist_min_run"],
            max_months=region["persist_max_months"],
        )
        for thread_id, items in appearances.items()
    }


def _figures(figure: history.Persistence) -> dict:
    return {
        "versies_aanwezig": figure.versions_present,
        "langste_reeks": figure.longest_run,
        "eerste_datum": figure.first_date,
        "laatste_datum": figure.last_date,
        "hardnekkig": "ja" if figure.hardnekkig else "nee",
    }


def _note(transition: dict) -> str:
    return "; ".join(part for part in (transition["reason"], transition["note"]) if part)


# --- tabular rows ----------------------------------------------------------------------------


def long_rows(document: dict, *, today: date | None = None) -> list[dict]:
    """One row per wording per version (long format), with the thread's figures."""
    return list(iter_long_rows(document, today=today))


def iter_long_rows(document: dict, *, today: date | None = None) -> Iterator[dict]:
    """:func:`long_rows` one at a time: the CSV writes each row as it comes, so the export
    never holds all of them (43,200 on the large benchmark dataset)."""
    for region in document["regions"]:
        figures = region_persistence(region, today=today)
        barriers = _thread_barriers(region)
        for agenda in region["agendas"]:
            for version in sorted(agenda["versions"], key=lambda v: v["number"]):
                for group, wording in _wordings(version):
                    transition = wording["transition"] or {}
                    figure = figures.get(wording["thread_id"], history.EMPTY)
                    yield {
                        "regio": region["name"],
                        "agenda": agenda["title"],
                        "niveau": agenda["level"],
                        "doelgroep": agenda["audience"],
                        "versie": version["number"],
                        "versiedatum": _day(version["document_date"]),
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
                    "eerste_datum": figure.first_date,
                    "laatste_datum": figure.last_date,
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
                    "genoteerd_op": _day(item["noted_on"]),
                    "status_sinds": _day(item["status_on"]),
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
                    "datum": _day(observation["observed_on"]),
                    "tot_en_met": _day(observation["period_end"]),
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


# --- DOCX ------------------------------------------------------------------------------------


def dutch_date(value: str | None) -> str:
    """ISO "2020-02-24" -> "24-02-2020"; "" when empty."""
    day = _day(value)
    return dates.short(day) if day else ""


def document_lines(version_doc: dict) -> list[tuple[str, str]]:
    """A version laid out as a DLA document: (kind, text) pairs in reading order.

    Kinds: title, meta (Versie, Datum, Aan, Van, Kenmerk, …), context, group, stem,
    question, sub. The DOCX writer, the printable page and the REFI-QDA source share
    this layout (``layout``).
    """
    return [(kind, text) for kind, text, _wording in layout(version_doc)]


def layout(version_doc: dict):
    """``document_lines`` with the wording each question line is about: yields
    (kind, text, wording or None). A question line is "<label>. <text>"."""
    yield "title", version_doc["agenda_title"], None
    label = version_doc.get("label")
    number = version_doc.get("number")
    if label:
        yield "meta", f"Versie: {label}", None
    elif number is not None:
        yield "meta", f"Versie: {number}", None
    if version_doc.get("document_date"):
        yield "meta", f"Datum: {dutch_date(version_doc['document_date'])}", None
    for key, caption in (("recipient", "Aan"), ("author", "Van"), ("reference", "Kenmerk")):
        if version_doc.get(key):
            yield "meta", f"{caption}: {version_doc[key]}", None
    if version_doc.get("status") != PUBLISHED:
        yield "meta", "Status: concept (nog niet vastgesteld)", None
    if version_doc.get("distribution") == "beperkt":
        yield "meta", "Verspreiding: beperkt (alleen voor de leden van de werksessie)", None
    if version_doc.get("context_line"):
        yield "context", version_doc["context_line"], None
    themes = [t.strip() for t in (version_doc.get("themes") or "").splitlines() if t.strip()]
    if themes:
        yield "meta", "Thema's: " + ", ".join(themes), None
    for group in version_doc["groups"]:
        if group["title"] and group["wordings"]:
            yield "group", group["title"], None
        stem = ""
        for wording in group["wordings"]:
            if wording["shared_stem"] and wording["shared_stem"] != stem:
                yield "stem", wording["shared_stem"], None
            stem = wording["shared_stem"]
            yield "question", f"{wording['label']}. {wording['text']}", wording
            for sub in wording["subquestions"]:
                yield "sub", f"{sub['label']}. {sub['text']}", None
