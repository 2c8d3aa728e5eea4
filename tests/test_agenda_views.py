"""HTTP and htmx paths: pages, fragments, errors, immutability, conflicts, query counts."""

import re
from datetime import date

import pytest

from dla.agendas import questions, services, transitions
from dla.agendas.models import Version
from dla.extensions import db
from tests.factories import (
    by_label,
    keep_all,
    log_in,
    make_agenda,
    make_region,
    make_user,
    make_version,
    question,
)

HX = {"HX-Request": "true"}
Q1 = question("als ICR regie houden op veiligheid", "ik geen zicht krijg op de situatie")
Q2 = question("informatie delen met Veilig Thuis", "ik de privacyregels niet ken")


@pytest.fixture
def data(app, client):
    """An agenda with a published version 1 and a concept version 2; ids only.

    The client is logged in as a projectleider (and global beheerder) of the region.
    """
    with app.app_context():
        agenda = make_agenda()
        v1 = make_version(agenda, [Q1, Q2], publish=True, day=date(2025, 1, 10))
        v2 = services.create_version(agenda, document_date=date(2025, 3, 1))
        user = make_user(region=agenda.region, role="projectleider", admin=True)
        db.session.commit()
        log_in(client, user)
        return {
            "region": agenda.region_id,
            "agenda": agenda.id,
            "v1": v1.id,
            "v2": v2.id,
            "v1_a": by_label(v1, "A").id,
            "v2_a": by_label(v2, "A").id,
            "thread": by_label(v1, "A").thread_id,
        }


def text_of(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/regios/nieuw",
        "/regios/{region}",
        "/regios/{region}/bewerken",
        "/regios/{region}/agendas/nieuw",
        "/agendas/{agenda}",
        "/agendas/{agenda}/bewerken",
        "/versies/{v1}",
        "/versies/{v2}",
        "/versies/{v2}/bewerken",
        "/agendas/{agenda}/vergelijken",
        "/leervragen/{thread}",
    ],
)
def test_pages_render_in_dutch(client, data, path):
    response = client.get(path.format(**data))
    assert response.status_code == 200
    body = text_of(response)
    assert '<html lang="nl">' in body
    assert "Naar de inhoud" in body  # skip link
    assert "HX-Request" in response.headers["Vary"]


def test_htmx_gets_a_fragment_and_history_restore_the_full_page(client, data):
    url = f"/agendas/{data['agenda']}?status=open"
    fragment = client.get(url, headers=HX)
    assert "<html" not in text_of(fragment)
    assert Q1 in text_of(fragment)
    full = client.get(url, headers={**HX, "HX-History-Restore-Request": "true"})
    assert "<html" in text_of(full)


def test_security_headers(client):
    response = client.get("/inloggen")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_create_region_agenda_and_first_version_through_forms(app, client):
    with app.app_context():
        admin = make_user("admin@test.nl", admin=True)
        db.session.commit()
        log_in(client, admin)
    response = client.post(
        "/regios/nieuw",
        data={
            "name": "Regio Test",
            "persist_min_run": "3",
            "persist_max_months": "9",
            "my_role": "beheerder",
        },
    )
    assert response.status_code == 303
    members_url = response.headers["Location"]
    assert members_url.endswith("/leden")
    region_id = int(members_url.rsplit("/", 2)[1])
    # A global beheerder creates regions but needs a role to work in them.
    assert client.get(f"/regios/{region_id}/agendas/nieuw").status_code == 403
    with app.app_context():
        from dla.auth import services as auth_services
        from dla.auth.models import User

        auth_services.set_membership(db.session.get(User, admin.id), region_id, "projectleider")
        db.session.commit()
    response = client.post(
        f"/regios/{region_id}/agendas/nieuw",
        data={"title": "Agenda managers", "level": "tactisch", "audience": "Managers"},
    )
    assert response.status_code == 303
    agenda_id = int(response.headers["Location"].rsplit("/", 1)[1])
    response = client.post(
        f"/agendas/{agenda_id}/versies/nieuw",
        data={
            "document_date": "24-02-2020",
            "session_date": "21 januari 2020",
            "origin": "werksessie",
            "distribution": "beperkt",
            "context_line": "Naar aanleiding van de werksessie op 21 januari 2020",
            "groups": "Leervragen ten aanzien van ambitie\n"
            "Leervragen ten aanzien van vervolgstappen",
        },
    )
    assert response.status_code == 303
    page = text_of(client.get(response.headers["Location"]))
    assert "24 februari 2020" in page and "21 januari 2020" in page
    assert "Leervragen ten aanzien van vervolgstappen" in page
    assert "Beperkt" in page


