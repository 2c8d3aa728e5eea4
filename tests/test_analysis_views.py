"""HTTP and htmx paths of the analysis pages: the matrix, inline item editing, links and
suggestions, the persistent-barriers view (constant number of queries), milestones,
decisions and escalation; Dutch messages and 4xx for bad input, nothing saved."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from dla.analysis import services as analysis
from dla.analysis.models import BarrierItem, BarrierLink, Decision, MilestoneAction
from dla.extensions import db
from tests.factories import log_in, make_user
from tests.test_analysis_services import SCALE, _history, _item

HX = {"HX-Request": "true"}


def text_of(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def data(app):
    with app.app_context():
        region, threads = _history()
        privacy = _item(region, "Onduidelijk wat de privacyregels toestaan", aspect=8, actor=2)
        scale = _item(region, "Criteria voor opschaling worden verschillend uitgelegd", aspect=2)
        analysis.link_thread(threads["A"], privacy)
        analysis.link_thread(threads["D"], scale)
        milestone = analysis.create_milestone(region, title="Eén escalatieladder")
        users = {
            role: make_user(f"{role}@test.nl", region=region, role=role).get_id()
            for role in ("projectleider", "taskforce", "deelnemer", "onderzoeker")
        }
        aspects, actors = analysis.headings(region)
        db.session.commit()
        return {
            "region": region.id,
            "threads": {k: t.id for k, t in threads.items()},
            "privacy": privacy.id,
            "scale": scale.id,
            "milestone": milestone.id,
            "users": users,
            "aspect": aspects[0].id,
            "actor": actors[0].id,
            "cell": (privacy.aspect_id, privacy.actor_id),
        }


def client_as(app, data, role):
    client = app.test_client()
    log_in(client, data["users"][role])
    return client


def test_matrix_is_an_accessible_table_with_counts(app, data):
    response = client_as(app, data, "deelnemer").get(f"/regios/{data['region']}/systeemanalyse")
    html = text_of(response)
    assert response.status_code == 200
    assert '<th scope="col">Veilig Thuis</th>' in html
    assert '<th scope="row">Informatie en privacy (AVG)</th>' in html
    assert "1 barrière" in html and "<details>" in html
    assert "Item toevoegen" not in html  # a deelnemer reads


def test_add_item_inline_returns_the_cell_and_bad_input_saves_nothing(app, data):
    client = client_as(app, data, "projectleider")
    url = f"/regios/{data['region']}/systeemanalyse/cellen/{data['aspect']}/{data['actor']}"
    form = client.get(url + "/nieuw", headers=HX)
    assert form.status_code == 200 and "Nieuw item bij" in text_of(form)
    bad = client.post(
        url,
        data={"kind": "barriere", "description": " ", "source": "interview", "status": "actief"},
    )
    assert bad.status_code == 422
    assert "Vul de beschrijving in." in text_of(bad)
    wrong = client.post(
        url,
        data={"kind": "barriere", "description": "x", "source": "roddel", "status": "actief"},
        headers=HX,
    )
    assert wrong.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count(BarrierItem.id))) == 2
    good = client.post(
        url,
        data={
            "kind": "kans",
            "description": "Korte lijnen met de gemeente",
            "source": "observatie",
            "status": "actief",
            "noted_on": "24-02-2025",
        },
        headers=HX,
    )
    assert good.status_code == 200
    html = text_of(good)
    assert html.strip().startswith('<div id="c-') and "<details open>" in html and "1 kans" in html
    with app.app_context():
        item = db.session.scalar(select(BarrierItem).where(BarrierItem.kind == "kans"))
        assert item.noted_on == date(2025, 2, 24) and item.source == "observatie"
    missing = client.get(f"/regios/{data['region']}/systeemanalyse/cellen/999/{data['actor']}")
    assert missing.status_code == 404


def test_edit_item_inline_and_a_stale_edit_gets_409_without_overwriting(app, data):
    client = client_as(app, data, "projectleider")
    item_id = data["privacy"]
    edit = client.get(f"/barrieres/{item_id}/bewerken", headers=HX)
    assert edit.status_code == 200 and f'id="item-{item_id}"' in text_of(edit)
    fields = {
        "kind": "barriere",
        "aspect_id": str(data["cell"][0]),
        "actor_id": str(data["cell"][1]),
        "source": "werksessie",
        "status": "afgenomen",
        "lock_version": "1",
    }
    saved = client.post(
        f"/barrieres/{item_id}",
        data={**fields, "description": "Privacyregels zijn onduidelijk"},
        headers=HX,
    )
    assert saved.status_code == 200 and "Afgenomen" in text_of(saved)
    stale = client.post(
        f"/barrieres/{item_id}", data={**fields, "description": "Oude versie"}, headers=HX
    )
    assert stale.status_code == 409
    assert "Iemand anders heeft dit item intussen gewijzigd" in text_of(stale)
    assert "Privacyregels zijn onduidelijk" in text_of(stale)
    assert stale.headers["HX-Retarget"] == f"#item-{item_id}"
    with app.app_context():
        assert db.session.get(BarrierItem, item_id).description == "Privacyregels zijn onduidelijk"


def test_thread_page_suggests_and_links_a_barrier(app, data):
    client = client_as(app, data, "projectleider")
    thread = data["threads"]["B"]  # capaciteit: no link yet
    with app.app_context():
        region = db.session.get(BarrierItem, data["privacy"]).region_id
        from dla.regions.models import Region

        caseload = _item(db.session.get(Region, region), "Zware caseload bij ICR's", aspect=7)
        db.session.commit()
        caseload_id = caseload.id
    page = text_of(client.get(f"/leervragen/{thread}"))
    assert "Voorstellen" in page and "Zware caseload bij ICR&#39;s" in page
    linked = client.post(
        f"/leervragen/{thread}/barrieres",
        data={"item_id": caseload_id, "note": "Caseload"},
        headers=HX,
    )
    assert linked.status_code == 200 and 'id="barrieres"' in text_of(linked)
    again = client.post(f"/leervragen/{thread}/barrieres", data={"item_id": caseload_id})
    assert again.status_code == 422 and "al gekoppeld" in text_of(again)
    nothing = client.post(f"/leervragen/{thread}/barrieres", data={"item_id": ""}, headers=HX)
    assert nothing.status_code == 422 and "Kies een item" in text_of(nothing)
    item_page = text_of(client.get(f"/barrieres/{caseload_id}"))
    assert f"LV-{thread}" in item_page and "Caseload" in item_page
    with app.app_context():
        link_id = db.session.scalar(
            select(BarrierLink.id).where(BarrierLink.item_id == caseload_id)
        )
    assert client.post(f"/koppelingen/{link_id}/verwijderen", headers=HX).status_code == 200
    # A reader sees the panel but no link controls.
    reader = text_of(client_as(app, data, "taskforce").get(f"/leervragen/{thread}"))
    assert "Barrières in de systeemanalyse" in reader and "Koppelen" not in reader


def test_preview_of_a_new_question_names_resembling_barriers(app, data):
    client = client_as(app, data, "projectleider")
    with app.app_context():
        from dla.agendas import services
        from dla.agendas.models import Agenda

        agenda = db.session.scalar(select(Agenda).where(Agenda.title == "ICR's"))
        version = services.create_version(agenda)
        db.session.commit()
        version_id = version.id
    response = client.post(
        f"/versies/{version_id}/voorbeeld",
        data={
            "goal": "Hoe kan ik op tijd opschalen",
            "barrier": "de criteria voor opschaling verschillend worden uitgelegd",
        },
        headers=HX,
    )
    assert "lijkt op een barrière uit de systeemanalyse" in text_of(response)


def test_persistent_view_ranks_and_runs_a_constant_number_of_queries(app, data, count_queries):
    client = client_as(app, data, "taskforce")
    url = f"/regios/{data['region']}/hardnekkige-barrieres"
    client.get(url)
    with count_queries() as first:
        response = client.get(url)
    html = text_of(response)
    assert response.status_code == 200
    order = re.findall(r'<tr id="b-(\d+)">', html)
    assert order == [str(data["scale"]), str(data["privacy"])]
    assert "signaal om op te schalen" in html and "<svg" in html
    with app.app_context():
        from dla.regions.models import Region

        region = db.session.get(Region, data["region"])
        for n in range(6):
            extra = _item(region, f"Extra barrière {n}", aspect=n % 10, actor=n % 9)
            for key in "ABC":
                from dla.agendas.models import Thread

                analysis.link_thread(db.session.get(Thread, data["threads"][key]), extra)
            analysis.record_decision(region, item=extra, decided_on=date.today(), text="Besluit")
            milestone = analysis.create_milestone(region, title=f"Mijlpaal {n}")
            analysis.link_milestone(milestone, item=extra)
        db.session.commit()
    with count_queries() as second:
        response = client.get(url)
    assert response.status_code == 200
    assert html.count('<tr id="b-') < text_of(response).count('<tr id="b-')
    assert len(first) == len(second), (len(first), len(second))


def test_taskforce_records_and_updates_a_decision(app, data):
    taskforce = client_as(app, data, "taskforce")
    url = f"/regios/{data['region']}/besluiten"
    bad = taskforce.post(
        url, data={"item_id": data["scale"], "decided_on": "31-02-2025", "kind": "besluit"}
    )
    assert bad.status_code == 422 and "Deze datum klopt niet" in text_of(bad)
    done = taskforce.post(
        url,
        data={
            "item_id": data["scale"],
            "decided_on": "24-06-2025",
            "kind": "verzoek",
            "text": "Eén set opschalingscriteria afspreken",
            "status": "open",
        },
    )
    assert done.status_code == 303
    assert "Eén set opschalingscriteria afspreken" in text_of(taskforce.get(done.location))
    view = text_of(taskforce.get(f"/regios/{data['region']}/hardnekkige-barrieres"))
    assert "Eén set opschalingscriteria afspreken" in view
    with app.app_context():
        decision = db.session.scalar(select(Decision))
        decision_id = decision.id
    ok = taskforce.post(
        f"/besluiten/{decision_id}",
        data={"status": "afgerond", "follow_up": "Afgesproken", "lock_version": "1"},
    )
    assert ok.status_code == 303
    stale = taskforce.post(
        f"/besluiten/{decision_id}", data={"status": "open", "lock_version": "1"}
    )
    assert stale.status_code == 409 and "Iemand anders heeft dit besluit" in text_of(stale)
    milestone = taskforce.post(
        url,
        data={
            "milestone_id": data["milestone"],
            "decided_on": "2025-06-24",
            "kind": "besluit",
            "text": "Werkgroep starten",
            "status": "open",
        },
    )
    assert milestone.status_code == 303
    assert "Werkgroep starten" in text_of(taskforce.get(f"/mijlpalen/{data['milestone']}"))
    leader = client_as(app, data, "projectleider")
    assert leader.post(url, data={"item_id": data["scale"]}).status_code == 403


def test_milestone_pages_and_bad_input(app, data):
    client = client_as(app, data, "projectleider")
    created = client.post(
        f"/regios/{data['region']}/mijlpalen/nieuw",
        data={"title": "Verbinding met bestuurders", "term": "juni", "status": "bezig"},
    )
    assert created.status_code == 303
    page = created.location
    milestone_id = int(page.rsplit("/", 1)[1])
    empty = client.post(f"/regios/{data['region']}/mijlpalen/nieuw", data={"title": ""})
    assert empty.status_code == 422 and "Vul de mijlpaal in." in text_of(empty)
    assert client.post(f"/mijlpalen/{milestone_id}/randvoorwaarden", data={"text": "Tijd"})
    no_text = client.post(f"/mijlpalen/{milestone_id}/randvoorwaarden", data={"text": ""})
    assert no_text.status_code == 422 and "Vul de randvoorwaarde in." in text_of(no_text)
    client.post(
        f"/mijlpalen/{milestone_id}/acties",
        data={"text": "Presenteren", "owner": "Projectleider", "term": "juni", "status": "open"},
    )
    with app.app_context():
        action_id = db.session.scalar(select(MilestoneAction.id))
    assert (
        client.post(
            f"/acties/{action_id}", data={"status": "klaar", "lock_version": "1"}
        ).status_code
        == 303
    )
    stale = client.post(f"/acties/{action_id}", data={"status": "open", "lock_version": "1"})
    assert stale.status_code == 409 and "Iemand anders heeft deze actie" in text_of(stale)
    client.post(f"/mijlpalen/{milestone_id}/koppelingen", data={"item_id": data["scale"]})
    client.post(f"/mijlpalen/{milestone_id}/koppelingen", data={"thread_id": data["threads"]["A"]})
    html = text_of(client.get(page))
    assert "Tijd" in html and "Presenteren" in html and f"LV-{data['threads']['A']}" in html
    overview = text_of(client.get(f"/regios/{data['region']}/mijlpalen"))
    assert "Verbinding met bestuurders" in overview and "1 van 1 klaar" in overview
    edit = client.post(
        f"/mijlpalen/{milestone_id}/bewerken",
        data={"title": "Anders", "status": "bezig", "lock_version": "7"},
    )
    assert edit.status_code == 409 and "Nu opgeslagen: Verbinding met bestuurders" in text_of(edit)


def test_escalation_from_the_question_page(app, data):
    client = client_as(app, data, "projectleider")
    thread = data["threads"]["A"]
    with app.app_context():
        from dla.agendas.models import Agenda

        taskforce = db.session.scalar(select(Agenda.id).where(Agenda.title == "Taskforce"))
    page = text_of(client.get(f"/leervragen/{thread}"))
    assert "Escaleren naar een andere agenda" in page
    missing = client.post(f"/leervragen/{thread}/escaleren", data={"mode": "verplaatst"})
    assert missing.status_code == 422 and "Kies de agenda" in text_of(missing)
    moved = client.post(
        f"/leervragen/{thread}/escaleren",
        data={"agenda_id": taskforce, "mode": "verplaatst", "note": "Hardnekkig"},
    )
    assert moved.status_code == 303
    version = text_of(client.get(moved.location))
    assert "privacyregels" in version and "verplaatst naar de conceptversie" in version
    assert SCALE  # the moved question in _history stays where it went


def test_persistent_view_lists_and_counts_only_questions_the_person_may_read(app, data):
    from dla.agendas.models import Agenda
    from dla.auth import services as auth_services
    from dla.auth.models import User

    url = f"/regios/{data['region']}/hardnekkige-barrieres?alle=1"
    leader = text_of(client_as(app, data, "projectleider").get(url))
    for key in "AD":
        assert f'/leervragen/{data["threads"][key]}"' in leader
    assert "niveaus: signaal om op te schalen" in leader  # D stood on two levels

    # A deelnemer who takes part in the taskforce agenda only: D stood there, A never did.
    with app.app_context():
        taskforce = db.session.scalar(select(Agenda).where(Agenda.title == "Taskforce"))
        user = db.session.scalar(select(User).where(User.email == "deelnemer@test.nl"))
        auth_services.add_participant(taskforce, user.id)
        db.session.commit()
    response = client_as(app, data, "deelnemer").get(url)
    html = text_of(response)
    assert response.status_code == 200
    assert re.findall(r'<tr id="b-(\d+)">', html) == [str(data["scale"])]
    assert f'/leervragen/{data["threads"]["D"]}"' in html
    assert f'/leervragen/{data["threads"]["A"]}"' not in html
    assert "niveaus: signaal om op te schalen" not in html  # only the level they can see


def test_refusals_found_by_fuzzing_say_why_and_show_no_other_region(app, data):
    """Found by the fuzz tests: 422s whose message had nowhere to show, and a decision
    form that answered with another region's milestone page."""
    leader = client_as(app, data, "projectleider")
    # A new item takes its cell from the URL; wrong cell fields in the form do not matter.
    url = f"/regios/{data['region']}/systeemanalyse/cellen/{data['aspect']}/{data['actor']}"
    created = leader.post(
        url,
        data={
            "aspect_id": "1.5",
            "actor_id": "x",
            "kind": "barriere",
            "description": "Geen gedeelde agenda",
            "source": "interview",
            "status": "actief",
        },
    )
    assert created.status_code == 303
    # An escalation from the session screen, whose panel has no escalation form.
    thread = data["threads"]["A"]
    missing = leader.post(
        f"/leervragen/{thread}/escaleren",
        data={"mode": "verplaatst", "in_session": "1"},
        headers=HX,
    )
    assert missing.status_code == 422 and "Kies de agenda" in text_of(missing)
    # A decision naming a milestone of another region: that milestone does not exist here.
    with app.app_context():
        from dla.regions.models import Region

        other = Region(name="Andere regio")
        db.session.add(other)
        db.session.flush()
        foreign = analysis.create_milestone(other, title="Geheime mijlpaal").id
        db.session.commit()
    taskforce = client_as(app, data, "taskforce")
    response = taskforce.post(
        f"/regios/{data['region']}/besluiten",
        data={"item_id": data["scale"], "milestone_id": foreign, "decided_on": "31-02-2025"},
    )
    assert response.status_code == 404
    assert "Geheime mijlpaal" not in text_of(response)
