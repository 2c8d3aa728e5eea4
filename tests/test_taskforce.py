"""The taskforce's pages through HTTP on the demo workspace: the start page, the digest
(page, stable URL, .docx), the decisions register with follow-up history and overdue
flags, the programme view and its exports, and the programma role's rules (reads, never
writes; restricted versions stay invisible)."""

import io
import re
from datetime import date

import pytest
from sqlalchemy import select

from dla.agendas.models import Agenda, Version
from dla.analysis.models import Decision
from dla.auth import services as auth
from dla.auth.models import User
from dla.extensions import db
from dla.regions.models import Region
from tests.factories import log_in


def text_of(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def demo(app):
    from dla.demo import GOOI, RIJNMOND, load_demo

    with app.app_context():
        load_demo()
        regions = {
            r.name: r.id
            for r in db.session.scalars(select(Region).where(Region.name.in_([GOOI, RIJNMOND])))
        }
        users = {u.email.split("@")[0]: u.get_id() for u in db.session.scalars(select(User))}
        restricted = db.session.scalar(
            select(Version).where(Version.distribution == "beperkt").order_by(Version.id)
        )
        db.session.commit()
        return {
            "rijnmond": regions[RIJNMOND],
            "gooi": regions[GOOI],
            "users": users,
            "restricted": restricted.id if restricted else None,
        }


def as_user(app, demo, name):
    client = app.test_client()
    log_in(client, demo["users"][name])
    return client


def test_start_page_puts_besluit_nodig_first_with_counts(app, demo):
    html = text_of(as_user(app, demo, "taskforce").get("/taskforce"))
    assert html.index("In één oogopslag") < html.index("Besluit nodig") < html.index("Per regio")
    assert re.search(r"<strong>\d+</strong> (barrière vraagt|barrières vragen) een besluit", html)
    assert re.search(r"<strong>[1-9]\d*</strong> (afspraak|afspraken) over de termijn", html)
    # Only taskforce members have a start page.
    assert as_user(app, demo, "onderzoeker").get("/taskforce").status_code == 403


def test_digest_since_a_date_has_every_section_and_a_stable_url(app, demo):
    client = as_user(app, demo, "taskforce")
    region = demo["rijnmond"]
    response = client.get(f"/taskforce/overzicht?regio={region}&sinds=01-01-2025")
    html = text_of(response)
    assert response.status_code == 200
    for title in (
        "Nieuw hardnekkige barrières",
        "Naar het niveau van de taskforce",
        "Mijlpalen die eraan komen of te laat zijn",
        "Besluiten die op vervolg wachten",
        "Verloop per barrière",
    ):
        assert title in html
    assert "Verbinding met bestuurders" in html and "Te laat" in html
    assert "eigenaar: Projectleider" in html
    assert "sinds=01-01-2025" in html and f"regio={region}" in html
    assert "/barrieres/" in html and "/leervragen/" in html
    # Default: since the last taskforce decision (2026-01-27 in Rijnmond's demo).
    html = text_of(client.get(f"/taskforce/overzicht?regio={region}"))
    assert "27-01-2026" in html


def test_digest_refuses_a_bad_date_and_a_region_it_may_not_read(app, demo):
    client = as_user(app, demo, "taskforce")
    response = client.get(f"/taskforce/overzicht?regio={demo['rijnmond']}&sinds=31-02-2026")
    assert response.status_code == 422 and "kon niet gelezen worden" in text_of(response)
    assert client.get("/taskforce/overzicht?regio=99999").status_code == 404
    assert client.get("/taskforce/overzicht?regio=abc").status_code == 404
    # A deelnemer reads only their own agendas: no digest.
    deelnemer = as_user(app, demo, "deelnemer")
    assert deelnemer.get(f"/taskforce/overzicht?regio={demo['rijnmond']}").status_code == 403


def test_digest_as_docx(app, demo):
    from docx import Document

    response = as_user(app, demo, "taskforce").get(
        f"/taskforce/overzicht.docx?regio={demo['rijnmond']}&sinds=01-01-2025"
    )
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)
    assert "Taskforce-overzicht" in text and "Besluiten die op vervolg wachten" in text
    assert "Verbinding met bestuurders" in text


def test_register_keeps_the_follow_up_history_and_flags_overdue(app, demo):
    client = as_user(app, demo, "taskforce")
    html = text_of(client.get(f"/regios/{demo['rijnmond']}/besluitenregister"))
    for text in (
        "Voorstel terug in de taskforce van november.",
        "twee gemeenten willen eerst een juridisch advies",
        "de regeling gaat naar de colleges",
    ):
        assert text in html
    assert "3 keer bijgewerkt" in html
    assert "Te laat" in html  # the milestone "voor de zomer van 2026" is still "Bezig"
    assert "badge-milestone-bezig" in html and "badge-milestone-gepland" in html


