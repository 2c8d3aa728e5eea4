"""Charts and printed views as people see them: at 1440 px, on a 390 px phone and on A4.

On the demo workspace (built once for the module): every chart keeps the height its data
needs after a window resize; no page scrolls sideways on a phone, where charts switch to
their phone layout (short LV-n labels); printed at A4 width nothing is cut off, closed
details are open, full texts replace shortened ones and action links are gone; the
persistence chart shows the gap of a question that skipped versions (checked on the drawn
figure's data). Every chart page is saved as a screenshot at both widths in
``tests/browser/screenshots/`` (git-ignored) for a reviewer to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from dla.extensions import db
from tests.browser.conftest import empty_tables, login

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
WIDE = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
# A4 at 96 dpi, less the page margins of the print style sheet (1.4 cm each side).
A4 = {"width": 688, "height": 1000}
LEADER = ("projectleider@demo.dla", "demo-vlinder-2024")


@pytest.fixture(scope="module")
def world(live_server):
    from dla.analysis.models import Milestone
    from dla.demo import RIJNMOND, load_demo
    from dla.regions.models import Region

    empty_tables(live_server)
    with live_server.app.app_context():
        load_demo()
        db.session.commit()
        region = db.session.scalar(select(Region).where(Region.name == RIJNMOND))
        icr = next(a for a in region.agendas if a.level == "operationeel")
        published = [v for v in sorted(icr.versions, key=lambda v: v.number) if v.is_published]
        milestone = db.session.scalar(select(Milestone).where(Milestone.region_id == region.id))
        ids = {
            "region": region.id,
            "icr": icr.id,
            "version": published[-1].id,
            "milestone": milestone.id,
        }
        db.session.remove()
    return ids


@pytest.fixture(autouse=True)
def _empty_tables(live_server, world):
    """The demo stays for the whole module (overrides the conftest fixture)."""
    from dla.extensions import limiter

    live_server.errors.records.clear()
    with live_server.app.app_context():
        limiter.reset()
    yield


def chart_pages(world) -> dict[str, str]:
    return {
        "grafieken-agenda": f"/agendas/{world['icr']}/grafieken",
        "grafieken-regio": f"/regios/{world['region']}/grafieken",
    }


def printed_pages(world) -> dict[str, str]:
    return {
        "versie": f"/versies/{world['version']}",
        "hardnekkige-barrieres": f"/regios/{world['region']}/hardnekkige-barrieres",
        "mijlpalen": f"/regios/{world['region']}/mijlpalen",
    }


def open_charts(page: Page, path: str) -> None:
    page.goto(path)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-chart]')]"
        ".every(e => e.querySelector('.main-svg'))"
    )


def chart_heights(page: Page) -> dict[str, float]:
    return page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('[data-chart]')]"
        ".map(e => [e.id, e.getBoundingClientRect().height]))"
    )


def sideways(page: Page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_charts_keep_their_height_after_a_resize(page: Page, world):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.set_viewport_size(WIDE)
    login(page, *LEADER)
    for name, path in chart_pages(world).items():
        open_charts(page, path)
        before = chart_heights(page)
        assert before["chart-persistence"] > 400  # rows × pixels, not the 260 px minimum
        page.screenshot(path=str(SCREENSHOTS / f"{name}-1440.png"), full_page=True)
        page.set_viewport_size({"width": 1000, "height": 700})
        page.wait_for_timeout(600)
        page.set_viewport_size(WIDE)
        page.wait_for_timeout(600)
        after = chart_heights(page)
        assert after == pytest.approx(before, abs=2), name
        assert sideways(page) <= 0, name


def test_the_persistence_chart_shows_a_skipped_version_as_a_gap(page: Page, world):
    page.set_viewport_size(WIDE)
    login(page, *LEADER)
    open_charts(page, f"/agendas/{world['icr']}/grafieken")
    # The drawn figure: LV-8 of the demo stood in versions 1 and 2 and came back in 5.
    gap = page.evaluate(
        "() => document.getElementById('chart-persistence').data"
        ".filter(t => t.name === 'Overgeslagen versies').map(t => [t.x, t.y])"
    )
    assert gap and gap[0][0], "no gap drawn"
    labels = page.evaluate(
        "() => document.getElementById('chart-persistence').layout.yaxis.ticktext"
    )
    row = gap[0][1][0]
    assert "LV-" in labels[row] and "terwijl" in labels[row]
    start, end = gap[0][0][0], gap[0][0][1]
    assert end - start > 1  # across at least one whole version
    returned = page.evaluate(
        "() => document.getElementById('chart-persistence').data"
        ".filter(t => t.name === 'Teruggekomen').map(t => t.y)"
    )
    assert row in returned[0]


def test_on_a_phone_nothing_scrolls_sideways_and_charts_use_short_labels(page: Page, world):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.set_viewport_size(PHONE)
    login(page, *LEADER)
    for name, path in chart_pages(world).items():
        open_charts(page, path)
        assert sideways(page) <= 0, name
        layout = page.evaluate(
            "() => { const e = document.getElementById('chart-persistence');"
            " return [e.dataset.layout, e.layout.yaxis.ticktext, e.layout.showlegend]; }"
        )
        assert layout[0] == "phone"
        rows = [t.replace("<b>", "").replace("</b>", "") for t in layout[1] if "LV-" in t]
        assert rows and all(t.startswith("LV-") for t in rows)
        assert all("·" not in t for t in rows)  # the full text is in the table
        page.screenshot(path=str(SCREENSHOTS / f"{name}-390.png"), full_page=True)
        # Turning the phone: the wide layout comes back, at the same height as drawn wide.
        page.set_viewport_size({"width": 844, "height": 390})
        page.wait_for_function(
            "() => document.getElementById('chart-persistence').dataset.layout === 'wide'"
        )
        page.set_viewport_size(PHONE)
        page.wait_for_function(
            "() => document.getElementById('chart-persistence').dataset.layout === 'phone'"
        )
    for name, path in printed_pages(world).items():
        page.goto(path)
        assert sideways(page) <= 0, name
        page.screenshot(path=str(SCREENSHOTS / f"{name}-390.png"), full_page=True)


def test_printed_views_fit_a4_with_everything_open_and_no_actions(page: Page, world):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.set_viewport_size(A4)
    login(page, *LEADER)
    for name, path in printed_pages(world).items():
        page.goto(path)
        page.emulate_media(media="print")
        cut = page.evaluate(
            """() => {
              const width = document.documentElement.clientWidth;
              return [...document.querySelectorAll('main *')]
                .filter(e => e.getClientRects().length)
                .filter(e => e.getBoundingClientRect().right > width + 1)
                .map(e => e.tagName + '.' + e.className);
            }"""
        )
        assert cut == [], f"{name}: cut off at A4 width: {cut[:5]}"
        assert sideways(page) <= 0, name
        header = page.locator(".print-header")
        assert header.is_visible(), name
        assert "Rijnmond" in header.inner_text() and "Afgedrukt op" in header.inner_text()
        assert page.locator("main .button:visible, main form:visible").count() == 0, name
        hidden_details = page.evaluate(
            "() => [...document.querySelectorAll('details > :not(summary)')]"
            ".filter(e => !e.getClientRects().length && e.textContent.trim()).length"
        )
        assert hidden_details == 0, name
        page.screenshot(path=str(SCREENSHOTS / f"print-{name}.png"), full_page=True)
        page.emulate_media(media="screen")
    # The version number is on the printed version; decisions are printed in full.
    page.goto(printed_pages(world)["versie"])
    page.emulate_media(media="print")
    assert "Versie " in page.locator(".print-header").inner_text()
    page.goto(printed_pages(world)["hardnekkige-barrieres"])
    page.emulate_media(media="print")
    assert page.locator(".screen-only:visible").count() == 0
    assert page.get_by_role("link", name="Besluit vastleggen").count() == 0 or not (
        page.get_by_role("link", name="Besluit vastleggen").first.is_visible()
    )
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
