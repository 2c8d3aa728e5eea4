"""A world with restricted versions whose every free-text field holds a canary string.

Region 1 ("Kanarie") holds:

- agenda A, whose versions 1 and 2 (both published) and 3 (a concept, made by closing a
  werksessie on version 2) have distribution *beperkt*, with one named member (``lid``, a
  taskforce member who is none of the tested accounts). Every free-text field that belongs
  to these versions holds a canary: question text (goal and barrier), annotation,
  provenance tag, shared stem, sub-question, group title, the version's label, context
  line, themes, author, recipient, reference and report reference (and the tag of a
  quotation made from it), comments on the versions and on a thread
  that lives only in them, transition notes (answer, drop reason), a rewording, the
  werksessie's phone-submitted questions and its decisions (note, new text), and the notes
  on the links from that thread to a barrier item and a measurement. The thread is also
  linked to a milestone. A second werksessie on version 2 stays open (its join code is in
  ``ids["restricted_code"]``).
- agenda B, whose version 1 is restricted (its question holds a canary) and whose version
  2, readable by the whole region, rewords that question: the thread continues in a
  readable version, so its page and the changelog of version 2 must not show version 1.
- agendas D and D', whose only version is restricted and published, with no concept: "Nieuwe
  versie" by a non-member must not copy it into a version everyone may read.
- agenda C, readable by the whole region, with an open werksessie that allows anonymous
  participants (a participant there must see no canary either).

Region 2 ("Elders") holds a readable agenda, so every kind of id exists in two regions.

Thread-level content (comments, link notes) carries canaries only on threads that live
only in restricted versions: a thread that continues in a readable version is readable.
Decisions of the taskforce on barrier items are region content (the item and its
decisions belong to the region's matrix, not to a version), so they hold no canary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from dla.agendas import questions, services, transitions
from dla.agendas.models import Agenda, Thread
from dla.analysis import services as analysis
from dla.auth import services as auth_services
from dla.auth.models import User
from dla.extensions import db
from dla.measurements import services as measurements
from dla.werksessies import participation, planning
from dla.werksessies import services as sessions
from tests.factories import by_label, make_agenda, make_region, make_user, make_version

SUFFIX = "7f3a"


def canary(name: str) -> str:
    return f"KANARIE-{name}-{SUFFIX}"


# Every canary the world holds, by field. The tour looks for each of them.
FIELDS = [
    "vraag",
    "terwijl",
    "annotatie",
    "bron",
    "stam",
    "stamvervolg",
    "deelvraag",
    "groep",
    "label",
    "aanleiding",
    "thema",
    "auteur",
    "aan",
    "kenmerk",
    "herformulering",
    "antwoord",
    "vervalreden",
    "nieuw-in-versie-2",
    "reactie-versie",
    "reactie-concept",
    "reactie-leervraag",
    "sessievraag",
    "sessievraag-open",
    "sessievraag-telefoon",
    "sessiebesluit",
    "sessieherformulering",
    "barrierenotitie",
    "metingnotitie",
    "vorige-versie",
    "bron-nieuwe-versie",
    "verwijzing",
]
CANARIES = {name: canary(name) for name in FIELDS}

# Roles that are no member of the restricted versions, and the member who is toured to
# prove the canaries can be found at all.
PL, DN, DN_IN, TF, OZ, BH, ADMIN = (
    "projectleider",
    "deelnemer",
    "deelnemer-in-agenda",
    "taskforce",
    "onderzoeker",
    "beheerder",
    "admin",
)
NON_MEMBERS = (TF, OZ, DN, DN_IN, BH, ADMIN)


@dataclass
class World:
    users: dict[str, str] = field(default_factory=dict)  # role -> login key
    ids: dict[str, int | str] = field(default_factory=dict)


def _q(goal: str, barrier: str, tail: str = "") -> str:
    return f"Hoe kan ik {goal}, terwijl {barrier}?{tail}"


def _restricted_agenda(region, member_id: int, ids: dict) -> None:
    c = CANARIES
    agenda = make_agenda(region, title="Agenda zorg en veiligheid")
    meta = dict(
        distribution="beperkt",
        label=c["label"],
        context_line=f"Naar aanleiding van {c['aanleiding']}",
        themes=f"{c['thema']}\nRegie",
        author=c["auteur"],
        recipient=c["aan"],
        reference=c["kenmerk"],
        report_reference=c["verwijzing"],
    )
    v1 = services.create_version(
        agenda, document_date=date(2025, 1, 10), groups=[f"Leervragen over {c['groep']}"], **meta
    )
    a = questions.add_wording(
        v1,
        text=_q(
            f"{c['vraag']} regie houden",
            f"{c['terwijl']} het mandaat ontbreekt",
            f" ({c['annotatie']}) [{c['bron']}]",
        ),
    )
    questions.add_wording(
        v1,
        shared_stem=f"Hoe kan ik {c['stam']} delen, terwijl…..",
        text=f"… {c['stamvervolg']} de regels onduidelijk zijn?",
    )
    questions.add_wording(
        v1,
        text=_q("snel opschalen", "de wachtlijsten lang zijn"),
        subquestions=[f"Hoe meet ik {c['deelvraag']}?"],
    )
    questions.add_wording(v1, text=_q("gezinnen volgen", "niemand het overzicht heeft"))
    questions.add_wording(v1, text=_q("samen leren", "de agenda's vol zitten"))
    auth_services.add_version_member(v1, member_id)
    services.publish_version(v1)
    # Quoted into a report: its tag names the version's report reference (a canary).
    from dla.citations import services as citations

    citations.create_quotation(a, created_by_id=None, today=date(2025, 1, 11))

    v2 = services.create_version(agenda, document_date=date(2025, 6, 1), **meta)
    transitions.set_transition(v2, by_label(v1, "A"), "blijft_staan")
    transitions.set_transition(v2, by_label(v1, "B"), "blijft_staan")
    transitions.set_transition(
        v2,
        by_label(v1, "C"),
        "geherformuleerd",
        text=_q(f"{c['herformulering']} opschalen", "de wachtlijsten lang zijn"),
    )
    transitions.set_transition(v2, by_label(v1, "D"), "voorlopig_beantwoord", note=c["antwoord"])
    transitions.set_transition(
        v2, by_label(v1, "E"), "vervallen", reason="anders", note=c["vervalreden"]
    )
    questions.add_wording(v2, text=_q(f"{c['nieuw-in-versie-2']} plannen", "er geen tijd is"))
    auth_services.add_version_member(v2, member_id)
    services.publish_version(v2)
    thread = db.session.get(Thread, a.thread_id)

    # Two werksessies on version 2: one is closed and makes the concept (version 3), the
    # other stays open.
    closed = planning.plan_session(
        region,
        agenda_ids=[agenda.id],
        title="Werksessie zorg",
        session_date=date(2025, 9, 1),
        allow_anonymous=True,
    )
    still_open = planning.plan_session(
        region,
        agenda_ids=[agenda.id],
        title="Tweede werksessie zorg",
        session_date=date(2025, 9, 2),
        allow_anonymous=True,
    )
    sessions.open_session(closed)
    sessions.open_session(still_open)
    phone, _token = participation.join(closed, role="professional")
    contribution = participation.add_contribution(
        closed, phone, text=_q(f"{c['sessievraag']} samenwerken", "er geen tijd is")
    )
    participation.handle_contribution(closed, contribution, "overnemen")
    walk = sessions.walk_wordings(closed)
    sessions.decide(closed, walk[0], "voorlopig_beantwoord", note=c["sessiebesluit"])
    sessions.decide(
        closed,
        walk[1],
        "geherformuleerd",
        text=_q(f"{c['sessieherformulering']} delen", "de regels onduidelijk zijn"),
    )
    (v3,) = sessions.close_session(closed, allow_undecided=True)
    auth_services.add_version_member(v3, member_id)

    other_phone, _token = participation.join(still_open, role="manager")
    open_contribution = participation.add_contribution(
        still_open, other_phone, text=_q(f"{c['sessievraag-open']} leren", "niemand luistert")
    )
    sessions.decide(still_open, walk[2], "voorlopig_beantwoord", note=c["sessiebesluit"])

    lid = db.session.get(User, member_id)
    services.add_comment(
        region_id=region.id, author=lid, body=c["reactie-versie"], version_id=v2.id
    )
    services.add_comment(
        region_id=region.id, author=lid, body=c["reactie-concept"], version_id=v3.id
    )
    services.add_comment(
        region_id=region.id, author=lid, body=c["reactie-leervraag"], thread_id=thread.id
    )

    aspects, actors = analysis.headings(region)
    item = analysis.create_item(
        region, aspect_id=aspects[1].id, actor_id=actors[1].id, description="Geen mandaat"
    )
    analysis.link_thread(thread, item, note=c["barrierenotitie"])
    analysis.record_decision(
        region, item=item, decided_on=date(2025, 7, 1), text="Mandaat regelen in het plan"
    )
    milestone = analysis.create_milestone(region, title="Zicht op de veiligheid")
    analysis.link_milestone(milestone, thread=thread)
    indicator = measurements.create_indicator(
        region, name="Doorbraken", concerns="gezinnen", horizon="kort", kind="aantal"
    )
    measurements.link_thread(indicator, thread.id, note=c["metingnotitie"])
    db.session.flush()
    ids.update(
        restricted_agenda=agenda.id,
        restricted_v1=v1.id,
        restricted_v2=v2.id,
        restricted_concept=v3.id,
        restricted_thread=thread.id,
        restricted_wording=by_label(v2, "A").id,
        closed_session=closed.id,
        open_session=still_open.id,
        restricted_code=still_open.code,
        contribution=open_contribution.id,
        restricted_item=item.id,
        restricted_milestone=milestone.id,
        restricted_indicator=indicator.id,
    )


def _changelog_agenda(region, member_id: int, ids: dict) -> None:
    """A restricted version followed by a readable one that rewords its question."""
    agenda = make_agenda(region, title="Agenda wijkteams")
    v1 = services.create_version(agenda, document_date=date(2024, 2, 13), distribution="beperkt")
    questions.add_wording(v1, text=_q(f"{CANARIES['vorige-versie']} regie nemen", "niemand belt"))
    auth_services.add_version_member(v1, member_id)
    services.publish_version(v1)
    v2 = services.create_version(agenda, document_date=date(2025, 8, 1), distribution="regio")
    transitions.set_transition(
        v2, by_label(v1, "A"), "geherformuleerd", text=_q("regie nemen", "niemand terugbelt")
    )
    services.publish_version(v2)
    ids.update(
        changelog_agenda=agenda.id,
        changelog_v1=v1.id,
        changelog_v2=v2.id,
        changelog_thread=by_label(v2, "A").thread_id,
    )


def _copy_source_agenda(region, member_id: int, ids: dict, key: str) -> None:
    """A restricted latest published version and no concept: ready for "Nieuwe versie"."""
    agenda = make_agenda(region, title=f"Agenda bestuurders {key}", level="strategisch")
    v1 = services.create_version(agenda, document_date=date(2025, 4, 1), distribution="beperkt")
    wording = questions.add_wording(
        v1, text=_q(f"{CANARIES['bron-nieuwe-versie']} verbinden", "ik ver van de uitvoering sta")
    )
    auth_services.add_version_member(v1, member_id)
    services.publish_version(v1)
    ids.update({f"{key}_agenda": agenda.id, f"{key}_v1": v1.id, f"{key}_wording": wording.id})


def _readable_agenda(region, ids: dict, prefix: str) -> None:
    agenda = make_agenda(region, title=f"Agenda ICR's {region.name}")
    version = make_version(
        agenda,
        [
            _q("het gezin centraal zetten", "elke organisatie een eigen plan maakt"),
            _q("informatie delen", "de privacyregels onduidelijk zijn"),
        ],
        publish=True,
        day=date(2025, 3, 1),
    )
    analysis.seed_defaults(region)
    aspects, actors = analysis.headings(region)
    item = analysis.create_item(
        region, aspect_id=aspects[0].id, actor_id=actors[0].id, description="Privacyregels"
    )
    thread = db.session.get(Thread, version.wordings[0].thread_id)
    analysis.link_thread(thread, item, note="Zie het convenant")
    session = planning.plan_session(
        region,
        agenda_ids=[agenda.id],
        title="Open werksessie",
        session_date=date(2025, 10, 1),
        allow_anonymous=True,
    )
    sessions.open_session(session)
    ids.update(
        {
            f"{prefix}_agenda": agenda.id,
            f"{prefix}_version": version.id,
            f"{prefix}_code": session.code,
            f"{prefix}_session": session.id,
        }
    )


def make_app(database_url: str):
    """An app for a module that builds the world once (see tests/test_canary.py)."""
    from dla import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "canary-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_FAST": True,
        }
    )
    with app.app_context():
        db.create_all()
    return app


def build(app) -> World:
    """Build the world through the services and commit it."""
    world = World()
    with app.app_context():
        region = make_region("Kanarie")
        other = make_region("Elders")
        users = {}
        for role in (PL, DN, TF, OZ, BH):
            users[role] = make_user(f"{role}@kanarie.test", region=region, role=role)
        users[DN_IN] = make_user("meedoener@kanarie.test", region=region, role="deelnemer")
        users[ADMIN] = make_user("admin@kanarie.test", admin=True)
        lid = make_user("lid@kanarie.test", region=region, role="taskforce")
        elsewhere = make_user("pl@elders.test", region=other, role=PL)

        _readable_agenda(region, world.ids, "readable")
        _readable_agenda(other, world.ids, "elders")
        _restricted_agenda(region, lid.id, world.ids)
        _changelog_agenda(region, lid.id, world.ids)
        # Two, so that a member and a non-member can each make a new version.
        _copy_source_agenda(region, lid.id, world.ids, "copy")
        _copy_source_agenda(region, lid.id, world.ids, "member_copy")
        for key in ("restricted_agenda", "changelog_agenda", "readable_agenda"):
            agenda = db.session.get(Agenda, world.ids[key])
            auth_services.add_participant(agenda, users[DN_IN].id)
        from dla.glossary import services as glossary

        glossary.create_term(region, term="kanariebegrip", definition="Een begrip van de lijst.")
        _invitation, token = auth_services.create_invitation(
            region.id, "nieuw@kanarie.test", "deelnemer", by=users[ADMIN]
        )
        world.ids.update(region=region.id, other_region=other.id, invitation=token)
        world.users = {role: user.get_id() for role, user in users.items()}
        world.users["lid"] = lid.get_id()
        world.users["projectleider-elders"] = elsewhere.get_id()
        db.session.commit()
    _phone_question(app, world.ids["restricted_code"])
    return world


def _phone_question(app, code: str) -> None:
    """A participant joins the open werksessie on the restricted version from a phone and
    sends a question, as in the room."""
    phone = app.test_client()
    joined = phone.post(f"/w/{code}/aanmelden", data={"role": "professional"})
    assert joined.status_code in (200, 303), joined.status_code
    sent = phone.post(
        f"/w/{code}/vragen",
        data={
            "goal": f"Hoe kan ik {CANARIES['sessievraag-telefoon']} melden",
            "barrier": "niemand belt",
        },
    )
    assert sent.status_code in (200, 303), sent.status_code
