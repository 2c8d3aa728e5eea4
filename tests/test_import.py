"""Import of existing DLAs: the CLI, the preview-and-confirm flow, lineage into transitions."""

import io
import json
import re
import zipfile

import pytest
from sqlalchemy import func, select

from dla.agendas import services
from dla.agendas.models import Agenda, Transition, Version, Wording
from dla.extensions import db
from tests.conftest import EXAMPLES
from tests.factories import log_in, make_region, make_user


def run_import(runner, name, *extra):
    return runner.invoke(
        args=[
            "dla",
            "import",
            str(EXAMPLES / name),
            "--region",
            "Gooi en Vechtstreek",
            "--agenda",
            "Uitvoerders",
            *extra,
        ]
    )


def test_cli_imports_a_first_version_and_suggests_for_the_next(app, runner):
    first = run_import(runner, "gvs-dla-versie-1.txt", "--json")
    assert first.exit_code == 0, first.output
    saved = json.loads(first.output)
    assert saved["saved"] and saved["version"]["status"] == "vastgesteld"
    assert [q["label"] for q in saved["questions"]] == ["A", "B", "C", "D", "E"]
    assert saved["version"]["document_date"] == "2020-02-24"
    assert saved["version"]["session_date"] == "2020-01-21"

    dry = run_import(runner, "gvs-dla-memo-2020-01-31.txt", "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    result = json.loads(dry.output)
    assert result["saved"] is False
    tops = {
        f"{q['group'].split()[-1]}-{q['label']}": (
            q["suggestions"][0]["label"] if q["suggestions"] else None
        )
        for q in result["questions"]
    }
    assert tops == {
        "ambitie-1": "B",
        "ambitie-2": "A",
        "ambitie-3": "D",
        "ambitie-4": "E",
        "vervolgstappen-1": None,
        "vervolgstappen-2": None,
    }
    first_question = result["questions"][0]
    assert first_question["barrier"] == "er nu verschillende werkwijzen en verwachtingen"
    assert any(s["label"] == "C" and s["possible_merge"] for s in first_question["suggestions"])
    with app.app_context():
        assert db.session.scalar(select(func.count(Version.id))) == 1  # the dry run saved nothing

    memo = run_import(runner, "gvs-dla-memo-2020-01-31.txt")
    assert memo.exit_code == 0, memo.output
    assert "Saved as version 2 (concept)" in memo.output
    with app.app_context():
        version = db.session.scalar(select(Version).where(Version.number == 2))
        assert version.distribution == "beperkt" and version.reference == "20.0000558"
        assert [g.title for g in version.groups] == [
            "Leervragen ten aanzien van ambitie",
            "Leervragen ten aanzien van vervolgstappen",
        ]
        # The CLI links nothing: every question of version 1 waits for a person's decision.
        assert len(services.missing_transitions(version)) == 5


def test_cli_refuses_unreadable_files(runner, tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\x01\x02" * 100)
    result = runner.invoke(args=["dla", "import", str(junk), "--region", "R", "--agenda", "A"])
    assert result.exit_code != 0 and "kunnen we niet lezen" in result.output
    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"not a zip at all")
    result = runner.invoke(args=["dla", "import", str(fake), "--region", "R", "--agenda", "A"])
    assert result.exit_code != 0 and "geen Word-bestand" in result.output


@pytest.fixture
def leader(app, client):
    with app.app_context():
        region = make_region("Gooi")
        user = make_user("pl@test.nl", region=region, role="projectleider")
        db.session.commit()
        log_in(client, user)
        return region.id


def _preview(client, region_id, text, **extra):
    return client.post(f"/regios/{region_id}/importeren", data={"tekst": text, **extra})


def _fields(html: str) -> dict:
    """The form fields of the preview page, as a browser would submit them (checked only)."""
    data: dict[str, list[str]] = {}
    for match in re.finditer(r"<input ([^>]*)>", html):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', match.group(1)))
        kind = attrs.get("type", "text")
        if "name" not in attrs or kind == "file":
            continue
        if kind in ("radio", "checkbox") and "checked" not in match.group(1):
            continue
        data.setdefault(attrs["name"], []).append(attrs.get("value", ""))
    for match in re.finditer(r'<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data.setdefault(match.group(1), []).append(match.group(2))
    for match in re.finditer(r'<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        options = re.findall(r'<option value="([^"]*)"( selected)?', match.group(2))
        chosen = next((v for v, sel in options if sel), options[0][0] if options else "")
        data.setdefault(match.group(1), []).append(chosen)
    return data


def _unescape(value: str) -> str:
    import html

    return html.unescape(value)


def test_preview_confirm_and_transitions(app, client, leader):
    text = (EXAMPLES / "gvs-dla-versie-1.txt").read_text()
    preview = _preview(
        client, leader, text, titel="Uitvoerders", niveau="operationeel", doelgroep="ICR's"
    )
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "5 vragen in 1 groep" in page and "Er is nog niets opgeslagen" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Agenda.id))) == 0
    fields = {k: [_unescape(v) for v in vs] for k, vs in _fields(page).items()}
    fields["q-1-tekst"] = [
        fields["q-1-tekst"][0].replace("voor het gezin", "voor elk gezin")
    ]  # a correction
    saved = client.post(f"/regios/{leader}/importeren/opslaan", data=fields)
    assert saved.status_code == 303, saved.get_data(as_text=True)
    with app.app_context():
        agenda = db.session.scalar(select(Agenda))
        version = services.concept_version(agenda)
        services.publish_version(version)
        db.session.commit()
        b = next(w for w in version.wordings if w.label == "B")
        assert "voor elk gezin" in b.full_text
        agenda_id = agenda.id

    memo = (EXAMPLES / "gvs-dla-memo-2020-01-31.txt").read_text()
    preview = _preview(client, leader, memo, agenda_id=str(agenda_id))
    page = preview.get_data(as_text=True)
    assert "Voorstel:" in page and "Mogelijk samengevoegd" in page
    fields = _fields(page)
    # Confirm the suggestions, and the merge of C into ambitie 1.
    merge_box = re.search(r'name="q-0-samen" value="(\d+)"', page).group(1)
    fields["q-0-samen"] = [merge_box]
    saved = client.post(f"/regios/{leader}/importeren/opslaan", data=fields)
    assert saved.status_code == 303, saved.get_data(as_text=True)
    with app.app_context():
        version = services.concept_version(db.session.get(Agenda, agenda_id))
        kinds = sorted(t.kind for t in db.session.scalars(select(Transition)))
        assert kinds == ["geherformuleerd"] * 4 + ["samengevoegd"]
        assert services.missing_transitions(version) == []
        services.publish_version(version)
        db.session.commit()
        threads = list(
            db.session.scalars(select(Wording.thread_id).where(Wording.version_id == version.id))
        )
        assert len(threads) == len(set(threads)) == 6


