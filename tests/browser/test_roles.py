"""Roles in the browser: a deelnemer adds a question but cannot publish; the projectleider can."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from dla.agendas import questions, services
from dla.auth import services as auth_services
from dla.extensions import db
from tests.browser.conftest import PASSWORD, login

QUESTION = "Hoe kan ik als ICR de regie houden, terwijl ik geen mandaat heb?"


@pytest.fixture
def concept(live_server, _empty_tables):
    """A region with a concept version, a projectleider and a deelnemer who takes part."""
    with live_server.app.app_context():
        from dla.regions import services as region_services

        region = region_services.create_region("Regio Rollen")
        agenda = services.create_agenda(
            region, level="operationeel", audience="ICR's", title="Agenda ICR's"
        )
        version = services.create_version(agenda)
        questions.add_wording(version, text=QUESTION)
        leader = auth_services.create_user("pl@test.nl", "Pim Leider", PASSWORD)
        member = auth_services.create_user("dn@test.nl", "Dana Deel", PASSWORD)
        auth_services.set_membership(leader, region.id, "projectleider")
        auth_services.set_membership(member, region.id, "deelnemer")
        auth_services.add_participant(agenda, member.id)
        db.session.commit()
        version_id = version.id
        db.session.remove()
    return version_id


def logout(page: Page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()


def test_deelnemer_adds_a_question_but_only_the_projectleider_publishes(
    page: Page, browser_log, concept
):
    browser_log.allow(r"status of 403 .*/versies/\d+/vaststellen\)$")
    login(page, "dn@test.nl")
    page.goto(f"/versies/{concept}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Concept")
    page.get_by_label("Hoe kan ik / kunnen we …").fill("Hoe kunnen we samen één plan maken")
    page.get_by_label("… terwijl …").fill("ieder zijn eigen plan heeft")
    expect(page.locator("#preview")).to_contain_text(
        "Hoe kunnen we samen één plan maken, terwijl ieder zijn eigen plan heeft?"
    )
    page.get_by_role("button", name="Vraag toevoegen").click()
    questions = page.locator("ol.question-list > li.question")
    expect(questions).to_have_count(2)
    expect(questions.nth(1)).to_contain_text("terwijl ieder zijn eigen plan heeft?")
    # The deelnemer may edit the new question, not the projectleider's.
    expect(questions.nth(1).get_by_role("button", name=re.compile("bewerken"))).to_have_count(1)
    expect(questions.nth(0).get_by_role("button", name=re.compile("bewerken"))).to_have_count(0)
    # No publish control, and a hand-made request is refused.
    expect(page.get_by_role("button", name="Versie vaststellen")).to_have_count(0)
    status = page.evaluate(
        """async (url) => {
            const token = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken'];
            const response = await fetch(url, {method: 'POST', headers: {'X-CSRFToken': token}});
            return response.status;
        }""",
        f"/versies/{concept}/vaststellen",
    )
    assert status == 403
    logout(page)

    login(page, "pl@test.nl")
    page.goto(f"/versies/{concept}")
    expect(page.locator("ol.question-list > li.question")).to_have_count(2)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Versie vaststellen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vastgesteld")
    expect(page.get_by_text("ieder zijn eigen plan heeft?")).to_be_visible()
