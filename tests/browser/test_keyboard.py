"""The main flow with the keyboard alone: log in, start a new version, decide every question,
publish. Only ``page.keyboard`` acts (Tab, Shift+Tab, Enter, Space, arrow keys, typing); the
test reads the page to check where the focus is and that it can be seen.

Along the way: the first Tab stop is the skip link and it moves the focus to the main
content; every focused control shows a focus indicator; after an htmx swap the focus stays
in the part of the page the person was working in instead of falling back to <body>, and
the progress line that htmx swaps in is read out by the page's live region.

The facilitator screen's one-character shortcuts can be switched off (WCAG 2.1.4).
"""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Locator, Page, expect

from dla.extensions import db
from tests.browser.conftest import PASSWORD, login, published_agenda

QUESTIONS = [
    "Hoe kan ik als ICR regie houden, terwijl ik geen doorzettingsmacht heb?",
    "Hoe kunnen we één plan per gezin maken, terwijl elk domein een eigen plan heeft?",
    "Hoe kan ik tijd maken voor intervisie, terwijl mijn caseload te hoog is?",
]
REWORDED = "Hoe kunnen we één plan per gezin maken, terwijl elk domein een eigen overleg heeft?"
MAX_TABS = 80

# The element that has the focus, described for failure messages.
FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return '<body>';
    const name = e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].innerText)
        || e.innerText || e.value || '';
    return `<${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}> ${name.trim().slice(0, 60)}`;
}"""
FOCUS_INDICATOR = """() => {
    const style = getComputedStyle(document.activeElement);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return outline || style.boxShadow !== 'none';
}"""


@pytest.fixture
def agenda(live_server, _empty_tables):
    """An agenda with one published version of three questions, and its projectleider."""
    return published_agenda(live_server, "Regio Toetsenbord", QUESTIONS)[1]


# --- helpers ------------------------------------------------------------------------------


def focused(page: Page) -> str:
    return page.evaluate(FOCUSED)


def has_focus(locator: Locator) -> bool:
    return locator.evaluate_all("els => els.includes(document.activeElement)")


def expect_visible_focus(page: Page) -> None:
    assert page.evaluate(FOCUS_INDICATOR), f"no visible focus indicator on {focused(page)}"


def tab_to(page: Page, role: str, name: str, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the element with this role and accessible name has the
    focus; fail after MAX_TABS presses. The focused element must show that it has focus."""
    target = page.get_by_role(role, name=name, exact=True)
    expect(target.first).to_be_attached()
    visited = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if has_focus(target):
            expect_visible_focus(page)
            return
        visited.append(focused(page))
    raise AssertionError(
        f"{role} {name!r} not reached in {MAX_TABS} presses; focus went to:\n  "
        + "\n  ".join(dict.fromkeys(visited))
    )


def choose(page: Page, option: str) -> None:
    """In the focused <select>, press ArrowDown until ``option`` is chosen."""
    for _ in range(20):
        if page.evaluate("() => document.activeElement.selectedOptions[0].label") == option:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"option {option!r} not found in {focused(page)}")


def settled(page: Page) -> None:
    """htmx has finished its requests, swaps and settling (see test_main_flow.settled)."""
    busy = page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")
    expect(busy).to_have_count(0)


def expect_focus_in(page: Page, locator: Locator) -> None:
    """After an htmx swap the focus is inside ``locator``, not lost to <body>."""
    settled(page)
    expect(locator).to_have_count(1)
    inside = locator.evaluate("el => el.contains(document.activeElement)")
    assert inside, f"focus is on {focused(page)}, not in the part that was swapped"
    expect_visible_focus(page)


def row(page: Page, label: str) -> Locator:
    return page.locator("li.transition-row").filter(has_text=f"{label}.")


# --- the flow -------------------------------------------------------------------------------


