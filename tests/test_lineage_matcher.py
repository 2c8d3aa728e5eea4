"""Unit tests of the lineage matcher's principles (dla.agendas.lineage.propose).

The questions are our own, written in the style of real DLAs; each test builds the smallest
region that shows one principle: word weights from the region's own questions, one-to-one
proposals, the threshold, the cross-agenda margin, explicit merges and splits.
"""

from __future__ import annotations

from dla.agendas.lineage import (
    CONTINUES,
    CROSS_AGENDA_MARGIN,
    DEFAULT_THRESHOLD,
    MERGED,
    RETURNS,
    SPLIT,
    Candidate,
    propose,
)

STEM = "Hoe kan ik als regisseur het plan van aanpak uitvoeren, terwijl "
BARRIERS = [
    "ik geen doorzettingsmacht heb over de betrokken organisaties",
    "de wachttijden voor begeleid wonen lang zijn",
    "partners hun informatie niet willen delen vanwege de privacyregels",
    "het budget voor maatwerk moeilijk toegankelijk is",
    "de reclassering vooral op rapportagedruk van het OM stuurt",
    "ouders wantrouwend zijn tegenover instanties",
    "er geen vaste contactpersoon bij de woningcorporatie is",
]
REWORDED = [
    "ik geen doorzettingsmacht heb over de andere organisaties",
    "de wachttijden voor begeleid wonen nog steeds erg lang zijn",
    "partners hun informatie niet delen vanwege onduidelijke privacyregels",
    "het budget voor maatwerk voor mij moeilijk toegankelijk is",
    "de reclassering vooral stuurt op de rapportagedruk van het OM",
    "ouders en jongeren wantrouwend zijn tegenover instanties",
    "er bij de woningcorporatie geen vaste contactpersoon meer is",
]


def version(texts, agenda="regie", number=1, labels=None) -> list[Candidate]:
    labels = labels or [chr(ord("A") + i) for i in range(len(texts))]
    return [
        Candidate(
            key=f"{agenda}{number}-{label}",
            text=text,
            agenda=agenda.title(),
            version=number,
            label=label,
            version_key=f"{agenda}#{number}",
            agenda_key=agenda,
        )
        for label, text in zip(labels, texts, strict=True)
    ]


def proposed_keys(matches) -> list[str | None]:
    return [m.proposed.suggestion.candidate.key if m.proposed else None for m in matches]


def test_shared_stem_with_different_barriers_links_each_to_its_own():
    """The shared stem is in every question, so it weighs little; the barrier decides."""
    old = version([STEM + b + "?" for b in BARRIERS])
    new = [STEM + b + "?" for b in REWORDED]
    new.reverse()  # another order in the new version
    matches = propose(new, old, agenda_key="regie", previous_version_key="regie#1")
    expected = [f"regie1-{chr(ord('A') + i)}" for i in range(len(BARRIERS))][::-1]
    assert proposed_keys(matches) == expected
    assert all(m.proposed.kind == CONTINUES for m in matches)
    # The reason shown is the barrier's own words, not the stem.
    wachttijd = matches[len(new) - 2].suggestions[0]
    assert "wachttijden" in wachttijd.matched
    assert not {"regisseur", "plan", "aanpak", "uitvoeren"} & set(wachttijd.matched)


def test_an_earlier_question_is_proposed_for_one_new_question_only():
    old = version(
        [
            STEM + BARRIERS[0] + "?",
            "Hoe komen we tot één gezamenlijk plan per gezin, terwijl iedere partner een eigen "
            "plan maakt?",
        ]
    )
    twins = [STEM + BARRIERS[0] + "?", STEM + REWORDED[0] + "?"]
    matches = propose(twins, old, agenda_key="regie", previous_version_key="regie#1")
    continued = [m for m in matches if m.proposed and m.proposed.kind == CONTINUES]
    assert [m.proposed.suggestion.candidate.key for m in continued] == ["regie1-A"]
    assert matches[0] is continued[0]  # the verbatim copy wins
    # The other one is no silent second continuation: at most an explicit split, and the
    # candidate is marked on both sides.
    assert matches[1].proposed is None or matches[1].proposed.kind == SPLIT
    assert all(m.suggestions[0].possible_merge for m in matches)


def test_below_the_threshold_nothing_is_proposed_but_candidates_are_listed_as_weak():
    old = version(
        [
            "Hoe zorg ik voor een warme overdracht naar de wijkteams, terwijl de wijkteams vol "
            "zitten en lange wachtlijsten hebben?",
            STEM + BARRIERS[3] + "?",
            "Hoe krijgen we zicht op de veiligheid in het gezin, terwijl de meldingen bij "
            "verschillende organisaties binnenkomen?",
        ]
    )
    same_theme = (
        "Hoe kunnen we de wachttijd bij het wijkteam overbruggen, terwijl gezinnen in die "
        "periode niemand hebben die meekijkt?"
    )
    [match] = propose([same_theme], old, agenda_key="regie", previous_version_key="regie#1")
    assert match.proposed is None
    assert match.suggestions, "the theme question is listed"
    assert match.suggestions[0].candidate.key == "regie1-A"
    assert all(s.weak and s.score < DEFAULT_THRESHOLD for s in match.suggestions)
    # The same question with a higher threshold of zero would be proposed: the threshold rules.
    [loose] = propose(
        [same_theme], old, agenda_key="regie", previous_version_key="regie#1", threshold=0.01
    )
    assert loose.proposed is not None