def test_a_new_follow_up_never_overwrites_the_old_one(app, demo):
    client = as_user(app, demo, "taskforce")
    with app.app_context():
        decision = db.session.scalar(
            select(Decision).where(
                Decision.region_id == demo["rijnmond"], Decision.kind == "verzoek"
            )
        )
        decision_id, lock = decision.id, decision.lock_version
    for text, expected in (("Eerste reactie ontvangen.", 1), ("Criteria liggen klaar.", 2)):
        response = client.post(
            f"/besluiten/{decision_id}",
            data={
                "status": "in_uitvoering",
                "follow_up": text,
                "owner": "Veilig Thuis",
                "due_on": "01-02-2027",
                "lock_version": lock,
            },
        )
        assert response.status_code in (200, 303)
        with app.app_context():
            decision = db.session.get(Decision, decision_id)
            lock = decision.lock_version
            assert [f.text for f in decision.follow_ups][-1] == text
            assert len(decision.follow_ups) == expected
            assert decision.due_on == date(2027, 2, 1)
    response = client.post(
        f"/besluiten/{decision_id}",
        data={"status": "open", "due_on": "morgen", "lock_version": lock},
    )
    assert 400 <= response.status_code < 500


def test_programma_reads_but_never_writes(app, demo):
    client = as_user(app, demo, "programma")
    region = demo["rijnmond"]
    assert client.get(f"/regios/{region}").status_code == 200
    assert client.get(f"/regios/{region}/hardnekkige-barrieres").status_code == 200
    assert client.get(f"/regios/{region}/besluitenregister").status_code == 200
    assert client.get(f"/regios/{region}/logboek").status_code == 403
    with app.app_context():
        agenda = db.session.scalar(select(Agenda).where(Agenda.region_id == region))
        decision = db.session.scalar(select(Decision).where(Decision.region_id == region))
        version = db.session.scalar(
            select(Version).where(Version.agenda_id == agenda.id).order_by(Version.number.desc())
        )
        thread_id = version.wordings[0].thread_id if version.wordings else None
        before = decision.follow_up
    refused = [
        client.post(f"/besluiten/{decision.id}", data={"follow_up": "x", "lock_version": 99}),
        client.post(f"/regios/{region}/besluiten", data={"item_id": 1, "text": "x"}),
        client.post(f"/regios/{region}/agendas/nieuw", data={"title": "x"}),
        client.post(f"/regios/{region}/mijlpalen/nieuw", data={"title": "x"}),
    ]
    if thread_id:
        refused.append(client.post(f"/leervragen/{thread_id}/reacties", data={"body": "x"}))
    assert all(r.status_code in (403, 404, 405) for r in refused), [r.status_code for r in refused]
    with app.app_context():
        assert db.session.get(Decision, decision.id).follow_up == before


def test_programma_never_sees_restricted_versions(app, demo):
    if demo["restricted"] is None:
        pytest.skip("the demo has no restricted version")
    client = as_user(app, demo, "programma")
    assert client.get(f"/versies/{demo['restricted']}").status_code in (403, 404)
    with app.app_context():
        version = db.session.get(Version, demo["restricted"])
        texts = [w.full_text for w in version.wordings]
        region = version.agenda.region_id
        readable = {
            w.full_text
            for v in db.session.scalars(select(Version).where(Version.distribution != "beperkt"))
            for w in v.wordings
        }
    secret = [t for t in texts if t not in readable]
    html = text_of(client.get("/programma"))
    html += text_of(client.get(f"/taskforce/overzicht?regio={region}&sinds=01-01-2020"))
    html += client.get("/programma.csv").data.decode("utf-8-sig")
    for text in secret:
        assert text not in html


