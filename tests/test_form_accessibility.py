"""Labels and error messages belong to their fields (WCAG 1.3.1, 3.3.1, 3.3.2, 4.1.2).

Every form of the app is sent with bad input, as a person (plain POST) and through htmx
where the page uses htmx; the answer is a 4xx with a Dutch message, and in its HTML:

- every visible form control has a label (``<label for>``, a wrapping label, ``aria-label``
  or ``aria-labelledby``);
- every field error (``.error``) has an id and is named by the ``aria-describedby`` of a
  field with ``aria-invalid="true"``, and every ``aria-describedby`` points at an element
  that exists;
- no id occurs twice (a label or description pointing at a duplicated id belongs to the
  wrong field).

The same structural checks run on every GET page of the app (``RULES`` of the access tests)
as a role that may see it. The browser test (tests/browser/test_accessibility.py) runs axe on
top of this.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from flask import render_template_string

from dla.agendas import services
from dla.agendas.forms import AgendaForm
from dla.auth import services as auth_services
from dla.extensions import db
from dla.werksessies.forms import SessionForm
from tests.factories import log_in, make_user
from tests.test_authorization import ADMIN, BH, DN, OZ, PL, RULES, TF, _region_data

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
VOID |= {"track", "wbr"}
NOT_FIELDS = {"hidden", "submit", "button", "reset", "image"}


@dataclass
class Element:
    tag: str
    attrs: dict
    in_label: bool
    text: list[str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def refs(self, name: str) -> list[str]:
        return (self.attrs.get(name) or "").split()


class Dom(HTMLParser):
    """Just enough of a DOM: every element with its attributes, its text and whether it
    sits inside a <label>."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        values = {name: (value if value is not None else "") for name, value in attrs}
        in_label = any(e.tag == "label" for e in self.open)
        element = Element(tag, values, in_label)
        self.elements.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.open and self.open[-1].tag == tag:
            self.open.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index].tag == tag:
                del self.open[index:]
                break

    def handle_data(self, data):
        for element in self.open:
            element.text.append(data)

    def controls(self) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag in ("select", "textarea")
            or (e.tag == "input" and e.attrs.get("type", "text") not in NOT_FIELDS)
        ]


def form_problems(html: str) -> list[str]:
    """What is wrong with the labels, error messages and ids of ``html``."""
    dom = Dom(html)
    problems = []
    counts = Counter(e.attrs["id"] for e in dom.elements if e.attrs.get("id"))
    problems += [f"id {name!r} occurs {n} times" for name, n in counts.items() if n > 1]
    by_id = {e.attrs["id"]: e for e in dom.elements if e.attrs.get("id")}
    labelled = {e.attrs.get("for") for e in dom.elements if e.tag == "label"}
    described_by_invalid: set[str] = set()
    for control in dom.controls():
        name = control.attrs.get("name") or control.attrs.get("id") or control.tag
        if not (
            control.attrs.get("id") in labelled
            or control.in_label
            or control.attrs.get("aria-label")
            or control.attrs.get("aria-labelledby")
        ):
            problems.append(f"field {name!r} has no label")
        for ref in control.refs("aria-describedby") + control.refs("aria-labelledby"):
            if ref not in by_id:
                problems.append(f"field {name!r} points at missing id {ref!r}")
        if control.attrs.get("aria-invalid") == "true":
            errors = [
                r
                for r in control.refs("aria-describedby")
                if "error" in by_id.get(r, Element("", {}, False)).classes
            ]
            if not errors:
                problems.append(f"field {name!r} is invalid but names no error message")
            described_by_invalid.update(errors)
    for element in dom.elements:
        if "error" not in element.classes:
            continue
        message = " ".join("".join(element.text).split())
        if not element.attrs.get("id"):
            problems.append(f"error {message!r} has no id")
        elif element.attrs["id"] not in described_by_invalid:
            problems.append(f"error {message!r} is not tied to an invalid field")
    return problems


# --- the macros -----------------------------------------------------------------------------


def test_the_field_macro_ties_label_hint_and_error_to_the_field(app):
    with app.test_request_context(method="POST", data={"title": "", "audience": "ICR's"}):
        form = AgendaForm()
        assert not form.validate()
        html = render_template_string(
            '{% from "_macros/forms.html" import field %}'
            "{{ field(form.title, hint='Kort en herkenbaar.') }}{{ field(form.audience) }}",
            form=form,
        )
    dom = Dom(html)
    title = next(e for e in dom.controls() if e.attrs.get("name") == "title")
    assert title.attrs["id"] == "title"
    assert any(e.tag == "label" and e.attrs.get("for") == "title" for e in dom.elements)
    assert title.attrs["aria-invalid"] == "true"
    assert title.refs("aria-describedby") == ["title-hint", "title-error"]
    error = next(e for e in dom.elements if e.attrs.get("id") == "title-error")
    assert "".join(error.text).strip() == form.title.errors[0]
    assert form_problems(html) == []
    # A valid field is not marked invalid; its description is its hint alone.
    audience = next(e for e in dom.controls() if e.attrs.get("name") == "audience")
    assert "aria-invalid" not in audience.attrs
    assert audience.refs("aria-describedby") == ["audience-hint"]


