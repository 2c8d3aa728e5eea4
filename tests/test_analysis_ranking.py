"""Pure functions of the analysis: barrier suggestions and the persistence ranking."""

from datetime import date

from dla.analysis import ranking
from dla.analysis.ranking import ThreadFacts, rank_barriers, suggest_items, text_score

ITEMS = [
    (1, "Onduidelijkheid over wat de privacyregels (AVG) toestaan bij het delen van informatie"),
    (2, "De procesregisseur heeft geen doorzettingsmacht over de betrokken organisaties"),
    (3, "Zware caseload en veel verloop in de lokale teams"),
    (4, "De domeinen Jeugd, Wmo en Veiligheid hebben ieder een eigen regisseur en plan"),
    (5, "Criteria voor opschaling worden per organisatie anders uitgelegd"),
    (6, "Lange wachttijden voor specialistische hulp"),
]


def test_suggestions_on_realistic_dutch_barrier_clauses():
    cases = {
        "ik niet zeker weet wat de privacyregels toestaan": 1,
        "in mijn organisatie niemand precies weet wat de privacyregels toestaan": 1,
        "ik geen doorzettingsmacht heb over de betrokken organisaties": 2,
        "mijn caseload steeds zwaarder wordt": 3,
        "de domeinen Jeugd, Wmo en Veiligheid ieder een eigen regisseur hebben": 4,
        "de criteria voor opschaling verschillend worden uitgelegd": 5,
        "de wachttijd voor specialistische hulp lang is": 6,
    }
    for barrier, expected in cases.items():
        suggestions = suggest_items(barrier, ITEMS)
        assert suggestions, barrier
        assert suggestions[0][0] == expected, (barrier, suggestions)


def test_unrelated_clause_gets_no_suggestion_and_linked_items_are_left_out():
    assert suggest_items("alle betrokkenen volle agenda's hebben", ITEMS) == []
    barrier = "ik geen doorzettingsmacht heb over de betrokken organisaties"
    assert all(item_id != 2 for item_id, _ in suggest_items(barrier, ITEMS, exclude=[2]))
    assert text_score("", "iets") == 0.0


def _facts(thread_id, *, hard=False, open_=True, versions=1, months=0, levels=(), agendas=()):
    return ThreadFacts(
        thread_id=thread_id,
        hardnekkig=hard,
        is_open=open_,
        versions_present=versions,
        age_months=months,
        levels=frozenset(levels),
        agendas=frozenset(agendas),
        dates=frozenset({date(2025, 1, 1), date(2025, 3, 1)} if open_ else set()),
    )


def test_ranking_order_hardnekkig_then_levels_then_agendas_then_versions():
    links = {
        # one hardnekkige question on one level
        10: [_facts(1, hard=True, versions=4, levels=["operationeel"], agendas=[1])],
        # one hardnekkige question, raised on two levels: above 10
        11: [
            _facts(2, hard=True, versions=3, levels=["operationeel", "strategisch"], agendas=[1, 2])
        ],
        # two hardnekkige questions: first
        12: [
            _facts(3, hard=True, versions=3, levels=["operationeel"], agendas=[1]),
            _facts(4, hard=True, versions=3, levels=["operationeel"], agendas=[1]),
        ],
        # nothing hardnekkig, but more versions than 14
        13: [_facts(5, versions=2, levels=["tactisch"], agendas=[3])],
        14: [_facts(6, versions=1, levels=["tactisch"], agendas=[3], open_=False)],
        # no linked questions: left out
        15: [],
    }
    ranks = rank_barriers(links)
    assert [r.item_id for r in ranks] == [12, 11, 10, 13, 14]
    by_id = {r.item_id: r for r in ranks}
    assert by_id[11].escalate and by_id[11].levels == ["operationeel", "strategisch"]
    assert by_id[12].hardnekkig == 2 and not by_id[12].escalate
    assert by_id[12].sparkline == [(date(2025, 1, 1), 2), (date(2025, 3, 1), 2)]
    assert by_id[14].sparkline == [] and not by_id[14].persistent
    assert by_id[13].persistent is False and by_id[10].persistent is True


def test_sparkline_points_scale_to_the_box():
    assert ranking.sparkline_points([]) == ""
    points = ranking.sparkline_points(
        [(date(2025, 1, 1), 1), (date(2025, 2, 1), 3)], width=100, height=28
    )
    assert points == "0.0,18.0 100.0,2.0"
    assert ranking.sparkline_points([(date(2025, 1, 1), 2)], width=100) == "50.0,2.0"
