"""The change stamps, the page cache and ETags never show stale or unreadable content (issue 17).

Every test reads pages twice (the second time from the cache), changes something the way
people do, and reads again: the change shows at once, a restricted version stays with its
members, and a 304 comes only when nothing changed.
"""

from __future__ import annotations

import os
import re
import uuid
from datetime import date

import pytest
from sqlalchemy import select

from dla import create_app
from dla.agendas import questions, services, transitions
from dla.agendas.models import Agenda, Thread, Version, Wording
from dla.analysis import services as analysis_services
from dla.analysis.models import MatrixHeading
from dla.auth import services as auth_services
from dla.auth.models import Membership, User
from dla.caching import stamps, store
from dla.caching.models import ANALYSIS, PUBLISHED
from dla.caching.store import cache, page_cache
from dla.extensions import db
from dla.regions.models import Region
from dla.werksessies import planning
from dla.werksessies import services as ws_services
from dla.werksessies.models import Werksessie
from tests.conftest import QUESTIONS, empty_database
from tests.factories import keep_all, log_in, make_agenda, make_region, make_user, make_version

SECRET = "Hoe kan ik de geheime pilot Zeeduif opschalen, terwijl het budget onzeker is?"
NEW = "Hoe kan ik buurtteams eerder betrekken, terwijl de aanmelding via de huisarts loopt?"


@pytest.fixture
def world(app):
    """A region with an agenda: a published version for everyone, a restricted published
    version (member: tf), a restricted concept that carries its questions; a projectleider,
    two taskforce members (one a member of the restricted version) and a second region that
    nothing here touches."""
    with app.app_context():
        region = make_region("Cacheregio")
        other = make_region("Andere regio")
        pl = make_user("pl@cache.test", region=region, role="projectleider")
        tf = make_user("tf@cache.test", region=region, role="taskforce")
        tf2 = make_user("tf2@cache.test", region=region, role="taskforce")
        agenda = make_agenda(region)
        v1 = make_version(agenda, QUESTIONS, publish=True, day=date(2025, 1, 10))
        v2 = make_version(agenda, day=date(2025, 3, 10), distribution="beperkt")
        keep_all(v2)
        questions.add_wording(v2, text=SECRET)
        services.publish_version(v2)
        auth_services.add_version_member(v2, tf.id)
        v3 = make_version(agenda, day=date(2025, 5, 10), distribution="beperkt")
        keep_all(v3)
        db.session.commit()
        ids = {
            "region": region.id,
            "other": other.id,
            "agenda": agenda.id,
            "v1": v1.id,
            "v2": v2.id,
            "v3": v3.id,
            "thread": v1.wordings[0].thread_id,
        }
        users = {"pl": pl.get_id(), "tf": tf.get_id(), "tf2": tf2.get_id()}
    return ids, users


def _pl():
    return db.session.scalar(select(User).where(User.email == "pl@cache.test"))


def _client(app, users, who):
    client = app.test_client()
    log_in(client, users[who])
    return client


def _pages(ids) -> list[str]:
    return [
        f"/agendas/{ids['agenda']}",
        f"/versies/{ids['v1']}",
        f"/versies/{ids['v3']}",
        f"/agendas/{ids['agenda']}/vergelijken",
        f"/leervragen/{ids['thread']}",
        f"/regios/{ids['region']}",
        f"/regios/{ids['region']}/hardnekkige-barrieres?alle=1",
        f"/agendas/{ids['agenda']}/grafieken",
        f"/regios/{ids['region']}/grafieken",
        f"/regios/{ids['region']}/grafieken/persistentie.csv",
    ]


def _readable_pages(ids) -> list[str]:
    """The pages without the (restricted) concept, which only the projectleider reads."""
    return [url for url in _pages(ids) if url != f"/versies/{ids['v3']}"]


def _tokens(app, region_id):
    with app.app_context():
        return stamps.tokens(db.session, region_id=region_id)


# --- the stamps ----------------------------------------------------------------------------


