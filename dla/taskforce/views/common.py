"""What the taskforce views share: which regions a request asks for, and since when."""

from datetime import date

from flask import abort, request

from dla.auth.permissions import access
from dla.forms import format_date, parse_dutch_date
from dla.taskforce import digest as pure
from dla.taskforce import queries


def today() -> date:
    return date.today()


def chosen_regions(allowed: list[int]):
    """The regions in ``?regio=`` (repeatable), or every allowed region. Like every region
    check (``Access.require``): 404 for a region the person is no member of (nothing
    leaks), 403 for a member whose role does not allow this page."""
    rights = access()
    asked = request.args.getlist("regio")
    if not asked:
        ids = allowed
    else:
        ids = []
        for value in asked:
            region_id = int(value) if value.isdigit() and len(value) < 10 else -1
            rights.require(region_id, region_id in allowed)
            ids.append(region_id)
    found = queries.regions(ids)
    if not found:
        abort(403)
    return found


def digest_regions():
    rights = access()
    allowed = [r for r in rights.roles if rights.can_read_digest(r)]
    return chosen_regions(allowed)


def chosen_since(region_ids: list[int]) -> tuple[date, str]:
    """The date of ``?sinds=`` (or the last taskforce decision) and a message when the
    given date could not be read."""
    value = request.args.get("sinds", "")
    fallback = pure.default_since(queries.last_decision_dates(region_ids), today())
    if not value:
        return fallback, ""
    try:
        since = parse_dutch_date(value)
    except ValueError:
        since = None
    if since is None:
        return fallback, (
            f"De datum '{value[:40]}' kon niet gelezen worden; het overzicht loopt vanaf "
            f"{format_date(fallback)}. Schrijf bijvoorbeeld 24-02-2026."
        )
    return since, ""
