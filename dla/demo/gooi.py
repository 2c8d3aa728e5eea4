"""Gooi en Vecht (demo): an uitvoering and a projectleider agenda, a planned werksessie, and
its system analysis."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from dla.agendas import questions
from dla.agendas import services as agendas
from dla.demo.common import GOOI, Builder, fill_matrix, thread_with
from dla.extensions import db
from dla.regions import services as regions
from dla.regions.models import Region
from dla.werksessies import planning


def build() -> None:
    region = regions.create_region(
        GOOI,
        description="Voorbeeldregio met een taskforce van bestuurders en een regionaal "
        "actieprogramma. Alle vragen zijn verzonnen voor de demo.",
        municipalities="Heidestad\nMeerdorp\nVechtoever",
    )
    uitvoering = agendas.create_agenda(
        region,
        level="operationeel",
        audience="Uitvoerders zorg en veiligheid",
        title="Leeragenda uitvoerders – verbinding zorg en veiligheid",
    )
    leader = agendas.create_agenda(
        region,
        level="netwerk",
        audience="Projectleider",
        title="Leeragenda regionaal projectleider",
    )
    u = Builder(uitvoering).first(
        date(2025, 2, 18),
        [
            (
                "Hoe komen we tot een gedeelde definitie van stabiele veiligheid, terwijl "
                "iedere organisatie een eigen risicotaxatie gebruikt?",
                {"group": 0},
            ),
            (
                "Hoe zorgen we voor één aanspreekpunt voor het gezin, terwijl de domeinen Jeugd, "
                "Wmo en Veiligheid ieder een eigen regisseur hebben?",
                {"group": 0},
            ),
            (
                "Hoe kunnen we van elkaars aanpak leren, terwijl de gemeenten heel verschillend "
                "zijn georganiseerd?",
                {"group": 1},
            ),
        ],
        label="1",
        origin="werksessie",
        context_line="Naar aanleiding van de werksessie op 11 februari 2025",
        distribution="beperkt",
        groups=[
            "Leervragen ten aanzien van de ambitie",
            "Leervragen ten aanzien van vervolgstappen",
        ],
    )
    u.version.groups[1].label_style = "number"
    questions.update_group(
        u.version.groups[1], title=u.version.groups[1].title, label_style="number"
    )
    u.publish()
    u.next(date(2025, 5, 13), origin="gezamenlijk")
    u.keep("A")
    u.decide(
        "B",
        "geherformuleerd",
        text="Hoe zorgen we voor één procesregisseur voor het gezin, terwijl de domeinen Jeugd, "
        "Wmo en Veiligheid ieder een eigen regisseur en plan hebben?",
    )
    u.decide("1", "verplaatst", target_agenda=leader, note="Past beter bij de projectleider.")
    u.publish()
    u.next(date(2025, 9, 30))
    u.keep("A", "B")
    u.publish()
    pl = Builder(leader)
    pl.version = agendas.concept_version(leader)
    pl.version.document_date = date(2025, 7, 1)
    pl.add(
        "Hoe richt ik een leerstructuur in voor de gemeenten, terwijl alle betrokkenen een volle "
        "agenda hebben?"
    )
    pl.publish()
    planning.plan_session(
        region,
        agenda_ids=[uitvoering.id],
        kind="werksessie",
        title="Werksessie zorg en veiligheid: najaar",
        session_date=date(2026, 12, 8),
        notes="Uitnodigen: lokale teams, Veilig Thuis, politie, Zorg- en Veiligheidshuis en "
        "twee ervaringsdeskundigen. Vooraf de vorige versie rondsturen.",
        allow_anonymous=True,
        max_participants=40,
    )


def build_analysis() -> None:
    from dla.analysis import services as analysis

    region = db.session.scalar(select(Region).where(Region.name == GOOI))
    items = fill_matrix(
        region,
        [
            (
                "verschillen",
                "Organisatiestructuur en schaal",
                "Gemeente",
                "barriere",
                "De gemeenten zijn heel verschillend georganiseerd; van elkaar leren gaat niet "
                "vanzelf.",
                "werksessie",
                "actief",
                date(2025, 2, 11),
            ),
            (
                "schotten",
                "Interactie en samenwerking",
                "Gemeente",
                "barriere",
                "De domeinen Jeugd, Wmo en Veiligheid hebben ieder een eigen regisseur en plan.",
                "werksessie",
                "actief",
                date(2025, 2, 11),
            ),
            (
                "taxatie",
                "Kennis en expertise",
                "Veilig Thuis",
                "barriere",
                "Iedere organisatie gebruikt een eigen risicotaxatie.",
                "interview",
                "actief",
                date(2025, 2, 11),
            ),
            (
                "doorbraak",
                "Mandaat en besluitvorming",
                "Gemeente",
                "kans",
                "Een doorbraaktafel in één gemeente lost vastgelopen situaties snel op.",
                "observatie",
                "actief",
                date(2025, 5, 13),
            ),
        ],
    )
    for fragment, key in (
        ("elkaars aanpak leren", "verschillen"),
        ("leerstructuur", "verschillen"),
        ("eigen regisseur", "schotten"),
        ("risicotaxatie", "taxatie"),
    ):
        analysis.link_thread(thread_with(region, fragment), items[key])
    structure = analysis.create_milestone(
        region, title="Leerstructuur voor gemeenten", term="half september", status="bezig"
    )
    for text in ("Inzicht in de leervragen", "De juiste actoren, afhankelijk van de leervragen"):
        analysis.add_precondition(structure, text=text)
    analysis.add_action(
        structure,
        text="Reflectiesessie met de projectleider",
        owner="Onderzoeker",
        term="juli 2025",
        status="klaar",
    )
    analysis.add_action(
        structure,
        text="Uitwisselstructuren bestuderen en advies geven",
        owner="Onderzoeker",
        term="half september",
        status="bezig",
    )
    analysis.link_milestone(structure, item=items["verschillen"])
    analysis.link_milestone(structure, thread=thread_with(region, "leerstructuur"))
    analysis.record_decision(
        region,
        item=items["verschillen"],
        decided_on=date(2025, 9, 30),
        kind="verzoek",
        text="De taskforce vraagt de projectleider om een leernetwerk van de drie gemeenten op "
        "te zetten.",
        follow_up="Eerste bijeenkomst voor het eind van het jaar.",
        status="in_uitvoering",
    )
