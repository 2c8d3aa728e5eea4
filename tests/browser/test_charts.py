"""Charts in the browser: open the persistence chart, filter it, hover shows the wording;
add an observation and see the trend redraw."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from dla.agendas import questions, services, transitions
from dla.auth import services as auth_services
from dla.extensions import db
from dla.measurements import services as measurements
from tests.browser.conftest import PASSWORD, login


@pytest.fixture
def agenda_with_history(live_server, _empty_tables):
    """Three published versions: one question stays, one is reworded, one is dropped."""
    with live_server.app.app_context():
        from dla.regions import services as region_services

        region = region_services.create_region("Grafiekregio")
        agenda = services.create_agenda(
            region, level="operationeel", audience="ICR's", title="Agenda ICR's"
        )
        first = services.create_version(agenda, document_date=date(2025, 1, 14))
        for text in (
            "Hoe kan ik regie houden, terwijl ik geen doorzettingsmacht heb?",
            "Hoe kan ik informatie delen, terwijl de privacyregels onduidelijk zijn?",
            "Hoe kan ik mijn caseload dragen, terwijl die steeds zwaarder wordt?",
        ):
            questions.add_wording(first, text=text)
        services.publish_version(first)
        second = services.create_version(agenda, document_date=date(2025, 4, 1))
        keep, share, load = sorted(services.missing_transitions(second), key=lambda w: w.label)
        transitions.set_transition(second, keep, "blijft_staan")
        transitions.set_transition(
            second,
            share,
            "geherformuleerd",
            text="Hoe kan ik informatie delen met de politie, terwijl het convenant ontbreekt?",
        )
        transitions.set_transition(
            second, load, "vervallen", reason="elders_belegd", note="In het teamoverleg."
        )
        services.publish_version(second)
        third = services.create_version(agenda, document_date=date(2025, 7, 1))
        for source in services.missing_transitions(third):
            transitions.set_transition(third, source, "blijft_staan")
        services.publish_version(third)
        indicator = measurements.create_indicator(
            region,
            name="Gezinnen met één plan",
            concerns="werkwijze",
            horizon="kort",
            kind="aantal",
            unit="gezinnen",
        )
        measurements.add_observation(indicator, observed_on=date(2025, 2, 1), value=4)
        leader = auth_services.create_user("pl@test.nl", "Pim Leider", PASSWORD)
        auth_services.set_membership(leader, region.id, "projectleider")
        db.session.commit()
        ids = (region.id, agenda.id, indicator.id)
        db.session.remove()
    return ids


def test_persistence_chart_filter_and_hover(page: Page, agenda_with_history):
    _region_id, agenda_id, _indicator_id = agenda_with_history
    login(page, "pl@test.nl")
    page.goto(f"/agendas/{agenda_id}")
    page.get_by_role("link", name="Grafieken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Grafieken: Agenda ICR's")
    chart = page.locator("#chart-persistence")
    # plotly.js (4.8 MB) is parsed before the first chart is drawn: on a busy machine (CI
    # with several suites at once) that alone can take more than expect's five seconds.
    expect(chart.locator(".main-svg").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("3 vragen.")).to_be_visible()
    # Every question has a row; hovering a mark shows the wording of that version.
    points = chart.locator(".scatterlayer .trace .point")
    expect(points).to_have_count(3 + 3 + 1 + 1)  # 3 first, 2 + 2 kept/reworded, 1 exit
    reworded = chart.locator(".scatterlayer .trace").filter(has=page.locator("path.point")).nth(2)
    # Plotly's drag layer lies over the marks: move the mouse to the mark itself.
    box = reworded.locator(".point").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(chart.locator(".hoverlayer")).to_contain_text("informatie delen met de politie")
    expect(chart.locator(".hoverlayer")).to_contain_text("Geherformuleerd")

    # Filter: only closed questions; the chart and its table follow without a reload.
    page.get_by_label("Status").select_option("dicht")
    expect(page.get_by_text("1 vraag (gefilterd).")).to_be_visible()
    expect(page).to_have_url(f"{page.url.split('?')[0]}?status=dicht")
    expect(chart.locator(".scatterlayer .trace .point")).to_have_count(2)
    page.get_by_text("Tabel met dezelfde gegevens").click()
    table = page.get_by_role("table", name="Leervragen met hun verloop over de versies")
    expect(table).to_contain_text("caseload")
    expect(table).to_contain_text("Nieuw → Vervallen")
    expect(page.get_by_role("link", name="Download deze gegevens (.csv)")).to_have_attribute(
        "href", f"/agendas/{agenda_id}/grafieken/persistentie.csv?status=dicht"
    )

    # The flow chart and its table.
    flow = page.get_by_role("table", name="Wat er per versie met de vragen gebeurde")
    expect(flow.get_by_role("row", name="Versie 2")).to_contain_text("1")


def test_add_an_observation_and_the_trend_redraws(page: Page, agenda_with_history):
    region_id, _agenda_id, indicator_id = agenda_with_history
    login(page, "pl@test.nl")
    page.goto(f"/regios/{region_id}")
    page.get_by_role("link", name="Metingen").click()
    page.get_by_role("link", name="Gezinnen met één plan").click()
    chart = page.locator("#chart-trend")
    expect(chart.locator(".scatterlayer .point")).to_have_count(1, timeout=30_000)
    page.get_by_label("Datum (of begin van de periode)").fill("2025-03-01")
    page.get_by_label("Waarde").fill("6,5")
    page.get_by_label("Verhaal of toelichting").fill("Twee teams werken nu met één plan.")
    page.get_by_role("button", name="Waarneming opslaan").click()
    # The message itself (the screen-reader announcer repeats it, out of sight).
    expect(page.locator("p.message", has_text="De waarneming is opgeslagen.")).to_be_visible()
    expect(chart.locator(".scatterlayer .point")).to_have_count(2)
    expect(chart.locator(".annotation")).to_contain_text("✎ 1")
    expect(page.get_by_role("table", name="Waarnemingen (nieuwste eerst)")).to_contain_text(
        "6,5 gezinnen"
    )
    assert f"/metingen/{indicator_id}" in page.url
