"""Exports: JSON with restore round trip, CSV/XLSX, DOCX and print page, bundle, access rights."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, date

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import func, select

from dla import create_app
from dla.agendas import queries, services
from dla.agendas.models import Agenda, Thread, Transition, Version, Wording
from dla.analysis import services as analysis
from dla.auth import services as auth
from dla.auth.models import User
from dla.demo import GOOI, RIJNMOND, load_demo
from dla.exports import services as exports
from dla.exports import writers
from dla.extensions import db
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


def _without_stamp(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != "exported_at"}


@pytest.fixture
def demo(ctx):
    load_demo()
    db.session.commit()
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
    Draft202012Validator(exports.schema()).validate(document)
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

        # The system analysis and measurements came along, every table of them.
        for key, model, _fields, _order in exports.REGION_TABLES:
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


def test_xlsx_has_the_three_tables_and_the_codebook(demo):
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
    codebook = {row[0] for row in sheet_rows["Codeboek"][1:]}
    assert codebook == set(
        writers.LONG_COLUMNS + writers.THREAD_COLUMNS + writers.TRANSITION_COLUMNS
    )


def test_xlsx_keeps_text_as_text_and_numbers_as_numbers():
    rows = [
        {"a": '=HYPERLINK("http://x")', "b": 3, "c": "regel\x01 met <tekens> & meer"},
        {"a": "x" * 40_000, "b": None, "c": ""},
    ]
    workbook = load_workbook(io.BytesIO(writers.to_xlsx({"Blad": rows})))
    sheet = workbook["Blad"]
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == ["a", "b", "c"]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == '=HYPERLINK("http://x")'
    assert sheet["B2"].value == 3 and sheet["B2"].data_type == "n"
    assert sheet["C2"].value == "regel met <tekens> & meer"
    assert sheet["A3"].value == "x" * writers.XLSX_MAX_CELL
    assert sheet["B3"].value is None


def test_csv_round_trips_awkward_text():
    rows = [{"vraag": 'Hoe kan ik "dit", terwijl\nhet; lastig is?', "getal": 3, "leeg": None}]
    back = _csv_rows(writers.to_csv(rows))
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
    group = services.add_group(version, title="Leervragen ten aanzien van regie:")
    services.add_wording(
        version, text=question("als ICR regie houden", "ik geen mandaat heb"), group_id=group.id
    )
    second = services.add_wording(
        version, text=question("samenwerken", "iedereen eigen plannen heeft"), group_id=group.id
    )
    services.add_subquestion(second, text="Wie neemt het voortouw?")
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
        "codebook.csv",
        "dla-export-v1.schema.json",
        f"{name}.json",
        f"{name}.xlsx",
        "formuleringen.csv",
        "leervragen.csv",
        "overgangen.csv",
    ]
    readme = archive.read("README.txt").decode()
    assert "Gooi en Vecht (demo)" in readme and "codebook.csv" in readme
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


def test_cli_without_names_blanks_version_authors(demo, runner):
    result = runner.invoke(args=["dla", "export", "--region", RIJNMOND, "--without-names"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert {v["author"] for v in _versions(document)} == {""}
    assert {c["author_name"] for r in document["regions"] for c in r["comments"]} <= {""}


def test_timestamps_are_exported_in_utc():
    from datetime import datetime, timedelta, timezone

    naive = datetime(2025, 3, 1, 12, 30)
    assert exports._stamp(naive) == "2025-03-01T12:30:00+00:00"
    assert exports._stamp(naive.replace(tzinfo=UTC)) == "2025-03-01T12:30:00+00:00"
    amsterdam = datetime(2025, 3, 1, 13, 30, tzinfo=timezone(timedelta(hours=1)))
    assert exports._stamp(amsterdam) == "2025-03-01T12:30:00+00:00"
    assert exports._stamp(None) is None
