"""Every route × every role × own and other region gives the expected answer.

Non-members get 404 (a region's existence does not leak), members without the right get
403, and anonymous visitors are sent to the login page. A route added without an entry in
RULES fails ``test_every_route_has_a_decision``.
"""

from datetime import date

import pytest

from dla.agendas import questions, services
from dla.agendas.models import Thread
from dla.analysis import services as analysis
from dla.auth import services as auth_services
from dla.extensions import db
from dla.measurements import services as measurement_services
from dla.werksessies import participation, planning
from dla.werksessies import services as session_services
from dla.werksessies.views import PARTICIPANT_ENDPOINTS
from tests.factories import by_label, log_in, make_agenda, make_region, make_user, make_version

PL, DN, TF, OZ, BH, ADMIN = (
    "projectleider",
    "deelnemer",
    "taskforce",
    "onderzoeker",
    "beheerder",
    "admin",
)
READ = {PL, DN, TF, OZ}
CONTENT = {PL, TF, OZ, DN}
EDIT = {PL}
ADD = {PL, DN}
MANAGE = {BH, ADMIN}
AUDIT = {PL, TF, OZ}
MEASURE = {PL, OZ}
SESSION_READ = {PL, TF, OZ}
ANY = {PL, DN, TF, OZ, BH, ADMIN}

