"""Werksessie in a real room, in real Chromium: the facilitator's control view, the audience
view on the projector and five phones in one session.

A phone sends a question with a BSN: it is held back in the moderation queue, erased by
the facilitator and then absent from the report and the exports. Another question is
accepted and appears on the audience view; the votes stay hidden there until revealed. A
phone that goes offline keeps its typed question, says so, and sends it when the connection
is back. Closing with untreated questions asks for a choice; after closing the phones stop
polling. The control, audience and phone views pass axe; the audience view is readable from
the back of the room (question ≥ 40 px at 1920×1080, nothing below the fold).
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import login, new_page, published_agenda
from tests.browser.test_accessibility import page_problems
from tests.browser.test_werksessie_flow import QUESTIONS

BSN = "111222333"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}


def _open_session(page: Page, live_server) -> tuple[str, str]:
    region_id = published_agenda(live_server, "Regio Testland", QUESTIONS)[0]
    login(page, "pl@test.nl")
    page.goto(f"/regios/{region_id}/werksessies/nieuw")
    page.get_by_label("Titel").fill("Werksessie in de zaal")
    page.get_by_label("Datum").fill("2026-03-12")
    page.get_by_label("Leeragenda ICR's (Operationeel, ICR's)").check()
    page.get_by_label("Deelnemers mogen meedoen zonder account").check()
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("button", name="Sessie openen").click()
    expect(page.get_by_text("Vraag 1 van 3")).to_be_visible()
    code = page.locator(".fac-join .session-code").inner_text().replace(" ", "")
    return code, page.url


def _join(phone: Page, code: str, role: str) -> None:
    phone.goto(f"/w/{code}")
    expect(phone.get_by_label("Uw naam (mag leeg blijven)")).to_have_value("")
    phone.get_by_label("Uw rol").select_option(label=role)
    phone.get_by_role("button", name="Meedoen").click()
    expect(phone.get_by_role("heading", name="Nu op het scherm")).to_be_visible()


def _send(phone: Page, goal: str, barrier: str) -> None:
    phone.get_by_label("Hoe kan ik / kunnen we …").fill(goal)
    phone.get_by_label("… terwijl …").fill(barrier)
    phone.get_by_role("button", name="Vraag insturen").click()


def test_room_with_audience_view_five_phones_erasure_offline_and_closing(
    page: Page, browser, base_url, checked_log, live_server
):
    checked_log.allow(r"410")  # the phones' own session closed
    checked_log.allow(r"422")  # closing refused until every new question has a choice
    checked_log.allow(r"ERR_INTERNET_DISCONNECTED")  # the phone that goes offline
    checked_log.allow(r"htmx:(sendError|afterRequest)")  # htmx logs the failed request
    code, lead_url = _open_session(page, live_server)
    contexts = []
    try:
        # The projector: a separate audience view, logged in as the facilitator.
        projector_context, audience = new_page(browser, base_url, checked_log, **PROJECTOR)
        contexts.append(projector_context)
        login(audience, "pl@test.nl")
        audience.goto(lead_url.replace("/leiden", "/zaalscherm"))
        question = audience.locator("#aud-question")
        expect(question).to_contain_text(QUESTIONS[0])
        size = question.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 40, f"question in {size}px"
        assert audience.evaluate("document.documentElement.scrollHeight <= innerHeight")
        expect(audience.locator(".aud-qr svg")).to_be_visible()
        expect(audience.locator(".aud-link")).to_contain_text(f"/w/{code}")
        expect(audience.locator(".aud-code")).to_contain_text(code[:4])
        assert audience.locator("form, button, select").count() == 0
        assert page_problems(audience) == []

        phones = []
        roles = ["Ervaringsdeskundige", "Manager / teamleider", "Bestuurder", "Onderzoeker"]
        for role in ["ICR / professional", *roles]:
            context, phone = new_page(browser, base_url, checked_log, **PHONE)
            contexts.append(context)
            _join(phone, code, role)
            phones.append((context, phone))
        assert page_problems(phones[0][1]) == []

        # Every phone votes; the audience view counts but does not show the result yet.
        for _context, phone in phones:
            phone.get_by_role("button", name="Staat nog").click()
            expect(phone.get_by_role("button", name="Staat nog")).to_have_attribute(
                "aria-pressed", "true"
            )
        expect(audience.locator(".aud-tally")).to_contain_text("5 stemmen uitgebracht")
        expect(audience.get_by_text("Staat nog:")).to_have_count(0)
        page.get_by_role("button", name="Uitslag tonen op het zaalscherm").click()
        expect(audience.locator(".aud-tally")).to_contain_text("Staat nog: 5", timeout=2500)

        # A question with a BSN is held back; it never reaches the projector.
        _send(phones[0][1], f"Hoe help ik de moeder met BSN {BSN}", "het dossier ontbreekt")
        expect(phones[0][1].get_by_text("Uw vraag is ontvangen")).to_be_visible()
        held = page.locator(".incoming-item", has_text=BSN)
        expect(held).to_contain_text("Tegengehouden", timeout=2500)
        expect(held.get_by_role("button", name="Overnemen", exact=True)).to_have_count(0)
        # An ordinary question is accepted and shows on the audience view.
        _send(phones[1][1], "Hoe kunnen we ouders vaker horen", "er geen vast moment is")
        ordinary = page.locator(".incoming-item", has_text="ouders vaker horen")
        expect(ordinary).to_be_visible(timeout=2500)
        expect(audience.get_by_text("ouders vaker horen")).to_have_count(0)
        ordinary.get_by_role("button", name="Overnemen", exact=True).click()
        expect(audience.locator(".aud-new")).to_contain_text("ouders vaker horen", timeout=2500)
        # The others see it on their phones and can support it.
        other = phones[2][1]
        expect(other.locator("#phone-shared")).to_contain_text("ouders vaker horen", timeout=4000)
        other.locator("#phone-shared").get_by_role("button", name=re.compile("^Steunen")).click()
        expect(other.locator("#phone-shared")).to_contain_text("1 steunbetuiging")

        # Erase: the facilitator rewrites the held question without the number.
        held.get_by_role("button", name="Persoonsgegevens wissen of bewerken").click()
        editor = page.locator(".incoming-editor")
        editor.get_by_label("Tekst").fill("Hoe help ik een moeder, terwijl het dossier ontbreekt?")
        editor.get_by_role("button", name="Persoonsgegevens wissen").click()
        expect(page.locator("#live")).not_to_contain_text(BSN)
        expect(page.locator(".incoming-item", has_text="Hoe help ik een moeder")).to_be_visible()
        assert page_problems(page) == []

        # A phone goes offline: what it typed stays, it says so, and it is sent afterwards.
        offline_context, offline = phones[3]
        offline_context.set_offline(True)
        _send(offline, "Hoe kunnen we sneller schakelen", "de lijnen lang zijn")
        expect(offline.locator("[data-offline-banner]")).to_be_visible(timeout=5000)
        expect(offline.get_by_label("Hoe kan ik / kunnen we …")).to_have_value(
            "Hoe kunnen we sneller schakelen"
        )
        offline_context.set_offline(False)
        expect(offline.get_by_text("Uw vraag is ontvangen")).to_be_visible(timeout=10000)
        expect(offline.locator("[data-offline-banner]")).to_be_hidden()
        expect(page.locator(".incoming-item", has_text="sneller schakelen")).to_be_visible(
            timeout=2500
        )

        # Closing: the untreated questions need a choice; nothing disappears without one.
        page.get_by_role("link", name="Sessie afsluiten of gegevens bekijken").click()
        expect(
            page.get_by_text("2 nieuwe vragen van deelnemers zijn nog niet behandeld")
        ).to_be_visible()
        page.get_by_label("Toch afsluiten").check()
        page.get_by_role("button", name="Sessie afsluiten").click()
        expect(page.get_by_text("2 nieuwe vragen zijn nog niet behandeld")).to_be_visible()
        expect(page.get_by_label("Toch afsluiten")).to_be_checked()
        page.get_by_label("Keuze", exact=True).select_option(
            label="Parkeren (bewaren voor een volgende sessie)"
        )
        page.get_by_role("button", name="Sessie afsluiten").click()
        expect(page.get_by_text("De sessie is afgesloten")).to_be_visible()
        expect(
            page.get_by_role("heading", name="Geparkeerd (voor een volgende sessie)")
        ).to_be_visible()
        expect(page.get_by_text("Deelnemers per rol (5)")).to_be_visible()

        # The phones learn it at their next poll and then stop asking.
        phone = phones[4][1]
        expect(phone.get_by_text("De sessie is afgesloten")).to_be_visible(timeout=4000)
        polls = []
        phone.on("request", lambda request: polls.append(request.url))
        phone.wait_for_timeout(4500)
        assert [url for url in polls if "/stand" in url] == []
        expect(audience.locator("#aud-question")).to_contain_text("afgesloten", timeout=2500)

        # The BSN is in none of the outputs.
        ws_path = urlparts = page.url.split("?")[0]
        region = re.search(r"/regios/(\d+)", page.locator(".breadcrumbs").inner_html()).group(1)
        for path in (
            f"{ws_path}/verslag",
            f"{ws_path}/verslag.csv",
            f"/regios/{region}/export.json",
            f"/regios/{region}/export.json?zonder_namen=1",
            f"/regios/{region}/logboek",
        ):
            body = page.request.get(path).text()
            assert BSN not in body, path
        assert urlparts
    finally:
        for context in contexts:
            context.close()
