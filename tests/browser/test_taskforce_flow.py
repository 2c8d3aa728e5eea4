"""The taskforce's pages in a real browser on the demo workspace: the start page (counts
and "Besluit nodig" first), the digest chosen by date with its stable URL, on paper (A4,
two sides at most, nothing cut off), and the programme view as the read-only programma
account; axe finds no serious problem on any of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import login
from tests.browser.test_accessibility import axe_problems, wait_for_charts

TASKFORCE = ("taskforce@demo.dla", "demo-molenwiek-2024")
PROGRAMMA = ("programma@demo.dla", "demo-kompas-2024")
A4_WIDTH = 794  # CSS pixels at 96 dpi


@pytest.fixture
def demo(live_server, _empty_tables):
    from dla.demo import load_demo
    from dla.extensions import db

    with live_server.app.app_context():
        load_demo()
        db.session.commit()
        db.session.remove()


def test_start_page_then_digest_by_date(page: Page, demo):
    login(page, *TASKFORCE)
    page.get_by_role("link", name="Taskforce", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Taskforce")
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert headings[0] == "Besluit nodig", headings
    expect(page.get_by_label("In één oogopslag")).to_contain_text("een besluit")
    assert axe_problems(page) == []

    page.get_by_role(
        "link", name=re.compile(r"Overzicht sinds het laatste besluit.*Rijnmond")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Taskforce-overzicht")
    page.get_by_label("Sinds (dd-mm-jjjj)").fill("01-06-2025")
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url(re.compile(r"sinds=01-06-2025"))
    expect(page.get_by_text("Verbinding met bestuurders")).to_be_visible()
    share = page.locator(".share a").inner_text()
    assert "sinds=01-06-2025" in share and "regio=" in share
    assert axe_problems(page) == []
    # The stable URL gives the same page to someone else who may read the region.
    page.goto(share)
    expect(page.get_by_text("Verbinding met bestuurders")).to_be_visible()


def test_digest_fits_two_a4_sides_with_nothing_cut_off(page: Page, demo):
    login(page, *TASKFORCE)
    page.goto("/taskforce/overzicht?sinds=01-06-2025")
    page.set_viewport_size({"width": A4_WIDTH, "height": 1123})
    page.emulate_media(media="print")
    expect(page.locator(".digest-controls")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    sideways = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert sideways <= 0
    cut = page.evaluate(
        """() => [...document.querySelectorAll('.digest *')].filter(e => {
            const r = e.getBoundingClientRect();
            return r.width > 0 && r.right > document.documentElement.clientWidth + 1;
        }).map(e => e.tagName + ' ' + e.textContent.slice(0, 40))"""
    )
    assert cut == []
    pdf = page.pdf(format="A4", print_background=True)
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "taskforce-overzicht-a4.pdf").write_bytes(pdf)  # for a reviewer to look at
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    assert 1 <= pages <= 2, f"{pages} pages"


def test_programme_view_as_programma(page: Page, demo):
    login(page, *PROGRAMMA)
    page.get_by_role("link", name="Programma", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("meer regio's terug")
    group = page.locator(".programme-group").first
    expect(group.locator("h4")).to_have_count(2)  # side by side: one column per region
    wait_for_charts(page)
    expect(page.locator("#programma-heatmap .main-svg").first).to_be_attached()
    page.get_by_text("Tabel met dezelfde cijfers").click()
    assert axe_problems(page) == []
    # Read-only: no Taskforce start page, no decision forms.
    expect(page.get_by_role("link", name="Taskforce", exact=True)).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename == "programma.csv"
