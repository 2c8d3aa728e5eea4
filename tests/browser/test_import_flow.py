"""Import in the browser: paste a DLA, correct a question, confirm the suggestions, save."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from dla.agendas import questions, services
from dla.auth import services as auth_services
from dla.extensions import db
from tests.browser.conftest import PASSWORD, login
from tests.examples import example

CORPUS = Path(__file__).resolve().parents[1] / "data" / "docx"


@pytest.fixture
def agenda_with_version_1(live_server, _empty_tables):
    """An agenda whose version 1 is GVS Versie 1, and its projectleider."""
    with live_server.app.app_context():
        from dla.regions import services as region_services

        region = region_services.create_region("Gooi (test)")
        agenda = services.create_agenda(
            region, level="operationeel", audience="Uitvoerders", title="Agenda uitvoerders"
        )
        version = services.create_version(agenda, document_date=date(2020, 2, 24))
        for line in example("gvs-dla-versie-1.txt").read_text().splitlines():
            if line[:2] in ("A.", "B.", "C.", "D.", "E."):
                questions.add_wording(version, text=line[3:])
        services.publish_version(version)
        leader = auth_services.create_user("pl@test.nl", "Pim Leider", PASSWORD)
        auth_services.set_membership(leader, region.id, "projectleider")
        db.session.commit()
        ids = (region.id, agenda.id)
        db.session.remove()
    return ids


def test_paste_correct_confirm_and_save(page: Page, browser_log, agenda_with_version_1):
    region_id, agenda_id = agenda_with_version_1
    login(page, "pl@test.nl")
    page.goto(f"/agendas/{agenda_id}")
    page.get_by_role("link", name="Versie inlezen uit tekst").click()
    expect(page.get_by_label("Agenda", exact=True)).to_have_value(str(agenda_id))
    page.get_by_label("Tekst van de leeragenda").fill(
        example("gvs-dla-memo-2020-01-31.txt").read_text()
    )
    page.get_by_role("button", name="Inlezen").click()

    expect(page.get_by_role("heading", name="Klopt dit?")).to_be_visible()
    expect(page.get_by_text("6 vragen in 2 groepen")).to_be_visible()
    expect(page.get_by_label("Datum", exact=True)).to_have_value("31-01-2020")
    expect(page.get_by_label("Kenmerk")).to_have_value("20.0000558")
    first = page.locator("#iq-0")
    expect(
        first.locator("dd").filter(has_text="er nu verschillende werkwijzen en verwachtingen")
    ).to_be_visible()
    # Ambitie 1 (B and C merged) shares few words with either: nothing is pre-selected, B and C
    # are listed as weak. The person picks B and records that C was merged into it. (Adapted:
    # the old matcher pre-selected B on a score of 0.28.)
    expect(first.get_by_role("radio", checked=True)).to_have_accessible_name(
        re.compile(r"^Nieuwe vraag")
    )
    first.get_by_role("radio", name=re.compile(r"^zwak\s+Agenda uitvoerders, versie 1, B ")).check()
    first.get_by_label("Samengevoegd: ook C ging op in deze vraag").check()
    # The clear continuation of A is pre-selected, with the words that matched.
    expect(page.locator("#iq-1").get_by_role("radio", checked=True)).to_have_accessible_name(
        re.compile(r"^Voorstel: Agenda uitvoerders, versie 1, A ")
    )
    expect(page.locator("#iq-1").get_by_text("Waarom:").first).to_be_visible()
    # Correct one parsed question: the memo's missing verb.
    text = first.get_by_label("Vraag 1")
    text.fill(text.input_value().replace("verwachtingen?", "verwachtingen zijn?"))
    # The vervolgstappen questions have no predecessor.
    expect(page.locator("#iq-4").get_by_role("radio", name="Nieuwe vraag")).to_be_checked()
    page.get_by_role("button", name="Bevestigen en opslaan als concept").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Versie 2")
    expect(page.get_by_text("De versie is ingelezen als concept.")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="vragen gekozen")).to_have_text(
        "5 van 5 vragen gekozen."
    )
    expect(page.get_by_text("verwachtingen zijn?").first).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Versie vaststellen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vastgesteld")
    changes = page.get_by_role("region", name="Wat is er veranderd sinds versie 1?")
    expect(changes).to_contain_text("Samengevoegd: 1")
    expect(changes).to_contain_text("Nieuw: 2")

    # Download the new version as a Word document and the region's researcher bundle.
    with page.expect_download() as info:
        page.get_by_role("link", name="Word-bestand (.docx)").click()
    docx = info.value
    assert docx.suggested_filename.startswith("dla-agenda-uitvoerders-versie-2")
    text = "\n".join(p.text for p in Document(docx.path()).paragraphs)
    assert "Datum: 31-01-2020" in text and "verwachtingen zijn?" in text
    page.goto(f"/regios/{region_id}")
    with page.expect_download() as info:
        page.get_by_role("link", name="Onderzoeksbundel (.zip): alles, met codeboek").click()
    with zipfile.ZipFile(info.value.path()) as archive:
        names = archive.namelist()
        assert names[0] == "README.txt" and "formuleringen.csv" in names
        rows = archive.read("formuleringen.csv").decode("utf-8-sig").splitlines()
    assert len(rows) == 1 + 5 + 6  # header, version 1 and version 2


def test_upload_a_word_file_with_a_table(page: Page, browser_log, agenda_with_version_1):
    """A Word table with a number column and an owner column: the owner is shown beside the
    question, the question text stays clean, and the import saves as a concept."""
    region_id, agenda_id = agenda_with_version_1
    login(page, "pl@test.nl")
    page.goto(f"/regios/{region_id}/importeren?agenda={agenda_id}")
    page.get_by_label("Of een bestand (.docx of .txt)").set_input_files(
        str(CORPUS / "04-tabel-nummerkolom.docx")
    )
    page.get_by_role("button", name="Inlezen").click()

    expect(page.get_by_role("heading", name="Klopt dit?")).to_be_visible()
    expect(page.get_by_text("5 vragen in 1 groep")).to_be_visible()
    expect(page.get_by_label("Datum", exact=True)).to_have_value("18-01-2021")
    second = page.locator("#iq-1")
    expect(second.get_by_label("Vraag 2")).to_have_value(
        "Hoe kunnen we als gemeente de ICR-functie structureel financieren, terwijl de "
        "GHNT-middelen na 2021 stoppen?"
    )
    expect(second.locator("dd").filter(has_text="Wethouder Rotterdam")).to_be_visible()
    expect(second.locator("dt").filter(has_text="Eigenaar")).to_be_visible()
    page.get_by_role("button", name="Bevestigen en opslaan als concept").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Versie 2")
    expect(page.get_by_text("De versie is ingelezen als concept.")).to_be_visible()
