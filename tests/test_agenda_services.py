"""Rules of versions, questions and transitions, tested through the services."""

from datetime import date

import pytest
from sqlalchemy import select

from dla.agendas import comparison, imports, queries, questions, services, transitions
from dla.agendas.models import Thread, Transition, Version, Wording
from dla.errors import ConflictError, PublishedError, ValidationError
from dla.extensions import db
from tests.factories import (
    by_label,
    keep_all,
    make_agenda,
    make_region,
    make_user,
    make_version,
    question,
)

Q1 = question("als ICR regie houden op veiligheid", "ik geen zicht krijg op de situatie")
Q2 = question("informatie delen met Veilig Thuis", "ik de privacyregels niet ken")
Q3 = question("op tijd opschalen", "de criteria verschillend worden uitgelegd")


@pytest.fixture
def agenda(ctx):
    return make_agenda()


@pytest.fixture
def v1(agenda):
    return make_version(agenda, [Q1, Q2, Q3], publish=True, day=date(2025, 1, 10))


def test_questions_are_parsed_labelled_and_new_threads(agenda):
    version = make_version(agenda, [Q1, Q2])
    a, b = services.ordered_wordings(version)
    assert (a.label, b.label) == ("A", "B")
    assert a.stem == "Hoe kan ik" and a.role_phrase == "als ICR"
    assert a.barrier == "ik geen zicht krijg op de situatie"
    assert a.thread_id != b.thread_id


def test_question_without_hoe_or_terwijl_is_accepted(agenda):
    version = make_version(agenda, ["Wij willen meer samenwerken."])
    wording = version.wordings[0]
    assert wording.barrier == "" and wording.full_text == "Wij willen meer samenwerken."


def test_shared_stem_expands_and_keeps_printed_form(agenda):
    version = make_version(agenda)
    wording = questions.add_wording(
        version,
        text="… ik geen doorzettingsmacht heb? (taartpunt)",
        shared_stem="Hoe kan ik als regisseur het plan uitvoeren, terwijl…..",
    )
    assert wording.text == "… ik geen doorzettingsmacht heb? (taartpunt)"
    assert wording.full_text == (
        "Hoe kan ik als regisseur het plan uitvoeren, terwijl ik geen doorzettingsmacht heb? "
        "(taartpunt)"
    )
    assert wording.barrier == "ik geen doorzettingsmacht heb"
    assert wording.annotation == "taartpunt"


def test_subquestions_and_groups_with_number_labels(agenda):
    version = make_version(agenda, groups=["Ambitie", "Vervolgstappen"])
    second = version.groups[1]
    questions.update_group(second, title="Vervolgstappen", label_style="number")
    w = questions.add_wording(
        version, text=Q1, group_id=second.id, subquestions=["Hoe x?", "Hoe y?"]
    )
    questions.add_wording(version, text=Q2, group_id=version.groups[0].id)
    assert w.label == "1"
    assert [s.label for s in w.subquestions] == ["i", "ii"]
    sub = questions.add_subquestion(w, text="Hoe z?")
    assert sub.label == "iii"
    questions.delete_subquestion(w.subquestions[0])
    assert [(s.label, s.text) for s in w.subquestions] == [("i", "Hoe y?"), ("ii", "Hoe z?")]


def test_reorder_and_delete_relabel(agenda):
    version = make_version(agenda, [Q1, Q2, Q3])
    c = by_label(version, "C")
    questions.move_wording(c, "up")
    assert [w.full_text for w in services.ordered_wordings(version)] == [Q1, Q3, Q2]
    questions.delete_wording(by_label(version, "A"))
    assert [(w.label, w.full_text) for w in services.ordered_wordings(version)] == [
        ("A", Q3),
        ("B", Q2),
    ]
    assert db.session.scalar(select(Thread).where(Thread.id == 999)) is None