def test_import_errors_save_nothing(app, client, leader):
    empty = _preview(client, leader, "   ")
    assert empty.status_code == 422 and "De tekst is leeg" in empty.get_data(as_text=True)
    no_questions = _preview(client, leader, "Alleen een titel\nen wat tekst")
    assert no_questions.status_code == 422 and "geen leervragen" in no_questions.get_data(
        as_text=True
    )
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (30 * 1024 * 1024))
    bad = client.post(
        f"/regios/{leader}/importeren",
        data={"bestand": (io.BytesIO(bomb.getvalue()), "bom.docx")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and "te groot of beschadigd" in bad.get_data(as_text=True)
    huge = _preview(client, leader, "A. Hoe " + "x" * (20 * 1024 * 1024))
    assert huge.status_code == 413
    # A confirm whose second question is broken saves nothing at all.
    broken = client.post(
        f"/regios/{leader}/importeren/opslaan",
        data={
            "titel": "Nieuw",
            "niveau": "tactisch",
            "doelgroep": "Managers",
            "aantal": "2",
            "groepen": "1",
            "q-0-tekst": "Hoe a, terwijl b c d?",
            "q-1-tekst": "",
        },
    )
    assert broken.status_code == 422 and "Vul de vraag in." in broken.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Agenda.id))) == 0
        assert db.session.scalar(select(func.count(Wording.id))) == 0


def test_import_refuses_a_link_into_another_region(app, client, leader):
    with app.app_context():
        from tests.factories import make_agenda, make_version

        foreign = make_version(
            make_agenda(make_region("Ander")), ["Hoe x, terwijl y z w?"], publish=True
        )
        db.session.commit()
        foreign_id = foreign.wordings[0].id
    response = client.post(
        f"/regios/{leader}/importeren/opslaan",
        data={
            "titel": "Nieuw",
            "niveau": "tactisch",
            "doelgroep": "Managers",
            "aantal": "1",
            "groepen": "1",
            "q-0-tekst": "Hoe x, terwijl y z w?",
            "q-0-vervolg": str(foreign_id),
        },
    )
    assert response.status_code == 422
    assert "bestaat niet (meer) in deze regio" in response.get_data(as_text=True)
