"""The audit log in plain Dutch: one sentence per entry ("Anna de Vries toegevoegd aan regio
Rijnmond als onderzoeker, door Bea de Vries") and its details with Dutch field names, never
a raw id or a column name.

One describer per audited entity (``DESCRIBERS``), covering created, changed and deleted.
Pure functions: what a describer needs about the row and the rows it points at comes in a
:class:`Facts` (loaded by ``queries.facts_for``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from dla import dates
from dla.agendas.models import DROP_REASONS, TRANSITIONS, VERSION_STATUSES
from dla.analysis.models import (
    ACTION_STATUSES,
    AXES,
    DECISION_KINDS,
    DECISION_STATUSES,
    ITEM_KINDS,
    ITEM_STATUSES,
    MILESTONE_STATUSES,
)
from dla.auth.models import ROLES

CREATED, CHANGED, DELETED = "aangemaakt", "gewijzigd", "verwijderd"

# Dutch names of the fields shown in the details; a field not named here is not shown (ids
# and technical columns: the sentence names what they point at).
FIELD_LABELS = {
    "name": "naam",
    "title": "titel",
    "level": "niveau",
    "audience": "doelgroep",
    "ambition": "ambitie",
    "description": "beschrijving",
    "municipalities": "gemeenten",
    "persist_min_run": "hardnekkig na aantal versies",
    "persist_max_months": "hardnekkig na aantal maanden",
    "stop_words": "stopwoorden",
    "number": "versienummer",
    "label": "label",
    "document_date": "datum",
    "session_date": "datum van de sessie",
    "status": "status",
    "origin": "herkomst",
    "context_line": "aanleiding",
    "distribution": "verspreiding",
    "themes": "thema's",
    "author": "van",
    "recipient": "aan",
    "reference": "kenmerk",
    "published_at": "vastgesteld op",
    "label_style": "nummering",
    "shared_stem": "gedeelde stam",
    "text": "tekst",
    "full_text": "volledige vraag",
    "goal": "doel",
    "barrier": "barrière",
    "annotation": "toelichting",
    "tag": "herkomstlabel",
    "kind": "soort",
    "reason": "reden",
    "note": "toelichting",
    "body": "reactie",
    "author_name": "naam",
    "role": "rol",
    "email": "e-mailadres",
    "axis": "as",
    "source": "bron",
    "noted_on": "gezien op",
    "status_on": "status sinds",
    "term": "termijn",
    "owner": "wie het doet",
    "decided_on": "besloten op",
    "follow_up": "vervolg",
    "concerns": "gaat over",
    "horizon": "termijn",
    "audiences": "voor wie",
    "unit": "eenheid",
    "observed_on": "gemeten op",
    "period_end": "tot",
    "value": "waarde",
    "narrative": "verhaal",
    "notes": "aantekeningen",
    "allow_anonymous": "anoniem meedoen",
    "max_participants": "hoogstens deelnemers",
    "code": "deelnamecode",
    "original_text": "oorspronkelijke tekst",
    "active": "actief",
    "is_admin": "beheerder van de werkplaats",
}
# Stored values shown with their Dutch label, per field.
VALUE_LABELS = {
    "role": {key: label.lower() for key, label in ROLES.items()},
    "kind": {
        **{k: v.lower() for k, v in TRANSITIONS.items()},
        **{k: v.lower() for k, v in ITEM_KINDS.items()},
        **{k: v.lower() for k, v in DECISION_KINDS.items()},
    },
    "reason": {k: v.lower() for k, v in DROP_REASONS.items()},
    "axis": {k: v.lower() for k, v in AXES.items()},
    "status": {
        k: v.lower()
        for labels in (
            ACTION_STATUSES,
            DECISION_STATUSES,
            MILESTONE_STATUSES,
            ITEM_STATUSES,
            VERSION_STATUSES,
        )
        for k, v in labels.items()
    },
}


@dataclass
class Facts:
    """What is known about an entry's row and what it points at, by id."""

    row: dict = field(default_factory=dict)  # the row's values (from the entry, or the row)
    users: dict[int, str] = field(default_factory=dict)
    agendas: dict[int, str] = field(default_factory=dict)
    versions: dict[int, tuple[int, str]] = field(default_factory=dict)  # number, agenda
    wordings: dict[int, tuple[str, int | None]] = field(default_factory=dict)  # label, version
    items: dict[int, str] = field(default_factory=dict)  # code (B-12, K-3)
    indicators: dict[int, str] = field(default_factory=dict)
    milestones: dict[int, str] = field(default_factory=dict)
    sessions: dict[int, str] = field(default_factory=dict)
    region: str = ""