def test_every_kind_of_write_changes_the_region_stamp_and_only_its_own(app, world):
    ids, _users = world

    def wording():
        return db.session.scalar(select(Wording).where(Wording.version_id == ids["v3"]))

    writes = {
        "new question": lambda: questions.add_wording(db.session.get(Version, ids["v3"]), text=NEW),
        "reworded": lambda: questions.update_wording(
            wording(), text=NEW.replace("eerder", "vroeg"), lock_version=None
        ),
        "comment": lambda: services.add_comment(
            region_id=ids["region"], author=_pl(), body="Goed punt.", thread_id=ids["thread"]
        ),
        "matrix heading": lambda: analysis_services.add_heading(
            db.session.get(Region, ids["region"]), axis="aspect", name="Wachtlijsten"
        ),
        "milestone": lambda: analysis_services.create_milestone(
            db.session.get(Region, ids["region"]), title="Eerste overleg"
        ),
        "role": lambda: auth_services.set_membership(
            db.session.scalar(select(User).where(User.email == "tf2@cache.test")),
            ids["region"],
            "onderzoeker",
        ),
        "version member": lambda: auth_services.remove_version_member(
            db.session.get(Version, ids["v2"]),
            db.session.scalar(select(User.id).where(User.email == "tf@cache.test")),
        ),
        "membership removed": lambda: auth_services.remove_membership(
            db.session.scalar(select(Membership).join(User).where(User.email == "tf2@cache.test"))
        ),
        "concept deleted": lambda: services.delete_version(db.session.get(Version, ids["v3"])),
        "werksessie planned": lambda: planning.plan_session(
            db.session.get(Region, ids["region"]),
            agenda_ids=[ids["agenda"]],
            title="Voorjaarssessie",
            session_date=date(2025, 6, 1),
        ),
        "werksessie opened": lambda: ws_services.open_session(
            db.session.scalar(select(Werksessie))
        ),
    }
    for name, write in writes.items():
        before, untouched = _tokens(app, ids["region"]), _tokens(app, ids["other"])
        with app.app_context():
            try:
                write()
            except TypeError as error:  # a service signature this test guessed wrong
                pytest.fail(f"{name}: {error}")
            db.session.commit()
        after = _tokens(app, ids["region"])
        assert after != before, f"{name} did not change the region's stamp"
        assert after.split(".")[1] != "-", name
        if name not in ("version member", "membership removed"):  # bulk SQL: global stamp
            assert _tokens(app, ids["other"]) == untouched, f"{name} changed another region"


def test_a_rolled_back_write_leaves_the_stamps_alone(app, world):
    ids, _users = world
    before = _tokens(app, ids["region"])
    with app.app_context():
        questions.add_wording(db.session.get(Version, ids["v3"]), text=NEW)
        db.session.rollback()
    assert _tokens(app, ids["region"]) == before


def _topic_tokens(app, region_id) -> dict:
    with app.app_context():
        return {
            topic: stamps.tokens(db.session, region_id=region_id, topics=(topic,))
            for topic in (PUBLISHED, ANALYSIS)
        }


