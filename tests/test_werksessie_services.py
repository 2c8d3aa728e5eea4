"""Werksessie services: state machine, code, participants, votes, decisions and closing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from dla.agendas import services as agendas
from dla.agendas.models import CONCEPT, Transition
from dla.errors import ConflictError, ValidationError
from dla.extensions import db
from dla.werksessies import participation, planning, services
from dla.werksessies.models import (
    ACCEPTED,
    CLOSED,
    CODE_ALPHABET,
    CODE_LENGTH,
    MERGED,
    OPEN,
    PLANNED,
    SOLVED,
    STILL,
    Vote,
)
from tests.factories import by_label, make_agenda, make_region, make_user, make_version, question

DAY = date(2026, 3, 12)
QUESTIONS = [
    question("regie houden", "ik geen mandaat heb"),
    question("zicht krijgen op veiligheid", "informatie niet gedeeld wordt"),
    question("snel opschalen", "de criteria verschillen per gemeente"),
    question("tijd vrijmaken voor overleg", "mijn caseload te hoog is"),
]
NEW_QUESTION = question("ervaringsdeskundigen betrekken", "er geen vast moment voor is")


def planned_session(agenda=None, **options):
    agenda = agenda or make_agenda()
    if not agenda.versions:
        make_version(agenda, QUESTIONS, publish=True, day=date(2025, 11, 1))
    options.setdefault("allow_anonymous", True)
    return planning.plan_session(
        agenda.region,
        agenda_ids=[agenda.id],
        title="Werksessie zorg en veiligheid",
        session_date=DAY,
        **options,
    )


def open_session(**options):
    ws = planned_session(**options)
    services.open_session(ws)
    return ws


def source(ws, label):
    return next(w for w in services.walk_wordings(ws) if w.label == label)


def test_state_machine_planned_open_closed(ctx):
    ws = planned_session()
    assert ws.status == PLANNED and ws.code is None
    with pytest.raises(ValidationError, match="nog niet geopend"):
        services.close_session(ws)
    services.open_session(ws)
    assert ws.status == OPEN and len(ws.code) == CODE_LENGTH
    assert set(ws.code) <= set(CODE_ALPHABET)
    assert ws.focus_wording_id == source(ws, "A").id
    with pytest.raises(ValidationError, match="al geopend"):
        services.open_session(ws)
    services.close_session(ws, allow_undecided=True)
    assert ws.status == CLOSED and ws.closed_at is not None
    with pytest.raises(services.SessionClosed):
        services.open_session(ws)
    with pytest.raises(services.SessionClosed):
        services.close_session(ws)


def test_code_expires_on_close(ctx):
    ws = open_session()
    code = ws.code
    assert participation.find_open_session(code.lower()) is ws
    assert participation.find_open_session(f" {code[:3]}-{code[3:]} ") is ws
    assert participation.find_open_session("X" * len(code)) is None  # the right shape, wrong code
    assert participation.find_open_session("") is None
    participant, _token = participation.join(ws, display_name="Ans", role="professional")
    services.close_session(ws, allow_undecided=True)
    assert ws.code is None
    assert participation.find_open_session(code) is None
    with pytest.raises(services.SessionClosed):
        participation.add_contribution(ws, participant, text=NEW_QUESTION)


def test_opening_refuses_an_agenda_with_a_concept(ctx):
    ws = planned_session()
    agendas.create_version(ws.agendas[0].agenda)
    with pytest.raises(ValidationError, match="al een conceptversie"):
        services.open_session(ws)
    assert ws.status == PLANNED


def test_planning_validates_input(ctx):
    agenda = make_agenda()
    other = make_agenda(make_region("Elders"), title="Andere regio")
    with pytest.raises(ValidationError, match="minstens één agenda"):
        planning.plan_session(agenda.region, agenda_ids=[], title="X", session_date=DAY)
    with pytest.raises(ValidationError, match="van deze regio"):
        planning.plan_session(agenda.region, agenda_ids=[other.id], title="X", session_date=DAY)
    with pytest.raises(ValidationError, match="datum"):
        planning.plan_session(agenda.region, agenda_ids=[agenda.id], title="X", session_date=None)
    with pytest.raises(ValidationError, match="soort"):
        planning.plan_session(
            agenda.region, agenda_ids=[agenda.id], title="X", session_date=DAY, kind="feest"
        )


def test_anonymous_participants_only_when_allowed(ctx):
    ws = open_session(allow_anonymous=False)
    with pytest.raises(services.NotAllowed):
        participation.join(ws, display_name="Ans", role="professional")
    user = make_user("dana@test.nl", region=ws.region, role="deelnemer")
    participant, token = participation.join(ws, user=user, is_member=True, role="manager")
    assert participant.user_id == user.id
    assert participation.participant_for(ws, participant.id, token) is participant
    assert participation.participant_for(ws, participant.id, token + "x") is None
    # Logged in, but not a member of the region: counts as anonymous.
    stranger = make_user("vreemd@test.nl")
    with pytest.raises(services.NotAllowed):
        participation.join(ws, user=stranger, is_member=False, role="manager")


def test_participant_limits(ctx):
    ws = open_session(max_participants=2)
    first, _ = participation.join(ws, display_name="Ans", role="professional")
    participation.join(ws, display_name="", role="ervaringsdeskundige")
    with pytest.raises(ValidationError, match="vol"):
        participation.join(ws, display_name="Cor", role="manager")
    with pytest.raises(ValidationError, match="rol"):
        participation.join(ws, display_name="Cor", role="koning")
    with pytest.raises(ValidationError, match="te lang"):
        participation.add_contribution(ws, first, text="Hoe " + "x" * 3000)
    with pytest.raises(ValidationError, match="Vul de vraag in"):
        participation.add_contribution(ws, first, text="   ")
    for _ in range(participation.MAX_QUESTIONS_PER_PARTICIPANT):
        participation.add_contribution(ws, first, text=NEW_QUESTION)
    with pytest.raises(ValidationError, match="al 25 vragen"):
        participation.add_contribution(ws, first, text=NEW_QUESTION)


def test_votes_count_once_per_participant_on_the_question_in_focus(ctx):
    ws = open_session()
    one, _ = participation.join(ws, role="professional")
    two, _ = participation.join(ws, role="manager")
    focus = ws.focus_wording_id
    participation.vote(ws, one, wording_id=focus, value=STILL)
    participation.vote(ws, one, wording_id=focus, value=SOLVED)  # changes, does not add
    participation.vote(ws, two, wording_id=focus, value=STILL)
    votes = db.session.scalars(select(Vote).where(Vote.werksessie_id == ws.id)).all()
    assert sorted(v.value for v in votes) == [SOLVED, STILL]
    other = source(ws, "B").id
    with pytest.raises(ValidationError, match="andere vraag"):
        participation.vote(ws, one, wording_id=other, value=STILL)
    with pytest.raises(ValidationError, match="staat nog"):
        participation.vote(ws, one, wording_id=focus, value="misschien")
    services.set_focus(ws, other)
    participation.vote(ws, one, wording_id=other, value=STILL)
    from dla.werksessies import queries

    tallies = queries.tallies(ws.id)
    assert (tallies[focus].still, tallies[focus].solved) == (1, 1)
    assert tallies[other].still == 1
    with pytest.raises(ValidationError, match="niet besproken"):
        services.set_focus(ws, 999999)


def test_decisions_are_validated_and_locked(ctx):
    ws = open_session()
    a = source(ws, "A")
    with pytest.raises(ValidationError, match="antwoord"):
        services.decide(ws, a, "voorlopig_beantwoord")
    with pytest.raises(ValidationError, match="waarom"):
        services.decide(ws, a, "vervallen")
    with pytest.raises(ValidationError, match="gelijk aan de oude"):
        services.decide(ws, a, "geherformuleerd", text=a.full_text)
    with pytest.raises(ValidationError, match="zichzelf"):
        services.decide(ws, a, "samengevoegd", merge_wording_id=a.id)
    with pytest.raises(ValidationError, match="andere agenda"):
        services.decide(ws, a, "verplaatst", target_agenda_id=a.version.agenda_id)
    decision = services.decide(ws, a, "blijft_staan", lock=0)
    # A second tab that still saw ‘no decision’ is refused, nothing is overwritten.
    with pytest.raises(ConflictError, match="Blijft staan"):
        services.decide(ws, a, "vervallen", lock=0, reason="niet_meer_urgent")
    services.decide(ws, a, "vervallen", lock=decision.lock_version, reason="niet_meer_urgent")
    assert decision.kind == "vervallen"
    with pytest.raises(ConflictError):
        services.clear_decision(ws, a, lock=1)
    services.clear_decision(ws, a, lock=decision.lock_version)
    assert services._decisions(ws) == []


def test_contributions_accept_edit_merge_and_restore(ctx):
    ws = open_session()
    participant, _ = participation.join(ws, role="professional")
    first = participation.add_contribution(ws, participant, text=NEW_QUESTION)
    second = participation.add_contribution(ws, participant, text=NEW_QUESTION + " ")
    edited = question("ervaringsdeskundigen structureel betrekken", "er geen vast moment voor is")
    participation.handle_contribution(
        ws, first, "overnemen", text=edited, lock_version=first.lock_version
    )
    assert first.status == ACCEPTED and first.text == edited and first.original_text == NEW_QUESTION
    with pytest.raises(ConflictError):
        participation.handle_contribution(ws, second, "niet_overnemen", lock_version=99)
    participation.handle_contribution(ws, second, "samenvoegen", merge_into_id=first.id)
    assert second.status == MERGED and second.merged_into_id == first.id
    participation.handle_contribution(ws, second, "terugzetten")
    assert second.status == "nieuw"
    with pytest.raises(ValidationError, match="andere nieuwe vraag"):
        participation.handle_contribution(ws, second, "samenvoegen", merge_into_id=second.id)
    # A question of the previous version merged into an accepted one pins it.
    services.decide(ws, source(ws, "D"), "samengevoegd", merge_contribution_id=first.id)
    with pytest.raises(ValidationError, match="ongedaan"):
        participation.handle_contribution(ws, first, "niet_overnemen")


def test_closing_yields_the_right_concept_version(ctx):
    agenda = make_agenda()
    taskforce = make_agenda(agenda.region, level="strategisch", title="Taskforce")
    make_version(taskforce, [question("besluiten", "het mandaat ontbreekt")], publish=True)
    ws = planned_session(agenda)
    services.open_session(ws)
    leader = make_user("pl@test.nl", region=agenda.region, role="projectleider")
    member = make_user("dn@test.nl", region=agenda.region, role="deelnemer")
    participant, _ = participation.join(ws, user=member, is_member=True, role="professional")
    anonymous, _ = participation.join(ws, display_name="", role="ervaringsdeskundige")
    new = participation.add_contribution(ws, participant, text=NEW_QUESTION)
    untreated = participation.add_contribution(ws, anonymous, text=NEW_QUESTION)
    participation.handle_contribution(ws, new, "overnemen")
    reworded = question("regie houden als ICR", "ik geen mandaat heb")
    services.decide(ws, source(ws, "A"), "geherformuleerd", text=reworded)
    services.decide(ws, source(ws, "B"), "samengevoegd", merge_contribution_id=new.id)
    services.decide(ws, source(ws, "C"), "verplaatst", target_agenda_id=taskforce.id)
    with pytest.raises(ValidationError, match="Nog niet alle vragen"):
        services.close_session(ws)
    services.decide(ws, source(ws, "D"), "voorlopig_beantwoord", note="Overleg ingepland.")
    # A new question nobody handled needs a choice too: nothing disappears without one.
    with pytest.raises(ValidationError, match="1 nieuwe vraag is nog niet behandeld"):
        services.close_session(ws, user_id=leader.id)
    versions = services.close_session(
        ws, user_id=leader.id, untreated={untreated.id: ("parkeren", "", None)}
    )
    assert len(versions) == 1
    version = versions[0]
    assert version.status == CONCEPT and version.number == 2
    assert version.origin == "werksessie"
    assert version.session_date == DAY and version.document_date == DAY
    assert version.context_line == "Naar aanleiding van de werksessie op 12 maart 2026"
    assert ws.agendas[0].concept_version_id == version.id
    texts = [w.full_text for w in agendas.ordered_wordings(version)]
    assert texts == [reworded, NEW_QUESTION]
    assert agendas.missing_transitions(version) == []
    kinds = {
        t.from_wording.label: t.kind
        for t in db.session.scalars(select(Transition).where(Transition.version_id == version.id))
    }
    assert kinds == {
        "A": "geherformuleerd",
        "B": "samengevoegd",
        "C": "verplaatst",
        "D": "voorlopig_beantwoord",
    }
    assert new.wording_id == by_label(version, "B").id
    assert by_label(version, "B").created_by_id == member.id
    moved = agendas.concept_version(taskforce)
    assert QUESTIONS[2] in [w.full_text for w in moved.wordings]
    # Publishing stays a separate step, and it works.
    agendas.publish_version(version)
    from dla.werksessies import queries

    report = queries.report(ws)
    assert report.participants == 2 and report.anonymous == 1
    assert dict(report.by_role) == {"ICR / professional": 1, "Ervaringsdeskundige": 1}
    assert dict(report.decisions)["Geherformuleerd"] == 1
    assert report.contributions["total"] == 2 and len(report.unhandled) == 0
    assert [c.id for c in report.parked] == [untreated.id]


def test_closing_with_undecided_questions_leaves_them_open_in_the_concept(ctx):
    ws = open_session()
    services.decide(ws, source(ws, "A"), "blijft_staan")
    versions = services.close_session(ws, allow_undecided=True)
    assert [w.label for w in agendas.missing_transitions(versions[0])] == ["B", "C", "D"]


def test_closing_refuses_a_merge_into_a_question_that_left(ctx):
    ws = open_session()
    services.decide(ws, source(ws, "A"), "samengevoegd", merge_wording_id=source(ws, "B").id)
    services.decide(ws, source(ws, "B"), "vervallen", reason="niet_meer_urgent")
    with pytest.raises(ValidationError, match="niet in de nieuwe versie"):
        services.close_session(ws, allow_undecided=True)


def test_closing_refuses_when_a_newer_version_was_published_meanwhile(ctx):
    ws = open_session()
    agenda = ws.agendas[0].agenda
    version = agendas.create_version(agenda)
    from tests.factories import keep_all

    keep_all(version)
    agendas.publish_version(version)
    with pytest.raises(ValidationError, match="intussen een nieuwe versie"):
        services.close_session(ws, allow_undecided=True)


def test_first_version_from_a_session_without_earlier_versions(ctx):
    agenda = make_agenda()
    ws = planning.plan_session(
        agenda.region, agenda_ids=[agenda.id], title="Start", session_date=DAY
    )
    services.open_session(ws)
    assert ws.focus_wording_id is None
    user = make_user("dn@test.nl", region=agenda.region, role="deelnemer")
    participant, _ = participation.join(ws, user=user, is_member=True, role="professional")
    participation.handle_contribution(
        ws, participation.add_contribution(ws, participant, text=NEW_QUESTION), "overnemen"
    )
    [version] = services.close_session(ws)
    assert version.number == 1 and [w.full_text for w in version.wordings] == [NEW_QUESTION]
