"""Exports: JSON with restore round trip, CSV/XLSX, DOCX and print page, bundle, access rights."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import UTC, date, datetime

import pytest
from docx import Document
from flask import g
from openpyxl import load_workbook
from sqlalchemy import func, select

from dla import create_app, tabular
from dla.agendas import queries, questions, services
from dla.agendas.models import Agenda, Thread, Transition, Version, Wording
from dla.analysis import services as analysis
from dla.analysis.models import BarrierItem, BarrierLink
from dla.auth import services as auth
from dla.auth.models import User
from dla.demo import GOOI, RIJNMOND, load_demo
from dla.exports import fields, restore, writers
from dla.exports import services as exports
from dla.extensions import db
from dla.measurements import services as measurements
from dla.measurements.models import Indicator
from dla.regions.models import Region
from tests.factories import (
    keep_all,
    log_in,
    make_agenda,
    make_region,
    make_user,
    make_version,
    question,
)
from tests.transactional import Layer, savepoint_per_test


def _without_stamp(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != "exported_at"}


LAYERED_FIXTURE = "demo"  # the tests that ask for the demo run first (tests/conftest.py)


@pytest.fixture(scope="module")
def demo_layer(module_app):
    """The demo workspace, loaded once for the tests in a row that ask for it
    (tests/transactional.py)."""
    layer = Layer(module_app, module_app.extensions["dla_test_connection"], load_demo)
    yield layer
    layer.want(False)


@pytest.fixture
def app(module_app, demo_layer, request):
    """Every test here runs on the module's one app, rolled back afterwards; with the demo
    loaded when it asks for ``demo``, on an empty database otherwise."""
    demo_layer.want("demo" in request.fixturenames)
    with savepoint_per_test(module_app, module_app.extensions["dla_test_connection"]):
        yield module_app


@pytest.fixture
def demo(ctx):
    """The demo workspace is loaded (see ``app``)."""
    return ctx


def _region(name: str) -> Region:
    return db.session.scalar(select(Region).where(Region.name == name))


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


@pytest.fixture
def empty_app(fresh_schema_url, tmp_path):
    """A second app on an empty database, to restore into."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": fresh_schema_url(tmp_path),
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_FAST": True,
        }
    )
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# --- JSON and restore ------------------------------------------------------------------------


def test_json_export_validates_against_the_schema_and_holds_everything(demo, runner):
    from jsonschema import Draft202012Validator

    result = runner.invoke(args=["dla", "export", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    Draft202012Validator(fields.schema()).validate(document)
    assert [r["name"] for r in document["regions"]] == [RIJNMOND, GOOI]
    wordings = [
        w
        for r in document["regions"]
        for a in r["agendas"]
        for v in a["versions"]
        for g in v["groups"]
        for w in g["wordings"]
    ]
    assert len(wordings) == db.session.scalar(select(func.count(Wording.id)))
    kinds = {w["transition"]["kind"] for w in wordings if w["transition"]}
    assert kinds == {
        "blijft_staan",
        "geherformuleerd",
        "samengevoegd",
        "gesplitst",
        "verplaatst",
        "voorlopig_beantwoord",
        "vervallen",
    }
    # Restricted versions are in a complete (CLI) export.
    assert any(
        v["distribution"] == "beperkt"
        for r in document["regions"]
        for a in r["agendas"]
        for v in a["versions"]
    )


def test_restore_into_an_empty_database_and_export_again_gives_the_same_document(
    demo, runner, empty_app, tmp_path
):
    first = tmp_path / "export.json"
    result = runner.invoke(args=["dla", "export", "--format", "json", "--output", str(first)])
    assert result.exit_code == 0, result.output

    with empty_app.app_context():  # the CLI uses the current app
        restored = empty_app.test_cli_runner().invoke(args=["dla", "restore", str(first)])
        assert restored.exit_code == 0, restored.output
        assert "2 region(s)" in restored.output

        again = empty_app.test_cli_runner().invoke(args=["dla", "export", "--format", "json"])
        assert again.exit_code == 0, again.output
        original = json.loads(first.read_text(encoding="utf-8"))
        assert _without_stamp(json.loads(again.output)) == _without_stamp(original)

        # The system analysis, measurements and werksessies came along, every table of them.
        for key, model, _fields, _order in (*exports.REGION_TABLES, *exports.SESSION_TABLES):
            exported = sum(len(r[key]) for r in original["regions"])
            assert exported, key
            assert db.session.scalar(select(func.count(model.id))) == exported, key

        # The restored workspace works: persistence figures and new rows with fresh ids.
        region = _region(RIJNMOND)
        figures = queries.persistence_map(region)
        assert any(f.hardnekkig for f in figures.values())
        agenda = make_agenda(region, title="Nieuwe agenda na terugzetten")
        version = make_version(agenda, [question("iets leren", "het lastig is")], publish=True)
        db.session.commit()
        assert agenda.id > max(a["id"] for r in original["regions"] for a in r["agendas"])
        assert version.wordings[0].thread_id > max(
            t["id"] for r in original["regions"] for t in r["threads"]
        )
        heading = analysis.add_heading(region, axis="aspect", name="Nieuw aspect")
        db.session.commit()
        assert heading.id > max(h["id"] for r in original["regions"] for h in r["matrix_headings"])


def test_restore_reads_the_json_inside_a_researcher_bundle(demo, runner, empty_app, tmp_path):
    bundle = tmp_path / "bundle.zip"
    result = runner.invoke(args=["dla", "export", "--format", "zip", "--output", str(bundle)])
    assert result.exit_code == 0, result.output
    with empty_app.app_context():
        restored = empty_app.test_cli_runner().invoke(args=["dla", "restore", str(bundle)])
        assert restored.exit_code == 0, restored.output
        assert db.session.scalar(select(func.count(Transition.id))) > 10


def test_restore_refuses_a_database_that_is_not_empty(demo, runner, tmp_path):
    path = tmp_path / "export.json"
    runner.invoke(args=["dla", "export", "--output", str(path)])
    before = db.session.scalar(select(func.count(Wording.id)))
    result = runner.invoke(args=["dla", "restore", str(path)])
    assert result.exit_code != 0
    assert "niet leeg" in result.output
    db.session.rollback()
    assert db.session.scalar(select(func.count(Wording.id))) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "geen JSON-bestand"),
        (b"{not json", "geen JSON-bestand"),
        (b"[]", "geen export van de DLA-werkplaats"),
        (b'{"format": "iets anders", "version": 1}', "geen export van de DLA-werkplaats"),
        (b'{"format": "dla-werkplaats", "version": 7}', "formaatversie 7"),
        (
            b'{"format": "dla-werkplaats", "version": 1, "exported_at": "x", "regions": [{}]}',
            "past niet bij het exportformaat",
        ),
    ],
)
def test_restore_explains_bad_files_in_dutch_and_saves_nothing(
    empty_app, tmp_path, content, message
):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = empty_app.test_cli_runner().invoke(args=["dla", "restore", str(path)])
    assert result.exit_code != 0
    assert message in result.output
    with empty_app.app_context():
        assert db.session.scalar(select(func.count(Region.id))) == 0