def test_wrong_dates_and_missing_fields_get_dutch_422(client, data):
    response = client.post(
        f"/regios/{data['region']}/agendas/nieuw", data={"title": "", "level": "tactisch"}
    )
    assert response.status_code == 422
    assert "Geef de agenda een titel." in text_of(response)
    response = client.post(
        f"/versies/{data['v2']}/bewerken",
        data={"document_date": "31-02-2020", "origin": "werksessie", "distribution": "regio"},
    )
    assert response.status_code == 422
    assert "Deze datum klopt niet" in text_of(response)
    response = client.post(
        "/regios/nieuw", data={"name": "X", "persist_min_run": "abc", "persist_max_months": "9"}
    )
    assert response.status_code == 422
    # Stop words are not on the new-region form: a value sent for them is ignored (found by
    # fuzzing: it refused the region with a message the form does not show).
    response = client.post(
        "/regios/nieuw",
        data={
            "name": "Regio Stopwoord",
            "persist_min_run": "3",
            "persist_max_months": "9",
            "stop_words": "<script>" * 2000,
        },
    )
    assert response.status_code == 303


LIST_STATE = re.compile(r'name="list_state" value="([0-9a-f]+)"')


def list_state_of(body: str) -> str:
    return LIST_STATE.search(body).group(1)


def test_a_new_question_is_answered_with_its_line_the_form_and_the_changes(app, client, data):
    """Adding a question swaps in what it changed, not the whole workspace: an editor the
    person had open elsewhere stays open (the browser test checks that)."""
    page = text_of(client.get(f"/versies/{data['v2']}"))
    with app.app_context():
        group_id = db.session.get(Version, data["v2"]).groups[0].id
    response = client.post(
        f"/versies/{data['v2']}/vragen",
        data={
            "goal": "Hoe kunnen we samen plannen",
            "barrier": "ieder een eigen plan heeft",
            "list_state": list_state_of(page),
        },
        headers=HX,
    )
    assert response.status_code == 200
    body = text_of(response)
    assert 'id="workspace"' not in body and "<html" not in body
    # The new question, at the end of its group, labelled after A and B.
    line = re.search(
        rf'<ol hx-swap-oob="beforeend:#questions-{group_id}">(.*?)</ol>\s*<', body, re.S
    )
    assert line is not None
    assert "Hoe kunnen we samen plannen, terwijl ieder een eigen plan heeft?" in line.group(1)
    assert '<span class="label">C.</span>' in line.group(1)
    # Not the questions that were there already.
    assert Q1 not in body and Q2 not in body
    # The form, empty again, saying what happened; the changes list, with the new question.
    assert body.lstrip().startswith(
        '<section aria-labelledby="add-title" class="panel" id="add-question">'
    )
    assert "Vraag C is toegevoegd." in body
    changes = re.search(r'<section[^>]*id="changes" hx-swap-oob="true">(.*?)</section>', body, re.S)
    assert changes is not None and "samen plannen" in changes.group(1)
    # No one else changed the list: no notice, and the new form's state is the page's now.
    assert "Intussen hebben anderen" not in body
    assert list_state_of(body) == list_state_of(text_of(client.get(f"/versies/{data['v2']}")))


def test_a_new_question_says_when_others_changed_the_list_meanwhile(app, client, data):
    seen = list_state_of(text_of(client.get(f"/versies/{data['v2']}")))
    with app.app_context():  # someone else adds a question after the page was shown
        version = db.session.get(Version, data["v2"])
        questions.add_wording(
            version, text="Hoe kunnen we eerder signaleren, terwijl niemand tijd heeft?"
        )
        db.session.commit()
    response = client.post(
        f"/versies/{data['v2']}/vragen",
        data={"text": Q1 + " Nu echt?", "list_state": seen},
        headers=HX,
    )
    assert response.status_code == 200
    body = text_of(response)
    assert "Intussen hebben anderen de vragen van deze versie ook veranderd." in body
    assert 'hx-select="#workspace" hx-target="#workspace"' in body
    assert '<span class="label">D.</span>' in body  # after the other person's C
    # The button shows the whole list again: the version page, of which htmx takes the workspace.
    whole = text_of(client.get(f"/versies/{data['v2']}", headers=HX))
    assert 'id="workspace"' in whole and "eerder signaleren" in whole