def test_only_published_content_and_the_analysis_change_the_stamps_of_their_kind(app, world):
    """Persistence figures and chart data key on these stamps: a comment, a question or a
    decision in a concept leaves them alone; publishing, an agenda's title, a published version's
    details and the system analysis change them."""
    ids, _users = world

    def v(name):
        return db.session.get(Version, ids[name])

    def first_of(name):
        return db.session.scalar(
            select(Wording).where(Wording.version_id == ids[name]).order_by(Wording.id)
        )

    def item():
        region = db.session.get(Region, ids["region"])
        if not analysis_services.headings(region)[0]:
            analysis_services.seed_defaults(region)
        aspects, actors = analysis_services.headings(region)
        return analysis_services.create_item(
            region, aspect_id=aspects[0].id, actor_id=actors[0].id, description="Wachtlijst"
        )

    agenda = lambda: db.session.get(Agenda, ids["agenda"])  # noqa: E731
    writes = [
        ("question added to the concept", set(), lambda: questions.add_wording(v("v3"), text=NEW)),
        (
            "decision in the concept taken back",
            set(),
            lambda: transitions.clear_transition(v("v3"), first_of("v2")),
        ),
        (
            "decision in the concept taken again",
            set(),
            lambda: transitions.set_transition(v("v3"), first_of("v2"), "blijft_staan"),
        ),
        (
            "comment on a published question",
            set(),
            lambda: services.add_comment(
                region_id=ids["region"], author=_pl(), body="Goed punt.", thread_id=ids["thread"]
            ),
        ),
        ("barrier item", {ANALYSIS}, item),
        (
            "question linked to a barrier",
            {ANALYSIS},
            lambda: analysis_services.link_thread(db.session.get(Thread, ids["thread"]), item()),
        ),
        (
            "milestone",
            {ANALYSIS},
            lambda: analysis_services.create_milestone(
                db.session.get(Region, ids["region"]), title="Eerste overleg"
            ),
        ),
        (
            "agenda renamed",
            {PUBLISHED},
            lambda: services.update_agenda(
                agenda(),
                lock_version=agenda().lock_version,
                level=agenda().level,
                audience=agenda().audience,
                title="Andere titel",
                ambition="",
            ),
        ),
        (
            "report reference of a published version",
            {PUBLISHED},
            lambda: services.set_report_reference(
                v("v1"), "bijlage 2.4", lock_version=v("v1").lock_version
            ),
        ),
        ("concept published", {PUBLISHED}, lambda: services.publish_version(v("v3"))),
    ]
    for name, changes, write in writes:
        before = _topic_tokens(app, ids["region"])
        with app.app_context():
            write()
            db.session.commit()
        after = _topic_tokens(app, ids["region"])
        changed = {topic for topic in before if after[topic] != before[topic]}
        assert changed == changes, name


def test_persistence_figures_follow_publishing_not_the_concept(app, world, count_queries):
    """The question page takes its figures from the region's cached persistence figures:
    they stay cached while the concept is edited (the page itself is built again) and count
    the new version once it is published."""
    ids, users = world
    client = _client(app, users, "tf")
    url = f"/leervragen/{ids['thread']}"

    def present() -> str:
        page = client.get(url).get_data(as_text=True)
        return re.search(r"In versies</dt><dd>(\d+)<", page).group(1)

    def computes_figures(statements) -> bool:  # the persistence query's alias
        return any("decided_in" in statement for statement in statements)

    with count_queries() as built:
        assert present() == "2"  # v1 and the restricted v2, which tf may read
    assert computes_figures(built)
    with app.app_context():
        questions.add_wording(db.session.get(Version, ids["v3"]), text=NEW)
        db.session.commit()
    with count_queries(keep_cache=True) as rebuilt:
        assert present() == "2"
    assert len(rebuilt) > 5 and not computes_figures(rebuilt), rebuilt
    with app.app_context():
        tf = db.session.scalar(select(User.id).where(User.email == "tf@cache.test"))
        auth_services.add_version_member(db.session.get(Version, ids["v3"]), tf)
        services.publish_version(db.session.get(Version, ids["v3"]))
        db.session.commit()
    assert present() == "3"


# --- pages ---------------------------------------------------------------------------------


def test_a_cached_agenda_page_costs_two_statements(app, world, count_queries):
    """A cache hit reads the person with their rights and their regions' stamps (one
    statement), then the agenda: on PostgreSQL every statement is a round trip, so this
    count is the page's cost."""
    ids, users = world
    client = _client(app, users, "tf")
    assert client.get(f"/agendas/{ids['agenda']}").status_code == 200
    with count_queries(keep_cache=True) as hit:
        assert client.get(f"/agendas/{ids['agenda']}").status_code == 200
    assert len(hit) == 2, hit
    assert "FROM users" in hit[0] and "version_members" in hit[0] and "change_stamps" in hit[0]


