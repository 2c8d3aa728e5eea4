"""The demo workspace, built through the services (so it obeys every rule).

Two fictional regions with agendas on four levels, each with a filled system-analysis
matrix, questions linked to its barriers, milestones and taskforce decisions. The ICR agenda
has five published versions and a concept, in which questions persist, are reworded, merged,
split, moved to the taskforce agenda, answered, dropped and brought back. All wording is our
own; the taskforce agenda is a constructed example (no real bestuurders DLA exists).
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import delete, select

from dla.agendas import questions, transitions
from dla.agendas import services as agendas
from dla.agendas.models import Agenda, Version, Wording
from dla.extensions import db
from dla.regions import services as regions
from dla.regions.models import Region
from dla.werksessies import services as sessions

log = logging.getLogger(__name__)

RIJNMOND = "Rijnmond (demo)"
GOOI = "Gooi en Vecht (demo)"
DEMO_REGIONS = (RIJNMOND, GOOI)
# Demo accounts, one per role (e-mail, name, role in both demo regions, password).
# For trying the app only: the README says so, and `flask dla demo` prints them.
DEMO_USERS = [
    ("beheer@demo.dla", "Bea de Vries", "admin", "demo-zeppelin-2024"),
    ("projectleider@demo.dla", "Pim Jansen", "projectleider", "demo-vlinder-2024"),
    ("deelnemer@demo.dla", "Dana Bakker", "deelnemer", "demo-lantaarn-2024"),
    ("taskforce@demo.dla", "Tom Visser", "taskforce", "demo-molenwiek-2024"),
    ("onderzoeker@demo.dla", "Olga Smit", "onderzoeker", "demo-duinpan-2024"),
]


class Builder:
    """Small helper to write agenda histories readably."""

    def __init__(self, agenda: Agenda):
        self.agenda = agenda
        self.version: Version | None = None

    def first(self, day: date, questions: list, **meta) -> Builder:
        groups = meta.pop("groups", ())
        self.version = agendas.create_version(self.agenda, document_date=day, groups=groups, **meta)
        for item in questions:
            self.add(item)
        return self

    def add(self, item, group: int = 0) -> Wording:
        if isinstance(item, tuple):
            text, *rest = item
            options = rest[0] if rest else {}
        else:
            text, options = item, {}
        return questions.add_wording(
            self.version,
            text=text,
            shared_stem=options.get("stem", ""),
            subquestions=options.get("subs", ()),
            group_id=self.version.groups[options.get("group", group)].id,
        )

    def publish(self) -> Builder:
        agendas.publish_version(self.version)
        return self

    def next(self, day: date, **meta) -> Builder:
        self.version = agendas.create_version(self.agenda, document_date=day, **meta)
        return self

    def previous(self, label: str) -> Wording:
        previous = agendas.previous_version(self.version)
        return next(w for w in previous.wordings if w.label == label)

    def current(self, label: str) -> Wording:
        return next(w for w in self.version.wordings if w.label == label)

    def decide(self, label: str, kind: str, **options) -> None:
        transitions.set_transition(self.version, self.previous(label), kind, **options)

    def keep(self, *labels: str) -> None:
        for label in labels:
            self.decide(label, "blijft_staan")


def load_demo(reset: bool = False) -> bool:
    """Create the demo workspace. Returns False when it was already there."""
    if reset:
        db.session.execute(delete(Region).where(Region.name.in_(DEMO_REGIONS)))
        db.session.flush()
    if db.session.scalar(select(Region).where(Region.name == RIJNMOND)) is not None:
        return False
    _rijnmond()
    _gooi()
    _analysis_rijnmond()
    _analysis_gooi()
    _measurements()
    _users()
    log.info("demo workspace loaded")
    return True


def _users() -> None:
    """One demo account per role, member of both demo regions."""
    from dla.auth import services as auth
    from dla.auth.models import User

    regions_by_name = {
        r.name: r for r in db.session.scalars(select(Region).where(Region.name.in_(DEMO_REGIONS)))
    }
    for email, name, role, password in DEMO_USERS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = auth.create_user(email, name, password, is_admin=role == "admin")
        for region in regions_by_name.values():
            auth.set_membership(user, region.id, "beheerder" if role == "admin" else role)
            if role == "deelnemer":
                for agenda in region.agendas:
                    if agenda.level == "operationeel":
                        auth.add_participant(agenda, user.id)
    leader = db.session.scalar(select(User).where(User.email == DEMO_USERS[1][0]))
    participant = db.session.scalar(select(User).where(User.email == DEMO_USERS[2][0]))
    for version in db.session.scalars(
        select(Version)
        .join(Agenda)
        .join(Region)
        .where(Region.name.in_(DEMO_REGIONS), Version.distribution == "beperkt")
    ):
        auth.add_version_member(version, participant.id)
        auth.add_version_member(version, leader.id)


def _rijnmond() -> None:
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
    _closed_session(region, managers)

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


def _gooi() -> None:
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
    sessions.plan_session(
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


# --- system analysis, links, milestones and decisions ------------------------------------------


def _thread(region: Region, fragment: str):
    """The thread whose (latest) wording contains ``fragment``."""
    from dla.agendas.models import Thread

    thread_id = db.session.scalar(
        select(Wording.thread_id)
        .join(Version, Version.id == Wording.version_id)
        .join(Agenda, Agenda.id == Version.agenda_id)
        .where(Agenda.region_id == region.id, Wording.full_text.contains(fragment))
        .order_by(Wording.id.desc())
        .limit(1)
    )
    return db.session.get(Thread, thread_id)


def _fill_matrix(region: Region, items: list[tuple]) -> dict[str, object]:
    """Seed the default lists and add items: (key, aspect, actor, kind, text, source, status)."""
    from dla.analysis import services as analysis

    analysis.seed_defaults(region)
    aspects, actors = analysis.headings(region)
    aspect_ids = {h.name: h.id for h in aspects}
    actor_ids = {h.name: h.id for h in actors}
    made = {}
    for key, aspect, actor, kind, text, source, status, noted in items:
        made[key] = analysis.create_item(
            region,
            aspect_id=aspect_ids[aspect],
            actor_id=actor_ids[actor],
            kind=kind,
            description=text,
            source=source,
            status=status,
            noted_on=noted,
        )
    return made


def _analysis_rijnmond() -> None:
    from dla.analysis import services as analysis

    region = db.session.scalar(select(Region).where(Region.name == RIJNMOND))
    items = _fill_matrix(
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
        analysis.link_thread(_thread(region, fragment), items[key], note=note)

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
    analysis.link_milestone(bestuurders, thread=_thread(region, "alleen cijfers zie"))

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
    analysis.link_milestone(ladder, thread=_thread(region, "escalatieladder"))

    analysis.record_decision(
        region,
        item=items["mandaat"],
        decided_on=date(2025, 6, 24),
        kind="besluit",
        text="De projectleider werkt met de gemeenten een mandaatregeling voor ICR's uit.",
        follow_up="Voorstel terug in de taskforce van november.",
        status="in_uitvoering",
    )
    analysis.record_decision(
        region,
        item=items["opschaling"],
        decided_on=date(2025, 6, 24),
        kind="verzoek",
        text="Verzoek aan Veilig Thuis en het Zorg- en Veiligheidshuis: kom met één set "
        "opschalingscriteria.",
        status="open",
    )
    analysis.record_decision(
        region,
        milestone=ladder,
        decided_on=date(2026, 1, 27),
        kind="besluit",
        text="De taskforce maakt tijd vrij voor een werkgroep escalatieladder.",
        status="open",
    )


def _analysis_gooi() -> None:
    from dla.analysis import services as analysis

    region = db.session.scalar(select(Region).where(Region.name == GOOI))
    items = _fill_matrix(
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
        analysis.link_thread(_thread(region, fragment), items[key])
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
    analysis.link_milestone(structure, thread=_thread(region, "leerstructuur"))
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


# Monthly figures for a year per indicator; all fictional and aggregated.
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


def _measurements() -> None:
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
        thread = _thread(region, fragment)
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


def _closed_session(region: Region, managers: Agenda) -> None:
    """A werksessie with managers that was held and closed: its concept awaits a final read."""
    ws = sessions.plan_session(
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
    people = [sessions.join(ws, role=role)[0] for role in roles]
    walk = {w.label: w for w in sessions.walk_wordings(ws)}
    votes = {"A": (6, 1), "B": (7, 0), "C": (2, 5)}
    for label, (still, solved) in votes.items():
        sessions.set_focus(ws, walk[label].id)
        for index, person in enumerate(people[: still + solved]):
            value = "staat_nog" if index < still else "opgelost"
            sessions.vote(ws, person, wording_id=walk[label].id, value=value)
    new = sessions.add_contribution(
        ws,
        people[0],
        text="Hoe kunnen we als managers samen met de ketenpartners casuïstiek bespreken, "
        "terwijl er geen gezamenlijk overleg op managementniveau is?",
    )
    same = sessions.add_contribution(
        ws,
        people[2],
        text="Hoe krijgen we een vast overleg met de ketenpartners, terwijl iedereen al vol zit?",
    )
    aside = sessions.add_contribution(
        ws,
        people[4],
        text="Hoe kan ik sneller een plek voor begeleid wonen regelen, terwijl de wachtlijsten "
        "lang zijn?",
    )
    sessions.handle_contribution(ws, new, "overnemen")
    sessions.handle_contribution(ws, same, "samenvoegen", merge_into_id=new.id)
    sessions.handle_contribution(ws, aside, "niet_overnemen")
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
