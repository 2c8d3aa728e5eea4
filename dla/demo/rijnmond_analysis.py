"""Rijnmond (demo): its system-analysis matrix, links, milestones and taskforce decisions, and
its indicators with a year of (fictional, aggregated) observations."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from dla.demo.common import RIJNMOND, fill_matrix, thread_with
from dla.extensions import db
from dla.regions.models import Region


def build_analysis() -> None:
    from dla.analysis import services as analysis

    region = db.session.scalar(select(Region).where(Region.name == RIJNMOND))
    items = fill_matrix(
        region,
        [
            (
                "mandaat",
                "Mandaat en besluitvorming",
                "Wijkteams / lokaal veld",
                "barriere",
                "De ICR heeft geen doorzettingsmacht over de organisaties die bij het gezin "
                "betrokken zijn.",
                "werksessie",
                "actief",
                date(2025, 1, 9),
            ),
            (
                "privacy",
                "Informatie en privacy (AVG)",
                "Veilig Thuis",
                "barriere",
                "Onduidelijk wat de privacyregels toestaan bij informatie delen met Veilig Thuis "
                "en de politie.",
                "interview",
                "actief",
                date(2025, 1, 9),
            ),
            (
                "plannen",
                "Interactie en samenwerking",
                "Zorgaanbieders",
                "barriere",
                "Ieder domein heeft een eigen plan en overleg; partners pakken alleen hun eigen "
                "taartpunt op.",
                "werksessie",
                "actief",
                date(2025, 3, 20),
            ),
            (
                "opschaling",
                "Beleid en sturing",
                "Zorg- en Veiligheidshuis",
                "barriere",
                "De criteria voor opschaling naar het Zorg- en Veiligheidshuis worden verschillend "
                "uitgelegd.",
                "observatie",
                "actief",
                date(2025, 1, 9),
            ),
            (
                "caseload",
                "Capaciteit en middelen",
                "Wijkteams / lokaal veld",
                "barriere",
                "Zware caseload en veel verloop in de lokale teams.",
                "werksessie",
                "afgenomen",
                date(2025, 1, 9),
            ),
            (
                "financiering",
                "Financiering",
                "Rijksoverheid",
                "barriere",
                "De ICR-functie wordt betaald uit tijdelijk pilotgeld.",
                "document",
                "actief",
                date(2025, 2, 4),
            ),
            (
                "escalatie",
                "Mandaat en besluitvorming",
                "Gemeente",
                "barriere",
                "Er is geen regionale escalatieladder; de escalatieroute verschilt per gemeente.",
                "werksessie",
                "actief",
                date(2025, 4, 1),
            ),
            (
                "multifocus",
                "Kennis en expertise",
                "Wijkteams / lokaal veld",
                "kans",
                "De MultiFocus-training geeft ICR's een gedeelde taal over structurele "
                "onveiligheid.",
                "interview",
                "actief",
                date(2025, 3, 20),
            ),
            (
                "korte_lijnen",
                "Cultuur en eigenaarschap",
                "Gemeente",
                "kans",
                "In de kleine gemeenten zijn de lijnen tussen wijkteam en gemeente kort.",
                "observatie",
                "actief",
                date(2025, 6, 5),
            ),
        ],
    )
    links = [
        ("doorzettingsmacht", "mandaat", "Het ‘terwijl’-deel noemt het ontbrekende mandaat."),
        ("privacyregels", "privacy", ""),
        ("taartpunt", "plannen", "Na de samenvoeging van twee vragen."),
        ("criteria voor opschaling", "opschaling", "Later naar de taskforce verplaatst."),
        ("caseload", "caseload", ""),
        ("verloop", "caseload", "Dezelfde barrière op de agenda van de managers."),
        ("tijdelijk geld", "financiering", ""),
        ("escalatieladder", "escalatie", ""),
    ]
    for fragment, key, note in links:
        analysis.link_thread(thread_with(region, fragment), items[key], note=note)

    bestuurders = analysis.create_milestone(
        region,
        title="Verbinding met bestuurders",
        description="Bestuurders kennen de barrières uit de praktijk en nemen een actieve rol.",
        term="voor de zomer van 2026",
        status="bezig",
    )
    for text in (
        "Zicht op de informatiebehoefte van bestuurders",
        "Urgentie en eigenaarschap bij bestuurders",
        "Ruimte om te handelen",
    ):
        analysis.add_precondition(bestuurders, text=text)
    analysis.add_action(
        bestuurders,
        text="Probleem en oplossing presenteren in de taskforce",
        owner="Projectleider",
        term="juni 2025",
        status="klaar",
    )
    analysis.add_action(
        bestuurders,
        text="Informatiebehoefte uitvragen en beantwoorden",
        owner="Onderzoeker",
        term="september 2026",
        status="bezig",
    )
    analysis.link_milestone(bestuurders, item=items["opschaling"])
    analysis.link_milestone(bestuurders, thread=thread_with(region, "alleen cijfers zie"))

    ladder = analysis.create_milestone(
        region,
        title="Eén regionale escalatieladder",
        term="eind 2026",
        status="gepland",
    )
    analysis.add_precondition(ladder, text="Afspraken tussen gemeenten over wie waarover beslist")
    analysis.add_action(
        ladder,
        text="Werkgroep met teamleiders en Veilig Thuis starten",
        owner="Teamleider Maasdam",
        term="februari 2026",
        status="open",
    )
    analysis.link_milestone(ladder, item=items["escalatie"])
    analysis.link_milestone(ladder, item=items["mandaat"])
    analysis.link_milestone(ladder, thread=thread_with(region, "escalatieladder"))

    mandate = analysis.record_decision(
        region,
        item=items["mandaat"],
        decided_on=date(2025, 6, 24),
        kind="besluit",
        text="De projectleider werkt met de gemeenten een mandaatregeling voor ICR's uit.",
        follow_up="Voorstel terug in de taskforce van november.",
        owner="Projectleider",
        due_on=date(2025, 11, 25),
        status="in_uitvoering",
    )
    # The follow-up history: each "Vervolg" is kept, the latest shows first in the digest.
    for day, text in (
        (
            date(2025, 11, 25),
            "Voorstel besproken; twee gemeenten willen eerst een juridisch advies.",
        ),
        (date(2026, 3, 10), "Juridisch advies binnen; de regeling gaat naar de colleges."),
    ):
        analysis.update_decision(
            mandate, lock_version=mandate.lock_version, follow_up=text, status="in_uitvoering"
        )
        mandate.follow_ups[-1].written_on = day
        db.session.flush()
    analysis.record_decision(
        region,
        item=items["opschaling"],
        decided_on=date(2025, 6, 24),
        kind="verzoek",
        text="Verzoek aan Veilig Thuis en het Zorg- en Veiligheidshuis: kom met één set "
        "opschalingscriteria.",
        owner="Veilig Thuis",
        due_on=date(2026, 3, 1),
        status="open",
    )
    analysis.record_decision(
        region,
        milestone=ladder,
        decided_on=date(2026, 1, 27),
        kind="besluit",
        text="De taskforce maakt tijd vrij voor een werkgroep escalatieladder.",
        owner="Voorzitter taskforce",
        due_on=date(2026, 6, 30),
        status="open",
    )


DEMO_SERIES = {
    "Gezinnen met één gezinsplan": [4, 5, 5, 7, 8, 8, 10, 11, 11, 13, 14, 15],
    "Doorlooptijd tot eerste gezamenlijk overleg": [21, 20, 22, 18, 17, 17, 15, 16, 14, 13, 13, 12],
    "Samenwerking ketenpartners (score ICR's)": [
        5.8,
        5.9,
        6.1,
        6.0,
        6.4,
        6.3,
        6.6,
        6.8,
        6.7,
        7.0,
        7.1,
        7.0,
    ],
}
DEMO_STORIES = [
    (
        date(2025, 3, 20),
        "In de werksessie vertelden drie ICR's dat Veilig Thuis nu eerder "
        "aanschuift bij het eerste overleg.",
    ),
    (
        date(2025, 6, 5),
        "Teamleiders merken dat ICR's minder vaak ‘overweldigd’ zijn sinds de "
        "afspraak over caseload.",
    ),
    (
        date(2025, 9, 11),
        "Ketenpartners noemen het gezamenlijke plan vaker ‘ons plan’ in plaats "
        "van ‘het plan van de ICR’.",
    ),
    (
        date(2026, 1, 15),
        "Bestuurders vragen om verhalen naast de cijfers; de taskforce wil elk "
        "kwartaal één casus (geanonimiseerd) horen.",
    ),
]


def build_measurements() -> None:
    """Indicators with a year of (fictional, aggregated) observations, linked to questions."""
    from dla.measurements import services as measurements

    region = db.session.scalar(select(Region).where(Region.name == RIJNMOND))
    plan = measurements.create_indicator(
        region,
        name="Gezinnen met één gezinsplan",
        description="Aantal gezinnen in de pilot met één gezamenlijk plan van alle betrokken "
        "partners. Een teken dat samenwerken in de praktijk lukt.",
        concerns="werkwijze",
        horizon="kort",
        audiences=["professionals", "managers"],
        kind="aantal",
        unit="gezinnen",
    )
    days = measurements.create_indicator(
        region,
        name="Doorlooptijd tot eerste gezamenlijk overleg",
        description="Mediaan aantal dagen tussen de melding en het eerste overleg met alle "
        "betrokken partners.",
        concerns="werkwijze",
        horizon="kort",
        audiences=["managers", "bestuurders"],
        kind="aantal",
        unit="dagen",
    )
    score = measurements.create_indicator(
        region,
        name="Samenwerking ketenpartners (score ICR's)",
        description="Gemiddelde score (1–10) die ICR's in de maandelijkse reflectie geven aan "
        "de samenwerking met ketenpartners.",
        concerns="werkwijze",
        horizon="kort",
        audiences=["professionals"],
        kind="schaal",
        unit="punten (1–10)",
        target=7,
    )
    stories = measurements.create_indicator(
        region,
        name="Merken gezinnen verschil?",
        description="Wat ICR's en gezinnen vertellen in reflectiesessies: doorbraken, stabiele "
        "veiligheid, wat gezinnen zelf merken. Alleen verhalen over groepen, nooit over één "
        "gezin.",
        concerns="gezinnen",
        horizon="lang",
        audiences=["gezinnen", "professionals", "bestuurders"],
        kind="kwalitatief",
    )
    measurements.create_indicator(
        region,
        name="Minder nieuwe meldingen in dezelfde gezinnen",
        description="Recidive: aandeel gezinnen met een nieuwe melding binnen een jaar. Pas na "
        "enkele jaren betekenisvol.",
        concerns="gezinnen",
        horizon="lang",
        audiences=["bestuurders"],
        kind="percentage",
        unit="%",
    )
    for indicator in (plan, days, score):
        # One value a month, February 2025 to January 2026.
        for offset, value in enumerate(DEMO_SERIES[indicator.name], start=1):
            measurements.add_observation(
                indicator,
                observed_on=date(2025 + offset // 12, offset % 12 + 1, 1),
                value=value,
                source="registratie pilot (voorbeeld)",
            )
    for day, text in DEMO_STORIES:
        measurements.add_observation(stories, observed_on=day, narrative=text, source="werksessie")
    for indicator, fragment, note in (
        (
            plan,
            "één gedeeld plan",
            "Meer gezinnen met één plan betekent dat partners samen werken.",
        ),
        (days, "op tijd opschalen", "Sneller overleg laat zien dat opschalen minder stroef gaat."),
        (score, "informatie delen", "ICR's geven elke maand een cijfer voor de samenwerking."),
        (stories, "stabiele veiligheid", ""),
    ):
        thread = thread_with(region, fragment)
        if thread is not None:
            measurements.link_thread(indicator, thread.id, note=note)
    from dla.analysis.models import BarrierItem

    for indicator, fragment, note in (
        (plan, "eigen plan en overleg", "Meer gedeelde plannen: deze barrière wordt kleiner."),
        (score, "privacyregels", "ICR's merken het als informatie delen makkelijker gaat."),
    ):
        item = db.session.scalar(
            select(BarrierItem).where(
                BarrierItem.region_id == region.id, BarrierItem.description.contains(fragment)
            )
        )
        if item is not None:
            measurements.link_item(indicator, item.id, note=note)