# endpoint: (method, url template, roles allowed in their own region, region-scoped?)
RULES = {
    "auth.logout": ("POST", "/uitloggen", ANY, False),
    "auth.change_password": ("GET", "/account/wachtwoord", ANY, False),
    "auth.members": ("GET", "/regios/{region}/leden", MANAGE, True),
    "auth.invite": ("POST", "/regios/{region}/uitnodigingen", MANAGE, True),
    "auth.change_role": ("POST", "/lidmaatschappen/{membership}", MANAGE, True),
    "auth.remove_member": ("POST", "/lidmaatschappen/{membership}/verwijderen", MANAGE, True),
    "auth.users": ("GET", "/beheer/gebruikers", {ADMIN}, False),
    "auth.set_active": ("POST", "/beheer/gebruikers/{other_user}/actief", {ADMIN}, False),
    "regions.index": ("GET", "/", ANY, False),
    "regions.create": ("GET", "/regios/nieuw", {ADMIN}, False),
    "regions.show": ("GET", "/regios/{region}", READ, True),
    "regions.edit": ("GET", "/regios/{region}/bewerken", {PL, BH, ADMIN}, True),
    "audit.log": ("GET", "/regios/{region}/logboek", AUDIT, True),
    "agendas.create_agenda": ("GET", "/regios/{region}/agendas/nieuw", EDIT, True),
    "agendas.show": ("GET", "/agendas/{agenda}", CONTENT, True),
    "agendas.edit_agenda": ("GET", "/agendas/{agenda}/bewerken", EDIT, True),
    "agendas.delete_agenda": ("POST", "/agendas/{agenda}/verwijderen", EDIT, True),
    "agendas.create_version": ("GET", "/agendas/{agenda}/versies/nieuw", {PL, OZ}, True),
    "agendas.compare": ("GET", "/agendas/{agenda}/vergelijken", CONTENT, True),
    "agendas.add_participant": ("POST", "/agendas/{agenda}/deelnemers", EDIT, True),
    "agendas.remove_participant": (
        "POST",
        "/agendas/{agenda}/deelnemers/{other_user}/verwijderen",
        EDIT,
        True,
    ),
    "agendas.version": ("GET", "/versies/{v1}", CONTENT, True),
    "agendas.edit_version": ("GET", "/versies/{v2}/bewerken", EDIT, True),
    "agendas.publish": ("POST", "/versies/{v2}/vaststellen", EDIT, True),
    "agendas.delete_version": ("POST", "/versies/{v2}/verwijderen", EDIT, True),
    "agendas.preview": ("POST", "/versies/{v2}/voorbeeld", ADD, True),
    "agendas.add_question": ("POST", "/versies/{v2}/vragen", ADD, True),
    "agendas.add_group": ("POST", "/versies/{v2}/groepen", EDIT, True),
    "agendas.comment_version": ("POST", "/versies/{v1}/reacties", CONTENT, True),
    "agendas.add_version_member": ("POST", "/versies/{v1}/leden", EDIT, True),
    "agendas.remove_version_member": (
        "POST",
        "/versies/{v1}/leden/{other_user}/verwijderen",
        EDIT,
        True,
    ),
    "agendas.question": ("GET", "/vragen/{wording}", CONTENT, True),
    "agendas.edit_question": ("GET", "/vragen/{wording}/bewerken", EDIT, True),
    "agendas.save_question": ("POST", "/vragen/{wording}", EDIT, True),
    "agendas.delete_question": ("POST", "/vragen/{wording}/verwijderen", EDIT, True),
    "agendas.move_question": ("POST", "/vragen/{wording}/verplaatsen", EDIT, True),
    "agendas.add_subquestion": ("POST", "/vragen/{wording}/deelvragen", EDIT, True),
    "agendas.save_subquestion": ("POST", "/deelvragen/{sub}", EDIT, True),
    "agendas.delete_subquestion": ("POST", "/deelvragen/{sub}/verwijderen", EDIT, True),
    "agendas.save_group": ("POST", "/groepen/{group}", EDIT, True),
    "agendas.delete_group": ("POST", "/groepen/{group}/verwijderen", EDIT, True),
    "agendas.transition_editor": ("GET", "/versies/{v2}/overgangen/{source}", EDIT, True),
    "agendas.set_transition": ("POST", "/versies/{v2}/overgangen/{source}", EDIT, True),
    "agendas.clear_transition": (
        "POST",
        "/versies/{v2}/overgangen/{source}/wissen",
        EDIT,
        True,
    ),
    "agendas.restore_thread": ("POST", "/versies/{v2}/terugzetten/{source}", EDIT, True),
    "agendas.thread": ("GET", "/leervragen/{thread}", CONTENT, True),
    "agendas.comment_thread": ("POST", "/leervragen/{thread}/reacties", CONTENT, True),
    "agendas.import_start": ("GET", "/regios/{region}/importeren", {PL, OZ}, True),
    "agendas.import_read": ("POST", "/regios/{region}/importeren", {PL, OZ}, True),
    "agendas.import_save": (
        "POST",
        "/regios/{region}/importeren/opslaan?agenda_id={agenda}",
        {PL, OZ},
        True,
    ),
    "analysis.matrix": ("GET", "/regios/{region}/systeemanalyse", READ, True),
    "analysis.seed": ("POST", "/regios/{region}/systeemanalyse/standaardlijsten", EDIT, True),
    "analysis.add_heading": ("POST", "/regios/{region}/systeemanalyse/koppen", EDIT, True),
    "analysis.rename_heading": ("POST", "/koppen/{heading}", EDIT, True),
    "analysis.delete_heading": ("POST", "/koppen/{empty_heading}/verwijderen", EDIT, True),
    "analysis.cell": (
        "GET",
        "/regios/{region}/systeemanalyse/cellen/{aspect}/{actor}",
        READ,
        True,
    ),
    "analysis.new_item": (
        "GET",
        "/regios/{region}/systeemanalyse/cellen/{aspect}/{actor}/nieuw",
        EDIT,
        True,
    ),
    "analysis.create_item": (
        "POST",
        "/regios/{region}/systeemanalyse/cellen/{aspect}/{actor}",
        EDIT,
        True,
    ),
    "analysis.item": ("GET", "/barrieres/{item}", READ, True),
    "analysis.edit_item": ("GET", "/barrieres/{item}/bewerken", EDIT, True),
    "analysis.save_item": ("POST", "/barrieres/{item}", EDIT, True),
    "analysis.delete_item": ("POST", "/barrieres/{item}/verwijderen", EDIT, True),
    "analysis.link_thread": ("POST", "/leervragen/{thread}/barrieres", EDIT, True),
    "analysis.unlink": ("POST", "/koppelingen/{link}/verwijderen", EDIT, True),
    "analysis.escalate": ("POST", "/leervragen/{thread}/escaleren", EDIT, True),
    "analysis.persistent": ("GET", "/regios/{region}/hardnekkige-barrieres", READ, True),
    "analysis.milestones": ("GET", "/regios/{region}/mijlpalen", READ, True),
    "analysis.create_milestone": ("GET", "/regios/{region}/mijlpalen/nieuw", EDIT, True),
    "analysis.milestone": ("GET", "/mijlpalen/{milestone}", READ, True),
    "analysis.edit_milestone": ("GET", "/mijlpalen/{milestone}/bewerken", EDIT, True),
    "analysis.delete_milestone": ("POST", "/mijlpalen/{milestone}/verwijderen", EDIT, True),
    "analysis.add_precondition": ("POST", "/mijlpalen/{milestone}/randvoorwaarden", EDIT, True),
    "analysis.delete_precondition": (
        "POST",
        "/randvoorwaarden/{precondition}/verwijderen",
        EDIT,
        True,
    ),
    "analysis.add_action": ("POST", "/mijlpalen/{milestone}/acties", EDIT, True),
    "analysis.save_action": ("POST", "/acties/{action}", EDIT, True),
    "analysis.delete_action": ("POST", "/acties/{action}/verwijderen", EDIT, True),
    "analysis.link_milestone": ("POST", "/mijlpalen/{milestone}/koppelingen", EDIT, True),
    "analysis.unlink_milestone": (
        "POST",
        "/mijlpaalkoppelingen/{milestone_link}/verwijderen",
        EDIT,
        True,
    ),
    "analysis.record_decision": (
        "POST",
        "/regios/{region}/besluiten?item_id={item}",
        {TF},
        True,
    ),
    "analysis.save_decision": ("POST", "/besluiten/{decision}", {TF}, True),
    "exports.region": ("GET", "/regios/{region}/export.json", {PL, OZ}, True),
    "exports.version_docx": ("GET", "/versies/{v1}/export.docx", CONTENT, True),
    "exports.print_version": ("GET", "/versies/{v1}/afdrukken", CONTENT, True),
    "charts.agenda": ("GET", "/agendas/{agenda}/grafieken", CONTENT, True),
    "charts.agenda_csv": ("GET", "/agendas/{agenda}/grafieken/persistentie.csv", CONTENT, True),
    "charts.region": ("GET", "/regios/{region}/grafieken", READ, True),
    "charts.region_csv": ("GET", "/regios/{region}/grafieken/verloop.csv", READ, True),
    "taskforce.start": ("GET", "/taskforce", {TF}, False),
    "taskforce.digest": ("GET", "/taskforce/overzicht?regio={region}", AUDIT, True),
    "taskforce.digest_docx": ("GET", "/taskforce/overzicht.docx?regio={region}", AUDIT, True),
    "taskforce.register": ("GET", "/regios/{region}/besluitenregister", AUDIT, True),
    # Only for a programma role or several regions: nobody in this one-region world.
    "taskforce.programme": ("GET", "/programma", set(), False),
    "taskforce.programme_export": ("GET", "/programma.csv", set(), False),
    "charts.heat_map": ("GET", "/regios/{region}/grafieken/barrieres", READ, True),
    "measurements.index": ("GET", "/regios/{region}/metingen", READ, True),
    "measurements.create": ("GET", "/regios/{region}/metingen/nieuw", MEASURE, True),
    "measurements.feedback": ("GET", "/regios/{region}/terugkoppeling", READ, True),
    "measurements.show": ("GET", "/metingen/{indicator}", READ, True),
    "measurements.trend_csv": ("GET", "/metingen/{indicator}/trend.csv", READ, True),
    "measurements.edit": ("GET", "/metingen/{indicator}/bewerken", MEASURE, True),
    "measurements.delete": ("POST", "/metingen/{indicator}/verwijderen", MEASURE, True),
    "measurements.add_observation": (
        "POST",
        "/metingen/{indicator}/waarnemingen",
        MEASURE,
        True,
    ),
    "measurements.delete_observation": (
        "POST",
        "/waarnemingen/{observation}/verwijderen",
        MEASURE,
        True,
    ),
    "measurements.link": ("POST", "/metingen/{indicator}/leervragen", MEASURE, True),
    "measurements.link_item": ("POST", "/metingen/{indicator}/barrieres", MEASURE, True),
    "measurements.unlink": (
        "POST",
        "/metingkoppelingen/{indicator_link}/verwijderen",
        MEASURE,
        True,
    ),
    "citations.check": ("GET", "/regios/{region}/citaten", {PL, OZ}, True),
    "citations.check_report": ("POST", "/regios/{region}/citaten", {PL, OZ}, True),
    "citations.quote": ("POST", "/vragen/{wording}/citeren", {PL, OZ}, True),
    "citations.quotation": ("GET", "/citaten/{quotation}", {PL, TF, OZ}, True),
    "citations.set_reference": ("POST", "/versies/{v1}/verwijzing", {PL, OZ}, True),
    "glossary.index": ("GET", "/regios/{region}/begrippen", READ, True),
    "glossary.create": ("POST", "/regios/{region}/begrippen", EDIT, True),
    "glossary.edit": ("GET", "/begrippen/{term}/bewerken", EDIT, True),
    "glossary.delete": ("POST", "/begrippen/{term}/verwijderen", EDIT, True),
    "werksessies.index": ("GET", "/regios/{region}/werksessies", SESSION_READ, True),
    "werksessies.create": ("GET", "/regios/{region}/werksessies/nieuw", EDIT, True),
    "werksessies.show": ("GET", "/werksessies/{planned_ws}", SESSION_READ, True),
    "werksessies.edit": ("GET", "/werksessies/{planned_ws}/bewerken", EDIT, True),
    "werksessies.delete": ("POST", "/werksessies/{planned_ws}/verwijderen", EDIT, True),
    "werksessies.open_session": ("POST", "/werksessies/{planned_ws}/openen", EDIT, True),
    "werksessies.close": ("POST", "/werksessies/{open_ws}/sluiten", EDIT, True),
    "werksessies.lead": ("GET", "/werksessies/{open_ws}/leiden", EDIT, True),
    "werksessies.live": ("GET", "/werksessies/{open_ws}/live", EDIT, True),
    "werksessies.focus": ("POST", "/werksessies/{open_ws}/focus", EDIT, True),
    "werksessies.decide": (
        "POST",
        "/werksessies/{open_ws}/besluiten/{walk_source}",
        EDIT,
        True,
    ),
    "werksessies.clear": (
        "POST",
        "/werksessies/{open_ws}/besluiten/{walk_source}/wissen",
        EDIT,
        True,
    ),
    "werksessies.edit_contribution": (
        "GET",
        "/werksessies/{open_ws}/inbreng/{contribution}/bewerken",
        EDIT,
        True,
    ),
    "werksessies.handle": (
        "POST",
        "/werksessies/{open_ws}/inbreng/{contribution}",
        EDIT,
        True,
    ),
    "werksessies.report": ("GET", "/werksessies/{open_ws}/verslag", SESSION_READ, True),
    "werksessies.handout": ("GET", "/werksessies/{open_ws}/hand-out", SESSION_READ, True),
    "werksessies.changes": ("GET", "/werksessies/{open_ws}/wat-is-veranderd", SESSION_READ, True),
    "werksessies.report_file": ("GET", "/werksessies/{open_ws}/verslag.csv", SESSION_READ, True),
    "werksessies.audience": ("GET", "/werksessies/{open_ws}/zaalscherm", EDIT, True),
    "werksessies.audience_poll": ("GET", "/werksessies/{open_ws}/zaalscherm/stand", EDIT, True),
    "werksessies.reveal": ("POST", "/werksessies/{open_ws}/onthullen", EDIT, True),
    "werksessies.timer": ("POST", "/werksessies/{open_ws}/timer", EDIT, True),
    "werksessies.erase": (
        "POST",
        "/werksessies/{open_ws}/inbreng/{contribution}/wissen",
        EDIT,
        True,
    ),
}
# Participants reach a werksessie with its code, without an account: see
# test_participant_routes_answer_by_code below.
PUBLIC = {
    "static",
    "auth.login",
    "auth.accept_invitation",
    "charts.plotly_js",
    "charts.plotly_css",
    "health.healthz",
    *PARTICIPANT_ENDPOINTS,
}
# After one allowed role deleted the object, the next allowed role finds it gone.
DESTRUCTIVE = {
    "auth.remove_member",
    "agendas.delete_version",
    "agendas.delete_subquestion",
    "measurements.delete",
    "measurements.delete_observation",
    "measurements.unlink",
    "analysis.delete_heading",
    "analysis.unlink",
    "analysis.delete_precondition",
    "analysis.delete_action",
    "analysis.unlink_milestone",
    "glossary.delete",
}
# Roles that may not do something, first; then those that may (they may change the data).
ORDER = [BH, DN, TF, OZ, ADMIN, PL]