def test_stamps_read_ahead_are_the_current_ones_until_a_commit(app, world, count_queries):
    """The stamps read with the person's rights give the same tokens as reading them, for
    the regions they are a member of; a commit in the request forgets them (the request's
    own write changed them), and another region is read as before."""
    from dla.auth import permissions

    ids, users = world
    with app.test_request_context():
        user_id = int(users["tf"].split(":")[0])
        permissions.load_user(user_id)
        with count_queries(keep_cache=True) as read:
            ahead = stamps.tokens(db.session, region_id=ids["region"], topics=(PUBLISHED,))
            plain = stamps.tokens(db.session, region_id=ids["region"])
        assert read == []
        db.session.info.pop(stamps.SEEN)
        assert ahead == stamps.tokens(db.session, region_id=ids["region"], topics=(PUBLISHED,))
        assert plain == stamps.tokens(db.session, region_id=ids["region"])
        permissions.load_user(user_id)
        db.session.get(Region, ids["region"]).description = "Een nieuwe beschrijving."
        db.session.commit()
        assert stamps.tokens(db.session, region_id=ids["region"]) != plain
        permissions.load_user(user_id)
        with count_queries(keep_cache=True) as other:
            stamps.tokens(db.session, region_id=ids["other"])  # not a member: read
        assert len(other) == 1


def test_rights_follow_the_person_logged_in_now(app, world):
    """``access()`` is kept per request, but for the person logged in: logging in as
    someone else in the same request (the login form) never keeps the earlier rights."""
    from flask_login import login_user, logout_user

    from dla.auth.permissions import access

    ids, users = world
    with app.test_request_context():
        leader = db.session.get(User, int(users["pl"].split(":")[0]))
        member = db.session.get(User, int(users["tf"].split(":")[0]))
        login_user(leader)
        assert access().user is leader
        login_user(member)
        assert access().user is member and access().role(ids["region"]) == "taskforce"
        logout_user()
        assert access().roles == {}


def test_every_cached_page_shows_an_edit_at_once(app, world, count_queries):
    ids, users = world
    client = _client(app, users, "pl")
    for url in _pages(ids):
        with count_queries() as built:
            assert client.get(url).status_code == 200, url
        with count_queries(keep_cache=True) as cached:
            again = client.get(url)
        # From the cache: the loader, the login, the rights and the stamps, no page queries.
        assert len(cached) < len(built), (url, cached)
        assert "buurtteams" not in again.get_data(as_text=True)
    posted = client.post(f"/versies/{ids['v3']}/vragen", data={"text": NEW})
    assert posted.status_code in (200, 303)
    assert "buurtteams eerder betrekken" in client.get(f"/versies/{ids['v3']}").get_data(
        as_text=True
    )
    published = client.post(f"/versies/{ids['v3']}/vaststellen")
    assert published.status_code in (200, 303), published.status_code
    for url in _pages(ids):
        if url.startswith(("/agendas/", "/regios/")) and "hardnekkige" not in url:
            assert "buurtteams eerder betrekken" in client.get(url).get_data(as_text=True), url
    commented = client.post(
        f"/leervragen/{ids['thread']}/reacties", data={"body": "Zie ook Maasdam."}
    )
    assert commented.status_code in (200, 303)
    assert "Zie ook Maasdam." in client.get(f"/leervragen/{ids['thread']}").get_data(as_text=True)


def test_other_query_arguments_share_the_charts_part_of_a_chart_page(app, world):
    """The charts and tables are keyed on the filters only: a page asked with other query
    arguments (a tracker, a typo, someone filling the cache) is built around the same part,
    while another filter gets its own."""
    ids, users = world
    client = _client(app, users, "pl")
    url = f"/regios/{ids['region']}/grafieken?status=open"

    def shared_entries() -> set:
        with app.app_context():
            return set(cache.cache._cache)

    first = client.get(url).get_data(as_text=True)
    before = shared_entries()
    again = client.get(url + "&utm_source=nieuwsbrief&x=1").get_data(as_text=True)
    assert shared_entries() == before
    charts = re.compile(r"<h1>Grafieken: .*</section>", re.S)
    assert charts.search(first).group(0) == charts.search(again).group(0)
    assert client.get(url.replace("open", "dicht")).status_code == 200
    assert shared_entries() > before