def test_adding_a_question_leaves_the_other_questions_out_of_the_flush(agenda):
    """Renumbering touches only questions whose place or label changes (found under load:
    every question of the version went through the flush and the audit listener)."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    version = make_version(agenda, [Q1, Q2])
    db.session.flush()
    flushed = []

    def before_flush(session, _context, _instances):
        flushed.extend(o for o in session.dirty if isinstance(o, Wording))

    event.listen(Session, "before_flush", before_flush)
    try:
        questions.add_wording(version, text=Q3)
    finally:
        event.remove(Session, "before_flush", before_flush)
    assert flushed == []
    assert [w.label for w in services.ordered_wordings(version)] == ["A", "B", "C"]


def test_publish_refuses_empty_version(agenda):
    version = make_version(agenda)
    with pytest.raises(ValidationError, match="zonder vragen"):
        services.publish_version(version)


def test_published_version_refuses_every_change(agenda, v1):
    wording = v1.wordings[0]
    with pytest.raises(PublishedError):
        questions.update_wording(wording, text=Q3, lock_version=wording.lock_version)
    with pytest.raises(PublishedError):
        questions.add_wording(v1, text=Q3)
    with pytest.raises(PublishedError):
        questions.delete_wording(wording)
    with pytest.raises(PublishedError):
        services.update_version(v1, lock_version=v1.lock_version, context_line="x")
    with pytest.raises(PublishedError):
        services.delete_version(v1)
    with pytest.raises(PublishedError):
        questions.add_subquestion(wording, text="Hoe?")


def test_flush_guard_refuses_direct_changes_to_published_content(agenda, v1):
    """Even code that bypasses the services cannot change a published version."""
    db.session.commit()
    v1.wordings[0].full_text = "Iets anders?"
    with pytest.raises(PublishedError):
        db.session.flush()
    db.session.rollback()
    v1 = db.session.get(Version, v1.id)
    v1.context_line = "gewijzigd"
    with pytest.raises(PublishedError):
        db.session.flush()
    db.session.rollback()
    v1 = db.session.get(Version, v1.id)
    db.session.delete(v1.wordings[0])
    with pytest.raises(PublishedError):
        db.session.flush()


def test_next_version_is_a_concept_copy_with_same_threads(agenda, v1):
    v2 = services.create_version(agenda, document_date=date(2025, 3, 1))
    assert v2.number == 2 and v2.status == "concept"
    assert [w.thread_id for w in services.ordered_wordings(v2)] == [
        w.thread_id for w in services.ordered_wordings(v1)
    ]
    assert len(services.missing_transitions(v2)) == 3
    with pytest.raises(ValidationError, match="conceptversie"):
        services.create_version(agenda)


def test_version_number_must_increase(agenda, v1):
    with pytest.raises(ValidationError, match="hoger"):
        services.create_version(agenda, number=1)
    assert services.create_version(agenda, number=5).number == 5


def test_publish_refused_until_every_question_has_a_transition(agenda, v1):
    v2 = services.create_version(agenda)
    transitions.set_transition(v2, by_label(v1, "A"), "blijft_staan")
    with pytest.raises(ValidationError, match="Nog open: B, C"):
        services.publish_version(v2)
    transitions.set_transition(v2, by_label(v1, "B"), "blijft_staan")
    transitions.set_transition(v2, by_label(v1, "C"), "vervallen", reason="niet_meer_urgent")
    services.publish_version(v2)
    assert v2.status == "vastgesteld" and v2.published_at is not None
    assert len(v2.wordings) == 2


def test_editing_a_carried_question_makes_it_reworded_and_back(agenda, v1):
    v2 = services.create_version(agenda)
    copy = by_label(v2, "A")
    questions.update_wording(
        copy, text=Q1.replace("regie", "de regie"), lock_version=copy.lock_version
    )
    source = by_label(v1, "A")
    assert source.transition.kind == "geherformuleerd"
    questions.update_wording(copy, text=Q1, lock_version=copy.lock_version)
    assert source.transition.kind == "blijft_staan"


def test_keep_is_refused_when_text_changed(agenda, v1):
    v2 = services.create_version(agenda)
    copy = by_label(v2, "A")
    questions.update_wording(copy, text=Q1 + " (x)", lock_version=copy.lock_version)
    transitions.clear_transition(v2, by_label(v1, "A"))
    with pytest.raises(ValidationError, match="Geherformuleerd"):
        transitions.set_transition(v2, by_label(v1, "A"), "blijft_staan")


def test_reword_inline_keeps_both_wordings(agenda, v1):
    v2 = services.create_version(agenda)
    new_text = question("als ICR de regie houden", "ik geen zicht krijg op de situatie thuis")
    transitions.set_transition(v2, by_label(v1, "A"), "geherformuleerd", text=new_text)
    keep_all(v2)
    services.publish_version(v2)
    thread_id = by_label(v1, "A").thread_id
    texts = db.session.scalars(
        select(Wording.full_text).where(Wording.thread_id == thread_id).order_by(Wording.id)
    ).all()
    assert texts == [Q1, new_text]
    with pytest.raises(ValidationError, match="gelijk"):
        v3 = services.create_version(agenda)
        transitions.set_transition(v3, by_label(v2, "A"), "geherformuleerd", text=new_text)


def test_answer_and_drop_need_their_details_and_remove_the_question(agenda, v1):
    v2 = services.create_version(agenda)
    with pytest.raises(ValidationError, match="antwoord"):
        transitions.set_transition(v2, by_label(v1, "A"), "voorlopig_beantwoord")
    with pytest.raises(ValidationError, match="waarom"):
        transitions.set_transition(v2, by_label(v1, "B"), "vervallen")
    with pytest.raises(ValidationError, match="waarom"):
        transitions.set_transition(v2, by_label(v1, "B"), "vervallen", reason="anders")
    transitions.set_transition(v2, by_label(v1, "A"), "voorlopig_beantwoord", note="Actie: overleg")
    transitions.set_transition(v2, by_label(v1, "B"), "vervallen", reason="inzicht_bereikt")
    assert [w.full_text for w in services.ordered_wordings(v2)] == [Q3]
    assert by_label(v2, "A").full_text == Q3  # relabelled
    # Undo puts the question back, in its place.
    transitions.clear_transition(v2, by_label(v1, "A"))
    assert [w.full_text for w in services.ordered_wordings(v2)] == [Q1, Q3]


def test_merge_into_another_question(agenda, v1):
    v2 = services.create_version(agenda)
    target = by_label(v2, "B")
    with pytest.raises(ValidationError, match="zichzelf"):
        transitions.set_transition(v2, by_label(v1, "B"), "samengevoegd", merge_into=target)
    transition = transitions.set_transition(
        v2, by_label(v1, "A"), "samengevoegd", merge_into=target
    )
    assert transition.targets == [target]
    assert len(v2.wordings) == 2
    # The survivor cannot be removed while something is merged into it.
    with pytest.raises(ValidationError, match="ongedaan"):
        transitions.set_transition(v2, by_label(v1, "B"), "vervallen", reason="niet_meer_urgent")
    keep_all(v2)
    services.publish_version(v2)
    figures = queries.persistence_map(agenda.region)
    assert figures[by_label(v1, "A").thread_id].status == "samengevoegd"
    assert figures[by_label(v1, "B").thread_id].status == "open"


def test_split_creates_new_threads_that_remember_their_origin(agenda, v1):
    v2 = services.create_version(agenda)
    transitions.set_transition(
        v2, by_label(v1, "A"), "gesplitst", split_texts=[Q1 + " (deel 1)", Q1 + " (deel 2)"]
    )
    texts = [w.full_text for w in services.ordered_wordings(v2)]
    assert texts[:3] == [Q1, Q1 + " (deel 1)", Q1 + " (deel 2)"]
    children = db.session.scalars(
        select(Thread).where(Thread.split_from_id == by_label(v1, "A").thread_id)
    ).all()
    assert len(children) == 2
    transitions.clear_transition(v2, by_label(v1, "A"))
    assert len(v2.wordings) == 3
    assert not db.session.scalars(
        select(Thread).where(Thread.split_from_id == by_label(v1, "A").thread_id)
    ).all()


def test_move_to_another_agenda_keeps_the_thread(agenda, v1):
    taskforce = make_agenda(agenda.region, level="strategisch", title="Taskforce")
    v2 = services.create_version(agenda)
    source = by_label(v1, "C")
    transitions.set_transition(v2, source, "verplaatst", target_agenda=taskforce)
    destination = services.concept_version(taskforce)
    assert [w.thread_id for w in destination.wordings] == [source.thread_id]
    assert source.thread_id not in {w.thread_id for w in v2.wordings}
    other_region = make_agenda(make_region("Andere regio"))
    with pytest.raises(ValidationError, match="andere agenda van deze regio"):
        transitions.set_transition(v2, source, "verplaatst", target_agenda=other_region)
    keep_all(v2)
    v2.document_date, destination.document_date = date(2025, 3, 1), date(2025, 9, 1)
    services.publish_version(v2)
    services.publish_version(destination)
    figures = queries.persistence_map(agenda.region)[source.thread_id]
    assert figures.versions_present == 2 and figures.longest_run == 2
    # On its old agenda it is listed as moved, with its last date there; on the new one
    # it stands on the agenda.
    assert figures.last_date == date(2025, 9, 1)
    old = {r.thread_id: r for r in queries.region_questions(agenda.region, agenda=agenda).rows}
    assert old[source.thread_id].persistence.status_label == "Verplaatst"
    assert old[source.thread_id].persistence.last_date == (v1.document_date or v1.session_date)
    assert old[source.thread_id].moved_to == "Taskforce"
    assert old[source.thread_id].version.id == v1.id
    new = queries.region_questions(agenda.region, agenda=taskforce).rows
    assert [(r.persistence.status_label, r.moved_to) for r in new] == [("Staat op de agenda", "")]


def test_transition_for_a_question_of_another_version_is_refused(agenda, v1):
    v2 = services.create_version(agenda)
    foreign = make_version(make_agenda(agenda.region, title="Ander"), [Q1], publish=True)
    with pytest.raises(ValidationError, match="vorige versie"):
        transitions.set_transition(v2, foreign.wordings[0], "blijft_staan")
    with pytest.raises(ValidationError, match="vorige versie"):
        transitions.set_transition(v2, v2.wordings[0], "blijft_staan")


def test_stale_decision_is_a_conflict(agenda, v1):
    v2 = services.create_version(agenda)
    source = by_label(v1, "A")
    transitions.set_transition(v2, source, "blijft_staan", expected="")
    with pytest.raises(ConflictError, match="Blijft staan"):
        transitions.set_transition(v2, source, "vervallen", reason="anders", note="x", expected="")


def test_stale_edit_is_a_conflict_showing_the_other_text(agenda):
    version = make_version(agenda, [Q1])
    wording = version.wordings[0]
    stale = wording.lock_version
    questions.update_wording(wording, text=Q2, lock_version=stale)
    with pytest.raises(ConflictError) as info:
        questions.update_wording(wording, text=Q3, lock_version=stale)
    assert info.value.current == Q2
    assert wording.full_text == Q2


def test_the_workspace_changelog_is_the_comparison_of_the_two_versions(ctx, agenda, v1):
    """The concept's 'what changed' is built from the wordings the page loaded already;
    it must be exactly what comparing the two versions from the database gives."""
    from flask_login import login_user

    from dla.agendas.views.workspace import workspace_context
    from dla.auth.permissions import access

    v2 = services.create_version(agenda)
    transitions.set_transition(v2, by_label(v1, "A"), "samengevoegd", merge_into=by_label(v2, "C"))
    transitions.set_transition(
        v2, by_label(v1, "B"), "geherformuleerd", text=question("informatie delen", "het mag")
    )
    questions.add_wording(v2, text=question("iets nieuws", "het lastig is"))
    leader = make_user("pl@werk.test", region=agenda.region, role="projectleider")
    db.session.commit()
    with ctx.test_request_context():
        login_user(leader)
        version = services.load_version(v2.id)
        shown = workspace_context(version)["changes"]
        read = comparison.compare_versions(
            v1, version, access().readable_version_ids(agenda.region_id)
        )
    assert shown == read
    assert {row.category for row in shown} >= {"samengevoegd", "reworded", "new"}


def test_question_can_skip_a_version_and_return(agenda, v1):
    v2 = services.create_version(agenda)
    transitions.set_transition(v2, by_label(v1, "C"), "vervallen", reason="niet_meer_urgent")
    keep_all(v2)
    services.publish_version(v2)
    v3 = services.create_version(agenda)
    returnable = transitions.returnable_threads(v3)
    assert [w.full_text for w in returnable] == [Q3]
    transitions.restore_thread(v3, returnable[0])
    keep_all(v3)
    services.publish_version(v3)
    figures = queries.persistence_map(agenda.region)[by_label(v1, "C").thread_id]
    assert figures.versions_present == 2
    assert figures.longest_run == 1
    assert figures.status == "open"
    rows = comparison.compare_versions(v2, v3)
    assert {r.category for r in rows if r.new and r.new.text == Q3} == {"returned"}
    # The question's history says it came back (teruggekomen) in version 3.
    db.session.expire_all()  # loaded as a page loads them (stored timestamps)
    history = queries.thread_history(db.session.get(Thread, by_label(v1, "C").thread_id))
    assert [(e.version.number, e.returned) for e in history] == [(1, False), (3, True)]
    kept = queries.thread_history(db.session.get(Thread, by_label(v1, "A").thread_id))
    assert not any(e.returned for e in kept)


def test_a_merged_or_moved_question_lives_on_elsewhere_and_cannot_return(agenda, v1):
    taskforce = make_agenda(agenda.region, level="strategisch", title="Taskforce")
    v2 = services.create_version(agenda)
    transitions.set_transition(v2, by_label(v1, "A"), "samengevoegd", merge_into=by_label(v2, "C"))
    transitions.set_transition(v2, by_label(v1, "B"), "verplaatst", target_agenda=taskforce)
    keep_all(v2)
    services.publish_version(v2)
    v3 = services.create_version(agenda)
    # Neither stands on v2 of this agenda, yet only a question that was dropped may return.
    assert transitions.returnable_threads(v3) == []
    v4_source = by_label(v3, "A")  # C, the survivor
    transitions.set_transition(v3, by_label(v2, "A"), "vervallen", reason="niet_meer_urgent")
    questions.add_wording(v3, text=question("iets nieuws", "het lastig is"))
    services.publish_version(v3)
    v4 = services.create_version(agenda)
    assert [w.full_text for w in transitions.returnable_threads(v4)] == [v4_source.full_text]
    # The merged question is never proposed as the earlier form of a new one; the others are.
    proposed = {c.text for c in imports.lineage_candidates(agenda.region)}
    assert Q1 not in proposed and {Q2, Q3} <= proposed


def test_delete_concept_removes_its_new_threads_and_moves(agenda, v1):
    taskforce = make_agenda(agenda.region, level="strategisch", title="Taskforce")
    v2 = services.create_version(agenda)
    questions.add_wording(v2, text=question("iets nieuws", "het lastig is"))
    transitions.set_transition(v2, by_label(v1, "A"), "verplaatst", target_agenda=taskforce)
    threads_before = db.session.scalar(select(db.func.count(Thread.id)))
    services.delete_version(v2)
    assert db.session.scalar(select(db.func.count(Thread.id))) == threads_before - 1
    assert services.concept_version(taskforce).wordings == []
    assert db.session.scalar(select(db.func.count(Transition.id))) == 0


def test_hardnekkig_after_three_consecutive_versions(agenda, v1):
    for _ in range(2):
        version = services.create_version(agenda)
        keep_all(version)
        services.publish_version(version)
    figures = queries.persistence_map(agenda.region)
    thread = by_label(v1, "A").thread_id
    assert figures[thread].longest_run == 3
    assert figures[thread].hardnekkig
    agenda.region.persist_min_run = 4
    agenda.region.persist_max_months = 60
    assert not queries.persistence_map(agenda.region)[thread].hardnekkig


def test_invalid_input_is_refused(agenda):
    version = make_version(agenda)
    with pytest.raises(ValidationError):
        questions.add_wording(version, text="   ")
    with pytest.raises(ValidationError, match="te lang"):
        questions.add_wording(version, text="Hoe " + "a" * 5000)
    with pytest.raises(ValidationError, match="niet zijn toegestaan"):
        questions.add_wording(version, text="Hoe\x00 kan ik")
    with pytest.raises(ValidationError):
        services.create_agenda(agenda.region, level="planeet", audience="x", title="y")
