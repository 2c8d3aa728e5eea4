"""Tests for dla.agendas.parsing, partly against the real GVS agenda texts in shared/examples."""

from __future__ import annotations

import re

import pytest

from dla.agendas.parsing import (
    ParsedQuestion,
    compose_question,
    expand_shared_stem,
    is_shared_stem,
    letter_label,
    parse_question,
    roman_label,
)
from tests.examples import example

LABEL_RE = re.compile(r"^(?P<label>[A-Z]|\d+)\.\s+(?P<text>.*)$")
ROMAN_RE = re.compile(r"^(?P<label>[ivx]+)\.\s+(?P<text>.*)$")

HINT_NO_HOE = (
    "De methode begint een leervraag met 'Hoe …' "
    "(bijvoorbeeld 'Hoe kan ik …' of 'Hoe kunnen we …')."
)
HINT_NO_TERWIJL = "Noem na ', terwijl' wat u tegenhoudt: de barrière in het systeem."
HINT_MANY_TERWIJL = (
    "Deze vraag bevat meer dan één keer 'terwijl'. Meestal hoort er één barrière bij een vraag."
)
HINT_NO_QUESTION_MARK = "Een leervraag eindigt met een vraagteken."
HINT_SHORT_BARRIER = "De barrière na 'terwijl' is erg kort. Beschrijf wat u tegenhoudt."

GOOD = (
    "Hoe kan ik als regisseur het plan van aanpak uitvoeren, "
    "terwijl ik geen doorzettingsmacht heb over de betrokken organisaties?"
)


def labelled_questions(name: str) -> list[tuple[str, str]]:
    """(label, text) for every lettered or numbered line of an example file, in order."""
    lines = example(name).read_text(encoding="utf-8").splitlines()
    found = []
    for line in lines:
        match = LABEL_RE.match(line)
        if match:
            found.append((match["label"], match["text"]))
    return found


def parsed(name: str) -> list[ParsedQuestion]:
    return [parse_question(text) for _, text in labelled_questions(name)]


# --- Real GVS agendas ---------------------------------------------------------------------------

GVS_FILES = {
    "gvs-dla-versie-1.txt": ("we", 5),
    "gvs-dla-memo-2020-01-31.txt": ("we", 6),
    "gvs-dla-projectleider-2020-07-10.txt": ("ik", 7),
}


@pytest.mark.parametrize("name", sorted(GVS_FILES))
def test_gvs_questions_follow_method(name: str) -> None:
    person, count = GVS_FILES[name]
    questions = parsed(name)
    assert len(questions) == count
    for question in questions:
        assert question.person == person, question.text
        assert question.stem.startswith("Hoe ")
        assert question.role_phrase == ""
        assert question.annotation == ""
        assert question.tag == ""
        assert question.hints == ()
        assert question.follows_method
        assert question.text == f"{question.goal}, terwijl {question.barrier}?"


def test_versie_1_goals_and_barriers() -> None:
    a, b, c, d, e = parsed("gvs-dla-versie-1.txt")
    assert a.goal == "Hoe komen we tot een gedeeld beeld van directe en stabiele veiligheid"
    assert a.barrier == (
        "de betrokken organisaties een verschillend beeld hebben van de situatie "
        "en van de definitie van veiligheid"
    )
    assert a.stem == "Hoe komen we tot"
    assert b.goal == "Hoe komen we tot een gedeeld beeld van \u2018regie\u2019 voor het gezin"
    assert b.barrier.endswith("de invulling van \u2018regie\u2019")
    assert c.goal.endswith("(zijnde de procesregisseur)")
    assert c.goal.startswith("Hoe komen we tot één persoon die het overzicht houdt")
    assert (
        c.barrier
        == "de betrokken organisaties momenteel verantwoordelijk zijn op verschillende momenten"
    )
    assert d.stem == "Hoe zorgen we voor"
    assert d.goal == "Hoe zorgen we voor een integraal veiligheidsplan"
    assert d.barrier == "er momenteel grote onderlinge verschillen zijn onder gemeentes"
    assert e.stem == "Hoe komen we"
    assert e.barrier == "er veel verschillende partijen en personen betrokken zijn"


