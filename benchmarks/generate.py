"""Generate a realistic benchmark dataset for DLA-werkplaats, fast.

    python benchmarks/generate.py --size small|large [--database-url URL]

The rows are built in Python and written with SQLAlchemy Core bulk inserts (executemany),
not through the services, but they follow every rule the services enforce:

- versions are numbered 1..N per agenda; all are published (vastgesteld, with
  ``published_at``) except the last one, which is a concept;
- each version has one group (position 0, no title, letters) holding ~30 wordings labelled
  A, B, C … in order, with the parsed parts filled by ``parse_question``;
- every wording of version N has exactly one transition, decided in version N+1:
  blijft staan (same text), geherformuleerd (changed text), vervallen (reason
  ``niet_meer_urgent``), voorlopig beantwoord (with a note) or samengevoegd (with a
  ``transition_targets`` row pointing at a carried wording of version N+1). Questions that
  leave are replaced by new questions (new threads), so every version keeps 30 questions.

SQLite (default: ``benchmarks/out/<size>.sqlite3``) or PostgreSQL: with a PostgreSQL URL the
data goes into the schema ``bench_<size>`` (dropped and recreated first), selected with the
URL option ``options=-csearch_path=bench_<size>``.

Each region also gets a system-analysis matrix (the default 10 aspects × 9 actor groups)
with barrier items (one per barrier clause used in the questions, plus extra items and
kansen), links from about a third of its threads to the item of their barrier clause (and
some second links), four milestones linked to items, and taskforce decisions on every third
barrier.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, func, insert, inspect, select, text
from sqlalchemy.engine import make_url

from dla import create_app
from dla.agendas.models import (
    ANSWER,
    CONCEPT,
    DROP,
    KEEP,
    MERGE,
    PUBLISHED,
    REWORD,
    Agenda,
    SubQuestion,
    Thread,
    Transition,
    Version,
    VersionGroup,
    Wording,
    transition_targets,
)
from dla.agendas.parsing import letter_label, parse_question, roman_label
from dla.analysis.models import (
    DEFAULT_ACTORS,
    DEFAULT_ASPECTS,
    BarrierItem,
    BarrierLink,
    Decision,
    MatrixHeading,
    Milestone,
    MilestoneLink,
)
from dla.extensions import db
from dla.measurements import models as _measurements  # noqa: F401  (complete metadata)
from dla.regions.models import Region
from dla.werksessies import models as _werksessies  # noqa: F401  (complete metadata)

OUT = Path(__file__).resolve().parent / "out"
SEED = 20240607
QUESTIONS_PER_VERSION = 30
# Barrier items per region (at least one per entry of BARRIERS) and the share of threads
# linked to the item of their barrier clause.
ITEMS_PER_REGION = {"small": 24, "large": 60}
LINK_SHARE = 0.35
SECOND_LINK_SHARE = 0.1
# (regions, agendas per region, versions per agenda, questions per version)
SIZES = {
    "small": (2, 3, 6, QUESTIONS_PER_VERSION),
    "large": (10, 6, 24, QUESTIONS_PER_VERSION),
}
START = date(2022, 1, 1)
STEP = timedelta(weeks=6)

REGION_NAMES = [
    ("Twente", ["Enschede", "Hengelo", "Almelo", "Oldenzaal", "Borne"]),
    ("Haaglanden", ["Den Haag", "Delft", "Zoetermeer", "Rijswijk", "Westland"]),
    ("Rotterdam-Rijnmond", ["Rotterdam", "Schiedam", "Vlaardingen", "Capelle aan den IJssel"]),
    ("Zuid-Holland Zuid", ["Dordrecht", "Gorinchem", "Zwijndrecht", "Papendrecht"]),
    ("Utrecht", ["Utrecht", "Amersfoort", "Nieuwegein", "Zeist", "Veenendaal"]),
    ("Noord-Holland Noord", ["Alkmaar", "Den Helder", "Hoorn", "Heerhugowaard"]),
    ("Limburg-Noord", ["Venlo", "Roermond", "Venray", "Weert"]),
    ("Gelderland-Zuid", ["Nijmegen", "Tiel", "Wijchen", "Culemborg"]),
    ("Fryslân", ["Leeuwarden", "Sneek", "Heerenveen", "Drachten"]),
    ("IJsselland", ["Zwolle", "Deventer", "Kampen", "Raalte"]),
]
# (level, audience, title prefix, stem with role phrase)
AGENDA_KINDS = [
    ("operationeel", "ICR's", "Leeragenda ICR's", "Hoe kan ik als ICR"),
    ("tactisch", "Managers", "Leeragenda managers", "Hoe kunnen we als managers"),
    ("operationeel", "Professionals", "Leeragenda professionals", "Hoe kan ik als professional"),
    ("strategisch", "Bestuurders", "Bestuurlijke leeragenda", "Hoe kunnen we als bestuurders"),
    ("netwerk", "Taskforce", "Leeragenda taskforce", "Hoe kunnen we als taskforce"),
    ("tactisch", "Projectleider", "Leeragenda projectleiding", "Hoe kan ik als projectleider"),
]
GOALS = [
    "regie houden op de veiligheid van het gezin",
    "snel zicht krijgen op eerdere meldingen",
    "de samenwerking met Veilig Thuis versterken",
    "het veiligheidsplan samen met het gezin opstellen",
    "tijdig opschalen naar de juiste partner",
    "de stem van het kind centraal zetten",
    "afspraken in het netwerk bewaken",
    "informatie delen binnen de kaders van de privacywet",
    "langdurige onveiligheid doorbreken",
    "de hulp rond een gezin op elkaar afstemmen",
    "risico's bespreekbaar maken met ouders",
    "de voortgang van het plan meetbaar maken",
    "het gesprek over huiselijk geweld openen",
    "ketenpartners aanspreken op hun afspraken",
    "nazorg na de crisis goed regelen",
    "de doorlooptijd van casussen verkorten",
    "signalen van kindermishandeling eerder herkennen",
    "de rol van het wijkteam helder maken",
    "een gezamenlijke risicotaxatie maken",
    "ervaringsdeskundigen betrekken bij het plan",
    "de overdracht tussen organisaties soepel laten verlopen",
    "escalaties in complexe scheidingen voorkomen",
    "structurele veiligheid borgen na het afsluiten",
    "het netwerk rond het gezin versterken",
]
BARRIERS = [
    "ik geen doorzettingsmacht heb",
    "partners verschillende registratiesystemen gebruiken",
    "de wachtlijsten bij de specialistische hulp lang zijn",
    "er geen gezamenlijke werkwijze is afgesproken",
    "de financiering per gemeente verschilt",
    "ik de informatie niet mag inzien zonder toestemming",
    "de caseload te hoog is om tijdig te reageren",
    "het mandaat van de ICR niet overal wordt erkend",
    "de rollen van de partners niet duidelijk zijn",
    "ouders de aangeboden hulp niet accepteren",
    "de privacyregels verschillend worden uitgelegd",
    "er geen tijd is voor overleg tussen de partners",
    "de bestuurlijke afspraken nog niet rond zijn",
    "het beleid per organisatie anders is",
    "er weinig zicht is op wat werkt",
    "de scholing voor nieuwe medewerkers ontbreekt",
    "de verantwoordelijkheid na afsluiting bij niemand ligt",
    "het vertrouwen tussen de partners nog broos is",
]
# A rewording swaps the qualifier after the goal for another one.
QUALIFIERS = [
    "",
    " in de praktijk",
    " samen met de ketenpartners",
    " ook buiten kantoortijden",
    " bij complexe casussen",
    " binnen de afgesproken termijnen",
    " voor alle gezinnen in de regio",
    " zonder dubbel werk",
]
SUBQUESTIONS = [
    "Wat is daarvoor nodig in de eigen organisatie?",
    "Welke afspraken moeten we met de partners maken?",
    "Hoe weten we dat het werkt?",
]
ANSWERS = [
    "Opgepakt in het regionale overleg; de afspraken staan in het convenant.",
    "Er is een vaste contactpersoon bij Veilig Thuis aangewezen.",
    "De werkinstructie is aangepast en besproken in het teamoverleg.",
    "De taskforce neemt dit mee in het jaarplan.",
]
THEMES = "Veiligheid\nSamenwerking in de keten\nInformatiedeling"
# Cumulative shares of the transition kinds (the rest, ~2 %, stays: no "verplaatst").
KIND_SHARES = [(0.80, KEEP), (0.88, REWORD), (0.92, DROP), (0.96, ANSWER), (0.98, MERGE)]


# --- database URLs ---------------------------------------------------------------------------


def is_postgres(url: str) -> bool:
    return url.startswith("postgres")


def default_url(size: str) -> str:
    return f"sqlite:///{OUT / f'{size}.sqlite3'}"


def schema_name(size: str) -> str:
    return f"bench_{size}"


def dataset_url(size: str, database_url: str | None = None) -> str:
    """The URL the dataset of ``size`` lives at.

    No URL: the default SQLite file. A PostgreSQL URL: the same database with the search
    path set to ``bench_<size>``. An SQLite URL: used as is (``{size}`` is filled in).
    """
    if not database_url:
        return default_url(size)
    from dla.config import normalise_database_url

    url = normalise_database_url(database_url.replace("{size}", size))
    if not is_postgres(url):
        # Flask-SQLAlchemy reads a relative SQLite path from the instance folder; make it
        # relative to the working directory instead, as on the command line.
        parsed = make_url(url)
        if parsed.database and parsed.database != ":memory:":
            path = Path(parsed.database)
            if not path.is_absolute():
                url = parsed.set(database=str(path.resolve())).render_as_string(False)
        return url
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema_name(size)}')}"


def _base_url(url: str) -> str:
    """A PostgreSQL URL without the search-path option (to create or drop the schema)."""
    parsed = make_url(url)
    query = {k: v for k, v in parsed.query.items() if k != "options"}
    return parsed.set(query=query).render_as_string(hide_password=False)


def expected_versions(size: str) -> int:
    regions, agendas, versions, _ = SIZES[size]
    return regions * agendas * versions


def dataset_ready(size: str, database_url: str | None = None) -> bool:
    """Whether a complete dataset of ``size`` exists at that URL."""
    url = dataset_url(size, database_url)
    if not is_postgres(url):
        path = make_url(url).database
        if not path or not Path(path).exists():
            return False
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            # A dataset made before a migration lacks the new tables: make it again.
            if set(db.metadata.tables) - set(inspect(conn).get_table_names()):
                return False
            count = conn.execute(select(func.count()).select_from(Version.__table__)).scalar()
            wordings = conn.execute(select(func.count()).select_from(Wording.__table__)).scalar()
            links = conn.execute(select(func.count()).select_from(BarrierLink.__table__)).scalar()
    except Exception:
        return False
    finally:
        engine.dispose()
    return (
        count == expected_versions(size) and wordings == count * QUESTIONS_PER_VERSION and links > 0
    )


def _reset_database(size: str, url: str) -> None:
    if is_postgres(url):
        engine = create_engine(_base_url(url))
        schema = schema_name(size)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        return
    path = make_url(url).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(path + suffix).unlink(missing_ok=True)


# --- building the rows -----------------------------------------------------------------------


class Ids:
    def __init__(self) -> None:
        self.last: dict[str, int] = {}

    def next(self, table: str) -> int:
        self.last[table] = self.last.get(table, 0) + 1
        return self.last[table]


class Builder:
    """Builds every row in memory, following the rules of the services."""

    def __init__(self, size: str, seed: int = SEED) -> None:
        self.size = size
        self.rng = random.Random(seed)
        self.ids = Ids()
        self.rows: dict[str, list[dict]] = {
            name: []
            for name in (
                "regions",
                "agendas",
                "versions",
                "version_groups",
                "threads",
                "wordings",
                "subquestions",
                "transitions",
                "transition_targets",
                "matrix_headings",
                "barrier_items",
                "barrier_links",
                "milestones",
                "milestone_links",
                "decisions",
            )
        }
        self.region_threads: dict[int, list[tuple[int, int]]] = {}
        self._parsed: dict[str, dict] = {}

    # -- helpers --

    def _parts(self, sentence: str) -> dict:
        cached = self._parsed.get(sentence)
        if cached is None:
            parsed = parse_question(sentence)
            cached = {
                "text": parsed.text,
                "full_text": parsed.text,
                "stem": parsed.stem[:120],
                "person": parsed.person,
                "role_phrase": parsed.role_phrase[:120],
                "goal": parsed.goal,
                "barrier": parsed.barrier,
                "annotation": parsed.annotation,
                "tag": parsed.tag[:300],
            }
            self._parsed[sentence] = cached
        return cached

    @staticmethod
    def _sentence(stem: str, state: dict) -> str:
        goal = GOALS[state["goal"]] + QUALIFIERS[state["qualifier"]]
        return f"{stem} {goal}, terwijl {BARRIERS[state['barrier']]}?"

    def _new_thread(self, region_id: int, stamp: datetime) -> dict:
        thread_id = self.ids.next("threads")
        self.rows["threads"].append(
            {
                "id": thread_id,
                "region_id": region_id,
                "split_from_id": None,
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
        barrier = self.rng.randrange(len(BARRIERS))
        self.region_threads.setdefault(region_id, []).append((thread_id, barrier))
        subs = []
        if self.rng.random() < 0.1:
            subs = self.rng.sample(SUBQUESTIONS, 2)
        return {
            "thread_id": thread_id,
            "goal": self.rng.randrange(len(GOALS)),
            "barrier": barrier,
            "qualifier": 0 if self.rng.random() < 0.6 else self.rng.randrange(len(QUALIFIERS)),
            "subquestions": subs,
        }

    def _add_wording(
        self, version: dict, group_id: int, state: dict, position: int, stem: str
    ) -> dict:
        stamp = version["created_at"] + timedelta(seconds=position)
        row = {
            "id": self.ids.next("wordings"),
            "version_id": version["id"],
            "thread_id": state["thread_id"],
            "group_id": group_id,
            "position": position,
            "label": letter_label(position),
            "shared_stem": "",
            **self._parts(self._sentence(stem, state)),
            "lock_version": 1,
            "created_at": stamp,
            "updated_at": stamp,
        }
        self.rows["wordings"].append(row)
        for index, sub in enumerate(state["subquestions"], start=1):
            self.rows["subquestions"].append(
                {
                    "id": self.ids.next("subquestions"),
                    "wording_id": row["id"],
                    "position": index,
                    "label": roman_label(index),
                    "text": sub,
                }
            )
        return row

    def _kind(self) -> str:
        draw = self.rng.random()
        return next((kind for share, kind in KIND_SHARES if draw < share), KEEP)

    # -- the dataset --

    def build(self) -> dict[str, list[dict]]:
        regions, agendas, versions, _questions = SIZES[self.size]
        created = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)
        for r in range(regions):
            name, municipalities = REGION_NAMES[r % len(REGION_NAMES)]
            region_id = self.ids.next("regions")
            self.rows["regions"].append(
                {
                    "id": region_id,
                    "name": name if r < len(REGION_NAMES) else f"{name} {r + 1}",
                    "description": f"Regionaal netwerk aanpak huiselijk geweld en "
                    f"kindermishandeling {name}.",
                    "municipalities": "\n".join(municipalities),
                    "persist_min_run": 3,
                    "persist_max_months": 9,
                    "lock_version": 1,
                    "created_at": created,
                    "updated_at": created,
                }
            )
            for a in range(agendas):
                self._agenda(region_id, name, a, versions, created)
            self._analysis(region_id, created)
        return self.rows

    def _analysis(self, region_id: int, created: datetime) -> None:
        """Matrix, barrier items, thread links, milestones and decisions of one region."""
        stamp = {"created_at": created, "updated_at": created}
        heads = {}
        for axis, names in (("aspect", DEFAULT_ASPECTS), ("actor", DEFAULT_ACTORS)):
            heads[axis] = []
            for position, name in enumerate(names):
                head_id = self.ids.next("matrix_headings")
                heads[axis].append(head_id)
                self.rows["matrix_headings"].append(
                    {
                        "id": head_id,
                        "region_id": region_id,
                        "axis": axis,
                        "name": name,
                        "position": position,
                        "lock_version": 1,
                        **stamp,
                    }
                )
        items = []
        for k in range(max(ITEMS_PER_REGION[self.size], len(BARRIERS))):
            item_id = self.ids.next("barrier_items")
            items.append(item_id)
            barrier = k < len(BARRIERS) or self.rng.random() < 0.8
            text = BARRIERS[k % len(BARRIERS)]
            self.rows["barrier_items"].append(
                {
                    "id": item_id,
                    "region_id": region_id,
                    "aspect_id": heads["aspect"][k % len(DEFAULT_ASPECTS)],
                    "actor_id": heads["actor"][(k * 7) % len(DEFAULT_ACTORS)],
                    "kind": "barriere" if barrier else "kans",
                    "description": text[0].upper() + text[1:] + "."
                    if barrier
                    else f"Korte lijnen helpen wanneer {text}.",
                    "source": self.rng.choice(["werksessie", "interview", "observatie"]),
                    "status": "actief" if self.rng.random() < 0.8 else "afgenomen",
                    "noted_on": START,
                    "status_on": None,
                    "lock_version": 1,
                    **stamp,
                }
            )
        for thread_id, barrier in self.region_threads.get(region_id, []):
            if self.rng.random() >= LINK_SHARE:
                continue
            linked = {items[barrier]}
            if self.rng.random() < SECOND_LINK_SHARE:
                linked.add(self.rng.choice(items))
            for item_id in sorted(linked):
                self.rows["barrier_links"].append(
                    {
                        "id": self.ids.next("barrier_links"),
                        "region_id": region_id,
                        "thread_id": thread_id,
                        "item_id": item_id,
                        "note": "",
                        **stamp,
                    }
                )
        for m in range(4):
            milestone_id = self.ids.next("milestones")
            self.rows["milestones"].append(
                {
                    "id": milestone_id,
                    "region_id": region_id,
                    "title": f"Mijlpaal {m + 1}: minder barrières in de keten",
                    "description": "",
                    "term": "binnen een half jaar",
                    "status": "bezig",
                    "lock_version": 1,
                    **stamp,
                }
            )
            for item_id in (items[m], items[m + 4]):
                self.rows["milestone_links"].append(
                    {
                        "id": self.ids.next("milestone_links"),
                        "region_id": region_id,
                        "milestone_id": milestone_id,
                        "thread_id": None,
                        "item_id": item_id,
                        **stamp,
                    }
                )
        for item_id in items[: len(BARRIERS) : 3]:
            self.rows["decisions"].append(
                {
                    "id": self.ids.next("decisions"),
                    "region_id": region_id,
                    "item_id": item_id,
                    "milestone_id": None,
                    "decided_on": START + timedelta(days=200),
                    "kind": "besluit",
                    "text": "De taskforce vraagt de partners om samen een oplossing voor te "
                    "stellen.",
                    "follow_up": "",
                    "status": "open",
                    "author_name": "Taskforce",
                    "lock_version": 1,
                    **stamp,
                }
            )

    def _agenda(self, region_id: int, region: str, a: int, count: int, created: datetime) -> None:
        level, audience, title, stem = AGENDA_KINDS[a % len(AGENDA_KINDS)]
        agenda_id = self.ids.next("agendas")
        self.rows["agendas"].append(
            {
                "id": agenda_id,
                "region_id": region_id,
                "level": level,
                "audience": audience,
                "title": f"{title} {region}",
                "ambition": "Elk gezin in de regio is duurzaam veilig, met één plan en één "
                "regisseur.",
                "lock_version": 1,
                "created_at": created,
                "updated_at": created,
            }
        )
        offset = timedelta(days=3 * a)
        previous: list[tuple[dict, dict]] = []  # (wording row, thread state) in order
        for number in range(1, count + 1):
            doc = START + offset + STEP * (number - 1)
            stamp = datetime(doc.year, doc.month, doc.day, 9, 0, tzinfo=UTC) - timedelta(days=10)
            concept = number == count
            published_at = None if concept else stamp + timedelta(days=12, hours=5)
            version = {
                "id": self.ids.next("versions"),
                "agenda_id": agenda_id,
                "number": number,
                "label": "Versie: 1" if number == 1 else "",
                "document_date": doc,
                "session_date": doc - timedelta(days=7),
                "status": CONCEPT if concept else PUBLISHED,
                "origin": "werksessie" if number > 1 else "gezamenlijk",
                "context_line": f"Naar aanleiding van de werksessie van {doc - timedelta(days=7)}",
                "distribution": "regio",
                "themes": THEMES,
                "author": "Projectleider DLA",
                "recipient": "" if number % 4 else "Stuurgroep",
                "reference": "" if number % 4 else f"DLA-{agenda_id}-{number}",
                "published_at": published_at,
                "lock_version": 1,
                "created_at": stamp,
                "updated_at": published_at or stamp,
            }
            self.rows["versions"].append(version)
            group_id = self.ids.next("version_groups")
            self.rows["version_groups"].append(
                {
                    "id": group_id,
                    "version_id": version["id"],
                    "position": 0,
                    "title": "",
                    "label_style": "letter",
                }
            )
            previous = self._fill(version, group_id, region_id, stem, previous)

    def _fill(
        self,
        version: dict,
        group_id: int,
        region_id: int,
        stem: str,
        previous: list[tuple[dict, dict]],
    ) -> list[tuple[dict, dict]]:
        """The wordings of one version, and the transitions from the previous one."""
        carried: list[dict] = []
        decisions: list[tuple[dict, str]] = []
        for source, state in previous:
            kind = self._kind()
            if kind == REWORD:
                old = state["qualifier"]
                state = dict(
                    state,
                    qualifier=(old + self.rng.randrange(1, len(QUALIFIERS))) % len(QUALIFIERS),
                )
            decisions.append((source, kind))
            if kind in (KEEP, REWORD):
                carried.append(state)
        states = carried + [
            self._new_thread(region_id, version["created_at"])
            for _ in range(QUESTIONS_PER_VERSION - len(carried))
        ]
        current = [
            (self._add_wording(version, group_id, state, position, stem), state)
            for position, state in enumerate(states, start=1)
        ]
        carried_rows = [row for row, _state in current[: len(carried)]]
        decided_at = version["created_at"] + timedelta(hours=2)
        for source, kind in decisions:
            transition_id = self.ids.next("transitions")
            self.rows["transitions"].append(
                {
                    "id": transition_id,
                    "from_wording_id": source["id"],
                    "version_id": version["id"],
                    "kind": kind,
                    "note": self.rng.choice(ANSWERS) if kind == ANSWER else "",
                    "reason": "niet_meer_urgent" if kind == DROP else "",
                    "target_agenda_id": None,
                    "decided_at": decided_at,
                    "created_at": decided_at,
                    "updated_at": decided_at,
                }
            )
            if kind == MERGE:
                target = self.rng.choice(carried_rows)
                self.rows["transition_targets"].append(
                    {"transition_id": transition_id, "wording_id": target["id"]}
                )
        return current


# --- writing ---------------------------------------------------------------------------------

TABLES = [
    ("regions", Region.__table__),
    ("agendas", Agenda.__table__),
    ("versions", Version.__table__),
    ("version_groups", VersionGroup.__table__),
    ("threads", Thread.__table__),
    ("wordings", Wording.__table__),
    ("subquestions", SubQuestion.__table__),
    ("transitions", Transition.__table__),
    ("transition_targets", transition_targets),
    ("matrix_headings", MatrixHeading.__table__),
    ("barrier_items", BarrierItem.__table__),
    ("barrier_links", BarrierLink.__table__),
    ("milestones", Milestone.__table__),
    ("milestone_links", MilestoneLink.__table__),
    ("decisions", Decision.__table__),
]


def generate(size: str, database_url: str | None = None, *, quiet: bool = False) -> str:
    """(Re)create the dataset of ``size`` and return its URL."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; choose from {', '.join(SIZES)}")
    started = time.perf_counter()
    url = dataset_url(size, database_url)
    _reset_database(size, url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        db.create_all()
        schema_done = time.perf_counter()
        rows = Builder(size).build()
        built = time.perf_counter()
        with db.engine.begin() as conn:
            for name, table in TABLES:
                if rows[name]:
                    conn.execute(insert(table), rows[name])
            if db.engine.dialect.name == "postgresql":
                for name, table in TABLES:
                    if "id" in table.c:
                        conn.execute(
                            text(
                                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                f"coalesce((SELECT max(id) FROM {name}), 1))"
                            )
                        )
        if db.engine.dialect.name == "postgresql":
            # Autovacuum would do this soon after a real load; give the planner statistics now.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("ANALYZE " + ", ".join(name for name, _table in TABLES)))
        with db.engine.connect() as conn:
            counts = {
                name: conn.execute(select(func.count()).select_from(table)).scalar()
                for name, table in TABLES
            }
        db.session.remove()
        db.engine.dispose()
    finished = time.perf_counter()
    if not quiet:
        print(f"dataset {size!r} at {make_url(url).render_as_string(hide_password=True)}")
        print(
            f"  generated in {finished - started:.1f} s (schema {schema_done - started:.1f} s, "
            f"build {built - schema_done:.1f} s, insert {finished - built:.1f} s)"
        )
        for name, count in counts.items():
            print(f"  {name:<20} {count:>8}")
    return url


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument(
        "--database-url",
        default=None,
        help="SQLAlchemy URL; default benchmarks/out/<size>.sqlite3. With PostgreSQL the "
        "schema bench_<size> is dropped and recreated.",
    )
    args = parser.parse_args(argv)
    generate(args.size, args.database_url)


if __name__ == "__main__":
    main()