def test_restore_checks_references_and_saves_nothing(demo, runner, empty_app, tmp_path):
    document = json.loads(runner.invoke(args=["dla", "export"]).output)
    region = document["regions"][0]
    wording = region["agendas"][0]["versions"][0]["groups"][0]["wordings"][0]
    wording["thread_id"] = 999_999
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with empty_app.app_context():
        result = empty_app.test_cli_runner().invoke(args=["dla", "restore", str(path)])
        assert result.exit_code != 0
        assert "leervraag 999999" in result.output
        assert db.session.scalar(select(func.count(Region.id))) == 0
        assert db.session.scalar(select(func.count(Thread.id))) == 0


@pytest.mark.parametrize("key", ["milestone_links", "indicator_links"])
def test_restore_checks_where_a_link_points_and_saves_nothing(
    demo, runner, empty_app, tmp_path, key
):
    """A milestone's or an indicator's link points at exactly one known question or item."""
    document = json.loads(runner.invoke(args=["dla", "export"]).output)
    links = [link for region in document["regions"] for link in region[key]]
    link = next(link for link in links if link["item_id"] is not None)
    link["thread_id"] = 999_999
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    owner = "mijlpaal" if key == "milestone_links" else "indicator"
    with empty_app.app_context():
        result = empty_app.test_cli_runner().invoke(args=["dla", "restore", str(path)])
        assert result.exit_code != 0
        assert f"van een {owner} moet naar één leervraag of één barrière verwijzen" in result.output
        assert db.session.scalar(select(func.count(Region.id))) == 0


def test_export_reads_a_constant_number_of_statements_per_region(ctx, count_queries):
    small = make_region("Klein")
    make_version(make_agenda(small), [question("a", "b")], publish=True)
    big = make_region("Groot")
    agenda = make_agenda(big)
    first = make_version(agenda, [question(f"doel {i}", f"drempel {i}") for i in range(8)])
    services.publish_version(first)
    for _ in range(4):
        version = make_version(agenda)
        keep_all(version)
        services.publish_version(version)
    db.session.commit()
    counts = []
    for region in (small, big):
        with count_queries() as statements:
            exports.export_document([region])
        counts.append(len(statements))
    assert counts[0] == counts[1]


# --- CSV and XLSX ----------------------------------------------------------------------------


def _csv_rows(data: bytes) -> list[dict]:
    assert data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_long_format_has_one_row_per_wording_with_the_apps_persistence_figures(demo, runner):
    result = runner.invoke(args=["dla", "export", "--format", "csv", "--region", RIJNMOND])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output, newline="")))
    assert list(rows[0]) == writers.LONG_COLUMNS

    region = _region(RIJNMOND)
    wordings = db.session.execute(
        select(Wording.id, Wording.thread_id, Wording.full_text, Version.number, Agenda.title)
        .join(Version, Version.id == Wording.version_id)
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(Agenda.region_id == region.id)
    ).all()
    assert len(rows) == len(wordings)
    expected = {(w.title, w.number, w.full_text) for w in wordings}
    assert {(r["agenda"], int(r["versie"]), r["vraag"]) for r in rows} == expected

    figures = queries.persistence_map(region)
    for row in rows:
        figure = figures.get(int(row["leervraag_id"]))
        if figure is None:  # only in a concept version
            assert row["versies_aanwezig"] == "0"
            continue
        assert int(row["versies_aanwezig"]) == figure.versions_present
        assert int(row["langste_reeks"]) == figure.longest_run
        assert row["hardnekkig"] == ("ja" if figure.hardnekkig else "nee")
        assert row["eerste_datum"] == (figure.first_date.isoformat() if figure.first_date else "")

    dropped = [r for r in rows if r["overgang"] == "vervallen"]
    assert any("elders_belegd" in r["overgang_toelichting"] for r in dropped)
    assert all(r["regio"] == RIJNMOND for r in rows)
    assert {r["niveau"] for r in rows} >= {"operationeel", "strategisch"}