def _region_data(name: str) -> dict:
    region = make_region(name)
    agenda = make_agenda(region, title=f"Agenda {name}")
    v1 = make_version(
        agenda,
        ["Hoe kan ik regie houden, terwijl ik geen mandaat heb?"],
        publish=True,
        day=date(2025, 1, 1),
    )
    v2 = services.create_version(agenda)
    wording = by_label(v2, "A")
    sub = questions.add_subquestion(wording, text="Hoe meet ik dat?")
    leader = make_user(f"leider@{name.lower()}.nl", region=region, role=PL)
    other = make_user(f"ander@{name.lower()}.nl", region=region, role=DN)
    membership = auth_services.set_membership(other, region.id, DN)
    indicator = measurement_services.create_indicator(
        region, name="Doorbraken", concerns="gezinnen", horizon="kort", kind="aantal"
    )
    observation = measurement_services.add_observation(
        indicator, observed_on=date(2025, 2, 1), value="4"
    )
    indicator_link = measurement_services.link_thread(indicator, wording.thread_id)
    analysis.seed_defaults(region)
    aspects, actors = analysis.headings(region)
    empty = analysis.add_heading(region, axis="actor", name="Lege kolom")
    item = analysis.create_item(
        region, aspect_id=aspects[0].id, actor_id=actors[0].id, description="Geen mandaat"
    )
    link = analysis.link_thread(db.session.get(Thread, wording.thread_id), item)
    milestone = analysis.create_milestone(region, title="Zicht op de stand van zaken")
    precondition = analysis.add_precondition(milestone, text="Overzicht van activiteiten")
    action = analysis.add_action(milestone, text="Gesprekken met gemeenten")
    milestone_link = analysis.link_milestone(milestone, item=item)
    decision = analysis.record_decision(
        region, item=item, decided_on=date(2025, 2, 1), text="Mandaat regelen"
    )
    planned = planning.plan_session(
        region, agenda_ids=[agenda.id], title="Gepland", session_date=date(2026, 3, 1)
    )
    walked = make_agenda(region, title=f"Sessie-agenda {name}")
    make_version(walked, ["Hoe kan ik delen, terwijl het niet mag?"], publish=True)
    live = planning.plan_session(
        region,
        agenda_ids=[walked.id],
        title="Open",
        session_date=date(2026, 3, 2),
        allow_anonymous=True,
    )
    session_services.open_session(live)
    participant, _token = participation.join(live, role="professional")
    contribution = participation.add_contribution(
        live, participant, text="Hoe kunnen we leren, terwijl er geen tijd is?"
    )
    from dla.citations import services as citations
    from dla.glossary import services as glossary

    quotation = citations.create_quotation(
        v1.wordings[0], created_by_id=None, today=date(2025, 3, 1)
    )
    term = glossary.create_term(region, term="voorbeeldbegrip", definition="Een begrip.")
    db.session.flush()
    return {
        "quotation": quotation.id,
        "term": term.id,
        "planned_ws": planned.id,
        "open_ws": live.id,
        "walk_source": live.focus_wording_id,
        "contribution": contribution.id,
        "code": live.code,
        "indicator": indicator.id,
        "observation": observation.id,
        "indicator_link": indicator_link.id,
        "region": region.id,
        "agenda": agenda.id,
        "v1": v1.id,
        "v2": v2.id,
        "wording": wording.id,
        "source": by_label(v1, "A").id,
        "sub": sub.id,
        "group": v2.groups[0].id,
        "thread": wording.thread_id,
        "membership": membership.id,
        "other_user": other.id,
        "leader": leader.id,
        "heading": aspects[0].id,
        "empty_heading": empty.id,
        "aspect": aspects[0].id,
        "actor": actors[0].id,
        "item": item.id,
        "link": link.id,
        "milestone": milestone.id,
        "precondition": precondition.id,
        "action": action.id,
        "milestone_link": milestone_link.id,
        "decision": decision.id,
    }