def test_the_first_question_of_a_group_is_answered_with_the_whole_workspace(app, client, data):
    """It changes more than its own line (the group's empty text, its delete button)."""
    with app.app_context():
        version = db.session.get(Version, data["v2"])
        group = questions.add_group(version, title="Nieuwe groep")
        db.session.commit()
        group_id = group.id
    page = text_of(client.get(f"/versies/{data['v2']}"))
    response = client.post(
        f"/versies/{data['v2']}/vragen",
        data={
            "text": Q1 + " In de groep?",
            "group_id": str(group_id),
            "list_state": list_state_of(page),
        },
        headers=HX,
    )
    assert response.status_code == 200
    body = text_of(response)
    assert 'id="workspace"' in body and Q2 in body and "In de groep?" in body
    # In place of the workspace, not of the form the question was sent from.
    assert response.headers["HX-Retarget"] == "#workspace"
    assert response.headers["HX-Reswap"] == "outerHTML"


def test_a_refused_new_question_is_answered_with_the_form_and_its_message(app, client, data):
    with app.app_context():
        before = db.session.get(Version, data["v2"]).wordings
        count = len(before)
    response = client.post(
        f"/versies/{data['v2']}/vragen",
        data={"goal": "   ", "barrier": "ik te weinig tijd heb"},
        headers=HX,
    )
    assert response.status_code == 422
    body = text_of(response)
    assert 'id="add-question"' in body and 'id="workspace"' not in body
    assert "Vul de vraag in." in body and 'value="ik te weinig tijd heb"' in body
    with app.app_context():
        assert len(db.session.get(Version, data["v2"]).wordings) == count


def test_add_question_plain_post_redirects(client, data):
    response = client.post(f"/versies/{data['v2']}/vragen", data={"text": Q1 + " extra?"})
    assert response.status_code == 303


def test_preview_composes_the_sentence_and_hints(client, data):
    response = client.post(
        f"/versies/{data['v2']}/voorbeeld",
        data={"goal": "Hoe kan ik als ICR helpen", "barrier": "terwijl het moeilijk is"},
        headers=HX,
    )
    body = text_of(response)
    assert "Hoe kan ik als ICR helpen, terwijl het moeilijk is?" in body
    assert "als ICR" in body
    hint = client.post(f"/versies/{data['v2']}/voorbeeld", data={"text": "Meer samenwerken"})
    assert "De methode begint een leervraag met" in text_of(hint)


def test_empty_and_huge_input_is_refused_with_4xx(client, data):
    response = client.post(f"/versies/{data['v2']}/vragen", data={"text": "  "}, headers=HX)
    assert response.status_code == 422
    assert "Vul de vraag in." in text_of(response)
    response = client.post(
        f"/versies/{data['v2']}/vragen", data={"text": "Hoe " + "x" * 5000}, headers=HX
    )
    assert response.status_code == 422
    response = client.post(
        f"/versies/{data['v2']}/vragen", data={"text": "x" * (10 * 1024 * 1024)}, headers=HX
    )
    assert response.status_code == 413
    assert "te groot" in text_of(response)


def test_unknown_ids_give_dutch_404(client, data):
    for path in ("/agendas/9999", "/versies/9999", "/leervragen/9999", "/regios/9999"):
        response = client.get(path)
        assert response.status_code == 404
        assert "bestaat niet" in text_of(response)
    response = client.post("/vragen/9999/verwijderen", headers=HX)
    assert response.status_code == 404
    assert response.headers["HX-Retarget"] == "#messages"


