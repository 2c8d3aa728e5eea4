"""Login, sessions, throttling, cookies, invitations, restricted versions, audit log."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from dla import create_app
from dla.agendas import questions, services, transitions
from dla.audit.models import AuditEntry
from dla.auth import services as auth_services
from dla.auth.models import Invitation, User
from dla.extensions import db
from tests.factories import (
    PASSWORD,
    by_label,
    log_in,
    make_agenda,
    make_user,
    make_version,
    question,
)

Q = question("als ICR regie houden", "ik geen mandaat heb")


@pytest.fixture
def region_id(app):
    with app.app_context():
        agenda = make_agenda()
        make_user("pl@test.nl", region=agenda.region, role="projectleider")
        db.session.commit()
        return agenda.region_id


def login(client, email, password=PASSWORD):
    return client.post("/inloggen", data={"email": email, "password": password})


def test_login_gives_no_hint_whether_the_account_exists(client, region_id):
    wrong = login(client, "pl@test.nl", "verkeerd-wachtwoord-123")
    unknown = login(client, "niemand@test.nl", "verkeerd-wachtwoord-123")
    assert wrong.status_code == unknown.status_code == 422
    assert "Het e-mailadres of het wachtwoord klopt niet." in wrong.get_data(as_text=True)
    # Apart from the e-mail address typed back into the form, the answers are identical.
    assert wrong.get_data(as_text=True).replace("pl@test.nl", "X") == unknown.get_data(
        as_text=True
    ).replace("niemand@test.nl", "X")


def test_login_rotates_the_session_and_sets_safe_cookies(client, region_id):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    response = login(client, "PL@test.nl ")
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(f"{1}:") or session["_user_id"]
    assert client.get(f"/regios/{region_id}").status_code == 200


def test_open_redirect_after_login_is_refused(client, region_id):
    response = client.post(
        "/inloggen",
        data={"email": "pl@test.nl", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.headers["Location"] == "/"


def test_anonymous_htmx_request_is_sent_to_login(client, region_id):
    response = client.get(f"/regios/{region_id}", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/inloggen")


def test_password_change_ends_other_sessions(app, region_id):
    first, second = app.test_client(), app.test_client()
    assert login(first, "pl@test.nl").status_code == 302
    assert login(second, "pl@test.nl").status_code == 302
    weak = first.post("/account/wachtwoord", data={"current": PASSWORD, "new": "welkom2024!"})
    assert weak.status_code == 422 and "te bekend" in weak.get_data(as_text=True)
    changed = first.post(
        "/account/wachtwoord", data={"current": PASSWORD, "new": "groene-fiets-onder-de-brug"}
    )
    assert changed.status_code == 302
    assert first.get(f"/regios/{region_id}").status_code == 200
    assert second.get(f"/regios/{region_id}").status_code == 303  # back to the login page
    assert login(second, "pl@test.nl", "groene-fiets-onder-de-brug").status_code == 302


def test_passwords_are_hashed_with_argon2(app, region_id):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "pl@test.nl"))
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash


def test_login_is_throttled_per_account(database_url):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_FAST": True,
        }
    )
    with app.app_context():
        db.create_all()
        make_user("pl@test.nl")
        db.session.commit()
    try:
        client = app.test_client()
        statuses = [login(client, "pl@test.nl", "fout-fout-fout-1").status_code for _ in range(6)]
        assert statuses[:5] == [422] * 5
        assert statuses[5] == 429
        blocked = login(client, "pl@test.nl")
        assert blocked.status_code == 429
        assert "Te veel pogingen" in blocked.get_data(as_text=True)
        # Another account from the same address is not blocked by this one's limit.
        assert login(client, "ander@test.nl", "fout-fout-fout-1").status_code == 422
    finally:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def test_production_requires_a_secret_key_and_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("DLA_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    monkeypatch.setenv("SECRET_KEY", "a-long-random-secret")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_invitation_is_one_time_and_expires(app, client, region_id):
    with app.app_context():
        admin = make_user("admin@test.nl", admin=True)
        db.session.commit()
        log_in(client, admin)
    page = client.post(
        f"/regios/{region_id}/uitnodigingen", data={"email": "nieuw@test.nl", "role": "taskforce"}
    )
    assert page.status_code == 200
    link = page.get_data(as_text=True).split('id="invite-link" readonly value="')[1].split('"')[0]
    path = "/" + link.split("/", 3)[3]
    guest = app.test_client()
    assert "taskforce" in guest.get(path).get_data(as_text=True)
    weak = guest.post(path, data={"name": "Nina Nieuw", "password": "kort"})
    assert weak.status_code == 422 and "minstens 12 tekens" in weak.get_data(as_text=True)
    accepted = guest.post(path, data={"name": "Nina Nieuw", "password": "zes-witte-zwanen-op-rij"})
    assert accepted.status_code == 302
    assert guest.get(f"/regios/{region_id}").status_code == 200
    again = app.test_client().get(path)
    assert again.status_code == 404 and "al gebruikt" in again.get_data(as_text=True)
    with app.app_context():
        admin = db.session.get(User, admin.id)
        invitation, token = auth_services.create_invitation(
            region_id, "later@test.nl", "deelnemer", by=admin
        )
        invitation.expires_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()
    assert app.test_client().get(f"/uitnodiging/{token}").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Invitation.token_hash).where(Invitation.id == 1)) != token


def test_restricted_version_is_visible_to_its_members_and_projectleiders(app, client):
    with app.app_context():
        agenda = make_agenda()
        open_version = make_version(agenda, [Q], publish=True)
        restricted = services.create_version(agenda, distribution="beperkt")
        transitions.set_transition(restricted, by_label(open_version, "A"), "blijft_staan")
        questions.add_wording(restricted, text=question("iets geheims", "het gevoelig ligt"))
        services.publish_version(restricted)
        leader = make_user("pl@test.nl", region=agenda.region, role="projectleider")
        member = make_user("tf1@test.nl", region=agenda.region, role="taskforce")
        outsider = make_user("tf2@test.nl", region=agenda.region, role="taskforce")
        auth_services.add_version_member(restricted, member.id)
        db.session.commit()
        keys = {u.email: u.get_id() for u in (leader, member, outsider)}
        ids = {"agenda": agenda.id, "version": restricted.id, "region": agenda.region_id}
    for email, expected in (("pl@test.nl", 200), ("tf1@test.nl", 200), ("tf2@test.nl", 404)):
        browser = app.test_client()
        log_in(browser, keys[email])
        assert browser.get(f"/versies/{ids['version']}").status_code == expected, email
        agenda_page = browser.get(f"/agendas/{ids['agenda']}?status=alle").get_data(as_text=True)
        region_page = browser.get(f"/regios/{ids['region']}?status=alle").get_data(as_text=True)
        secret_visible = "iets geheims" in agenda_page or "iets geheims" in region_page
        assert secret_visible is (expected == 200), email
        assert ("Versie 2" in agenda_page) is (expected == 200), email


def test_deelnemer_sees_only_agendas_they_take_part_in(app):
    with app.app_context():
        agenda = make_agenda()
        other = make_agenda(agenda.region, title="Andere agenda")
        make_version(agenda, [Q], publish=True)
        user = make_user("dn@test.nl", region=agenda.region, role="deelnemer")
        auth_services.add_participant(agenda, user.id)
        db.session.commit()
        key, ids = user.get_id(), (agenda.id, other.id, agenda.region_id)
    client = app.test_client()
    log_in(client, key)
    assert client.get(f"/agendas/{ids[0]}").status_code == 200
    assert client.get(f"/agendas/{ids[1]}").status_code == 403
    region_page = client.get(f"/regios/{ids[2]}").get_data(as_text=True)
    assert "Andere agenda" not in region_page


def test_every_kind_of_change_is_in_the_audit_log(app, client):
    with app.app_context():
        agenda = make_agenda()
        leader = make_user("pl@test.nl", region=agenda.region, role="projectleider")
        db.session.commit()
        log_in(client, leader)
        ids = {"agenda": agenda.id, "region": agenda.region_id}
    client.post(
        f"/agendas/{ids['agenda']}/bewerken",
        data={
            "title": "Nieuwe titel",
            "level": "tactisch",
            "audience": "Managers",
            "lock_version": "1",
        },
    )
    client.post(
        f"/agendas/{ids['agenda']}/versies/nieuw",
        data={"origin": "werksessie", "distribution": "regio"},
    )
    with app.app_context():
        version = services.concept_version(db.session.get(services.Agenda, ids["agenda"]))
        version_id = version.id
    client.post(f"/versies/{version_id}/vragen", data={"text": Q})
    client.post(f"/versies/{version_id}/vaststellen")
    client.post(
        f"/agendas/{ids['agenda']}/versies/nieuw",
        data={"origin": "werksessie", "distribution": "regio"},
    )
    with app.app_context():
        v1 = db.session.get(services.Version, version_id)
        v2 = services.concept_version(db.session.get(services.Agenda, ids["agenda"]))
        source, v2_id = by_label(v1, "A").id, v2.id
        user = make_user("tf@test.nl")
        db.session.commit()
        user_id = user.id
    client.post(
        f"/versies/{v2_id}/overgangen/{source}",
        data={"kind": "vervallen", "reason": "niet_meer_urgent", "expected": ""},
    )
    with app.app_context():
        auth_services.set_membership(db.session.get(User, user_id), ids["region"], "taskforce")
        db.session.commit()
    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.region_id == ids["region"]).order_by(AuditEntry.id)
        ).all()
        kinds = {(e.entity, e.action) for e in entries}
        assert ("agenda", "gewijzigd") in kinds
        assert ("versie", "aangemaakt") in kinds and ("versie", "gewijzigd") in kinds
        assert ("vraag", "aangemaakt") in kinds and ("vraag", "verwijderd") in kinds
        assert ("overgang", "aangemaakt") in kinds
        assert ("lidmaatschap", "aangemaakt") in kinds
        title_change = next(e for e in entries if e.entity == "agenda" and e.action == "gewijzigd")
        changes = {c["field"]: c for c in json.loads(title_change.changes)}
        assert (
            changes["title"]["old"] == "Agenda ICR's" and changes["title"]["new"] == "Nieuwe titel"
        )
        assert title_change.actor == "Pl" and title_change.user_id is not None
        publish = next(
            e
            for e in entries
            if e.entity == "versie"
            and e.action == "gewijzigd"
            and any(c["field"] == "status" for c in e.change_list)
        )
        assert {"field": "status", "old": "concept", "new": "vastgesteld"} in publish.change_list
    page = client.get(f"/regios/{ids['region']}/logboek").get_data(as_text=True)
    assert "Nieuwe titel" in page and "vastgesteld" in page


def test_pii_is_warned_about_but_not_blocked(app, client, region_id):
    login(client, "pl@test.nl")
    with app.app_context():
        agenda_id = db.session.scalar(select(services.Agenda.id))
        version = services.create_version(db.session.get(services.Agenda, agenda_id))
        db.session.commit()
        version_id = version.id
    preview = client.post(
        f"/versies/{version_id}/voorbeeld",
        data={"text": "Hoe help ik gezin met BSN 111222333, terwijl het lastig is?"},
        headers={"HX-Request": "true"},
    )
    assert "Dit lijkt op een BSN" in preview.get_data(as_text=True)
    saved = client.post(
        f"/versies/{version_id}/vragen",
        data={"text": "Hoe bel ik 06-12345678, terwijl niemand opneemt?"},
        headers={"HX-Request": "true"},
    )
    assert saved.status_code == 200
    assert "Dit lijkt op een telefoonnummer" in saved.get_data(as_text=True)


def test_audit_entries_of_new_rows_name_the_row(ctx):
    """Found by the fuzz tests: creations were logged without the new row's id."""
    agenda = make_agenda()
    version = services.create_version(agenda)
    wording = questions.add_wording(version, text=Q)
    db.session.flush()
    created = {
        (entry.entity, entry.entity_id)
        for entry in db.session.scalars(select(AuditEntry).where(AuditEntry.action == "aangemaakt"))
    }
    assert {("agenda", agenda.id), ("versie", version.id), ("vraag", wording.id)} <= created
    assert all(entity_id is not None for _entity, entity_id in created)
