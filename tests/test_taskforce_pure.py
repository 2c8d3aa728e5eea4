"""The taskforce's pure parts: free-text terms read as deadlines, a barrier's trend since
the last meeting, grouping questions across regions and summing heat maps."""

from datetime import date

import pytest

from dla.analysis.ranking import ThreadFacts
from dla.charts.data import HeatMap
from dla.taskforce import digest
from dla.taskforce.programme import Entry, group_similar, sum_heat_maps
from dla.taskforce.terms import deadline, overdue


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("Voor de zomer van 2026", date(2026, 6, 20)),
        ("voor de zomer 2026", date(2026, 6, 20)),
        ("na de zomer van 2026", date(2026, 9, 22)),
        ("half september 2026", date(2026, 9, 15)),
        ("medio maart 2027", date(2027, 3, 15)),
        ("begin februari 2026", date(2026, 2, 10)),
        ("september 2026", date(2026, 9, 30)),
        ("voor september 2026", date(2026, 8, 31)),
        ("februari 2024", date(2024, 2, 29)),
        ("eind 2026", date(2026, 12, 31)),
        ("voor 2027", date(2026, 12, 31)),
        ("begin 2026", date(2026, 3, 31)),
        ("Q3 2026", date(2026, 9, 30)),
        ("3e kwartaal 2026", date(2026, 9, 30)),
        ("tweede helft 2026", date(2026, 12, 31)),
        ("1e helft 2026", date(2026, 6, 30)),
        ("voorjaar 2027", date(2027, 6, 20)),
        ("najaar 2026", date(2026, 12, 20)),
        ("31-12-2026", date(2026, 12, 31)),
        ("1/3/2026", date(2026, 3, 1)),
        ("2026-05-01", date(2026, 5, 1)),
        ("31-02-2026", None),
        ("half september", None),
        ("afhankelijk van het tempo", None),
        ("", None),
        (None, None),
    ],
)
def test_terms_read_as_the_last_day_they_allow(term, expected):
    assert deadline(term) == expected


def test_overdue_prefers_the_explicit_date():
    december = date(2026, 12, 7)
    assert overdue("Voor de zomer van 2026", None, december)
    assert not overdue("Voor de zomer van 2026", date(2027, 1, 31), december)
    assert not overdue("afhankelijk van het tempo", None, december)
    assert overdue("", date(2026, 12, 6), december)


def facts(thread_id, *days, is_open=True):
    return ThreadFacts(thread_id, False, is_open, len(days), 0, dates=frozenset(days))


JAN, MAR, JUN, SEP = date(2026, 1, 15), date(2026, 3, 15), date(2026, 6, 15), date(2026, 9, 15)


def test_trend_new_still_open_and_easing():
    since = date(2026, 4, 1)
    assert digest.trend([facts(1, JUN, SEP)], since) == digest.NEW
    assert digest.trend([facts(1, JAN, MAR, JUN)], since) == digest.STILL_OPEN
    # No version since the meeting: nothing changed.
    assert digest.trend([facts(1, JAN, MAR)], since) == digest.STILL_OPEN
    # Two questions stood in March, one in June: easing.
    assert digest.trend([facts(1, JAN, MAR, JUN), facts(2, MAR, is_open=False)], since) == (
        digest.EASING
    )
    assert digest.trend([facts(1, MAR, is_open=False)], since) == digest.EASING
    assert digest.trend([facts(1, JAN, MAR, JUN)], since, item_active=False) == digest.EASING


def test_default_since_is_the_last_decision():
    today = date(2026, 12, 7)
    assert digest.default_since([date(2025, 6, 24), date(2026, 1, 27), None], today) == date(
        2026, 1, 27
    )
    assert digest.default_since([date(2027, 1, 1)], today) == date(2026, 9, 7)
    assert digest.default_since([], today) == date(2026, 9, 7)


def test_is_due():
    today = date(2026, 12, 7)
    assert digest.is_due(date(2026, 12, 1), today, False) == "te_laat"
    assert digest.is_due(date(2026, 12, 31), today, False) == "binnenkort"
    assert digest.is_due(date(2027, 6, 1), today, False) == ""
    assert digest.is_due(date(2026, 12, 1), today, True) == ""
    assert digest.is_due(None, today, False) == ""


def test_questions_group_across_regions_only():
    entries = [
        Entry(
            "Rijnmond",
            1,
            "Hoe kan ik informatie delen met Veilig Thuis, terwijl de "
            "privacyregels onduidelijk zijn?",
        ),
        Entry(
            "Gooi",
            2,
            "Hoe kunnen we informatie uitwisselen met Veilig Thuis, terwijl "
            "onduidelijk is wat de privacyregels toestaan?",
        ),
        Entry(
            "Rijnmond",
            3,
            "Hoe kan ik opschalen naar het Zorg- en Veiligheidshuis, terwijl "
            "de criteria verschillend worden uitgelegd?",
        ),
        Entry(
            "Rijnmond",
            4,
            "Hoe kan ik als ICR informatie delen met Veilig Thuis, terwijl de "
            "privacyregels onduidelijk zijn en ik het niet durf?",
        ),
        Entry(
            "Gooi",
            5,
            "Hoe zorgen we voor één regisseur, terwijl ieder domein een eigen plan heeft?",
        ),
    ]
    groups = group_similar(entries)
    assert len(groups) == 1
    assert {e.key for e in groups[0].entries} >= {1, 2}
    assert 3 not in {e.key for e in groups[0].entries}
    assert groups[0].regions == ["Gooi", "Rijnmond"]
    # Two similar questions of one region alone are no group.
    assert group_similar([entries[0], entries[3]]) == []


def test_heat_maps_are_summed_by_heading_name():
    a = HeatMap([(1, "Financiering")], [(2, "Gemeente"), (3, "Politie")], [[1, 2]], [[0, 1]], {})
    b = HeatMap(
        [(7, "financiering "), (8, "Mandaat")], [(9, "Gemeente")], [[3], [4]], [[1], [0]], {}
    )
    total = sum_heat_maps([a, b])
    assert [name for _i, name in total.aspects] == ["Financiering", "Mandaat"]
    assert [name for _i, name in total.actors] == ["Gemeente", "Politie"]
    assert total.open == [[4, 2], [4, 0]]
    assert total.hardnekkig == [[1, 1], [0, 0]]
