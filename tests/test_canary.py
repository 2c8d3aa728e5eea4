"""The canary test: restricted versions never reach people who are not their members.

The world (tests/canary_world.py) holds restricted versions whose every free-text field
carries a unique canary string. Every registered GET route, with every id the world has,
plain and as an htmx request, every download format decoded (ZIP members, DOCX, XLSX, CSV,
JSON), is visited as each role that is no member of those versions; no canary may appear.
The same tour as the projectleider must find every canary, or the test could never fail.

The world is built once for this module; the tour of one role takes a few seconds.
"""

from __future__ import annotations

import time

import pytest

from dla import create_app
from dla.extensions import db
from tests import canary_world
from tests.canary_tour import (
    STATIC_ENDPOINTS,
    UnfilledParameter,
    canaries_in,
    is_html,
    response_texts,
    tour_urls,
)
from tests.canary_world import ADMIN, BH, CANARIES, DN, DN_IN, OZ, PL, TF
from tests.conftest import empty_database
from tests.factories import log_in

# A projectleider may read restricted versions, but only in their own region.
PL_ELSEWHERE = "projectleider-elders"
ANONYMOUS = "anoniem-met-code"
CODE = "code-van-de-beperkte-sessie"
TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="module")
def canary(database_url):
    app = canary_world.make_app(database_url)
    started = time.perf_counter()
    world = canary_world.build(app)
    try:
        urls = tour_urls(app, world)
    except UnfilledParameter as error:
        urls = error  # every test of the tour fails with this message
    TIMINGS["world"] = time.perf_counter() - started
    yield app, world, urls, {}
    empty_database(app)


def _client(app, world, role: str):
    client = app.test_client()
    if role == ANONYMOUS:
        # Joined the readable agenda's open werksessie from a phone: a participant, but of
        # another session.
        response = client.post(
            f"/w/{world.ids['readable_code']}/aanmelden", data={"role": "professional"}
        )
        assert response.status_code in (200, 303), response.status_code
    else:
        log_in(client, world.users[role])
    return client


def _urls(canary) -> list[str]:
    urls = canary[2]
    if isinstance(urls, UnfilledParameter):
        pytest.fail(str(urls))
    return urls


def _tour(canary, role: str) -> dict:
    """Visit every URL as ``role`` (once per module): canaries found per request, and the
    requests that failed."""
    app, world, _urls_, cache = canary
    urls = _urls(canary)
    if role in cache:
        return cache[role]
    client = _client(app, world, role)
    found: dict[str, set[str]] = {}
    errors: list[str] = []
    started = time.perf_counter()
    requests = 0
    for url in urls:
        for htmx in (False, True):
            headers = {"HX-Request": "true"} if htmx else {}
            label = f"{'htmx ' if htmx else ''}GET {url}"
            requests += 1
            try:
                response = client.get(url, headers=headers)
            except Exception as exc:  # a crash reveals nothing, but must be seen
                errors.append(f"{label}: {type(exc).__name__}: {exc}")
                break
            if response.status_code >= 500:
                errors.append(f"{label}: {response.status_code}")
            # The join code of the werksessie on the restricted version opens it on a phone.
            # A visitor who typed it already knows it.
            code = world.ids["restricted_code"]
            exact = {} if code in url else {CODE: code}
            names = canaries_in(response_texts(response), CANARIES, exact)
            if names:
                found[label] = names
            if not is_html(response):
                break  # a download: the htmx header changes nothing
    TIMINGS[role] = time.perf_counter() - started
    cache[role] = {"found": found, "errors": errors, "requests": requests}
    return cache[role]


def _report(found: dict[str, set[str]], limit: int = 40) -> str:
    lines = [f"{label}: {', '.join(sorted(names))}" for label, names in sorted(found.items())]
    extra = f"\n… and {len(lines) - limit} more" if len(lines) > limit else ""
    return "\n".join(lines[:limit]) + extra


def test_every_get_route_is_toured(canary):
    """Every GET route but static files is in the tour, with at least one URL."""
    app = canary[0]
    paths = {url.split("?")[0] for url in _urls(canary)}
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        visited = {adapter.match(path, method="GET")[0] for path in paths}
    expected = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint not in STATIC_ENDPOINTS
    }
    assert expected - visited == set()


def test_world_is_restricted(canary):
    """The canary versions really are restricted, and the tested accounts are no members."""
    from dla.agendas.models import Version
    from dla.auth.services import version_member_list

    app, world, _urls, _cache = canary
    with app.app_context():
        for key in ("restricted_v1", "restricted_v2", "restricted_concept", "changelog_v1"):
            version = db.session.get(Version, world.ids[key])
            assert version.distribution == "beperkt", key
            members = {u.get_id() for u in version_member_list(version)}
            assert members == {world.users["lid"]}, key


@pytest.mark.parametrize("role", [TF, OZ, DN, DN_IN, BH, ADMIN, PL_ELSEWHERE, ANONYMOUS])
def test_no_canary_reaches_a_non_member(canary, role):
    result = _tour(canary, role)
    assert not result["found"], (
        f"{role} read restricted text in {len(result['found'])} of {result['requests']} "
        f"requests:\n{_report(result['found'])}"
    )


def test_member_tour_finds_every_canary(canary):
    """The projectleider may read the restricted versions: the same tour finds each
    canary at least once, so the tours above can fail."""
    result = _tour(canary, PL)
    seen = set().union(*result["found"].values()) if result["found"] else set()
    assert {*CANARIES, CODE} - seen == set(), "canaries the member tour never found"
    # Each kind of download was read (and decoded) with the restricted text in it.
    downloads = {
        kind
        for label, names in result["found"].items()
        for kind in ("export.json", "export.csv", "export.xlsx", "export.zip", "export.docx")
        if kind in label and "vraag" in names
    }
    assert len(downloads) == 5, downloads
    assert any(label.startswith("htmx ") for label in result["found"])


@pytest.mark.parametrize("role", [TF, OZ, DN, DN_IN, BH, ADMIN, PL_ELSEWHERE, ANONYMOUS, PL])
def test_tour_answers_without_errors(canary, role):
    result = _tour(canary, role)
    assert result["errors"] == []


def test_tour_timing(canary):
    """Not a check: prints how long the world and the tours took (run with -s)."""
    print("\ncanary timings (s):", {k: round(v, 1) for k, v in TIMINGS.items()})
    print("canary tour URLs:", len(_urls(canary)))


@pytest.mark.parametrize(
    "rule, reads",
    [("/proef/<int:onbekend_id>", None), ("/proef", "onbekend")],
)
def test_a_route_the_world_cannot_fill_fails_the_tour(rule, reads):
    """A new route with a parameter (or a query argument) the tour does not know is not
    skipped: building the tour fails, naming the route."""
    from flask import request

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})

    def proef(**_ids):
        return request.args.get("onbekend", "") if reads else ""

    app.add_url_rule(rule, "proef", proef)
    with app.app_context():
        db.create_all()
    world = canary_world.World(ids={"invitation": "x"})
    with pytest.raises(UnfilledParameter, match="proef"):
        tour_urls(app, world)
