"""The demo's report side: the references under which a (fictional) evaluation report cites
the demo versions, an excerpt of that report with a wrong citation to check, and the
regions' begrippenlijst."""

from __future__ import annotations

from sqlalchemy import select

from dla.agendas.models import Agenda, Version
from dla.demo.common import GOOI, RIJNMOND
from dla.extensions import db
from dla.regions.models import Region

# (region, start of the agenda title) -> report reference per version number.
REFERENCES = {
    (RIJNMOND, "Dynamische Leeragenda ICR"): {n: f"bijlage 2.{n}" for n in range(1, 6)},
    (RIJNMOND, "Leeragenda managers"): {1: "bijlage 3.1", 2: "bijlage 3.2"},
    (RIJNMOND, "Netwerkagenda"): {1: "bijlage 4.1"},
    (RIJNMOND, "Leeragenda bestuurders"): {1: "bijlage 5.1", 2: "bijlage 5.2"},
    (GOOI, "Leeragenda uitvoerders"): {1: "bijlage 1.1", 2: "bijlage 1.2", 3: "bijlage 1.3"},
    (GOOI, "Leeragenda regionaal projectleider"): {1: "bijlage 1.4"},
}

# Shown on the citation page as an example: the third quote cites the wrong appendix (its
# words stand in the managers' agenda, bijlage 3.1), the fourth has no source at all.
EXAMPLE_REPORT = """\
Kader 4.1 Leervragen van de ICR's
“Hoe kan ik als ICR regie houden op de veiligheid in het gezin, terwijl ik geen \
doorzettingsmacht heb over de betrokken organisaties?” [DLA ICR's, bijlage 2.1]
“Hoe kan ik regie houden op de veiligheid in het gezin, terwijl ik geen doorzettingsmacht heb \
over de betrokken organisaties?” [DLA ICR's, bijlage 2.4]

De managers herkenden dit. Zij vroegen: “Hoe kan ik als teamleider kennis over huiselijk \
geweld in het team houden, terwijl er veel verloop is?” [DLA professionals, bijlage 2.4] \
Een ICR vatte het samen als: Hoe krijgen we één gedeeld gezinsplan, terwijl elke partner \
alleen zijn eigen stukje van de taart oppakt?
“Hoe kan ik als wijkteammedewerker signalen van kindermishandeling bespreken, terwijl ouders \
bang zijn voor uithuisplaatsing?” [gereconstrueerd]
"""

GLOSSARY = {
    RIJNMOND: [
        (
            "stabiele veiligheid",
            "Zes maanden geen onveilige incidenten, de risicofactoren zijn aangepakt en het "
            "herstel van trauma is begonnen (VNG kwaliteitskader).",
        ),
        (
            "ICR",
            "Intensief casusregisseur: een professional in het lokale team die de regie houdt "
            "bij gezinnen met structurele onveiligheid.",
        ),
        (
            "doorzettingsmacht",
            "De bevoegdheid om een besluit te nemen en uit te laten voeren als partners het "
            "niet eens worden.",
        ),
        (
            "ketentafel",
            "Het overleg van ketenpartners over één gezin in het Zorg- en Veiligheidshuis.",
        ),
    ],
    GOOI: [
        (
            "stabiele veiligheid",
            "Zes maanden geen onveilige incidenten, de risicofactoren zijn aangepakt en het "
            "herstel van trauma is begonnen (VNG kwaliteitskader).",
        ),
        (
            "procesregie",
            "Regie op het proces rond een gezin: wie doet wat en wanneer, over de domeinen "
            "heen. Niet hetzelfde als casusregie, de regie op de hulp zelf.",
        ),
        ("procesregisseur", "De ene persoon die de procesregie voert voor een gezin."),
    ],
}


def build() -> None:
    from dla.agendas import services as agendas
    from dla.glossary import services as glossary

    for (region_name, title), numbers in REFERENCES.items():
        versions = db.session.scalars(
            select(Version)
            .join(Agenda, Agenda.id == Version.agenda_id)
            .join(Region, Region.id == Agenda.region_id)
            .where(Region.name == region_name, Agenda.title.startswith(title))
        )
        for version in versions:
            if version.number in numbers:
                agendas.set_report_reference(
                    version, numbers[version.number], lock_version=version.lock_version
                )
    for region_name, terms in GLOSSARY.items():
        region = db.session.scalar(select(Region).where(Region.name == region_name))
        for term, definition in terms:
            glossary.create_term(region, term=term, definition=definition)
