"""The begrippenlijst: projectleiders keep it, everyone in the region reads it, and its terms
are marked in question texts (case-insensitive, whole words, longest first) without ever
breaking HTML escaping."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from dla.errors import ValidationError
from dla.extensions import db
from dla.glossary import services
from dla.glossary.markup import mark_terms
from dla.glossary.models import GlossaryTerm
from tests.factories import log_in, make_agenda, make_region, make_user, make_version


def _ids():
    counter = itertools.count(1)
    return lambda: f"t{next(counter)}"


def test_terms_are_marked_on_word_boundaries_case_insensitively_longest_first():
    html = str(
        mark_terms(
            "Hoe bereiken we Stabiele veiligheid en procesregie, terwijl de procesregisseur "
            "ontbreekt en regie<script> ontbreekt?",
            {
                "stabiele veiligheid": "Zes maanden zonder incidenten.",
                "procesregie": "Regie op het proces.",
                "regie": "Sturing <b>en</b> overzicht.",
            },
            _ids(),
        )
    )
    assert (
        '<button type="button" class="term-button" aria-describedby="t1">Stabiele veiligheid'
        "</button>" in html
    )
    assert '<span role="tooltip" id="t1" class="term-tip">Zes maanden zonder incidenten.' in html
    assert ">procesregie</button>" in html
    assert ">procesregisseur<" not in html and "procesregisseur ontbreekt" in html
    # "regie" in "procesregie" is no match; the standalone one is, and markup stays text.
    assert html.count("term-button") == 3
    assert "regie</button>" in html and "</span></span>&lt;script&gt; ontbreekt" in html
    assert "Sturing &lt;b&gt;en&lt;/b&gt; overzicht." in html and "<script>" not in html


def test_without_terms_the_text_is_only_escaped():
    assert str(mark_terms("a < b & c", {}, _ids())) == "a &lt; b &amp; c"


def test_projectleiders_keep_the_list_and_duplicates_are_refused(ctx):
    region = make_region()
    term = services.create_term(region, term="  Stabiele   veiligheid ", definition="Zes maanden.")
    assert term.term == "Stabiele veiligheid"
    with pytest.raises(ValidationError, match="staat al"):
        services.create_term(region, term="stabiele veiligheid", definition="Iets anders.")
    with pytest.raises(ValidationError):
        services.create_term(region, term="", definition="Leeg begrip.")
    services.update_term(term, term="stabiele veiligheid", definition="Nieuw.", lock_version=1)
    assert term.definition == "Nieuw."
    services.delete_term(term)
    assert db.session.get(GlossaryTerm, term.id) is None


def test_the_question_page_marks_terms_and_only_projectleiders_edit(app, client):
    with app.app_context():
        region = make_region("Begripregio")
        agenda = make_agenda(region)
        version = make_version(
            agenda,
            ["Hoe werken we aan stabiele veiligheid, terwijl <iedereen> iets anders bedoelt?"],
            publish=True,
            day=date(2025, 1, 1),
        )
        thread_id = version.wordings[0].thread_id
        leader = make_user("pl@test.nl", region=region, role="projectleider").get_id()
        participant_user = make_user("dn@test.nl", region=region, role="deelnemer")
        participant = participant_user.get_id()
        from dla.auth import services as auth_services

        auth_services.add_participant(agenda, participant_user.id)
        region_id = region.id
        db.session.commit()
    log_in(client, participant)
    assert client.get(f"/regios/{region_id}/begrippen").status_code == 200
    refused = client.post(f"/regios/{region_id}/begrippen", data={"term": "x", "definition": "y"})
    assert refused.status_code == 403
    log_in(client, leader)
    made = client.post(
        f"/regios/{region_id}/begrippen",
        data={"term": "stabiele veiligheid", "definition": "Zes maanden <geen> incidenten."},
    )
    assert made.status_code == 303
    twice = client.post(
        f"/regios/{region_id}/begrippen",
        data={"term": "Stabiele veiligheid", "definition": "Nog eens."},
    )
    assert twice.status_code == 422 and "staat al" in twice.get_data(as_text=True)
    page = client.get(f"/leervragen/{thread_id}").get_data(as_text=True)
    assert 'class="term-button" aria-describedby="begrip-tip-1">stabiele veiligheid' in page
    assert "Zes maanden &lt;geen&gt; incidenten." in page
    assert "&lt;iedereen&gt;" in page and "<iedereen>" not in page
    with app.app_context():
        term = db.session.query(GlossaryTerm).one()
        term_id, lock = term.id, term.lock_version
    edited = client.post(
        f"/begrippen/{term_id}/bewerken",
        data={"term": "stabiele veiligheid", "definition": "Anders.", "lock_version": lock},
    )
    assert edited.status_code == 303
    stale = client.post(
        f"/begrippen/{term_id}/bewerken",
        data={"term": "stabiele veiligheid", "definition": "Oud.", "lock_version": lock},
    )
    assert stale.status_code == 409
    assert client.post(f"/begrippen/{term_id}/verwijderen").status_code == 303
    assert "Nog geen begrippen" in client.get(f"/regios/{region_id}/begrippen").get_data(
        as_text=True
    )
