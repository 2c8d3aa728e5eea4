"""Restricted versions (verspreiden: beperkt) never reach people who may not read them,
through any path: the next version's changelog, werksessies, the audit log, import
suggestions and links, a new version, and the metadata of question threads (issue 14).

Every test asks through HTTP as a member of the region who is not a reader of the
restricted version: taskforce, onderzoeker and deelnemer.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from dla.agendas import questions, services, transitions
from dla.agendas.models import Thread, Version
from dla.analysis import services as analysis
from dla.auth import services as auth_services
from dla.extensions import db
from dla.measurements import services as measurements
from dla.werksessies import planning
from dla.werksessies import services as sessions
from tests.factories import by_label, make_agenda, make_region, make_user, make_version, question

OPEN_Q = question("het gezin centraal zetten", "elke organisatie een eigen plan maakt")
SECRET_Q = question("de GEHEIMKANARIE bewaren", "niemand het echt mag weten")
SESSION_Q = question("de SESSIEKANARIE bespreken", "het gevoelig ligt in de regio")
SECRET_NOTE = "NOTITIEKANARIE"
LINK_NOTE = "KOPPELKANARIE"
NON_MEMBERS = ("taskforce", "onderzoeker", "deelnemer")
CANARIES = ("GEHEIMKANARIE", "SESSIEKANARIE", SECRET_NOTE, LINK_NOTE)


@pytest.fixture
def world(app):
    """Agenda A: v1 (regio), v2 (beperkt, with a secret question and a secret decision
    note), v3 (regio, by the projectleider). Agenda B: v1 (beperkt) reviewed in a closed
    werksessie. A barrier item, an indicator and a milestone linked to B's question."""
    with app.app_context():
        region = make_region()
        leader = make_user("pl@test.nl", region=region, role="projectleider")
        users = {"projectleider": leader}
        for role in NON_MEMBERS:
            users[role] = make_user(f"{role}@test.nl", region=region, role=role)
        member = make_user("lid@test.nl", region=region, role="taskforce")
        agenda = make_agenda(region, title="Agenda A")
        other = make_agenda(region, title="Agenda B")
        for one in (agenda, other):
            auth_services.add_participant(one, users["deelnemer"].id)
        v1 = make_version(agenda, [OPEN_Q], publish=True, day=date(2024, 1, 10))
        v2 = services.create_version(
            agenda, distribution="beperkt", document_date=date(2024, 6, 12)
        )
        transitions.set_transition(v2, by_label(v1, "A"), "blijft_staan")
        questions.add_wording(v2, text=SECRET_Q)
        services.publish_version(v2)
        auth_services.add_version_member(v2, member.id)
        v3 = services.create_version(agenda, document_date=date(2025, 1, 10))
        transitions.set_transition(v3, by_label(v2, "A"), "blijft_staan")
        transitions.set_transition(
            v3, by_label(v2, "B"), "voorlopig_beantwoord", note=f"Beantwoord: {SECRET_NOTE}"
        )
        services.publish_version(v3)

        b1 = make_version(other, [SESSION_Q], publish=True, distribution="beperkt")
        secret_thread = by_label(b1, "A").thread_id
        ws = planning.plan_session(
            region,
            agenda_ids=[other.id],
            created_by_id=leader.id,
            title="Sessie over B",
            session_date=date(2025, 2, 1),
        )
        sessions.open_session(ws)
        code = ws.code
        sessions.close_session(ws, user_id=leader.id, allow_undecided=True)

        indicator = measurements.create_indicator(
            region, name="Doorbraken", concerns="gezinnen", horizon="kort", kind="aantal"
        )
        measurements.link_thread(indicator, secret_thread, note=LINK_NOTE)
        milestone = analysis.create_milestone(region, title="Eén plan per gezin")
        analysis.link_milestone(milestone, thread=db.session.get(Thread, secret_thread))
        db.session.commit()
        return {
            "users": {role: user.get_id() for role, user in users.items()},
            "member": member.get_id(),
            "region": region.id,
            "agenda": agenda.id,
            "other": other.id,
            "v1": v1.id,
            "v3": v3.id,
            "open_thread": by_label(v1, "A").thread_id,
            "secret_thread": secret_thread,
            "secret_wording": by_label(b1, "A").id,
            "session": ws.id,
            "code": code,
            "indicator": indicator.id,
            "milestone": milestone.id,
        }


def as_user(app, key):
    from tests.factories import log_in

    client = app.test_client()
    log_in(client, key)
    return client


def text(response) -> str:
    return response.get_data(as_text=True)


def assert_no_canary(body: str, who: str) -> None:
    for canary in CANARIES:
        assert canary not in body, f"{canary} reached {who}"


@pytest.mark.parametrize("role", NON_MEMBERS)
def test_changelog_compares_with_the_latest_readable_version(app, world, role):
    client = as_user(app, world["users"][role])
    page = client.get(f"/versies/{world['v3']}")
    assert page.status_code == 200
    assert "Wat is er veranderd sinds versie 1?" in text(page)
    assert_no_canary(text(page), role)
    compare = client.get(
        f"/agendas/{world['agenda']}/vergelijken?van={world['v1']}&naar={world['v3']}"
    )
    assert compare.status_code == 200
    assert_no_canary(text(compare), role)
    # A reader of the restricted version still sees what changed since it.
    member = as_user(app, world["member"])
    assert "sinds versie 2?" in text(member.get(f"/versies/{world['v3']}"))