def test_ids_too_large_for_the_database_are_not_found(client, data):
    """Found by the fuzz tests: an id beyond a database integer, in the path or a field,
    was a 500 (the database refuses the number)."""
    for path in ("/agendas/2147483648", "/versies/99999999999999999999", "/vragen/1" + "0" * 30):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "bestaat niet" in text_of(response)
    response = client.post(
        f"/agendas/{data['agenda']}/deelnemers", data={"user_id": "9223372036854775808"}
    )
    assert response.status_code == 422
    response = client.post(
        f"/versies/{data['v2']}/vragen", data={"text": Q1, "group_id": "2147483648"}
    )
    assert response.status_code == 422
    assert client.get(f"/agendas/{data['agenda']}/vergelijken?van=2147483648").status_code == 404


def test_every_refused_question_edit_says_why(client, data):
    """Found by the fuzz tests: 422s whose message had nowhere to show."""
    # A bad group: the group field is shown with its message, also when there is one group.
    for path in (f"/versies/{data['v2']}/vragen", f"/vragen/{data['v2_a']}"):
        response = client.post(path, data={"text": Q1, "group_id": "1.5", "lock_version": "1"})
        assert response.status_code == 422
        assert 'class="error"' in text_of(response), path
    # A transition without a kind, posted without htmx, gets the message on the error page.
    response = client.post(f"/versies/{data['v2']}/overgangen/{data['v1_a']}", data={})
    assert response.status_code == 422
    assert "Kies wat er met deze vraag gebeurt." in text_of(response)
    # A sub-question or a group for a published version is refused as such, also when the
    # input is wrong (the published page has no form to show the message in).
    for path in (f"/vragen/{data['v1_a']}/deelvragen", f"/versies/{data['v1']}/groepen"):
        response = client.post(path, data={})
        assert response.status_code == 409, path
        assert "vastgesteld" in text_of(response)


def test_published_version_is_refused_through_views_and_htmx(client, data):
    for path, form in [
        (f"/versies/{data['v1']}/vragen", {"text": Q1}),
        (f"/vragen/{data['v1_a']}", {"text": Q2, "lock_version": "1"}),
        (f"/vragen/{data['v1_a']}/verwijderen", {}),
        (f"/vragen/{data['v1_a']}/verplaatsen", {"richting": "down"}),
        (f"/vragen/{data['v1_a']}/deelvragen", {"text": "Hoe?"}),
        (f"/versies/{data['v1']}/vaststellen", {}),
        (f"/versies/{data['v1']}/bewerken", {"origin": "werksessie", "distribution": "regio"}),
        (f"/versies/{data['v1']}/verwijderen", {}),
    ]:
        for headers in ({}, HX):
            response = client.post(path, data=form, headers=headers)
            assert response.status_code == 409, path
            assert "vastgesteld" in text_of(response)
    assert client.get(f"/vragen/{data['v1_a']}/bewerken", headers=HX).status_code == 409
    page = text_of(client.get(f"/versies/{data['v1']}"))
    assert Q1 in page and Q2 in page


def test_concurrent_edit_gets_409_with_the_other_text(client, data):
    first = client.post(
        f"/vragen/{data['v2_a']}", data={"text": Q1 + " (A)", "lock_version": "1"}, headers=HX
    )
    assert first.status_code == 200
    second = client.post(
        f"/vragen/{data['v2_a']}", data={"text": Q1 + " (B)", "lock_version": "1"}, headers=HX
    )
    assert second.status_code == 409
    body = text_of(second)
    assert "Iemand anders heeft deze vraag intussen gewijzigd" in body
    assert Q1 + " (A)" in body
    assert second.headers["HX-Retarget"] == f"#q-{data['v2_a']}"
    page = text_of(client.get(f"/versies/{data['v2']}"))
    assert Q1 + " (A)" in page and Q1 + " (B)" not in page


