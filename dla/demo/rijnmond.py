"""Rijnmond (demo): the ICR agenda with five published versions and a concept (questions
persist, are reworded, merged, split, moved to the taskforce agenda, answered, dropped and
brought back), the managers', taskforce and network agendas, and a closed werksessie."""

from __future__ import annotations

from datetime import date

from dla.agendas import questions, transitions
from dla.agendas import services as agendas
from dla.agendas.models import Agenda
from dla.demo.common import RIJNMOND, Builder
from dla.regions import services as regions
from dla.regions.models import Region
from dla.werksessies import participation, planning
from dla.werksessies import services as sessions


def build() -> None:
    region = regions.create_region(
        RIJNMOND,
        description="Voorbeeldregio met intensief casusregisseurs (ICR's) in de lokale teams. "
        "Alle vragen zijn verzonnen voor de demo.",
        municipalities="Maasdam\nNieuwerhaven\nWestervliet\nRivierstad",
    )
    icr = agendas.create_agenda(
        region,
        level="operationeel",
        audience="ICR's",
        title="Dynamische Leeragenda ICR's – regie bij structurele onveiligheid",
        ambition="Eén gezin, één plan, één regisseur: gezinnen hoeven niet zelf de regie te "
        "voeren.",
    )
    managers = agendas.create_agenda(
        region,
        level="tactisch",
        audience="Managers",
        title="Leeragenda managers en teamleiders lokale teams",
    )
    taskforce = agendas.create_agenda(
        region,
        level="strategisch",
        audience="Taskforce",
        title="Leeragenda bestuurders (geconstrueerd voorbeeld)",
        ambition="Bestuurders zien welke barrières blijven terugkomen en maken ruimte om ze weg "
        "te nemen.",
    )
    network = agendas.create_agenda(
        region,
        level="netwerk",
        audience="Ketenpartners",
        title="Netwerkagenda Zorg- en Veiligheidshuis",
    )

    # Taskforce agenda first, so that a question can later move to it.
    tf = Builder(taskforce).first(
        date(2025, 2, 4),
        [
            "Hoe kan ik als bestuurder een goede verbinding houden met de uitvoering, terwijl ik "
            "alleen cijfers zie en geen verhalen uit de praktijk?",
            "Hoe zorgen we voor structurele financiering van de ICR-functie, terwijl de pilot "
            "uit tijdelijk geld wordt betaald?",
        ],
        origin="gereconstrueerd",
        context_line="Gereconstrueerd uit gesprekken met bestuurders (voorbeeld)",
        distribution="beperkt",
    )
    tf.publish()

    b = Builder(icr).first(
        date(2025, 1, 14),
        [
            "Hoe kan ik als ICR regie houden op de veiligheid in het gezin, terwijl ik geen "
            "doorzettingsmacht heb over de betrokken organisaties?",
            "Hoe kan ik als ICR informatie delen met Veilig Thuis, terwijl ik niet zeker weet "
            "wat de privacyregels toestaan?",
            "Hoe kunnen we als professionals één plan per gezin maken, terwijl elk domein zijn "
            "eigen plan en overleg heeft?",
            "Hoe kan ik op tijd opschalen naar het Zorg- en Veiligheidshuis, terwijl de criteria "
            "voor opschaling verschillend worden uitgelegd?",
            "Hoe kan ik mijn werk als ICR goed doen, terwijl mijn caseload steeds zwaarder wordt?",
            "Hoe kan ik samen met het gezin werken aan stabiele veiligheid, terwijl de wachttijd "
            "voor specialistische hulp lang is?",
        ],
        label="1",
        session_date=date(2025, 1, 9),
        context_line="Naar aanleiding van de werksessie op 9 januari 2025",
        themes="Regie\nInformatiedeling",
        author="Projectleider Rijnmond",
    )
    b.publish()

    b.next(
        date(2025, 3, 25),
        session_date=date(2025, 3, 20),
        context_line="Naar aanleiding van de werksessie op 20 maart 2025",
    )
    b.keep("A", "C", "D", "F")
    b.decide(
        "B",
        "geherformuleerd",
        text="Hoe kan ik als ICR informatie delen met Veilig Thuis en de politie, terwijl in mijn "
        "organisatie niemand precies weet wat de privacyregels toestaan?",
    )
    b.decide(
        "E",
        "voorlopig_beantwoord",
        note="Afspraak met de teamleiders: hoogstens acht gezinnen per ICR. We kijken in juni "
        "of dat werkt.",
    )
    b.add(
        "Hoe krijg ik zicht op wat ketenpartners al doen in het gezin, terwijl iedere partner "
        "alleen zijn eigen deel oppakt?"
    )
    b.publish()

    b.next(
        date(2025, 6, 10),
        session_date=date(2025, 6, 5),
        context_line="Naar aanleiding van de werksessie op 5 juni 2025",
    )
    b.keep("A", "B")
    survivor = b.current("F")  # the ketenpartners question, now labelled F
    questions.update_wording(
        survivor,
        text="Hoe komen we tot één gedeeld plan voor het gezin, terwijl iedere partner alleen "
        "zijn eigen taartpunt oppakt?",
        lock_version=survivor.lock_version,
    )
    b.decide(
        "C", "samengevoegd", merge_into=survivor, note="C en F gaan samen verder als één vraag."
    )
    b.decide(
        "D",
        "verplaatst",
        target_agenda=taskforce,
        note="Opschaling vraagt om afspraken tussen bestuurders.",
    )
    b.decide(
        "E",
        "vervallen",
        reason="elders_belegd",
        note="Wachttijden worden besproken in het regionale wachtlijstoverleg.",
    )
    b.add(
        "Hoe kan ik ervaringsdeskundigen betrekken bij het gezinsplan, terwijl daar geen budget "
        "voor is?"
    )
    b.publish()

    # The taskforce now has a concept with the moved question: decide and publish it.
    tf.version = agendas.concept_version(taskforce)
    tf.keep("A", "B")
    tf.version.document_date = date(2025, 6, 24)
    tf.version.context_line = "Naar aanleiding van de taskforce-sessie op 24 juni 2025"
    tf.publish()

    b.next(date(2025, 9, 16), session_date=date(2025, 9, 11))
    b.keep("A", "C")
    b.decide(
        "B",
        "geherformuleerd",
        text="Hoe kan ik als ICR informatie delen met Veilig Thuis en de politie, terwijl het "
        "privacyconvenant nog niet door alle partners is getekend?",
    )
    b.decide(
        "D",
        "gesplitst",
        split_texts=[
            "Hoe vinden we ervaringsdeskundigen die willen meedenken, terwijl er in de regio geen "
            "vaste groep is?"
        ],
    )
    b.publish()

    b.next(
        date(2026, 1, 20),
        session_date=date(2026, 1, 15),
        context_line="Naar aanleiding van de werksessie op 15 januari 2026",
    )
    b.keep("A", "B", "C", "E")
    b.decide(
        "D", "vervallen", reason="inzicht_bereikt", note="Budget komt uit het nieuwe convenant."
    )
    returning = next(
        w
        for w in transitions.returnable_threads(b.version)
        if "specialistische hulp" in w.full_text
    )
    transitions.restore_thread(b.version, returning)
    b.publish()

    # A concept in progress, so that the workflow can be tried right away.
    b.next(
        date(2026, 5, 19),
        session_date=date(2026, 5, 14),
        context_line="Naar aanleiding van de werksessie op 14 mei 2026",
    )
    b.keep("A", "C")

    m = Builder(managers).first(
        date(2025, 4, 8),
        [
            (
                "Hoe kan ik als manager ICR's ruimte geven in hun werk, terwijl mijn team "
                "wordt afgerekend op doorlooptijden?",
                {
                    "subs": [
                        "Hoe weet ik hoeveel tijd een ICR-gezin echt kost?",
                        "Hoe bespreek ik met de wethouder wat ‘ruimte’ betekent?",
                    ]
                },
            ),
            "Hoe kunnen we als managers ICR's steunen bij lastige besluiten, terwijl de "
            "escalatieroute per gemeente anders is?",
            "Hoe kan ik als teamleider kennis over huiselijk geweld in het team houden, terwijl "
            "er veel verloop is?",
        ],
        origin="werksessie",
        context_line="Naar aanleiding van de werksessie met managers op 1 april 2025",
    )
    m.publish()
    m.next(date(2025, 11, 4), origin="gezamenlijk")
    m.keep("A", "C")
    m.decide(
        "B",
        "geherformuleerd",
        text="Hoe kunnen we als managers ICR's steunen bij lastige besluiten, terwijl er geen "
        "regionale escalatieladder is?",
    )
    m.publish()
    closed_session(region, managers)

    n = Builder(network).first(
        date(2025, 10, 7),
        [
            (
                "… ieder zijn eigen registratiesysteem gebruikt?",
                {"stem": "Hoe kunnen we aan de ketentafel samen besluiten, terwijl…"},
            ),
            (
                "… niet iedereen op tijd uitgenodigd wordt? (planning)",
                {"stem": "Hoe kunnen we aan de ketentafel samen besluiten, terwijl…"},
            ),
            "Hoe kunnen we contextinformatie uit het lokale team gebruiken aan de ketentafel, "
            "terwijl de informatie niet automatisch wordt gedeeld? [gereconstrueerd]",
        ],
        origin="gezamenlijk",
    )
    n.publish()


