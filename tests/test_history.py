"""Pure functions: persistence figures, word diff and version comparison."""

from datetime import date

from dla.agendas import history as h
from dla.agendas.history import Appearance, Event, Item


def appearances(*indexes, agenda=1, transition_at=None, days=None):
    result = []
    for n, index in enumerate(indexes):
        kind = transition_at.get(index) if transition_at else None
        day = days[n] if days else None
        result.append(Appearance(7, agenda, index, day, kind, 0.0))
    return result


def test_empty_history_is_concept_only():
    figures = h.persistence([], latest={}, min_run=3, max_months=9)
    assert figures.versions_present == 0
    assert figures.status == "concept"
    assert not figures.hardnekkig


def test_longest_run_counts_consecutive_versions_and_breaks_on_a_gap():
    figures = h.persistence(appearances(0, 1, 3, 4, 5), latest={}, min_run=4, max_months=99)
    assert figures.versions_present == 5
    assert figures.longest_run == 3
    assert not figures.hardnekkig
    figures = h.persistence(appearances(0, 1, 3, 4, 5), latest={}, min_run=3, max_months=99)
    assert figures.hardnekkig


def test_old_open_question_is_hardnekkig_but_answered_one_is_not():
    days = [date(2025, 1, 10), date(2025, 3, 1)]
    open_q = h.persistence(
        appearances(0, 1, days=days), latest={1: date(2025, 10, 10)}, min_run=3, max_months=9
    )
    assert open_q.status == h.OPEN
    assert open_q.age_months == 9
    assert open_q.hardnekkig
    answered = h.persistence(
        appearances(0, 1, days=days, transition_at={1: h.ANSWER}),
        latest={1: date(2025, 10, 10)},
        min_run=3,
        max_months=9,
    )
    assert answered.status == h.ANSWER
    assert answered.age_months == 1  # from first to last date, not to the latest version
    assert not answered.hardnekkig
    young = h.persistence(
        appearances(0, 1, days=days), latest={1: date(2025, 10, 9)}, min_run=3, max_months=9
    )
    assert young.age_months == 8
    assert not young.hardnekkig


def test_age_runs_to_the_latest_version_of_the_agenda_never_to_today():
    days = [date(2025, 1, 10), date(2025, 3, 1)]
    # No later version: the question is two months old, however long ago that was.
    quiet = h.persistence(appearances(0, 1, days=days), latest={}, min_run=3, max_months=9)
    assert quiet.age_months == 1
    assert not quiet.hardnekkig
    # Another agenda's later versions do not age it either.
    other = h.persistence(
        appearances(0, 1, days=days), latest={2: date(2026, 6, 1)}, min_run=3, max_months=9
    )
    assert other.age_months == 1
    assert h.latest_days([(1, date(2025, 1, 1)), (1, None), (1, date(2025, 5, 1)), (2, None)]) == {
        1: date(2025, 5, 1)
    }
    assert h.is_hardnekkig(3, 0, h.ANSWER, min_run=3, max_months=9)
    assert not h.is_hardnekkig(2, 20, h.DROP, min_run=3, max_months=9)
    assert h.is_hardnekkig(2, 9, h.MOVE, min_run=3, max_months=9)


def test_dates_that_contradict_the_order_give_a_positive_age():
    # The revised memo is dated before version 1: dates never decide the order.
    days = [date(2020, 2, 24), date(2020, 1, 31)]
    figures = h.persistence(
        appearances(0, 1, days=days, transition_at={1: h.DROP}),
        latest={1: date(2021, 1, 1)},
        min_run=3,
        max_months=9,
    )
    assert figures.first_date == date(2020, 2, 24)
    assert figures.last_date == date(2020, 1, 31)
    assert figures.age_months == 0
    assert figures.status == h.DROP


def test_a_move_continues_the_run_in_the_other_agenda():
    items = [
        Appearance(7, 1, 0, None, None, 1.0),
        Appearance(7, 1, 1, None, h.MOVE, 1.0),
        Appearance(7, 2, 4, None, None, 2.0),
    ]
    figures = h.persistence(items, latest={}, min_run=3, max_months=99)
    assert figures.longest_run == 3
    assert figures.hardnekkig
    assert figures.status == h.OPEN


