"""Two app servers, one PostgreSQL database and one Redis: the README's deployment.

Both servers run gunicorn with ``DLA_ENV=production`` behind a (simulated) TLS proxy
(``DLA_PROXIES=1``), the same ``SECRET_KEY``, ``DATABASE_URL`` and ``REDIS_URL``, on two
loopback ports. A session made on one is valid on the other, the login throttle counts the
attempts made on both, and an edit made through one is seen — and guarded against stale
overwrites — through the other.
"""

from __future__ import annotations

import os
import uuid

import pytest

from tests.conftest import needs_postgres
from tests.factories import PASSWORD
from tests.servers import AppServer, HttpClient

REDIS_URL = os.environ.get("DLA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
pytestmark = needs_postgres("several app servers share one PostgreSQL")


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def servers(server_database, tmp_path):
    if not _redis_answers():
        if os.environ.get("DLA_REQUIRE_SERVICES") == "1":
            pytest.fail(f"DLA_REQUIRE_SERVICES=1 but Redis does not answer at {REDIS_URL}")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    _app, url, _ids = server_database
    env = {
        "DLA_ENV": "production",
        "DLA_PROXIES": "1",
        "SECRET_KEY": "shared-secret-" + uuid.uuid4().hex,
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "DLA_RATELIMIT_PREFIX": "test-" + uuid.uuid4().hex[:12],  # this run's counts only
        "DLA_CACHE_PREFIX": "test-cache-" + uuid.uuid4().hex[:12] + ":",  # and cache entries
    }
    one = AppServer({**env, "DLA_SERVER_LOG": str(tmp_path / "one.log")})
    try:
        two = AppServer({**env, "DLA_SERVER_LOG": str(tmp_path / "two.log")})
    except Exception:
        one.stop()
        raise
    one.cache_prefix = env["DLA_CACHE_PREFIX"]
    yield one, two
    one.stop()
    two.stop()


def test_a_session_made_on_one_server_is_valid_on_the_other(servers):
    one, two = servers
    on_one = HttpClient(one.base, behind_tls=True)
    assert on_one.login("pl@fout.test", PASSWORD) == 302
    session = next(cookie for cookie in on_one.jar if cookie.name == "session")
    assert session.secure  # production cookies
    on_two = HttpClient(two.base, behind_tls=True)
    on_one.copy_cookies_to(on_two)
    status, page, headers = on_two.get("/")
    assert status == 200 and "Foutregio" in page
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    # Logging out on the second server ends this browser's session on both.
    assert on_two.post("/uitloggen")[0] == 302
    on_two.base = one.base
    assert _sent_to_login(on_two.get("/"))
    assert _sent_to_login(HttpClient(two.base, behind_tls=True).get("/"))


def _sent_to_login(answer) -> bool:
    status, _text, headers = answer
    return status == 303 and headers["Location"].startswith("/inloggen")


def test_the_login_throttle_counts_attempts_on_both_servers(servers):
    one, two = servers
    # Five wrong passwords per account per minute are allowed: three here, two there.
    for server in (one, one, one, two, two):
        client = HttpClient(server.base, behind_tls=True)
        assert client.login("pl@fout.test", "niet-het-goede-wachtwoord") == 422
    for server in (one, two):
        client = HttpClient(server.base, behind_tls=True)
        assert client.login("pl@fout.test", PASSWORD) == 429
        status, page, _ = client.get("/inloggen")
        assert status == 200  # the login page itself stays reachable


def test_an_edit_through_one_server_is_seen_and_guarded_on_the_other(server_database, servers):
    _app, _url, ids = server_database
    one, two = servers
    on_one = HttpClient(one.base, behind_tls=True)
    assert on_one.login("pl@fout.test", PASSWORD) == 302
    on_two = HttpClient(two.base, behind_tls=True)
    on_one.copy_cookies_to(on_two)
    version = f"/versies/{ids['concept']}"
    # Two tabs opened the concept (lock version 1), one through each server.
    assert on_one.get(version)[0] == 200 and on_two.get(version)[0] == 200

    new_text = "Hoe kan ik het gezin écht centraal zetten, terwijl elk plan anders is?"
    status, _text, _headers = on_one.post(
        f"/vragen/{ids['wording']}", {"text": new_text, "lock_version": "1"}, htmx=True
    )
    assert status == 200
    status, page, _headers = on_two.get(version)
    assert status == 200 and "écht centraal" in page
    # Both servers keep pages in the shared Redis cache (dla.caching), and the edit's new
    # change stamp means neither serves the page as it was before it.
    import redis

    prefix = one.cache_prefix
    assert redis.Redis.from_url(REDIS_URL).keys(prefix + "page:*")
    assert "écht centraal" in on_one.get(version)[1]

    # The second tab still holds lock version 1: its save is refused, not applied.
    status, text, _headers = on_two.post(
        f"/vragen/{ids['wording']}",
        {"text": "Een oude versie van de vraag?", "lock_version": "1"},
        htmx=True,
    )
    assert status == 409 and "écht centraal" in text
    assert "Een oude versie" not in on_one.get(version)[1]
