"""Werksessie in two browsers: the facilitator's screen and a participant's phone.

The projectleider plans and opens a session; a participant joins from a phone-sized browser
with the code and no account, adds a question through the two-field helper and votes; the
question and the vote appear on the facilitator screen within two seconds; the facilitator
takes the question over, decides every question with the keyboard, closes the session and
publishes the concept version it produced.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import login, published_agenda

QUESTIONS = [
    "Hoe kan ik als ICR regie op veiligheid houden, terwijl ik geen zicht krijg op de "
    "veiligheidssituatie thuis?",
    "Hoe kunnen we snel opschalen naar het Veiligheidshuis, terwijl de criteria per gemeente "
    "verschillen?",
    "Hoe kan ik tijd maken voor intervisie, terwijl mijn caseload te hoog is?",
]
GOAL = "Hoe kunnen we ervaringsdeskundigen betrekken bij de evaluatie"
BARRIER = "er geen vast moment is om hen te horen"
NEW_QUESTION = f"{GOAL}, terwijl {BARRIER}?"
REWORDED = (
    "Hoe kunnen we snel en samen opschalen naar het Veiligheidshuis, terwijl de criteria per "
    "gemeente verschillen?"
)


def _workspace(live_server) -> int:
    return published_agenda(live_server, "Regio Testland", QUESTIONS)[0]


def _phone(browser, base_url, browser_log):
    context = browser.new_context(
        locale="nl-NL",
        base_url=base_url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    phone = context.new_page()
    phone.on(
        "console",
        lambda message: (
            message.type == "error" and browser_log.add(f"phone console error: {message.text}")
        ),
    )
    phone.on("pageerror", lambda error: browser_log.add(f"phone page error: {error}"))
    return context, phone


def test_werksessie_with_facilitator_and_phone(
    page: Page, browser, base_url, browser_log, live_server
):
    region_id = _workspace(live_server)
    page.on("dialog", lambda dialog: dialog.accept())

    # The projectleider plans the session and opens it.
    login(page, "pl@test.nl")
    page.goto(f"/regios/{region_id}")
    page.get_by_role("link", name="Sessies").click()
    page.get_by_role("link", name="Sessie plannen").click()
    page.get_by_label("Titel").fill("Werksessie ICR's maart")
    page.get_by_label("Datum").fill("2026-03-12")
    page.get_by_label("Leeragenda ICR's (Operationeel, ICR's)").check()
    page.get_by_label("Deelnemers mogen meedoen zonder account").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Werksessie ICR's maart", level=1)).to_be_visible()
    page.get_by_role("button", name="Sessie openen").click()
    expect(page.get_by_text("Vraag 1 van 3")).to_be_visible()
    code = page.locator(".fac-join .session-code").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z0-9]{8}", code)

    # A participant joins from a phone, without an account.
    context, phone = _phone(browser, base_url, browser_log)
    try:
        phone.goto("/doe-mee")
        phone.get_by_label("Code van de sessie").fill(code.lower())
        phone.get_by_role("button", name="Meedoen").click()
        phone.get_by_label("Uw rol").select_option(label="Ervaringsdeskundige")
        phone.get_by_role("button", name="Meedoen").click()
        expect(phone.get_by_role("heading", name="Nu op het scherm")).to_be_visible()
        expect(phone.locator(".focus-question")).to_contain_text(QUESTIONS[0])

        phone.get_by_label("Hoe kan ik / kunnen we …").fill(GOAL)
        phone.get_by_label("… terwijl …").fill(BARRIER)
        expect(phone.locator("#phone-preview .preview-text")).to_have_text(NEW_QUESTION)
        phone.get_by_role("button", name="Vraag insturen").click()
        expect(phone.get_by_text("Uw vraag is ontvangen")).to_be_visible()
        expect(phone.get_by_label("Hoe kan ik / kunnen we …")).to_have_value("")
        phone.get_by_role("button", name="Staat nog").click()
        expect(phone.get_by_role("button", name="Staat nog")).to_have_attribute(
            "aria-pressed", "true"
        )

        # Both appear on the facilitator screen within two seconds, without a reload.
        incoming = page.locator(".incoming-item", has_text=NEW_QUESTION)
        expect(incoming).to_be_visible(timeout=2500)
        expect(page.locator(".tally-still")).to_contain_text("1", timeout=2500)
        incoming.get_by_role("button", name="Overnemen", exact=True).click()
        expect(page.locator(".handled")).to_contain_text("Overgenomen")

        # Decide every question with the keyboard.
        page.locator("body").click(position={"x": 5, "y": 5})
        page.keyboard.press("1")
        expect(page.locator("#decision-now")).to_contain_text("Blijft staan")
        page.keyboard.press("ArrowRight")
        expect(page.get_by_text("Vraag 2 van 3")).to_be_visible()
        # The phone follows the question on the screen.
        expect(phone.locator(".focus-question")).to_contain_text(QUESTIONS[1], timeout=3000)
        page.keyboard.press("2")
        reword = page.get_by_label("Nieuwe formulering")
        expect(reword).to_be_focused()
        reword.fill(REWORDED)
        page.keyboard.press("Control+Enter")
        expect(page.locator("#decision-now")).to_contain_text("Geherformuleerd")
        page.keyboard.press("ArrowRight")
        expect(page.get_by_text("Vraag 3 van 3")).to_be_visible()
        page.keyboard.press("7")
        page.get_by_label("Reden").select_option(label="Het inzicht is bereikt")
        page.get_by_role("button", name="Opslaan: vervallen").click()
        expect(page.locator("#decision-now")).to_contain_text("Vervallen")
        expect(page.locator(".stage .progress")).to_contain_text("3 besproken")

        # Close: the concept version is made and the code expires.
        page.get_by_role("link", name="Sessie afsluiten of gegevens bekijken").click()
        page.get_by_role("button", name="Sessie afsluiten").click()
        expect(page.get_by_text("De sessie is afgesloten")).to_be_visible()
        expect(page.get_by_role("heading", name="Verslag")).to_be_visible()
        expect(page.get_by_text("Deelnemers per rol (1)")).to_be_visible()

        browser_log.allow(r"410")
        phone.reload()
        expect(phone.get_by_text("Deze werksessie is afgesloten")).to_be_visible()
    finally:
        context.close()

    # Publishing stays a separate step, on the concept's own page.
    page.get_by_role("link", name="versie 2").click()
    expect(page.get_by_text("Naar aanleiding van de werksessie op 12 maart 2026")).to_be_visible()
    expect(page.get_by_text(NEW_QUESTION).first).to_be_visible()
    page.get_by_role("button", name="Versie vaststellen").click()
    expect(page.get_by_text("Versie 2 is vastgesteld.")).to_be_visible()
