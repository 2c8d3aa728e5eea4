"""What the demo regions share: their names, the demo accounts, and small helpers to write
agenda histories and system analyses readably."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from dla.agendas import questions, transitions
from dla.agendas import services as agendas
from dla.agendas.models import Agenda, Version, Wording
from dla.extensions import db
from dla.regions.models import Region

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
RIJNMOND = "Rijnmond (demo)"
GOOI = "Gooi en Vecht (demo)"
DEMO_REGIONS = (RIJNMOND, GOOI)
# Demo accounts, one per role (e-mail, name, role in both demo regions, password).
# For trying the app only: the README says so, and `flask dla demo` prints them.
DEMO_USERS = [
    ("beheer@demo.dla", "Bea de Vries", "admin", "demo-zeppelin-2024"),
    ("projectleider@demo.dla", "Pim Jansen", "projectleider", "demo-vlinder-2024"),
    ("deelnemer@demo.dla", "Dana Bakker", "deelnemer", "demo-lantaarn-2024"),
    ("taskforce@demo.dla", "Tom Visser", "taskforce", "demo-molenwiek-2024"),
    ("onderzoeker@demo.dla", "Olga Smit", "onderzoeker", "demo-duinpan-2024"),
    ("programma@demo.dla", "Priya Programma", "programma", "demo-kompas-2024"),
]


class Builder:
    """Small helper to write agenda histories readably."""

    def __init__(self, agenda: Agenda):
        self.agenda = agenda
        self.version: Version | None = None

    def first(self, day: date, questions: list, **meta) -> Builder:
        groups = meta.pop("groups", ())
        self.version = agendas.create_version(self.agenda, document_date=day, groups=groups, **meta)
        for item in questions:
            self.add(item)
        return self

    def add(self, item, group: int = 0) -> Wording:
        if isinstance(item, tuple):
            text, *rest = item
            options = rest[0] if rest else {}
        else:
            text, options = item, {}
        return questions.add_wording(
            self.version,
            text=text,
            shared_stem=options.get("stem", ""),
            subquestions=options.get("subs", ()),
            group_id=self.version.groups[options.get("group", group)].id,
        )

    def publish(self) -> Builder:
        """Publish with the version's own history: vastgesteld at noon (Dutch time) on its
        document date, never later than now."""
        day = self.version.document_date
        published_at = None
        if day is not None:
            noon = datetime.combine(day, time(12), tzinfo=AMSTERDAM).astimezone(UTC)
            published_at = min(noon, datetime.now(UTC))
        agendas.publish_version(self.version, published_at=published_at)
        return self

    def next(self, day: date, **meta) -> Builder:
        self.version = agendas.create_version(self.agenda, document_date=day, **meta)
        return self

    def previous(self, label: str) -> Wording:
        previous = agendas.previous_version(self.version)
        return next(w for w in previous.wordings if w.label == label)

    def current(self, label: str) -> Wording:
        return next(w for w in self.version.wordings if w.label == label)

    def decide(self, label: str, kind: str, **options) -> None:
        transitions.set_transition(self.version, self.previous(label), kind, **options)

    def keep(self, *labels: str) -> None:
        for label in labels:
            self.decide(label, "blijft_staan")


def thread_with(region: Region, fragment: str):
    """The thread whose (latest) wording contains ``fragment``."""
    from dla.agendas.models import Thread

    thread_id = db.session.scalar(
        select(Wording.thread_id)
        .join(Version, Version.id == Wording.version_id)
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(Agenda.region_id == region.id, Wording.full_text.contains(fragment))
        .order_by(Wording.id.desc())
        .limit(1)
    )
    return db.session.get(Thread, thread_id)


def fill_matrix(region: Region, items: list[tuple]) -> dict[str, object]:
    """Seed the default lists and add items: (key, aspect, actor, kind, text, source, status)."""
    from dla.analysis import services as analysis

    analysis.seed_defaults(region)
    aspects, actors = analysis.headings(region)
    aspect_ids = {h.name: h.id for h in aspects}
    actor_ids = {h.name: h.id for h in actors}
    made = {}
    for key, aspect, actor, kind, text, source, status, noted in items:
        made[key] = analysis.create_item(
            region,
            aspect_id=aspect_ids[aspect],
            actor_id=actor_ids[actor],
            kind=kind,
            description=text,
            source=source,
            status=status,
            noted_on=noted,
        )
    return made
