"""WCAG 2.1 AA: axe-core checks every page type, logged in as every role that can see it.

One realistic world (the demo workspace plus an open and a planned werksessie, a region
beheerder and an invitation) is built once for the module. Each role gets one browser context
and walks through its pages (PAGES); on every page the inline editors, details and chart
tables are opened first, so that what a person can reach is what axe checks. Forms are also
sent with errors. A page passes when axe (rules tagged wcag2a, wcag2aa, wcag21a and wcag21aa)
finds no serious or critical violation, the document says ``<html lang="nl">``, no id occurs
twice and the page does not scroll sideways. The failure message lists every problem of every
page of the role, with the rule, its help text and the offending elements.

Besides the desktop tours: every page once on a 320px wide screen (reflow), and a werksessie
participant without an account on a phone (code entry, join page, phone view, errors).
``test_every_page_route_is_in_the_tour`` keeps PAGES complete as routes are added.

axe-core comes with the ``axe-playwright-python`` package (axe.min.js in the wheel), so
nothing is fetched at run time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlalchemy import select

from dla.extensions import db
from tests.browser.conftest import PASSWORD, empty_tables, login, new_page

AXE = Axe()
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = ("serious", "critical")
NARROW = {"width": 320, "height": 640}

PL, DN, TF, OZ, BH, ADMIN, ANON, PHONE = (
    "projectleider",
    "deelnemer",
    "taskforce",
    "onderzoeker",
    "beheerder",
    "admin",
    "anoniem",
    "telefoon",
)
READ = {PL, DN, TF, OZ}
LOGGED_IN = {PL, DN, TF, OZ, BH, ADMIN}
AUDIT = {PL, TF, OZ}
SESSION_READ = {PL, TF, OZ}
MEASURE = {PL, OZ}
DEMO_PASSWORDS = {
    PL: ("projectleider@demo.dla", "demo-vlinder-2024"),
    DN: ("deelnemer@demo.dla", "demo-lantaarn-2024"),
    TF: ("taskforce@demo.dla", "demo-molenwiek-2024"),
    OZ: ("onderzoeker@demo.dla", "demo-duinpan-2024"),
    ADMIN: ("beheer@demo.dla", "demo-zeppelin-2024"),
    BH: ("regiobeheer@test.nl", PASSWORD),
}
IMPORT_TEXT = """Leeragenda ICR's
Versie: 7
Datum: 2 juni 2026
Naar aanleiding van de werksessie op 28 mei 2026