def test_the_barrier_picker_shows_a_new_item_and_a_renamed_cell_at_once(app, world):
    """The region's barrier items are kept per change of its system analysis: the question
    page's picker shows a new item and a renamed actor group on the next request."""
    ids, users = world
    client = _client(app, users, "pl")
    url = f"/leervragen/{ids['thread']}"
    with app.app_context():
        region = db.session.get(Region, ids["region"])
        analysis_services.seed_defaults(region)
        aspects, actors = analysis_services.headings(region)
        aspect = aspects[0].id
        analysis_services.create_item(
            region, aspect_id=aspect, actor_id=actors[0].id, description="Wachtlijst GGZ"
        )
        db.session.commit()
        actor = (actors[0].id, actors[0].lock_version, actors[0].name)
    assert "Wachtlijst GGZ" in client.get(url).get_data(as_text=True)
    with app.app_context():
        region = db.session.get(Region, ids["region"])
        analysis_services.create_item(
            region, aspect_id=aspect, actor_id=actor[0], description="Geen vaste regisseur"
        )
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "Geen vaste regisseur" in page and "Wachtlijst GGZ" in page
    with app.app_context():
        heading = db.session.get(MatrixHeading, actor[0])
        analysis_services.rename_heading(heading, name="Ketenpartners Noord", lock_version=actor[1])
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "× Ketenpartners Noord ·" in page and f"× {actor[2]} ·" not in page


def test_a_non_member_never_gets_a_members_cached_page_or_chart(app, world):
    ids, users = world
    member, outsider = _client(app, users, "tf"), _client(app, users, "tf2")
    urls = _readable_pages(ids) + [
        f"/agendas/{ids['agenda']}/vergelijken?van={ids['v1']}&naar={ids['v2']}"
    ]
    # The member (same role as the outsider) fills the cache first.
    assert "geheime pilot Zeeduif" in member.get(f"/versies/{ids['v2']}").get_data(as_text=True)
    seen = [url for url in urls if "Zeeduif" in member.get(url).get_data(as_text=True)]
    assert seen, "the member should see the restricted question somewhere"
    for url in urls:
        response = outsider.get(url)
        assert "Zeeduif" not in response.get_data(as_text=True), url
    assert outsider.get(f"/versies/{ids['v2']}").status_code == 404


def test_losing_a_version_membership_or_role_takes_effect_at_once(app, world):
    ids, users = world
    member = _client(app, users, "tf")
    assert member.get(f"/versies/{ids['v2']}").status_code == 200
    assert "Zeeduif" in member.get(f"/regios/{ids['region']}/grafieken").get_data(as_text=True)
    pl = _client(app, users, "pl")
    tf_id = int(users["tf"].split(":")[0])
    removed = pl.post(f"/versies/{ids['v2']}/leden/{tf_id}/verwijderen")
    assert removed.status_code in (200, 204, 303), removed.status_code
    assert member.get(f"/versies/{ids['v2']}").status_code == 404
    for url in _readable_pages(ids):
        assert "Zeeduif" not in member.get(url).get_data(as_text=True), url
    # Role: taskforce -> deelnemer without agendas: the agenda is gone for them at once.
    assert member.get(f"/agendas/{ids['agenda']}").status_code == 200
    with app.app_context():
        user = db.session.get(User, tf_id)
        auth_services.set_membership(user, ids["region"], "deelnemer")
        db.session.commit()
    assert member.get(f"/agendas/{ids['agenda']}").status_code in (403, 404)
    with app.app_context():
        membership = db.session.scalar(select(Membership).where(Membership.user_id == tf_id))
        auth_services.remove_membership(membership)
        db.session.commit()
    assert member.get(f"/regios/{ids['region']}").status_code == 404


