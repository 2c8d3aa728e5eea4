"""Realistic Word files (tests/data/docx) read to exactly the questions a person sees in Word.

The files were built by ``tests/data/docx/make_corpus.py`` the way Word saves them: numbering
from a paragraph style or on the paragraph, lettered and roman sub-levels, restarts, tables with
and without a number column, headings with the version or date, attendance lists, tracked
changes, split runs, fields and content controls. The expectations below are written by hand
from what Word shows; they do not come from the reader or the generator.

The reader's public shape is used in three helpers only (``read_docx``, ``extra_columns`` and
``unlabelled``), so a change of API is adapted in one place.
"""

from __future__ import annotations

import html
import importlib.util
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from dla.agendas import importing
from dla.extensions import db
from tests.factories import log_in, make_region, make_user

DOCX = Path(__file__).resolve().parent / "data" / "docx"


# --- The one place that knows the reader's API ------------------------------------------------


def read_docx(name: str) -> importing.ParsedDocument:
    """Read a corpus file with the app's public .docx reader (as the upload view does)."""
    data = (DOCX / name).read_bytes()
    reader = getattr(importing, "parse_docx", None)  # a one-step reader, when there is one
    if reader is not None:
        return reader(data)
    return importing.parse_document(importing.docx_text(data))


def extra_columns(question: importing.ImportedQuestion) -> dict[str, str]:
    """A table row's other columns (header -> cell text): shown beside the question, never
    glued into it. Rows in a table without a header row have no extra columns here."""
    extra = getattr(question, "extra", None)
    assert extra is not None, "ImportedQuestion has no field with a table row's other columns"
    return dict(extra)


def unlabelled(n: int) -> str:
    """The label the reader gives the n-th question of a group that has no printed label."""
    return str(n)


@dataclass(frozen=True)
class Q:
    """An expected question: group title, label as printed (without "." or ")"), full text,
    sub-questions (without their labels) and the printed shared stem ("" when none)."""

    group: str
    label: str
    text: str
    subs: tuple[str, ...] = ()
    stem: str = ""


def questions(doc: importing.ParsedDocument) -> list[Q]:
    return [
        Q(doc.groups[q.group], q.label, q.full_text, tuple(q.subquestions), q.shared_stem)
        for q in doc.questions
    ]


def skipped(doc: importing.ParsedDocument) -> list[str]:
    """Warnings that say part of the document was left out."""
    return [w for w in doc.warnings if "overgeslagen" in w]


# --- Expected questions, per file -------------------------------------------------------------

