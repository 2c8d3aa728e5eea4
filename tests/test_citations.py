"""The citation check, quotations and report references, through the paths users take:
services, the web page (paste and upload), ``flask dla citations`` and ``flask dla import
--reference``. Restricted versions are never matched for those who may not read them."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import docx
import pytest
from sqlalchemy import select

from dla.agendas import services as agendas
from dla.agendas.models import Version
from dla.auth import services as auth_services
from dla.auth.models import User
from dla.auth.permissions import Access
from dla.citations import services
from dla.citations.extract import find_quotes, parse_tag
from dla.citations.models import Quotation
from dla.errors import PublishedError
from dla.extensions import db
from dla.regions.models import Region
from tests.factories import log_in, make_agenda, make_region, make_user, make_version

DATA = Path(__file__).parent / "data" / "citations"

PROF_A = (
    "Hoe kan ik als ICR regie houden op de veiligheid in het gezin, terwijl ik geen "
    "doorzettingsmacht heb over de betrokken organisaties?"
)
PROF_B = (
    "Hoe kan ik als ICR informatie delen met Veilig Thuis, terwijl ik niet zeker weet wat de "
    "privacyregels toestaan?"
)
MAN_A = (
    "Hoe kan ik als teamleider kennis over huiselijk geweld in het team houden, terwijl er "
    "veel verloop is?"
)
SECRET = (
    "Hoe zorgen we voor structurele financiering van de ICR-functie, terwijl de pilot uit "
    "tijdelijk geld wordt betaald?"
)

REPORT = f"""Kader 4.1 Leervragen
“{PROF_A}” [DLA professionals, bijlage 2.4]
“{MAN_A}” [DLA professionals, bijlage 2.4]
De ICR's vroegen zich af: Hoe kan ik informatie delen met Veilig Thuis, terwijl ik niet \
zeker weet wat de privacyregels toestaan?
“{SECRET}” [DLA bestuurders, bijlage 5.1]
“Hoe kan ik als wijkteammedewerker signalen bespreken, terwijl ouders bang zijn voor \
uithuisplaatsing?” [gereconstrueerd]
Hoe kan de regio dit verbeteren?
"""


@pytest.fixture
def world(app):
    """Three agendas with report references, one restricted; ids only (each test loads what
    it needs in its own context, so no request shares another's ``g``)."""
    with app.app_context():
        region = make_region("Citeerregio")
        prof = make_agenda(region, title="Leeragenda professionals", audience="Professionals")
        managers = make_agenda(
            region, level="tactisch", title="Leeragenda managers", audience="Managers"
        )
        board = make_agenda(
            region, level="strategisch", title="Leeragenda bestuurders", audience="Bestuurders"
        )
        v_prof = make_version(prof, [PROF_A, PROF_B], publish=True, day=date(2025, 1, 1))
        v_man = make_version(managers, [MAN_A], publish=True, day=date(2025, 2, 1))
        v_board = make_version(
            board, [SECRET], publish=True, day=date(2025, 3, 1), distribution="beperkt"
        )
        for version, reference in (
            (v_prof, "bijlage 2.4"),
            (v_man, "bijlage 2.3"),
            (v_board, "bijlage 5.1"),
        ):
            agendas.set_report_reference(version, reference, lock_version=version.lock_version)
        researcher = make_user("olga@test.nl", region=region, role="onderzoeker")
        leader = make_user("pim@test.nl", region=region, role="projectleider")
        participant = make_user("dana@test.nl", region=region, role="deelnemer")
        auth_services.add_participant(prof, participant.id)
        db.session.commit()
        return {
            "region": region.id,
            "versions": (v_prof.id, v_man.id, v_board.id),
            "researcher": researcher.id,
            "leader": leader.id,
            "participant": participant.id,
            "logins": {u.id: u.get_id() for u in (researcher, leader, participant)},
        }


def load(model, object_id):
    return db.session.get(model, object_id)


def test_quotes_are_found_with_and_without_quotation_marks_and_their_tags_read():
    quotes = find_quotes(REPORT)
    assert [q.quoted for q in quotes] == [True, True, False, True, True]
    assert (
        quotes[0].tag.reference == "bijlage 2.4" and quotes[0].tag.descriptor == "DLA professionals"
    )
    assert quotes[2].tag is None  # running text, no tag: found for its "terwijl"
    assert not quotes[4].tag.claims  # [gereconstrueerd] says how, not where
    assert parse_tag("[DLA managers]").claims and not parse_tag("[interview teamleider]").claims
    assert parse_tag("[DLA managers, Bijlage  3.2]").reference == "bijlage 3.2"


def test_each_quote_gets_its_source_kind_diff_and_tag_verdict(world, ctx):
    region, researcher = load(Region, world["region"]), load(User, world["researcher"])
    results = services.check_report(region, REPORT, Access(researcher).readable_versions(region.id))
    data = [r.as_json() for r in results]
    assert all(
        set(d) == {"text", "tag", "match", "kind", "citation_ok", "suggested_tag"} for d in data
    )
    exact, other_agenda, edited, secret, reconstructed = data
    assert exact["kind"] == "exact" and exact["citation_ok"] is True
    assert exact["match"] == {
        "agenda": "Leeragenda professionals",
        "version": 1,
        "reference": "bijlage 2.4",
        "label": "A",
    }
    # A managers' question cited as the professionals' appendix.
    assert other_agenda["kind"] == "exact" and other_agenda["citation_ok"] is False
    assert other_agenda["suggested_tag"] == "[DLA managers, bijlage 2.3]"
    # Edited ("als ICR" left out), no tag: no claim, but a proposal.
    assert edited["kind"] == "near-exact" and edited["citation_ok"] is None
    assert edited["suggested_tag"] == "[DLA professionals, bijlage 2.4]"
    assert ("delete", "als ICR ") in [(op, text) for op, text in results[2].diff] or any(
        op == "delete" and "ICR" in text for op, text in results[2].diff
    )
    # The restricted version is never matched for a non-member: not found, the claim fails.
    assert secret["match"] is None and secret["kind"] == "none" and secret["citation_ok"] is False
    assert reconstructed["match"] is None and reconstructed["citation_ok"] is None


def test_members_of_a_restricted_version_do_find_it(world, ctx):
    region, leader = load(Region, world["region"]), load(User, world["leader"])
    results = services.check_report(region, REPORT, Access(leader).readable_versions(region.id))
    assert results[3].kind == "exact" and results[3].citation_ok is True


def test_a_report_reference_may_be_set_after_publishing_but_nothing_else(world, ctx):
    v_prof = load(Version, world["versions"][0])
    agendas.set_report_reference(v_prof, "bijlage 2.5", lock_version=v_prof.lock_version)
    db.session.commit()
    assert v_prof.report_reference == "bijlage 2.5" and v_prof.is_published
    v_prof.context_line = "Iets anders"
    with pytest.raises(PublishedError):
        db.session.flush()
    db.session.rollback()


def test_the_check_page_shows_wrong_tags_for_researchers_only(app, client, world):
    region_id, participant, researcher = world["region"], world["participant"], world["researcher"]
    log_in(client, world["logins"][participant])
    assert client.get(f"/regios/{region_id}/citaten").status_code == 403
    assert client.post(f"/regios/{region_id}/citaten", data={"tekst": REPORT}).status_code == 403
    log_in(client, world["logins"][researcher])
    page = client.get(f"/regios/{region_id}/citaten")
    assert page.status_code == 200
    response = client.post(f"/regios/{region_id}/citaten", data={"tekst": REPORT})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Resultaat: 5 citaten" in body and body.count("Bron klopt niet") == 2
    assert "[DLA managers, bijlage 2.3]" in body
    assert "Leeragenda bestuurders" not in body  # the restricted source is never shown
    empty = client.post(f"/regios/{region_id}/citaten", data={"tekst": "  "})
    assert empty.status_code == 422 and "Plak de tekst" in empty.get_data(as_text=True)
    junk = client.post(
        f"/regios/{region_id}/citaten",
        data={"bestand": (io.BytesIO(b"PK\x03\x04 kapot"), "rapport.docx")},
        content_type="multipart/form-data",
    )
    assert junk.status_code == 422


def _report_docx() -> bytes:
    """The report as Word: a box as a table (question | tag), running text, a shaded
    paragraph."""
    document = docx.Document()
    document.add_paragraph("Kader 4.1 Leervragen")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = f"“{PROF_A}”"
    table.cell(0, 1).text = "[DLA professionals, bijlage 2.4]"
    table.cell(1, 0).text = f"“{MAN_A}”"
    table.cell(1, 1).text = "[DLA professionals, bijlage 2.4]"
    document.add_paragraph(f"De ICR's vroegen zich af: {PROF_B} [DLA managers, bijlage 2.3]")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_report_is_checked_tables_and_running_text(app, client, world):
    region_id = world["region"]
    log_in(client, world["logins"][world["researcher"]])
    response = client.post(
        f"/regios/{region_id}/citaten",
        data={"bestand": (io.BytesIO(_report_docx()), "rapport.docx")},
        content_type="multipart/form-data",
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Resultaat: 3 citaten" in body and body.count("Bron klopt niet") == 2


def test_the_word_report_with_text_frames_and_shading_finds_every_quote():
    text = services.report_text(
        filename="r.docx", data=(DATA / "rapport-rijnmond.docx").read_bytes()
    )
    labels = json.loads((DATA / "rapport-rijnmond.expected.json").read_text(encoding="utf-8"))
    assert len(find_quotes(text)) == len(labels)


def test_cli_prints_json_with_exactly_the_keys_and_leaves_restricted_out(
    app, runner, world, tmp_path
):
    report = tmp_path / "rapport.txt"
    report.write_text(REPORT, encoding="utf-8")
    result = runner.invoke(
        args=["dla", "citations", str(report), "--region", "Citeerregio", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["kind"] for d in data] == ["exact", "exact", "near-exact", "none", "none"]
    assert [d["citation_ok"] for d in data] == [True, False, None, False, None]
    assert all(
        list(d) == ["text", "tag", "match", "kind", "citation_ok", "suggested_tag"] for d in data
    )
    docx_file = tmp_path / "rapport.docx"
    docx_file.write_bytes(_report_docx())
    plain = runner.invoke(args=["dla", "citations", str(docx_file), "--region", "Citeerregio"])
    assert plain.exit_code == 0 and "citation: wrong -> [DLA managers, bijlage 2.3]" in plain.stdout
    unknown = runner.invoke(args=["dla", "citations", str(report), "--region", "Nergens"])
    assert unknown.exit_code != 0 and "Onbekende regio" in unknown.output


def test_citeren_stores_a_quotation_listed_on_the_question(app, client, world):
    with app.app_context():
        wording = load(Version, world["versions"][0]).wordings[0]
        wording_id, thread_id = wording.id, wording.thread_id
    log_in(client, world["logins"][world["participant"]])
    assert client.post(f"/vragen/{wording_id}/citeren").status_code == 403
    log_in(client, world["logins"][world["researcher"]])
    made = client.post(f"/vragen/{wording_id}/citeren")
    assert made.status_code == 303
    page = client.get(made.headers["Location"]).get_data(as_text=True)
    assert "[DLA professionals, bijlage 2.4]" in page and "geraadpleegd" in page
    assert "/citaten/" in page  # the permalink
    thread = client.get(f"/leervragen/{thread_id}").get_data(as_text=True)
    assert "Geciteerd in rapporten" in thread and "Olga" in thread
    with app.app_context():
        quotation = db.session.scalar(select(Quotation))
        assert (
            quotation.tag == "[DLA professionals, bijlage 2.4]" and quotation.thread_id == thread_id
        )


def test_a_quotation_of_a_restricted_version_stays_hidden(app, client, world):
    with app.app_context():
        secret = load(Version, world["versions"][2]).wordings[0]
        quotation = services.create_quotation(secret, created_by_id=None, today=date(2026, 1, 1))
        db.session.commit()
        quotation_id, secret_id = quotation.id, secret.id
    log_in(client, world["logins"][world["researcher"]])
    assert client.get(f"/citaten/{quotation_id}").status_code == 404
    assert client.post(f"/vragen/{secret_id}/citeren").status_code == 404


def test_the_reference_is_set_from_the_version_page_and_by_import(
    app, client, runner, world, tmp_path
):
    version_id = world["versions"][0]
    with app.app_context():
        lock = load(Version, version_id).lock_version
    log_in(client, world["logins"][world["researcher"]])
    assert 'name="verwijzing"' in client.get(f"/versies/{version_id}").get_data(as_text=True)
    saved = client.post(
        f"/versies/{version_id}/verwijzing",
        data={"verwijzing": "bijlage 7.1", "lock_version": lock},
    )
    assert saved.status_code == 303
    assert "bijlage 7.1" in client.get(f"/versies/{version_id}").get_data(as_text=True)
    agenda_text = tmp_path / "agenda.txt"
    agenda_text.write_text(f"Versie: 1\nDatum: 24-02-2020\n\nA. {PROF_B}\n", encoding="utf-8")
    result = runner.invoke(
        args=[
            "dla",
            "import",
            str(agenda_text),
            "--region",
            "Nieuwe regio",
            "--agenda",
            "Nieuw",
            "--create",
            "--reference",
            "bijlage 2.4",
            "--json",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        from dla.agendas.models import Agenda

        agenda = db.session.scalar(select(Agenda).where(Agenda.title == "Nieuw"))
        assert agenda.versions[0].report_reference == "bijlage 2.4"
