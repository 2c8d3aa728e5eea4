"""Hostile or broken files to restore: every one refused through the CLI with a Dutch message
on stderr and a non-zero exit, the database left empty, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import json
import struct
import zipfile

import pytest
from sqlalchemy import String, Text, func, select

from dla import create_app
from dla.demo import load_demo
from dla.exports import fields, writers
from dla.exports import services as exports
from dla.exports.restore_input import LONG_TEXT
from dla.extensions import db
from dla.regions.models import Region

ENGLISH = ("must", "valid", "definition", "wordings id", "contain", "data.", "Error")


@pytest.fixture(scope="module")
def document():
    """The demo workspace as an export document (built once, on SQLite: the restores below
    run on the database of the test run)."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "PASSWORD_HASH_FAST": True,
        }
    )
    with app.app_context():
        db.create_all()
        load_demo()
        db.session.commit()
        regions = db.session.scalars(select(Region).order_by(Region.id)).all()
        result = json.loads(writers.to_json(exports.export_document(regions)))
        db.session.remove()
        db.engine.dispose()
    return result


@pytest.fixture
def empty_app(fresh_schema_url, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": fresh_schema_url(tmp_path),
            "PASSWORD_HASH_FAST": True,
        }
    )
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _refused(app, path, *extra) -> str:
    """Restore ``path`` through the CLI; assert it was refused in Dutch and saved nothing."""
    result = app.test_cli_runner().invoke(args=["dla", "restore", str(path), *extra])
    assert result.exit_code != 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    message = result.stderr
    assert message.startswith("Terugzetten mislukt: "), message
    assert "Traceback" not in message
    assert not any(word in message for word in ENGLISH), message
    assert result.stdout == ""
    with app.app_context():
        assert db.session.scalar(select(func.count(Region.id))) == 0
    return message


def _write(tmp_path, document) -> object:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _copy_with_new_id(records: list[dict]) -> dict:
    twin = copy.deepcopy(records[0])
    twin["id"] = max(r["id"] for r in records) + 1000
    records.append(twin)
    return twin


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("indicator_links", "Koppeling van een indicator"),
        ("session_votes", "Stem"),
        ("session_decisions", "Besluit in een werksessie"),
        ("session_agendas", "Agenda van een werksessie"),
        ("barrier_links", "Koppeling tussen leervraag en barrière"),
    ],
)
def test_a_duplicate_row_is_refused_in_dutch_on_every_database(
    document, empty_app, tmp_path, key, name
):
    broken = copy.deepcopy(document)
    region = next(r for r in broken["regions"] if r[key])
    twin = _copy_with_new_id(region[key])
    message = _refused(empty_app, _write(tmp_path, broken))
    assert f"{name} {twin['id']}" in message or "twee keer" in message, message


def test_two_records_with_one_id_are_named_in_dutch(document, empty_app, tmp_path):
    broken = copy.deepcopy(document)
    wordings = broken["regions"][0]["agendas"][0]["versions"][0]["groups"][0]["wordings"]
    wordings[1]["id"] = wordings[0]["id"]
    message = _refused(empty_app, _write(tmp_path, broken))
    assert f"twee vragen met nummer {wordings[0]['id']}" in message


def test_schema_complaints_name_the_record_and_field_in_dutch(document, empty_app, tmp_path):
    broken = copy.deepcopy(document)
    wording = broken["regions"][0]["agendas"][0]["versions"][0]["groups"][0]["wordings"][0]
    wording["label"] = 5
    message = _refused(empty_app, _write(tmp_path, broken))
    assert f"vraag {wording['id']}" in message and "veld ‘label’" in message
    assert "tekst zijn" in message


def test_a_broken_transition_is_explained_without_english(document, empty_app, tmp_path):
    broken = copy.deepcopy(document)
    wording = next(
        w
        for a in broken["regions"][0]["agendas"]
        for v in a["versions"]
        for g in v["groups"]
        for w in g["wordings"]
        if w["transition"]
    )
    wording["transition"]["kind"] = "weggewaaid"
    message = _refused(empty_app, _write(tmp_path, broken))
    assert f"overgang {wording['transition']['id']}" in message and "veld ‘kind’" in message
    assert "blijft_staan" in message


def test_a_very_long_annotation_is_refused(document, empty_app, tmp_path):
    broken = copy.deepcopy(document)
    wording = broken["regions"][0]["agendas"][0]["versions"][0]["groups"][0]["wordings"][0]
    wording["annotation"] = "a" * 27_000_000
    message = _refused(empty_app, _write(tmp_path, broken))
    assert f"vraag {wording['id']}" in message and f"meer dan {LONG_TEXT} tekens" in message


def test_deeply_nested_json_is_refused(empty_app, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000, encoding="utf-8")
    assert "te diep genest" in _refused(empty_app, path)