def test_programme_view_groups_across_regions_with_exports(app, demo):
    client = as_user(app, demo, "programma")
    html = text_of(client.get("/programma"))
    assert "Leervragen die in meer regio's terugkomen" in html
    assert "Thema's van de barrières per regio" in html
    assert "programma-heatmap" in html and "Tabel met dezelfde cijfers" in html
    csv = client.get("/programma.csv")
    assert csv.status_code == 200 and csv.data.decode("utf-8-sig").startswith("groep,soort,regio")
    xlsx = client.get("/programma.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert client.get("/programma.pdf").status_code == 404
    # Someone with one role in one region (other than programma) has no programme view.
    with app.app_context():
        user = auth.create_user("een@test.nl", "Eén Regio", "kompas-regenjas-lantaarn-9")
        auth.set_membership(user, demo["gooi"], "taskforce")
        db.session.commit()
        key = user.get_id()
    single = app.test_client()
    log_in(single, key)
    assert single.get("/programma").status_code == 403


def test_follow_up_history_survives_export_and_an_older_export_still_restores(
    app, demo, fresh_schema_url, tmp_path
):
    """The JSON export holds owners, deadlines and the follow-up history; a document made
    before these fields existed restores too (they get their defaults)."""
    import copy

    from dla import create_app
    from dla.exports.restore import restore_document
    from dla.exports.services import export_document

    with app.app_context():
        document = export_document(db.session.scalars(select(Region)).all())
    rijnmond = next(r for r in document["regions"] if r["id"] == demo["rijnmond"])
    texts = [f["text"] for f in rijnmond["decision_follow_ups"]]
    assert "Juridisch advies binnen; de regeling gaat naar de colleges." in texts
    assert {d["owner"] for d in rijnmond["decisions"]} >= {"Projectleider", "Veilig Thuis"}
    older = copy.deepcopy(document)
    for region in older["regions"]:
        region.pop("decision_follow_ups")
        for record in region["decisions"]:
            record.pop("owner"), record.pop("due_on")
        for record in region["milestones"]:
            record.pop("due_on")
    for doc, follow_ups in ((document, len(texts)), (older, 0)):
        folder = tmp_path / f"restore-{follow_ups}"
        folder.mkdir()
        target = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret",
                "SQLALCHEMY_DATABASE_URI": fresh_schema_url(folder),
                "PASSWORD_HASH_FAST": True,
            }
        )
        with target.app_context():
            from dla.analysis.models import DecisionFollowUp

            db.create_all()
            restore_document(doc)
            db.session.commit()
            restored = db.session.scalars(
                select(DecisionFollowUp).where(DecisionFollowUp.region_id == demo["rijnmond"])
            ).all()
            assert len(restored) == follow_ups
            db.session.remove()
            db.engine.dispose()


def test_a_milestone_gets_an_explicit_deadline_that_the_register_uses(app, demo):
    from dla.analysis.models import Milestone

    leader = as_user(app, demo, "projectleider")
    with app.app_context():
        milestone = db.session.scalar(
            select(Milestone).where(
                Milestone.region_id == demo["rijnmond"], Milestone.term == "eind 2026"
            )
        )
        milestone_id, lock = milestone.id, milestone.lock_version
    form = {
        "title": "Eén regionale escalatieladder",
        "term": "eind 2026",
        "due_on": "01-12-2026",
        "status": "gepland",
        "lock_version": lock,
    }
    response = leader.post(f"/mijlpalen/{milestone_id}/bewerken", data=form)
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Milestone, milestone_id).due_on == date(2026, 12, 1)
    html = text_of(leader.get(f"/regios/{demo['rijnmond']}/besluitenregister"))
    assert "(uiterlijk 01-12-2026)" in re.sub(r"<[^>]+>", "", html)
    form.update(due_on="30-02-2026", lock_version=lock + 1)
    response = leader.post(f"/mijlpalen/{milestone_id}/bewerken", data=form)
    assert response.status_code == 422


def test_became_persistent_is_relative_to_the_date(app, demo):
    """Counted from before the first version, every persistent barrier became persistent;
    counted from today, none did (the persistent-barriers view's own ranking)."""
    from dla.analysis.queries import persistent_barriers
    from dla.auth.permissions import Access
    from dla.taskforce import queries

    with app.test_request_context():
        region = db.session.get(Region, demo["rijnmond"])
        rights = Access(db.session.get(User, int(demo["users"]["taskforce"].split(":")[0])))
        where = rights.readable_versions(region.id)
        persistent = {
            row.item.id for row in persistent_barriers(region, only_persistent=True, where=where)
        }
        early = queries.region_digest(region, date(2019, 1, 1), rights, date.today())
        late = queries.region_digest(region, date.today(), rights, date.today())
        assert persistent and {row.item.id for row in early.persistent} == persistent
        assert late.persistent == [] and late.escalated == []
        assert {t.trend for t in early.trends} <= {"nieuw", "neemt_af"}


def test_milestones_overview_flags_a_late_milestone(app, demo):
    html = text_of(as_user(app, demo, "taskforce").get(f"/regios/{demo['rijnmond']}/mijlpalen"))
    row = html[html.index("Verbinding met bestuurders") :][:600]
    assert "Te laat" in row and "badge-milestone-bezig" in row