def test_main_flow_by_keyboard_alone(page: Page, agenda):
    page.on("dialog", lambda dialog: dialog.accept())  # "Versie vaststellen?" – OK

    # Log in: the e-mail field has the focus when the page opens.
    page.goto("/inloggen")
    expect(page.get_by_label("E-mailadres")).to_be_focused()
    page.keyboard.type("pl@test.nl")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Wachtwoord")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Regio's", level=1)).to_be_visible()

    # The first Tab stop is the skip link; it shows itself and takes the focus to the content.
    page.goto(f"/agendas/{agenda}")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    expect_visible_focus(page)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # The next Tab stop is inside the main content, past the header's menu.
    page.keyboard.press("Tab")
    assert page.locator("main").evaluate("main => main.contains(document.activeElement)")

    # Start the new version.
    tab_to(page, "link", "Nieuwe versie starten")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nieuwe versie")
    tab_to(page, "textbox", "Aanleiding")
    page.keyboard.type("Naar aanleiding van de werksessie op 12 maart 2026")
    tab_to(page, "button", "Versie maken")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Concept")
    expect(page.get_by_text("0 van 3 vragen gekozen")).to_be_visible()

    # A: blijft staan (Space presses a button as well as Enter does).
    tab_to(page, "button", "Blijft staan")
    expect(row(page, "A").get_by_role("button", name="Blijft staan")).to_be_focused()
    page.keyboard.press("Space")
    expect(row(page, "A")).to_contain_text("Blijft staan")
    expect_focus_in(page, row(page, "A"))
    # The swapped-in progress line is read out by the page's live region.
    expect(page.locator("#announcer")).to_have_text("1 van 3 vragen gekozen; nog 2 te gaan.")

    # B: geherformuleerd, with the new wording.
    tab_to(page, "button", "Andere keuze voor vraag B")
    page.keyboard.press("Enter")
    kind = row(page, "B").get_by_label("Wat gebeurt er met deze vraag?")
    expect(kind).to_be_focused()
    choose(page, "Geherformuleerd")
    wording = row(page, "B").get_by_role("textbox", name="Nieuwe formulering")
    expect(wording).to_be_visible()
    # The swap that shows the field gives focus back to the choice when it settles; typing
    # before that would land in the <select>.
    settled(page)
    expect(row(page, "B").get_by_label("Wat gebeurt er met deze vraag?")).to_be_focused()
    page.keyboard.press("Tab")
    expect(wording).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type(REWORDED)
    tab_to(page, "button", "Keuze opslaan")
    page.keyboard.press("Enter")
    expect(row(page, "B")).to_contain_text("Geherformuleerd")
    expect_focus_in(page, row(page, "B"))
    expect(page.locator("#announcer")).to_have_text("2 van 3 vragen gekozen; nog 1 te gaan.")

    # C: vervallen, with a reason and a note. Shift+Tab goes back from the note to the reason.
    tab_to(page, "button", "Andere keuze voor vraag C")
    page.keyboard.press("Enter")
    expect(row(page, "C").get_by_label("Wat gebeurt er met deze vraag?")).to_be_focused()
    choose(page, "Vervallen")
    settled(page)
    tab_to(page, "textbox", "Antwoord, actie of toelichting")
    page.keyboard.type("Besproken in het teamoverleg; niet meer aan de orde.")
    tab_to(page, "combobox", "Reden", backwards=True)
    choose(page, "Wordt elders opgepakt")
    tab_to(page, "button", "Keuze opslaan")
    page.keyboard.press("Enter")
    expect(row(page, "C")).to_contain_text("Vervallen")
    expect_focus_in(page, row(page, "C"))
    expect(page.locator("#announcer")).to_have_text("3 van 3 vragen gekozen.")

    # Publish.
    tab_to(page, "button", "Versie vaststellen")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vastgesteld")
    document = page.get_by_role("region", name="Leervragen")
    expect(document).to_contain_text(QUESTIONS[0])
    expect(document).to_contain_text(REWORDED)
    expect(document).not_to_contain_text(QUESTIONS[2])


@pytest.fixture
def open_session(live_server, agenda):
    """An open werksessie about the agenda's published version."""
    from dla.agendas.models import Agenda
    from dla.werksessies import planning
    from dla.werksessies import services as sessions

    with live_server.app.app_context():
        the_agenda = db.session.get(Agenda, agenda)
        ws = planning.plan_session(
            the_agenda.region,
            agenda_ids=[agenda],
            title="Werksessie ICR's",
            session_date=date(2026, 3, 12),
        )
        sessions.open_session(ws)
        db.session.commit()
        ws_id = ws.id
        db.session.remove()
    return ws_id


def test_single_key_shortcuts_can_be_switched_off(page: Page, open_session):
    """WCAG 2.1.4: the facilitator screen's one-character shortcuts can be switched off (and
    stay off); the arrow keys keep working."""
    login(page, "pl@test.nl")
    page.goto(f"/werksessies/{open_session}/leiden")
    progress = page.locator(".stage .progress")
    expect(progress).to_contain_text("Vraag 1 van 3 · 0 besproken")
    switch = page.get_by_role("checkbox", name="Sneltoetsen van één teken gebruiken")
    expect(switch).to_be_checked()

    tab_to(page, "checkbox", "Sneltoetsen van één teken gebruiken (cijfers, J, K en N)")
    page.keyboard.press("Space")
    expect(switch).not_to_be_checked()
    page.keyboard.press("Escape")  # leaves the checkbox
    expect(switch).not_to_be_focused()
    page.keyboard.press("1")  # switched off: no decision
    page.keyboard.press("j")  # switched off: stays at question 1
    page.keyboard.press("ArrowRight")  # still works
    expect(progress).to_contain_text("Vraag 2 van 3 · 0 besproken")

    # The choice is remembered; switched on again, "1" decides.
    page.goto(f"/werksessies/{open_session}/leiden")
    expect(progress).to_contain_text("Vraag 2 van 3 · 0 besproken")
    expect(switch).not_to_be_checked()
    tab_to(page, "checkbox", "Sneltoetsen van één teken gebruiken (cijfers, J, K en N)")
    page.keyboard.press("Space")
    page.keyboard.press("Escape")
    page.keyboard.press("1")
    expect(page.locator("#decision-now")).to_contain_text("Blijft staan")
    expect(progress).to_contain_text("Vraag 2 van 3 · 1 besproken")