def test_memo_goals_and_barriers() -> None:
    labels = [label for label, _ in labelled_questions("gvs-dla-memo-2020-01-31.txt")]
    assert labels == ["1", "2", "3", "4", "1", "2"]
    ambitie_1, ambitie_2, ambitie_3, ambitie_4, vervolg_1, vervolg_2 = parsed(
        "gvs-dla-memo-2020-01-31.txt"
    )
    assert ambitie_1.barrier == "er nu verschillende werkwijzen en verwachtingen"
    assert ambitie_1.goal == (
        "Hoe komen we tot een gedeeld beeld van procesregie "
        "(die overzicht houdt en daarvoor het aanspreekpunt voor het gezin)"
    )
    assert ambitie_2.goal == (
        "Hoe komen we tot een gedeeld beeld van (directe, stabiele en duurzame) veiligheid"
    )
    assert ambitie_3.goal == "Hoe zorgen we voor één integraal veiligheidsplan voor het gezin"
    assert ambitie_3.barrier == (
        "de verschillende domeinen (Jeugd, OOV en Wmo) ieder hun eigen regisseurs en plannen hebben"
    )
    assert ambitie_3.annotation == ""
    assert ambitie_4.stem == "Hoe komen we"
    assert ambitie_4.barrier == "de domeinen ieder hun eigen overlegstructuur hebben"
    assert vervolg_1.barrier == (
        "de veranderingen op verschillende niveaus ingrijpen "
        "en we daarom al werkende weg aan het leren zijn"
    )
    assert vervolg_2.stem == "Hoe kunnen we"
    assert vervolg_2.goal == (
        "Hoe kunnen we kansen en barrières binnen verschillende gemeenten herkennen "
        "en hiervan met elkaar leren"
    )
    assert vervolg_2.barrier == "er structurele verschillen tussen de gemeenten zijn"


def test_projectleider_goals_and_barriers() -> None:
    a, b, c, d, e, f, g = parsed("gvs-dla-projectleider-2020-07-10.txt")
    shared = "deze op verschillende lagen, gemeenten en mensen worden uitgevoerd"
    assert a.barrier == shared
    assert b.barrier == shared
    assert a.goal != b.goal
    assert [q.stem for q in (a, b, c, d, e, f, g)] == [
        "Hoe krijg ik",
        "Hoe breng ik",
        "Hoe krijg ik",
        "Hoe kan ik",
        "Hoe richt ik",
        "Hoe richt ik",
        "Hoe kan ik",
    ]
    assert (
        d.goal == "Hoe kan ik ervoor zorgen dat de ambitie breed gedragen wordt binnen de gemeenten"
    )
    assert e.barrier == "alle betrokkenen volle agenda\u2019s hebben"
    assert f.barrier == e.barrier
    assert g.barrier == "het mandaat niet bij de regio, maar lokaal ligt"


# --- Shared stem example ------------------------------------------------------------------------


def shared_stem_example() -> tuple[str, dict[str, str], list[str]]:
    """(stem line, {label: item text}, sub-question texts) of voorbeeld-gedeelde-stam.txt."""
    lines = example("voorbeeld-gedeelde-stam.txt").read_text(encoding="utf-8").splitlines()
    stems = [line for line in lines if is_shared_stem(line)]
    assert len(stems) == 1
    items: dict[str, str] = {}
    subs: list[str] = []
    last = None
    for line in lines:
        if match := ROMAN_RE.match(line):
            subs.append(match["text"])
            last = None
        elif match := LABEL_RE.match(line):
            last = match["label"]
            items[last] = match["text"]
        elif last and line.strip() and not items[last].endswith("?"):
            items[last] += "\n" + line  # a question wrapped over two lines
    return stems[0], items, subs


def test_shared_stem_detection() -> None:
    stem, items, _ = shared_stem_example()
    assert stem == "Hoe kan ik als regisseur het plan van aanpak uitvoeren, terwijl\u2026.."
    assert not any(is_shared_stem(text) for text in items.values())
    assert not is_shared_stem(GOOD)
    assert not is_shared_stem("Hoe kan ik X, terwijl de wet etc.")
    assert is_shared_stem("Hoe kunnen we X, terwijl ...")
    assert is_shared_stem("Hoe kunnen we X, Terwijl \u2026 ")


def test_shared_stem_expansion() -> None:
    stem, items, _ = shared_stem_example()
    a, b, c = (parse_question(expand_shared_stem(stem, items[label])) for label in "ABC")
    assert a.text == GOOD
    assert a.role_phrase == "als regisseur"
    assert a.barrier == "ik geen doorzettingsmacht heb over de betrokken organisaties"
    assert b.text == (
        "Hoe kan ik als regisseur het plan van aanpak uitvoeren, terwijl partners hun eigen deel "
        "van de taak oppakken en het geheel uit het oog verliezen? (taartpunt)"
    )
    assert b.annotation == "taartpunt"
    assert b.barrier == (
        "partners hun eigen deel van de taak oppakken en het geheel uit het oog verliezen"
    )
    assert c.barrier == "de wachttijd voor begeleid wonen langer is dan een half jaar"
    for question in (a, b, c):
        assert question.goal == "Hoe kan ik als regisseur het plan van aanpak uitvoeren"
        assert question.follows_method