def test_a_checkbox_group_is_a_fieldset_whose_options_carry_the_error(app):
    with app.test_request_context(method="POST", data={"title": "Sessie"}):
        form = SessionForm()
        form.agenda_ids.choices = [(1, "Agenda ICR's"), (2, "Agenda managers")]
        form.validate()
        form.agenda_ids.errors = ["Kies minstens één agenda."]
        html = render_template_string(
            '{% from "_macros/forms.html" import choice_group %}'
            "{{ choice_group(form.agenda_ids) }}",
            form=form,
        )
    dom = Dom(html)
    assert [e.tag for e in dom.elements][:2] == ["fieldset", "legend"]
    boxes = dom.controls()
    assert len(boxes) == 2
    assert all(box.attrs["aria-invalid"] == "true" for box in boxes)
    assert all(box.refs("aria-describedby") == ["agenda_ids-error"] for box in boxes)
    assert form_problems(html) == []


def test_form_problems_finds_what_is_missing():
    """The checker itself: each kind of mistake is reported."""
    html = (
        '<input name="a" id="a">'
        '<label for="b">B</label><input name="b" id="b" aria-invalid="true">'
        '<p class="error">Vul c in.</p>'
        '<label for="d">D</label><input name="d" id="d" aria-describedby="weg">'
        '<span id="d"></span>'
    )
    assert form_problems(html) == [
        "id 'd' occurs 2 times",
        "field 'a' has no label",
        "field 'b' is invalid but names no error message",
        "field 'd' points at missing id 'weg'",
        "error 'Vul c in.' has no id",
    ]
    wrapped = '<label>Naam <input name="n"></label><input type="hidden" name="csrf_token">'
    assert form_problems(wrapped) == []


# --- every form with bad input, every page ------------------------------------------------


@pytest.fixture
def app(rolled_back_app):
    """Every test here runs on the module's one app; what a test changes is rolled back
    afterwards, so each sees the world as it was built (tests/transactional.py)."""
    return rolled_back_app


@pytest.fixture
def world(app, shared_world):
    return shared_world


@pytest.fixture(scope="module")
def shared_world(module_app):
    app = module_app
    with app.app_context():
        ids = _region_data("Eigen")
        region = db.session.get(services.Agenda, ids["agenda"]).region
        users = {}
        for role in (PL, DN, TF, OZ, BH):
            users[role] = make_user(f"{role}@test.nl", region=region, role=role).get_id()
        users[ADMIN] = make_user("admin@test.nl", admin=True).get_id()
        auth_services.add_participant(
            db.session.get(services.Agenda, ids["agenda"]), int(users[DN].split(":")[0])
        )
        admin = auth_services.authenticate("admin@test.nl", "kompas-regenjas-lantaarn-9")
        _invitation, ids["token"] = auth_services.create_invitation(
            region.id, "nieuw@test.nl", "deelnemer", by=admin
        )
        db.session.commit()
        return {"ids": ids, "users": users}


@dataclass(frozen=True)
class BadInput:
    role: str | None  # None: not logged in
    url: str
    data: dict
    htmx: bool = False
    field_errors: bool = True  # False: the message is about the whole form (role="alert")