EXPECTED: dict[str, list[Q]] = {
    "01-stijl-lijstnummering.docx": [
        Q(
            "",
            "1",
            "Hoe kan ik als ICR de regie over de veiligheid houden, terwijl ik via de betrokken "
            "organisaties geen actueel zicht krijg op de thuissituatie?",
        ),
        Q(
            "",
            "2",
            "Hoe kan ik als ICR het gezin betrekken bij het plan, terwijl ouders wantrouwig zijn "
            "tegenover hulpverlening na eerdere uithuisplaatsingen?",
        ),
        Q(
            "",
            "3",
            "Hoe kan ik afspraken maken met Veilig Thuis over de overdracht, terwijl de "
            "wachtlijst bij het lokale team niet korter wordt?",
        ),
        Q(
            "",
            "4",
            "Hoe kan ik als ICR doorzettingsmacht organiseren, terwijl ik formeel geen mandaat "
            "heb over de andere partijen?",
        ),
        Q(
            "",
            "5",
            "Hoe kan ik mijn werk als ICR goed doen, terwijl mijn caseload hoger is dan in de "
            "opleiding is afgesproken?",
        ),
        Q(
            "",
            "6",
            "Hoe kan ik de school betrekken bij het veiligheidsplan, terwijl de school alleen via "
            "de intern begeleider bereikbaar is?",
        ),
        Q(
            "",
            "7",
            "Hoe kan ik als ICR informatie delen met de politie, terwijl ik niet zeker weet wat "
            "de AVG toestaat?",
        ),
        Q(
            "",
            "8",
            "Hoe kan ik stabiele veiligheid bereiken, terwijl de partner van moeder steeds "
            "opnieuw in beeld komt en niemand hem aanspreekt?",
        ),
    ],
    "02-directe-nummering-letters.docx": [
        Q(
            "",
            "1",
            "Hoe kan ik als manager de ICR-functie een vaste plek geven in het lokale team, "
            "terwijl de formatie voor volgend jaar nog niet rond is?",
        ),
        Q(
            "",
            "2",
            "Hoe kan ik als manager ICR’s de ruimte geven om af te wijken van de "
            "standaardwerkwijze, terwijl de organisatie stuurt op doorlooptijden?",
            (
                "Welke afwijkingen zijn nodig om een gezin stabiel veilig te krijgen?",
                "Hoe leg ik die afwijkingen uit aan de directie?",
            ),
        ),
        Q(
            "",
            "3",
            "Hoe kunnen we als managers van elkaar leren, terwijl elke gemeente een eigen "
            "inrichting van het lokale team heeft?",
        ),
        Q(
            "",
            "4",
            "Hoe kan ik als manager zorgen dat ketenpartners de ICR serieus nemen, terwijl de "
            "ICR geen formele positie heeft in het convenant?",
            (
                "Met welke partners maken we als eerste afspraken?",
                "Wie tekent namens de gemeente?",
                "Hoe toetsen we na een half jaar of de afspraken werken?",
            ),
        ),
        Q(
            "",
            "5",
            "Hoe kan ik de resultaten van de ICR zichtbaar maken, terwijl de "
            "registratiesystemen geen veiligheidsuitkomsten bijhouden?",
        ),
    ],
    "03-romeins-en-herstart.docx": [
        Q(
            "Leervragen ten aanzien van de ambitie",
            "1",
            "Hoe komen we tot één plan voor het hele gezin, terwijl jeugd, Wmo en veiligheid "
            "ieder hun eigen plan maken?",
            (
                "Welke plannen bestaan er nu per gezin?",
                "Wie beslist welk plan leidend is?",
                "Hoe houden we het plan actueel als er een nieuwe partner bijkomt?",
            ),
        ),
        Q(
            "Leervragen ten aanzien van de ambitie",
            "2",
            "Hoe zorgen we dat de procesregisseur het overzicht houdt, terwijl partners hun "
            "informatie pas delen als er een melding ligt?",
        ),
        Q(
            "Leervragen ten aanzien van de ambitie",
            "3",
            "Hoe komen we tot een gedeelde definitie van veiligheid, terwijl Veilig Thuis en het "
            "lokale team verschillende risicotaxaties gebruiken?",
            ("Welke taxatie gebruiken we in het gezamenlijke overleg?",),
        ),
        Q(
            "Leervragen ten aanzien van de vervolgstappen",
            "1",
            "Hoe leren we van casussen die vastlopen, terwijl er geen vast moment is om ze samen "
            "te bespreken?",
        ),
        Q(
            "Leervragen ten aanzien van de vervolgstappen",
            "2",
            "Hoe betrekken we ervaringsdeskundigen bij de werksessies, terwijl er geen budget is "
            "voor hun inzet?",
            (
                "Wat is een passende vergoeding?",
                "Wie nodigt hen uit en begeleidt hen na afloop?",
            ),
        ),
    ],
    "04-tabel-nummerkolom.docx": [
        Q(
            "",
            "1",
            "Hoe kan ik als ICR snel een veiligheidsplan maken, terwijl de wijkagent pas na "
            "twee weken terugbelt?",
        ),
        Q(
            "",
            "2",
            "Hoe kunnen we als gemeente de ICR-functie structureel financieren, terwijl de "
            "GHNT-middelen na 2021 stoppen?",
        ),
        Q(
            "",
            "3",
            "Hoe kan ik als ICR zicht houden op de kinderen, terwijl het gezin twee keer per "
            "jaar verhuist tussen gemeenten?",
        ),
        Q(
            "",
            "4",
            "Hoe zorgen we voor een warme overdracht naar de ICR, terwijl Veilig Thuis en het "
            "lokale team een ander registratiesysteem hebben?",
        ),
        Q(
            "",
            "5",
            "Hoe kan ik als ICR het netwerk rond het gezin versterken, terwijl familie op "
            "afstand woont en niet wil meedoen?",
        ),
    ],
    "05-tabellen-varianten.docx": [
        Q(
            "Casusniveau",
            "1",
            "Hoe kan ik als professional een onveilige situatie bespreekbaar maken, terwijl "
            "ouders dreigen de hulp te stoppen?",
        ),
        Q(
            "Casusniveau",
            "2",
            "Hoe kan ik als professional de meldcode volgen, terwijl de stappen in mijn "
            "organisatie anders zijn beschreven dan bij de partner?",
        ),
        Q(
            "Casusniveau",
            "3",
            "Hoe kunnen we als professionals samen één gesprek met het gezin voeren, terwijl "
            "ieder een eigen intakeprocedure heeft?",
        ),
        Q(
            "Leervragen netwerkniveau",
            unlabelled(1),
            "Hoe kunnen we op het juiste moment opschalen naar het Zorg- en Veiligheidshuis, "
            "terwijl de criteria voor opschaling per gemeente verschillen?",
        ),
        Q(
            "Leervragen netwerkniveau",
            unlabelled(2),
            "Hoe kunnen we het casusoverleg kort houden, terwijl elke partner zijn eigen "
            "verhaal wil vertellen?",
        ),
        Q(
            "Leervragen netwerkniveau",
            unlabelled(3),
            "Hoe kunnen we contextinformatie van het lokale team gebruiken in het "
            "MDA++-overleg, terwijl partners verschillende informatiesystemen gebruiken?",
        ),
    ],
    "06-kop-met-versie-en-datum.docx": [
        Q(
            "",
            "1",
            "Hoe kan ik als ICR het gesprek over veiligheid voeren, terwijl de tolk telkens een "
            "ander is?",
        ),
        Q(
            "",
            "2",
            "Hoe kan ik als ICR de voortgang bewaken, terwijl het plan van aanpak in drie "
            "systemen staat?",
        ),
        Q(
            "",
            "3",
            "Hoe kunnen we als ICR’s intervisie organiseren, terwijl we in vier verschillende "
            "gemeenten werken?",
        ),
        Q(
            "",
            "4",
            "Hoe kan ik als ICR de overgang naar het reguliere lokale team goed regelen, terwijl "
            "het gezin aan mij gehecht is geraakt?",
        ),
    ],
    "06b-kop-versie-nummer.docx": [
        Q(
            "",
            "A",
            "Hoe kan ik als teamleider de ICR beschermen tegen extra casussen, terwijl de druk "
            "op het team door de wachtlijst hoog is?",
        ),
        Q(
            "",
            "B",
            "Hoe kan ik als manager het gesprek met de wethouder voorbereiden, terwijl de "
            "resultaten van de ICR pas over een jaar meetbaar zijn?",
        ),
    ],
    "07-getypte-labels.docx": [
        Q(
            "Leervragen casusniveau",
            "A",
            "Hoe kan ik ‘regie’ als gedeeld begrip neerzetten, terwijl iedere partner er iets "
            "anders onder verstaat?",
        ),
        Q(
            "Leervragen casusniveau",
            "B",
            "Hoe kan ik de lokale teams ondersteunen bij “stabiele veiligheid”, terwijl de "
            "definitie nog per gemeente verschilt?",
        ),
        Q(
            "Leervragen casusniveau",
            "C",
            "Hoe kan ik het MDA++-overleg laten aansluiten op het lokale veld, terwijl de "
            "agenda’s van alle betrokkenen vol zitten? (capaciteit)",
        ),
        Q(
            "Leervragen organisatieniveau",
            "A",
            "Hoe richt ik een structuur in waarbinnen gemeenten van elkaar leren, terwijl de "
            "wethouders verschillende prioriteiten hebben? [gereconstrueerd]",
        ),
        Q(
            "Leervragen organisatieniveau",
            "B",
            "Hoe krijg ik zicht op de stand van zaken in elke gemeente, terwijl niet elke "
            "gemeente hetzelfde bijhoudt?",
        ),
    ],
    "08-gedeelde-stam.docx": [
        Q(
            "",
            "A",
            "Hoe kan ik als regisseur het plan van aanpak uitvoeren, terwijl ik geen "
            "doorzettingsmacht heb over de interventiepartners?",
            stem="Hoe kan ik als regisseur het plan van aanpak uitvoeren, terwijl\u2026..",
        ),
        Q(
            "",
            "B",
            "Hoe kan ik als regisseur het plan van aanpak uitvoeren, terwijl ieder partner "
            "alleen zijn eigen taartpunt oppakt? (taartpunt)",
            stem="Hoe kan ik als regisseur het plan van aanpak uitvoeren, terwijl\u2026..",
        ),
        Q(
            "",
            "C",
            "Hoe kan ik als regisseur het plan van aanpak uitvoeren, terwijl de wachttijd voor "
            "begeleid wonen langer is dan een half jaar?",
            stem="Hoe kan ik als regisseur het plan van aanpak uitvoeren, terwijl\u2026..",
        ),
        Q(
            "",
            "D",
            "Hoe kan ik als regisseur escaleren naar de stuurgroep, terwijl de escalatieladder "
            "niet bij alle partners bekend is?",
        ),
        Q(
            "Nazorg",
            "A",
            "Hoe kunnen we als netwerk de overgang naar nazorg regelen, terwijl de zorg na zes "
            "maanden stopt?",
            stem="Hoe kunnen we als netwerk de overgang naar nazorg regelen, terwijl\u2026",
        ),
        Q(
            "Nazorg",
            "B",
            "Hoe kunnen we als netwerk de overgang naar nazorg regelen, terwijl het gezin geen "
            "vast aanspreekpunt meer heeft?",
            stem="Hoe kunnen we als netwerk de overgang naar nazorg regelen, terwijl\u2026",
        ),
    ],
    "09-wijzigingen-en-opmerkingen.docx": [
        Q(
            "",
            "A",
            "Hoe kan ik als ICR de casusregie vasthouden, terwijl de jeugdbeschermer een ander "
            "veiligheidsdoel stelt?",
        ),
        Q(
            "",
            "B",
            "Hoe kan ik als ICR tijdig opschalen naar het Veiligheidshuis, terwijl de "
            "zorgaanbieder de toestemming van ouders nodig heeft?",
        ),
        Q(
            "",
            "C",
            "Hoe kunnen we als ICR’s ons werk zichtbaar maken, terwijl de gemeente vooral naar "
            "aantallen casussen kijkt?",
        ),
        Q(
            "",
            "D",
            "Hoe kan ik als ICR de gezinsleden zelf laten vertellen wat er speelt, terwijl het "
            "gesprek altijd via de tolk loopt?",
        ),
    ],
    "11-nederlandse-word-stijlen.docx": [
        Q(
            "Leervragen zorg en veiligheid",
            "1",
            "Hoe komen we tot een gedeeld beeld van procesregie, terwijl elke gemeente een "
            "eigen invulling geeft aan de rol van regisseur?",
        ),
        Q(
            "Leervragen zorg en veiligheid",
            "2",
            "Hoe zorgen we ervoor dat gezinnen niet zelf de regie hoeven te voeren, terwijl "
            "de hulpverlening over drie domeinen is verdeeld?",
        ),
        Q(
            "Leervragen zorg en veiligheid",
            "3",
            "Hoe komen we tot één aanspreekpunt voor het gezin, terwijl de zorgaanbieders "
            "hun eigen casusregie willen houden?",
        ),
        # A style based on "List Number" continues the same list: Word shows 4. and 5.
        Q(
            "Leervragen Taskforce",
            "4",
            "Hoe kunnen we als Taskforce besluiten nemen over de aanpak, terwijl de mandaten "
            "bij de acht gemeenten liggen?",
        ),
        Q(
            "Leervragen Taskforce",
            "5",
            "Hoe houden we zicht op de voortgang in de gemeenten, terwijl er geen "
            "gezamenlijke monitor is?",
        ),
    ],
    "12-genummerde-koppen-doorlopend.docx": [
        Q(
            "Casusniveau",
            "1",
            "Hoe kan ik als professional de veiligheid van de kinderen bespreken, terwijl "
            "ouders het gesprek afhouden?",
        ),
        Q(
            "Casusniveau",
            "2",
            "Hoe kan ik een veiligheidsplan opstellen met het gezin, terwijl de situatie "
            "elke week verandert?",
        ),
        Q(
            "Casusniveau",
            "3",
            "Hoe kan ik de jeugdarts betrekken, terwijl zij niet aan het casusoverleg deelneemt?",
        ),
        # The list continues after the heading: Word shows 4) and 5).
        Q(
            "Organisatieniveau",
            "4",
            "Hoe kunnen we als lokaal team ruimte maken voor intensieve casussen, terwijl de "
            "instroom van nieuwe aanmeldingen blijft stijgen?",
        ),
        Q(
            "Organisatieniveau",
            "5",
            "Hoe kunnen we de samenwerking met Veilig Thuis vastleggen, terwijl de afspraken "
            "uit 2019 niet meer kloppen?",
        ),
        Q(
            "Bestuurlijk niveau",
            "I",
            "Hoe kan ik als bestuurder een goede verbinding leggen met de uitvoering, "
            "terwijl ik weinig zicht heb op wat er in de wijk gebeurt?",
        ),
        Q(
            "Bestuurlijk niveau",
            "II",
            "Hoe kunnen we als gemeenten samen investeren in de aanpak, terwijl de budgetten "
            "per gemeente jaarlijks worden vastgesteld?",
        ),
    ],
    "13-memo-met-kopregels.docx": [
        Q(
            "Leervragen ten aanzien van ambitie",
            "1",
            "Hoe komen we tot een gedeeld beeld van regie, terwijl partners er verschillende "
            "verwachtingen bij hebben?",
        ),
        Q(
            "Leervragen ten aanzien van ambitie",
            "2",
            "Hoe komen we tot een gezamenlijke risicotaxatie, terwijl ieder domein zijn eigen "
            "instrument gebruikt?",
        ),
        Q(
            "Leervragen ten aanzien van ambitie",
            "3",
            "Hoe zorgen we voor één plan voor het gezin, terwijl de schotten tussen jeugd, "
            "Wmo en veiligheid blijven bestaan?",
        ),
        Q(
            "Leervragen ten aanzien van ambitie",
            "4",
            "Hoe komen we tot een overleg waarin zorg en veiligheid aan één tafel zitten, "
            "terwijl beide een eigen overlegstructuur hebben?",
        ),
        Q(
            "Leervragen ten aanzien van vervolgstappen",
            "1",
            "Hoe komen we tot een werkplan voor 2021, terwijl de financiering na dit jaar "
            "nog onzeker is?",
        ),
        Q(
            "Leervragen ten aanzien van vervolgstappen",
            "2",
            "Hoe kunnen we de ervaringen van gezinnen meenemen, terwijl we hen nu alleen via "
            "hulpverleners spreken?",
        ),
    ],
    "14-tabel-met-deelvragen-in-cel.docx": [
        # Two paragraphs in one cell (Enter before "terwijl") are one question.
        Q(
            "",
            "A",
            "Hoe kan ik als ICR informatie uit het strafdossier gebruiken, terwijl het OM "
            "die informatie niet met de gemeente mag delen?",
            (
                "Welke informatie mag de reclassering wel delen?",
                "Wie vraagt toestemming aan het gezin?",
            ),
        ),
        Q(
            "",
            "B",
            "Hoe kan ik als ICR opschalen naar het Zorg- en Veiligheidshuis, terwijl de "
            "casus volgens de criteria nog niet complex genoeg is?",
        ),
        Q(
            "",
            "C",
            "Hoe kan ik als ICR de casus afsluiten, terwijl ik weet dat het gezin zonder "
            "steun terugvalt?",
            ("Wat is een goede termijn voor nazorg?",),
        ),
    ],
    "15-nummering-randgevallen.docx": [
        # The list starts at 6 (w:start); the note with numbering switched off is no question.
        Q(
            "",
            "6",
            "Hoe kan ik als ICR de veiligheid blijven volgen, terwijl het gezin na de verhuizing "
            "onder een ander lokaal team valt?",
            ("Wie draagt de casus over?", "Wanneer sluit ik als ICR af?"),
        ),
        Q(
            "",
            "7",
            "Hoe kan ik als ICR met de jeugdbeschermer samenwerken, terwijl we allebei de regie "
            "willen houden?",
        ),
        Q(
            "",
            "8",
            "Hoe kunnen we als ICR’s de methode MultiFocus blijven toepassen, terwijl er geen "
            "tijd is voor intervisie?",
            ("Wie organiseert de intervisie?",),
        ),
    ],
    "17-geplakt-uit-pdf.docx": [
        Q(
            "",
            "A",
            "Hoe kan ik als professional de veiligheidsafspraken controleren, terwijl ik het "
            "gezin maar eens per maand zie?",
        ),
        Q(
            "",
            "B",
            "Hoe kunnen we als professionals samenwerken met het Zorg- en Veiligheidshuis, "
            "terwijl de aanmeldprocedure per regio verschilt?",
        ),
        Q(
            "",
            "C",
            "Hoe kan ik als professional signalen van kindermishandeling bespreken met "
            "collega’s, terwijl de privacyregels in mijn organisatie streng zijn?",
        ),
    ],
    "16-geplakt-uit-mail.docx": [
        Q(
            "",
            "1",
            "Hoe kan ik als bestuurder de aanpak verankeren in het beleid, terwijl de "
            "coalitie volgend jaar wisselt?",
            (
                "Welke besluiten moeten voor de verkiezingen genomen zijn?",
                "Wie bewaakt de afspraken na de wisseling?",
            ),
        ),
        Q(
            "",
            "2",
            "Hoe kunnen we als bestuurders zicht houden op de resultaten, terwijl de "
            "uitvoering over acht gemeenten is verspreid?",
        ),
        # The reviewer's comment on this question is not part of it.
        Q(
            "",
            "3",
            "Hoe kan ik als bestuurder ruimte geven aan professionals om af te wijken, "
            "terwijl ik verantwoording moet afleggen aan de raad?",
        ),
    ],
    "18-verslag-werksessie.docx": [
        # Only the questions: the numbered meeting agenda and the numbered actions are no
        # questions. Question 2 goes on in an unnumbered paragraph (Enter inside it).
        Q(
            "Nieuwe leervragen",
            "1",
            "Hoe kan ik als ICR de overdracht van Veilig Thuis versnellen, terwijl de eerste "
            "contacten altijd via de teamleider lopen?",
        ),
        Q(
            "Nieuwe leervragen",
            "2",
            "Hoe kan ik als ICR de school van de kinderen betrekken bij het plan, terwijl de "
            "school pas na toestemming van beide ouders informatie deelt?",
        ),
        Q(
            "Nieuwe leervragen",
            "3",
            "Hoe kunnen we als ICR’s onze ervaringen vastleggen, terwijl er geen format voor is "
            "afgesproken?",
        ),
        Q(
            "Nieuwe leervragen",
            "4",
            "Hoe kan ik als ICR het netwerk van het gezin betrekken, terwijl ouders dat netwerk "
            "afschermen?",
        ),
    ],
    "19-overzicht-per-ambitie.docx": [
        # Level 0 of the list holds the ambitions (no questions): they are the group titles,
        # the lettered level 1 items are the questions, level 2 their sub-questions.
        Q(
            "Ambitie: één gezin, één plan, één regisseur",
            "a",
            "Hoe komen we tot één regisseur per gezin, terwijl elke organisatie een eigen "
            "casusregisseur aanwijst?",
            ("Wie wijst de regisseur aan?",),
        ),
        Q(
            "Ambitie: één gezin, één plan, één regisseur",
            "b",
            "Hoe houden we het plan van het gezin actueel, terwijl partners hun deel in hun "
            "eigen systeem bijwerken?",
        ),
        # The footnote reference is no part of the text.
        Q(
            "Ambitie: zorg en veiligheid verbonden",
            "a",
            "Hoe kunnen we de MDA++-aanpak in alle gemeenten gebruiken, terwijl niet elke "
            "gemeente de capaciteit heeft?",
        ),
    ],
}