def test_another_agenda_only_with_a_clear_margin():
    own = version(
        [
            "Hoe kan ik als manager ICR implementeren, terwijl de gemeente de financiering "
            "per jaar vaststelt?",
            "Hoe zorg ik dat ICR's genoeg tijd krijgen, terwijl hun caseload niet is aangepast?",
        ],
        agenda="managers",
    )
    other = version(
        [
            "Hoe kan ik als ICR de MultiFocus-methode toepassen, terwijl collega's in het lokale "
            "team niet weten wat die methode inhoudt?",
            "Hoe zorg ik als ICR dat mijn caseload past bij intensieve casusregie, terwijl het "
            "lokale team mij als gewone consulent inplant?",
        ],
        agenda="icr",
    )
    moved = (
        "Hoe zorg ik als manager dat collega's in het lokale team weten wat de "
        "MultiFocus-methode inhoudt, terwijl er geen tijd is voor scholing?"
    )
    ambiguous = (
        "Hoe zorg ik dat ICR's tijd krijgen voor intensieve casusregie, terwijl hun caseload "
        "niet is aangepast?"
    )
    matches = propose(
        [moved, ambiguous],
        own + other,
        agenda_key="managers",
        previous_version_key="managers#1",
    )
    first, second = matches
    assert first.proposed is not None and first.proposed.kind == CONTINUES
    assert first.proposed.suggestion.candidate.key == "icr1-A"
    assert first.proposed.suggestion.other_agenda
    best_own = max((s.score for s in first.suggestions if not s.other_agenda), default=0.0)
    assert first.proposed.suggestion.score >= best_own + CROSS_AGENDA_MARGIN
    # Close to questions of both agendas: its own agenda wins.
    assert second.proposed.suggestion.candidate.key == "managers1-B"
    assert not second.proposed.suggestion.other_agenda


def test_a_thread_that_another_agenda_already_continues_is_never_proposed():
    old = version([STEM + BARRIERS[1] + "?"])
    busy = [
        Candidate(**{**vars(old[0]), "busy_in": "Managers"}),
    ]
    [match] = propose(
        [STEM + BARRIERS[1] + "?"], busy, agenda_key="regie", previous_version_key="regie#1"
    )
    assert match.proposed is None
    assert match.suggestions[0].score == 1.0
    assert "Managers" in match.suggestions[0].warning


def test_older_question_of_the_same_agenda_returns():
    first = version([STEM + BARRIERS[4] + "?", STEM + BARRIERS[5] + "?"])
    second = version([STEM + BARRIERS[5] + "?"], number=2)  # A skipped this version
    candidates = [first[0], *second]
    [match] = propose(
        [STEM + REWORDED[4] + "?"], candidates, agenda_key="regie", previous_version_key="regie#2"
    )
    assert match.proposed.kind == RETURNS
    assert match.proposed.suggestion.candidate.key == "regie1-A"


def test_merge_is_proposed_explicitly_with_both_sides():
    old = version(
        [
            "Hoe komen we tot een gedeeld beeld van procesregie, terwijl iedere organisatie "
            "regie anders invult?",
            "Hoe zorgen we voor één persoon die het overzicht houdt over alle hulp aan het gezin, "
            "terwijl de organisaties op verschillende momenten verantwoordelijk zijn?",
            STEM + BARRIERS[2] + "?",
        ]
    )
    merged = (
        "Hoe komen we tot een gedeeld beeld van procesregie (één persoon die het overzicht "
        "houdt over alle hulp), terwijl iedere organisatie regie anders invult?"
    )
    matches = propose(
        [merged, STEM + BARRIERS[2] + "?"],
        old,
        agenda_key="regie",
        previous_version_key="regie#1",
    )
    proposal = matches[0].proposed
    assert proposal.kind == MERGED
    assert proposal.suggestion.candidate.key == "regie1-A"
    assert [s.candidate.key for s in proposal.merges] == ["regie1-B"]
    listed = {s.candidate.key for s in matches[0].suggestions}
    assert {"regie1-A", "regie1-B"} <= listed
    assert matches[1].proposed.kind == CONTINUES


def test_split_is_proposed_explicitly_and_a_near_copy_is_not_a_part():
    old = version(
        [
            "Hoe kan ik informatie van Veilig Thuis gebruiken in het plan en het gezin daarover "
            "informeren, terwijl Veilig Thuis die informatie niet zonder toestemming mag delen?",
            STEM + BARRIERS[6] + "?",
        ]
    )
    parts = [
        "Hoe kan ik informatie van Veilig Thuis gebruiken in het plan, terwijl Veilig Thuis die "
        "informatie niet zonder toestemming mag delen?",
        "Hoe kan ik het gezin informeren over wat Veilig Thuis weet, terwijl ik niet weet welke "
        "informatie ik mag delen?",
        "Hoe kan ik als regisseur de woningcorporatie bereiken, terwijl er geen vaste "
        "contactpersoon bij de woningcorporatie is?",
    ]
    matches = propose(parts, old, agenda_key="regie", previous_version_key="regie#1")
    assert matches[0].proposed.kind == CONTINUES
    assert matches[0].proposed.suggestion.candidate.key == "regie1-A"
    assert matches[1].proposed.kind == SPLIT
    assert matches[1].proposed.suggestion.candidate.key == "regie1-A"
    assert matches[1].proposed.split_with == 0
    assert matches[2].proposed.suggestion.candidate.key == "regie1-B"


def test_questions_of_the_imported_version_are_never_candidates():
    old = version([STEM + BARRIERS[0] + "?"], number=3)
    matches = propose(
        [STEM + BARRIERS[0] + "?"],
        old,
        agenda_key="regie",
        previous_version_key="regie#2",
        same_version_key="regie#3",
    )
    assert matches[0].proposed is None and matches[0].suggestions == []
