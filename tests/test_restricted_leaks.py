"""The six paths by which restricted versions reached people who are no member (issue 14),
each through HTTP, with a control that shows the check can fail.

The world is tests/canary_world.py: restricted versions whose free text holds canaries,
read here by taskforce, onderzoeker and a deelnemer who takes part in the agendas (none of
them a member), and by the projectleider (who may read everything) as the control.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from dla.agendas.models import SubQuestion, Version, VersionGroup, Wording
from dla.audit.models import AuditEntry
from dla.extensions import db
from tests import canary_world
from tests.canary_world import CANARIES, DN_IN, OZ, PL, TF
from tests.conftest import empty_database
from tests.factories import log_in
from tests.fuzzing import ENGLISH

NON_MEMBERS = [TF, OZ, DN_IN]


@pytest.fixture(scope="module")
def app(database_url):
    """One world for the module (the tests that change it each change their own agenda)."""
    app = canary_world.make_app(database_url)
    yield app
    empty_database(app)


@pytest.fixture(scope="module")
def world(app):
    return canary_world.build(app)


def _client(app, world, role):
    client = app.test_client()
    log_in(client, world.users[role])
    return client


def _get(app, world, role, url, **headers):
    response = _client(app, world, role).get(url, headers=headers)
    return response, response.get_data(as_text=True)


def _canaries(body: str) -> set[str]:
    lower = body.lower()
    return {name for name, value in CANARIES.items() if value.lower() in lower}


def _dutch_refusal(response) -> None:
    """A clear Dutch 4xx: no 500, no English framework message."""
    body = response.get_data(as_text=True)
    assert 400 <= response.status_code < 500, response.status_code
    assert not ENGLISH.search(body), ENGLISH.search(body)
    assert re.search(r"\b(vraag|vragen|versie|niet|mag|kunt|kan)\b", body), body[-2000:]


def _restricted_wording_ids(app) -> set[int]:
    with app.app_context():
        return set(
            db.session.scalars(
                select(Wording.id).join(Version).where(Version.distribution == "beperkt")
            )
        )


# --- 1. the changelog of the next version -----------------------------------------------------


@pytest.mark.parametrize("role", NON_MEMBERS)
def test_changelog_leaves_out_a_restricted_previous_version(app, world, role):
    response, body = _get(app, world, role, f"/versies/{world.ids['changelog_v2']}")
    assert response.status_code == 200
    assert "regie nemen, terwijl niemand terugbelt?" in body  # the readable version itself
    assert CANARIES["vorige-versie"] not in body
    assert "13-02-2024" not in body and "13 februari 2024" not in body


def test_changelog_shows_the_previous_version_to_a_member(app, world):
    response, body = _get(app, world, PL, f"/versies/{world.ids['changelog_v2']}")
    assert response.status_code == 200
    assert "Wat is er veranderd sinds versie 1?" in body
    assert CANARIES["vorige-versie"] in body


# --- 2. a werksessie's page and report --------------------------------------------------------


SESSION_PAGES = ["", "/verslag", "/hand-out", "/wat-is-veranderd"]


@pytest.mark.parametrize("page", SESSION_PAGES)
@pytest.mark.parametrize("role", [TF, OZ])
def test_session_pages_do_not_list_a_restricted_source_version(app, world, role, page):
    url = f"/werksessies/{world.ids['closed_session']}{page}"
    for headers in ({}, {"HX-Request": "true"}):
        response, body = _get(app, world, role, url, **headers)
        assert response.status_code < 500
        assert _canaries(body) == set(), f"{role} {url}"


@pytest.mark.parametrize("role", [TF, OZ])
def test_open_session_page_does_not_hand_out_a_restricted_sessions_code(app, world, role):
    """With the code anyone can join and read the questions on a phone."""
    response, body = _get(app, world, role, f"/werksessies/{world.ids['open_session']}")
    assert response.status_code < 500
    assert world.ids["restricted_code"] not in body
    assert CANARIES["sessievraag-open"] not in body


def test_session_report_lists_the_questions_to_a_member(app, world):
    url = f"/werksessies/{world.ids['closed_session']}/verslag"
    response, body = _get(app, world, PL, url)
    assert response.status_code == 200
    assert {"vraag", "sessievraag", "sessiebesluit"} <= _canaries(body)
    response, body = _get(app, world, PL, f"/werksessies/{world.ids['open_session']}")
    code = world.ids["restricted_code"]
    assert f"{code[:4]} {code[4:]}" in body  # shown in groups of four


# --- 3. the audit log -------------------------------------------------------------------------


def _audit_pages(app, world, role) -> str:
    with app.app_context():
        total = db.session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.region_id == world.ids["region"])
        )
    client = _client(app, world, role)
    bodies = []
    for number in range(1, total // 50 + 2):
        response = client.get(f"/regios/{world.ids['region']}/logboek?pagina={number}")
        assert response.status_code == 200
        bodies.append(response.get_data(as_text=True))
    return "\n".join(bodies)


def test_audit_log_holds_what_must_be_redacted(app, world):
    """The log records the restricted text and the join code: there is something to hide."""
    with app.app_context():
        changes = "\n".join(db.session.scalars(select(AuditEntry.changes)))
    assert CANARIES["vraag"] in changes
    assert world.ids["restricted_code"] in changes
    assert CANARIES["vraag"] in _audit_pages(app, world, PL)


@pytest.mark.parametrize("role", [TF, OZ])
def test_audit_log_redacts_restricted_text_and_join_codes(app, world, role):
    body = _audit_pages(app, world, role)
    assert _canaries(body) == set()
    assert world.ids["restricted_code"] not in body


# --- 4. import suggestions and links ----------------------------------------------------------


IMPORTED = (
    "A. Hoe kan ik regie houden, terwijl het mandaat ontbreekt?\n"
    "B. Hoe kan ik verbinden, terwijl ik ver van de uitvoering sta?\n"
)


def _preview(app, world, role):
    client = _client(app, world, role)
    return client.post(
        f"/regios/{world.ids['region']}/importeren",
        data={"tekst": IMPORTED, "agenda_id": str(world.ids["readable_agenda"])},
    )


def _offered(body: str) -> set[int]:
    return {int(v) for v in re.findall(r'name="q-\d+-(?:vervolg|samen)" value="(\d+)"', body)}


def test_import_preview_suggests_restricted_wordings_to_a_member(app, world):
    response = _preview(app, world, PL)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "vraag" in _canaries(body)
    assert _offered(body) & _restricted_wording_ids(app)


def test_import_preview_does_not_suggest_restricted_wordings(app, world):
    response = _preview(app, world, OZ)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _canaries(body) == set()
    assert _offered(body) & _restricted_wording_ids(app) == set()


def _save(app, world, role, link: int):
    client = _client(app, world, role)
    return client.post(
        f"/regios/{world.ids['region']}/importeren/opslaan?agenda_id={world.ids['readable_agenda']}",
        data={
            "aantal": "1",
            "groepen": "1",
            "groep-0": "",
            "q-0-tekst": "Hoe kan ik regie houden, terwijl het mandaat ontbreekt?",
            "q-0-label": "A",
            "q-0-vervolg": str(link),
        },
    )


def _versions_of(app, agenda_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(Version.id)).where(Version.agenda_id == agenda_id)
        )


def test_import_refuses_a_link_to_a_restricted_wording(app, world):
    before = _versions_of(app, world.ids["readable_agenda"])
    # (The wording of another agenda than the other tests read: a link that is not refused
    # makes its thread readable.)
    response = _save(app, world, OZ, world.ids["copy_wording"])
    _dutch_refusal(response)
    assert _versions_of(app, world.ids["readable_agenda"]) == before
    # The same import, continuing a readable question, is saved.
    with app.app_context():
        readable = db.session.scalar(
            select(Wording.id).where(Wording.version_id == world.ids["readable_version"])
        )
    saved = _save(app, world, OZ, readable)
    assert saved.status_code in (302, 303), saved.status_code
    assert _versions_of(app, world.ids["readable_agenda"]) == before + 1


# --- 5. "Nieuwe versie" -----------------------------------------------------------------------


def _new_version(app, world, role, key: str):
    client = _client(app, world, role)
    return client.post(
        f"/agendas/{world.ids[key + '_agenda']}/versies/nieuw",
        data={
            "origin": "gereconstrueerd",
            "distribution": "regio",
            "document_date": "01-12-2025",
            "context_line": "",
            "themes": "",
            "groups": "",
        },
    )


def _text_of_version(app, version_id: int) -> str:
    with app.app_context():
        version = db.session.get(Version, version_id)
        parts = [
            version.label,
            version.context_line,
            version.themes,
            version.author,
            version.recipient,
            version.reference,
        ]
        for wording in db.session.scalars(select(Wording).where(Wording.version_id == version_id)):
            parts += [wording.text, wording.full_text, wording.shared_stem, wording.annotation]
            parts += [wording.tag, wording.goal, wording.barrier]
        parts += db.session.scalars(
            select(SubQuestion.text).join(Wording).where(Wording.version_id == version_id)
        )
        parts += db.session.scalars(
            select(VersionGroup.title).where(VersionGroup.version_id == version_id)
        )
        return "\n".join(parts)


def _newest_version(app, agenda_id: int) -> Version | None:
    with app.app_context():
        return db.session.scalar(
            select(Version.id).where(Version.agenda_id == agenda_id).order_by(Version.number.desc())
        )


def test_new_version_by_a_member_copies_the_restricted_version(app, world):
    response = _new_version(app, world, PL, "member_copy")
    assert response.status_code in (302, 303)
    newest = _newest_version(app, world.ids["member_copy_agenda"])
    assert newest != world.ids["member_copy_v1"]
    assert CANARIES["bron-nieuwe-versie"] in _text_of_version(app, newest)


def test_new_version_by_a_non_member_copies_nothing_restricted(app, world):
    """Refused with a Dutch message, or made with only what the creator may read."""
    response = _new_version(app, world, OZ, "copy")
    newest = _newest_version(app, world.ids["copy_agenda"])
    if newest == world.ids["copy_v1"]:
        _dutch_refusal(response)
        return
    assert response.status_code in (302, 303), response.status_code
    assert CANARIES["bron-nieuwe-versie"] not in _text_of_version(app, newest)
    _response, body = _get(app, world, OZ, f"/versies/{newest}")
    assert _canaries(body) == set()


def test_agenda_page_offers_a_new_version_only_to_readers_of_the_latest(app, world):
    """A non-member who may create versions is told why there is no button, instead of
    being refused after clicking it; the projectleider gets the button."""
    url = f"/agendas/{world.ids['copy_agenda']}"
    start = f"/agendas/{world.ids['copy_agenda']}/versies/nieuw"
    _response, body = _get(app, world, OZ, url)
    assert start not in body
    assert "beperkt verspreid" in body
    _response, body = _get(app, world, PL, url)
    assert start in body
    assert "beperkt verspreid" not in body


# --- 6. metadata of restricted threads --------------------------------------------------------


def _mentions_thread(body: str, thread_id: int) -> list[str]:
    pattern = rf"LV-{thread_id}(?!\d)|/leervragen/{thread_id}(?!\d)"
    return re.findall(pattern, body)


PAGES = {
    "meting": "/metingen/{restricted_indicator}",
    "mijlpaal": "/mijlpalen/{restricted_milestone}",
    "barriere": "/barrieres/{restricted_item}",
    "hardnekkig": "/regios/{region}/hardnekkige-barrieres?alle=1",
    "mijlpalen": "/regios/{region}/mijlpalen",
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_pages_show_a_restricted_thread_to_a_member(app, world, page):
    url = PAGES[page].format(**world.ids)
    response, body = _get(app, world, PL, url)
    assert response.status_code == 200
    if page in ("meting", "mijlpaal", "barriere", "hardnekkig"):
        assert _mentions_thread(body, world.ids["restricted_thread"]), url


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", NON_MEMBERS)
def test_pages_do_not_reveal_a_restricted_thread(app, world, role, page):
    url = PAGES[page].format(**world.ids)
    response, body = _get(app, world, role, url)
    assert response.status_code == 200
    assert _mentions_thread(body, world.ids["restricted_thread"]) == []
    assert _canaries(body) == set()


@pytest.mark.parametrize("role", NON_MEMBERS)
def test_thread_page_counts_only_readable_versions(app, world, role):
    response, body = _get(app, world, role, f"/leervragen/{world.ids['changelog_thread']}")
    assert response.status_code == 200
    # The glossary marks "regie" (a button with its definition): compare the words.
    words = re.sub(r"<[^>]+>|Sturing op het geheel\.", "", body)
    assert "regie nemen, terwijl niemand terugbelt?" in words
    assert "<dt>In versies</dt><dd>1</dd>" in body
    assert "Agenda wijkteams, versie 1" not in body
    assert "13-02-2024" not in body and "13 februari 2024" not in body
    assert _canaries(body) == set()


def test_thread_page_counts_every_version_for_a_member(app, world):
    response, body = _get(app, world, PL, f"/leervragen/{world.ids['changelog_thread']}")
    assert response.status_code == 200
    assert "<dt>In versies</dt><dd>2</dd>" in body
    assert "13-02-2024" in body


@pytest.mark.parametrize("role", NON_MEMBERS)
def test_thread_page_of_a_restricted_thread_is_not_found(app, world, role):
    response, _body = _get(app, world, role, f"/leervragen/{world.ids['restricted_thread']}")
    assert response.status_code == 404
