"""Measurements (services and views) and the chart pages over HTTP."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from datetime import date

import pytest
from flask import g
from sqlalchemy import select

from dla.agendas import questions, services
from dla.analysis import services as analysis
from dla.audit.models import AuditEntry
from dla.charts.persistence import expand_hover
from dla.charts.views import PLOTLY_VERSION
from dla.errors import ConflictError, ValidationError
from dla.extensions import db
from dla.measurements import queries
from dla.measurements import services as measurements
from dla.measurements.models import Indicator, Observation
from tests.factories import (
    keep_all,
    log_in,
    make_agenda,
    make_region,
    make_user,
    make_version,
    question,
)


def _indicator(region, **extra):
    fields = {
        "name": "Doorbraken in gezinnen",
        "concerns": "gezinnen",
        "horizon": "kort",
        "kind": "aantal",
        "unit": "gezinnen",
        "audiences": ["professionals"],
    }
    fields.update(extra)
    return measurements.create_indicator(region, **fields)


@pytest.fixture
def region_with_history(ctx):
    region = make_region("Regio Meten")
    agenda = make_agenda(region, title="Agenda ICR")
    first = make_version(
        agenda,
        [
            question("regie houden", "ik geen mandaat heb"),
            question("informatie delen", "de AVG knelt"),
        ],
        publish=True,
        day=date(2025, 1, 10),
    )
    second = make_version(agenda, day=date(2025, 4, 10))
    keep_all(second)
    services.publish_version(second)
    db.session.commit()
    return region, agenda, first


# --- services ---------------------------------------------------------------------------------


def test_indicator_fields_are_checked_in_dutch(region_with_history):
    region, _agenda, _first = region_with_history
    indicator = _indicator(region, audiences=["managers", "professionals"])
    assert indicator.audience_list == ["professionals", "managers"]  # in the fixed order
    with pytest.raises(ValidationError, match="al een meting met de naam"):
        _indicator(region, name="doorbraken in GEZINNEN")
    with pytest.raises(ValidationError, match="Kies het soort meting"):
        _indicator(region, name="Iets", kind="gevoel")
    with pytest.raises(ValidationError, match="Kies voor wie"):
        _indicator(region, name="Iets anders", audiences=["iedereen"])
    with pytest.raises(ConflictError):
        measurements.update_indicator(
            indicator,
            lock_version=indicator.lock_version + 1,
            name="Nieuw",
            concerns="gezinnen",
            horizon="lang",
            kind="aantal",
        )


def test_observations_take_dutch_numbers_and_refuse_what_does_not_fit(region_with_history):
    region, _agenda, _first = region_with_history
    count = _indicator(region)
    observation = measurements.add_observation(count, observed_on=date(2025, 2, 1), value="1.234,5")
    assert observation.value == 1234.5
    for kwargs, message in [
        ({"observed_on": None, "value": "3"}, "Vul de datum in"),
        ({"observed_on": date(2025, 2, 1)}, "Vul een waarde of een verhaal in"),
        ({"observed_on": date(2025, 2, 1), "value": "veel"}, "een getal"),
        ({"observed_on": date(2025, 2, 1), "value": "nan"}, "te groot"),
        ({"observed_on": date(1980, 1, 1), "value": "3"}, "te ver"),
        ({"observed_on": date(2025, 3, 1), "period_end": date(2025, 2, 1), "value": "3"}, "vóór"),
    ]:
        with pytest.raises(ValidationError, match=message):
            measurements.add_observation(count, **kwargs)
    share = _indicator(region, name="Aandeel", kind="percentage")
    with pytest.raises(ValidationError, match="tussen 0 en 100"):
        measurements.add_observation(share, observed_on=date(2025, 2, 1), value="140")
    story = _indicator(region, name="Verhalen", kind="kwalitatief")
    with pytest.raises(ValidationError, match="kwalitatief"):
        measurements.add_observation(story, observed_on=date(2025, 2, 1), value="3")
    told = measurements.add_observation(
        story, observed_on=date(2025, 2, 1), narrative="Het gaat beter."
    )
    assert told.value is None and told.narrative == "Het gaat beter."
    with pytest.raises(ValidationError, match="al waarnemingen met een getal"):
        measurements.update_indicator(
            count,
            lock_version=count.lock_version,
            name=count.name,
            concerns="gezinnen",
            horizon="kort",
            kind="kwalitatief",
        )


def test_links_stay_within_the_region_and_are_audited(region_with_history):
    region, _agenda, first = region_with_history
    indicator = _indicator(region)
    thread_id = first.wordings[0].thread_id
    measurements.link_thread(indicator, thread_id, note="Meer doorbraken")
    with pytest.raises(ValidationError, match="al aan de meting gekoppeld"):
        measurements.link_thread(indicator, thread_id)
    other = make_region("Andere regio")
    foreign = make_version(make_agenda(other), [question("iets", "iets anders")], publish=True)
    with pytest.raises(ValidationError, match="hoort niet bij deze regio"):
        measurements.link_thread(indicator, foreign.wordings[0].thread_id)
    with pytest.raises(ValidationError, match="Kies een leervraag"):
        measurements.link_thread(indicator, "abc")
    # Found by the fuzz tests: an id beyond a database integer reached PostgreSQL.
    with pytest.raises(ValidationError, match="Kies een barrière"):
        measurements.link_item(indicator, "2147483648")
    analysis.seed_defaults(region)
    aspects, actors = analysis.headings(region)
    item = analysis.create_item(
        region,
        aspect_id=aspects[0].id,
        actor_id=actors[0].id,
        kind="barriere",
        description="Geen mandaat",
        source="werksessie",
        status="actief",
    )
    measurements.link_item(indicator, item.id)
    assert [i.name for i in queries.item_indicators([item.id])[item.id]] == [indicator.name]
    assert [i.name for i, _note in queries.thread_indicators(thread_id)] == [indicator.name]
    db.session.commit()
    kinds = set(
        db.session.scalars(select(AuditEntry.entity).where(AuditEntry.region_id == region.id))
    )
    assert {"meting", "koppeling meting–leervraag"} <= kinds


def test_feedback_needs_name_the_open_questions_without_a_measurement(region_with_history):
    region, _agenda, first = region_with_history
    indicator = _indicator(region, audiences=["bestuurders"])
    measurements.link_thread(indicator, first.wordings[0].thread_id)
    needs = queries.feedback_needs(region)
    assert [i.name for i in needs.by_audience["bestuurders"]] == [indicator.name]
    assert needs.by_audience["gezinnen"] == []
    assert needs.open_questions == 2
    assert [o.thread_id for o in needs.unmeasured] == [first.wordings[1].thread_id]


# --- views ------------------------------------------------------------------------------------


@pytest.fixture
def leader(region_with_history, client):
    region, agenda, first = region_with_history
    user = make_user("pl@meten.nl", region=region, role="projectleider")
    db.session.commit()
    log_in(client, user)
    return region, agenda, first


def test_create_an_indicator_through_the_form(leader, client):
    region, _agenda, _first = leader
    response = client.post(
        f"/regios/{region.id}/metingen/nieuw",
        data={
            "name": "Samenwerking",
            "concerns": "werkwijze",
            "horizon": "kort",
            "audiences": ["professionals", "managers"],
            "kind": "schaal",
            "unit": "punten",
        },
    )
    assert response.status_code == 303
    indicator = db.session.scalar(select(Indicator).where(Indicator.name == "Samenwerking"))
    assert response.headers["Location"].endswith(f"/metingen/{indicator.id}")
    assert indicator.audience_list == ["professionals", "managers"]
    bad = client.post(f"/regios/{region.id}/metingen/nieuw", data={"name": "", "kind": "aantal"})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "Geef de meting een naam." in page and "Kies waar de meting over gaat." in page


def test_a_json_body_is_not_read_as_the_form(leader, client):
    """Found by the fuzz tests: JSON values (a lone surrogate, a number) reached the form
    and broke the page (500)."""
    region, _agenda, _first = leader
    for body in ('{"name": "\\ud800", "unit": 5}', '{"name": ["a", "b"]}', "[1, 2]"):
        response = client.post(
            f"/regios/{region.id}/metingen/nieuw", data=body, content_type="application/json"
        )
        assert response.status_code == 422, body
        assert "Geef de meting een naam." in response.get_data(as_text=True)
    assert db.session.scalar(select(Indicator).where(Indicator.region_id == region.id)) is None


def test_add_observation_with_htmx_refreshes_the_trend(leader, client):
    region, _agenda, _first = leader
    indicator = _indicator(region)
    db.session.commit()
    headers = {"HX-Request": "true"}
    response = client.post(
        f"/metingen/{indicator.id}/waarnemingen",
        data={
            "observed_on": "01-03-2025",
            "value": "7",
            "narrative": "Bel 06-12345678 voor info",
            "source": "registratie",
        },
        headers=headers,
    )
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and 'id="chart-trend"' in fragment
    assert "De waarneming is opgeslagen." in fragment
    assert "telefoonnummer" in fragment  # the PII warning on the narrative
    figure = json.loads(re.search(r'id="chart-trend-data">(.*?)</script>', fragment, re.S).group(1))
    assert figure["data"][0]["y"] == [7.0] and figure["data"][0]["x"] == ["2025-03-01"]
    bad = client.post(
        f"/metingen/{indicator.id}/waarnemingen",
        data={"observed_on": "31-02-2025", "value": "7"},
        headers=headers,
    )
    assert bad.status_code == 422 and "Deze datum klopt niet" in bad.get_data(as_text=True)
    assert db.session.scalar(select(Observation.id).where(Observation.value == 7.0)) is not None
    assert len(db.session.scalars(select(Observation)).all()) == 1
    download = client.get(f"/metingen/{indicator.id}/trend.csv")
    rows = list(csv.DictReader(io.StringIO(download.data.decode("utf-8-sig"))))
    assert rows == [
        {
            "datum": "2025-03-01",
            "einde_periode": "",
            "waarde": "7.0",
            "eenheid": "gezinnen",
            "verhaal_nummer": "1",
            "verhaal": "Bel 06-12345678 voor info",
            "bron": "registratie",
        }
    ]


def test_stale_indicator_edit_is_refused(leader, client):
    region, _agenda, _first = leader
    indicator = _indicator(region)
    db.session.commit()
    data = {
        "name": "Nieuwe naam",
        "concerns": "gezinnen",
        "horizon": "lang",
        "kind": "aantal",
        "lock_version": str(indicator.lock_version + 5),
    }
    response = client.post(f"/metingen/{indicator.id}/bewerken", data=data)
    assert response.status_code == 409
    assert "Iemand anders heeft deze meting intussen gewijzigd" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Indicator, indicator.id).name == "Doorbraken in gezinnen"


def test_link_a_question_and_see_it_on_the_question_page(leader, client):
    region, _agenda, first = leader
    indicator = _indicator(region)
    db.session.commit()
    thread_id = first.wordings[0].thread_id
    response = client.post(
        f"/metingen/{indicator.id}/leervragen",
        data={"thread_id": str(thread_id), "note": "Tel de doorbraken"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and f"LV-{thread_id}" in response.get_data(as_text=True)
    again = client.post(
        f"/metingen/{indicator.id}/leervragen",
        data={"thread_id": str(thread_id)},
        headers={"HX-Request": "true"},
    )
    assert again.status_code == 422
    thread_page = client.get(f"/leervragen/{thread_id}").get_data(as_text=True)
    assert "Hoe merken we vooruitgang?" in thread_page and indicator.name in thread_page
    feedback = client.get(f"/regios/{region.id}/terugkoppeling").get_data(as_text=True)
    assert "1 van de 2 open leervragen heeft nog geen meting." in feedback


# --- chart pages ------------------------------------------------------------------------------


def _figure(page: str, chart: str) -> dict:
    return json.loads(re.search(rf'id="{chart}-data">(.*?)</script>', page, re.S).group(1))


def test_agenda_chart_page_has_figures_tables_and_filters(leader, client):
    _region, agenda, _first = leader
    page = client.get(f"/agendas/{agenda.id}/grafieken").get_data(as_text=True)
    persistence = expand_hover(_figure(page, "chart-persistence"))
    kept = next(t for t in persistence["data"] if t.get("name") == "Blijft staan")
    # Columns are versions (V1, V2), the date is in the hover text.
    assert kept["x"] == [1, 1] and persistence["layout"]["xaxis"]["ticktext"] == ["V1", "V2"]
    assert "Versie 2 · 10-04-2025" in kept["hovertext"][0]
    assert "Versie 2" in page and "Tabel met dezelfde gegevens" in page
    assert f"/js/plotly-{PLOTLY_VERSION}.min.js" in page
    flow = _figure(page, "chart-flow")
    assert [t["name"] for t in flow["data"]] == ["Nieuw", "Blijft staan"]
    fragment = client.get(
        f"/agendas/{agenda.id}/grafieken?status=dicht", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "<html" not in fragment and "0 vragen (gefilterd)" in fragment
    download = client.get(f"/agendas/{agenda.id}/grafieken/verloop.csv")
    rows = list(csv.DictReader(io.StringIO(download.data.decode("utf-8-sig"))))
    assert [(r["versie_of_datum"], r["nieuw"], r["blijft_staan"]) for r in rows] == [
        ("Versie 1", "2", "0"),
        ("Versie 2", "0", "2"),
    ]
    assert client.get(f"/agendas/{agenda.id}/grafieken/onbekend.csv").status_code == 404


def test_region_charts_have_the_heat_map_and_a_barrier_filter(leader, client):
    region, _agenda, first = leader
    analysis.seed_defaults(region)
    aspects, actors = analysis.headings(region)
    item = analysis.create_item(
        region,
        aspect_id=aspects[3].id,
        actor_id=actors[1].id,
        kind="barriere",
        description="Geen mandaat",
        source="werksessie",
        status="actief",
    )
    thread = db.session.get(services.Thread, first.wordings[0].thread_id)
    analysis.link_thread(thread, item)
    db.session.commit()
    page = client.get(f"/regios/{region.id}/grafieken").get_data(as_text=True)
    heat = _figure(page, "chart-heat")["data"][0]
    assert heat["z"][3][1] == 1 and sum(map(sum, heat["z"])) == 1
    assert heat["customdata"][3][1].endswith(f"/cellen/{aspects[3].id}/{actors[1].id}")
    filtered = client.get(f"/regios/{region.id}/grafieken?barriere={item.id}").get_data(
        as_text=True
    )
    assert "1 vraag (gefilterd)" in filtered

    def hard_count():
        hard = client.get(
            f"/regios/{region.id}/grafieken/barrieres?waarde=hardnekkig",
            headers={"HX-Request": "true"},
        ).get_data(as_text=True)
        return _figure(hard, "chart-heat")["data"][0]["z"][3][1]

    # Open from January to April 2025 (the latest version; its age never runs on to today):
    # not hardnekkig under the region's limit of nine months, but under a limit of three.
    assert hard_count() == 0
    region.persist_max_months = 3
    db.session.commit()
    assert hard_count() == 1
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(f"/regios/{region.id}/grafieken/barrieres.csv").data.decode("utf-8-sig")
            )
        )
    )
    assert len(rows) == len(aspects) * len(actors)
    assert sum(int(r["open_vragen"]) for r in rows) == 1


def test_charts_leave_out_restricted_versions_for_non_members(region_with_history, client):
    region, agenda, _first = region_with_history
    third = make_version(agenda, day=date(2025, 7, 1), distribution="beperkt")
    keep_all(third)
    questions.add_wording(third, text=question("geheim plannen", "het gevoelig ligt"))
    services.publish_version(third)
    researcher = make_user("oz@meten.nl", region=region, role="onderzoeker")
    db.session.commit()
    log_in(client, researcher)
    page = client.get(f"/agendas/{agenda.id}/grafieken").get_data(as_text=True)
    assert "geheim plannen" not in page and "2025-07-01" not in page


def test_chart_pages_run_a_constant_number_of_statements(leader, client, count_queries):
    region, agenda, _first = leader
    counts = []
    for extra in range(2):
        with count_queries() as statements:
            for url in (f"/regios/{region.id}/grafieken", f"/agendas/{agenda.id}/grafieken"):
                # The test's app context outlives requests: forget the per-request caches.
                g.pop("access", None)
                g.pop("_login_user", None)
                assert client.get(url).status_code == 200
        counts.append(len(statements))
        more = make_version(agenda, day=date(2025, 8 + extra, 1))
        keep_all(more)
        for n in range(3):
            questions.add_wording(
                more, text=question(f"nieuw doel {extra} {n}", "het nog niet lukt")
            )
        services.publish_version(more)
        db.session.commit()
    assert counts[0] == counts[1]


def test_plotly_is_served_from_the_package_compressed_and_cached(client):
    response = client.get(
        f"/js/plotly-{PLOTLY_VERSION}.min.js", headers={"Accept-Encoding": "gzip"}
    )
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "max-age=31536000" in response.headers["Cache-Control"]
    body = gzip.decompress(response.data)
    assert len(response.data) < len(body) / 3 and b"plotly" in body[:2000].lower()
    again = client.get(
        f"/js/plotly-{PLOTLY_VERSION}.min.js", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304
    plain = client.get(f"/js/plotly-{PLOTLY_VERSION}.min.js")
    assert "Content-Encoding" not in plain.headers and plain.data == body
    assert client.get("/js/plotly-0.0.1.min.js").status_code == 404
    css = client.get(f"/js/plotly-{PLOTLY_VERSION}.css").get_data(as_text=True)
    assert ".js-plotly-plot .plotly .main-svg" in css and "position:absolute" in css


def test_only_chart_pages_allow_style_attributes(leader, client):
    region, agenda, _first = leader
    charts = client.get(f"/agendas/{agenda.id}/grafieken").headers["Content-Security-Policy"]
    assert "style-src-attr 'unsafe-inline'" in charts
    assert "script-src 'self'" in charts and "style-src 'self'" in charts
    plain = client.get(f"/regios/{region.id}").headers["Content-Security-Policy"]
    assert "unsafe-inline" not in plain


def test_a_target_value_is_saved_shown_and_drawn_as_a_line(leader, client):
    """A score chart runs from 1 to 10 with the region's streefwaarde as a dashed line."""
    region, _agenda, _first = leader
    fields = {
        "name": "Samenwerking",
        "concerns": "werkwijze",
        "horizon": "kort",
        "kind": "schaal",
        "unit": "punten",
    }
    response = client.post(f"/regios/{region.id}/metingen/nieuw", data={**fields, "target": "7,5"})
    assert response.status_code == 303
    indicator = db.session.scalar(select(Indicator).where(Indicator.name == "Samenwerking"))
    assert indicator.target == 7.5
    for day, value in (("01-02-2025", "5"), ("01-03-2025", "6")):
        added = client.post(
            f"/metingen/{indicator.id}/waarnemingen",
            data={"observed_on": day, "value": value},
        )
        assert added.status_code in (200, 303), added.get_data(as_text=True)
    page = client.get(f"/metingen/{indicator.id}").get_data(as_text=True)
    assert "<dt>Streefwaarde</dt><dd>7,5 punten</dd>" in page
    edit = client.get(f"/metingen/{indicator.id}/bewerken").get_data(as_text=True)
    assert 'value="7,5"' in edit
    bad = client.post(
        f"/regios/{region.id}/metingen/nieuw",
        data={**fields, "name": "Verhalen", "kind": "kwalitatief", "target": "3"},
    )
    assert bad.status_code == 422
    assert "Een kwalitatieve meting heeft geen streefwaarde." in bad.get_data(as_text=True)
    wrong = client.post(
        f"/regios/{region.id}/metingen/nieuw", data={**fields, "name": "X", "target": "veel"}
    )
    assert wrong.status_code == 422
    assert "Vul bij de streefwaarde een getal in" in wrong.get_data(as_text=True)
