"""Researchers' exchange: the REFI-QDA project and codebook, the bundle's extra tables and
its codebook, date cells, both CSV dialects, pseudonyms, and the DOCX properties.

Every file is opened with an independent reader (lxml against the REFI-QDA schema,
openpyxl, the csv module, python-docx) and its content is checked.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

import pytest
from docx import Document
from jsonschema import Draft202012Validator
from lxml import etree
from openpyxl import load_workbook
from sqlalchemy import select

from dla.agendas import questions, services
from dla.agendas.models import Agenda, Version
from dla.analysis import services as analysis
from dla.auth.models import User
from dla.demo import GOOI, RIJNMOND, load_demo
from dla.exports import codebook, fields, qdpx
from dla.exports import services as exports
from dla.extensions import db
from dla.regions.models import Region
from dla.tabular import to_csv
from tests.examples import SHARED, shared_file
from tests.factories import log_in, make_agenda, make_user, make_version, question

PROJECT_XSD = SHARED / "refi-qda" / "Project-mrt2019.xsd"
NS = {"q": qdpx.PROJECT_NS}


@pytest.fixture
def demo(ctx):
    load_demo()
    db.session.commit()
    return ctx


def _region(name: str) -> Region:
    return db.session.scalar(select(Region).where(Region.name == name))


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _wordings(document: dict) -> dict[int, dict]:
    return {
        w["id"]: w
        for r in document["regions"]
        for a in r["agendas"]
        for v in a["versions"]
        for g in v["groups"]
        for w in g["wordings"]
    }


def _schema() -> etree.XMLSchema:
    """The REFI-QDA project schema: skips without ``../shared`` (fails in CI)."""
    return etree.XMLSchema(etree.parse(str(shared_file(PROJECT_XSD, "the REFI-QDA schema"))))


# --- REFI-QDA ----------------------------------------------------------------------------------


def test_qdpx_project_is_valid_refi_qda_and_codes_each_question_span(demo):
    region = _region(RIJNMOND)
    document = exports.export_document([region])
    archive = zipfile.ZipFile(io.BytesIO(exports.build_file(document, "qdpx", name="x")))
    root = etree.fromstring(archive.read("project.qde"))
    schema = _schema()
    assert schema.validate(root), schema.error_log
    assert root.get("origin") == "DLA-werkplaats"

    codes = {c.get("guid"): c.get("name") for c in root.iterfind(".//q:Code", NS)}
    assert {"Systeemanalyse", "Overgangen", "Hardnekkig", "Vervallen"} <= set(codes.values())
    variables = {v.get("guid"): v.get("name") for v in root.iterfind(".//q:Variable", NS)}
    assert set(variables.values()) >= {
        "regio",
        "agenda",
        "niveau",
        "doelgroep",
        "versienummer",
        "versiedatum",
        "herkomst",
        "verspreiding",
    }
    wordings = _wordings(document)
    by_selection = {qdpx.guid("selection", wid): w for wid, w in wordings.items()}
    versions = {
        qdpx.guid("source", v["id"]): (a, v)
        for r in document["regions"]
        for a in r["agendas"]
        for v in a["versions"]
    }
    items = {i["id"]: i for i in document["regions"][0]["barrier_items"]}
    linked: dict[int, set[str]] = {}
    for link in document["regions"][0]["barrier_links"]:
        linked.setdefault(link["thread_id"], set()).add(
            codes[qdpx.guid("code", f"item:{link['item_id']}")]
        )
    sources = root.findall(".//q:TextSource", NS)
    assert len(sources) == len(versions)
    coded_spans = 0
    for source in sources:
        guid = source.get("guid")
        assert source.get("plainTextPath") == f"internal://{guid}.txt"
        text = archive.read(f"sources/{guid}.txt").decode("utf-8")
        agenda, version = versions[guid]
        assert text.startswith(agenda["title"] + "\n")
        values = {
            variables[v.find("q:VariableRef", NS).get("targetGUID")]: v[1].text
            for v in source.iterfind("q:VariableValue", NS)
        }
        assert values["versienummer"] == str(version["number"])
        assert values["agenda"] == agenda["title"]
        assert values["verspreiding"] == version["distribution"]
        assert values.get("versiedatum") == version["document_date"]
        selections = source.findall("q:PlainTextSelection", NS)
        assert len(selections) == sum(len(g["wordings"]) for g in version["groups"])
        for selection in selections:
            wording = by_selection[selection.get("guid")]
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert text[start:end] == wording["text"]
            coded = {
                codes[c.get("targetGUID")] for c in selection.iterfind("q:Coding/q:CodeRef", NS)
            }
            for name in linked.get(wording["thread_id"], ()):
                assert name in coded
            if wording["transition"]:
                kind = wording["transition"]["kind"]
                assert codes[qdpx.guid("code", f"transition:{kind}")] in coded
            coded_spans += bool(coded)
    assert coded_spans > 0 and items


def test_qdpx_is_stable_and_leaves_restricted_versions_out_for_non_members(demo, client):
    region = _region(RIJNMOND)
    restricted = db.session.scalars(
        select(Version.id)
        .join(Agenda)
        .where(Agenda.region_id == region.id, Version.distribution == "beperkt")
    ).all()
    assert restricted
    log_in(client, _user("onderzoeker@demo.dla"))
    response = client.get(f"/regios/{region.id}/export.qdpx")
    assert response.status_code == 200
    assert ".qdpx" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    root = etree.fromstring(archive.read("project.qde"))
    assert _schema().validate(root)
    guids = {s.get("guid") for s in root.iterfind(".//q:TextSource", NS)}
    assert guids and not guids & {qdpx.guid("source", vid) for vid in restricted}
    again = zipfile.ZipFile(io.BytesIO(client.get(f"/regios/{region.id}/export.qdpx").data))
    assert {s.get("guid") for s in etree.fromstring(again.read("project.qde")).iter()} == {
        s.get("guid") for s in root.iter()
    }
    # A complete export (the CLI's) holds them.
    full = exports.build_file(exports.export_document([region]), "qdpx", name="x")
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(full)).read("project.qde"))
    guids = {s.get("guid") for s in root.iterfind(".//q:TextSource", NS)}
    assert {qdpx.guid("source", vid) for vid in restricted} <= guids


def test_qdc_codebook_holds_the_projects_codes_and_fits_the_standard(demo, client):
    log_in(client, _user("projectleider@demo.dla"))
    region = _region(RIJNMOND)
    response = client.get(f"/regios/{region.id}/export.qdc")
    assert response.status_code == 200
    book = etree.fromstring(response.data)
    assert book.tag == f"{{{qdpx.CODEBOOK_NS}}}CodeBook"
    # The codebook standard's CodeBook is the project's CodeBookType in its own namespace:
    # moved into a project, it validates against the project schema.
    text = response.data.decode("utf-8").replace(qdpx.CODEBOOK_NS, qdpx.PROJECT_NS)
    body = text[text.index("<Codes>") : text.index("</CodeBook>")]
    wrapped = f'<Project xmlns="{qdpx.PROJECT_NS}" name="t"><CodeBook>{body}</CodeBook></Project>'
    assert _schema().validate(etree.fromstring(wrapped.encode("utf-8")))
    names = [c.get("name") for c in book.iter(f"{{{qdpx.CODEBOOK_NS}}}Code")]
    assert "Hardnekkig" in names and "Geherformuleerd" in names
    assert any(name.startswith("B-") for name in names)
    assert any(" × " in name for name in names)


def test_guids_are_uuid5_values():
    import uuid

    for key in (1, 42, "B-7"):
        assert qdpx.guid("coding", key) == str(uuid.uuid5(qdpx._NAMESPACE, f"coding:{key}"))


def test_cli_writes_qdpx_to_a_file_or_stdout_and_qdc_to_stdout(demo, runner, tmp_path):
    path = tmp_path / "project.qdpx"
    result = runner.invoke(args=["dla", "export", "--format", "qdpx", "--output", str(path)])
    assert result.exit_code == 0, result.output
    assert "project.qde" in zipfile.ZipFile(path).namelist()
    result = runner.invoke(args=["dla", "export", "--format", "qdpx", "--output", "-"])
    assert result.exit_code == 0
    assert zipfile.ZipFile(io.BytesIO(result.stdout_bytes)).read("project.qde").startswith(b"<?xml")
    result = runner.invoke(args=["dla", "export", "--format", "qdc", "--region", GOOI])
    assert result.exit_code == 0
    assert etree.fromstring(result.stdout_bytes).tag == f"{{{qdpx.CODEBOOK_NS}}}CodeBook"


# --- bundle tables, codebook, dates, CSV dialects ---------------------------------------------


def _csv(data: bytes, delimiter: str = ",") -> list[dict]:
    assert data.startswith("\ufeff".encode())
    return list(
        csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter)
    )


def test_bundle_adds_the_tables_that_were_only_in_the_json(demo, client):
    log_in(client, _user("projectleider@demo.dla"))
    region = _region(RIJNMOND)
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/regios/{region.id}/export.zip").data))
    document = exports.export_document([region])
    (region_doc,) = document["regions"]
    versions = [v for a in region_doc["agendas"] for v in a["versions"]]
    documents = _csv(archive.read("documenten.csv"))
    assert len(documents) == len(versions)
    first = next(row for row in documents if row["versie_id"] == str(versions[0]["id"]))
    assert first["versie"] == str(versions[0]["number"])
    assert first["versiedatum"] == (versions[0]["document_date"] or "")
    assert first["qda_bron"] == qdpx.guid("source", versions[0]["id"])
    votes = _csv(archive.read("stemmen.csv"))
    assert len(votes) == len(region_doc["session_votes"]) > 0
    wordings = _wordings(document)
    for row in votes:
        assert row["leervraag_id"] == str(wordings[int(row["formulering_id"])]["thread_id"])
        assert row["stem"] in ("staat_nog", "opgelost")
    for name, key in (
        ("bijdragen.csv", "session_contributions"),
        ("sessiebesluiten.csv", "session_decisions"),
        ("mijlpalen.csv", "milestones"),
        ("besluiten.csv", "decisions"),
        ("werksessies.csv", "werksessies"),
        ("opmerkingen.csv", "comments"),
    ):
        assert len(_csv(archive.read(name))) == len(region_doc[key]), name
    decisions = _csv(archive.read("besluiten.csv"))
    assert {row["besluit"] for row in decisions} == {d["text"] for d in region_doc["decisions"]}
    # The codebook describes every column of every CSV file, with a type.
    described = {(row["tabel"], row["kolom"]): row for row in _csv(archive.read("codebook.csv"))}
    for name in archive.namelist():
        if name.endswith(".csv") and name != "codebook.csv":
            header = archive.read(name).decode("utf-8-sig").splitlines()[0].split(",")
            for column in header:
                assert described[(name, column)]["type"], (name, column)
                assert described[(name, column)]["betekenis"], (name, column)
    assert "staat_nog" in described[("stemmen.csv", "stem")]["waarden"]
    assert described[("documenten.csv", "versiedatum")]["type"].startswith("date")


def test_codebook_covers_every_column_of_every_table():
    for table, _sheet, columns in codebook.TABLES:
        for column in columns:
            kind, _allowed, meaning = codebook.describe(table, column)
            assert kind and meaning, (table, column)


def test_xlsx_dates_are_date_cells(demo):
    region = _region(RIJNMOND)
    document = exports.export_document([region])
    workbook = load_workbook(io.BytesIO(exports.build_file(document, "xlsx", name="x")))
    sheet = workbook["Formuleringen"]
    header = [c.value for c in sheet[1]]
    dated = [row[header.index("versiedatum")] for row in sheet.iter_rows(min_row=2)]
    assert dated and all(cell.is_date for cell in dated if cell.value is not None)
    versions = [v for a in document["regions"][0]["agendas"] for v in a["versions"]]
    days = {date.fromisoformat(v["document_date"]) for v in versions if v["document_date"]}
    assert {cell.value.date() for cell in dated if cell.value is not None} == days
    for name, column in (
        ("Leervragen", "eerste_datum"),
        ("Barrières", "genoteerd_op"),
        ("Waarnemingen", "datum"),
        ("Besluiten", "besluitdatum"),
        ("Documenten", "versiedatum"),
    ):
        sheet = workbook[name]
        index = [c.value for c in sheet[1]].index(column)
        cells = [row[index] for row in sheet.iter_rows(min_row=2) if row[index].value is not None]
        assert cells and all(c.is_date and isinstance(c.value, datetime) for c in cells), name


def test_both_csv_dialects_hold_the_same_rows(demo, client):
    log_in(client, _user("projectleider@demo.dla"))
    region = _region(RIJNMOND)
    comma = client.get(f"/regios/{region.id}/export.csv").data
    dutch = client.get(f"/regios/{region.id}/export.csv?scheiding=puntkomma").data
    assert dutch.startswith("\ufeff".encode()) and b";" in dutch.splitlines()[0]
    rows = _csv(comma)
    assert rows and _csv(dutch, delimiter=";") == rows
    assert all(row["regio"] == RIJNMOND for row in rows)
    # Decimal numbers get a decimal comma in the Dutch dialect.
    data = to_csv([{"waarde": 12.5, "datum": date(2025, 3, 1)}], dialect="excel-nl")
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")) == [
        ["waarde", "datum"],
        ["12,5", "2025-03-01"],
    ]
    page = client.get(f"/regios/{region.id}").get_data(as_text=True)
    assert 'name="scheiding"' in page and "export.qdpx" in page and "export.qdc" in page


def test_cli_csv_dialect_option(demo, runner):
    result = runner.invoke(args=["dla", "export", "--format", "csv", "--csv-dialect", "excel-nl"])
    assert result.exit_code == 0
    header = result.stdout.splitlines()[0]
    assert header.startswith("regio;agenda;niveau")


# --- pseudonyms and DOCX -----------------------------------------------------------------------


def test_pseudonyms_are_the_same_person_in_every_table(demo):
    region = _region(RIJNMOND)
    leader = _user("projectleider@demo.dla")
    version = db.session.scalars(
        select(Version)
        .join(Agenda)
        .where(Agenda.region_id == region.id, Version.status == "concept")
    ).first()
    version.author = leader.name
    services.add_comment(region_id=region.id, author=leader, body="Eens.", version_id=version.id)
    milestone = analysis.create_milestone(region, title="Mandaat")
    analysis.add_action(milestone, text="Voorstel", owner=f"  {leader.name.upper()} ")
    analysis.record_decision(
        region, author=leader, milestone=milestone, decided_on=date(2025, 6, 1), text="Doen"
    )
    analysis.add_action(milestone, text="Begroting", owner="Jan Jansen")
    db.session.commit()
    document = exports.export_document([region], include_authors=False)
    Draft202012Validator(fields.schema()).validate(document)
    (region_doc,) = document["regions"]
    code = next(
        v["author"] for a in region_doc["agendas"] for v in a["versions"] if v["id"] == version.id
    )
    assert code.startswith("P")
    assert [c["author_name"] for c in region_doc["comments"]] == [code]
    owners = {a["text"]: a["owner"] for a in region_doc["milestone_actions"]}
    assert owners["Voorstel"] == code and owners["Begroting"] not in ("", code)
    assert region_doc["decisions"][-1]["author_name"] == code
    archive = zipfile.ZipFile(
        io.BytesIO(exports.build_file(document, "zip", name="x", include_authors=False))
    )
    assert _csv(archive.read("opmerkingen.csv"))[0]["auteur"] == code
    assert _csv(archive.read("besluiten.csv"))[-1]["auteur"] == code
    documents = {row["versie_id"]: row for row in _csv(archive.read("documenten.csv"))}
    assert documents[str(version.id)]["auteur"] == code
    for name in archive.namelist():
        assert leader.name.encode() not in archive.read(name), name


def test_docx_properties_version_number_and_empty_groups(ctx, client):
    agenda = make_agenda(title="Agenda zonder label")
    version = make_version(agenda, day=date(2025, 1, 2))
    questions.add_group(version, title="Lege groep")
    full = questions.add_group(version, title="Regie")
    questions.add_wording(
        version, text=question("regie houden", "ik geen mandaat heb"), group_id=full.id
    )
    services.publish_version(version)
    user = make_user(region=agenda.region, role="projectleider")
    db.session.commit()
    log_in(client, user)
    data = client.get(f"/versies/{version.id}/export.docx").data
    document = Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    assert f"Versie: {version.number}" in paragraphs
    assert "Regie" in paragraphs and "Lege groep" not in paragraphs
    properties = document.core_properties
    for value in (properties.author, properties.last_modified_by, properties.comments):
        assert "python-docx" not in (value or "")
    assert properties.author == agenda.region.name
    assert properties.title == "Agenda zonder label"


def test_shared_material_that_is_absent_skips_here_and_fails_in_ci(tmp_path, monkeypatch):
    """The rule of ``tests.examples``: a missing file of ../shared skips a test with its
    reason, except where ``DLA_REQUIRE_EXAMPLES=1`` (CI) says it must be there."""
    missing = tmp_path / "schema.xsd"
    monkeypatch.delenv("DLA_REQUIRE_EXAMPLES", raising=False)
    with pytest.raises(pytest.skip.Exception, match="schema.xsd"):
        shared_file(missing, "the schema")
    monkeypatch.setenv("DLA_REQUIRE_EXAMPLES", "1")
    with pytest.raises(pytest.fail.Exception, match="DLA_REQUIRE_EXAMPLES=1 requires it"):
        shared_file(missing, "the schema")
    present = tmp_path / "present.xsd"
    present.write_text("<schema/>")
    assert shared_file(present, "the schema") == present