def test_xlsx_has_the_six_tables_and_the_codebook(demo):
    region = _region(RIJNMOND)
    document = exports.export_document([region])
    data = exports.build_file(document, "xlsx", name="x")
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    assert workbook.sheetnames == list(writers.XLSX_SHEETS)
    sheet_rows = {
        name: list(workbook[name].iter_rows(values_only=True)) for name in workbook.sheetnames
    }
    assert list(sheet_rows["Formuleringen"][0]) == writers.LONG_COLUMNS
    assert len(sheet_rows["Formuleringen"]) - 1 == len(writers.long_rows(document))
    assert list(sheet_rows["Leervragen"][0]) == writers.THREAD_COLUMNS
    threads = db.session.scalar(select(func.count(Thread.id)).where(Thread.region_id == region.id))
    assert len(sheet_rows["Leervragen"]) - 1 == threads
    transitions = sheet_rows["Overgangen"]
    assert list(transitions[0]) == writers.TRANSITION_COLUMNS
    kinds = {row[writers.TRANSITION_COLUMNS.index("soort")] for row in transitions[1:]}
    assert {"samengevoegd", "gesplitst", "verplaatst"} <= kinds
    moved = next(
        row
        for row in transitions[1:]
        if row[writers.TRANSITION_COLUMNS.index("soort")] == "verplaatst"
    )
    assert moved[writers.TRANSITION_COLUMNS.index("naar_agenda")].startswith(
        "Leeragenda bestuurders"
    )
    for sheet, columns, key in (
        ("Barrières", writers.BARRIER_COLUMNS, "barrier_items"),
        ("Indicatoren", writers.INDICATOR_COLUMNS, "indicators"),
        ("Waarnemingen", writers.OBSERVATION_COLUMNS, "observations"),
    ):
        assert list(sheet_rows[sheet][0]) == columns
        assert len(sheet_rows[sheet]) - 1 == len(document["regions"][0][key]) > 0
    # The codebook has one row per column of every table (table, sheet, column, type, …).
    header, *codebook = sheet_rows["Codeboek"]
    assert list(header) == ["tabel", "blad", "kolom", "type", "waarden", "betekenis"]
    described = {(row[1], row[2]) for row in codebook}
    assert len(described) == len(codebook)
    for sheet in workbook.sheetnames[:-1]:
        assert {(sheet, column) for column in sheet_rows[sheet][0]} <= described, sheet


def test_xlsx_keeps_text_as_text_and_numbers_as_numbers():
    rows = [
        {"a": '=HYPERLINK("http://x")', "b": 3, "c": "regel\x01 met <tekens> & meer"},
        {"a": "x" * 40_000, "b": None, "c": ""},
    ]
    workbook = load_workbook(io.BytesIO(tabular.to_xlsx({"Blad": rows})))
    sheet = workbook["Blad"]
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == ["a", "b", "c"]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == '=HYPERLINK("http://x")'
    assert sheet["B2"].value == 3 and sheet["B2"].data_type == "n"
    assert sheet["C2"].value == "regel met <tekens> & meer"
    assert sheet["A3"].value == "x" * tabular.XLSX_MAX_CELL
    assert sheet["B3"].value is None


def test_csv_round_trips_awkward_text():
    rows = [{"vraag": 'Hoe kan ik "dit", terwijl\nhet; lastig is?', "getal": 3, "leeg": None}]
    back = _csv_rows(tabular.to_csv(rows))
    assert back == [{"vraag": rows[0]["vraag"], "getal": "3", "leeg": ""}]


def test_persistence_in_the_export_follows_published_versions_only(ctx):
    region = make_region(persist_min_run=2)
    agenda = make_agenda(region)
    first = make_version(agenda, [question("regie houden", "ik geen mandaat heb")], publish=True)
    second = make_version(agenda, day=date(2025, 5, 1))
    keep_all(second)
    services.publish_version(second)
    third = make_version(agenda)
    keep_all(third)  # concept: not counted
    db.session.commit()
    rows = writers.long_rows(exports.export_document([region]))
    assert [r["versie"] for r in rows] == [1, 2, 3]
    assert {r["versies_aanwezig"] for r in rows} == {2}
    assert {r["hardnekkig"] for r in rows} == {"ja"}
    assert rows[0]["overgang"] == "blijft_staan" and rows[2]["overgang"] == ""
    assert first.number == 1


# --- DOCX, print page, bundle ----------------------------------------------------------------


def _docx_paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs if p.text]


@pytest.fixture
def laid_out_version(ctx):
    region = make_region("Gooi")
    agenda = make_agenda(region, title="Dynamische Leeragenda ICR")
    version = make_version(
        agenda,
        day=date(2020, 2, 24),
        label="1.2",
        context_line="Naar aanleiding van de werksessie op 21 januari 2020",
    )
    group = questions.add_group(version, title="Leervragen ten aanzien van regie:")
    questions.add_wording(
        version, text=question("als ICR regie houden", "ik geen mandaat heb"), group_id=group.id
    )
    second = questions.add_wording(
        version, text=question("samenwerken", "iedereen eigen plannen heeft"), group_id=group.id
    )
    questions.add_subquestion(second, text="Wie neemt het voortouw?")
    services.publish_version(version)
    db.session.commit()
    return version


