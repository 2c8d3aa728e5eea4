"""Form fields shared by every domain: Dutch dates and messages."""

import re
from datetime import date

from flask import has_request_context, request
from flask_wtf import FlaskForm
from wtforms import Field, SelectChoice
from wtforms.widgets import DateInput

from dla.dates import MONTHS, long, short
from dla.errors import DomainError, ValidationError

_NUMERIC = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_WRITTEN = re.compile(r"^\s*(\d{1,2})\s+([a-z]+)\s+(\d{4})\s*$", re.IGNORECASE)


def parse_dutch_date(value: str) -> date | None:
    """Read "24-02-2020", "2020-02-24" or "24 februari 2020"; None when empty.

    Raises ValueError for anything else, or for a day that does not exist.
    """
    value = (value or "").strip()
    if not value:
        return None
    if match := _ISO.match(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _NUMERIC.match(value):
        day, month, year = (int(g) for g in match.groups())
    elif match := _WRITTEN.match(value):
        name = match.group(2).lower()
        if name not in MONTHS:
            raise ValueError(value)
        day, month, year = int(match.group(1)), MONTHS.index(name) + 1, int(match.group(3))
    else:
        raise ValueError(value)
    if not 1900 <= year <= 2200:
        raise ValueError(value)
    return date(year, month, day)


def printable(text: str | None) -> str:
    """``text`` without control characters (a NUL cannot even be sent to PostgreSQL)."""
    return "".join(ch for ch in (text or "") if ch >= " " and ch != "\x7f")


def format_date(value: date | None, style: str = "short") -> str:
    """24-02-2020 (short) or 24 februari 2020 (long), as plain text (see ``dla.dates``)."""
    return long(value) if style == "long" else short(value)


class DutchDateField(Field):
    """A date field that accepts the formats people type in Dutch documents."""

    widget = DateInput()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.isoformat() if self.data else ""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = parse_dutch_date(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError("Deze datum klopt niet. Schrijf bijvoorbeeld 24-02-2020.") from None


# Ids and numbers are stored as 32-bit integers (PostgreSQL's INTEGER); a larger number
# cannot name anything, and the database would refuse it.
MAX_INT = 2**31 - 1


def bounded_int(value) -> int:
    """``int(value)``, refusing (ValueError) a number the database cannot hold."""
    number = int(value)
    if not -MAX_INT - 1 <= number <= MAX_INT:
        raise ValueError(value)
    return number


def to_int(value) -> int | None:
    """An id or number from a form or query string; None when it is not one."""
    try:
        return bounded_int(value)
    except (TypeError, ValueError):
        return None


def optional_int(value) -> int | None:
    """Coerce for select fields whose empty choice means ‘none’."""
    if value in (None, "", "None"):
        return None
    return bounded_int(value)


def choices(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs, in the form WTForms 3.3+ expects."""
    return [SelectChoice(value, label) for value, label in pairs]


class DutchForm(FlaskForm):
    """Base form: WTForms' own messages in Dutch; reads form fields only.

    ``id_prefix`` (class attribute, or keyword for one instance) goes before the ``id`` of
    every field and its label's ``for``, not before the field's name: a page that shows
    several forms with the same fields (an editor per question, two link forms) keeps its ids
    unique, so each label and error message belongs to its own field.
    """

    id_prefix = ""

    class Meta:
        locales = ("nl",)

        def wrap_formdata(self, form, formdata):
            # Flask-WTF would read a JSON body as the form. The app posts no JSON, and JSON
            # values need not be text (numbers, lists, lone surrogates): read no fields then.
            if has_request_context() and request.is_json and not hasattr(formdata, "getlist"):
                formdata = request.form
            return super().wrap_formdata(form, formdata)

    def __init__(self, *args, id_prefix: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        prefix = self.id_prefix if id_prefix is None else id_prefix
        if prefix:
            for field in self:
                field.id = f"{prefix}{field.id}"
                field.label.field_id = field.id


def field_attrs(field, hint: str | None = None, attrs: dict | None = None) -> dict:
    """The attributes that tie a field's hint and error message to it.

    ``aria-describedby`` names the hint (``<id>-hint``) and the error (``<id>-error``) that
    the form macros render, and a field with an error gets ``aria-invalid="true"``.
    """
    result = dict(attrs or {})
    described = []
    if field.description or hint:
        described.append(f"{field.id}-hint")
    if field.errors:
        described.append(f"{field.id}-error")
        result["aria-invalid"] = "true"
    if described:
        result["aria-describedby"] = " ".join(described)
    return result


def show_error(form, error: DomainError, field=None) -> None:
    """Put a service's message in the form: at ``field`` when it is about what was typed
    there (a ValidationError), so it is tied to that field; above the form otherwise (a
    conflict or a published version concerns the whole form)."""
    if field is not None and isinstance(error, ValidationError):
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
