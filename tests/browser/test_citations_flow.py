"""The citation check and the begrippenlijst in the browser, on the demo workspace: the
onderzoeker pastes the example report excerpt, sees every quote with its source, and the
wrong tag flagged with what it should say; she quotes a question ("Citeren") and finds the
quotation on the question page; the terms of the begrippenlijst show their definition on
keyboard focus and on hover. Every page passes axe."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlalchemy import select

from dla.extensions import db
from tests.browser.conftest import login

AXE = Axe()
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def axe_clean(page: Page) -> None:
    violations = [
        f"{v['id']}: {[n['html'][:120] for n in v['nodes'][:3]]}"
        for v in AXE.run(page, options=AXE_OPTIONS).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert violations == []


@pytest.fixture
def demo(live_server, _empty_tables):
    from dla.agendas.models import Agenda, Version, Wording
    from dla.demo import RIJNMOND, load_demo
    from dla.regions.models import Region

    with live_server.app.app_context():
        load_demo()
        db.session.commit()
        region = db.session.scalar(select(Region).where(Region.name == RIJNMOND))
        thread = db.session.scalar(
            select(Wording.thread_id)
            .join(Version, Version.id == Wording.version_id)
            .join(Agenda, Agenda.id == Version.agenda_id)
            .where(Agenda.region_id == region.id, Wording.full_text.contains("doorzettingsmacht"))
            .limit(1)
        )
        ids = {"region": region.id, "thread": thread}
        db.session.remove()
    return ids


def test_paste_a_report_and_see_the_wrong_tag_flagged(page: Page, demo):
    login(page, "onderzoeker@demo.dla", "demo-duinpan-2024")
    page.goto(f"/regios/{demo['region']}")
    page.get_by_role("link", name="Citaten controleren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Citaten in een rapport controleren")
    axe_clean(page)
    page.get_by_role("link", name="Voorbeeld invullen").click()
    expect(page.get_by_label("Tekst van het rapport")).to_have_value(re.compile("bijlage 2.4"))
    page.get_by_role("button", name="Controleren").click()

    results = page.locator("#citation-results")
    expect(results.get_by_role("heading", name="Resultaat: 5 citaten")).to_be_visible()
    wrong = results.locator(".citation-wrong")
    expect(wrong).to_have_count(1)
    expect(wrong.get_by_text("Bron klopt niet")).to_be_visible()
    expect(wrong.locator(".suggested-tag")).to_have_text("[DLA managers, bijlage 3.1]")
    expect(wrong.get_by_role("link", name=re.compile("Leeragenda managers"))).to_be_visible()
    # The edited quote: near-exact, with the dropped words struck through.
    edited = results.locator("li.citation").nth(1)
    expect(edited.get_by_text("Bijna letterlijk")).to_be_visible()
    expect(edited.locator("del")).to_contain_text("als ICR")
    # The reconstructed one is found nowhere and makes no claim.
    expect(results.locator("li.citation").nth(4)).to_contain_text("Niet gevonden")
    axe_clean(page)


def test_quote_a_question_and_read_its_terms(page: Page, demo):
    login(page, "onderzoeker@demo.dla", "demo-duinpan-2024")
    page.goto(f"/leervragen/{demo['thread']}")
    # The term shows its definition on keyboard focus, and Escape hides it again.
    term = page.locator(".lead").get_by_role("button", name="doorzettingsmacht")
    tip = page.locator(".lead .term-tip").filter(has_text="De bevoegdheid")
    expect(tip).to_be_hidden()
    term.focus()
    expect(tip).to_be_visible()
    expect(term).to_have_accessible_description(re.compile("^De bevoegdheid om een besluit"))
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    page.keyboard.press("Tab")
    page.locator(".lead").get_by_role("button", name="ICR").hover()
    expect(
        page.locator(".lead .term-tip").filter(has_text="Intensief casusregisseur")
    ).to_be_visible()
    axe_clean(page)

    page.get_by_role("button", name=re.compile("^Citeren")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Citaat")
    citation = page.get_by_label("Om in uw rapport te plakken")
    expect(citation).to_have_value(
        re.compile(r"\[DLA ICR's, bijlage 2\.1\] \(geraadpleegd .*/citaten/\d+\)$")
    )
    axe_clean(page)
    page.get_by_role("link", name="Leervraag", exact=True).click()
    quoted = page.locator("section", has=page.get_by_role("heading", name="Geciteerd in rapporten"))
    expect(quoted.get_by_role("link", name="[DLA ICR's, bijlage 2.1]")).to_be_visible()
    expect(quoted).to_contain_text("Olga Smit")
