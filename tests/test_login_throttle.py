"""The login throttle counts failed logins only (a shared meeting laptop logs in often)."""

from __future__ import annotations

import pytest

from dla import create_app
from dla.extensions import db
from tests.factories import PASSWORD, make_user


@pytest.fixture
def throttled_app(database_url):
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
        for number in range(25):
            make_user(f"deelnemer{number}@test.nl")
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _login(client, email, password=PASSWORD):
    return client.post("/inloggen", data={"email": email, "password": password})


def test_successful_logins_do_not_count_toward_the_limit(throttled_app):
    client = throttled_app.test_client()
    # One laptop, one account, many good logins: every one gets in.
    for _ in range(8):
        assert _login(client, "deelnemer0@test.nl").status_code == 302
        client.post("/uitloggen")
    # The five failures the account may have are all still there; the sixth is stopped.
    statuses = [_login(client, "deelnemer0@test.nl", "fout-fout-1").status_code for _ in range(6)]
    assert statuses == [422] * 5 + [429]


def test_a_meeting_laptop_logs_in_many_people_without_being_blocked(throttled_app):
    client = throttled_app.test_client()
    # More good logins from one address than the 20 a minute that address may fail.
    for number in range(25):
        assert _login(client, f"deelnemer{number}@test.nl").status_code == 302
        client.post("/uitloggen")
    assert _login(client, "deelnemer1@test.nl", "fout-fout-1").status_code == 422
