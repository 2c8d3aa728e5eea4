"""Load and concurrency test: 50 logged-in people reading and editing agendas, against gunicorn.

    python benchmarks/load.py [--seconds 60] [--clients 50] [--workers 4] [--threads 4]
                              [--ratio-seconds 20] [--database-url URL]
                              [--redis-url redis://127.0.0.1:6379/0]
                              [--mix realistic|write-heavy] [--cpu-per-request]

Builds a realistic dataset through the services (two regions with three agendas each, 3–5
published versions of 20–30 questions and a concept version per agenda, a system analysis
with barrier items linked to question threads, milestones, decisions and measurements, and
one account per client: projectleiders and deelnemers), starts gunicorn on 127.0.0.1 and
logs every client in through the real login form, each from its own loopback address.

Then, for ``--seconds``, every client runs a weighted mix without think time: reads of the
agenda page, the compare page, a question page, the agenda's chart page and the persistent
barriers of its region; writes through the same htmx POSTs as the browser: a new question in
a concept version, a comment on a question, and (projectleiders) a decision on a question of
the previous version, after opening its editor. Every write carries a unique marker text.

Afterwards it checks in the database that every write that was answered 200 is stored
exactly once (decisions: once in the audit log, and the last one is the current decision),
and reports per page the requests, throughput and median/p95 latency, the errors (5xx,
connection failures, unexpected 4xx, tracebacks in the gunicorn log: must be 0) and the
409 conflicts from optimistic locking, with their messages. Finally three equal phases of
``--ratio-seconds`` where all clients request only the agenda page, only ``/healthz`` and
only a static file: agenda req/s ÷ healthz req/s is the figure to improve.

SQLite by default (``benchmarks/out/load.sqlite3``). With a PostgreSQL URL the data lives in
the schema ``bench_load`` (dropped and recreated first).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import unescape

from _loadkit import (
    OUT,
    Client,
    cpu_per_request,
    cpu_seconds,
    cpu_shares,
    dialect_name,
    percentile,
    request_log_offsets,
    reset_database,
    server_errors,
    start_gunicorn,
    stop_gunicorn,
)
from _loadkit import database_url as _database_url

SCHEMA = "bench_load"
PASSWORD = "bench-lantaarn-kompas-9"
SECRET = "load-test-secret"
LEVELS = ("operationeel", "tactisch", "strategisch")
LEADERS_PER_REGION = 5
LOGIN_CONCURRENCY = 4  # Argon2id takes 64 MB per login; log in a few at a time

ROLES = ["als regisseur", "als wijkteammedewerker", "als manager", "als ICR'er", "samen"]
GOALS = [
    "met het gezin één gezamenlijk plan maken",
    "tijdig opschalen naar Veilig Thuis",
    "informatie delen met de huisarts",
    "de regie houden over de hulp",
    "de veiligheid van het kind blijvend bewaken",
    "snel de juiste specialistische hulp inzetten",
    "afspraken maken met de school over signalen",
    "het netwerk van het gezin betrekken",
    "de voortgang zichtbaar maken voor bestuurders",
    "leren van casussen die vastlopen",
]
SUFFIXES = ["", " in de eerste week", " bij complexe casussen", " na een melding", " in de wijk"]
BARRIERS = [
    "de privacyregels het delen van informatie lastig maken",
    "elke organisatie een eigen registratiesysteem heeft",
    "het mandaat om door te pakken ontbreekt",
    "de wachtlijsten bij de specialistische zorg lang zijn",
    "de financiering per gemeente verschilt",
    "er geen tijd is voor gezamenlijk overleg",
    "de rollen van de ketenpartners niet duidelijk zijn",
    "de escalatieladder niet bekend is",
    "het gezin al veel hulpverleners kent",
    "de werkdruk in de teams hoog is",
    "de afspraken tussen gemeenten verschillen",
    "er geen gedeeld beeld van veiligheid is",
]
CHANCES = [
    "Het regionale expertteam denkt mee bij vastgelopen casussen",
    "Gemeenten werken aan één gezamenlijk inkoopkader",
    "Er is een gedeelde training over veiligheidsplannen",
    "De huisartsen willen aansluiten bij het casusoverleg",
]

# The mix: (name, weight). Decisions only for projectleiders.
READS = [("agenda", 25), ("compare", 12), ("question", 25), ("chart", 8), ("barriers", 10)]
WRITES = [("add question", 6), ("comment", 8), ("decision", 6)]
# --mix write-heavy: mostly writes, to look for concurrency problems (not a realistic load).
WRITE_HEAVY = {
    "agenda": 5,
    "compare": 0,
    "question": 5,
    "chart": 0,
    "barriers": 0,
    "add question": 30,
    "comment": 10,
    "decision": 40,
}
# Decisions: kind and weight; the marker goes into the note of every kind.
DECISIONS = [
    ("blijft_staan", 50),
    ("geherformuleerd", 20),
    ("voorlopig_beantwoord", 15),
    ("vervallen", 15),
]
# Share of decisions on a question owned by another projectleider of the region.
CONTENDED_DECISIONS = 0.15

EXPECTED_RE = re.compile(r'<input[^>]*name="expected"[^>]*value="([^"]*)"')
LIST_STATE_RE = re.compile(r'name="list_state" value="([0-9a-f]+)"')
TEXTAREA_RE = re.compile(r'<textarea[^>]*name="text"[^>]*>\s*(.*?)</textarea>', re.S)
ALERT_RE = re.compile(r'role="alert">\s*<p>(.*?)</p>', re.S)
QUESTION_MARK = re.compile(r"casus (\d{2}-\d{4})")
COMMENT_MARK = re.compile(r"reactie (\d{2}-\d{4})")
DECISION_MARK = re.compile(r"besluit (\d{2}-\d{4})")


def database_url(argument: str | None) -> str:
    return _database_url(argument, schema=SCHEMA, sqlite_name="load.sqlite3")


# --- dataset -------------------------------------------------------------------------------


def _question(rng: random.Random, barrier: int) -> str:
    goal = rng.choice(GOALS) + rng.choice(SUFFIXES)
    return f"Hoe kan ik {rng.choice(ROLES)} {goal}, terwijl {BARRIERS[barrier]}?"


def _build_agenda(region, index: int, rng: random.Random, leader) -> dict:
    """An agenda with 3–5 published versions of 20–30 questions and a concept version."""
    from dla.agendas import questions, transitions
    from dla.agendas import services as agendas

    level = LEVELS[index % len(LEVELS)]
    agenda = agendas.create_agenda(
        region,
        level=level,
        audience=["Uitvoerders", "Teamleiders", "Bestuurders"][index % 3],
        title=f"{region.name}: {level} {index + 1}",
    )
    published = rng.randint(3, 5)
    day = date(2024, 1, 15)
    version = agendas.create_version(agenda, document_date=day, created_by_id=leader.id)
    for _ in range(rng.randint(20, 30)):
        questions.add_wording(version, text=_question(rng, rng.randrange(len(BARRIERS))))
    agendas.publish_version(version)
    for _ in range(published - 1):
        day += timedelta(weeks=10)
        version = agendas.create_version(agenda, document_date=day, created_by_id=leader.id)
        removed = 0
        for source in agendas.missing_transitions(version):
            roll = rng.random()
            if roll < 0.80:
                transitions.set_transition(version, source, "blijft_staan")
            elif roll < 0.88:
                text = source.full_text.replace(", terwijl", " met de partners, terwijl", 1)
                transitions.set_transition(version, source, "geherformuleerd", text=text)
            elif roll < 0.94:
                note = "Er is een werkafspraak gemaakt; we kijken over een half jaar opnieuw."
                transitions.set_transition(version, source, "voorlopig_beantwoord", note=note)
                removed += 1
            else:
                transitions.set_transition(version, source, "vervallen", reason="niet_meer_urgent")
                removed += 1
        for _ in range(removed):
            questions.add_wording(version, text=_question(rng, rng.randrange(len(BARRIERS))))
        agendas.publish_version(version)
    concept = agendas.create_version(
        agenda, document_date=day + timedelta(weeks=10), created_by_id=leader.id
    )
    versions = [v.id for v in agenda.versions if v.is_published]
    sources = agendas.missing_transitions(concept)
    return {
        "agenda": agenda,
        "id": agenda.id,
        "concept": concept.id,
        "published": versions,
        "sources": [{"concept": concept.id, "wording": w.id, "text": w.full_text} for w in sources],
    }


def _build_analysis(region, rng: random.Random, threads: dict[int, int], leader) -> None:
    """Barrier items per barrier clause, links from threads, milestones, decisions, measures."""
    from dla.agendas.models import Thread
    from dla.analysis import services as analysis
    from dla.extensions import db
    from dla.measurements import services as measurements

    analysis.seed_defaults(region)
    aspects, actors = analysis.headings(region)
    items = []
    for text in BARRIERS:
        items.append(
            analysis.create_item(
                region,
                aspect_id=rng.choice(aspects).id,
                actor_id=rng.choice(actors).id,
                description=text[0].upper() + text[1:] + ".",
                source=rng.choice(["werksessie", "interview", "document"]),
            )
        )
    for text in CHANCES:
        analysis.create_item(
            region,
            kind="kans",
            aspect_id=rng.choice(aspects).id,
            actor_id=rng.choice(actors).id,
            description=text + ".",
        )
    linked = []
    for thread_id, barrier in sorted(threads.items()):
        if rng.random() < 0.6:
            thread = db.session.get(Thread, thread_id)
            analysis.link_thread(thread, items[barrier], note="Herkend in de werksessie.")
            linked.append(thread)
    for number in range(2):
        milestone = analysis.create_milestone(
            region, title=f"Mijlpaal {number + 1}: afspraken vastgelegd", term="2026"
        )
        analysis.add_precondition(milestone, text="Alle gemeenten doen mee")
        analysis.add_action(milestone, text="Voorstel schrijven", owner="Projectleider")
        analysis.link_milestone(milestone, item=items[number * 3])
        analysis.link_milestone(milestone, item=items[number * 3 + 1])
        analysis.link_milestone(milestone, thread=linked[number])
    for item in items[:3]:
        analysis.record_decision(
            region,
            author=leader,
            item=item,
            decided_on=date(2025, 6, 1),
            kind="verzoek",
            text="De taskforce vraagt de gemeenten om een gezamenlijk voorstel.",
        )
    for number, (kind, unit) in enumerate((("aantal", "gezinnen"), ("kwalitatief", ""))):
        indicator = measurements.create_indicator(
            region,
            name=f"Meting {number + 1}",
            description="Hoe merken we vooruitgang?",
            concerns="werkwijze",
            horizon="kort",
            audiences=["professionals", "managers"],
            kind=kind,
            unit=unit,
        )
        for month in range(1, 7):
            measurements.add_observation(
                indicator,
                observed_on=date(2025, month, 1),
                value=None if kind == "kwalitatief" else 10 + month,
                narrative="Teams merken dat overleg sneller gaat." if number else "",
            )
        measurements.link_thread(indicator, linked[2 + number].id)
        measurements.link_item(indicator, items[number].id)


def build_dataset(url: str, clients: int) -> list[dict]:
    """The dataset, through the services; returns one plan per client (what it may do)."""
    from sqlalchemy import select, text

    from dla import create_app
    from dla.agendas import services as agendas
    from dla.agendas.models import Version, Wording
    from dla.auth import services as auth
    from dla.extensions import db
    from dla.regions import services as regions

    reset_database(url, SCHEMA)
    app = create_app({"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": url})
    rng = random.Random(2026)
    plans: list[dict] = []
    with app.app_context():
        db.create_all()
        for region_index, name in enumerate(("Noordkust", "Rivierenland")):
            region = regions.create_region(name)
            people = [i for i in range(clients) if i % 2 == region_index]
            users = []
            for ordinal, index in enumerate(people):
                role = "projectleider" if ordinal < LEADERS_PER_REGION else "deelnemer"
                user = auth.create_user(f"p{index:02d}@load.test", f"Persoon {index}", PASSWORD)
                auth.set_membership(user, region.id, role)
                users.append((index, ordinal, role, user))
            leader = users[0][3]
            built = [_build_agenda(region, i, rng, leader) for i in range(3)]
            threads: dict[int, int] = {}  # thread -> barrier clause
            agenda_threads: dict[int, list[int]] = {}
            for agenda in built:
                rows = db.session.execute(
                    select(Wording.thread_id, Wording.barrier)
                    .join(Version, Version.id == Wording.version_id)
                    .where(Version.agenda_id == agenda["id"])
                ).all()
                for thread_id, barrier in rows:
                    threads[thread_id] = next(
                        (i for i, b in enumerate(BARRIERS) if barrier.startswith(b)), 0
                    )
                agenda_threads[agenda["id"]] = sorted({row[0] for row in rows})
                for thread_id in agenda_threads[agenda["id"]][::5]:
                    agendas.add_comment(
                        region_id=region.id,
                        author=leader,
                        body="Deze vraag kwam ook in het teamoverleg terug.",
                        thread_id=thread_id,
                    )
            _build_analysis(region, rng, threads, leader)
            leaders = [u for u in users if u[2] == "projectleider"]
            region_sources = [s for agenda in built for s in agenda["sources"]]
            owned: dict[int, list[dict]] = defaultdict(list)
            for number, source in enumerate(region_sources):
                owned[leaders[number % len(leaders)][0]].append(source)
            for index, ordinal, role, user in users:
                if role == "deelnemer":
                    mine = [built[ordinal % 3], built[(ordinal + 1) % 3]]
                    for agenda in mine:
                        auth.add_participant(agenda["agenda"], user.id)
                else:
                    mine = built
                plans.append(
                    {
                        "index": index,
                        "email": user.email,
                        "role": role,
                        "region": region.id,
                        "agendas": [
                            {
                                "id": a["id"],
                                "concept": a["concept"],
                                "published": a["published"],
                                "threads": agenda_threads[a["id"]],
                            }
                            for a in mine
                        ],
                        "owned": owned.get(index, []),
                        "region_sources": region_sources if role == "projectleider" else [],
                    }
                )
            db.session.commit()
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            # Autovacuum would do this soon after a real load; without it the first minutes
            # run on plans made without statistics, and runs differ from one another.
            tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text(f"ANALYZE {tables}"))
        db.engine.dispose()
    return sorted(plans, key=lambda plan: plan["index"])


# --- measuring -----------------------------------------------------------------------------


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    conflicts: Counter = field(default_factory=Counter)  # (page, message) -> count
    # Writes answered 200: kind -> markers; decisions: marker -> source wording id.
    written: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    decided: dict[str, int] = field(default_factory=dict)
    last_decision: dict[tuple[int, int], str] = field(default_factory=dict)  # (client, src)
    unanswered: list[str] = field(default_factory=list)  # writes without an answer

    def record(self, page: str, status: int, ms: float, body: str, write: bool) -> bool:
        """Count one response; True when it is the expected 200."""
        with self.lock:
            self.latencies[page].append(ms)
            if status == 200:
                return True
            if write and status == 409:
                message = ALERT_RE.search(body)
                text = unescape(message.group(1)).strip() if message else "(no message)"
                self.conflicts[(page, text)] += 1
            else:
                self.errors.append(f"{page} answered {status}")
            return False

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


class Person:
    """One logged-in client and what it may read and write."""

    def __init__(self, plan: dict, base: str, weights: dict[str, int] | None = None):
        self.plan = plan
        self.index = plan["index"]
        # 127.0.0.1 is the server; people come from 127.0.1.x (the throttle counts per address).
        self.client = Client(base, source=f"127.0.1.{self.index + 1}")
        self.rng = random.Random(1000 + self.index)
        self.sequence = 0
        self.list_states: dict[int, str] = {}  # concept version -> list_state of its form
        weights = weights or dict(READS + WRITES)
        self.mix = [
            (name, weights[name])
            for name, _ in READS + WRITES
            if weights[name] and (name != "decision" or plan["role"] == "projectleider")
        ]

    def marker(self) -> str:
        self.sequence += 1
        return f"{self.index:02d}-{self.sequence:04d}"

    def agenda(self) -> dict:
        return self.rng.choice(self.plan["agendas"])

    # --- reads ---

    def read(self, stats: Stats, page: str, path: str) -> None:
        status, body, ms = self.client.request("GET", path, htmx=False)
        stats.record(page, status, ms, body, write=False)

    def action(self, name: str, stats: Stats) -> None:
        agenda = self.agenda()
        published = agenda["published"]
        if name == "agenda":
            self.read(stats, name, f"/agendas/{agenda['id']}")
        elif name == "compare":
            if self.rng.random() < 0.5:
                old, new = published[0], published[-1]
            else:
                old, new = published[-2], published[-1]
            self.read(stats, name, f"/agendas/{agenda['id']}/vergelijken?van={old}&naar={new}")
        elif name == "question":
            self.read(stats, name, f"/leervragen/{self.rng.choice(agenda['threads'])}")
        elif name == "chart":
            self.read(stats, name, f"/agendas/{agenda['id']}/grafieken")
        elif name == "barriers":
            self.read(stats, name, f"/regios/{self.plan['region']}/hardnekkige-barrieres?alle=1")
        elif name == "add question":
            self.add_question(stats, agenda)
        elif name == "comment":
            self.comment(stats, agenda)
        else:
            self.decide(stats)

    # --- writes ---

    def post(self, stats: Stats, page: str, path: str, data: dict, marker: str) -> tuple[bool, str]:
        try:
            status, body, ms = self.client.request("POST", path, data)
        except Exception:
            with stats.lock:
                stats.unanswered.append(marker)
            raise
        return stats.record(page, status, ms, body, write=True), body

    def add_question(self, stats: Stats, agenda: dict) -> None:
        marker = self.marker()
        rng = self.rng
        data = {
            "goal": f"Hoe kan ik in casus {marker} {rng.choice(GOALS)}",
            "barrier": rng.choice(BARRIERS),
            # As the browser does: the state of the list the form was last shown with.
            "list_state": self.list_states.get(agenda["concept"], ""),
        }
        ok, body = self.post(
            stats, "add question", f"/versies/{agenda['concept']}/vragen", data, marker
        )
        state = LIST_STATE_RE.search(body)
        if state:
            self.list_states[agenda["concept"]] = state.group(1)
        if ok:
            with stats.lock:
                stats.written["add question"].append(marker)

    def comment(self, stats: Stats, agenda: dict) -> None:
        marker = self.marker()
        thread = self.rng.choice(agenda["threads"])
        body = f"Dit herkennen we ook in ons team (reactie {marker})."
        ok, _ = self.post(
            stats, "comment", f"/leervragen/{thread}/reacties", {"body": body}, marker
        )
        if ok:
            with stats.lock:
                stats.written["comment"].append(marker)

    def decide(self, stats: Stats) -> None:
        """Open the decision editor of a question (as the browser does), then save a choice."""
        rng = self.rng
        own = self.plan["owned"]
        if not own or rng.random() < CONTENDED_DECISIONS:
            source = rng.choice(self.plan["region_sources"])
        else:
            source = rng.choice(own)
        path = f"/versies/{source['concept']}/overgangen/{source['wording']}"
        status, body, ms = self.client.request("GET", path)
        if not stats.record("decision editor", status, ms, body, write=False):
            return
        expected = unescape(EXPECTED_RE.search(body).group(1))
        shown = TEXTAREA_RE.search(body)
        current_text = unescape(shown.group(1)).strip() if shown else source["text"]
        kinds = [k for k in DECISIONS if k[0] != "blijft_staan" or current_text == source["text"]]
        kind = rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
        marker = self.marker()
        data = {"kind": kind, "expected": expected, "note": f"Toelichting (besluit {marker})."}
        if kind == "geherformuleerd":
            data["text"] = source["text"].replace(", terwijl", f" (ronde {marker}), terwijl", 1)
        elif kind == "vervallen":
            data["reason"] = "niet_meer_urgent"
        ok, _ = self.post(stats, "decision", path, data, marker)
        if ok:
            with stats.lock:
                stats.written["decision"].append(marker)
                stats.decided[marker] = source["wording"]
                stats.last_decision[(self.index, source["wording"])] = marker


def run_phase(people: list[Person], seconds: float, step, server_pid: int):
    """All people call ``step(person, stats)`` until the time is up.

    Returns the stats, the wall-clock seconds and how the cores were shared meanwhile.
    """
    stats = Stats()
    deadline = time.monotonic() + seconds

    def loop(person: Person) -> None:
        while time.monotonic() < deadline:
            try:
                step(person, stats)
            except Exception as exc:  # noqa: BLE001 - connection failures are errors to count
                stats.error(f"client {person.index}: {exc!r}")

    threads = [threading.Thread(target=loop, args=(p,), daemon=True) for p in people]
    start, cpu = time.monotonic(), cpu_seconds(server_pid)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - start
    return stats, wall, cpu_shares(cpu, cpu_seconds(server_pid), wall)


def mixed_step(person: Person, stats: Stats) -> None:
    names, weights = zip(*person.mix, strict=True)
    person.action(person.rng.choices(names, weights)[0], stats)


def log_in(people: list[Person]) -> list[str]:
    problems: list[str] = []
    queue = list(people)
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if not queue:
                    return
                person = queue.pop()
            try:
                status = person.client.login(person.plan["email"], PASSWORD)
                if status != 302 or not person.client.csrf:
                    problems.append(f"client {person.index}: login answered {status}")
            except Exception as exc:  # noqa: BLE001
                problems.append(f"client {person.index}: login failed: {exc!r}")

    workers = [threading.Thread(target=worker) for _ in range(LOGIN_CONCURRENCY)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return problems


# --- verification --------------------------------------------------------------------------


def verify(url: str, stats: Stats) -> list[str]:
    """Every write answered 200 is stored exactly once, and no label is used twice in a group
    of a concept version; returns the problems found."""
    from sqlalchemy import create_engine, func, select

    from dla.agendas.models import CONCEPT, Comment, Transition, Version, Wording
    from dla.audit.models import AuditEntry

    engine = create_engine(url)
    with engine.connect() as conn:
        questions = conn.scalars(
            select(Wording.full_text).where(Wording.full_text.like("%casus %"))
        ).all()
        comments = conn.scalars(select(Comment.body).where(Comment.body.like("%(reactie %"))).all()
        audit = conn.scalars(
            select(AuditEntry.changes).where(
                AuditEntry.entity == "overgang",
                AuditEntry.action == "aangemaakt",
                AuditEntry.changes.like("%besluit %"),
            )
        ).all()
        current = dict(
            conn.execute(
                select(Transition.from_wording_id, Transition.note).where(
                    Transition.note.like("%besluit %")
                )
            ).all()
        )
        shared_labels = conn.execute(
            select(Wording.group_id, Wording.label)
            .join(Version, Version.id == Wording.version_id)
            .where(Version.status == CONCEPT)
            .group_by(Wording.group_id, Wording.label)
            .having(func.count(Wording.id) > 1)
        ).all()
    engine.dispose()
    problems = []
    if shared_labels:
        problems.append(
            f"{len(shared_labels)} labels used twice in a group, e.g. {shared_labels[:3]}"
        )
    stored = {
        "add question": Counter(m for text in questions for m in QUESTION_MARK.findall(text)),
        "comment": Counter(m for text in comments for m in COMMENT_MARK.findall(text)),
        "decision": Counter(m for text in audit for m in DECISION_MARK.findall(text)),
    }
    unanswered = set(stats.unanswered)
    for kind, counts in stored.items():
        written = stats.written[kind]
        missing = [m for m in written if counts[m] == 0]
        twice = [m for m, n in counts.items() if n > 1]
        unexpected = [m for m in counts if m not in set(written) and m not in unanswered]
        for label, markers in (
            ("answered 200 but not stored", missing),
            ("stored more than once", twice),
            ("stored although not answered 200", unexpected),
        ):
            if markers:
                problems.append(f"{kind}: {len(markers)} {label}, e.g. {markers[:3]}")
    # The current decision on a question is the last one that was saved for it.
    by_source: dict[int, set[str]] = defaultdict(set)
    for marker, source in stats.decided.items():
        by_source[source].add(marker)
    writers: dict[int, set[int]] = defaultdict(set)
    for client, source in stats.last_decision:
        writers[source].add(client)
    for source, markers in by_source.items():
        now = DECISION_MARK.search(current.get(source, "") or "")
        now = now.group(1) if now else None
        if len(writers[source]) == 1:
            (client,) = writers[source]
            expected = stats.last_decision[(client, source)]
            if now != expected:
                problems.append(f"decision on wording {source}: {now} instead of {expected}")
        elif now not in markers:
            problems.append(f"decision on wording {source}: {now} is none of the saved ones")
    return problems


# --- report --------------------------------------------------------------------------------


def report_pages(stats: Stats, wall: float, order: list[str]) -> None:
    print(f"{'page':<18} {'requests':>8} {'req/s':>7} {'median ms':>10} {'p95 ms':>8}")
    total = 0
    for page in order:
        values = stats.latencies.get(page, [])
        if not values:
            continue
        total += len(values)
        print(
            f"{page:<18} {len(values):>8} {len(values) / wall:>7.1f} "
            f"{statistics.median(values):>10.1f} {percentile(values, 95):>8.1f}"
        )
    print(f"{'all':<18} {total:>8} {total / wall:>7.1f}")


def concept_sizes(url: str) -> str:
    from sqlalchemy import create_engine, func, select

    from dla.agendas.models import CONCEPT, Version, Wording

    engine = create_engine(url)
    with engine.connect() as conn:
        sizes = conn.execute(
            select(func.count(Wording.id))
            .join(Version, Version.id == Wording.version_id)
            .where(Version.status == CONCEPT)
            .group_by(Version.id)
        ).scalars()
        sizes = sorted(sizes)
    engine.dispose()
    return f"{sizes[0]}–{sizes[-1]}" if sizes else "none"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--ratio-seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument(
        "--workers", type=int, default=4, choices=range(1, 9), metavar="N", help="2–4 here"
    )
    parser.add_argument("--threads", type=int, default=4, help="per gunicorn worker (gthread)")
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--redis-url",
        default=None,
        help="share the cache between the workers through this Redis (as in production with "
        "several workers); default: each worker its own in-process cache",
    )
    parser.add_argument(
        "--mix",
        choices=("realistic", "write-heavy"),
        default="realistic",
        help="write-heavy: 80 %% writes, to look for concurrency problems",
    )
    parser.add_argument(
        "--cpu-per-request",
        action="store_true",
        help="serve benchmarks/timed_wsgi.py and print the CPU time of the mixed load's "
        "requests per endpoint (where the time goes)",
    )
    args = parser.parse_args(argv)
    if args.clients < 2 * LEADERS_PER_REGION + 2 or args.clients > 250:
        parser.error(f"--clients must be between {2 * LEADERS_PER_REGION + 2} and 250")

    url = database_url(args.database_url)
    dialect = dialect_name(url)
    print(f"Dataset on {dialect} …", flush=True)
    started = time.monotonic()
    plans = build_dataset(url, args.clients)
    print(
        f"  built in {time.monotonic() - started:.1f} s; concept versions hold "
        f"{concept_sizes(url)} questions",
        flush=True,
    )
    log_path = OUT / "load-gunicorn.log"
    request_log = OUT / "load-requests" if args.cpu_per_request else None
    if request_log is not None:
        for old in OUT.glob(request_log.name + ".*"):
            old.unlink()
    process, base = start_gunicorn(
        url,
        args.workers,
        args.threads,
        log_path,
        SECRET,
        redis_url=args.redis_url,
        request_log=request_log,
    )
    cores = os.cpu_count()
    print(
        f"gunicorn: {args.workers} workers × {args.threads} threads (gthread) on {base}; "
        f"{args.clients} clients; {cores} cores; load average before "
        f"{os.getloadavg()[0]:.2f}",
        flush=True,
    )
    try:
        weights = WRITE_HEAVY if args.mix == "write-heavy" else None
        people = [Person(plan, base, weights) for plan in plans]
        problems = log_in(people)
        if problems:
            for problem in problems[:10]:
                print(f"  {problem}")
            raise SystemExit("login failed")
        print(f"mixed load for {args.seconds:.0f} s …", flush=True)
        logged_before = request_log_offsets(request_log) if request_log else {}
        mixed, wall, shares = run_phase(people, args.seconds, mixed_step, process.pid)
        logged_mixed = request_log_offsets(request_log) if request_log else {}
        load_after = os.getloadavg()[0]
        ratio = {}
        for name, step in (
            ("agenda", lambda p, s: p.read(s, "agenda", f"/agendas/{p.plan['agendas'][0]['id']}")),
            ("healthz", lambda p, s: p.read(s, "healthz", "/healthz")),
            ("static", lambda p, s: p.read(s, "static", "/static/favicon.svg")),
        ):
            if args.ratio_seconds > 0:
                print(f"only {name} for {args.ratio_seconds:.0f} s …", flush=True)
                ratio[name] = run_phase(people, args.ratio_seconds, step, process.pid)
    finally:
        stop_gunicorn(process)
    logged = server_errors(log_path)
    problems = verify(url, mixed)
    errors = len(mixed.errors) + len(logged) + sum(len(s.errors) for s, _, _ in ratio.values())

    print()
    print(f"Mixed load ({args.mix}), {dialect}, {args.clients} clients, {wall:.1f} s")
    print(f"  {shares}; load average at the end {load_after:.2f}")
    pages = [name for name, _ in READS] + ["decision editor"] + [name for name, _ in WRITES]
    report_pages(mixed, wall, pages)
    print()
    written = sum(len(v) for v in mixed.written.values())
    print(
        "writes answered 200: "
        + ", ".join(f"{k} {len(mixed.written[k])}" for k, _ in WRITES)
        + "; in the database exactly once: "
        + ("all " + str(written) if not problems else "NO")
    )
    for problem in problems:
        print(f"  {problem}")
    print(
        f"conflicts (409, optimistic locking; shown to the person): {sum(mixed.conflicts.values())}"
    )
    for (page, message), count in mixed.conflicts.most_common():
        print(f"  {count:>4} × {page}: {message}")
    print(f"concept versions now hold {concept_sizes(url)} questions")
    if request_log is not None:
        print()
        print("CPU per request in the mixed load (benchmarks/timed_wsgi.py):")
        print(cpu_per_request(request_log, logged_before, logged_mixed))
        print()
    print(f"errors: {errors}")
    all_errors = mixed.errors + logged + [e for s, _, _ in ratio.values() for e in s.errors]
    for message in Counter(all_errors).most_common(10):
        print(f"  {message[1]} × {message[0]}")
    if ratio:
        print()
        print(f"Single-page phases, {args.ratio_seconds:.0f} s each, all clients:")
        rates = {}
        for name, (stats, seconds, phase_shares) in ratio.items():
            values = stats.latencies[name]
            rates[name] = len(values) / seconds
            print(
                f"  {name:<8} {rates[name]:>7.1f} req/s, median {statistics.median(values):.1f} "
                f"ms, p95 {percentile(values, 95):.1f} ms"
            )
            print(f"           {phase_shares}")
        print(
            f"agenda ÷ healthz = {rates['agenda'] / rates['healthz']:.3f}  (the figure to improve;"
            f" agenda ÷ static = {rates['agenda'] / rates['static']:.3f})"
        )
    ok = errors == 0 and not problems
    print("RESULT: " + ("OK" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