# Metadata per file; a key left out is not checked for that file.
METADATA: dict[str, dict] = {
    "01-stijl-lijstnummering.docx": {
        "title": "Dynamische Leeragenda ICR Rotterdam-Rijnmond",
        "version_label": "2",
        "document_date": date(2020, 9, 14),
    },
    "02-directe-nummering-letters.docx": {
        "title": "Leeragenda managers lokale teams Nissewaard",
        "version_label": "",
        "document_date": date(2020, 11, 3),
        "context_line": "Naar aanleiding van de bijeenkomst met teamleiders op 27 oktober 2020",
        "session_date": date(2020, 10, 27),
    },
    "03-romeins-en-herstart.docx": {
        "title": "Dynamische Leeragenda werksessie zorg en veiligheid",
        "version_label": "4",
        "document_date": date(2021, 6, 9),
    },
    "04-tabel-nummerkolom.docx": {
        "title": "Leeragenda ICR’s Rotterdam-Rijnmond – overzicht per gemeente",
        "document_date": date(2021, 1, 18),
    },
    "05-tabellen-varianten.docx": {
        "title": "Dynamische Leeragenda professionals Gooi en Vechtstreek",
        "document_date": date(2021, 12, 2),
    },
    "06-kop-met-versie-en-datum.docx": {
        # The heading is the only place with the date; it names no version number.
        "version_label": "",
        "document_date": date(2024, 3, 12),
        "context_line": "Naar aanleiding van de werksessie op 5 maart 2024",
        "session_date": date(2024, 3, 5),
    },
    "06b-kop-versie-nummer.docx": {
        "title": "Leeragenda managers en teamleiders",
        "version_label": "3",
        "document_date": date(2024, 3, 12),
    },
    "07-getypte-labels.docx": {
        "title": "Dynamische Leeragenda projectleider – regionale aanpak",
        "document_date": date(2020, 7, 10),
    },
    "08-gedeelde-stam.docx": {
        "title": "Dynamische Leeragenda regisseurs – persoonsgerichte aanpak",
        "version_label": "2",
        "document_date": date(2023, 9, 21),
    },
    "09-wijzigingen-en-opmerkingen.docx": {
        "title": "Dynamische Leeragenda ICR’s – in praktijk",
        "document_date": date(2021, 10, 7),  # the cached result of a CREATEDATE field
    },
    "11-nederlandse-word-stijlen.docx": {
        "title": "Dynamische Leeragenda uitvoerders Gooi en Vechtstreek",
        "document_date": date(2021, 6, 9),
    },
    "12-genummerde-koppen-doorlopend.docx": {
        "title": "Dynamische Leeragenda Goeree-Overflakkee – lokale teams",
        "version_label": "1",
        "document_date": date(2021, 2, 1),
        "themes": ["Informatiedeling", "Doorzettingsmacht"],
    },
    "13-memo-met-kopregels.docx": {
        "recipient": "Taskforce huiselijk geweld en kindermishandeling",
        "sender": "projectleider regionale aanpak",
        "document_date": date(2020, 12, 4),
        "distribution": "beperkt",
        "reference": "20.0104417",
    },
    "14-tabel-met-deelvragen-in-cel.docx": {
        "title": "Dynamische Leeragenda ICR’s in opleiding",
        "document_date": date(2021, 3, 15),
        "context_line": "Naar aanleiding van de terugkomdag op 8 maart 2021",
        "session_date": date(2021, 3, 8),
    },
    "15-nummering-randgevallen.docx": {
        "title": "Leeragenda ICR’s Maassluis – vervolg",
        "document_date": date(2021, 6, 30),
    },
    "17-geplakt-uit-pdf.docx": {
        "title": "Dynamische Leeragenda professionals in praktijk",
        "document_date": date(2021, 11, 11),
    },
    "16-geplakt-uit-mail.docx": {
        "title": "Concept leeragenda bestuurders",
        "document_date": date(2021, 4, 22),
    },
    "18-verslag-werksessie.docx": {
        "title": "Verslag werksessie ICR’s Rotterdam-Rijnmond",
        "document_date": date(2021, 9, 23),
        "context_line": "Naar aanleiding van de werksessie op 23 september 2021",
        "session_date": date(2021, 9, 23),
    },
    "19-overzicht-per-ambitie.docx": {
        "title": "Leeragenda Gooi en Vechtstreek – per ambitie",
        "document_date": date(2022, 2, 17),
    },
}