def test_shared_stem_full_question_tag_and_subquestions() -> None:
    _, items, subs = shared_stem_example()
    d = parse_question(items["D"])
    assert d.tag == "gereconstrueerd"
    assert d.annotation == ""
    assert d.role_phrase == "als netwerk"
    assert d.barrier == "de criteria voor opschaling verschillend worden uitgelegd"
    assert d.follows_method
    assert len(subs) == 2
    first, second = (parse_question(text) for text in subs)
    assert first.stem == "Hoe maken we"
    assert first.person == "we"
    assert first.goal == "Hoe maken we de escalatieladder bekend bij alle partners"
    assert first.barrier == ""
    assert second.stem == "Hoe weten we"
    assert second.goal == "Hoe weten we of opschaling op tijd gebeurde"
    assert second.barrier == ""
    assert first.hints == second.hints == (HINT_NO_TERWIJL,)


def test_wrapped_question_is_collapsed() -> None:
    _, items, _ = shared_stem_example()
    assert "\n" in items["E"]
    e = parse_question(items["E"])
    assert e.text == (
        "Hoe kan ik als manager informatie laten delen, "
        "terwijl professionals niet weten wat de privacyregels toestaan?"
    )
    assert e.role_phrase == "als manager"
    assert e.goal == "Hoe kan ik als manager informatie laten delen"
    assert e.follows_method


# --- Stems, persons and role phrases ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "stem", "person"),
    [
        ("Hoe kan ik X doen, terwijl a b c?", "Hoe kan ik", "ik"),
        ("Hoe kunnen wij X doen, terwijl a b c?", "Hoe kunnen wij", "we"),
        ("Hoe zorg ik voor X, terwijl a b c?", "Hoe zorg ik voor", "ik"),
        ("Hoe zorg ik dat X, terwijl a b c?", "Hoe zorg ik", "ik"),
        ("Hoe kan ik voor X zorgen, terwijl a b c?", "Hoe kan ik", "ik"),
        ("Hoe faciliteer ik X, terwijl a b c?", "Hoe faciliteer ik", "ik"),
        ("Hoe kan de regisseur X doen, terwijl a b c?", "Hoe kan", ""),
        ("Wat kan ik doen, terwijl a b c?", "", ""),
        ("Hoeveel tijd heb ik, terwijl a b c?", "", ""),
    ],
)
def test_stem_and_person(text: str, stem: str, person: str) -> None:
    question = parse_question(text)
    assert question.stem == stem
    assert question.person == person


@pytest.mark.parametrize(
    ("text", "role"),
    [
        (
            "Hoe kan ik als ICR regie op veiligheid houden, terwijl ik via de betrokken "
            "netwerkorganisatie geen goed zicht krijg op de huidige veiligheidssituatie?",
            "als ICR",
        ),
        (
            "Hoe kunnen we (ICR) het gezin centraal zetten, terwijl ieder eigen doelen heeft?",
            "(ICR)",
        ),
        ("Hoe kan ik mijn werk als ICR doen, terwijl mijn caseload te groot is?", "als ICR"),
        (
            "Hoe kan ik als manager ICR implementeren, terwijl er geen budget voor is?",
            "als manager",
        ),
        (
            "Hoe kunnen we als professionals samenwerken, terwijl we elkaar niet kennen?",
            "als professionals",
        ),
        (
            "Hoe komen we als netwerk tot één plan, terwijl ieder eigen plannen heeft?",
            "als netwerk",
        ),
        ("Hoe kunnen we zo snel als mogelijk opschalen, terwijl de criteria verschillen?", ""),
        ("Hoe kunnen we zo snel als het gezin wil helpen, terwijl de wachtlijst lang is?", ""),
        ("Hoe kan ik X doen, terwijl ik als ICR geen mandaat heb?", ""),
        ("Hoe kunnen we (zie bijlage) iets doen, terwijl er geen tijd is?", ""),
    ],
)
def test_role_phrase(text: str, role: str) -> None:
    assert parse_question(text).role_phrase == role


# --- Splitting details --------------------------------------------------------------------------


def test_annotation_and_tag_after_question_mark() -> None:
    question = parse_question(
        "Hoe kan ik als manager X doen, terwijl de partners (politie, VT) weigeren? "
        "(taartpunt, regie) [DLA managers, bijlage 2.3]"
    )
    assert question.barrier == "de partners (politie, VT) weigeren"
    assert question.annotation == "taartpunt, regie"
    assert question.tag == "DLA managers, bijlage 2.3"
    assert question.goal == "Hoe kan ik als manager X doen"