def test_docx_is_laid_out_like_a_dla_document(laid_out_version, client):
    user = make_user(region=laid_out_version.agenda.region, role="deelnemer")
    auth.add_participant(laid_out_version.agenda, user.id)
    db.session.commit()
    log_in(client, user)
    response = client.get(f"/versies/{laid_out_version.id}/export.docx")
    assert response.status_code == 200
    assert response.mimetype == exports.DOCX_MIMETYPE
    assert (
        "dla-dynamische-leeragenda-icr-versie-1-2020-02-24.docx"
        in response.headers["Content-Disposition"]
    )
    assert _docx_paragraphs(response.data) == [
        "Dynamische Leeragenda ICR",
        "Versie: 1.2",
        "Datum: 24-02-2020",
        "Naar aanleiding van de werksessie op 21 januari 2020",
        "Leervragen ten aanzien van regie:",
        "A. Hoe kan ik als ICR regie houden, terwijl ik geen mandaat heb?",
        "B. Hoe kan ik samenwerken, terwijl iedereen eigen plannen heeft?",
        "i. Wie neemt het voortouw?",
    ]


def test_print_page_shows_the_same_layout(laid_out_version, client):
    user = make_user(region=laid_out_version.agenda.region, role="projectleider")
    db.session.commit()
    log_in(client, user)
    page = client.get(f"/versies/{laid_out_version.id}/afdrukken").get_data(as_text=True)
    assert "print.css" in page and '<html lang="nl">' in page
    for text in (
        "<h1>Dynamische Leeragenda ICR</h1>",
        "Versie: 1.2",
        "Datum: 24-02-2020",
        "Leervragen ten aanzien van regie:",
        "Hoe kan ik als ICR regie houden, terwijl ik geen mandaat heb?",
        "Wie neemt het voortouw?",
    ):
        assert text in page
    version_page = client.get(f"/versies/{laid_out_version.id}").get_data(as_text=True)
    assert f"/versies/{laid_out_version.id}/export.docx" in version_page
    assert f"/versies/{laid_out_version.id}/afdrukken" in version_page


def test_concept_docx_says_it_is_a_concept(ctx, client):
    agenda = make_agenda()
    version = make_version(agenda, [question("leren", "het moeilijk is")], day=date(2025, 1, 2))
    user = make_user(region=agenda.region, role="projectleider")
    db.session.commit()
    log_in(client, user)
    paragraphs = _docx_paragraphs(client.get(f"/versies/{version.id}/export.docx").data)
    assert "Status: concept (nog niet vastgesteld)" in paragraphs


