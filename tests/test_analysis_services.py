"""Services and queries of the system analysis: matrix, links, suggestions, persistence
ranking on a hand-built history, milestones, decisions and escalation."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from dla.agendas import questions, services, transitions
from dla.agendas.models import Thread, Transition, Wording
from dla.analysis import queries
from dla.analysis import services as analysis
from dla.analysis.models import MatrixHeading
from dla.audit.models import AuditEntry
from dla.errors import ConflictError, PublishedError, ValidationError
from dla.extensions import db
from tests.factories import by_label, keep_all, make_agenda, make_region, make_version, question

PRIVACY = question(
    "als ICR informatie delen met Veilig Thuis", "ik niet weet wat de privacyregels toestaan"
)
CAPACITY = question("mijn werk goed doen", "mijn caseload steeds zwaarder wordt")
SCALE = question("op tijd opschalen", "de criteria voor opschaling verschillend worden uitgelegd")
MANDATE = question("regie houden", "ik geen doorzettingsmacht heb over de betrokken organisaties")


def _item(region, description, *, aspect=0, actor=0, kind="barriere"):
    aspects, actors = analysis.headings(region)
    if not aspects:
        analysis.seed_defaults(region)
        aspects, actors = analysis.headings(region)
    return analysis.create_item(
        region,
        aspect_id=aspects[aspect].id,
        actor_id=actors[actor].id,
        kind=kind,
        description=description,
    )


def thread_of(version, label):
    return db.session.get(Thread, by_label(version, label).thread_id)


# --- matrix ------------------------------------------------------------------------------------


def test_defaults_are_seeded_once_and_lists_are_editable(ctx):
    region = make_region()
    analysis.seed_defaults(region)
    aspects, actors = analysis.headings(region)
    assert len(aspects) == 10 and len(actors) == 9
    assert aspects[0].name == "Wet- en regelgeving" and actors[2].name == "Veilig Thuis"
    with pytest.raises(ValidationError):
        analysis.seed_defaults(region)
    extra = analysis.add_heading(region, axis="actor", name="Ervaringsdeskundigen")
    with pytest.raises(ValidationError, match="staat al"):
        analysis.add_heading(region, axis="actor", name="ervaringsdeskundigen")
    with pytest.raises(ValidationError):
        analysis.add_heading(region, axis="kolom", name="X")
    analysis.rename_heading(extra, name="Ervaringsdeskundigen (GVS)", lock_version=1)
    with pytest.raises(ConflictError) as stale:
        analysis.rename_heading(extra, name="Ouders", lock_version=1)
    assert stale.value.current == "Ervaringsdeskundigen (GVS)"
    item = analysis.create_item(
        region, aspect_id=aspects[0].id, actor_id=extra.id, description="Geen vaste groep"
    )
    with pytest.raises(ValidationError, match="nog items"):
        analysis.delete_heading(extra)
    analysis.delete_item(item)
    analysis.delete_heading(extra)
    assert len(analysis.headings(region)[1]) == 9


def test_items_are_validated_and_stale_edits_refused(ctx):
    region = make_region()
    other = make_region("Andere regio")
    analysis.seed_defaults(other)
    item = _item(region, "De ICR heeft geen doorzettingsmacht")
    assert item.noted_on == date.today() and item.code == f"B-{item.id}"
    foreign = analysis.headings(other)[0][0]
    with pytest.raises(ValidationError, match="systeemaspect van deze regio"):
        analysis.create_item(region, aspect_id=foreign.id, actor_id=item.actor_id, description="x")
    with pytest.raises(ValidationError, match="Kies"):
        analysis.create_item(
            region, aspect_id=item.aspect_id, actor_id=item.actor_id, description="x", kind="zorg"
        )
    with pytest.raises(ValidationError, match="beschrijving"):
        analysis.create_item(
            region, aspect_id=item.aspect_id, actor_id=item.actor_id, description="  "
        )
    analysis.update_item(item, lock_version=item.lock_version, status="afgenomen")
    assert item.status_on == date.today()
    with pytest.raises(ConflictError) as stale:
        analysis.update_item(item, lock_version=1, description="Overschreven")
    assert stale.value.current == "De ICR heeft geen doorzettingsmacht"
    assert item.description == "De ICR heeft geen doorzettingsmacht"


def test_matrix_counts_items_per_cell(ctx):
    region = make_region()
    _item(region, "Barrière een", aspect=2, actor=3)
    _item(region, "Barrière twee", aspect=2, actor=3)
    _item(region, "Een kans", aspect=2, actor=3, kind="kans")
    _item(region, "Elders", aspect=0, actor=0)
    matrix = queries.matrix(region)
    cell = matrix.cell(matrix.aspects[2], matrix.actors[3])
    assert (cell.barriers, cell.chances) == (2, 1)
    assert matrix.cell(matrix.aspects[1], matrix.actors[1]).items == []
    assert matrix.total == 4


def test_every_change_is_in_the_audit_log(ctx):
    region = make_region()
    item = _item(region, "Geen mandaat")
    entities = set(
        db.session.scalars(select(AuditEntry.entity).where(AuditEntry.region_id == region.id))
    )
    assert {"matrixkop", "barrière-item"} <= entities
    changes = db.session.scalars(
        select(AuditEntry.changes).where(AuditEntry.entity == "barrière-item")
    ).all()
    assert any(item.description in c for c in changes)


# --- links and suggestions ---------------------------------------------------------------------


def test_links_go_on_threads_and_published_versions_stay_immutable(ctx):
    agenda = make_agenda()
    v1 = make_version(agenda, [PRIVACY, CAPACITY], publish=True, day=date(2025, 1, 1))
    item = _item(agenda.region, "Onduidelijk wat de privacyregels toestaan")
    thread = thread_of(v1, "A")
    link = analysis.link_thread(thread, item, note="Het terwijl-deel")
    assert (link.thread_id, link.note) == (thread.id, "Het terwijl-deel")
    before = by_label(v1, "A").full_text
    with pytest.raises(ValidationError, match="al gekoppeld"):
        analysis.link_thread(thread, item)
    other = make_region("Andere regio")
    foreign = _item(other, "Elders")
    with pytest.raises(ValidationError):
        analysis.link_thread(thread, foreign)
    db.session.flush()
    assert by_label(v1, "A").full_text == before
    # Changing a published wording is still refused, links or not.
    wording = by_label(v1, "A")
    wording.text = "Anders"
    with pytest.raises(PublishedError):
        db.session.flush()
    db.session.rollback()


def test_thread_panel_suggests_items_for_the_barrier_clause(ctx):
    agenda = make_agenda()
    v1 = make_version(agenda, [PRIVACY, CAPACITY, MANDATE], publish=True, day=date(2025, 1, 1))
    region = agenda.region
    privacy = _item(region, "Onduidelijkheid over wat de privacyregels (AVG) toestaan", aspect=8)
    mandate = _item(region, "Procesregisseur heeft geen doorzettingsmacht", aspect=3)
    _item(region, "Korte lijnen in kleine gemeenten", kind="kans")
    wording = by_label(v1, "A")
    panel = queries.thread_panel(thread_of(v1, "A"), wording.barrier)
    assert [item.id for item, _score in panel.suggestions] == [privacy.id]
    panel = queries.thread_panel(thread_of(v1, "C"), by_label(v1, "C").barrier)
    assert [item.id for item, _score in panel.suggestions] == [mandate.id]
    analysis.link_thread(thread_of(v1, "C"), mandate)
    panel = queries.thread_panel(thread_of(v1, "C"), by_label(v1, "C").barrier)
    assert panel.suggestions == [] and [link.item_id for link, _item in panel.links] == [mandate.id]
    [(suggested, _score)] = queries.suggestions_for_text(
        region, "ik twijfel wat de privacyregels toestaan"
    )
    assert suggested.id == privacy.id and suggested.aspect == privacy.aspect.name


# --- persistence ranking on a hand-built history --------------------------------------------------


def _history():
    """ICR agenda with four versions and a taskforce agenda; dates within the last months.

    A (privacy) and C (mandaat) stay in all four versions: hardnekkig (4 on a row).
    B (capaciteit) is dropped in version 3: two versions, no longer open.
    D (opschaling) stands in versions 1-2 and moves to the taskforce agenda: a run of three
    on two levels and two agendas.
    """
    region = make_region()
    icr = make_agenda(region, title="ICR's", level="operationeel")
    taskforce = make_agenda(region, title="Taskforce", level="strategisch", audience="Taskforce")
    start = date.today() - timedelta(days=150)
    v1 = make_version(icr, [PRIVACY, CAPACITY, MANDATE, SCALE], publish=True, day=start)
    v2 = services.create_version(icr, document_date=start + timedelta(days=30))
    keep_all(v2)
    services.publish_version(v2)
    v3 = services.create_version(icr, document_date=start + timedelta(days=60))
    transitions.set_transition(v3, by_label(v2, "A"), "blijft_staan")
    transitions.set_transition(v3, by_label(v2, "C"), "blijft_staan")
    transitions.set_transition(v3, by_label(v2, "B"), "vervallen", reason="niet_meer_urgent")
    transitions.set_transition(v3, by_label(v2, "D"), "verplaatst", target_agenda=taskforce)
    services.publish_version(v3)
    tf1 = services.concept_version(taskforce)
    tf1.document_date = start + timedelta(days=70)
    services.publish_version(tf1)
    v4 = services.create_version(icr, document_date=start + timedelta(days=90))
    keep_all(v4)
    services.publish_version(v4)
    threads = {label: thread_of(v1, label) for label in "ABCD"}
    return region, threads


def test_persistent_barriers_are_ranked_by_known_order(ctx):
    region, t = _history()
    privacy = _item(region, "Onduidelijke privacyregels", aspect=8)
    scale = _item(region, "Opschalingscriteria verschillen", aspect=2, actor=7)
    capacity = _item(region, "Zware caseload", aspect=7, actor=1)
    both = _item(region, "Geen gedeelde regie", aspect=3, actor=1)
    unlinked = _item(region, "Nog niet gekoppeld", aspect=1)
    chance = _item(region, "Korte lijnen", kind="kans")
    analysis.link_thread(t["A"], privacy)
    analysis.link_thread(t["D"], scale)
    analysis.link_thread(t["B"], capacity)
    analysis.link_thread(t["A"], both)
    analysis.link_thread(t["C"], both)
    analysis.link_thread(t["C"], chance)  # a kans is no barrier: never in this view
    analysis.record_decision(
        region, item=scale, decided_on=date.today(), text="Eén set criteria afspreken"
    )
    rows = queries.persistent_barriers(region, only_persistent=False)
    assert [row.item.id for row in rows] == [both.id, scale.id, privacy.id, capacity.id]
    assert unlinked.id not in {row.item.id for row in rows}
    by_id = {row.item.id: row.rank for row in rows}
    assert by_id[both.id].hardnekkig == 2 and by_id[both.id].max_versions == 4
    assert by_id[scale.id].levels == ["operationeel", "strategisch"]
    assert by_id[scale.id].escalate and by_id[scale.id].agendas == 2
    assert by_id[capacity.id].hardnekkig == 0 and by_id[capacity.id].open == 0
    assert len(by_id[privacy.id].sparkline) == 4
    assert [d.text for d in rows[1].decisions] == ["Eén set criteria afspreken"]
    persistent = queries.persistent_barriers(region, only_persistent=True)
    assert [row.item.id for row in persistent] == [both.id, scale.id, privacy.id]


def test_item_questions_cross_agendas_and_levels(ctx):
    region, t = _history()
    item = _item(region, "Gedeelde barrière")
    analysis.link_thread(t["A"], item, note="ICR")
    analysis.link_thread(t["D"], item, note="Nu bij de taskforce")
    found = queries.item_questions(item)
    assert {q.thread_id for q in found} == {t["A"].id, t["D"].id}
    moved = next(q for q in found if q.thread_id == t["D"].id)
    assert moved.agenda.title == "Taskforce" and moved.persistence.hardnekkig
    assert moved.note == "Nu bij de taskforce"


# --- milestones and decisions -------------------------------------------------------------------


def test_milestones_with_preconditions_actions_links_and_overview(ctx):
    region, t = _history()
    item = _item(region, "Geen escalatieladder")
    milestone = analysis.create_milestone(
        region, title="Leerstructuur voor gemeenten", term="half september", status="bezig"
    )
    analysis.add_precondition(milestone, text="Inzicht in de leervragen")
    done = analysis.add_action(milestone, text="Reflectiesessie", owner="Onderzoeker")
    analysis.add_action(milestone, text="Structuur opzetten", status="bezig")
    analysis.update_action(done, lock_version=done.lock_version, status="klaar")
    with pytest.raises(ConflictError):
        analysis.update_action(done, lock_version=1, status="open")
    with pytest.raises(ValidationError):
        analysis.add_action(milestone, text="Iets", status="half")
    analysis.link_milestone(milestone, thread=t["A"])
    analysis.link_milestone(milestone, item=item)
    with pytest.raises(ValidationError, match="bestaat al"):
        analysis.link_milestone(milestone, item=item)
    with pytest.raises(ValidationError):
        analysis.link_milestone(milestone)
    with pytest.raises(ValidationError):
        analysis.create_milestone(region, title=" ")
    analysis.record_decision(
        region, milestone=milestone, decided_on=date(2026, 1, 27), text="Budget vrijmaken"
    )
    [row] = queries.milestone_overview(region)
    assert row.actions == {"klaar": 1, "bezig": 1} and row.links == 2 and row.decisions == 1
    links = queries.milestone_links(milestone)
    assert links.questions[0][1].thread_id == t["A"].id and links.items[0].item_id == item.id
    assert [m.id for m in queries.item_milestones(item)] == [milestone.id]
    with pytest.raises(ValidationError, match="besluiten"):
        analysis.delete_milestone(milestone)
    analysis.update_milestone(milestone, lock_version=milestone.lock_version, status="bereikt")
    with pytest.raises(ConflictError):
        analysis.update_milestone(milestone, lock_version=1, title="Anders")


def test_decisions_need_one_target_and_refuse_stale_updates(ctx):
    region = make_region()
    item = _item(region, "Geen mandaat")
    milestone = analysis.create_milestone(region, title="Mandaat geregeld")
    with pytest.raises(ValidationError, match="één barrière of één mijlpaal"):
        analysis.record_decision(region, item=item, milestone=milestone, decided_on=date.today())
    with pytest.raises(ValidationError, match="datum"):
        analysis.record_decision(region, item=item, decided_on=None, text="Besluit")
    with pytest.raises(ValidationError, match="besluit"):
        analysis.record_decision(region, item=item, decided_on=date.today(), text="")
    decision = analysis.record_decision(
        region, item=item, decided_on=date(2025, 6, 24), kind="verzoek", text="Regel het mandaat"
    )
    analysis.update_decision(decision, lock_version=1, status="afgerond", follow_up="Geregeld")
    with pytest.raises(ConflictError) as stale:
        analysis.update_decision(decision, lock_version=1, status="open")
    assert "Afgerond" in stale.value.current
    with pytest.raises(ValidationError, match="besluiten"):
        analysis.delete_item(item)
    assert [d.id for d in queries.decisions(item_id=item.id)] == [decision.id]


# --- escalation --------------------------------------------------------------------------------


def test_escalation_moves_a_question_as_a_verplaatst_transition_keeping_the_thread(ctx):
    agenda = make_agenda()
    taskforce = make_agenda(agenda.region, title="Taskforce", level="strategisch")
    v1 = make_version(agenda, [PRIVACY, SCALE], publish=True, day=date(2025, 1, 1))
    thread = thread_of(v1, "B")
    version, wording = analysis.escalate(thread, taskforce, note="Vraagt om bestuurders")
    assert version.agenda_id == taskforce.id and version.status == "concept"
    assert wording.thread_id == thread.id
    concept = services.concept_version(agenda)
    transition = db.session.scalar(
        select(Transition).where(Transition.from_wording_id == by_label(v1, "B").id)
    )
    assert transition.kind == "verplaatst" and transition.version_id == concept.id
    assert transition.target_agenda_id == taskforce.id
    assert thread.id not in {w.thread_id for w in concept.wordings}


def test_escalation_copies_a_question_and_refuses_what_cannot_move(ctx):
    agenda = make_agenda()
    taskforce = make_agenda(agenda.region, title="Taskforce", level="strategisch")
    v1 = make_version(agenda, [PRIVACY], publish=True, day=date(2025, 1, 1))
    thread = thread_of(v1, "A")
    version, wording = analysis.escalate(thread, taskforce, mode="kopieren")
    assert wording.thread_id == thread.id and version.agenda_id == taskforce.id
    assert services.concept_version(agenda) is None  # the question stays where it is
    with pytest.raises(ValidationError, match="al in de conceptversie"):
        analysis.escalate(thread, taskforce, mode="kopieren")
    with pytest.raises(ValidationError, match="al op deze agenda"):
        analysis.escalate(thread, agenda)
    with pytest.raises(ValidationError):
        analysis.escalate(thread, taskforce, mode="weg")
    only_concept = services.create_version(make_agenda(agenda.region, title="Leeg"))
    questions.add_wording(only_concept, text=CAPACITY)
    concept_thread = db.session.get(Thread, only_concept.wordings[0].thread_id)
    with pytest.raises(ValidationError, match="niet \\(meer\\)"):
        analysis.escalate(concept_thread, taskforce)
    count = db.session.scalar(select(func.count(Wording.id)).where(Wording.thread_id == thread.id))
    assert count == 2
    assert db.session.scalar(select(func.count(MatrixHeading.id))) == 0


def test_demo_workspace_has_a_filled_matrix_links_milestones_and_decisions(ctx):
    from dla.analysis.models import BarrierItem, BarrierLink, Decision, Milestone
    from dla.demo import GOOI, RIJNMOND, load_demo
    from dla.regions.models import Region

    assert load_demo()
    for name in (RIJNMOND, GOOI):
        region = db.session.scalar(select(Region).where(Region.name == name))
        for model in (BarrierItem, BarrierLink, Milestone, Decision):
            count = db.session.scalar(
                select(func.count(model.id)).where(model.region_id == region.id)
            )
            assert count > 0, (name, model.__name__)
        rows = queries.persistent_barriers(region, only_persistent=True)
        assert rows and any(row.rank.escalate for row in rows)
    assert not load_demo()
