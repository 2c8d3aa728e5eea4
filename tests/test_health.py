"""``/healthz`` and the friendly 503 when the database does not answer."""

from dla import create_app
from tests.factories import log_in, make_user


def test_healthz_reports_app_and_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def _unreachable_app(tmp_path):
    # A file in a folder that does not exist: SQLite cannot open it, like a database server
    # that does not answer.
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing' / 'dla.sqlite3'}",
            "WTF_CSRF_ENABLED": False,
        }
    )


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    client = _unreachable_app(tmp_path).test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unavailable"}


def test_pages_answer_a_friendly_503_when_the_database_is_unreachable(app, client, tmp_path):
    with app.app_context():
        user = make_user("pl@test.nl")
        key = user.get_id()
    down = _unreachable_app(tmp_path).test_client()
    log_in(down, key)  # a logged-in person: the user loader needs the database first
    for path in ("/", "/inloggen"):
        response = down.get(path)
        assert response.status_code == 503, path
        body = response.get_data(as_text=True)
        assert "De database is even niet bereikbaar" in body
        assert "Traceback" not in body
        assert response.headers["Retry-After"] == "30"
    htmx = down.get("/", headers={"HX-Request": "true"})
    assert htmx.status_code == 503
    assert "De database is even niet bereikbaar" in htmx.get_data(as_text=True)