@pytest.mark.parametrize("role", ("taskforce", "onderzoeker"))
def test_a_session_about_a_restricted_version_is_not_there_for_others(app, world, role):
    client = as_user(app, world["users"][role])
    for path in ("", "/verslag", "/hand-out", "/wat-is-veranderd"):
        response = client.get(f"/werksessies/{world['session']}{path}")
        assert response.status_code == 404, path
        assert_no_canary(text(response), role)
    listing = text(client.get(f"/regios/{world['region']}/werksessies"))
    assert "Sessie over B" not in listing
    leader = as_user(app, world["users"]["projectleider"])
    assert "SESSIEKANARIE" in text(leader.get(f"/werksessies/{world['session']}/verslag"))


@pytest.mark.parametrize("role", ("taskforce", "onderzoeker"))
def test_audit_log_hides_restricted_text_and_join_codes(app, world, role):
    client = as_user(app, world["users"][role])
    body = text(client.get(f"/regios/{world['region']}/logboek?pagina=1"))
    pages = [body]
    number = 2
    while f"pagina={number}" in pages[-1]:
        pages.append(text(client.get(f"/regios/{world['region']}/logboek?pagina={number}")))
        number += 1
    everything = "".join(pages)
    assert "GEHEIMKANARIE" not in everything
    assert "SESSIEKANARIE" not in everything
    assert world["code"] not in everything
    assert "Agenda A" in everything  # the rest of the log is still there
    leader = as_user(app, world["users"]["projectleider"])
    leader_log = "".join(
        text(leader.get(f"/regios/{world['region']}/logboek?pagina={n}")) for n in range(1, 6)
    )
    assert "GEHEIMKANARIE" in leader_log and world["code"] in leader_log


def test_import_suggests_and_links_only_readable_questions(app, world):
    client = as_user(app, world["users"]["onderzoeker"])
    pasted = "Versie 1\nA. " + question("de SESSIEKANARIE bespreken", "het gevoelig ligt")
    preview = client.post(
        f"/regios/{world['region']}/importeren",
        data={"tekst": pasted, "agenda_id": world["agenda"]},
    )
    assert preview.status_code == 200
    assert "in de regio?" not in text(preview)  # the restricted wording's own ending
    assert f'value="{world["secret_wording"]}"' not in text(preview)
    with app.app_context():
        before = db.session.scalar(select(func.count(Version.id)))
    saved = client.post(
        f"/regios/{world['region']}/importeren/opslaan",
        data={
            "agenda_id": world["agenda"],
            "aantal": "1",
            "q-0-tekst": SESSION_Q,
            "q-0-label": "A",
            "q-0-vervolg": str(world["secret_wording"]),
            "herkomst": "gereconstrueerd",
        },
    )
    assert saved.status_code == 422
    assert "bestaat niet (meer)" in text(saved)
    with app.app_context():
        assert db.session.scalar(select(func.count(Version.id))) == before


def test_new_version_from_an_unreadable_restricted_version_is_refused(app, world):
    client = as_user(app, world["users"]["onderzoeker"])
    with app.app_context():
        before = db.session.scalar(select(func.count(Version.id)))
    page = client.get(f"/agendas/{world['other']}/versies/nieuw")
    assert page.status_code == 403
    assert "beperkt verspreid" in text(page)
    assert_no_canary(text(page), "onderzoeker")
    posted = client.post(
        f"/agendas/{world['other']}/versies/nieuw",
        data={"origin": "gereconstrueerd", "distribution": "regio"},
    )
    assert posted.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(Version.id))) == before
    # Importing a text as its next version is refused the same way.
    imported = client.post(
        f"/regios/{world['region']}/importeren",
        data={"tekst": "Versie 2\nA. " + OPEN_Q, "agenda_id": world["other"]},
    )
    assert imported.status_code == 403


@pytest.mark.parametrize("role", NON_MEMBERS)
def test_threads_of_restricted_versions_leave_no_trace(app, world, role):
    client = as_user(app, world["users"][role])
    secret = f"LV-{world['secret_thread']}"
    for path in (
        f"/metingen/{world['indicator']}",
        f"/mijlpalen/{world['milestone']}",
        f"/regios/{world['region']}/mijlpalen",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert secret not in text(response), path
        assert_no_canary(text(response), role)
    # Nor do the numbers of links: the only link goes to the restricted question.
    milestones = text(client.get(f"/regios/{world['region']}/mijlpalen"))
    assert '<td data-label="Koppelingen">0</td>\n        <td data-label="Besluiten">0</td>' in (
        milestones
    )
    indicators = text(client.get(f"/regios/{world['region']}/metingen"))
    assert '<td class="num">0</td>' in indicators
    leader = as_user(app, world["users"]["projectleider"])
    assert '<td class="num">1</td>' in text(leader.get(f"/regios/{world['region']}/metingen"))
    assert client.get(f"/leervragen/{world['secret_thread']}").status_code == 404
    thread = text(client.get(f"/leervragen/{world['open_thread']}"))
    assert_no_canary(thread, role)
    # Versions 1 and 3 only: nothing tells of version 2 or its date.
    assert "<dt>In versies</dt><dd>2</dd>" in thread
    assert "12-06-2024" not in thread and "versie 2" not in thread.lower()
    member = as_user(app, world["member"])
    assert "<dt>In versies</dt><dd>3</dd>" in text(
        member.get(f"/leervragen/{world['open_thread']}")
    )


@pytest.mark.parametrize("role", NON_MEMBERS)
def test_region_overview_counts_only_readable_questions(app, world, role):
    leader = text(as_user(app, world["users"]["projectleider"]).get("/"))
    assert "3 leervragen" in leader
    assert "1 leervraag" in text(as_user(app, world["users"][role]).get("/"))