@pytest.fixture
def app(rolled_back_app):
    """Every test here runs on the module's one app; what a test changes is rolled back
    afterwards, so each sees the world as it was built (tests/transactional.py)."""
    return rolled_back_app


@pytest.fixture(scope="module")
def shared_world(module_app):
    return build_world(module_app)


@pytest.fixture
def world(app, shared_world):
    return shared_world


def build_world(app) -> dict:
    """Two regions with one of everything, users of every role in the first (also used by
    the fuzz tests)."""
    with app.app_context():
        own = _region_data("Eigen")
        other = _region_data("Ander")
        users = {}
        region = db.session.get(services.Agenda, own["agenda"]).region
        for role in (PL, DN, TF, OZ, BH):
            user = make_user(f"{role}@test.nl", region=region, role=role)
            users[role] = user.get_id()
        auth_services.add_participant(
            db.session.get(services.Agenda, own["agenda"]), int(users[DN].split(":")[0])
        )
        users[ADMIN] = make_user("admin@test.nl", admin=True).get_id()
        db.session.commit()
        return {"own": own, "other": other, "users": users}


def test_every_route_has_a_decision(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - PUBLIC - set(RULES) == set(), "new route without an access rule"
    assert set(RULES) - endpoints == set(), "rule for a route that no longer exists"


def _request(client, method: str, url: str):
    data = {"text": "Hoe nu, terwijl het lastig is?", "body": "Reactie", "role": DN}
    data.update({"title": "Groep", "label_style": "letter", "email": "nieuw@test.nl"})
    data.update({"kind": "blijft_staan", "user_id": "1", "lock_version": "1"})
    if method == "GET":
        return client.get(url)
    return client.post(url, data=data)


@pytest.mark.parametrize("endpoint", sorted(RULES))
def test_access_matrix(app, world, endpoint):
    method, template, allowed, scoped = RULES[endpoint]
    anonymous = app.test_client()
    response = _request(anonymous, method, template.format(**world["own"]))
    assert response.status_code in (302, 303), "anonymous visitors must log in first"
    assert "/inloggen" in response.headers["Location"]
    deleted: set[str] = set()
    # Roles that may not act go first: an allowed request may change or delete the data.
    for role in sorted(ORDER, key=lambda r: r in allowed):
        client = app.test_client()
        log_in(client, world["users"][role])
        places = ("other", "own") if scoped else ("own",)
        for place in places:
            url = template.format(**world[place])
            status = _request(client, method, url).status_code
            if place == "other" and role != ADMIN:
                expected = "404"
            elif role in allowed:
                expected = "allowed"
            elif role == ADMIN and scoped and endpoint.startswith("auth."):
                expected = "allowed"
            else:
                expected = "403"
            got = "allowed" if status not in (401, 403, 404) and status < 500 else str(status)
            if endpoint in DESTRUCTIVE and place in deleted and got == "404":
                got = "allowed"  # already deleted by an earlier allowed role
            if got == "allowed" and expected == "allowed":
                deleted.add(place)
            if (
                role == ADMIN
                and place == "other"
                and endpoint
                not in (
                    "auth.members",
                    "auth.invite",
                    "auth.change_role",
                    "auth.remove_member",
                    "regions.edit",
                )
            ):
                expected = "403"
            assert got == expected, f"{role} in {place} region: {method} {url} -> {status}"


PARTICIPANT_REQUESTS = {
    "werksessies.enter_code": ("POST", "/doe-mee", {"code": "{code}"}),
    "werksessies.phone": ("GET", "/w/{code}", None),
    "werksessies.join": ("POST", "/w/{code}/aanmelden", {"role": "manager"}),
    "werksessies.contribute": ("POST", "/w/{code}/vragen", {"goal": "Hoe", "barrier": "x"}),
    "werksessies.preview": ("POST", "/w/{code}/voorbeeld", {"goal": "Hoe"}),
    "werksessies.vote": ("POST", "/w/{code}/stem", {"value": "opgelost"}),
    "werksessies.phone_focus": ("GET", "/w/{code}/stand", None),
    "werksessies.phone_shared": ("GET", "/w/{code}/nieuwe-vragen", None),
    "werksessies.upvote": ("POST", "/w/{code}/steun/1", None),
}


def test_every_participant_route_is_covered():
    assert set(PARTICIPANT_REQUESTS) == PARTICIPANT_ENDPOINTS


@pytest.mark.parametrize("endpoint", sorted(PARTICIPANT_REQUESTS))
def test_participant_routes_answer_by_code(app, world, endpoint):
    """No login needed, but a wrong code is a Dutch 404, and only a joined participant
    (signed cookie) may add questions, preview or vote."""
    method, template, data = PARTICIPANT_REQUESTS[endpoint]
    client = app.test_client()

    def call(code):
        url = template.format(code=code)
        values = {k: v.format(code=code) for k, v in (data or {}).items()}
        return client.get(url) if method == "GET" else client.post(url, data=values)

    wrong = call("QQQQQQ")
    assert wrong.status_code == 404
    assert "Deze code kennen we niet" in wrong.get_data(as_text=True)
    right = call(world["own"]["code"])
    if endpoint in (
        "werksessies.contribute",
        "werksessies.preview",
        "werksessies.vote",
        "werksessies.phone_focus",
        "werksessies.phone_shared",
        "werksessies.upvote",
    ):
        assert right.status_code == 403
        assert "meld u aan" in right.get_data(as_text=True)
    else:
        assert right.status_code in (200, 303), right.status_code