def test_researcher_bundle_holds_every_file_and_a_readme(demo, client):
    log_in(client, _user("onderzoeker@demo.dla"))
    region = _region(GOOI)
    response = client.get(f"/regios/{region.id}/export.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    name = f"dla-gooi-en-vecht-demo-{date.today().isoformat()}"
    assert archive.namelist() == [
        "README.txt",
        "barrieres.csv",
        "besluiten.csv",
        "bijdragen.csv",
        "codebook.csv",
        "codes.csv",
        "dla-export-v1.schema.json",
        f"{name}.json",
        f"{name}.qdc",
        f"{name}.qdpx",
        f"{name}.xlsx",
        "documenten.csv",
        "formuleringen.csv",
        "indicatoren.csv",
        "leervragen.csv",
        "mijlpalen.csv",
        "opmerkingen.csv",
        "overgangen.csv",
        "sessiebesluiten.csv",
        "stemmen.csv",
        "waarnemingen.csv",
        "werksessies.csv",
    ]
    readme = archive.read("README.txt").decode()
    assert "Gooi en Vecht (demo)" in readme
    for file_name in archive.namelist()[1:]:
        if not file_name.startswith("dla-"):
            assert file_name in readme
    document = json.loads(archive.read(f"{name}.json"))
    assert [r["name"] for r in document["regions"]] == [GOOI]
    rows = _csv_rows(archive.read("formuleringen.csv"))
    assert len(rows) == len(writers.long_rows(document))
    codebook = {row["kolom"] for row in _csv_rows(archive.read("codebook.csv"))}
    assert set(rows[0]) <= codebook


# --- access rights ---------------------------------------------------------------------------


def _versions(document: dict) -> list[dict]:
    return [v for r in document["regions"] for a in r["agendas"] for v in a["versions"]]


def test_exports_only_hold_what_the_user_may_read(demo, client):
    region = _region(RIJNMOND)
    restricted = db.session.scalars(
        select(Version)
        .join(Agenda)
        .where(Agenda.region_id == region.id, Version.distribution == "beperkt")
    ).all()
    assert restricted
    # The demo onderzoeker is not a member of the restricted versions.
    log_in(client, _user("onderzoeker@demo.dla"))
    response = client.get(f"/regios/{region.id}/export.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    seen = {v["id"] for v in _versions(response.get_json())}
    assert seen and not seen & {v.id for v in restricted}
    for version in restricted:
        assert client.get(f"/versies/{version.id}/export.docx").status_code == 404
        assert client.get(f"/versies/{version.id}/afdrukken").status_code == 404


def test_projectleider_exports_restricted_versions(demo, client):
    region = _region(RIJNMOND)
    restricted = db.session.scalars(
        select(Version.id)
        .join(Agenda)
        .where(Agenda.region_id == region.id, Version.distribution == "beperkt")
    ).all()
    log_in(client, _user("projectleider@demo.dla"))
    seen = {v["id"] for v in _versions(client.get(f"/regios/{region.id}/export.json").get_json())}
    assert restricted and set(restricted) <= seen


def test_restricted_version_is_exported_for_its_members(demo, client):
    region = _region(RIJNMOND)
    restricted = db.session.scalars(
        select(Version)
        .join(Agenda)
        .where(Agenda.region_id == region.id, Version.distribution == "beperkt")
    ).first()
    researcher = _user("onderzoeker@demo.dla")
    auth.add_version_member(restricted, researcher.id)
    db.session.commit()
    log_in(client, researcher)
    seen = {v["id"] for v in _versions(client.get(f"/regios/{region.id}/export.json").get_json())}
    assert restricted.id in seen
    assert client.get(f"/versies/{restricted.id}/export.docx").status_code == 200


@pytest.mark.parametrize(
    ("email", "status"),
    [
        ("deelnemer@demo.dla", 403),
        ("taskforce@demo.dla", 403),
        ("projectleider@demo.dla", 200),
        ("onderzoeker@demo.dla", 200),
    ],
)
def test_region_exports_are_for_projectleiders_and_onderzoekers(demo, client, email, status):
    region = _region(GOOI)
    log_in(client, _user(email))
    for fmt in ("json", "csv", "xlsx", "zip"):
        assert client.get(f"/regios/{region.id}/export.{fmt}").status_code == status
    page = client.get(f"/regios/{region.id}").get_data(as_text=True)
    assert (f"/regios/{region.id}/export.zip" in page) == (status == 200)


def test_region_export_is_not_found_for_other_regions_and_unknown_formats(demo, client):
    other = make_region("Andere regio")
    db.session.commit()
    log_in(client, _user("projectleider@demo.dla"))
    assert client.get(f"/regios/{other.id}/export.json").status_code == 404
    region = _region(GOOI)
    assert client.get(f"/regios/{region.id}/export.exe").status_code == 404


def test_without_names_leaves_out_authors_and_commenters(demo, client):
    region = _region(RIJNMOND)
    first = db.session.scalars(
        select(Version).join(Agenda).where(Agenda.region_id == region.id, Version.author != "")
    ).first()
    leader = _user("projectleider@demo.dla")
    services.add_comment(region_id=region.id, author=leader, body="Goed punt.", version_id=first.id)
    db.session.commit()
    log_in(client, _user("projectleider@demo.dla"))
    named = client.get(f"/regios/{region.id}/export.json").get_data(as_text=True)
    assert "Projectleider Rijnmond" in named and leader.name in named
    anonymous = client.get(f"/regios/{region.id}/export.json?zonder_namen=1").get_data(as_text=True)
    assert "Projectleider Rijnmond" not in anonymous and leader.name not in anonymous
    assert "Goed punt." in anonymous
    bundle = zipfile.ZipFile(
        io.BytesIO(client.get(f"/regios/{region.id}/export.zip?zonder_namen=1").data)
    )
    assert "Author names included: no" in bundle.read("README.txt").decode()
    for name in bundle.namelist():
        assert leader.name.encode() not in bundle.read(name)


def test_cli_export_names_an_unknown_region(demo, runner):
    result = runner.invoke(args=["dla", "export", "--region", "Nergens"])
    assert result.exit_code != 0
    assert "regio niet gevonden" in result.output


def test_cli_without_names_pseudonymises_version_authors(demo, runner):
    result = runner.invoke(args=["dla", "export", "--region", RIJNMOND, "--without-names"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    authors = {v["author"] for v in _versions(document)}
    assert authors and all(a == "" or re.fullmatch(r"P\d{3}", a) for a in authors)
    assert "Projectleider Rijnmond" not in result.output


def test_timestamps_are_exported_in_utc():
    from datetime import datetime, timedelta, timezone

    naive = datetime(2025, 3, 1, 12, 30)
    assert exports._stamp(naive) == "2025-03-01T12:30:00+00:00"
    assert exports._stamp(naive.replace(tzinfo=UTC)) == "2025-03-01T12:30:00+00:00"
    amsterdam = datetime(2025, 3, 1, 13, 30, tzinfo=timezone(timedelta(hours=1)))
    assert exports._stamp(amsterdam) == "2025-03-01T12:30:00+00:00"
    assert exports._stamp(None) is None


# --- system analysis and measurements --------------------------------------------------------


@pytest.fixture
def small_analysis(ctx):
    """A hand-built region: two questions, a barrière and a kans, an indicator."""
    region = make_region("Klein")
    agenda = make_agenda(region, title="Agenda ICR's")
    version = make_version(
        agenda,
        [question("regie houden", "ik geen mandaat heb"), question("delen", "de AVG knelt")],
        day=date(2025, 1, 10),
        themes="Regie\nPrivacy",
        publish=True,
    )
    first, second = sorted(version.wordings, key=lambda w: w.position)
    mandaat = analysis.add_heading(region, axis="aspect", name="Mandaat en besluitvorming")
    gemeente = analysis.add_heading(region, axis="actor", name="Gemeente")
    barrier = analysis.create_item(
        region,
        aspect_id=mandaat.id,
        actor_id=gemeente.id,
        description="Geen doorzettingsmacht",
        noted_on=date(2025, 1, 9),
    )
    chance = analysis.create_item(
        region,
        aspect_id=mandaat.id,
        actor_id=gemeente.id,
        kind="kans",
        description="Gemeenten willen samenwerken",
        source="interview",
        status="afgenomen",
        noted_on=date(2025, 2, 4),
        status_on=date(2025, 5, 1),
    )
    first_thread = db.session.get(Thread, first.thread_id)
    second_thread = db.session.get(Thread, second.thread_id)
    analysis.link_thread(first_thread, chance)
    analysis.link_thread(first_thread, barrier)
    analysis.link_thread(second_thread, barrier)
    indicator = measurements.create_indicator(
        region,
        name="Doorgezette casussen",
        concerns="gezinnen",
        horizon="kort",
        audiences=["managers", "professionals"],
        kind="aantal",
        unit="casussen",
    )
    measurements.add_observation(indicator, observed_on=date(2025, 2, 1), value="4", source="pilot")
    measurements.add_observation(
        indicator,
        observed_on=date(2025, 3, 1),
        period_end=date(2025, 3, 31),
        value="6",
        narrative="Meer regie",
    )
    measurements.link_thread(indicator, first.thread_id)
    measurements.link_item(indicator, barrier.id)
    db.session.commit()
    return {
        "region": region,
        "threads": (first.thread_id, second.thread_id),
        "barrier": barrier.id,
        "chance": chance.id,
        "indicator": indicator.id,
    }


def test_long_format_names_the_barriers_linked_to_each_thread(small_analysis):
    data = small_analysis
    first, second = data["threads"]
    document = exports.export_document([data["region"]])
    rows = {r["leervraag_id"]: r["barrieres"] for r in writers.long_rows(document)}
    assert rows == {
        first: f"B-{data['barrier']}: Geen doorzettingsmacht; "
        f"K-{data['chance']}: Gemeenten willen samenwerken",
        second: f"B-{data['barrier']}: Geen doorzettingsmacht",
    }


def test_barrier_indicator_and_observation_tables_hold_exact_values(small_analysis):
    data = small_analysis
    first, second = data["threads"]
    document = exports.export_document([data["region"]])
    files = zipfile.ZipFile(
        io.BytesIO(exports.build_file(document, "zip", name="klein", include_authors=True))
    )
    barriers = _csv_rows(files.read("barrieres.csv"))
    assert barriers == [
        {
            "item_id": str(data["barrier"]),
            "code": f"B-{data['barrier']}",
            "regio": "Klein",
            "item_soort": "barriere",
            "systeemaspect": "Mandaat en besluitvorming",
            "actorgroep": "Gemeente",
            "omschrijving": "Geen doorzettingsmacht",
            "herkomst": "werksessie",
            "item_status": "actief",
            "genoteerd_op": "2025-01-09",
            "status_sinds": "",
            "leervragen": f"{first};{second}",
        },
        {
            "item_id": str(data["chance"]),
            "code": f"K-{data['chance']}",
            "regio": "Klein",
            "item_soort": "kans",
            "systeemaspect": "Mandaat en besluitvorming",
            "actorgroep": "Gemeente",
            "omschrijving": "Gemeenten willen samenwerken",
            "herkomst": "interview",
            "item_status": "afgenomen",
            "genoteerd_op": "2025-02-04",
            "status_sinds": "2025-05-01",
            "leervragen": f"{first}",
        },
    ]
    assert _csv_rows(files.read("indicatoren.csv")) == [
        {
            "indicator_id": str(data["indicator"]),
            "regio": "Klein",
            "indicator": "Doorgezette casussen",
            "omschrijving": "",
            "betreft": "gezinnen",
            "termijn": "kort",
            "voor_wie": "professionals managers",
            "meetsoort": "aantal",
            "eenheid": "casussen",
            "leervragen": str(first),
            "barriere_codes": f"B-{data['barrier']}",
            "waarnemingen": "2",
        }
    ]
    observations = _csv_rows(files.read("waarnemingen.csv"))
    assert [
        (o["indicator"], o["datum"], o["tot_en_met"], o["waarde"], o["verhaal"], o["herkomst"])
        for o in observations
    ] == [
        ("Doorgezette casussen", "2025-02-01", "", "4.0", "", "pilot"),
        ("Doorgezette casussen", "2025-03-01", "2025-03-31", "6.0", "Meer regie", ""),
    ]
    codes = files.read("codes.csv")
    assert not codes.startswith("\ufeff".encode())
    assert list(csv.reader(io.StringIO(codes.decode("utf-8"), newline=""))) == [
        ["code", "description", "parent"],
        ["Mandaat en besluitvorming", "Systeemaspect (system aspect) of the system analysis.", ""],
        [
            f"B-{data['barrier']}",
            "Geen doorzettingsmacht (actorgroep: Gemeente)",
            "Mandaat en besluitvorming",
        ],
        [
            f"K-{data['chance']}",
            "Gemeenten willen samenwerken (actorgroep: Gemeente)",
            "Mandaat en besluitvorming",
        ],
        ["Thema's", "Themes (thema's) named in the versions of the learning agendas.", ""],
        ["Regie", "Thema in: Agenda ICR's versie 1", "Thema's"],
        ["Privacy", "Thema in: Agenda ICR's versie 1", "Thema's"],
    ]
    assert "codes.csv" in files.read("README.txt").decode()

    workbook = load_workbook(io.BytesIO(exports.build_file(document, "xlsx", name="klein")))
    sheet = workbook["Barrières"]
    assert [c.value for c in sheet[2]] == [
        data["barrier"],
        f"B-{data['barrier']}",
        "Klein",
        "barriere",
        "Mandaat en besluitvorming",
        "Gemeente",
        "Geen doorzettingsmacht",
        "werksessie",
        "actief",
        datetime(2025, 1, 9),
        None,
        f"{first};{second}",
    ]
    assert sheet.cell(row=2, column=10).is_date
    assert [c.value for c in workbook["Waarnemingen"][3]][4:8] == [
        datetime(2025, 3, 1),
        datetime(2025, 3, 31),
        6,
        "casussen",
    ]
    long_sheet = workbook["Formuleringen"]
    column = writers.LONG_COLUMNS.index("barrieres")
    assert long_sheet.cell(row=3, column=column + 1).value == (
        f"B-{data['barrier']}: Geen doorzettingsmacht"
    )


def test_links_to_threads_in_a_restricted_version_stay_out_of_the_export(small_analysis, client):
    data = small_analysis
    region = data["region"]
    first, _second = data["threads"]
    hidden_agenda = make_agenda(region, title="Besloten agenda")
    hidden = make_version(
        hidden_agenda,
        [question("iets geheims leren", "het gevoelig ligt")],
        distribution="beperkt",
        publish=True,
    )
    hidden_thread = db.session.get(Thread, hidden.wordings[0].thread_id)
    barrier = db.session.get(BarrierItem, data["barrier"])
    analysis.link_thread(hidden_thread, barrier, note="besloten koppeling")
    milestone = analysis.create_milestone(region, title="Mandaat geregeld")
    analysis.link_milestone(milestone, thread=hidden_thread)
    analysis.link_milestone(milestone, item=barrier)
    indicator = db.session.get(Indicator, data["indicator"])
    measurements.link_thread(indicator, hidden_thread.id)
    researcher = make_user("onderzoeker@klein.nl", region=region, role="onderzoeker")
    db.session.commit()

    log_in(client, researcher)
    document = client.get(f"/regios/{region.id}/export.json").get_json()
    (exported,) = document["regions"]
    assert hidden_thread.id not in {t["id"] for t in exported["threads"]}
    for key in ("barrier_links", "milestone_links", "indicator_links"):
        assert exported[key], key
        assert hidden_thread.id not in {link["thread_id"] for link in exported[key]}, key
    assert "besloten koppeling" not in json.dumps(exported)
    assert [link["item_id"] for link in exported["milestone_links"]] == [barrier.id]
    barrier_row = next(r for r in writers.barrier_rows(document) if r["item_id"] == barrier.id)
    assert str(hidden_thread.id) not in barrier_row["leervragen"].split(";")
    assert writers.indicator_rows(document)[0]["leervragen"] == str(first)

    # The projectleider sees everything.
    leader = make_user("leider@klein.nl", region=region, role="projectleider")
    db.session.commit()
    for cached in ("access", "_login_user"):  # kept on g, which the requests share here
        g.pop(cached, None)
    log_in(client, leader)
    (full,) = client.get(f"/regios/{region.id}/export.json").get_json()["regions"]
    for key in ("barrier_links", "milestone_links", "indicator_links"):
        assert hidden_thread.id in {link["thread_id"] for link in full[key]}, key


def test_without_names_pseudonymises_decision_authors_and_action_owners(small_analysis):
    region = small_analysis["region"]
    author = make_user("voorzitter@klein.nl", region=region, role="taskforce")
    milestone = analysis.create_milestone(region, title="Mandaat geregeld")
    analysis.add_action(milestone, text="Voorstel schrijven", owner="Jan Jansen")
    analysis.record_decision(
        region,
        author=author,
        milestone=milestone,
        decided_on=date(2025, 6, 24),
        text="Mandaatregeling uitwerken",
    )
    db.session.commit()
    named = exports.export_document([region])["regions"][0]
    assert named["milestone_actions"][0]["owner"] == "Jan Jansen"
    assert named["decisions"][0]["author_name"] == author.name
    anonymous = exports.export_document([region], include_authors=False)
    (region_doc,) = anonymous["regions"]
    assert [a["owner"] for a in region_doc["milestone_actions"]] == ["P001"]
    assert [d["author_name"] for d in region_doc["decisions"]] == ["P002"]
    assert region_doc["decisions"][0]["text"] == "Mandaatregeling uitwerken"
    bundle = exports.build_file(anonymous, "zip", name="klein", include_authors=False)
    archive = zipfile.ZipFile(io.BytesIO(bundle))
    for name in archive.namelist():
        data = archive.read(name)
        assert b"Jan Jansen" not in data and author.name.encode() not in data


def test_restore_refuses_a_barrier_link_to_an_unknown_thread(small_analysis, empty_app, tmp_path):
    document = exports.export_document([small_analysis["region"]])
    document["regions"][0]["barrier_links"][0]["thread_id"] = 999_999
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with empty_app.app_context():
        result = empty_app.test_cli_runner().invoke(args=["dla", "restore", str(path)])
        assert result.exit_code != 0
        assert "verwijst naar een onbekende leervraag (999999)" in result.output
        assert db.session.scalar(select(func.count(Region.id))) == 0
        assert db.session.scalar(select(func.count(BarrierLink.id))) == 0
        assert db.session.scalar(select(func.count(BarrierItem.id))) == 0


@pytest.mark.parametrize(
    ("key", "field", "message"),
    [
        ("barrier_items", "aspect_id", "onbekend systeemaspect"),
        ("observations", "indicator_id", "hoort bij een onbekende indicator"),
        ("indicator_links", "item_id", "verwijst naar een onbekende barrière"),
    ],
)
def test_restore_checks_the_references_of_the_analysis_and_measurements(
    small_analysis, empty_app, tmp_path, key, field, message
):
    document = exports.export_document([small_analysis["region"]])
    record = next(r for r in document["regions"][0][key] if r[field] is not None)
    record[field] = 999_999
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with empty_app.app_context():
        result = empty_app.test_cli_runner().invoke(args=["dla", "restore", str(path)])
        assert result.exit_code != 0
        assert message in result.output
        assert db.session.scalar(select(func.count(Region.id))) == 0


def test_round_trip_of_a_hand_built_region_keeps_the_analysis(small_analysis, empty_app, tmp_path):
    from jsonschema import Draft202012Validator

    document = exports.export_document([small_analysis["region"]])
    Draft202012Validator(fields.schema()).validate(document)
    with empty_app.app_context():
        restore.restore_document(json.loads(writers.to_json(document)))
        db.session.commit()
        again = exports.export_document(db.session.scalars(select(Region)).all())
    assert _without_stamp(again) == _without_stamp(document)


# --- werksessies in the export ---------------------------------------------------------------


def test_sessions_are_exported_without_codes_secrets_or_names(demo):
    from dla.werksessies.models import Participant, Werksessie

    region = _region(RIJNMOND)
    document = exports.export_document([region])["regions"][0]
    sessions = document["werksessies"]
    assert {s["status"] for s in sessions} == {"gesloten"}
    assert all("code" not in s for s in sessions)
    assert len(document["session_participants"]) == db.session.scalar(
        select(func.count(Participant.id))
        .join(Werksessie, Werksessie.id == Participant.werksessie_id)
        .where(Werksessie.region_id == region.id)
    )
    assert all("token_hash" not in p for p in document["session_participants"])
    assert document["session_votes"] and document["session_decisions"]
    assert {c["status"] for c in document["session_contributions"]} >= {"overgenomen"}
    named = exports.export_document([region])["regions"][0]["session_participants"]
    blank = exports.export_document([region], include_authors=False)["regions"][0]
    assert {p["display_name"] for p in blank["session_participants"]} == {""}
    assert [p["role"] for p in blank["session_participants"]] == [p["role"] for p in named]


def test_a_session_about_a_version_the_viewer_may_not_see_is_left_out(demo):
    from dla.werksessies.models import SessionAgenda, Werksessie

    region = _region(RIJNMOND)
    session_version = db.session.scalar(
        select(SessionAgenda.source_version_id)
        .join(Werksessie, Werksessie.id == SessionAgenda.werksessie_id)
        .where(Werksessie.region_id == region.id)
    )
    document = exports.export_document(
        [region], version_filter_for=lambda _rid: Version.id != session_version
    )["regions"][0]
    assert document["werksessies"] == [] and document["session_votes"] == []


def test_restore_refuses_a_vote_by_an_unknown_participant(demo, runner, empty_app, tmp_path):
    document = json.loads(runner.invoke(args=["dla", "export"]).output)
    region = next(r for r in document["regions"] if r["session_votes"])
    region["session_votes"][0]["participant_id"] = 999_999
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with empty_app.app_context():
        result = empty_app.test_cli_runner().invoke(args=["dla", "restore", str(path)])
        assert result.exit_code != 0
        assert "een onbekende deelnemer" in result.output
        assert db.session.scalar(select(func.count(Region.id))) == 0


def test_an_open_session_gets_a_new_code_when_restored(ctx, empty_app, tmp_path):
    from dla.werksessies import participation, planning
    from dla.werksessies import services as sessions
    from dla.werksessies.models import CODE_LENGTH, Werksessie

    agenda = make_agenda()
    make_version(agenda, [question("regie houden", "ik geen mandaat heb")], publish=True)
    session = planning.plan_session(
        agenda.region,
        agenda_ids=[agenda.id],
        title="Open sessie",
        session_date=date(2026, 3, 1),
        allow_anonymous=True,
    )
    sessions.open_session(session)
    participation.join(session, role="professional")
    db.session.commit()
    document = exports.export_document([agenda.region])
    path = tmp_path / "open.json"
    path.write_bytes(writers.to_json(document))
    with empty_app.app_context():
        result = empty_app.test_cli_runner().invoke(args=["dla", "restore", str(path)])
        assert result.exit_code == 0, result.output
        restored = db.session.scalar(select(Werksessie))
        assert restored.status == "open" and len(restored.code) == CODE_LENGTH
        again = exports.export_document(list(db.session.scalars(select(Region))))
    assert _without_stamp(again) == _without_stamp(document)