@dataclass
class Line:
    sentence: str
    details: list[dict]  # {"label", "old", "new"}


def show_value(name: str, value) -> str | None:
    """A stored value as a person reads it."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, str) and name in VALUE_LABELS:
        return VALUE_LABELS[name].get(value, value.replace("_", " "))
    if isinstance(value, str) and name.endswith(("_date", "_on", "period_end")):
        try:
            return dates.short(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, str) and name.endswith("_at"):
        try:
            return dates.stamp(datetime.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def details(changes: list[dict]) -> list[dict]:
    """The changes with Dutch field names and values; ids and technical fields left out."""
    shown = []
    for change in changes:
        label = FIELD_LABELS.get(change["field"])
        if label is None:
            continue
        old = show_value(change["field"], change["old"])
        new = show_value(change["field"], change["new"])
        if old is None and new is None:
            continue
        if any(d["old"] == old and d["new"] == new for d in shown):
            continue  # the full question when it is the text itself
        shown.append({"label": label, "old": old, "new": new})
    return shown


def _upper(text: str) -> str:
    """The first letter a capital, the rest as it is (names keep their capitals)."""
    return text[:1].upper() + text[1:]


def _quoted(text) -> str:
    text = " ".join(str(text or "").split())
    if len(text) > 60:
        text = text[:59] + "…"
    return f"‘{text}’" if text else ""


def _user(facts: Facts) -> str:
    return facts.users.get(facts.row.get("user_id")) or "iemand"


def _version(facts: Facts, version_id=None) -> str:
    version_id = version_id if version_id is not None else facts.row.get("version_id")
    if version_id in facts.versions:
        number, agenda = facts.versions[version_id]
        return f"versie {number} van {_quoted(agenda)}"
    return "een versie"


def _wording(facts: Facts, wording_id) -> str:
    if wording_id in facts.wordings:
        label, version_id = facts.wordings[wording_id]
        where = f" in {_version(facts, version_id)}" if version_id is not None else ""
        return f"vraag {label}{where}" if label else f"een vraag{where}"
    return "een vraag"


def _target(facts: Facts) -> str:
    """'leervraag LV-3' or 'barrière B-12': what a link points at."""
    if facts.row.get("thread_id") is not None:
        return f"leervraag LV-{facts.row['thread_id']}"
    if facts.row.get("item_id") is not None:
        item = facts.items.get(facts.row["item_id"])
        return f"barrière {item}" if item else "een barrière"
    return "een leervraag of barrière"


def _verb(action: str, created="toegevoegd", changed="gewijzigd", deleted="verwijderd") -> str:
    return {CREATED: created, CHANGED: changed, DELETED: deleted}[action]


def _region(action, facts):
    return f"Regio {_quoted(facts.row.get('name'))} {_verb(action, created='aangemaakt')}"


def _agenda(action, facts):
    return f"Agenda {_quoted(facts.row.get('title'))} {_verb(action, created='aangemaakt')}"


def _version_sentence(action, facts):
    row = facts.row
    number = row.get("number")
    agenda = facts.agendas.get(row.get("agenda_id"), "")
    subject = f"Versie {number}" if number is not None else "Een versie"
    if agenda:
        subject += f" van {_quoted(agenda)}"
    if action == CHANGED and facts.row.get("_changed_status") == "vastgesteld":
        return f"{subject} vastgesteld"
    return f"{subject} {_verb(action, created='begonnen')}"


def _group(action, facts):
    title = _quoted(facts.row.get("title"))
    return f"Groep {title} in {_version(facts)} {_verb(action)}".replace("Groep  ", "Groep ")


def _wording_sentence(action, facts):
    label = facts.row.get("label")
    subject = f"Vraag {label}" if label else "Een vraag"
    return f"{subject} in {_version(facts)} {_verb(action)}"


def _subquestion(action, facts):
    label = facts.row.get("label")
    wording = _wording(facts, facts.row.get("wording_id"))
    return f"Deelvraag {label or ''} bij {wording} {_verb(action)}".replace("  ", " ")


def _transition(action, facts):
    kind = VALUE_LABELS["kind"].get(facts.row.get("kind"), "een besluit")
    wording = _wording(facts, facts.row.get("from_wording_id"))
    verb = _verb(action, created="genomen", deleted="ingetrokken")
    return f"Besluit ‘{kind}’ over {wording} {verb}"


def _comment(action, facts):
    if facts.row.get("thread_id") is not None:
        where = f"leervraag LV-{facts.row['thread_id']}"
    else:
        where = _version(facts)
    return f"Reactie bij {where} {_verb(action, created='geplaatst')}"


def _membership(action, facts):
    user, region = _user(facts), facts.region
    role = VALUE_LABELS["role"].get(facts.row.get("role"), "lid")
    if action == CREATED:
        return f"{user} toegevoegd aan regio {region} als {role}"
    if action == DELETED:
        return f"{user} uit regio {region} gehaald"
    return f"Rol van {user} in regio {region} gewijzigd"


def _invitation(action, facts):
    email = facts.row.get("email") or "iemand"
    role = VALUE_LABELS["role"].get(facts.row.get("role"), "lid")
    if action == CREATED:
        return f"{email} uitgenodigd voor regio {facts.region} als {role}"
    if action == DELETED:
        return f"Uitnodiging van {email} ingetrokken"
    if facts.row.get("_changed_used"):
        return f"Uitnodiging aangenomen door {email}"
    return f"Uitnodiging van {email} gewijzigd"


def _account(action, facts):
    name = facts.row.get("name") or "iemand"
    return f"Account van {name} {_verb(action, created='aangemaakt')}"


def _indicator(action, facts):
    return f"Indicator {_quoted(facts.row.get('name'))} {_verb(action)}"


def _observation(action, facts):
    indicator = facts.indicators.get(facts.row.get("indicator_id"))
    where = f" bij indicator {_quoted(indicator)}" if indicator else ""
    return f"Waarneming{where} {_verb(action)}"


def _indicator_link(action, facts):
    indicator = facts.indicators.get(facts.row.get("indicator_id"))
    subject = f"indicator {_quoted(indicator)}" if indicator else "een indicator"
    if action == CREATED:
        return f"{_upper(subject)} gekoppeld aan {_target(facts)}"
    return f"Koppeling van {subject} aan {_target(facts)} {_verb(action, deleted='weggehaald')}"


def _heading(action, facts):
    axis = _upper(VALUE_LABELS["axis"].get(facts.row.get("axis"), "kop"))
    return f"{axis} {_quoted(facts.row.get('name'))} in de matrix {_verb(action)}"


def _item(action, facts):
    code = facts.items.get(facts.row.get("_id"))
    kind = VALUE_LABELS["kind"].get(facts.row.get("kind"), "barrière")
    subject = f"{_upper(kind)} {code}" if code else _upper(kind)
    return f"{subject} {_verb(action)}"


def _barrier_link(action, facts):
    item = facts.items.get(facts.row.get("item_id"))
    item = f"barrière {item}" if item else "een barrière"
    thread = facts.row.get("thread_id")
    thread = f"leervraag LV-{thread}" if thread is not None else "een leervraag"
    if action == CREATED:
        return f"{_upper(thread)} gekoppeld aan {item}"
    return f"Koppeling tussen {thread} en {item} {_verb(action, deleted='weggehaald')}"


def _milestone(action, facts):
    return f"Mijlpaal {_quoted(facts.row.get('title'))} {_verb(action)}"


def _of_milestone(noun):
    def describe(action, facts):
        milestone = facts.milestones.get(facts.row.get("milestone_id"))
        where = f" bij mijlpaal {_quoted(milestone)}" if milestone else ""
        return f"{noun}{where} {_verb(action)}"

    return describe


def _milestone_link(action, facts):
    milestone = facts.milestones.get(facts.row.get("milestone_id"))
    subject = f"mijlpaal {_quoted(milestone)}" if milestone else "een mijlpaal"
    if action == CREATED:
        return f"{_upper(subject)} gekoppeld aan {_target(facts)}"
    return f"Koppeling van {subject} aan {_target(facts)} {_verb(action, deleted='weggehaald')}"


def _decision(action, facts):
    kind = facts.row.get("kind")
    noun = "Verzoek aan de taskforce" if kind == "verzoek" else "Besluit van de taskforce"
    return f"{noun} {_verb(action, created='vastgelegd')}"


def _follow_up(action, facts):
    return f"Vervolg op een besluit van de taskforce {_verb(action, created='vastgelegd')}"


def _quotation(action, facts):
    thread = facts.row.get("thread_id")
    subject = f"leervraag LV-{thread}" if thread is not None else "een leervraag"
    if action == CREATED:
        return f"{_upper(subject)} geciteerd als {_quoted(facts.row.get('tag'))}"
    return f"Citaat van {subject} {_verb(action)}"


def _term(action, facts):
    term = _quoted(facts.row.get("term"))
    return f"Begrip {term} {_verb(action, created='toegevoegd aan de begrippenlijst')}"


def _session(action, facts):
    title = _quoted(facts.row.get("title"))
    status = facts.row.get("_changed_status")
    if action == CHANGED and status in ("open", "gesloten"):
        return f"Werksessie {title} {'geopend' if status == 'open' else 'gesloten'}"
    return f"Werksessie {title} {_verb(action, created='gepland')}"


def _in_session(noun, created="toegevoegd"):
    def describe(action, facts):
        session = facts.sessions.get(facts.row.get("werksessie_id"))
        where = f" in werksessie {_quoted(session)}" if session else ""
        return f"{noun} {_verb(action, created=created)}{where}"

    return describe


DESCRIBERS = {
    "regio": _region,
    "agenda": _agenda,
    "versie": _version_sentence,
    "groep": _group,
    "vraag": _wording_sentence,
    "deelvraag": _subquestion,
    "overgang": _transition,
    "reactie": _comment,
    "lidmaatschap": _membership,
    "uitnodiging": _invitation,
    "gebruiker": _account,
    "meting": _indicator,
    "waarneming": _observation,
    "koppeling meting–leervraag": _indicator_link,
    "matrixkop": _heading,
    "barrière-item": _item,
    "koppeling": _barrier_link,
    "mijlpaal": _milestone,
    "randvoorwaarde": _of_milestone("Randvoorwaarde"),
    "actie": _of_milestone("Actie"),
    "mijlpaalkoppeling": _milestone_link,
    "besluit": _decision,
    "vervolg op besluit": _follow_up,
    "citaat": _quotation,
    "begrip": _term,
    "sessie": _session,
    "sessiebesluit": _in_session("Besluit over een vraag", created="genomen"),
    "sessievraag": _in_session("Vraag", created="ingebracht"),
}


def describe(entry, changes: list[dict], facts: Facts) -> Line:
    """The sentence and details of one audit entry (``changes``: what the reader may see)."""
    describer = DESCRIBERS.get(entry.entity)
    if describer is None:
        sentence = f"Iets {_verb(entry.action, created='aangemaakt')}"
    else:
        sentence = describer(entry.action, facts)
    actor = entry.actor if entry.actor and entry.actor != "systeem" else "het systeem"
    return Line(f"{_upper(sentence)}, door {actor}.", details(changes))