def test_304_only_when_nothing_changed(app, world):
    ids, users = world
    client = _client(app, users, "pl")
    url = f"/agendas/{ids['agenda']}"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache, must-revalidate"
    same = client.get(url, headers={"If-None-Match": etag})
    assert same.status_code == 304 and same.get_data() == b""
    # Another session of the same person has another CSRF token: no 304 for it.
    other_session = _client(app, users, "pl")
    assert other_session.get(url, headers={"If-None-Match": etag}).status_code == 200
    # Another query string, or htmx asking for the fragment: another ETag.
    assert client.get(url + "?status=open", headers={"If-None-Match": etag}).status_code == 200
    fragment = client.get(url, headers={"If-None-Match": etag, "HX-Request": "true"})
    assert fragment.status_code == 200
    # A change anywhere in the region: a full page again, with a new ETag.
    with app.app_context():
        services.add_comment(
            region_id=ids["region"], author=_pl(), body="Nieuw.", thread_id=ids["thread"]
        )
        db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    # Chart data (a CSV download) has an ETag too.
    csv_url = f"/regios/{ids['region']}/grafieken/persistentie.csv"
    csv_etag = client.get(csv_url).headers["ETag"]
    assert client.get(csv_url, headers={"If-None-Match": csv_etag}).status_code == 304
    # Pages without the cache keep no-store.
    assert client.get("/account/wachtwoord").headers["Cache-Control"] == "no-store"


def test_logging_out_drops_what_the_browser_kept(app, world):
    ids, users = world
    client = _client(app, users, "pl")
    etag = client.get(f"/agendas/{ids['agenda']}").headers["ETag"]
    response = client.post("/uitloggen")
    assert response.headers["Clear-Site-Data"] == '"cache"'
    # Logged out, the same ETag gets the login page, not a 304.
    again = client.get(f"/agendas/{ids['agenda']}", headers={"If-None-Match": etag})
    assert again.status_code in (302, 303)


def test_a_cached_page_carries_this_sessions_csrf_token_and_the_cache_none(app, world):
    ids, users = world
    one, two = _client(app, users, "pl"), _client(app, users, "pl")
    url = f"/versies/{ids['v3']}"
    tokens = []
    for client in (one, two, one):
        body = client.get(url).get_data(as_text=True)
        found = set(re.findall(r'name="csrf_token" value="([^"]+)"', body))
        assert len(found) == 1
        tokens.append(found.pop())
    assert tokens[0] != tokens[1]
    with app.app_context():
        stored = [*cache.cache._cache.values(), *page_cache.cache._cache.values()]
    assert stored and not any(t.encode() in str(v).encode() for v in stored for t in tokens)


def test_a_flash_message_is_shown_once_not_cached(app, world):
    ids, users = world
    client = _client(app, users, "pl")
    url = f"/agendas/{ids['agenda']}"
    client.get(url)
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Opgeslagen, eenmalig.")]
    assert "Opgeslagen, eenmalig." in client.get(url).get_data(as_text=True)
    assert "Opgeslagen, eenmalig." not in client.get(url).get_data(as_text=True)


def test_each_app_starts_with_an_empty_cache(app, world):
    ids, users = world
    _client(app, users, "pl").get(f"/agendas/{ids['agenda']}")
    with app.app_context():
        assert cache.cache._cache and page_cache.cache._cache
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    with other.app_context():
        assert type(cache.cache).__name__ == "BoundedCache"
        assert not cache.cache._cache and not page_cache.cache._cache
        assert cache.cache._threshold == other.config["CACHE_THRESHOLD"]
        assert cache.cache._max_bytes == other.config["DLA_CACHE_BYTES"]
        assert page_cache.cache._threshold == other.config["DLA_PAGE_CACHE_THRESHOLD"]
        assert page_cache.cache._max_bytes == other.config["DLA_PAGE_CACHE_BYTES"]


def test_many_peoples_pages_never_push_out_the_shared_entries(app, world):
    """Pages are kept apart from the shared data and parts: a full page cache drops pages,
    never the region's persistence figures that every page is built from."""
    ids, users = world
    _client(app, users, "tf").get(f"/agendas/{ids['agenda']}")
    with app.app_context():
        shared = dict(cache.cache._cache)
        assert shared, "the agenda page's shared parts"
        for n in range(3 * app.config["DLA_PAGE_CACHE_THRESHOLD"]):
            store.put(f"page:probe-{n}", ("<p>pagina</p>", []), store.page_cache)
        assert len(page_cache.cache._cache) <= app.config["DLA_PAGE_CACHE_THRESHOLD"] + 1
        assert set(shared) <= set(cache.cache._cache)
        store.put("page:too-big", ("x" * app.config["DLA_CACHE_ENTRY_LIMIT"], []), page_cache)
        assert store.get("page:too-big", page_cache) is None