A. Hoe kan ik als ICR regie houden, terwijl ik geen doorzettingsmacht heb?
B. Hoe kunnen we samen één plan maken, terwijl ieder zijn eigen plan heeft?
"""


# --- the world ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(live_server):
    """The demo workspace plus what the demo lacks; returns the ids the pages need."""
    from dla.analysis.models import BarrierItem, Milestone
    from dla.auth import services as auth
    from dla.demo import RIJNMOND, load_demo
    from dla.measurements.models import Indicator, Observation
    from dla.regions.models import Region
    from dla.werksessies import participation, planning
    from dla.werksessies import services as sessions
    from dla.werksessies.models import Werksessie

    empty_tables(live_server)
    with live_server.app.app_context():
        load_demo()
        region = db.session.scalar(select(Region).where(Region.name == RIJNMOND))
        agendas = {a.level: a for a in region.agendas}
        icr, network = agendas["operationeel"], agendas["netwerk"]
        versions = sorted(icr.versions, key=lambda v: v.number)
        concept, published, first = versions[-1], versions[-2], versions[0]
        assert not concept.is_published and published.is_published
        wording = concept.wordings[0]
        item = db.session.scalar(
            select(BarrierItem)
            .where(BarrierItem.region_id == region.id, BarrierItem.kind == "barriere")
            .order_by(BarrierItem.id)
        )
        milestone = db.session.scalar(
            select(Milestone).where(Milestone.region_id == region.id).order_by(Milestone.id)
        )
        indicator = db.session.scalar(
            select(Indicator)
            .join(Observation)
            .where(Indicator.region_id == region.id, Indicator.kind == "aantal")
            .order_by(Indicator.id)
        )
        closed = db.session.scalar(select(Werksessie).where(Werksessie.region_id == region.id))
        from dla.citations import services as citations
        from dla.glossary.models import GlossaryTerm

        quotation = citations.create_quotation(
            first.wordings[0], created_by_id=None, today=date(2026, 6, 1)
        )
        term = db.session.scalar(
            select(GlossaryTerm)
            .where(GlossaryTerm.region_id == region.id)
            .order_by(GlossaryTerm.id)
        )

        admin = auth.authenticate(*DEMO_PASSWORDS[ADMIN])
        beheerder = auth.create_user(DEMO_PASSWORDS[BH][0], "Ria Regiobeheer", PASSWORD)
        auth.set_membership(beheerder, region.id, "beheerder")
        _invitation, token = auth.create_invitation(
            region.id, "nieuw@test.nl", "deelnemer", by=admin
        )
        planned = planning.plan_session(
            region,
            agenda_ids=[icr.id],
            title="Reflectiesessie ICR's juni",
            kind="reflectiesessie",
            session_date=date(2026, 6, 16),
            notes="In de raadszaal.",
        )
        live = planning.plan_session(
            region,
            agenda_ids=[network.id],
            title="Werksessie ketenpartners",
            session_date=date(2026, 6, 2),
            allow_anonymous=True,
        )
        sessions.open_session(live)
        person, _token = participation.join(live, role="professional", display_name="Kim")
        participation.vote(live, person, wording_id=live.focus_wording_id, value="staat_nog")
        participation.add_contribution(
            live,
            person,
            text="Hoe kunnen we de ketentafel voorbereiden, terwijl de stukken laat komen?",
        )
        db.session.commit()
        ids = {
            "region": region.id,
            "icr": icr.id,
            "network": network.id,
            "concept": concept.id,
            "published": published.id,
            "first": first.id,
            "wording": wording.id,
            "thread": wording.thread_id,
            "item": item.id,
            "aspect": item.aspect_id,
            "actor": item.actor_id,
            "milestone": milestone.id,
            "indicator": indicator.id,
            "closed": closed.id,
            "planned": planned.id,
            "live": live.id,
            "code": live.code,
            "token": token,
            "quotation": quotation.id,
            "term": term.id,
        }
        db.session.remove()
    return ids


@pytest.fixture(autouse=True)
def _empty_tables(live_server, world):
    """The world stays for the whole module: only the server's errors and the login throttle
    are reset per test (this overrides the conftest fixture that empties the tables)."""
    from dla.extensions import limiter

    live_server.errors.records.clear()
    with live_server.app.app_context():
        limiter.reset()
    yield


# --- the pages -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """One page as a role sees it: the URL, who may see it, and what to open before axe runs."""

    name: str
    path: str
    roles: frozenset[str]
    status: int = 200
    prepare: Callable[[Page, str], None] | None = None
    # The 4xx that ``prepare`` provokes on purpose (a form sent with errors).
    refused: int | None = None


def visit(name, path, roles, status=200, prepare=None, refused=None) -> Visit:
    return Visit(name, path, frozenset(roles), status, prepare, refused)


def open_all_details(page: Page) -> None:
    """Open every <details> (cells, chart tables, add forms), so axe checks their content."""
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")


def wait_for_charts(page: Page) -> None:
    """Until plotly has drawn every chart and charts.js has hidden the drawing (the figure's
    label and the table speak for it)."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-chart]')].every(chart => {
            const drawing = chart.querySelectorAll('svg.main-svg');
            return drawing.length && [...drawing].every(svg => svg.matches('[aria-hidden=true]'));
        })"""
    )


def charts(page: Page, role: str) -> None:
    wait_for_charts(page)
    open_all_details(page)


def region_charts(page: Page, role: str) -> None:
    """The heat map switches to hardnekkige questions through htmx; check that state too."""
    charts(page, role)
    page.get_by_label("Tel per cel").select_option(index=1)
    expect(page.locator("#f-measure option:checked")).not_to_have_text(
        page.locator("#f-measure option").first.inner_text()
    )
    wait_for_charts(page)


def concept_editors(page: Page, role: str) -> None:
    """Open the question editor, a transition editor and every details of the workspace."""
    if role == PL:
        # Two editors of each kind at once: their fields must not share ids.
        for count, label in enumerate("AB", start=1):
            page.get_by_role("button", name=f"Vraag {label} bewerken").click()
            expect(page.locator("li.question.is-editing")).to_have_count(count)
        for count, label in enumerate("BC", start=1):
            page.get_by_role("button", name=f"Andere keuze voor vraag {label}").click()
            expect(page.get_by_label("Wat gebeurt er met deze vraag?")).to_have_count(count)
    open_all_details(page)


def concept_with_errors(page: Page, role: str) -> None:
    """Send the add-question form empty: the workspace comes back with the error (422)."""
    page.get_by_role("button", name="Vraag toevoegen").click()
    expect(page.locator("#add-question .alert-error, #add-question .error").first).to_be_visible()


def matrix_cell(page: Page, role: str) -> None:
    open_all_details(page)
    if role == PL:
        page.get_by_role("link", name=re.compile("^\\+ Item toevoegen bij")).first.click()
        expect(page.locator("form.cell-form textarea")).to_be_visible()


def import_preview(page: Page, role: str) -> None:
    page.get_by_label("Tekst van de leeragenda").fill(IMPORT_TEXT)
    page.get_by_role("button", name="Inlezen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Klopt dit?")


def lead_screen(page: Page, role: str) -> None:
    """The decision forms of the stage, and the editor of an incoming question."""
    page.get_by_role("button", name="Bewerken of samenvoegen").click()
    expect(page.locator(".incoming-editor").get_by_label("Tekst")).to_be_focused()
    open_all_details(page)


def citation_results(page: Page, role: str) -> None:
    """The example report checked: every quote with its source, a wrong tag flagged."""
    page.get_by_role("link", name="Voorbeeld invullen").click()
    page.get_by_role("button", name="Controleren").click()
    expect(page.locator(".citation-wrong").first).to_be_visible()


def citation_with_errors(page: Page, role: str) -> None:
    page.get_by_role("button", name="Controleren").click()
    expect(page.locator("#citation-results .alert-error")).to_be_visible()


def agenda_form_with_errors(page: Page, role: str) -> None:
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".field-error").first).to_be_visible()


def password_with_errors(page: Page, role: str) -> None:
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".field-error").first).to_be_visible()


def login_with_errors(page: Page, role: str) -> None:
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator(".field-error").first).to_be_visible()


def invitation_with_errors(page: Page, role: str) -> None:
    page.get_by_label("Wachtwoord").fill("kort")
    page.get_by_role("button", name="Account maken en inloggen").click()
    expect(page.locator(".field-error").first).to_be_visible()


PAGES = [
    # Anonymous visitors.
    visit("inloggen", "/inloggen", {ANON}),
    visit("inloggen met fouten", "/inloggen", {ANON}, prepare=login_with_errors, refused=422),
    visit("uitnodiging", "/uitnodiging/{token}", {ANON}),
    visit(
        "uitnodiging met fouten",
        "/uitnodiging/{token}",
        {ANON},
        prepare=invitation_with_errors,
        refused=422,
    ),
    visit("doe mee", "/doe-mee", {ANON, PHONE, PL, DN}),
    # Everybody who is logged in.
    visit("regio's", "/", LOGGED_IN),
    visit("wachtwoord", "/account/wachtwoord", LOGGED_IN),
    visit(
        "wachtwoord met fouten",
        "/account/wachtwoord",
        {PL, BH},
        prepare=password_with_errors,
        refused=422,
    ),
    visit("niet gevonden", "/bestaat-niet", LOGGED_IN | {ANON}, status=404),
    # Regions, agendas, versions.
    visit("regio", "/regios/{region}", READ),
    visit("regio bewerken", "/regios/{region}/bewerken", {PL, BH, ADMIN}),
    visit("regio nieuw", "/regios/nieuw", {ADMIN}),
    visit("agenda", "/agendas/{icr}", READ),
    visit("agenda nieuw", "/regios/{region}/agendas/nieuw", {PL}),
    visit(
        "agenda nieuw met fouten",
        "/regios/{region}/agendas/nieuw",
        {PL},
        prepare=agenda_form_with_errors,
        refused=422,
    ),
    visit("agenda bewerken", "/agendas/{icr}/bewerken", {PL}),
    visit("versie vastgesteld", "/versies/{published}", READ),
    visit("versie concept", "/versies/{concept}", READ, prepare=concept_editors),
    visit(
        "concept met fouten",
        "/versies/{concept}",
        {PL, DN},
        prepare=concept_with_errors,
        refused=422,
    ),
    visit("versie gegevens", "/versies/{concept}/bewerken", {PL}),
    visit("versie nieuw", "/agendas/{network}/versies/nieuw", {PL, OZ}),
    visit("vergelijken", "/agendas/{icr}/vergelijken?van={first}&naar={published}", READ),
    visit("afdrukken", "/versies/{published}/afdrukken", READ),
    visit("leervraag", "/leervragen/{thread}", READ, prepare=lambda p, r: open_all_details(p)),
    visit("inlezen", "/regios/{region}/importeren", {PL, OZ}),
    visit("inlezen voorbeeld", "/regios/{region}/importeren", {PL, OZ}, prepare=import_preview),
    # Citations and the begrippenlijst.
    visit("citaten controleren", "/regios/{region}/citaten", {PL, OZ}),
    visit("citaten resultaat", "/regios/{region}/citaten", {PL, OZ}, prepare=citation_results),
    visit(
        "citaten met fouten",
        "/regios/{region}/citaten",
        {OZ},
        prepare=citation_with_errors,
        refused=422,
    ),
    visit("citaat", "/citaten/{quotation}", {PL, TF, OZ}),
    visit("begrippenlijst", "/regios/{region}/begrippen", READ),
    visit("begrip bewerken", "/begrippen/{term}/bewerken", {PL}),
    # System analysis.
    visit("systeemanalyse", "/regios/{region}/systeemanalyse", READ, prepare=matrix_cell),
    visit("cel", "/regios/{region}/systeemanalyse/cellen/{aspect}/{actor}", READ),
    visit("barriere", "/barrieres/{item}", READ, prepare=lambda p, r: open_all_details(p)),
    visit("barriere bewerken", "/barrieres/{item}/bewerken", {PL}),
    visit("hardnekkig", "/regios/{region}/hardnekkige-barrieres", READ),
    visit("mijlpalen", "/regios/{region}/mijlpalen", READ),
    visit("mijlpaal", "/mijlpalen/{milestone}", READ, prepare=lambda p, r: open_all_details(p)),
    visit("mijlpaal nieuw", "/regios/{region}/mijlpalen/nieuw", {PL}),
    visit("mijlpaal bewerken", "/mijlpalen/{milestone}/bewerken", {PL}),
    # The taskforce's pages.
    visit("taskforce", "/taskforce", {TF}),
    visit("taskforce-overzicht", "/taskforce/overzicht?sinds=01-06-2025", {TF, PL, OZ}),
    visit("besluitenregister", "/regios/{region}/besluitenregister", {TF, PL, OZ}),
    visit("programma", "/programma", {TF, PL, OZ}, prepare=charts),
    # Measurements and charts.
    visit("metingen", "/regios/{region}/metingen", READ),
    visit("meting", "/metingen/{indicator}", READ, prepare=charts),
    visit("meting nieuw", "/regios/{region}/metingen/nieuw", MEASURE),
    visit("meting bewerken", "/metingen/{indicator}/bewerken", MEASURE),
    visit("terugkoppeling", "/regios/{region}/terugkoppeling", READ),
    visit("grafieken agenda", "/agendas/{icr}/grafieken", READ, prepare=charts),
    visit("grafieken regio", "/regios/{region}/grafieken", READ, prepare=region_charts),
    # Audit log and members.
    visit("logboek", "/regios/{region}/logboek", AUDIT),
    visit("leden", "/regios/{region}/leden", {BH, ADMIN}),
    visit("gebruikers", "/beheer/gebruikers", {ADMIN}),
    # Werksessies.
    visit("sessies", "/regios/{region}/werksessies", SESSION_READ),
    visit("sessie nieuw", "/regios/{region}/werksessies/nieuw", {PL}),
    visit("sessie gepland", "/werksessies/{planned}", SESSION_READ),
    visit("sessie bewerken", "/werksessies/{planned}/bewerken", {PL}),
    visit("sessie open", "/werksessies/{live}", SESSION_READ),
    visit("facilitatorscherm", "/werksessies/{live}/leiden", {PL}, prepare=lead_screen),
    visit("zaalscherm", "/werksessies/{live}/zaalscherm", {PL}),
    visit("sessie gesloten", "/werksessies/{closed}", SESSION_READ),
    visit("verslag", "/werksessies/{closed}/verslag", SESSION_READ),
    visit("hand-out", "/werksessies/{closed}/hand-out", SESSION_READ),
    visit("wat is veranderd", "/werksessies/{closed}/wat-is-veranderd", SESSION_READ),
]


# GET routes that are not pages of their own, and where the tour above checks them.
PARTS = {
    "agendas.question": "one question as a fragment; a visit goes to its version",
    "agendas.edit_question": "opened inline on 'versie concept'",
    "agendas.transition_editor": "opened inline on 'versie concept'",
    "analysis.new_item": "opened inline on 'systeemanalyse'",
    "charts.heat_map": "switched by htmx on 'grafieken regio'",
    "werksessies.live": "the live panel of 'facilitatorscherm'",
    "werksessies.edit_contribution": "opened inline on 'facilitatorscherm'",
    "werksessies.phone": "join page and phone view: test_werksessie_on_a_phone_passes_axe",
    "werksessies.phone_focus": "part of the phone view",
    "werksessies.phone_shared": "part of the phone view",
    "werksessies.audience_poll": "the content of 'zaalscherm', polled",
}
NOT_PAGES = {"static", "charts.plotly_js", "charts.plotly_css", "health.healthz"}
DOWNLOAD = re.compile(r"\.(csv|docx|<fmt>)$")


def test_every_page_route_is_in_the_tour(live_server, world):
    """A new page without a place in PAGES (or PARTS) fails here."""
    adapter = live_server.app.url_map.bind("localhost")
    visited = {
        adapter.match(spec.path.format(**world).split("?")[0], method="GET")[0]
        for spec in PAGES
        if spec.status == 200
    }
    pages = {
        rule.endpoint
        for rule in live_server.app.url_map.iter_rules()
        if "GET" in rule.methods
        and rule.endpoint not in NOT_PAGES
        and not DOWNLOAD.search(rule.rule)
    }
    assert pages - visited - set(PARTS) == set(), "page routes that axe never sees"
    assert set(PARTS) <= pages and not set(PARTS) & visited


# --- the checks ---------------------------------------------------------------------------


def axe_problems(page: Page) -> list[str]:
    """Serious and critical axe violations on the page, each as readable lines."""
    results = AXE.run(page, options=AXE_OPTIONS).response
    lines = []
    for violation in results["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        lines.append(
            f"  [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"][:8]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"      {target}: {node['failureSummary'].splitlines()[-1].strip()}")
            lines.append(f"        {node['html'][:200]}")
        if len(violation["nodes"]) > 8:
            lines.append(f"      … and {len(violation['nodes']) - 8} more")
    return lines


DUPLICATE_IDS = """() => {
    const seen = new Map();
    document.querySelectorAll('[id]').forEach(e => seen.set(e.id, (seen.get(e.id) || 0) + 1));
    return [...seen].filter(([, count]) => count > 1).map(([id, count]) => `${id} (${count}×)`);
}"""


# WCAG 1.4.10 (reflow): at 320 CSS pixels nothing makes the page scroll sideways; wide tables
# scroll inside their own box.
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def page_problems(page: Page) -> list[str]:
    """What is wrong with the page as it is now: language, reflow, duplicate ids, axe."""
    problems = []
    lang = page.evaluate("document.documentElement.lang")
    if lang != "nl":
        problems.append(f'  <html lang="{lang}"> instead of lang="nl"')
    sideways = page.evaluate(SIDEWAYS)
    if sideways > 0:
        problems.append(f"  the page scrolls sideways by {sideways}px")
    # axe 4.12 leaves duplicate ids to a person ("needs review"), but a label or
    # aria-describedby that points at a duplicated id names or describes the wrong field.
    duplicates = page.evaluate(DUPLICATE_IDS)
    if duplicates:
        problems.append(f"  duplicate ids: {', '.join(duplicates)}")
    return problems + axe_problems(page)


def check_page(page: Page, browser_log, role: str, spec: Visit, ids: dict) -> list[str]:
    """Open one page as ``role``, prepare it and return its problems (empty when it passes)."""
    path = spec.path.format(**ids)
    if spec.status >= 400:
        # Chromium logs the error status of the document as a console error.
        browser_log.allow(rf"status of {spec.status} .*{re.escape(path)}\)$")
    if spec.refused:
        browser_log.allow(rf"status of {spec.refused} .*{re.escape(path.split('?')[0])}\b")
    response = page.goto(path)
    if response is None or response.status != spec.status:
        got = response.status if response else "no response"
        return [f"  expected HTTP {spec.status}, got {got}"]
    if urlparse(page.url).path != path.split("?")[0]:
        return [f"  ended on {page.url} instead"]
    if spec.prepare:
        spec.prepare(page, role)
    return page_problems(page)


def check_role(page: Page, browser_log, role: str, ids: dict, pages=None) -> int:
    """Visit every page ``role`` may see (or ``pages``); fail with one report covering all."""
    page.set_default_timeout(10_000)
    report = []
    pages = [spec for spec in PAGES if role in spec.roles] if pages is None else pages
    for spec in pages:
        problems = check_page(page, browser_log, role, spec, ids)
        if problems:
            report.append(f"{spec.name} ({spec.path.format(**ids)}):")
            report.extend(problems)
    assert not report, f"Accessibility problems for {role}:\n" + "\n".join(report)
    return len(pages)


@pytest.mark.parametrize("role", [PL, DN, TF, OZ, BH, ADMIN])
def test_pages_of_each_role_pass_axe(page: Page, browser_log, world, role):
    email, password = DEMO_PASSWORDS[role]
    login(page, email, password)
    assert check_role(page, browser_log, role, world) >= 4


def test_anonymous_pages_pass_axe(page: Page, browser_log, world):
    # The wrong password and the short one are the expected 4xx answers of those forms.
    browser_log.allow(r"status of 4\d\d .*/(inloggen|uitnodiging/[\w-]+)\)$")
    assert check_role(page, browser_log, ANON, world) >= 4


# On a narrow screen every page once, as the first of these roles that may see it.
NARROW_ORDER = [PL, TF, OZ, DN, ADMIN, BH, ANON]


def _narrow_pages(role: str) -> list[Visit]:
    return [
        spec
        for spec in PAGES
        if next(r for r in NARROW_ORDER if r in spec.roles) == role and PHONE not in spec.roles
    ]


@pytest.mark.parametrize("role", [PL, TF, OZ, ADMIN, ANON])
def test_pages_on_a_narrow_screen(browser, base_url, checked_log, world, role):
    """320 CSS pixels wide (a small phone, or 400% zoom): the pages reflow and pass axe."""
    assert {r for r in NARROW_ORDER if _narrow_pages(r)} == {PL, TF, OZ, ADMIN, ANON}
    checked_log.allow(r"status of 4\d\d .*/(inloggen|uitnodiging/[\w-]+)\)$")
    context, narrow = new_page(browser, base_url, checked_log, viewport=NARROW)
    try:
        if role != ANON:
            login(narrow, *DEMO_PASSWORDS[role])
        assert check_role(narrow, checked_log, role, world, _narrow_pages(role)) >= (
            1 if role in (TF, OZ) else 3
        )
    finally:
        context.close()


def test_werksessie_on_a_phone_passes_axe(browser, base_url, checked_log, world):
    """A participant without an account: code entry, join page, the phone view, an error."""
    checked_log.allow(r"status of 4\d\d .*/(doe-mee|w/\w+/vragen)\)$")
    context, phone = new_page(
        browser,
        base_url,
        checked_log,
        viewport=NARROW,
        is_mobile=True,
        has_touch=True,
    )
    report = []
    try:
        assert check_role(phone, checked_log, PHONE, world) == 1
        steps = [
            ("verkeerde code", lambda: _enter_code(phone, "QQQQQQ")),
            ("aanmelden", lambda: _enter_code(phone, world["code"])),
            ("telefoonscherm", lambda: _join(phone)),
            ("vraag met fouten", lambda: _contribute_empty(phone)),
            ("vraag ingestuurd", lambda: _contribute(phone)),
        ]
        for name, step in steps:
            step()
            problems = page_problems(phone)
            if problems:
                report.append(f"{name} ({urlparse(phone.url).path}):")
                report.extend(problems)
    finally:
        context.close()
    assert not report, "Accessibility problems on the phone:\n" + "\n".join(report)


def _enter_code(phone: Page, code: str) -> None:
    phone.goto("/doe-mee")
    phone.get_by_label("Code van de sessie").fill(code)
    phone.get_by_role("button", name="Meedoen").click()
    if code == "QQQQQQ":
        expect(phone.locator(".alert-error, .field-error").first).to_be_visible()
    else:
        expect(phone.get_by_label("Uw rol")).to_be_visible()


def _join(phone: Page) -> None:
    phone.get_by_label("Uw rol").select_option(label="Ervaringsdeskundige")
    phone.get_by_role("button", name="Meedoen").click()
    expect(phone.get_by_role("heading", name="Nu op het scherm")).to_be_visible()


def _contribute_empty(phone: Page) -> None:
    phone.get_by_role("button", name="Vraag insturen").click()
    expect(phone.locator("#phone-add .alert-error, #phone-add .error").first).to_be_visible()


def _contribute(phone: Page) -> None:
    phone.get_by_label("Hoe kan ik / kunnen we …").fill("Hoe kunnen we ouders vaker horen")
    phone.get_by_label("… terwijl …").fill("er geen vast moment voor is")
    phone.get_by_role("button", name="Vraag insturen").click()
    # The confirmation arrives in swapped-in content; the live region reads it out.
    expect(phone.locator("#announcer")).to_have_text(
        "Uw vraag is ontvangen en opgeslagen. De facilitator bekijkt hem; na goedkeuring komt "
        "hij op het zaalscherm."
    )