def closed_session(region: Region, managers: Agenda) -> None:
    """A werksessie with managers that was held and closed: its concept awaits a final read."""
    ws = planning.plan_session(
        region,
        agenda_ids=[managers.id],
        kind="werksessie",
        title="Werksessie managers en teamleiders",
        session_date=date(2026, 2, 10),
        notes="Tweede werksessie met managers van de lokale teams en een ketenpartner.",
        allow_anonymous=True,
        max_participants=25,
    )
    sessions.open_session(ws)
    roles = ["manager"] * 4 + ["professional", "professional", "beleid", "ervaringsdeskundige"]
    people = [participation.join(ws, role=role)[0] for role in roles]
    walk = {w.label: w for w in sessions.walk_wordings(ws)}
    votes = {"A": (6, 1), "B": (7, 0), "C": (2, 5)}
    for label, (still, solved) in votes.items():
        sessions.set_focus(ws, walk[label].id)
        for index, person in enumerate(people[: still + solved]):
            value = "staat_nog" if index < still else "opgelost"
            participation.vote(ws, person, wording_id=walk[label].id, value=value)
    new = participation.add_contribution(
        ws,
        people[0],
        text="Hoe kunnen we als managers samen met de ketenpartners casuïstiek bespreken, "
        "terwijl er geen gezamenlijk overleg op managementniveau is?",
    )
    same = participation.add_contribution(
        ws,
        people[2],
        text="Hoe krijgen we een vast overleg met de ketenpartners, terwijl iedereen al vol zit?",
    )
    aside = participation.add_contribution(
        ws,
        people[4],
        text="Hoe kan ik sneller een plek voor begeleid wonen regelen, terwijl de wachtlijsten "
        "lang zijn?",
    )
    participation.handle_contribution(ws, new, "overnemen")
    participation.handle_contribution(ws, same, "samenvoegen", merge_into_id=new.id)
    participation.handle_contribution(ws, aside, "niet_overnemen")
    sessions.decide(ws, walk["A"], "blijft_staan")
    sessions.decide(
        ws,
        walk["B"],
        "geherformuleerd",
        text="Hoe kunnen we als managers ICR's steunen bij lastige besluiten, terwijl er nog "
        "geen regionale escalatieladder is afgesproken?",
    )
    sessions.decide(
        ws,
        walk["C"],
        "voorlopig_beantwoord",
        note="Inwerkprogramma en kennisdag per kwartaal gestart; na een half jaar evalueren.",
    )
    sessions.close_session(ws)