def test_the_in_process_cache_is_bounded_in_bytes():
    """Pages weigh 15 KB to 3 MB: the bound is on what the cache holds, not only its count."""
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SECRET_KEY": "x",
            "DLA_PAGE_CACHE_BYTES": 1_000_000,
        }
    )
    with app.app_context():
        for n in range(20):
            store.put(f"page:{n}", ("x" * 300_000, []), page_cache)
        held = page_cache.cache.size()
        assert 600_000 < held <= 1_000_000 + 310_000, held  # the bound and at most one entry
        assert store.get("page:19", page_cache) is not None  # the newest stay
        assert store.get("page:0", page_cache) is None  # the oldest went first


# --- several app servers share Redis --------------------------------------------------------

REDIS_URL = os.environ.get("DLA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping())
    except redis.RedisError:
        return False


def test_two_app_servers_share_the_redis_cache_and_never_serve_stale(database_url, tmp_path):
    if not _redis_answers():
        if os.environ.get("DLA_REQUIRE_SERVICES") == "1":
            pytest.fail(f"DLA_REQUIRE_SERVICES=1 but Redis does not answer at {REDIS_URL}")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    url = database_url if database_url != "sqlite://" else f"sqlite:///{tmp_path / 'two.sqlite3'}"
    config = {
        "TESTING": True,
        "SECRET_KEY": "two-servers",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": f"dla-test-{uuid.uuid4().hex[:8]}:",
    }
    one, two = create_app(config), create_app(config)
    try:
        with one.app_context():
            db.create_all()
            region = make_region("Gedeeld")
            pl = make_user("pl@gedeeld.test", region=region, role="projectleider")
            agenda = make_agenda(region)
            make_version(agenda, QUESTIONS, publish=True, day=date(2025, 1, 10))
            concept = make_version(agenda, day=date(2025, 4, 10))
            db.session.commit()
            key, page = pl.get_id(), f"/versies/{concept.id}"
        first, second = one.test_client(), two.test_client()
        log_in(first, key)
        log_in(second, key)
        assert first.get(page).status_code == 200
        with two.app_context():
            assert cache.cache._read_client.keys(config["CACHE_KEY_PREFIX"] + "*")
        posted = second.post(page.replace("/versies/", "/versies/") + "/vragen", data={"text": NEW})
        assert posted.status_code in (200, 303)
        assert "buurtteams eerder betrekken" in first.get(page).get_data(as_text=True)
    finally:
        with one.app_context():
            client = cache.cache._write_client
            for name in client.keys(config["CACHE_KEY_PREFIX"] + "*"):
                client.delete(name)
        with two.app_context():
            db.session.remove()
            db.engine.dispose()
        _let_go(one, url)


def test_a_redis_that_does_not_answer_is_a_miss_not_an_error(database_url, tmp_path):
    url = database_url if database_url != "sqlite://" else f"sqlite:///{tmp_path / 'away.sqlite3'}"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "away",
            "SQLALCHEMY_DATABASE_URI": url,
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    )
    try:
        with app.app_context():
            db.create_all()
            region = make_region("Zonder Redis")
            user = make_user("pl@away.test", region=region, role="projectleider")
            agenda = make_agenda(region)
            make_version(agenda, QUESTIONS, publish=True, day=date(2025, 1, 10))
            db.session.commit()
            key, page = user.get_id(), f"/agendas/{agenda.id}"
            charts = f"/regios/{region.id}/grafieken"
        client = app.test_client()
        log_in(client, key)
        for _ in range(2):
            response = client.get(page)
            assert response.status_code == 200 and "gezin centraal" in response.get_data(True)
        assert client.get(charts).status_code == 200
    finally:
        _let_go(app, url)


def _let_go(app, url: str) -> None:
    """After a test's own app: close its SQLite file, or empty the run's PostgreSQL schema."""
    if url.startswith("sqlite:///"):
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    else:
        empty_database(app)


