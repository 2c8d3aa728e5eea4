"""The main flow in a real browser: region, agenda, two versions, compare and history."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import ADMIN_EMAIL, login, new_page

GOAL = "Hoe kan ik als ICR regie op veiligheid houden"
BARRIER = "ik geen zicht krijg op de veiligheidssituatie thuis"
QUESTION_A = f"{GOAL}, terwijl {BARRIER}?"
QUESTION_B = (
    "Hoe kunnen we als team snel een gezamenlijk plan maken, "
    "terwijl elke organisatie een eigen overleg heeft?"
)
QUESTION_B_EDITED = (
    "Hoe kunnen we als netwerk snel een gezamenlijk plan maken, "
    "terwijl elke organisatie een eigen overleg heeft?"
)
QUESTION_B_REWORDED = (
    "Hoe kunnen we als netwerk binnen twee weken een gezamenlijk plan maken, "
    "terwijl elke organisatie een eigen overleg heeft?"
)
QUESTION_C = (
    "Hoe kan ik als manager ruimte geven aan de regisseur, "
    "terwijl de financiering per organisatie geregeld is?"
)
QUESTION_WITHOUT_TERWIJL = "Hoe kunnen we de samenwerking met de politie verbeteren?"
QUESTION_NEW = (
    "Hoe kunnen we ervaringen van ouders meenemen, terwijl er geen vast moment is om ze te horen?"
)
CONTEXT_LINE = "Naar aanleiding van de werksessie op 21 februari 2020"
HINT_NO_TERWIJL = "Noem na ', terwijl' wat u tegenhoudt"


# --- helpers -----------------------------------------------------------------------------------


def settled(page: Page) -> None:
    """Wait until htmx has finished every request, swap and settle.

    htmx wires up swapped-in content (hx-* attributes, app.js enhancements) only when it
    settles, a few milliseconds after the swap; a person never types that fast, a test does.
    """
    page.wait_for_load_state()
    busy = page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")
    expect(busy).to_have_count(0)


def accept_dialogs(page: Page) -> None:
    page.on("dialog", lambda dialog: dialog.accept())


def create_region_and_agenda(page: Page) -> None:
    login(page, ADMIN_EMAIL)
    page.goto("/")
    expect(page.get_by_role("heading", name="Regio's", level=1)).to_be_visible()
    page.get_by_role("link", name="Nieuwe regio").click()
    expect(page.get_by_role("heading", name="Nieuwe regio", level=1)).to_be_visible()
    page.get_by_label("Naam van de regio").fill("Regio Testland")
    page.get_by_label("Korte beschrijving").fill("Netwerk tegen huiselijk geweld.")
    page.get_by_label("Gemeenten (één per regel)").fill("Testdorp\nProefstad")
    page.get_by_role("button", name="Opslaan").click()

    expect(page.get_by_role("heading", name="Regio Testland", level=1)).to_be_visible()
    page.get_by_role("link", name="Nieuwe agenda").click()
    expect(page.get_by_role("heading", name="Nieuwe leeragenda")).to_be_visible()
    page.get_by_label("Titel").fill("Leeragenda ICR's")
    page.get_by_label("Niveau").select_option(label="Operationeel")
    page.get_by_label("Doelgroep").fill("ICR's in opleiding")
    page.get_by_role("button", name="Opslaan").click()

    expect(page.get_by_role("heading", name="Leeragenda ICR's", level=1)).to_be_visible()
    expect(page.get_by_text("Operationeel · ICR's in opleiding")).to_be_visible()
    expect(page.get_by_text("Deze agenda heeft nog geen versies.")).to_be_visible()


def create_first_version(page: Page) -> None:
    page.get_by_role("link", name="Eerste versie maken").click()
    expect(page.get_by_text("Dit wordt de eerste versie van deze agenda.")).to_be_visible()
    document_date = page.get_by_label("Datum van het document")
    # A Dutch user writes 24-02-2020; an <input type="date"> only takes the ISO value
    # (the browser shows its own date widget and posts ISO either way).
    if document_date.get_attribute("type") == "date":
        document_date.fill("2020-02-24")
    else:
        document_date.fill("24-02-2020")
    page.get_by_label("Aanleiding").fill(CONTEXT_LINE)
    page.get_by_role("button", name="Versie maken").click()

    expect(page.get_by_role("heading", name="Versie 1", level=1)).to_contain_text("Concept")
    expect(page.get_by_text("24 februari 2020")).to_be_visible()
    expect(page.get_by_text(CONTEXT_LINE)).to_be_visible()


def questions_panel(page: Page) -> Locator:
    return page.get_by_role("region", name="Vragen in deze versie")


def question_items(page: Page) -> Locator:
    return questions_panel(page).locator("li.question")


def add_question_sentence(page: Page, text: str) -> None:
    """Add a question as one sentence in ‘De leervraag’ and wait for it to show."""
    settled(page)
    add = page.get_by_role("region", name="Nieuwe vraag toevoegen")
    count = question_items(page).count()
    add.get_by_label("De leervraag").fill(text)
    expect(add.locator("#preview")).to_contain_text(text)
    add.get_by_role("button", name="Vraag toevoegen").click()
    expect(question_items(page)).to_have_count(count + 1)
    expect(question_items(page).last).to_contain_text(text)
    settled(page)


def add_first_questions(page: Page) -> None:
    settled(page)
    add = page.get_by_role("region", name="Nieuwe vraag toevoegen")
    # Question A through the two-field helper, with the live preview of the whole sentence.
    add.get_by_label("Hoe kan ik / kunnen we …").fill(GOAL)
    add.get_by_label("… terwijl …", exact=True).fill(BARRIER)
    preview = add.locator("#preview")
    expect(preview).to_contain_text("Zo komt de vraag op de agenda:")
    expect(preview.locator(".preview-text")).to_have_text(QUESTION_A)
    add.get_by_role("button", name="Vraag toevoegen").click()
    expect(question_items(page)).to_have_count(1)
    settled(page)
    # The helper is empty again for the next question.
    expect(add.get_by_label("Hoe kan ik / kunnen we …")).to_have_value("")

    add_question_sentence(page, QUESTION_B)
    add_question_sentence(page, QUESTION_C)

    items = question_items(page)
    expect(items.locator(".question-text > .label")).to_have_text(["A.", "B.", "C."])
    expect(items.nth(0)).to_contain_text(QUESTION_A)
    expect(items.nth(1)).to_contain_text(QUESTION_B)
    expect(items.nth(2)).to_contain_text(QUESTION_C)
    for index in range(3):
        expect(items.nth(index).get_by_role("list", name="Tips bij deze vraag")).to_have_count(0)

    # A question without "terwijl" is kept, with a friendly hint; then it is deleted again.
    add_question_sentence(page, QUESTION_WITHOUT_TERWIJL)
    fourth = question_items(page).nth(3)
    expect(fourth.locator(".question-text > .label")).to_have_text("D.")
    expect(fourth.get_by_role("list", name="Tips bij deze vraag")).to_contain_text(HINT_NO_TERWIJL)
    fourth.get_by_role("button", name="Vraag D verwijderen").click()
    expect(question_items(page)).to_have_count(3)
    settled(page)
    expect(questions_panel(page)).not_to_contain_text(QUESTION_WITHOUT_TERWIJL)


def edit_question_b(page: Page) -> None:
    questions_panel(page).get_by_role("button", name="Vraag B bewerken").click()
    editor = questions_panel(page).locator("li.question.is-editing")
    expect(editor).to_have_count(1)
    settled(page)
    field = editor.get_by_label("De leervraag")
    expect(field).to_have_value(QUESTION_B)
    expect(field).to_be_focused()
    field.fill(QUESTION_B_EDITED)
    editor.get_by_role("button", name="Opslaan").click()
    expect(editor).to_have_count(0)
    settled(page)
    items = question_items(page)
    expect(items.nth(1)).to_contain_text(QUESTION_B_EDITED)
    expect(items.nth(1).locator(".question-text > .label")).to_have_text("B.")
    expect(questions_panel(page)).not_to_contain_text(QUESTION_B)


def publish(page: Page, number: int) -> None:
    settled(page)
    page.get_by_role("button", name="Versie vaststellen").click()
    heading = page.get_by_role("heading", name=f"Versie {number}", level=1)
    expect(heading).to_contain_text("Vastgesteld")
    expect(page.get_by_text(f"Versie {number} is vastgesteld.")).to_be_visible()


def expect_no_edit_controls(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vastgesteld")
    expect(page.get_by_role("button", name=re.compile("Bewerken", re.I))).to_have_count(0)
    expect(page.get_by_text("Bewerken", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Versie vaststellen")).to_have_count(0)
    expect(page.get_by_role("button", name="Vraag toevoegen")).to_have_count(0)
    expect(page.get_by_role("link", name="Gegevens bewerken")).to_have_count(0)
    # Left to type in: the comment box (comments never change the version) and how reports
    # cite the version ("bijlage 2.4"), which is not part of the document either.
    expect(page.get_by_role("main").get_by_role("textbox")).to_have_count(2)
    expect(page.get_by_label("Uw reactie")).to_be_visible()
    expect(page.get_by_label("Verwijzing in rapporten")).to_be_visible()


def transition_row(page: Page, text: str) -> Locator:
    section = page.get_by_role("region", name=re.compile(r"^Wat gebeurt er met de vragen"))
    return section.locator("li.transition-row").filter(has_text=text)


def progress(page: Page) -> Locator:
    section = page.get_by_role("region", name=re.compile(r"^Wat gebeurt er met de vragen"))
    return section.get_by_role("status")


# --- tests -----------------------------------------------------------------------------------


def test_main_flow(page: Page, browser_log, admin_account):
    accept_dialogs(page)
    # Publishing too early is refused with a 422; the browser logs that failed request.
    browser_log.allow(r"status of 422 .*/versies/\d+/vaststellen\)$")

    # 1-2. Region, agenda, first version.
    create_region_and_agenda(page)
    create_first_version(page)

    # 3. Questions: helper, sentences, a hint, a delete.
    add_first_questions(page)

    # 4. Inline edit.
    edit_question_b(page)

    # 5. Publish version 1: it no longer shows edit controls.
    publish(page, 1)
    expect_no_edit_controls(page)
    document = page.get_by_role("region", name="Leervragen")
    expect(document.get_by_role("listitem")).to_have_text(
        [f"A. {QUESTION_A}", f"B. {QUESTION_B_EDITED}", f"C. {QUESTION_C}"]
    )

    # 6. Version 2: a transition for every question of version 1.
    page.get_by_role("navigation", name="Kruimelpad").get_by_role(
        "link", name="Leeragenda ICR's"
    ).click()
    versions = page.get_by_role("region", name="Versies")
    expect(versions.get_by_role("row", name=re.compile("Versie 1"))).to_contain_text("Vastgesteld")
    expect(versions.get_by_role("row", name=re.compile("Versie 1"))).to_contain_text("24-02-2020")
    page.get_by_role("link", name="Nieuwe versie starten").click()
    expect(page.get_by_text("De nieuwe versie begint als kopie van versie 1.")).to_be_visible()
    page.get_by_role("button", name="Versie maken").click()
    expect(page.get_by_role("heading", name="Versie 2", level=1)).to_contain_text("Concept")
    expect(progress(page)).to_have_text("0 van 3 vragen gekozen; nog 3 te gaan.")
    settled(page)

    # A stays.
    row_a = transition_row(page, QUESTION_A)
    row_a.get_by_role("button", name="Blijft staan").click()
    expect(row_a.locator(".decision")).to_have_text("Blijft staan")
    expect(progress(page)).to_have_text("1 van 3 vragen gekozen; nog 2 te gaan.")
    settled(page)

    # B is reworded inline.
    row_b = transition_row(page, QUESTION_B_EDITED)
    row_b.get_by_role("button", name="Andere keuze voor vraag B").click()
    kind = row_b.get_by_label("Wat gebeurt er met deze vraag?")
    expect(kind).to_be_visible()
    settled(page)
    expect(kind).to_be_focused()
    expect(row_b.get_by_label("Nieuwe formulering")).to_be_hidden()
    kind.select_option(label="Geherformuleerd")
    wording = row_b.get_by_label("Nieuwe formulering")
    expect(wording).to_be_visible()
    expect(wording).to_have_value(QUESTION_B_EDITED)
    expect(row_b.get_by_label("Reden")).to_be_hidden()
    wording.fill(QUESTION_B_REWORDED)
    row_b.get_by_role("button", name="Keuze opslaan").click()
    expect(row_b.locator(".decision")).to_contain_text("Geherformuleerd")
    expect(progress(page)).to_have_text("2 van 3 vragen gekozen; nog 1 te gaan.")
    expect(question_items(page).filter(has_text=QUESTION_B_REWORDED)).to_have_count(1)
    settled(page)

    # Publishing before C is decided is refused, in Dutch, and nothing changes.
    page.get_by_role("button", name="Versie vaststellen").click()
    # The refusal appears next to the button, in view.
    refusal = page.locator("#publish-errors").get_by_role("alert")
    expect(refusal).to_contain_text("Nog niet klaar")
    expect(refusal).to_be_in_viewport()
    expect(refusal).to_contain_text("C")
    expect(page.get_by_role("heading", name="Versie 2", level=1)).to_contain_text("Concept")
    page.reload()
    expect(page.get_by_role("heading", name="Versie 2", level=1)).to_contain_text("Concept")
    settled(page)

    # C is dropped, with a reason.
    row_c = transition_row(page, QUESTION_C)
    row_c.get_by_role("button", name="Andere keuze voor vraag C").click()
    expect(row_c.get_by_label("Wat gebeurt er met deze vraag?")).to_be_visible()
    settled(page)
    row_c.get_by_label("Wat gebeurt er met deze vraag?").select_option(label="Vervallen")
    reason = row_c.get_by_label("Reden")
    expect(reason).to_be_visible()
    reason.select_option(label="Niet meer urgent")
    row_c.get_by_role("button", name="Keuze opslaan").click()
    expect(row_c.locator(".decision")).to_contain_text("Vervallen")
    expect(row_c.locator(".decision")).to_contain_text("(Niet meer urgent)")
    expect(progress(page)).to_have_text("3 van 3 vragen gekozen.")
    expect(page.get_by_role("region", name="Vaststellen")).to_contain_text("Alles is klaar.")

    # A new question, then publish version 2.
    add_question_sentence(page, QUESTION_NEW)
    expect(question_items(page).locator(".question-text > .label")).to_have_text(["A.", "B.", "C."])
    publish(page, 2)
    expect_no_edit_controls(page)

    # 7. Compare with version 1.
    page.get_by_role("link", name="Vergelijk met versie 1").click()
    expect(page.get_by_role("heading", name="Versies vergelijken")).to_be_visible()
    expect(page.get_by_role("heading", name="Versie 1 → versie 2")).to_be_visible()
    table = page.locator("table.compare")
    expect(table.get_by_role("row", name=re.compile("^Blijft staan"))).to_contain_text(QUESTION_A)
    reworded = table.get_by_role("row", name=re.compile("^Geherformuleerd"))
    expect(reworded).to_have_count(1)
    expect(reworded.locator("del")).not_to_have_count(0)
    expect(reworded.locator("ins")).not_to_have_count(0)
    expect(reworded.locator("del").first).to_contain_text("snel")
    expect(reworded.locator("ins").first).to_contain_text("binnen twee weken")
    dropped = table.get_by_role("row", name=re.compile("^Vervallen"))
    expect(dropped).to_contain_text(QUESTION_C)
    expect(dropped).to_contain_text("Vervallen")
    expect(table.get_by_role("row", name=re.compile("^Nieuw"))).to_contain_text(QUESTION_NEW)

    # 8. The question page of A, reached from the version page.
    page.go_back()
    expect(page.get_by_role("heading", name="Versie 2", level=1)).to_be_visible()
    page.get_by_role("region", name="Leervragen").get_by_role("link", name=QUESTION_A).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Leervraag")
    expect(page.get_by_text(QUESTION_A).first).to_be_visible()
    history = page.get_by_role("region", name="Geschiedenis")
    entries = history.get_by_role("listitem")
    expect(entries).to_have_count(2)
    expect(entries.nth(0)).to_contain_text("versie 1")
    expect(entries.nth(1)).to_contain_text("versie 2")
    expect(history).to_contain_text("Blijft staan")
    figures = page.get_by_role("region", name="Hardnekkigheid")
    in_versions = figures.locator("dl.figures > div").filter(
        has=page.get_by_role("term").filter(has_text="In versies")
    )
    expect(in_versions.get_by_role("definition")).to_have_text("2")


def test_published_version_is_immutable(page: Page, browser_log, admin_account):
    accept_dialogs(page)
    # The refused POST below answers 409; the browser logs that failed request.
    browser_log.allow(r"status of 409 .*/versies/\d+/vragen\)$")
    create_region_and_agenda(page)
    create_first_version(page)
    add_question_sentence(page, QUESTION_A)
    publish(page, 1)

    expect_no_edit_controls(page)
    version_id = int(re.search(r"/versies/(\d+)", page.url).group(1))

    result = page.evaluate(
        """async (url) => {
            const headers = JSON.parse(document.body.getAttribute("hx-headers"));
            const body = new FormData();
            body.append("text", "Hoe kan ik dit toch wijzigen, terwijl de versie vaststaat?");
            const response = await fetch(url, {method: "POST", headers, body});
            return {status: response.status, text: await response.text()};
        }""",
        f"/versies/{version_id}/vragen",
    )
    assert result["status"] == 409, result
    assert "Deze versie is vastgesteld" in result["text"], result["text"]
    assert "sessie is verlopen" not in result["text"]  # the CSRF token was accepted

    page.reload()
    document = page.get_by_role("region", name="Leervragen")
    expect(document.get_by_role("listitem")).to_have_text([f"A. {QUESTION_A}"])
    expect_no_edit_controls(page)


def test_adding_a_question_leaves_the_rest_of_the_workspace_as_it_was(
    page: Page, browser, base_url, browser_log, admin_account
):
    """A new question swaps in its own line, not the whole workspace: an editor opened on
    another question keeps what was typed in it. When someone else changed the list
    meanwhile, a notice offers to show the whole list again."""
    create_region_and_agenda(page)
    create_first_version(page)
    add_question_sentence(page, QUESTION_A)
    add_question_sentence(page, QUESTION_B)

    questions_panel(page).get_by_role("button", name="Vraag A bewerken").click()
    editor = questions_panel(page).locator("li.question.is-editing")
    expect(editor).to_have_count(1)
    settled(page)
    editor.get_by_label("De leervraag").fill(QUESTION_A + " Nog niet opgeslagen")

    add_question_sentence(page, QUESTION_C)
    expect(editor).to_have_count(1)
    expect(editor.get_by_label("De leervraag")).to_have_value(QUESTION_A + " Nog niet opgeslagen")
    expect(page.get_by_role("region", name="Nieuwe vraag toevoegen")).to_contain_text(
        "Vraag C is toegevoegd."
    )

    # Someone else adds a question in their own browser.
    other_context, other = new_page(browser, base_url, browser_log)
    try:
        login(other, ADMIN_EMAIL)
        other.goto(page.url)
        add_question_sentence(other, QUESTION_NEW)
    finally:
        other_context.close()

    # This page does not show it yet; the next question says the list changed meanwhile.
    expect(questions_panel(page)).not_to_contain_text(QUESTION_NEW)
    add_question_sentence(page, QUESTION_WITHOUT_TERWIJL)
    expect(question_items(page).last.locator(".question-text > .label")).to_have_text("E.")
    notice = questions_panel(page).locator("#workspace-notice")
    expect(notice).to_contain_text(
        "Intussen hebben anderen de vragen van deze versie ook veranderd."
    )
    notice.get_by_role("button", name="Toon de hele lijst opnieuw").click()
    settled(page)
    items = question_items(page)
    expect(items.locator(".question-text > .label")).to_have_text(["A.", "B.", "C.", "D.", "E."])
    expect(items.nth(3)).to_contain_text(QUESTION_NEW)
    expect(questions_panel(page).locator("#workspace-notice")).to_have_text("")