def test_months_between():
    assert h.months_between(date(2020, 1, 31), date(2020, 2, 29)) == 0
    assert h.months_between(date(2020, 1, 31), date(2020, 3, 31)) == 2
    assert h.months_between(date(2021, 1, 1), date(2020, 1, 1)) == 0


def test_word_diff_marks_only_changed_words():
    diff = h.word_diff(
        "Hoe komen we tot een gedeeld beeld van directe en stabiele veiligheid?",
        "Hoe komen we tot een gedeeld beeld van (directe, stabiele en duurzame) veiligheid?",
    )
    deleted = "".join(t for op, t in diff if op == "delete")
    inserted = "".join(t for op, t in diff if op == "insert")
    assert "directe" in deleted and "(directe," in inserted
    assert "duurzame)" in inserted
    assert "Hoe komen we tot" in "".join(t for op, t in diff if op == "equal")
    rebuilt_new = "".join(t for op, t in diff if op != "delete")
    assert rebuilt_new.endswith("duurzame) veiligheid?")


def test_compare_classifies_every_kind_of_change():
    old = [
        Item(1, 11, "A", "Hoe a, terwijl x?"),
        Item(2, 12, "B", "Hoe b, terwijl x?"),
        Item(3, 13, "C", "Hoe c, terwijl x?"),
        Item(4, 14, "D", "Hoe d, terwijl x?"),
        Item(5, 15, "E", "Hoe e, terwijl x?"),
        Item(6, 16, "F", "Hoe f, terwijl x?"),
        Item(7, 17, "G", "Hoe g, terwijl x?"),
        Item(8, 18, "H", "Hoe h, terwijl x?"),
    ]
    new = [
        Item(1, 21, "A", "Hoe a, terwijl x?"),
        Item(2, 22, "B", "Hoe b anders, terwijl x?"),
        Item(6, 26, "C", "Hoe f, terwijl x?"),
        Item(9, 29, "D", "Hoe nieuw, terwijl x?"),
        Item(10, 30, "E", "Hoe afgesplitst, terwijl x?"),
        Item(11, 31, "F", "Hoe terug, terwijl x?"),
        Item(12, 32, "G", "Hoe verhuisd, terwijl x?"),
    ]
    events = {
        3: [Event(h.MERGE, target_thread_ids=(2,))],
        4: [Event(h.MOVE, target_agenda="Taskforce")],
        5: [Event(h.ANSWER, note="Actie: convenant")],
        6: [Event(h.SPLIT, target_thread_ids=(10,))],
        7: [Event(h.DROP, note="Niet meer urgent")],
    }
    rows = h.compare(
        old,
        new,
        events=events,
        earlier_threads={11},
        split_from={10: 6},
        moved_in={12: "ICR-agenda"},
    )
    by_thread = {(r.old or r.new).thread_id: r for r in rows}
    assert by_thread[1].category == h.UNCHANGED
    assert by_thread[2].category == h.REWORDED and by_thread[2].diff
    assert [i.label for i in by_thread[2].merged_in] == ["C"]  # C merged into B
    assert by_thread[3].category == h.MERGE and [i.label for i in by_thread[3].related] == ["B"]
    assert by_thread[4].category == h.MOVE and by_thread[4].note == "Taskforce"
    assert by_thread[5].category == h.ANSWER and by_thread[5].note == "Actie: convenant"
    assert by_thread[6].category == h.UNCHANGED and [i.label for i in by_thread[6].split] == ["E"]
    assert by_thread[7].category == h.DROP
    assert by_thread[8].category == h.REMOVED
    assert by_thread[9].category == h.NEW
    assert by_thread[10].category == h.SPLIT_OFF
    assert by_thread[11].category == h.RETURNED
    assert by_thread[12].category == h.MOVED_IN and by_thread[12].note == "ICR-agenda"
    counts = h.summarise(rows)
    assert counts[h.UNCHANGED] == 2 and counts[h.NEW] == 1 and sum(counts.values()) == 12
