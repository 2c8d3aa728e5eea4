"""Checks that every domain's services share: free text, optimistic locks and dates.

Each raises a :class:`dla.errors.DomainError` with a Dutch message that the view shows as it
is. Pure functions: no Flask, no database.
"""

from __future__ import annotations

from datetime import date

from dla.errors import ConflictError, ValidationError


def clean_text(text: str | None, *, limit: int, what: str, required: bool = False) -> str:
    """``text`` stripped; refused when required and empty, longer than ``limit`` characters,
    or holding control characters. ``what`` names the field in the message ("de titel")."""
    text = (text or "").strip()
    if required and not text:
        raise ValidationError(f"Vul {what} in.")
    what_cap = f"{what[0].upper()}{what[1:]}"
    if len(text) > limit:
        raise ValidationError(f"{what_cap} is te lang (meer dan {limit} tekens).")
    if any(ord(ch) < 32 and ch not in "\n\t\r" for ch in text):
        raise ValidationError(f"{what_cap} bevat tekens die niet zijn toegestaan.")
    return text


def check_lock(obj, lock_version: int | None, message: str, current: str | None = None) -> None:
    """Refuse a change made from an out-of-date form: someone else saved ``obj`` since.

    ``lock_version`` is the version the person's form was made from (None: not checked);
    ``current`` is what the row holds now, shown beside the message.
    """
    if lock_version is not None and lock_version != obj.lock_version:
        raise ConflictError(message, current=current)


def parse_date(value) -> date | None:
    """A date a form already parsed, or None for an empty value."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    raise ValidationError("Deze datum klopt niet.")
