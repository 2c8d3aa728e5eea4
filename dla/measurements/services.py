"""Services for indicators, observations and their links to questions. They flush; the
view commits. Errors are Dutch ``DomainError``s."""

from __future__ import annotations

import logging
import math
from datetime import date

from sqlalchemy import func, select

from dla.agendas.models import Thread
from dla.analysis.models import BarrierItem
from dla.errors import ConflictError, ValidationError
from dla.extensions import db
from dla.forms import bounded_int
from dla.measurements.models import (
    AUDIENCES,
    CONCERNS,
    HORIZONS,
    KINDS,
    QUALITATIVE,
    Indicator,
    IndicatorLink,
    Observation,
)
from dla.regions.models import Region
from dla.validation import clean_text, parse_date

log = logging.getLogger(__name__)

MAX_NAME = 200
MAX_TEXT = 4000
MAX_UNIT = 50
MAX_SOURCE = 200
MAX_NOTE = 500
# Observations far outside the agendas' time are typing errors.
EARLIEST = date(1990, 1, 1)
LATEST_YEARS_AHEAD = 1


# --- indicators ------------------------------------------------------------------------------


def _choice(value: str | None, options: dict, what: str) -> str:
    if value not in options:
        raise ValidationError(f"Kies {what}.")
    return value


def _audiences(values) -> str:
    chosen = [key for key in AUDIENCES if key in set(values or ())]
    unknown = set(values or ()) - set(AUDIENCES)
    if unknown:
        raise ValidationError("Kies voor wie de terugkoppeling is uit de lijst.")
    return " ".join(chosen)