def test_transitions_through_htmx_and_publish(client, app, data):
    refused = client.post(f"/versies/{data['v2']}/vaststellen", headers=HX)
    assert refused.status_code == 422
    assert "Nog niet klaar" in text_of(refused)
    response = client.post(
        f"/versies/{data['v2']}/overgangen/{data['v1_a']}",
        data={"kind": "blijft_staan", "expected": ""},
        headers=HX,
    )
    assert response.status_code == 200
    with app.app_context():
        v1 = db.session.get(Version, data["v1"])
        b = by_label(v1, "B").id
    response = client.post(
        f"/versies/{data['v2']}/overgangen/{b}",
        data={"kind": "voorlopig_beantwoord", "expected": ""},
        headers=HX,
    )
    assert response.status_code == 422
    assert "voorlopige antwoord" in text_of(response)
    assert response.headers["HX-Retarget"] == f"#t-{b}"
    response = client.post(
        f"/versies/{data['v2']}/overgangen/{b}",
        data={"kind": "voorlopig_beantwoord", "note": "Actie: convenant tekenen", "expected": ""},
        headers=HX,
    )
    assert response.status_code == 200
    # The changelog in the fragment follows the decision at once.
    assert "Wat is er veranderd sinds versie 1?" in text_of(response)
    assert "Actie: convenant tekenen" in text_of(response)
    stale = client.post(
        f"/versies/{data['v2']}/overgangen/{b}",
        data={"kind": "vervallen", "reason": "anders", "note": "x", "expected": ""},
        headers=HX,
    )
    assert stale.status_code == 409
    published = client.post(f"/versies/{data['v2']}/vaststellen", headers=HX)
    assert published.status_code == 204
    assert published.headers["HX-Redirect"] == f"/versies/{data['v2']}"
    page = text_of(client.get(f"/versies/{data['v2']}"))
    assert "Vastgesteld" in page and "Voorlopig beantwoord" in page


def test_the_previous_versions_questions_are_listed_by_group_then_position(client, app):
    """The decisions list follows the previous version's order: its groups in their order,
    then the questions in each group, whatever order they were added in."""
    with app.app_context():
        agenda = make_agenda()
        v1 = services.create_version(agenda, document_date=date(2025, 1, 10))
        first = v1.groups[0]
        second = questions.add_group(v1, title="Tweede groep")
        questions.add_wording(v1, text=Q1, group_id=second.id)
        questions.add_wording(v1, text=Q2, group_id=first.id)
        services.publish_version(v1)
        v2 = services.create_version(agenda, document_date=date(2025, 3, 1))
        user = make_user(region=agenda.region, role="projectleider")
        db.session.commit()
        log_in(client, user)
        url = f"/versies/{v2.id}"
    page = text_of(client.get(url))
    decisions = page[page.index('id="tr-title"') : page.index('id="qs-title"')]
    assert decisions.index("Veilig Thuis") < decisions.index("regie houden op veiligheid")


def test_transition_for_another_versions_question_is_422(client, data):
    response = client.post(
        f"/versies/{data['v2']}/overgangen/{data['v2_a']}",
        data={"kind": "blijft_staan"},
        headers=HX,
    )
    assert response.status_code == 422
    assert "vorige versie" in text_of(response)


def test_compare_page_shows_reworded_diff(client, app, data):
    with app.app_context():
        v2 = db.session.get(Version, data["v2"])
        v1 = db.session.get(Version, data["v1"])
        transitions.set_transition(
            v2, by_label(v1, "A"), "geherformuleerd", text=Q1.replace("regie", "de regie")
        )
        keep_all(v2)
        services.publish_version(v2)
        db.session.commit()
    body = text_of(
        client.get(f"/agendas/{data['agenda']}/vergelijken?van={data['v1']}&naar={data['v2']}")
    )
    assert "Geherformuleerd" in body and "Blijft staan" in body
    assert re.search(r"<ins>\s*de\s*</ins>", body)
    same = client.get(f"/agendas/{data['agenda']}/vergelijken?van={data['v1']}&naar={data['v1']}")
    assert same.status_code == 422
    foreign = client.get(f"/agendas/{data['agenda']}/vergelijken?van=99999&naar={data['v1']}")
    assert foreign.status_code == 404


def _grow(app, agenda_id: int, versions: int) -> None:
    with app.app_context():
        agenda = db.session.get(services.Agenda, agenda_id)
        for n in range(versions):
            version = services.concept_version(agenda) or services.create_version(agenda)
            keep_all(version)
            questions.add_wording(version, text=question(f"iets nieuws {n}", "het nog lastig is"))
            services.publish_version(version)
        db.session.commit()