# Files whose every paragraph is accounted for: nothing may be reported as left out.
CLEAN = [
    "01-stijl-lijstnummering.docx",
    "02-directe-nummering-letters.docx",
    "03-romeins-en-herstart.docx",
    "04-tabel-nummerkolom.docx",
    "05-tabellen-varianten.docx",
    "07-getypte-labels.docx",
    "08-gedeelde-stam.docx",
    "11-nederlandse-word-stijlen.docx",
    "13-memo-met-kopregels.docx",
    "17-geplakt-uit-pdf.docx",
    "19-overzicht-per-ambitie.docx",
]


# --- Questions and metadata -------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_questions_are_read_as_word_shows_them(name):
    doc = read_docx(name)
    assert questions(doc) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(METADATA))
def test_metadata(name):
    doc = read_docx(name)
    found = {key: getattr(doc, key) for key in METADATA[name]}
    assert found == METADATA[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_groups_are_the_headings_above_questions(name):
    doc = read_docx(name)
    expected_groups = list(dict.fromkeys(q.group for q in EXPECTED[name]))
    assert doc.groups == expected_groups


@pytest.mark.parametrize("name", CLEAN)
def test_nothing_is_left_out(name):
    assert skipped(read_docx(name)) == []


def test_style_numbering_counts_like_word():
    """Eight "List Number" paragraphs without any w:numPr of their own: eight questions."""
    doc = read_docx("01-stijl-lijstnummering.docx")
    assert [q.label for q in doc.questions] == [str(n) for n in range(1, 9)]


def test_sub_questions_belong_to_the_question_above():
    doc = read_docx("02-directe-nummering-letters.docx")
    assert [len(q.subquestions) for q in doc.questions] == [0, 2, 0, 3, 0]
    assert not any(q.text.startswith(("a.", "a)", "b.", "b)")) for q in doc.questions)


def test_restart_override_starts_the_second_group_at_one():
    doc = read_docx("03-romeins-en-herstart.docx")
    labels = [(doc.groups[q.group].split()[-1], q.label) for q in doc.questions]
    assert labels == [
        ("ambitie", "1"),
        ("ambitie", "2"),
        ("ambitie", "3"),
        ("vervolgstappen", "1"),
        ("vervolgstappen", "2"),
    ]


def test_table_columns_are_never_glued_into_the_question():
    doc = read_docx("04-tabel-nummerkolom.docx")
    for question in doc.questions:
        assert question.parsed.barrier.endswith(
            ("terugbelt", "stoppen", "gemeenten", "hebben", "meedoen")
        )
        for other in ("Wethouder", "Teamleider Nissewaard", "ICR Maassluis", "loopt", "nieuw"):
            assert other not in question.full_text
    assert doc.questions[1].parsed.barrier == "de GHNT-middelen na 2021 stoppen"


def test_table_extra_columns_are_kept_beside_the_question():
    doc = read_docx("04-tabel-nummerkolom.docx")
    assert [extra_columns(q) for q in doc.questions] == [
        {"Eigenaar": "ICR Rotterdam-Zuid", "Status": "loopt"},
        {"Eigenaar": "Wethouder Rotterdam", "Status": "besproken in Taskforce"},
        {"Eigenaar": "ICR Maassluis", "Status": "nieuw"},
        {"Eigenaar": "Teamleider Nissewaard", "Status": "loopt"},
        {"Eigenaar": "ICR Goeree-Overflakkee", "Status": "afgerond?"},
    ]


def test_header_row_and_merged_cells():
    """The header row names the extra columns; a vertically merged cell holds for both rows."""
    doc = read_docx("05-tabellen-varianten.docx")
    network = [q for q in doc.questions if doc.groups[q.group] == "Leervragen netwerkniveau"]
    assert [extra_columns(q) for q in network] == [
        {"Thema": "Opschaling", "Sinds": "2020"},
        {"Thema": "Opschaling", "Sinds": "2021"},
        {"Thema": "Informatiedeling", "Sinds": "2021"},
    ]
    case_level = [q for q in doc.questions if doc.groups[q.group] == "Casusniveau"]
    assert [extra_columns(q) for q in case_level] == [{}, {}, {}]


def test_attendance_and_distribution_lists_are_not_groups_or_questions():
    for name in ("06-kop-met-versie-en-datum.docx", "06b-kop-versie-nummer.docx"):
        doc = read_docx(name)
        assert doc.groups == [""], name
        for attendee in ("ICR Nissewaard", "Maassluis", "onderzoeker", "deelnemers werksessie"):
            assert attendee not in doc.title
            assert all(attendee not in q.full_text for q in doc.questions), (name, attendee)
        assert "Aanwezig" not in doc.title and "Afwezig" not in doc.title


def test_annotation_and_tag_after_the_question_mark():
    doc = read_docx("07-getypte-labels.docx")
    by_key = {(doc.groups[q.group].split()[-1], q.label): q for q in doc.questions}
    c = by_key[("casusniveau", "C")].parsed
    assert (c.barrier, c.annotation) == (
        "de agenda’s van alle betrokkenen vol zitten",
        "capaciteit",
    )
    a = by_key[("organisatieniveau", "A")].parsed
    assert (a.barrier, a.tag) == (
        "de wethouders verschillende prioriteiten hebben",
        "gereconstrueerd",
    )


def test_shared_stem_keeps_the_printed_completion():
    doc = read_docx("08-gedeelde-stam.docx")
    assert doc.questions[0].text == "… ik geen doorzettingsmacht heb over de interventiepartners?"
    assert doc.questions[1].parsed.annotation == "taartpunt"
    assert doc.questions[3].shared_stem == ""


def test_tracked_changes_show_the_text_as_accepted():
    doc = read_docx("09-wijzigingen-en-opmerkingen.docx")
    text = " ".join(q.full_text for q in doc.questions)
    for deleted in ("snel", "denkt te hebben", "weinig tijd", "wel "):
        assert deleted not in text
    # The bulleted remarks under the questions are not questions.
    assert len(doc.questions) == 4


def test_question_column_found_by_content_and_notes_row_skipped():
    """Theme, number, question and owner columns; a full-width note row is no question."""
    doc = read_docx("14-tabel-met-deelvragen-in-cel.docx")
    assert [extra_columns(q) for q in doc.questions] == [
        {"Thema": "Informatiedeling", "Wie": "ICR’s"},
        {"Thema": "Opschaling", "Wie": "ICR’s en teamleiders"},
        {"Thema": "Nazorg", "Wie": "ICR’s"},
    ]
    assert all("Opmerking" not in q.full_text for q in doc.questions)


def test_numbered_headings_are_groups_not_questions():
    """Headings numbered "1", "2.1" by an outline list linked to Heading 1 and 2."""
    doc = read_docx("12-genummerde-koppen-doorlopend.docx")
    assert doc.groups == ["Casusniveau", "Organisatieniveau", "Bestuurlijk niveau"]
    assert all(not q.full_text.startswith(("Inleiding", "Leervragen")) for q in doc.questions)


def test_memo_header_table_is_metadata():
    doc = read_docx("13-memo-met-kopregels.docx")
    assert all(
        word not in " ".join([*doc.groups, *(q.full_text for q in doc.questions)])
        for word in ("Aan", "Kenmerk", "Verspreiden", "20.0104417")
    )


def test_comments_are_not_part_of_the_question():
    doc = read_docx("16-geplakt-uit-mail.docx")
    assert all("actueel" not in q.full_text for q in doc.questions)
    assert all("actueel" not in sub for q in doc.questions for sub in q.subquestions)


def test_session_report_lists_are_no_questions():
    """A werksessie report: numbered meeting agenda and actions, an attendance table and a
    page header around the numbered questions."""
    doc = read_docx("18-verslag-werksessie.docx")
    everything = " ".join(
        [doc.title, *doc.groups, *(q.full_text for q in doc.questions)]
        + [sub for q in doc.questions for sub in q.subquestions]
    )
    for other in ("Opening", "Terugblik", "verslag voor 1 oktober", "Goeree", "Concept"):
        assert other not in everything


# --- Files that must be refused ---------------------------------------------------------------


def refusal(name: str) -> str:
    with pytest.raises(importing.DocumentError) as caught:
        read_docx(name)
    return caught.value.message


def assert_plain_dutch(message: str) -> None:
    """A refusal a user understands: no part names, no zip or XML talk."""
    lowered = message.lower()
    for technical in ("xml", "zip", "document.xml", "error", "exception", "ontbreekt)"):
        assert technical not in lowered, message
    assert message.rstrip().endswith("."), message


def test_an_empty_word_file_is_refused_as_empty():
    message = refusal("10-leeg.docx")
    assert_plain_dutch(message)
    assert "Word-bestand" in message and ("leeg" in message or "geen tekst" in message)
    assert "tekstvak" not in message  # the user uploaded a file; they pasted nothing


def test_a_renamed_excel_file_is_refused_as_excel():
    message = refusal("10-excel-hernoemd.docx")
    assert_plain_dutch(message)
    assert "geen Word-bestand" in message and "Excel" in message


def test_a_truncated_word_file_is_refused_as_damaged():
    message = refusal("10-afgebroken.docx")
    assert_plain_dutch(message)
    assert "beschadigd" in message


def test_a_password_protected_file_is_refused_with_the_reason():
    """Word saves a password-protected document as an encrypted compound file, not a zip;
    an old .doc file looks the same from outside."""
    message = refusal("10-met-wachtwoord.docx")
    assert_plain_dutch(message)
    assert "wachtwoord" in message or re.search(r"\.doc\b", message)


# --- Through the upload form ------------------------------------------------------------------


@pytest.fixture
def region_id(app, client):
    with app.app_context():
        region = make_region("Rijnmond")
        user = make_user("pl@rijnmond.test", region=region, role="projectleider")
        db.session.commit()
        log_in(client, user)
        return region.id


def upload(client, region_id: int, name: str):
    with (DOCX / name).open("rb") as handle:
        return client.post(
            f"/regios/{region_id}/importeren",
            data={"bestand": (handle, name), "titel": "ICR", "niveau": "operationeel"},
            content_type="multipart/form-data",
        )


def preview_fields(page: str, field: str) -> list[str]:
    """The values of the preview's textareas named q-<n>-<field>, in order."""
    found = re.findall(
        rf'<textarea [^>]*name="q-(\d+)-{field}"[^>]*>(.*?)</textarea>', page, flags=re.S
    )
    return [html.unescape(value) for _, value in sorted(found, key=lambda f: int(f[0]))]


def test_upload_style_numbered_file_previews_eight_questions(client, region_id):
    response = upload(client, region_id, "01-stijl-lijstnummering.docx")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "8 vragen in 1 groep" in page
    assert preview_fields(page, "tekst") == [
        q.text for q in EXPECTED["01-stijl-lijstnummering.docx"]
    ]


def test_upload_table_file_shows_extra_columns_apart(client, region_id):
    response = upload(client, region_id, "04-tabel-nummerkolom.docx")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    texts = preview_fields(page, "tekst")
    assert texts == [q.text for q in EXPECTED["04-tabel-nummerkolom.docx"]]
    # The other columns are on the page as information, outside the question fields.
    assert "Wethouder Rotterdam" in page and "besproken in Taskforce" in page


def test_upload_sub_questions_and_groups(client, region_id):
    response = upload(client, region_id, "03-romeins-en-herstart.docx")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "5 vragen in 2 groepen" in page
    subs = preview_fields(page, "deelvragen")
    assert subs == ["\n".join(q.subs) for q in EXPECTED["03-romeins-en-herstart.docx"]]


def test_upload_of_a_renamed_excel_file_is_refused(client, region_id):
    response = upload(client, region_id, "10-excel-hernoemd.docx")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "geen Word-bestand" in page and "document.xml" not in page


# --- The corpus itself ------------------------------------------------------------------------


def test_every_corpus_file_has_expectations():
    refused = {"10-leeg.docx", "10-excel-hernoemd.docx", "10-afgebroken.docx"}
    refused.add("10-met-wachtwoord.docx")
    assert {path.name for path in DOCX.glob("*.docx")} == set(EXPECTED) | refused


def test_committed_files_match_the_generator(tmp_path):
    """The XML Word reads (document, numbering, styles) is what make_corpus.py writes."""
    spec = importlib.util.spec_from_file_location("make_corpus", DOCX / "make_corpus.py")
    make_corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_corpus)
    built = make_corpus.build(tmp_path)
    assert [path.name for path in built] == sorted(path.name for path in DOCX.glob("*.docx"))
    parts = ("word/document.xml", "word/numbering.xml", "word/styles.xml", "word/comments.xml")
    for path in built:
        committed = DOCX / path.name
        if not zipfile.is_zipfile(committed) or path.name == "10-excel-hernoemd.docx":
            continue
        with zipfile.ZipFile(path) as new, zipfile.ZipFile(committed) as old:
            for part in parts:
                if part in old.namelist():
                    assert new.read(part) == old.read(part), (path.name, part)
