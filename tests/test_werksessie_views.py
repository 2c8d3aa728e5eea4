"""Werksessie over HTTP: planning, the facilitator screen, participants by code, closing."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from dla.agendas.models import Version
from dla.extensions import db
from dla.werksessies import services
from dla.werksessies.models import Contribution, SessionDecision, Werksessie
from tests.factories import log_in, make_agenda, make_user, make_version, question
from tests.test_werksessie_services import NEW_QUESTION, QUESTIONS

HX = {"HX-Request": "true"}


@pytest.fixture
def setup(app):
    """A region with a published agenda version, a projectleider and a deelnemer."""
    with app.app_context():
        agenda = make_agenda()
        make_version(agenda, QUESTIONS, publish=True, day=date(2025, 11, 1))
        leader = make_user("pl@test.nl", region=agenda.region, role="projectleider")
        member = make_user("dn@test.nl", region=agenda.region, role="deelnemer")
        reader = make_user("tf@test.nl", region=agenda.region, role="taskforce")
        db.session.commit()
        return {
            "region": agenda.region_id,
            "agenda": agenda.id,
            "leader": leader.get_id(),
            "member": member.get_id(),
            "reader": reader.get_id(),
        }


def _client(app, user=None):
    client = app.test_client()
    if user:
        log_in(client, user)
    return client


def _plan_and_open(app, setup, **extra):
    client = _client(app, setup["leader"])
    data = {
        "kind": "werksessie",
        "title": "Werksessie maart",
        "session_date": "12-03-2026",
        "agenda_ids": [str(setup["agenda"])],
        "max_participants": "30",
        "allow_anonymous": "y",
    }
    data.update(extra)
    response = client.post(f"/regios/{setup['region']}/werksessies/nieuw", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    ws_id = int(response.headers["Location"].rsplit("/", 1)[1])
    response = client.post(f"/werksessies/{ws_id}/openen")
    assert response.status_code == 303
    with app.app_context():
        code = db.session.get(Werksessie, ws_id).code
    return client, ws_id, code


def _join(app, code, role="professional"):
    phone = app.test_client()
    page = phone.get(f"/w/{code}")
    assert page.status_code == 200 and "Uw rol" in page.get_data(as_text=True)
    response = phone.post(f"/w/{code}/aanmelden", data={"role": role, "display_name": "Ans"})
    assert response.status_code == 303
    assert "dla_deelname" in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"]
    return phone


def test_plan_form_validates_in_dutch(app, setup):
    client = _client(app, setup["leader"])
    response = client.post(
        f"/regios/{setup['region']}/werksessies/nieuw",
        data={"kind": "werksessie", "title": "", "session_date": "31-02-2026"},
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Geef de sessie een titel." in body and "Deze datum klopt niet" in body
    response = client.post(
        f"/regios/{setup['region']}/werksessies/nieuw",
        data={"kind": "werksessie", "title": "X", "session_date": "12-03-2026"},
    )
    assert response.status_code == 422
    assert "Kies minstens één agenda" in response.get_data(as_text=True)


def test_full_flow_over_http(app, setup):
    client, ws_id, code = _plan_and_open(app, setup)
    page = client.get(f"/werksessies/{ws_id}/leiden")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert code in body and QUESTIONS[0] in body and "Vraag 1 van 4" in body
    assert 'hx-trigger="every 1s"' in body and "<kbd>1</kbd> Blijft staan" in body

    phone = _join(app, code)
    page = phone.get(f"/w/{code}").get_data(as_text=True)
    assert "Nu op het scherm" in page and QUESTIONS[0] in page
    # Live preview of the two-field helper, with the PII warning.
    preview = phone.post(
        f"/w/{code}/voorbeeld",
        data={"goal": "Hoe kan ik jan@voorbeeld.nl bellen", "barrier": "het druk is"},
        headers=HX,
    ).get_data(as_text=True)
    assert "Hoe kan ik jan@voorbeeld.nl bellen, terwijl het druk is?" in preview
    assert "e-mailadres" in preview
    response = phone.post(
        f"/w/{code}/vragen",
        data={
            "goal": "Hoe kan ik ervaringsdeskundigen betrekken",
            "barrier": "er geen vast moment voor is",
        },
        headers=HX,
    )
    assert response.status_code == 200
    assert "Uw vraag is ontvangen" in response.get_data(as_text=True)
    with app.app_context():
        focus = db.session.get(Werksessie, ws_id).focus_wording_id
    response = phone.post(
        f"/w/{code}/stem", data={"wording_id": focus, "value": "staat_nog"}, headers=HX
    )
    assert response.status_code == 200 and 'aria-pressed="true"' in response.get_data(as_text=True)

    # The facilitator's live panel shows it; an unchanged state answers 204.
    live = client.get(f"/werksessies/{ws_id}/live", headers=HX)
    body = live.get_data(as_text=True)
    assert NEW_QUESTION in body and "Staat nog: <strong>1</strong>" in body
    stand = re.search(r"stand=([0-9a-f]+)", body).group(1)
    assert client.get(f"/werksessies/{ws_id}/live?stand={stand}", headers=HX).status_code == 204

    with app.app_context():
        contribution = db.session.scalar(select(Contribution))
        sources = services.walk_wordings(db.session.get(Werksessie, ws_id))
        ids = [w.id for w in sources]
    response = client.post(
        f"/werksessies/{ws_id}/inbreng/{contribution.id}",
        data={"action": "overnemen", "lock_version": contribution.lock_version, "text": ""},
        headers=HX,
    )
    assert response.status_code == 200 and "Overgenomen" in response.get_data(as_text=True)
    for wording_id in ids[:3]:
        response = client.post(
            f"/werksessies/{ws_id}/besluiten/{wording_id}",
            data={"kind": "blijft_staan", "lock": "0"},
            headers=HX,
        )
        assert response.status_code == 200
    response = client.post(
        f"/werksessies/{ws_id}/besluiten/{ids[3]}",
        data={"kind": "vervallen", "lock": "0", "reason": "inzicht_bereikt", "note": ""},
        headers=HX,
    )
    assert response.status_code == 200 and "4 besproken" in response.get_data(as_text=True)
    # Moving the focus on.
    response = client.post(f"/werksessies/{ws_id}/focus", data={"wording_id": ids[2]}, headers=HX)
    assert "Vraag 3 van 4" in response.get_data(as_text=True)

    response = client.post(f"/werksessies/{ws_id}/sluiten")
    assert response.status_code == 303
    # The code has expired: the participant gets a clear 410, a stranger a 404.
    gone = phone.get(f"/w/{code}")
    assert gone.status_code == 410 and "afgesloten" in gone.get_data(as_text=True)
    assert app.test_client().get(f"/w/{code}").status_code == 404
    with app.app_context():
        version = db.session.scalar(select(Version).where(Version.status == "concept"))
        assert version.origin == "werksessie"
        assert version.context_line == "Naar aanleiding van de werksessie op 12 maart 2026"
        assert [w.full_text for w in version.wordings] == [*QUESTIONS[:3], NEW_QUESTION]
    page = client.get(f"/werksessies/{ws_id}").get_data(as_text=True)
    assert "Deelnemers per rol (1)" in page and "ICR / professional" in page
    assert "Vervallen" in page
    for path in ("verslag", "hand-out", "wat-is-veranderd"):
        response = client.get(f"/werksessies/{ws_id}/{path}")
        assert response.status_code == 200, path
    handout = client.get(f"/werksessies/{ws_id}/hand-out").get_data(as_text=True)
    assert (
        NEW_QUESTION in handout and "Naar aanleiding van de werksessie op 12 maart 2026" in handout
    )
    changes = client.get(f"/werksessies/{ws_id}/wat-is-veranderd").get_data(as_text=True)
    assert "Vervallen" in changes
    # Publishing stays the existing, separate step.
    response = client.post(f"/versies/{version.id}/vaststellen")
    assert response.status_code == 303


def test_wrong_code_gives_a_clear_404(app, setup):
    _client_, _ws, code = _plan_and_open(app, setup)
    anonymous = app.test_client()
    response = anonymous.post("/doe-mee", data={"code": "QQQQQQ"})
    assert response.status_code == 404
    assert "Deze code kennen we niet" in response.get_data(as_text=True)
    response = anonymous.get("/w/QQQQQQ")
    assert response.status_code == 404 and "code kennen we niet" in response.get_data(as_text=True)
    response = anonymous.post("/doe-mee", data={"code": code.lower()})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/w/{code}")


def test_join_attempts_are_rate_limited(app, setup):
    anonymous = app.test_client()
    statuses = [anonymous.post("/doe-mee", data={"code": "QQQQQQ"}).status_code for _ in range(11)]
    assert statuses[:10] == [404] * 10 and statuses[10] == 429
    assert "Te veel pogingen" in anonymous.post("/doe-mee", data={"code": "X"}).get_data(
        as_text=True
    )


def test_participant_routes_need_a_joined_participant(app, setup):
    _c, ws_id, code = _plan_and_open(app, setup)
    stranger = app.test_client()
    for path in ("vragen", "stem", "voorbeeld"):
        response = stranger.post(f"/w/{code}/{path}", data={"goal": "Hoe", "value": "opgelost"})
        assert response.status_code == 403, path
        assert "meld u aan" in response.get_data(as_text=True)
    assert stranger.get(f"/w/{code}/stand").status_code == 403
    # A forged cookie does not work either.
    stranger.set_cookie("dla_deelname", "eyJzIjoxfQ.bogus")
    assert stranger.post(f"/w/{code}/vragen", data={"goal": "Hoe"}).status_code == 403


def test_anonymous_join_refused_unless_allowed(app, setup):
    _c, ws_id, code = _plan_and_open(app, setup, allow_anonymous="")
    anonymous = app.test_client()
    page = anonymous.get(f"/w/{code}")
    assert page.status_code == 200 and "Inloggen" in page.get_data(as_text=True)
    response = anonymous.post(f"/w/{code}/aanmelden", data={"role": "professional"})
    assert response.status_code == 403
    assert "zonder account is bij deze sessie niet aangezet" in response.get_data(as_text=True)
    member = _client(app, setup["member"])
    response = member.post(f"/w/{code}/aanmelden", data={"role": "professional"})
    assert response.status_code == 303


def test_bad_participant_input_keeps_the_text(app, setup):
    _c, ws_id, code = _plan_and_open(app, setup)
    phone = _join(app, code)
    response = phone.post(f"/w/{code}/vragen", data={"goal": "", "barrier": "iets"}, headers=HX)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Vul de vraag in" in body and 'value="iets"' in body
    response = phone.post(
        f"/w/{code}/stem", data={"wording_id": "0", "value": "opgelost"}, headers=HX
    )
    assert response.status_code == 422 and "andere vraag" in response.get_data(as_text=True)


def test_two_facilitator_tabs_do_not_overwrite_each_other(app, setup):
    client, ws_id, _code = _plan_and_open(app, setup)
    with app.app_context():
        source = services.walk_wordings(db.session.get(Werksessie, ws_id))[0].id
    first = client.post(
        f"/werksessies/{ws_id}/besluiten/{source}",
        data={"kind": "blijft_staan", "lock": "0"},
        headers=HX,
    )
    assert first.status_code == 200
    second = client.post(
        f"/werksessies/{ws_id}/besluiten/{source}",
        data={"kind": "vervallen", "lock": "0", "reason": "niet_meer_urgent"},
        headers=HX,
    )
    assert second.status_code == 409
    assert "Iemand anders heeft intussen een keuze gemaakt" in second.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(SessionDecision.kind)) == "blijft_staan"


def test_decision_errors_are_dutch_4xx(app, setup):
    client, ws_id, _code = _plan_and_open(app, setup)
    with app.app_context():
        source = services.walk_wordings(db.session.get(Werksessie, ws_id))[0].id
    response = client.post(
        f"/werksessies/{ws_id}/besluiten/{source}",
        data={"kind": "voorlopig_beantwoord", "lock": "0", "note": ""},
        headers=HX,
    )
    assert response.status_code == 422
    assert "voorlopige antwoord" in response.get_data(as_text=True)
    response = client.post(
        f"/werksessies/{ws_id}/besluiten/{source}", data={"kind": "onzin", "lock": "0"}
    )
    assert response.status_code == 422
    assert client.post(f"/werksessies/{ws_id}/besluiten/999999", data={}).status_code == 422
    assert client.get(f"/werksessies/{ws_id}/hand-out").status_code == 409


def test_closing_refuses_undecided_questions_without_confirmation(app, setup):
    client, ws_id, code = _plan_and_open(app, setup)
    response = client.post(f"/werksessies/{ws_id}/sluiten")
    assert response.status_code == 422
    assert "Nog niet alle vragen zijn besproken" in response.get_data(as_text=True)
    response = client.post(f"/werksessies/{ws_id}/sluiten", data={"toch_afsluiten": "1"})
    assert response.status_code == 303
    assert client.post(f"/werksessies/{ws_id}/sluiten").status_code == 410


def test_readers_see_the_report_but_cannot_lead(app, setup):
    _c, ws_id, _code = _plan_and_open(app, setup)
    reader = _client(app, setup["reader"])
    assert reader.get(f"/werksessies/{ws_id}").status_code == 200
    assert reader.get(f"/werksessies/{ws_id}/leiden").status_code == 403
    assert reader.get(f"/werksessies/{ws_id}/live").status_code == 403


def test_live_endpoint_runs_a_constant_number_of_statements(app, setup, count_queries):
    client, ws_id, code = _plan_and_open(app, setup)
    with count_queries() as few:
        body = client.get(f"/werksessies/{ws_id}/live", headers=HX).get_data(as_text=True)
    stand = re.search(r"stand=([0-9a-f]+)", body).group(1)
    with count_queries() as unchanged:
        assert client.get(f"/werksessies/{ws_id}/live?stand={stand}").status_code == 204
    phones = [_join(app, code) for _ in range(5)]
    for phone in phones:
        phone.post(
            f"/w/{code}/vragen",
            data={"goal": "Hoe kan ik iets", "barrier": "het niet lukt"},
            headers=HX,
        )
    with count_queries() as many:
        client.get(f"/werksessies/{ws_id}/live", headers=HX)
    with count_queries() as unchanged_many:
        client.get(f"/werksessies/{ws_id}/live?stand=x{stand}")
    assert len(few) == len(many)
    assert len(unchanged) <= 5
    assert len(unchanged_many) == len(many)
    with count_queries() as phone_poll:
        assert phones[0].get(f"/w/{code}/stand?stand=nope").status_code == 200
    assert len(phone_poll) <= 6
    assert question  # keep the factory import for readers of this module


def test_demo_has_a_planned_and_a_closed_session(app, runner):
    result = runner.invoke(args=["dla", "demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        sessions = db.session.scalars(select(Werksessie).order_by(Werksessie.id)).all()
        assert sorted(ws.status for ws in sessions) == ["gepland", "gesloten"]
        closed = next(ws for ws in sessions if ws.status == "gesloten")
        concept = closed.agendas[0].concept_version
        assert concept.status == "concept" and concept.origin == "werksessie"
        from dla.agendas import services as agenda_services
        from dla.werksessies import queries

        assert agenda_services.missing_transitions(concept) == []
        report = queries.report(closed)
        assert report.participants == 8 and report.contributions["total"] == 3


def test_contribution_editor_keeps_the_text_on_error(app, setup):
    client, ws_id, code = _plan_and_open(app, setup)
    phone = _join(app, code)
    phone.post(
        f"/w/{code}/vragen",
        data={"goal": "Hoe kan ik iets leren", "barrier": "er geen tijd is"},
        headers=HX,
    )
    with app.app_context():
        contribution = db.session.scalar(select(Contribution))
    editor = client.get(f"/werksessies/{ws_id}/inbreng/{contribution.id}/bewerken", headers=HX)
    assert editor.status_code == 200 and "Bewerkt overnemen" in editor.get_data(as_text=True)
    typed = "Hoe kan ik iets beter leren, terwijl er geen tijd is?"
    response = client.post(
        f"/werksessies/{ws_id}/inbreng/{contribution.id}",
        data={"action": "overnemen", "lock_version": "99", "text": typed},
        headers=HX,
    )
    assert response.status_code == 409
    assert response.headers["HX-Retarget"] == f"#c-{contribution.id}-edit"
    body = response.get_data(as_text=True)
    assert typed in body and "Iemand anders heeft deze vraag intussen behandeld" in body
    response = client.post(
        f"/werksessies/{ws_id}/inbreng/{contribution.id}",
        data={"action": "overnemen", "lock_version": contribution.lock_version, "text": typed},
        headers=HX,
    )
    assert response.status_code == 200 and typed in response.get_data(as_text=True)


def test_facilitator_links_a_barrier_to_the_question_in_focus(app, setup):
    from dla.analysis import services as analysis
    from dla.analysis.models import BarrierLink
    from dla.regions.models import Region

    with app.app_context():
        region = db.session.get(Region, setup["region"])
        analysis.seed_defaults(region)
        aspects, actors = analysis.headings(region)
        item = analysis.create_item(
            region,
            aspect_id=aspects[3].id,
            actor_id=actors[1].id,
            kind="barriere",
            description="De ICR heeft geen mandaat over de betrokken organisaties.",
            source="werksessie",
            status="actief",
        )
        db.session.commit()
        item_id = item.id
    client, ws_id, _code = _plan_and_open(app, setup)
    page = client.get(f"/werksessies/{ws_id}/leiden").get_data(as_text=True)
    assert "Barrières in de systeemanalyse" in page
    assert f"B-{item_id}" in page  # suggested: it resembles "ik geen mandaat heb"
    assert "Escaleren naar een andere agenda" not in page  # moving is a transition here
    thread_id = int(re.search(r"/leervragen/(\d+)/barrieres", page).group(1))
    response = client.post(
        f"/leervragen/{thread_id}/barrieres",
        data={"item_id": str(item_id), "note": "Genoemd in de sessie", "in_session": "1"},
        headers=HX,
    )
    assert response.status_code == 200
    panel = response.get_data(as_text=True)
    assert "Genoemd in de sessie" in panel and "Escaleren naar een andere agenda" not in panel
    with app.app_context():
        link = db.session.scalar(select(BarrierLink))
        assert (link.thread_id, link.item_id) == (thread_id, item_id)