def test_tag_only() -> None:
    question = parse_question(
        "Hoe kan ik als bestuurder een goede verbinding leggen met de managementlaag, terwijl ik "
        "minder betrokken ben bij het dagelijks werk van de managers? [gereconstrueerd]"
    )
    assert question.tag == "gereconstrueerd"
    assert question.annotation == ""
    assert question.role_phrase == "als bestuurder"
    assert question.barrier.endswith("van de managers")


def test_splits_at_first_comma_terwijl() -> None:
    question = parse_question("Hoe kan ik X doen, terwijl a b c, terwijl d e f?")
    assert question.goal == "Hoe kan ik X doen"
    assert question.barrier == "a b c, terwijl d e f"


def test_terwijl_without_comma_is_accepted() -> None:
    question = parse_question("Hoe kan ik X doen terwijl de partners niet meewerken?")
    assert question.goal == "Hoe kan ik X doen"
    assert question.barrier == "de partners niet meewerken"
    assert question.follows_method


def test_comma_terwijl_without_space_and_capital() -> None:
    question = parse_question("Hoe kan ik X doen,Terwijl de partners niet meewerken?")
    assert question.goal == "Hoe kan ik X doen"
    assert question.barrier == "de partners niet meewerken"


def test_terwijl_inside_word_is_not_split() -> None:
    question = parse_question("Hoe kan ik de terwijltjes tellen?")
    assert question.barrier == ""
    assert question.goal == "Hoe kan ik de terwijltjes tellen"


def test_verbatim_typography_and_whitespace() -> None:
    text = (
        "  Hoe komen we tot een gedeeld beeld van \u2018regie\u2019 in het Zorg- en "
        "Veiligheidshuis,\n  terwijl\tcollega\u2019s \u2026 iets anders   willen?  "
    )
    question = parse_question(text)
    assert question.text == (
        "Hoe komen we tot een gedeeld beeld van \u2018regie\u2019 in het Zorg- en "
        "Veiligheidshuis, terwijl collega\u2019s \u2026 iets anders willen?"
    )
    assert question.goal.endswith("\u2018regie\u2019 in het Zorg- en Veiligheidshuis")
    assert question.barrier == "collega\u2019s \u2026 iets anders willen"


def test_parsed_question_is_frozen() -> None:
    question = parse_question(GOOD)
    with pytest.raises(AttributeError):
        question.goal = "x"  # type: ignore[misc]


# --- Hints --------------------------------------------------------------------------------------


def test_good_question_has_no_hints() -> None:
    question = parse_question(GOOD)
    assert question.hints == ()
    assert question.follows_method is True


@pytest.mark.parametrize(
    ("text", "hints"),
    [
        ("Wat kan ik doen, terwijl de partners niet meewerken?", (HINT_NO_HOE,)),
        ("Hoe kan ik het gezin centraal zetten?", (HINT_NO_TERWIJL,)),
        (
            "Hoe kan ik X doen, terwijl a niet werkt, terwijl b ook niet werkt?",
            (HINT_MANY_TERWIJL,),
        ),
        ("Hoe kan ik X doen, terwijl de partners niet meewerken", (HINT_NO_QUESTION_MARK,)),
        ("Hoe kan ik X doen, terwijl niemand meewerkt?", (HINT_SHORT_BARRIER,)),
        ("Hoe kan ik X doen, terwijl?", (HINT_SHORT_BARRIER,)),
        ("", (HINT_NO_HOE, HINT_NO_TERWIJL, HINT_NO_QUESTION_MARK)),
        ("Het gezin staat centraal.", (HINT_NO_HOE, HINT_NO_TERWIJL, HINT_NO_QUESTION_MARK)),
    ],
)
def test_hints(text: str, hints: tuple[str, ...]) -> None:
    question = parse_question(text)
    assert question.hints == hints
    assert question.follows_method is False


def test_text_after_question_mark_is_not_an_annotation() -> None:
    question = parse_question("Hoe kan ik X doen, terwijl a b c? Dat is lastig.")
    assert question.annotation == ""
    assert HINT_NO_QUESTION_MARK in question.hints


