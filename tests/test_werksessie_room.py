"""Werksessie in a real room, over HTTP: erasing personal data everywhere, the moderation
queue, the audience view (projector), closing with untreated questions, phones after the
session closed, upvotes and duplicates, and one account on two devices."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from sqlalchemy import select

from dla.agendas.models import Agenda
from dla.audit.models import AuditEntry
from dla.extensions import db
from dla.werksessies import room, services
from dla.werksessies.models import ACCEPTED, PARKED, REJECTED, Contribution, Werksessie
from tests.factories import log_in, make_agenda, make_version, question
from tests.test_werksessie_services import QUESTIONS
from tests.test_werksessie_views import HX, _client, _join, _plan_and_open
from tests.test_werksessie_views import setup as setup  # noqa: F401  (the fixture)

BSN = "111222333"
PII_GOAL = f"Hoe kan ik de moeder met BSN {BSN} helpen"
PII_BARRIER = "het dossier ontbreekt"
CLEAN = "Hoe kan ik gezinnen helpen terwijl het dossier ontbreekt"
OTHER = "Hoe kunnen we wachttijden in de jeugdhulp korter maken terwijl plekken ontbreken"


def _send(phone, code, goal, barrier):
    response = phone.post(f"/w/{code}/vragen", data={"goal": goal, "barrier": barrier}, headers=HX)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def _contribution_ids(app, ws_id):
    with app.app_context():
        return list(
            db.session.scalars(
                select(Contribution.id)
                .where(Contribution.werksessie_id == ws_id)
                .order_by(Contribution.id)
            )
        )


def _everything_kept(app, client, setup, ws_id) -> str:
    """Every place a submission is kept, as one text: report, page, exports, audit."""
    parts = [
        client.get(f"/werksessies/{ws_id}").get_data(as_text=True),
        client.get(f"/werksessies/{ws_id}/verslag").get_data(as_text=True),
        client.get(f"/werksessies/{ws_id}/verslag.csv").get_data(as_text=True),
        client.get(f"/regios/{setup['region']}/logboek").get_data(as_text=True),
    ]
    docx = client.get(f"/werksessies/{ws_id}/verslag.docx").data
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        parts.append(archive.read("word/document.xml").decode())
    for query in ("", "?zonder_namen=1"):
        response = client.get(f"/regios/{setup['region']}/export.json{query}")
        assert response.status_code == 200
        parts.append(response.get_data(as_text=True))
    with app.app_context():
        parts += [e.changes for e in db.session.scalars(select(AuditEntry))]
    return "\n".join(parts)


def test_personal_data_is_held_back_and_erased_everywhere(app, setup):
    client, ws_id, code = _plan_and_open(app, setup)
    phone = _join(app, code)
    _send(phone, code, PII_GOAL, PII_BARRIER)
    [cid] = _contribution_ids(app, ws_id)
    live = client.get(f"/werksessies/{ws_id}/live").get_data(as_text=True)
    assert "Tegengehouden: mogelijk persoonsgegevens" in live
    # The participant's name is never on the control view (it may be projected).
    assert "Ans" not in live
    # Held back: it cannot be accepted, so it never reaches the audience view.
    refused = client.post(
        f"/werksessies/{ws_id}/inbreng/{cid}", data={"action": "overnemen"}, headers=HX
    )
    assert refused.status_code == 422 and "tegengehouden" in refused.get_data(as_text=True)
    assert BSN not in client.get(f"/werksessies/{ws_id}/zaalscherm").get_data(as_text=True)
    # Erasing with text that still holds the number is refused.
    still = client.post(
        f"/werksessies/{ws_id}/inbreng/{cid}/wissen", data={"text": PII_GOAL}, headers=HX
    )
    assert still.status_code == 422
    erased = client.post(
        f"/werksessies/{ws_id}/inbreng/{cid}/wissen", data={"text": CLEAN}, headers=HX
    )
    assert erased.status_code == 200 and BSN not in erased.get_data(as_text=True)
    accepted = client.post(
        f"/werksessies/{ws_id}/inbreng/{cid}", data={"action": "overnemen"}, headers=HX
    )
    assert accepted.status_code == 200
    assert CLEAN in client.get(f"/werksessies/{ws_id}/zaalscherm").get_data(as_text=True)
    closed = client.post(f"/werksessies/{ws_id}/sluiten", data={"toch_afsluiten": "1"})
    assert closed.status_code == 303
    kept = _everything_kept(app, client, setup, ws_id)
    assert BSN not in kept and "ingestuurd als" not in kept
    assert CLEAN in kept
    with app.app_context():
        notes = [
            e.change_list
            for e in db.session.scalars(
                select(AuditEntry).where(
                    AuditEntry.entity == "sessievraag", AuditEntry.entity_id == cid
                )
            )
        ]
    assert [{"field": "tekst", "old": None, "new": "tekst geanonimiseerd"}] in notes


def test_a_projectleider_erases_after_the_session_closed(app, setup):
    client, ws_id, code = _plan_and_open(app, setup)
    phone = _join(app, code)
    _send(phone, code, PII_GOAL, PII_BARRIER)
    [cid] = _contribution_ids(app, ws_id)
    closed = client.post(
        f"/werksessies/{ws_id}/sluiten",
        data={"toch_afsluiten": "1", f"keuze-{cid}": "parkeren"},
    )
    assert closed.status_code == 303
    assert BSN in client.get(f"/werksessies/{ws_id}/verslag").get_data(as_text=True)
    page = client.get(f"/werksessies/{ws_id}").get_data(as_text=True)
    assert "Persoonsgegevens wissen uit een ingestuurde vraag" in page
    response = client.post(f"/werksessies/{ws_id}/inbreng/{cid}/wissen", data={"text": CLEAN})
    assert response.status_code == 303
    assert BSN not in _everything_kept(app, client, setup, ws_id)
    # Nobody else may erase.
    reader = _client(app, setup["reader"])
    assert (
        reader.post(f"/werksessies/{ws_id}/inbreng/{cid}/wissen", data={"text": "x"}).status_code
        == 403
    )


def test_moderation_queue_and_audience_view(app, setup):
    client, ws_id, code = _plan_and_open(app, setup)
    phones = [_join(app, code) for _ in range(3)]
    _send(
        phones[0],
        code,
        "Hoe kunnen we wachttijden in de jeugdhulp korter maken",
        "plekken ontbreken",
    )
    audience = client.get(f"/werksessies/{ws_id}/zaalscherm")
    body = audience.get_data(as_text=True)
    assert audience.status_code == 200
    # The question in focus, the code, the QR code (SVG) and the short link; nothing else.
    assert QUESTIONS[0] in body and "<svg" in body and f"/w/{code}" in body
    with app.app_context():
        ws = db.session.get(Werksessie, ws_id)
        assert ws.code_display in body
        focus = ws.focus_wording_id
    assert "jeugdhulp" not in body  # waiting in the queue: not on the projector
    assert "Ans" not in body and "Overnemen" not in body and "<form" not in body
    # Votes are counted but hidden until the facilitator reveals them.
    for phone, value in zip(phones, ("staat_nog", "staat_nog", "opgelost"), strict=True):
        assert (
            phone.post(f"/w/{code}/stem", data={"wording_id": focus, "value": value}).status_code
            == 303
        )
    body = client.get(f"/werksessies/{ws_id}/zaalscherm").get_data(as_text=True)
    assert "3 stemmen uitgebracht" in body and "Staat nog:" not in body
    revealed = client.post(
        f"/werksessies/{ws_id}/onthullen", data={"wording_id": focus, "show": "1"}, headers=HX
    )
    assert revealed.status_code == 200
    body = client.get(f"/werksessies/{ws_id}/zaalscherm").get_data(as_text=True)
    assert "Staat nog: <strong>2</strong>" in body and "Is opgelost: <strong>1</strong>" in body
    # A timer for this question.
    assert (
        client.post(f"/werksessies/{ws_id}/timer", data={"seconds": "120"}, headers=HX).status_code
        == 200
    )
    body = client.get(f"/werksessies/{ws_id}/zaalscherm").get_data(as_text=True)
    assert 'data-countdown="11' in body or 'data-countdown="120"' in body
    bad = client.post(f"/werksessies/{ws_id}/timer", data={"seconds": "5"}, headers=HX)
    assert bad.status_code == 422
    # Accepted: now on the projector, without a name.
    [cid] = _contribution_ids(app, ws_id)
    client.post(f"/werksessies/{ws_id}/inbreng/{cid}", data={"action": "overnemen"}, headers=HX)
    body = client.get(f"/werksessies/{ws_id}/zaalscherm").get_data(as_text=True)
    assert "jeugdhulp" in body and "Nieuwe vragen uit de zaal (1)" in body
    # The poll answers 204 while nothing changed.
    stand = body.split("stand=", 1)[1].split('"', 1)[0]
    assert client.get(f"/werksessies/{ws_id}/zaalscherm/stand?stand={stand}").status_code == 204
    # Only those who lead the session open it.
    assert _client(app, setup["reader"]).get(f"/werksessies/{ws_id}/zaalscherm").status_code == 403


def test_no_account_name_is_prefilled_on_the_phone(app, setup):
    _client_, _ws_id, code = _plan_and_open(app, setup)
    member = _client(app, setup["member"])
    page = member.get(f"/w/{code}").get_data(as_text=True)
    assert (
        'name="display_name" type="text" value=""' in page
        or 'value="' not in page.split('name="display_name"', 1)[1].split(">", 1)[0]
    )


def test_closing_offers_a_choice_for_every_untreated_question(app, setup):
    client, ws_id, code = _plan_and_open(app, setup)
    phone = _join(app, code)
    for goal in ("Hoe kan ik regie houden", "Hoe kunnen we samenwerken", "Hoe kan ik leren"):
        _send(phone, code, goal, "de tijd ontbreekt")
    carry, park, drop = _contribution_ids(app, ws_id)
    page = client.get(f"/werksessies/{ws_id}").get_data(as_text=True)
    assert "0 van 4 vragen van de agenda besproken" in page
    assert "3 nieuwe vragen van deelnemers zijn nog niet behandeld" in page
    refused = client.post(f"/werksessies/{ws_id}/sluiten", data={"toch_afsluiten": "1"})
    assert refused.status_code == 422
    assert "3 nieuwe vragen zijn nog niet behandeld" in refused.get_data(as_text=True)
    choices = {"toch_afsluiten": "1", f"keuze-{carry}": "meenemen", f"keuze-{park}": "parkeren"}
    no_reason = client.post(
        f"/werksessies/{ws_id}/sluiten", data=choices | {f"keuze-{drop}": "laten_vallen"}
    )
    assert no_reason.status_code == 422 and "Geef een reden" in no_reason.get_data(as_text=True)
    closed = client.post(
        f"/werksessies/{ws_id}/sluiten",
        data=choices | {"keuze-alle": "laten_vallen", "reden-alle": "Hoort bij een ander thema"},
    )
    assert closed.status_code == 303
    with app.app_context():
        rows = {c.id: c for c in db.session.scalars(select(Contribution))}
        assert rows[carry].status == ACCEPTED and rows[carry].wording_id is not None
        assert rows[park].status == PARKED
        assert rows[drop].status == REJECTED
        assert rows[drop].close_reason == "Hoort bij een ander thema"
    report = client.get(f"/werksessies/{ws_id}/verslag").get_data(as_text=True)
    assert "Geparkeerd (voor een volgende sessie)" in report
    assert "Reden: Hoort bij een ander thema" in report
    assert "Niet behandeld (bewaard)" not in report


def test_phones_after_closing_stop_polling_and_a_late_question_is_not_claimed(app, setup):
    client, ws_id, code = _plan_and_open(app, setup)
    phone = _join(app, code)
    assert (
        client.post(f"/werksessies/{ws_id}/sluiten", data={"toch_afsluiten": "1"}).status_code
        == 303
    )
    poll = phone.get(f"/w/{code}/stand", headers=HX)
    assert poll.status_code == 410
    assert "hx-trigger" not in poll.get_data(as_text=True)
    late = phone.post(
        f"/w/{code}/vragen",
        data={"goal": "Hoe kan ik nog iets", "barrier": "het te laat is"},
        headers=HX,
    )
    text = late.get_data(as_text=True)
    assert late.status_code == 410 and "niet meer opgeslagen" in text
    assert "alles wat u instuurde is bewaard" not in text and "het te laat is" in text
    # The facilitator's tab stops showing the code and stops polling.
    live = client.get(f"/werksessies/{ws_id}/live", headers=HX).get_data(as_text=True)
    assert code not in live and "hx-trigger" not in live and "code werkt niet meer" in live


def test_upvotes_and_duplicate_suggestions(app, setup):
    client, ws_id, code = _plan_and_open(app, setup)
    author, other = _join(app, code), _join(app, code)
    _send(author, code, OTHER.split(" terwijl ")[0], OTHER.split(" terwijl ")[1])
    [first] = _contribution_ids(app, ws_id)
    client.post(f"/werksessies/{ws_id}/inbreng/{first}", data={"action": "overnemen"}, headers=HX)
    shared = other.get(f"/w/{code}/nieuwe-vragen", headers=HX).get_data(as_text=True)
    assert "wachttijden" in shared and "Steunen" in shared
    assert other.post(f"/w/{code}/steun/{first}", headers=HX).status_code == 200
    own = author.post(f"/w/{code}/steun/{first}", headers=HX)
    assert own.status_code == 422 and "uw eigen vraag" in own.get_data(as_text=True)
    assert "(1 steunbetuiging)" in author.get(f"/w/{code}/nieuwe-vragen").get_data(as_text=True)
    # A near duplicate is suggested on the control view, merged with one action.
    _send(
        other,
        code,
        "Hoe kunnen we de wachttijd voor jeugdhulp verkorten",
        "er te weinig plekken zijn",
    )
    second = _contribution_ids(app, ws_id)[1]
    live = client.get(f"/werksessies/{ws_id}/live").get_data(as_text=True)
    assert "Lijkt op de overgenomen vraag" in live and f'value="c-{first}"' in live
    merged = client.post(
        f"/werksessies/{ws_id}/inbreng/{second}",
        data={"action": "samenvoegen", "merge": f"c-{first}"},
        headers=HX,
    )
    assert merged.status_code == 200
    with app.app_context():
        assert db.session.get(Contribution, second).merged_into_id == first


def test_one_account_on_two_devices_counts_once(app, setup):
    client, ws_id, code = _plan_and_open(app, setup)
    for _device in range(2):
        device = app.test_client()
        log_in(device, setup["member"])
        assert device.post(f"/w/{code}/aanmelden", data={"role": "professional"}).status_code == 303
    _join(app, code)  # and one anonymous participant
    live = client.get(f"/werksessies/{ws_id}/live").get_data(as_text=True)
    assert "2 deelnemers" in live
    client.post(f"/werksessies/{ws_id}/sluiten", data={"toch_afsluiten": "1"})
    report = client.get(f"/werksessies/{ws_id}/verslag").get_data(as_text=True)
    assert "Deelnemers per rol (2)" in report


def test_session_report_downloads(app, setup):
    client, ws_id, code = _plan_and_open(app, setup)
    phone = _join(app, code)
    _send(phone, code, "Hoe kan ik regie houden", "de tijd ontbreekt")
    [cid] = _contribution_ids(app, ws_id)
    client.post(
        f"/werksessies/{ws_id}/sluiten",
        data={"toch_afsluiten": "1", f"keuze-{cid}": "parkeren", f"reden-{cid}": "Later"},
    )
    csv = client.get(f"/werksessies/{ws_id}/verslag.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    text = csv.get_data(as_text=True)
    assert "Geparkeerd" in text and "Nog geen keuze" in text and QUESTIONS[0] in text
    docx = client.get(f"/werksessies/{ws_id}/verslag.docx")
    assert docx.status_code == 200
    with zipfile.ZipFile(io.BytesIO(docx.data)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert "Geparkeerd" in xml and "Hoe kan ik regie houden" in xml


def test_two_agendas_in_one_session(app, setup):
    with app.app_context():
        region = db.session.get(Agenda, setup["agenda"]).region
        second = make_agenda(region, level="tactisch", title="Leeragenda managers")
        shared_start = "Hoe kunnen we de samenwerking tussen wijkteam en veiligheidshuis"
        make_version(
            second,
            [
                question(f"{shared_start} versterken", "de rollen onduidelijk zijn"),
                question(f"{shared_start} evalueren", "er geen gegevens zijn"),
            ],
            publish=True,
            day=date(2025, 11, 1),
        )
        db.session.commit()
        second_id = second.id
    client, ws_id, code = _plan_and_open(
        app, setup, agenda_ids=[str(setup["agenda"]), str(second_id)]
    )
    page = client.get(f"/werksessies/{ws_id}/leiden").get_data(as_text=True)
    # Headings per agenda, and the entries are not cut (A and B would look the same).
    assert '<h4 class="overview-agenda">Leeragenda managers</h4>' in page
    assert "samenwerking tussen wijkteam en veiligheidshuis versterken" in page
    assert "samenwerking tussen wijkteam en veiligheidshuis evalueren" in page
    with app.app_context():
        ws = db.session.get(Werksessie, ws_id)
        target = next(w for w in services.walk_wordings(ws) if w.version.agenda_id == second_id)
        target_id = target.id
    assert (
        client.post(
            f"/werksessies/{ws_id}/focus", data={"wording_id": target_id}, headers=HX
        ).status_code
        == 200
    )
    phone = _join(app, code)
    assert "Leeragenda managers" in phone.get(f"/w/{code}").get_data(as_text=True)
    _send(phone, code, "Hoe kunnen we vaker evalueren", "de tijd ontbreekt")
    [cid] = _contribution_ids(app, ws_id)
    with app.app_context():
        assert db.session.get(Contribution, cid).agenda_id == second_id
    # "N then Enter" accepts it onto the agenda being discussed (preselected).
    live = client.get(f"/werksessies/{ws_id}/live").get_data(as_text=True)
    assert f'<option value="{second_id}" selected>' in live


def test_a_combined_question_that_is_too_long_is_never_cut(app, setup):
    _client_, _ws_id, code = _plan_and_open(app, setup)
    phone = _join(app, code)
    goal, barrier = "Hoe kan ik " + "a" * 1000, "b" * 1000
    preview = phone.post(f"/w/{code}/voorbeeld", data={"goal": goal, "barrier": barrier})
    assert "er wordt niets afgeknipt" in preview.get_data(as_text=True)
    sent = phone.post(f"/w/{code}/vragen", data={"goal": goal, "barrier": barrier}, headers=HX)
    body = sent.get_data(as_text=True)
    assert sent.status_code == 422 and "te lang" in body and "2000" in body
    assert "b" * 1000 in body  # what was typed comes back whole


def test_handout_says_the_version_number(app, setup):
    client, ws_id, _code = _plan_and_open(app, setup)
    client.post(f"/werksessies/{ws_id}/sluiten", data={"toch_afsluiten": "1"})
    assert "Versie: 2" in client.get(f"/werksessies/{ws_id}/hand-out").get_data(as_text=True)


def test_a_change_while_the_audience_view_is_built_shows_on_the_next_poll(app, setup):
    """The stand a screen keeps is never newer than what it shows. Another request reveals
    the votes after this one loaded the session (under PostgreSQL each statement sees the
    latest commit): the view still shows the votes hidden, and its stand must differ from
    the new state, or the projector would get 204 for ever."""
    client, ws_id, code = _plan_and_open(app, setup)
    phone = _join(app, code)
    with app.app_context():
        focus = db.session.get(Werksessie, ws_id).focus_wording_id
    assert phone.post(f"/w/{code}/stem", data={"wording_id": focus, "value": "staat_nog"})
    with app.test_request_context(), app.app_context():
        ws = db.session.get(Werksessie, ws_id)
        with db.engine.begin() as other:  # the facilitator's reveal, committed meanwhile
            other.execute(
                Werksessie.__table__.update()
                .where(Werksessie.__table__.c.id == ws_id)
                .values(revealed_wording_id=focus)
            )
        view = room.audience(ws)
        db.session.rollback()
    assert view.revealed is False
    poll = client.get(f"/werksessies/{ws_id}/zaalscherm/stand?stand={view.stand}")
    assert poll.status_code == 200
    assert "Staat nog: <strong>1</strong>" in poll.get_data(as_text=True)