def test_main_pages_use_a_constant_number_of_queries(client, app, count_queries):
    with app.app_context():
        agenda = make_agenda(make_region("Groei"))
        make_version(agenda, [Q1, Q2], publish=True)
        user = make_user(region=agenda.region, role="onderzoeker")
        db.session.commit()
        log_in(client, user)
        agenda_id, region_id, thread_id = (
            agenda.id,
            agenda.region_id,
            agenda.versions[0].wordings[0].thread_id,
        )

    def counts() -> dict[str, int]:
        with app.app_context():
            versions = db.session.get(services.Agenda, agenda_id).versions
            first, last = versions[0].id, versions[-1].id
        result = {}
        for name, path in {
            "agenda": f"/agendas/{agenda_id}",
            "region": f"/regios/{region_id}",
            "version": f"/versies/{last}",
            "compare": f"/agendas/{agenda_id}/vergelijken?van={first}&naar={last}",
            "thread": f"/leervragen/{thread_id}",
        }.items():
            with count_queries() as statements:
                assert client.get(path).status_code == 200
            result[name] = len(statements)
        return result

    _grow(app, agenda_id, 2)
    small = counts()
    _grow(app, agenda_id, 6)
    large = counts()
    assert small == large
    assert max(large.values()) <= 25


def test_csrf_is_enforced_on_forms_and_htmx(database_url):
    from dla import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.create_all()
        region = make_region("CSRF")
        agenda = make_agenda(region)
        version = make_version(agenda)
        user = make_user(region=region, role="projectleider")
        db.session.commit()
        version_id = version.id
        user_key = user.get_id()
    try:
        client = app.test_client()
        log_in(client, user_key)
        response = client.post(f"/versies/{version_id}/vragen", data={"text": Q1}, headers=HX)
        assert response.status_code == 400
        assert "Laad de pagina opnieuw" in text_of(response)
        page = text_of(client.get(f"/versies/{version_id}"))
        token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
        response = client.post(
            f"/versies/{version_id}/vragen",
            data={"text": Q1},
            headers={**HX, "X-CSRFToken": token},
        )
        assert response.status_code == 200
        # Every form of the answer carries this request's token (dla.csrf_token; signed with
        # the time, so it may differ from the page's), and it is accepted.
        fields = set(re.findall(r'name="csrf_token" value="([^"]+)"', text_of(response)))
        assert len(fields) == 1
        response = client.post(
            f"/versies/{version_id}/vragen",
            data={"text": Q2, "csrf_token": fields.pop()},
            headers=HX,
        )
        assert response.status_code == 200 and "Laad de pagina opnieuw" not in text_of(response)
    finally:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def test_subquestions_groups_and_reorder_through_htmx(client, app, data):
    workspace = client.post(
        f"/vragen/{data['v2_a']}/deelvragen", data={"text": "Hoe meet ik dat?"}, headers=HX
    )
    assert workspace.status_code == 200 and "Hoe meet ik dat?" in text_of(workspace)
    with app.app_context():
        sub_id = db.session.get(services.Wording, data["v2_a"]).subquestions[0].id
    empty = client.post(f"/deelvragen/{sub_id}", data={"text": ""}, headers=HX)
    assert empty.status_code == 422 and "Vul de deelvraag in." in text_of(empty)
    saved = client.post(f"/deelvragen/{sub_id}", data={"text": "Hoe weet ik dat?"}, headers=HX)
    assert "Hoe weet ik dat?" in text_of(saved)
    group = client.post(
        f"/versies/{data['v2']}/groepen",
        data={"title": "Vervolgstappen", "label_style": "number"},
        headers=HX,
    )
    assert 'value="Vervolgstappen"' in text_of(group)
    moved = client.post(
        f"/vragen/{data['v2_a']}/verplaatsen", data={"richting": "down"}, headers=HX
    )
    assert moved.status_code == 200
    with app.app_context():
        version = db.session.get(Version, data["v2"])
        assert [w.full_text for w in services.ordered_wordings(version)] == [Q2, Q1]
    refused = client.post(f"/vragen/{data['v2_a']}/verwijderen", headers=HX)
    assert refused.status_code == 422
    assert "stond in de vorige versie" in text_of(refused)