def test_a_file_over_the_limit_is_refused_with_the_limit(document, empty_app, tmp_path):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document) + " " * (2 * 1024 * 1024), encoding="utf-8")
    assert "groter dan 1 MB" in _refused(empty_app, path, "--max-mb", "1")


def test_a_small_zip_holding_a_large_json_is_refused(empty_app, tmp_path):
    path = tmp_path / "bom.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("export.json", "w") as handle:
            chunk = b" " * (1024 * 1024)
            for _ in range(3):
                handle.write(chunk)
    assert path.stat().st_size < 100_000
    assert "groter dan 1 MB" in _refused(empty_app, path, "--max-mb", "1")


def test_a_zip_that_lies_about_its_size_is_refused(empty_app, tmp_path):
    """The member says it is 100 bytes; it holds 3 MB. Reading stops at the limit."""
    path = tmp_path / "liar.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export.json", b"[" + b" " * (3 * 1024 * 1024) + b"]")
    data = bytearray(path.read_bytes())
    # Patch the uncompressed size in the local header (offset 22) and the central directory
    # entry (offset 24 after its signature).
    struct.pack_into("<I", data, 22, 100)
    central = data.rindex(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 100)
    path.write_bytes(bytes(data))
    message = _refused(empty_app, path, "--max-mb", "1")
    assert "zip-bestand" in message or "geen" in message


def test_a_damaged_zip_is_refused_in_dutch(document, empty_app, tmp_path):
    """A zip whose export's compressed bytes were damaged in transit (the CRC no longer
    matches): the Dutch message, not a traceback."""
    path = tmp_path / "damaged.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("export.json", json.dumps(document))
    data = bytearray(path.read_bytes())
    start = data.index(b'{"')
    data[start + 10 : start + 20] = b"X" * 10
    path.write_bytes(bytes(data))
    message = _refused(empty_app, path)
    assert "Het zip-bestand is beschadigd of kan niet gelezen worden." in message


def test_the_schema_limits_every_text_field_as_the_model_columns_do():
    from dla.agendas.models import (
        Agenda,
        Comment,
        SubQuestion,
        Thread,
        Transition,
        Version,
        VersionGroup,
        Wording,
    )

    models = {
        "region": Region,
        "agenda": Agenda,
        "version": Version,
        "group": VersionGroup,
        "wording": Wording,
        "subquestion": SubQuestion,
        "transition": Transition,
        "comment": Comment,
        "thread": Thread,
    }
    for key, model, *_rest in (*fields.REGION_TABLES, *fields.SESSION_TABLES):
        models["werksessie" if key == "werksessies" else key[:-1]] = model
    checked = 0
    for name, model in models.items():
        for prop, spec in fields.schema()["$defs"][name]["properties"].items():
            kinds = spec.get("type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if "string" not in kinds or "format" in spec or "enum" in spec:
                continue
            column = model.__table__.columns[prop]
            expected = LONG_TEXT if isinstance(column.type, Text) else column.type.length
            assert isinstance(column.type, String)
            assert spec.get("maxLength") == expected, (name, prop)
            checked += 1
    assert checked > 60


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"format": "dla-werkplaats", "version": 1}, "de velden ‘exported_at’ en ‘regions’"),
        (
            {"format": "dla-werkplaats", "version": 1, "exported_at": "gisteren", "regions": []},
            "bij het veld ‘exported_at’: dit is geen geldig tijdstip",
        ),
        (
            {
                "format": "dla-werkplaats",
                "version": 1,
                "exported_at": "2025-01-01T00:00:00+00:00",
                "regions": [{"id": 4}],
            },
            "bij regio 4: de velden ‘name’, ‘description’",
        ),
        (
            {
                "format": "dla-werkplaats",
                "version": 1,
                "exported_at": "2025-01-01T00:00:00+00:00",
                "regions": [],
                "geheim": 1,
            },
            "het veld ‘geheim’ is onbekend",
        ),
    ],
)
def test_the_shape_of_the_file_is_explained_in_dutch(empty_app, tmp_path, document, message):
    assert message in _refused(empty_app, _write(tmp_path, document))


def test_the_database_refusing_a_duplicate_still_answers_in_dutch(
    document, empty_app, tmp_path, monkeypatch
):
    """The safety net under the checks: PostgreSQL's COPY raises the driver's own error."""
    from dla.exports import restore

    monkeypatch.setattr(restore, "_check_unique", lambda *_args: None)
    broken = copy.deepcopy(document)
    region = next(r for r in broken["regions"] if r["session_votes"])
    _copy_with_new_id(region["session_votes"])
    message = _refused(empty_app, _write(tmp_path, broken))
    assert "De database weigert dit bestand" in message


def test_every_table_of_the_document_has_a_dutch_name():
    """A message about any record names its table in Dutch (a table added later too)."""
    from dla.exports.fields import REGION_TABLES, SESSION_TABLES
    from dla.exports.restore_input import NAMES

    keys = {key for key, *_rest in (*REGION_TABLES, *SESSION_TABLES)}
    assert keys - set(NAMES) == set()
