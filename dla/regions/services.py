"""Services for regions. They flush; the view commits."""

import logging

from sqlalchemy import func, select

from dla.errors import ConflictError, ValidationError
from dla.extensions import db
from dla.regions.models import Region

log = logging.getLogger(__name__)


def _check_name(name: str, exclude_id: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Geef de regio een naam.")
    query = select(Region.id).where(func.lower(Region.name) == name.lower())
    if exclude_id is not None:
        query = query.where(Region.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise ValidationError(f"Er is al een regio met de naam ‘{name}’.")
    return name


def _check_thresholds(min_run: int, max_months: int) -> None:
    if not 2 <= min_run <= 50:
        raise ValidationError("Het aantal versies op rij moet tussen 2 en 50 liggen.")
    if not 1 <= max_months <= 120:
        raise ValidationError("Het aantal maanden moet tussen 1 en 120 liggen.")


def create_region(
    name: str,
    *,
    description: str = "",
    municipalities: str = "",
    persist_min_run: int = 3,
    persist_max_months: int = 9,
) -> Region:
    name = _check_name(name)
    _check_thresholds(persist_min_run, persist_max_months)
    region = Region(
        name=name,
        description=description.strip(),
        municipalities=municipalities.strip(),
        persist_min_run=persist_min_run,
        persist_max_months=persist_max_months,
    )
    db.session.add(region)
    db.session.flush()
    log.info("region %s created: %s", region.id, name)
    return region


def update_region(region: Region, *, lock_version: int, **fields) -> Region:
    if lock_version != region.lock_version:
        raise ConflictError(
            "Iemand anders heeft deze regio intussen gewijzigd. Bekijk de nieuwe gegevens "
            "en probeer het opnieuw."
        )
    if "name" in fields:
        fields["name"] = _check_name(fields["name"], exclude_id=region.id)
    _check_thresholds(
        fields.get("persist_min_run", region.persist_min_run),
        fields.get("persist_max_months", region.persist_max_months),
    )
    for key, value in fields.items():
        setattr(region, key, value.strip() if isinstance(value, str) else value)
    db.session.flush()
    log.info("region %s updated", region.id)
    return region