def test_overview_filters_default_to_open_questions(client, app, data):
    with app.app_context():
        v2 = db.session.get(Version, data["v2"])
        v1 = db.session.get(Version, data["v1"])
        transitions.set_transition(v2, by_label(v1, "B"), "vervallen", reason="niet_meer_urgent")
        keep_all(v2)
        services.publish_version(v2)
        db.session.commit()
    for base in (f"/agendas/{data['agenda']}", f"/regios/{data['region']}"):
        default = text_of(client.get(base, headers=HX))
        assert Q1 in default and Q2 not in default
        assert "1–1 van 1 leervraag" in default
        everything = text_of(client.get(base + "?status=alle", headers=HX))
        assert Q1 in everything and Q2 in everything
        dropped = text_of(client.get(base + "?status=vervallen", headers=HX))
        assert Q2 in dropped and Q1 not in dropped
        assert "Vervallen" in dropped
        searched = text_of(client.get(base + "?status=alle&q=PRIVACYREGELS", headers=HX))
        assert Q2 in searched and Q1 not in searched
        odd = client.get(base + "?status=<script>&pagina=abc&niveau=x")
        assert odd.status_code == 200 and "<script>" not in text_of(odd)


def test_comments_on_questions_and_versions(client, data):
    empty = client.post(f"/leervragen/{data['thread']}/reacties", data={"body": " "}, headers=HX)
    assert empty.status_code == 422 and "Vul de reactie in." in text_of(empty)
    posted = client.post(
        f"/leervragen/{data['thread']}/reacties",
        data={"body": "Dit speelt ook in Maasdam."},
        headers=HX,
    )
    assert posted.status_code == 200 and "Dit speelt ook in Maasdam." in text_of(posted)
    # A comment on a published version does not change the version.
    on_published = client.post(
        f"/versies/{data['v1']}/reacties", data={"body": "Goed besproken."}, headers=HX
    )
    assert on_published.status_code == 200
    page = text_of(client.get(f"/versies/{data['v1']}"))
    assert "Goed besproken." in page and "Pim" in page
    assert "Dit speelt ook in Maasdam." in text_of(client.get(f"/leervragen/{data['thread']}"))


def test_control_characters_in_filters_and_logins_are_ignored(app, client, data):
    """Found by the fuzz tests: a NUL in a search or an e-mail address reached PostgreSQL,
    which cannot hold it (500)."""
    for path in (
        f"/regios/{data['region']}?q=%00&doelgroep=%00ICR",
        f"/agendas/{data['agenda']}?q=regie%00",
        f"/regios/{data['region']}/grafieken?doelgroep=%00",
    ):
        assert client.get(path).status_code == 200, path
    anonymous = app.test_client()
    response = anonymous.post("/inloggen", data={"email": "\x00@test.nl", "password": "x" * 12})
    assert response.status_code == 422
    assert "klopt niet" in text_of(response)


def test_a_value_the_database_refuses_is_a_dutch_422(fresh_app):
    """The safety net behind the checks: a value the database refuses (DataError) is a
    Dutch 422, and the transaction is rolled back."""
    from sqlalchemy import select
    from sqlalchemy.exc import DataError

    from dla.errors import UNSTORABLE
    from dla.regions.models import Region

    app = fresh_app

    @app.post("/_test/onopslaanbaar")
    def unstorable():
        db.session.add(make_region("Half opgeslagen"))
        db.session.flush()
        raise DataError("INSERT …", {}, ValueError("value too long for type varchar(120)"))

    with app.app_context():
        key = make_user(admin=True).get_id()
        db.session.commit()
    client = app.test_client()
    log_in(client, key)
    response = client.post("/_test/onopslaanbaar")
    assert response.status_code == 422
    assert UNSTORABLE in text_of(response)
    with app.app_context():
        assert db.session.scalars(select(Region)).all() == []


def test_question_editor_ignores_fields_it_does_not_show(client, data):
    """Found by the fuzz tests: a too long value in a field the inline editor does not have
    (sub-questions) refused the edit with a message nobody could see."""
    response = client.post(
        f"/vragen/{data['v2_a']}",
        data={"text": Q2, "lock_version": "1", "subquestions": "x" * 20000, "goal": "y" * 5000},
        headers=HX,
    )
    assert response.status_code == 200
    assert Q2 in text_of(response)
    # A wrong stem for a question without one shows the stem field with its message.
    response = client.post(
        f"/vragen/{data['v2_a']}", data={"text": Q1, "shared_stem": "x" * 5000}, headers=HX
    )
    assert response.status_code == 422
    assert re.search(r'id="q\d+-shared_stem-error"', text_of(response))