def _indicator_fields(fields: dict, region_id: int, exclude_id: int | None = None) -> dict:
    name = " ".join(
        clean_text(fields.get("name"), limit=MAX_NAME, what="de naam", required=True).split()
    )
    query = select(Indicator.id).where(
        Indicator.region_id == region_id, func.lower(Indicator.name) == name.lower()
    )
    if exclude_id is not None:
        query = query.where(Indicator.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise ValidationError(f"Er is in deze regio al een meting met de naam ‘{name}’.")
    return {
        "name": name,
        "description": clean_text(
            fields.get("description"), limit=MAX_TEXT, what="de beschrijving"
        ),
        "concerns": _choice(fields.get("concerns"), CONCERNS, "waar de meting over gaat"),
        "horizon": _choice(fields.get("horizon"), HORIZONS, "de termijn"),
        "audiences": _audiences(fields.get("audiences")),
        "kind": _choice(fields.get("kind"), KINDS, "het soort meting"),
        "unit": clean_text(fields.get("unit"), limit=MAX_UNIT, what="de eenheid"),
        "target": _target(fields.get("target"), fields.get("kind")),
    }


def _target(value, kind) -> float | None:
    """The streefwaarde: a number (Dutch decimals allowed), none for a qualitative indicator."""
    try:
        number = _number(value)
    except ValidationError:
        raise ValidationError(
            "Vul bij de streefwaarde een getal in, bijvoorbeeld 7 of 7,5 (of laat het leeg)."
        ) from None
    if number is None:
        return None
    if kind == QUALITATIVE:
        raise ValidationError("Een kwalitatieve meting heeft geen streefwaarde.")
    if kind == "percentage" and not 0 <= number <= 100:
        raise ValidationError("Een streefwaarde in procenten ligt tussen 0 en 100.")
    return number


def create_indicator(region: Region, **fields) -> Indicator:
    indicator = Indicator(region_id=region.id, **_indicator_fields(fields, region.id))
    db.session.add(indicator)
    db.session.flush()
    log.info("indicator %s created in region %s", indicator.id, region.id)
    return indicator


def update_indicator(indicator: Indicator, *, lock_version: int | None, **fields) -> Indicator:
    if lock_version is None or lock_version != indicator.lock_version:
        raise ConflictError(
            "Iemand anders heeft deze meting intussen gewijzigd. Bekijk de nieuwe gegevens en "
            "probeer het opnieuw."
        )
    values = _indicator_fields(fields, indicator.region_id, exclude_id=indicator.id)
    if values["kind"] != indicator.kind and values["kind"] == QUALITATIVE:
        has_values = db.session.scalar(
            select(func.count(Observation.id)).where(
                Observation.indicator_id == indicator.id, Observation.value.is_not(None)
            )
        )
        if has_values:
            raise ValidationError(
                "Deze meting heeft al waarnemingen met een getal. Maak een nieuwe, kwalitatieve "
                "meting, of haal eerst die getallen weg."
            )
    for key, value in values.items():
        setattr(indicator, key, value)
    db.session.flush()
    return indicator


def delete_indicator(indicator: Indicator) -> None:
    db.session.delete(indicator)
    db.session.flush()
    log.info("indicator %s deleted", indicator.id)


# --- observations ----------------------------------------------------------------------------


def _number(value) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        value = value.strip().replace(" ", "")
        # Dutch decimals: "12,5" and "1.234,5".
        if "," in value:
            value = value.replace(".", "").replace(",", ".")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError("Vul bij de waarde een getal in, bijvoorbeeld 12 of 12,5.") from None
    if not math.isfinite(number) or abs(number) > 1e12:
        raise ValidationError("Die waarde is te groot.")
    return number


def _observation_day(value, what: str, required: bool) -> date | None:
    if value in (None, ""):
        if required:
            raise ValidationError(f"Vul {what} in, bijvoorbeeld 24-02-2026.")
        return None
    day = parse_date(value)
    latest = date.today().replace(month=12, day=31)
    if not EARLIEST <= day <= latest.replace(year=latest.year + LATEST_YEARS_AHEAD):
        raise ValidationError(
            f"{what[0].upper()}{what[1:]} ligt te ver in het verleden of in de toekomst."
        )
    return day


def add_observation(
    indicator: Indicator,
    *,
    observed_on,
    period_end=None,
    value=None,
    narrative: str | None = "",
    source: str | None = "",
    author=None,
) -> Observation:
    """An observation: a number (aantal, percentage, schaal) and/or a narrative.

    Qualitative indicators take a narrative and no number; the others need a number or a
    narrative (a remark about a month without a figure is allowed).
    """
    start = _observation_day(observed_on, "de datum", required=True)
    end = _observation_day(period_end, "het einde van de periode", required=False)
    if end is not None and end < start:
        raise ValidationError("Het einde van de periode ligt vóór het begin.")
    number = _number(value)
    story = clean_text(narrative, limit=MAX_TEXT, what="het verhaal")
    if indicator.is_qualitative and number is not None:
        raise ValidationError("Deze meting is kwalitatief: schrijf een verhaal, geen getal.")
    if number is None and not story:
        raise ValidationError(
            "Schrijf een verhaal."
            if indicator.is_qualitative
            else "Vul een waarde of een verhaal in."
        )
    if indicator.kind == "percentage" and number is not None and not 0 <= number <= 100:
        raise ValidationError("Een percentage ligt tussen 0 en 100.")
    observation = Observation(
        region_id=indicator.region_id,
        indicator_id=indicator.id,
        observed_on=start,
        period_end=end,
        value=number,
        narrative=story,
        source=clean_text(source, limit=MAX_SOURCE, what="de bron"),
        created_by_id=getattr(author, "id", None),
    )
    db.session.add(observation)
    db.session.flush()
    return observation


def delete_observation(observation: Observation) -> None:
    db.session.delete(observation)
    db.session.flush()


# --- links to questions ----------------------------------------------------------------------


def _link(indicator: Indicator, model, target_id, *, what: str, note: str | None) -> IndicatorLink:
    """Link ``indicator`` to a thread or barrier item (``model``) of its own region, once."""
    field = "thread_id" if model is Thread else "item_id"
    try:
        target_id = bounded_int(target_id)
    except (TypeError, ValueError):
        raise ValidationError(f"Kies een {what}.") from None
    target = db.session.get(model, target_id)
    if target is None or target.region_id != indicator.region_id:
        raise ValidationError(f"Die {what} hoort niet bij deze regio.")
    column = getattr(IndicatorLink, field)
    if db.session.scalar(
        select(IndicatorLink.id).where(
            IndicatorLink.indicator_id == indicator.id, column == target_id
        )
    ):
        raise ValidationError(f"Deze {what} is al aan de meting gekoppeld.")
    link = IndicatorLink(
        region_id=indicator.region_id,
        indicator_id=indicator.id,
        note=clean_text(note, limit=MAX_NOTE, what="de toelichting"),
        **{field: target_id},
    )
    db.session.add(link)
    db.session.flush()
    return link


def link_thread(indicator: Indicator, thread_id, *, note: str | None = "") -> IndicatorLink:
    """Link the indicator to a question thread (how would we notice progress on it?)."""
    return _link(indicator, Thread, thread_id, what="leervraag", note=note)


def link_item(indicator: Indicator, item_id, *, note: str | None = "") -> IndicatorLink:
    """Link the indicator to a barrier item of the system analysis (how would we notice
    that this barrier gives way?)."""
    return _link(indicator, BarrierItem, item_id, what="barrière", note=note)


def unlink(link: IndicatorLink) -> None:
    db.session.delete(link)
    db.session.flush()