def test_a_change_to_an_expired_or_deleted_row_changes_its_regions_stamp(app, world):
    """After a commit every loaded row is expired: its keys are not in memory when the next
    change is flushed. The stamps must be found all the same (and for a deleted row too)."""
    ids, _users = world
    with app.app_context():
        wording = db.session.scalar(select(Wording).where(Wording.version_id == ids["v3"]))
        db.session.commit()  # expires the wording: its version_id is no longer loaded
        before, untouched = _tokens(app, ids["region"]), _tokens(app, ids["other"])
        wording.annotation = "Toelichting."
        db.session.commit()
        middle = _tokens(app, ids["region"])
        assert middle != before and _tokens(app, ids["other"]) == untouched
        db.session.delete(wording.subquestions[0]) if wording.subquestions else None
        db.session.delete(db.session.get(Wording, wording.id))
        db.session.commit()
        assert _tokens(app, ids["region"]) != middle


@pytest.mark.parametrize("role", ["projectleider", "taskforce", "onderzoeker", "programma"])
def test_whoever_reads_the_region_has_a_cache_key_of_their_own_kind(app, role):
    """Shared chart data is keyed by ``Access.readable_key``: every role that reads the region
    (the read-only programma role too) gets a key that differs from an outsider's, so a result
    built for someone who reads more is never handed to someone who reads less."""
    from dla.auth.permissions import Access

    with app.app_context():
        region = make_region("Sleutelstad")
        reader = make_user(f"{role}@sleutel.nl", region=region, role=role)
        outsider = make_user("buiten@sleutel.nl")
        db.session.commit()
        assert Access(reader).can_read_region(region.id)
        assert Access(reader).readable_key(region.id) != Access(outsider).readable_key(region.id)


# --- parts shared between viewers -----------------------------------------------------------


def test_readers_of_the_same_versions_share_the_published_parts(app, world, count_queries):
    """Two taskforce members who read the same versions: the second one's agenda, compare,
    barriers and chart pages are built without the queries of the shared parts, and show the
    same question list, comparison and charts with their tables."""
    ids, users = world
    with app.app_context():
        tf2 = db.session.scalar(select(User.id).where(User.email == "tf2@cache.test"))
        auth_services.add_version_member(db.session.get(Version, ids["v2"]), tf2)
        db.session.commit()
    first, second = _client(app, users, "tf"), _client(app, users, "tf2")
    urls = [
        f"/agendas/{ids['agenda']}",
        f"/agendas/{ids['agenda']}/vergelijken?van={ids['v1']}&naar={ids['v2']}",
        f"/regios/{ids['region']}/hardnekkige-barrieres?alle=1",
        f"/agendas/{ids['agenda']}/grafieken",
        f"/regios/{ids['region']}/grafieken?status=open",
    ]
    part = re.compile(r'<div id="question-list">.*?</div>\s*</section>', re.S)
    charts = re.compile(r"<h1>Grafieken: .*</section>", re.S)
    for url in urls:
        with count_queries() as alone:
            own = first.get(url).get_data(as_text=True)
        with count_queries(keep_cache=True) as sharing:
            other = second.get(url).get_data(as_text=True)
        assert len(sharing) < len(alone), (url, alone, sharing)
        if url == urls[0]:
            assert part.search(own).group(0) == part.search(other).group(0)
        if "grafieken" in url:
            # The charts with their tables (and the list of barriers to filter on) were
            # written once, for the first reader.
            assert any("FROM barrier_items" in s for s in alone), url
            assert not any("FROM barrier_items" in s for s in sharing), url
            assert "Zeeduif" in own
            assert charts.search(own).group(0) == charts.search(other).group(0)
    assert "Zeeduif" in second.get(urls[0]).get_data(as_text=True)


def test_a_shared_part_with_a_csrf_token_is_refused(app, monkeypatch):
    """A form in a shared part would hand one session's token to everyone."""
    from flask import render_template_string

    from dla.caching import fragments

    def with_form(_name, **_context):
        return render_template_string('<input name="csrf_token" value="{{ csrf_token() }}">')

    monkeypatch.setattr(fragments, "render_template", with_form)
    with app.test_request_context("/"), pytest.raises(fragments.ViewerSpecific):
        fragments.shared("agendas/_form.html", ("probe",), dict, region_id=1, topics=(PUBLISHED,))
