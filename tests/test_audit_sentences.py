"""The audit log in plain Dutch, times in Dutch local time, and the demo's own history."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from dla.agendas import services as agendas
from dla.agendas.models import PUBLISHED, Thread, Version, Wording
from dla.audit import describe, queries
from dla.audit.models import AuditEntry
from dla.audit.services import ENTITIES
from dla.auth import services as auth
from dla.auth.models import Membership, User
from dla.citations import services as citations
from dla.demo import RIJNMOND, load_demo
from dla.extensions import db
from dla.regions.models import Region
from tests.factories import log_in, make_user

ACTIONS = ("aangemaakt", "gewijzigd", "verwijderd")
# What a sentence must never hold: a column name, an id field, an entity with its raw id.
RAW = re.compile(
    r"_id\b|\bid\b|user_id|full_text|\b(lidmaatschap|vraag|versie|overgang|sessie)\s+\d+\s+"
    r"(aangemaakt|gewijzigd|verwijderd)",
    re.IGNORECASE,
)


@pytest.fixture
def demo(ctx):
    load_demo()
    region = db.session.scalar(select(Region).where(Region.name == RIJNMOND))
    leader = db.session.scalar(select(User).where(User.email == "projectleider@demo.dla"))
    thread = db.session.scalar(select(Thread).where(Thread.region_id == region.id).limit(1))
    agendas.add_comment(region_id=region.id, author=leader, body="Goed punt", thread_id=thread.id)
    auth.create_invitation(region.id, "nieuw@test.nl", "onderzoeker", by=leader)
    wording = db.session.scalar(select(Wording).where(Wording.thread_id == thread.id).limit(1))
    citations.create_quotation(wording, created_by_id=leader.id, today=date(2026, 12, 7))
    db.session.commit()
    return region


def _synthesised(region: Region) -> list[AuditEntry]:
    """For every audited kind of row and every action, an entry like the real ones."""
    made = []
    for entity in ENTITIES.values():
        example = db.session.scalar(
            select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id).limit(1)
        )
        assert example is not None, f"the demo never logs a {entity}"
        for action in ACTIONS:
            entry = AuditEntry(
                region_id=region.id,
                user_id=None,
                actor="Anna de Vries",
                action=action,
                entity=entity,
                entity_id=example.entity_id,
                changes=example.changes,
                version_id=example.version_id,
                thread_id=example.thread_id,
                werksessie_id=example.werksessie_id,
            )
            db.session.add(entry)
            made.append(entry)
    db.session.flush()
    return made


def test_every_kind_of_entry_reads_as_a_dutch_sentence(demo):
    entries = _synthesised(demo)
    facts = queries.facts_for(entries, demo.name)
    for entry in entries:
        line = describe.describe(entry, entry.changes_for(show_codes=True), facts[entry.id])
        where = (entry.entity, entry.action)
        assert line.sentence.endswith(", door Anna de Vries."), where
        assert line.sentence[0].isupper(), where
        assert not RAW.search(line.sentence), (where, line.sentence)
        assert "None" not in line.sentence and "{" not in line.sentence, (where, line.sentence)
        for detail in line.details:
            assert "_" not in detail["label"], (where, detail)
    assert len(entries) == 3 * len(ENTITIES)


def test_the_log_page_says_who_joined_the_region(demo, client):
    member = db.session.scalar(
        select(Membership)
        .join(User, User.id == Membership.user_id)
        .where(Membership.region_id == demo.id, User.email == "onderzoeker@demo.dla")
    )
    beheerder = db.session.scalar(select(User).where(User.email == "beheer@demo.dla"))
    db.session.add(
        AuditEntry(
            region_id=demo.id,
            user_id=beheerder.id,
            actor=beheerder.name,
            action="aangemaakt",
            entity="lidmaatschap",
            entity_id=member.id,
            changes=json.dumps(
                [
                    {"field": "user_id", "old": None, "new": member.user_id},
                    {"field": "region_id", "old": None, "new": demo.id},
                    {"field": "role", "old": None, "new": "onderzoeker"},
                ]
            ),
        )
    )
    db.session.commit()
    log_in(client, db.session.scalar(select(User).where(User.email == "projectleider@demo.dla")))
    page = client.get(f"/regios/{demo.id}/logboek").get_data(as_text=True)
    assert f"Olga Smit toegevoegd aan regio {demo.name} als onderzoeker, door Bea de Vries." in page
    assert "user_id" not in page and "Lidmaatschap" not in page


def test_times_are_shown_in_dutch_local_time_summer_and_winter(ctx, client):
    region = Region(name="Tijdregio")
    db.session.add(region)
    db.session.flush()
    leader = make_user("pl@test.nl", region=region, role="projectleider")
    for moment in (datetime(2025, 7, 1, 10, 0, tzinfo=UTC), datetime(2025, 1, 15, 10, 0)):
        db.session.add(
            AuditEntry(
                region_id=region.id,
                actor="Pim",
                action="gewijzigd",
                entity="regio",
                entity_id=region.id,
                created_at=moment,
                changes=json.dumps([{"field": "description", "old": "a", "new": "b"}]),
            )
        )
    db.session.commit()
    log_in(client, leader)
    page = client.get(f"/regios/{region.id}/logboek").get_data(as_text=True)
    assert "01-07-2025 12:00" in page  # summer time: UTC+2
    assert "15-01-2025 11:00" in page  # winter time: UTC+1
    assert 'class="date"' in page  # the element the style sheet keeps on one line


def test_demo_versions_were_vastgesteld_on_their_own_dates(demo, client):
    versions = db.session.scalars(select(Version).where(Version.status == PUBLISHED)).all()
    zone = ZoneInfo("Europe/Amsterdam")
    today = datetime.now(UTC)
    assert versions
    for version in versions:
        published = version.published_at
        if published.tzinfo is None:
            published = published.replace(tzinfo=UTC)
        if version.document_date <= today.date():
            noon = datetime.combine(version.document_date, time(12), tzinfo=zone)
            assert published == noon, (version.id, published)
        else:  # a version dated in the future was vastgesteld when the demo was loaded
            assert published <= today
    old = min(versions, key=lambda v: v.document_date)
    assert old.document_date < date(2025, 6, 1)
    log_in(client, db.session.scalar(select(User).where(User.email == "projectleider@demo.dla")))
    page = client.get(f"/versies/{old.id}").get_data(as_text=True)
    day = old.document_date
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus"]
    months += ["september", "oktober", "november", "december"]
    written = f"{day.day} {months[day.month - 1]} {day.year}"
    assert re.search(r"Vastgesteld op</dt><dd><time[^>]*>" + written + "</time>", page)


def test_a_sentence_never_names_a_question_of_a_version_the_reader_may_not_read(demo, client):
    from dla.agendas.models import Agenda, Wording

    restricted = db.session.scalar(
        select(Version)
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(Agenda.region_id == demo.id, Version.distribution == "beperkt")
        .limit(1)
    )
    readable = db.session.scalar(
        select(Version)
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(Agenda.region_id == demo.id, Version.distribution != "beperkt")
        .limit(1)
    )
    hidden = db.session.scalar(select(Wording).where(Wording.version_id == restricted.id))
    db.session.add(
        AuditEntry(
            region_id=demo.id,
            actor="Anna de Vries",
            action="aangemaakt",
            entity="overgang",
            entity_id=999_999,
            version_id=readable.id,
            changes=json.dumps(
                [
                    {"field": "from_wording_id", "old": None, "new": hidden.id},
                    {"field": "kind", "old": None, "new": "vervallen"},
                ]
            ),
        )
    )
    db.session.commit()
    taskforce = db.session.scalar(select(User).where(User.email == "taskforce@demo.dla"))
    log_in(client, taskforce)
    page = client.get(f"/regios/{demo.id}/logboek").get_data(as_text=True)
    assert "Besluit ‘vervallen’ over een vraag genomen, door Anna de Vries." in page
    assert f"versie {restricted.number} van" not in page.split("Besluit ‘vervallen’")[1][:200]