BAD_INPUT = [
    BadInput(None, "/inloggen", {}),
    BadInput(None, "/uitnodiging/{token}", {"name": "", "password": "kort"}),
    BadInput(None, "/doe-mee", {"code": "QQ"}),
    BadInput(None, "/w/{code}/aanmelden", {"role": ""}),
    BadInput(PL, "/account/wachtwoord", {}),
    BadInput(ADMIN, "/regios/nieuw", {}),
    BadInput(PL, "/regios/{region}/bewerken", {"name": ""}),
    BadInput(BH, "/regios/{region}/uitnodigingen", {"email": "geen-adres", "role": DN}),
    BadInput(PL, "/regios/{region}/agendas/nieuw", {}),
    BadInput(PL, "/agendas/{agenda}/bewerken", {"title": ""}),
    BadInput(PL, "/agendas/{agenda}/versies/nieuw", {"document_date": "31-02-2025"}),
    BadInput(PL, "/versies/{v2}/bewerken", {"document_date": "nooit"}),
    BadInput(PL, "/versies/{v2}/vragen", {}),
    BadInput(DN, "/versies/{v2}/vragen", {}, htmx=True),
    BadInput(PL, "/vragen/{wording}", {"text": ""}, htmx=True),
    BadInput(PL, "/vragen/{wording}/deelvragen", {"text": ""}, htmx=True),
    BadInput(PL, "/deelvragen/{sub}", {"text": ""}, htmx=True),
    BadInput(PL, "/versies/{v2}/groepen", {"title": ""}, htmx=True),
    BadInput(PL, "/groepen/{group}", {"title": ""}, htmx=True),
    BadInput(PL, "/versies/{v2}/overgangen/{source}", {"kind": ""}, htmx=True),
    BadInput(TF, "/versies/{v1}/reacties", {"body": ""}, htmx=True),
    BadInput(PL, "/regios/{region}/systeemanalyse/koppen", {"axis": "aspect", "name": ""}),
    BadInput(PL, "/koppen/{heading}", {"name": ""}),
    BadInput(
        PL,
        "/regios/{region}/systeemanalyse/cellen/{aspect}/{actor}",
        {"description": ""},
        htmx=True,
    ),
    BadInput(PL, "/barrieres/{item}", {"description": ""}),
    BadInput(PL, "/leervragen/{thread}/barrieres", {"item_id": ""}, htmx=True, field_errors=False),
    BadInput(PL, "/leervragen/{thread}/escaleren", {"mode": "x"}, htmx=True, field_errors=False),
    BadInput(PL, "/regios/{region}/mijlpalen/nieuw", {}),
    BadInput(PL, "/mijlpalen/{milestone}/acties", {"text": ""}),
    BadInput(TF, "/regios/{region}/besluiten?item_id={item}", {"text": ""}),
    BadInput(OZ, "/regios/{region}/metingen/nieuw", {}),
    BadInput(PL, "/metingen/{indicator}/waarnemingen", {"observed_on": "nooit"}, htmx=True),
    BadInput(PL, "/regios/{region}/werksessies/nieuw", {"title": ""}),
]


def _client(app, world, role):
    client = app.test_client()
    if role is not None:
        log_in(client, world["users"][role])
    return client


@pytest.mark.parametrize("case", BAD_INPUT, ids=lambda c: f"{c.role}:{c.url}:{c.htmx}")
def test_bad_input_gets_messages_tied_to_the_fields(app, world, case):
    client = _client(app, world, case.role)
    url = case.url.format(**world["ids"])
    headers = {"HX-Request": "true"} if case.htmx else {}
    response = client.post(url, data=case.data, headers=headers)
    html = response.get_data(as_text=True)
    assert 400 <= response.status_code < 500, (response.status_code, html[:300])
    assert form_problems(html) == []
    if case.field_errors:
        assert 'aria-invalid="true"' in html, "no field is marked as invalid"
    else:
        assert 'role="alert"' in html, "the form's message is not announced"


def test_a_participants_empty_question_is_tied_to_the_fields(app, world):
    client = app.test_client()
    code = world["ids"]["code"]
    joined = client.post(f"/w/{code}/aanmelden", data={"role": "manager"})
    assert joined.status_code in (302, 303)
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post(f"/w/{code}/vragen", data={"goal": ""}, headers=headers)
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert form_problems(html) == []
        assert 'aria-invalid="true"' in html


def _first_allowed(roles: set[str]) -> str:
    for role in (PL, TF, OZ, DN, BH, ADMIN):
        if role in roles:
            return role
    raise AssertionError(roles)


# Pages (not downloads) that someone in this world may open; /programma needs several
# regions or a programma role, and is checked in tests/test_taskforce.py.
GET_PAGES = sorted(
    (endpoint, url)
    for endpoint, (method, url, roles, _scoped) in RULES.items()
    if method == "GET" and roles and not re.search(r"\.(json|csv|docx)(\?|$)|/export\.", url)
)


@pytest.mark.parametrize(("endpoint", "url"), GET_PAGES, ids=[e for e, _u in GET_PAGES])
def test_every_page_has_labelled_fields_and_unique_ids(app, world, endpoint, url):
    roles = RULES[endpoint][2]
    client = _client(app, world, _first_allowed(roles))
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get(url.format(**world["ids"]), headers=headers)
        # 409: the report of a session that is still open says so on a page of its own.
        assert response.status_code in (200, 204, 303, 409), response.status_code
        assert form_problems(response.get_data(as_text=True)) == []