# --- compose_question ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("goal", "barrier", "expected"),
    [
        (
            "Hoe kan ik als ICR het gezin centraal zetten",
            "ik niet weet wat de privacyregels toestaan",
            "Hoe kan ik als ICR het gezin centraal zetten, "
            "terwijl ik niet weet wat de privacyregels toestaan?",
        ),
        (
            "  Hoe kan ik X doen,  ",
            "  Terwijl ik Y niet weet?  ",
            "Hoe kan ik X doen, terwijl ik Y niet weet?",
        ),
        (
            "Hoe kan ik X doen?",
            "… de partners niet meewerken",
            "Hoe kan ik X doen, terwijl de partners niet meewerken?",
        ),
        (
            "Hoe kan ik X doen.",
            "...terwijl ze niet willen",
            "Hoe kan ik X doen, terwijl ze niet willen?",
        ),
        (
            "Hoe kan ik X doen, terwijl",
            "ze niet willen",
            "Hoe kan ik X doen, terwijl ze niet willen?",
        ),
        ("Hoe kan ik X doen", "", "Hoe kan ik X doen?"),
        ("Hoe kan ik X doen,", "  ?  ", "Hoe kan ik X doen?"),
        ("", "ik Y niet weet", ""),
        ("  ,  ", "ik Y niet weet", ""),
        (
            "Hoe kan ik \u2018regie\u2019 houden",
            "collega\u2019s \u2026 iets anders willen",
            "Hoe kan ik \u2018regie\u2019 houden, "
            "terwijl collega\u2019s \u2026 iets anders willen?",
        ),
        (
            "Hoe kan ik X doen",
            "ze niet willen? (taartpunt)",
            "Hoe kan ik X doen, terwijl ze niet willen? (taartpunt)",
        ),
    ],
)
def test_compose_question(goal: str, barrier: str, expected: str) -> None:
    assert compose_question(goal, barrier) == expected


def test_compose_then_parse_round_trip() -> None:
    text = compose_question("Hoe kunnen we als netwerk tijdig opschalen", "de criteria verschillen")
    question = parse_question(text)
    assert question.goal == "Hoe kunnen we als netwerk tijdig opschalen"
    assert question.barrier == "de criteria verschillen"
    assert question.follows_method


# --- expand_shared_stem -------------------------------------------------------------------------

STEM = "Hoe kan ik als regisseur het plan van aanpak uitvoeren, terwijl\u2026.."


@pytest.mark.parametrize(
    ("stem", "completion", "expected"),
    [
        (STEM, "\u2026 ik geen doorzettingsmacht heb over de betrokken organisaties?", GOOD),
        (STEM, "... ik geen doorzettingsmacht heb over de betrokken organisaties?", GOOD),
        (
            "Hoe kan ik als regisseur het plan van aanpak uitvoeren, terwijl ...",
            "\u2026ik geen doorzettingsmacht heb over de betrokken organisaties?",
            GOOD,
        ),
        (
            "Hoe kan ik als regisseur het plan van aanpak uitvoeren, terwijl \u2026 . \u2026",
            "\u2026 terwijl ik geen doorzettingsmacht heb over de betrokken organisaties?",
            GOOD,
        ),
        (
            STEM,
            "\u2026 partners hun eigen deel \u2026 verliezen? (taartpunt)",
            "Hoe kan ik als regisseur het plan van aanpak uitvoeren, terwijl partners hun eigen "
            "deel \u2026 verliezen? (taartpunt)",
        ),
        (
            "Hoe kan ik X doen \u2026",
            "... ondanks de regels?",
            "Hoe kan ik X doen ondanks de regels?",
        ),
        ("Hoe kan ik X doen", "en Y?", "Hoe kan ik X doen en Y?"),
        (STEM, "", "Hoe kan ik als regisseur het plan van aanpak uitvoeren, terwijl"),
    ],
)
def test_expand_shared_stem(stem: str, completion: str, expected: str) -> None:
    assert expand_shared_stem(stem, completion) == expected


# --- Labels -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "label"),
    [(1, "i"), (2, "ii"), (3, "iii"), (4, "iv"), (5, "v"), (9, "ix"), (14, "xiv"), (40, "xl")],
)
def test_roman_label(n: int, label: str) -> None:
    assert roman_label(n) == label


@pytest.mark.parametrize(
    ("n", "label"),
    [(1, "A"), (2, "B"), (26, "Z"), (27, "AA"), (28, "AB"), (52, "AZ"), (53, "BA"), (703, "AAA")],
)
def test_letter_label(n: int, label: str) -> None:
    assert letter_label(n) == label


@pytest.mark.parametrize("func", [roman_label, letter_label])
def test_labels_reject_zero(func) -> None:
    with pytest.raises(ValueError):
        func(0)


# --- Performance --------------------------------------------------------------------------------
