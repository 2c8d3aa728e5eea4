"""The researcher tables that were only in the JSON: one row per version (document
attributes), comment, werksessie, contribution, vote, session decision, milestone and
taskforce decision.

Pure, like ``writers``: the export document in, rows (plain dicts) out. Names are as in
the document: pseudonymised there when the export leaves names out, so a person has the
same code in every table. Dates are ``date`` values (date cells in the workbook, ISO 8601
in CSV); timestamps stay ISO 8601 text in UTC.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from dla.exports.qdpx import guid
from dla.exports.writers import item_code

DOCUMENT_COLUMNS = [
    "versie_id",
    "regio",
    "agenda_id",
    "agenda",
    "niveau",
    "doelgroep",
    "versie",
    "label",
    "versiedatum",
    "sessiedatum",
    "status",
    "herkomst",
    "verspreiding",
    "auteur",
    "ontvanger",
    "kenmerk",
    "themas",
    "vastgesteld_op",
    "vragen",
    "qda_bron",
]
COMMENT_COLUMNS = [
    "opmerking_id",
    "regio",
    "leervraag_id",
    "versie_id",
    "auteur",
    "tekst",
    "geplaatst_op",
]
SESSION_COLUMNS = [
    "werksessie_id",
    "regio",
    "sessiesoort",
    "titel",
    "sessiedatum",
    "sessiestatus",
    "deelnemers",
    "geopend_op",
    "gesloten_op",
]
CONTRIBUTION_COLUMNS = [
    "bijdrage_id",
    "regio",
    "werksessie_id",
    "deelnemer_id",
    "deelnemer",
    "deelnemersrol",
    "oorspronkelijke_tekst",
    "tekst",
    "bijdragestatus",
    "agenda",
    "samengevoegd_met_bijdrage",
    "samengevoegd_met_formulering",
    "formulering_id",
]
VOTE_COLUMNS = [
    "stem_id",
    "regio",
    "werksessie_id",
    "deelnemer_id",
    "deelnemer",
    "deelnemersrol",
    "formulering_id",
    "leervraag_id",
    "stem",
]
SESSION_DECISION_COLUMNS = [
    "sessiebesluit_id",
    "regio",
    "werksessie_id",
    "formulering_id",
    "leervraag_id",
    "soort",
    "reden",
    "toelichting",
    "nieuwe_tekst",
    "samenvoegen_met_formulering",
    "samenvoegen_met_bijdrage",
    "naar_agenda",
]
MILESTONE_COLUMNS = [
    "mijlpaal_id",
    "regio",
    "titel",
    "omschrijving",
    "termijn",
    "mijlpaalstatus",
    "randvoorwaarden",
    "acties",
    "leervragen",
    "barriere_codes",
]
DECISION_COLUMNS = [
    "besluit_id",
    "regio",
    "besluitdatum",
    "besluitsoort",
    "besluit",
    "vervolg",
    "besluitstatus",
    "auteur",
    "barriere_code",
    "mijlpaal_id",
    "mijlpaal",
]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _versions(region: dict):
    for agenda in region["agendas"]:
        for version in sorted(agenda["versions"], key=lambda v: v["number"]):
            yield agenda, version


def _thread_of(region: dict) -> dict[int, int]:
    return {
        wording["id"]: wording["thread_id"]
        for _agenda, version in _versions(region)
        for group in version["groups"]
        for wording in group["wordings"]
    }


def document_rows(document: dict) -> list[dict]:
    """One row per version: the attributes of the document (as the QDA project's document
    variables; ``qda_bron`` is the GUID of its source in the .qdpx)."""
    rows = []
    for region in document["regions"]:
        for agenda, version in _versions(region):
            rows.append(
                {
                    "versie_id": version["id"],
                    "regio": region["name"],
                    "agenda_id": agenda["id"],
                    "agenda": agenda["title"],
                    "niveau": agenda["level"],
                    "doelgroep": agenda["audience"],
                    "versie": version["number"],
                    "label": version["label"],
                    "versiedatum": _day(version["document_date"]),
                    "sessiedatum": _day(version["session_date"]),
                    "status": version["status"],
                    "herkomst": version["origin"],
                    "verspreiding": version["distribution"],
                    "auteur": version["author"],
                    "ontvanger": version["recipient"],
                    "kenmerk": version["reference"],
                    "themas": "; ".join(
                        t.strip() for t in (version["themes"] or "").splitlines() if t.strip()
                    ),
                    "vastgesteld_op": version["published_at"] or "",
                    "vragen": sum(len(g["wordings"]) for g in version["groups"]),
                    "qda_bron": guid("source", version["id"]),
                }
            )
    return rows


def comment_rows(document: dict) -> list[dict]:
    return [
        {
            "opmerking_id": comment["id"],
            "regio": region["name"],
            "leervraag_id": comment["thread_id"],
            "versie_id": comment["version_id"],
            "auteur": comment["author_name"],
            "tekst": comment["body"],
            "geplaatst_op": comment["created_at"] or "",
        }
        for region in document["regions"]
        for comment in region["comments"]
    ]


def session_rows(document: dict) -> list[dict]:
    rows = []
    for region in document["regions"]:
        joined: dict[int, int] = defaultdict(int)
        for participant in region.get("session_participants", []):
            joined[participant["werksessie_id"]] += 1
        for session in region.get("werksessies", []):
            rows.append(
                {
                    "werksessie_id": session["id"],
                    "regio": region["name"],
                    "sessiesoort": session["kind"],
                    "titel": session["title"],
                    "sessiedatum": _day(session["session_date"]),
                    "sessiestatus": session["status"],
                    "deelnemers": joined.get(session["id"], 0),
                    "geopend_op": session["opened_at"] or "",
                    "gesloten_op": session["closed_at"] or "",
                }
            )
    return rows


def _participants(region: dict) -> dict[int, dict]:
    return {p["id"]: p for p in region.get("session_participants", [])}


def contribution_rows(document: dict) -> list[dict]:
    rows = []
    for region in document["regions"]:
        people = _participants(region)
        titles = {a["id"]: a["title"] for a in region["agendas"]}
        for item in region.get("session_contributions", []):
            person = people.get(item["participant_id"], {})
            rows.append(
                {
                    "bijdrage_id": item["id"],
                    "regio": region["name"],
                    "werksessie_id": item["werksessie_id"],
                    "deelnemer_id": person.get("id"),
                    "deelnemer": person.get("display_name", ""),
                    "deelnemersrol": person.get("role", ""),
                    "oorspronkelijke_tekst": item["original_text"],
                    "tekst": item["text"],
                    "bijdragestatus": item["status"],
                    "agenda": titles.get(item["agenda_id"], ""),
                    "samengevoegd_met_bijdrage": item["merged_into_id"],
                    "samengevoegd_met_formulering": item["merged_into_wording_id"],
                    "formulering_id": item["wording_id"],
                }
            )
    return rows


def vote_rows(document: dict) -> list[dict]:
    rows = []
    for region in document["regions"]:
        people = _participants(region)
        thread_of = _thread_of(region)
        for vote in region.get("session_votes", []):
            person = people.get(vote["participant_id"], {})
            rows.append(
                {
                    "stem_id": vote["id"],
                    "regio": region["name"],
                    "werksessie_id": vote["werksessie_id"],
                    "deelnemer_id": person.get("id"),
                    "deelnemer": person.get("display_name", ""),
                    "deelnemersrol": person.get("role", ""),
                    "formulering_id": vote["wording_id"],
                    "leervraag_id": thread_of.get(vote["wording_id"]),
                    "stem": vote["value"],
                }
            )
    return rows


def session_decision_rows(document: dict) -> list[dict]:
    rows = []
    for region in document["regions"]:
        thread_of = _thread_of(region)
        titles = {a["id"]: a["title"] for a in region["agendas"]}
        for decision in region.get("session_decisions", []):
            rows.append(
                {
                    "sessiebesluit_id": decision["id"],
                    "regio": region["name"],
                    "werksessie_id": decision["werksessie_id"],
                    "formulering_id": decision["wording_id"],
                    "leervraag_id": thread_of.get(decision["wording_id"]),
                    "soort": decision["kind"],
                    "reden": decision["reason"],
                    "toelichting": decision["note"],
                    "nieuwe_tekst": decision["text"],
                    "samenvoegen_met_formulering": decision["merge_wording_id"],
                    "samenvoegen_met_bijdrage": decision["merge_contribution_id"],
                    "naar_agenda": titles.get(decision["target_agenda_id"], ""),
                }
            )
    return rows


def milestone_rows(document: dict) -> list[dict]:
    rows = []
    for region in document["regions"]:
        items = {item["id"]: item for item in region.get("barrier_items", [])}
        conditions: dict[int, list[str]] = defaultdict(list)
        for condition in region.get("preconditions", []):
            conditions[condition["milestone_id"]].append(condition["text"])
        actions: dict[int, int] = defaultdict(int)
        for action in region.get("milestone_actions", []):
            actions[action["milestone_id"]] += 1
        threads: dict[int, set[int]] = defaultdict(set)
        codes: dict[int, set[int]] = defaultdict(set)
        for link in region.get("milestone_links", []):
            if link["thread_id"] is not None:
                threads[link["milestone_id"]].add(link["thread_id"])
            if link["item_id"] in items:
                codes[link["milestone_id"]].add(link["item_id"])
        for milestone in region.get("milestones", []):
            rows.append(
                {
                    "mijlpaal_id": milestone["id"],
                    "regio": region["name"],
                    "titel": milestone["title"],
                    "omschrijving": milestone["description"],
                    "termijn": milestone["term"],
                    "mijlpaalstatus": milestone["status"],
                    "randvoorwaarden": " | ".join(conditions.get(milestone["id"], [])),
                    "acties": actions.get(milestone["id"], 0),
                    "leervragen": ";".join(str(t) for t in sorted(threads[milestone["id"]])),
                    "barriere_codes": ";".join(
                        item_code(items[i]) for i in sorted(codes[milestone["id"]])
                    ),
                }
            )
    return rows


def decision_rows(document: dict) -> list[dict]:
    rows = []
    for region in document["regions"]:
        items = {item["id"]: item for item in region.get("barrier_items", [])}
        milestones = {m["id"]: m["title"] for m in region.get("milestones", [])}
        for decision in region.get("decisions", []):
            item = items.get(decision["item_id"])
            rows.append(
                {
                    "besluit_id": decision["id"],
                    "regio": region["name"],
                    "besluitdatum": _day(decision["decided_on"]),
                    "besluitsoort": decision["kind"],
                    "besluit": decision["text"],
                    "vervolg": decision["follow_up"],
                    "besluitstatus": decision["status"],
                    "auteur": decision["author_name"],
                    "barriere_code": item_code(item) if item else "",
                    "mijlpaal_id": decision["milestone_id"],
                    "mijlpaal": milestones.get(decision["milestone_id"], ""),
                }
            )
    return rows


# file name (CSV) and sheet name, columns, rows: the tables this module adds.
TABLES = (
    ("documenten", "Documenten", DOCUMENT_COLUMNS, document_rows),
    ("opmerkingen", "Opmerkingen", COMMENT_COLUMNS, comment_rows),
    ("werksessies", "Werksessies", SESSION_COLUMNS, session_rows),
    ("bijdragen", "Bijdragen", CONTRIBUTION_COLUMNS, contribution_rows),
    ("stemmen", "Stemmen", VOTE_COLUMNS, vote_rows),
    ("sessiebesluiten", "Sessiebesluiten", SESSION_DECISION_COLUMNS, session_decision_rows),
    ("mijlpalen", "Mijlpalen", MILESTONE_COLUMNS, milestone_rows),
    ("besluiten", "Besluiten", DECISION_COLUMNS, decision_rows),
)
