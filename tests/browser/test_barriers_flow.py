"""Barriers in a real browser: add a barrier in the matrix, link a question to it, see it rise
in the persistent-barriers view after two more versions, and record a taskforce decision."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from dla.agendas import questions, services, transitions
from dla.agendas.models import Agenda, Thread, Version
from dla.analysis import services as analysis
from dla.auth import services as auth_services
from dla.extensions import db
from tests.browser.conftest import PASSWORD, login
from tests.browser.test_main_flow import settled

PRIVACY = (
    "Hoe kan ik als ICR informatie delen met Veilig Thuis, terwijl ik niet zeker weet wat de "
    "privacyregels toestaan?"
)
CASELOAD = "Hoe kan ik mijn werk als ICR goed doen, terwijl mijn caseload steeds zwaarder wordt?"
BARRIER = "Onduidelijk wat de privacyregels toestaan bij informatie delen met Veilig Thuis"
START = date.today() - timedelta(days=90)


@pytest.fixture
def region(live_server, _empty_tables):
    """A region with one published ICR version; the caseload question already names a barrier."""
    with live_server.app.app_context():
        from dla.regions import services as region_services

        region = region_services.create_region("Regio Barrières")
        agenda = services.create_agenda(
            region, level="operationeel", audience="ICR's", title="Agenda ICR's"
        )
        version = services.create_version(agenda, document_date=START)
        questions.add_wording(version, text=PRIVACY)
        questions.add_wording(version, text=CASELOAD)
        services.publish_version(version)
        leader = auth_services.create_user("pl@test.nl", "Pim Leider", PASSWORD)
        taskforce = auth_services.create_user("tf@test.nl", "Tess Taskforce", PASSWORD)
        auth_services.set_membership(leader, region.id, "projectleider")
        auth_services.set_membership(taskforce, region.id, "taskforce")
        analysis.add_heading(region, axis="aspect", name="Capaciteit en middelen")
        aspects, _ = analysis.headings(region)
        actor = analysis.add_heading(region, axis="actor", name="Wijkteams / lokaal veld")
        caseload = analysis.create_item(
            region,
            aspect_id=aspects[0].id,
            actor_id=actor.id,
            description="Zware caseload in de lokale teams",
        )
        thread = db.session.get(Thread, version.wordings[1].thread_id)
        analysis.link_thread(thread, caseload)
        db.session.commit()
        ids = {
            "region": region.id,
            "agenda": agenda.id,
            "privacy_thread": version.wordings[0].thread_id,
            "caseload": caseload.id,
        }
        db.session.remove()
    return ids


def two_more_versions(app, agenda_id: int) -> None:
    """Versions 2 and 3 (as a werksessie would make them): the privacy question stays,
    the caseload question is dropped in version 2."""
    with app.app_context():
        agenda = db.session.get(Agenda, agenda_id)
        for step in (1, 2):
            version = services.create_version(
                agenda, document_date=START + timedelta(days=30 * step)
            )
            previous = services.previous_version(version)
            for source in services.missing_transitions(version, previous):
                if "caseload" in source.full_text:
                    transitions.set_transition(version, source, "vervallen", reason="elders_belegd")
                else:
                    transitions.set_transition(version, source, "blijft_staan")
            services.publish_version(version)
        db.session.commit()
        assert db.session.query(Version).filter_by(agenda_id=agenda_id).count() == 3
        db.session.remove()


def ranked_codes(page: Page) -> list[str]:
    return [
        re.search(r"[BK]-\d+", text).group(0)
        for text in page.locator("table.persistent tbody tr th").all_inner_texts()
    ]


def test_barrier_from_matrix_to_taskforce_decision(page: Page, live_server, region):
    login(page, "pl@test.nl")
    # 1. The region has one row and one column: add another of each.
    page.goto(f"/regios/{region['region']}/systeemanalyse")
    expect(page.get_by_role("heading", name=re.compile("Systeemanalyse"), level=1)).to_be_visible()
    page.get_by_label("Nieuw systeemaspect").fill("Informatie en privacy (AVG)")
    page.get_by_role("button", name="Toevoegen").first.click()
    page.get_by_label("Nieuwe actorgroep").fill("Veilig Thuis")
    page.get_by_role("button", name="Toevoegen").nth(1).click()
    matrix = page.locator("table.matrix")
    expect(matrix.get_by_role("columnheader", name="Veilig Thuis")).to_be_visible()
    expect(matrix.get_by_role("rowheader", name="Informatie en privacy (AVG)")).to_be_visible()

    # 2. Add a barrier inline in its cell (keyboard-reachable link, htmx form).
    where = "Informatie en privacy (AVG) × Veilig Thuis"
    page.get_by_role("link", name=f"Item toevoegen bij {where}").click()
    settled(page)
    cell = page.locator("div.cell", has_text=f"Nieuw item bij {where}")
    cell.get_by_label("Beschrijving").fill(BARRIER)
    cell.get_by_label("Bron").select_option("interview")
    cell.get_by_role("button", name="Item opslaan").click()
    settled(page)
    summary = page.locator("summary", has_text=f"{where}:")
    expect(summary).to_contain_text("1 barrière")
    expect(
        page.get_by_role("link", name=re.compile("Onduidelijk wat de privacyregels"))
    ).to_be_visible()

    # 3. Link the privacy question to it from the question page, via the suggestion.
    page.goto(f"/leervragen/{region['privacy_thread']}")
    panel = page.locator("#barrieres")
    expect(panel.get_by_role("heading", name="Voorstellen")).to_be_visible()
    panel.get_by_role("button", name=re.compile("Koppelen aan B-")).click()
    settled(page)
    expect(panel).not_to_contain_text("Voorstellen")
    expect(panel.get_by_role("link", name=re.compile(r"^B-\d+$"))).to_be_visible()
    code = panel.get_by_role("link", name=re.compile(r"^B-\d+$")).inner_text()

    # 4. With one version nothing is hardnekkig; among all linked barriers ours is second.
    page.goto(f"/regios/{region['region']}/hardnekkige-barrieres")
    expect(page.get_by_text("Nog geen hardnekkige barrières.")).to_be_visible()
    page.get_by_role("link", name="Toon alle gekoppelde barrières").click()
    assert ranked_codes(page) == [f"B-{region['caseload']}", code]

    # 5. Two more versions: the privacy question stays, the caseload question is dropped.
    two_more_versions(live_server.app, region["agenda"])
    page.goto(f"/regios/{region['region']}/hardnekkige-barrieres?alle=1")
    assert ranked_codes(page) == [code, f"B-{region['caseload']}"]
    page.get_by_role("link", name="Toon alleen hardnekkige").click()
    assert ranked_codes(page) == [code]
    row = page.locator("table.persistent tbody tr").first
    expect(row).to_contain_text("1 hardnekkig")
    expect(row).to_contain_text("tot 3 versies")
    expect(row).to_contain_text("Nog geen besluit.")
    expect(
        row.get_by_role("img", name=re.compile("Open gekoppelde vragen per versiedatum"))
    ).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()

    # 6. The taskforce records a decision; it shows in the persistent-barriers view.
    login(page, "tf@test.nl")
    page.get_by_role("link", name="Hardnekkige barrières").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hardnekkige barrières")
    page.get_by_role("link", name=f"Besluit vastleggen over {code}").click()
    decision = page.locator("#besluiten")
    decision.get_by_label("Besluit of verzoek").fill(
        "De projectleider maakt met Veilig Thuis een privacyconvenant."
    )
    decision.get_by_label("Vervolg (mag leeg blijven)", exact=True).fill(
        "Terug in de volgende sessie."
    )
    decision.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_text("Het besluit is vastgelegd.")).to_be_visible()
    expect(page.locator("#besluiten")).to_contain_text("privacyconvenant")
    page.get_by_role("link", name="Hardnekkige barrières").click()
    row = page.locator("table.persistent tbody tr").first
    expect(row).to_contain_text("privacyconvenant")
    # The taskforce reads the matrix but does not edit it.
    page.goto(f"/regios/{region['region']}/systeemanalyse")
    expect(page.get_by_role("link", name=re.compile("Item toevoegen"))).to_have_count(0)
