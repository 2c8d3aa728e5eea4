"""What an upload that is no agenda gets told, in plain Dutch, through the import page."""

from __future__ import annotations

import gc
import io
import zipfile

import pytest
from docx import Document
from openpyxl import Workbook
from sqlalchemy import select

from dla.agendas.models import Version
from dla.extensions import db
from tests.factories import log_in, make_agenda, make_user

# What these uploads were told before: a technical part name, or the pasted-text message.
WRONG = ("word/document.xml", "ontbreekt", "De tekst is leeg")


@pytest.fixture
def leader(app):
    with app.app_context():
        agenda = make_agenda()
        user = make_user("pl@test.nl", region=agenda.region, role="projectleider")
        db.session.commit()
        client = app.test_client()
        log_in(client, user)
        return client, agenda.region_id


def _upload(client, region_id: int, data: bytes, name: str):
    return client.post(
        f"/regios/{region_id}/importeren",
        data={"bestand": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _empty_docx() -> bytes:
    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def _zip_without_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("iets/anders.txt", "hallo")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "agenda.docx", "Het gekozen bestand is leeg"),
        (b"  \n", "agenda.txt", "Het gekozen bestand is leeg"),
        (_empty_docx(), "agenda.docx", "Dit Word-bestand bevat geen tekst"),
        (_xlsx(), "agenda.docx", "Dit is een Excel-bestand, geen Word-bestand"),
        (_zip_without_document(), "agenda.docx", "Dit is geen Word-bestand"),
    ],
)
def test_an_upload_that_is_no_agenda_is_explained(app, leader, data, name, message):
    client, region_id = leader
    response = _upload(client, region_id, data, name)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in body
    assert not any(wrong in body for wrong in WRONG)
    with app.app_context():
        assert db.session.scalar(select(Version.id)) is None


# Werkzeug leaves the temporary file of a refused upload open; the garbage collector closes it.
@pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <_io.FileIO name=\\d+ mode='rb\\+':"
    "pytest.PytestUnraisableExceptionWarning"
)
def test_a_too_large_upload_names_the_limit(app, leader):
    client, region_id = leader
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = _upload(client, region_id, b"x" * (limit + 1), "agenda.docx")
    assert response.status_code == 413
    megabytes = limit // (1024 * 1024)
    assert f"groter dan {megabytes} MB" in response.get_data(as_text=True)
    del response
    gc.collect()  # close Werkzeug's temporary file here, under this test's warning filter
