"""The form for a term of the begrippenlijst."""

from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from dla.forms import DutchForm
from dla.glossary.models import MAX_DEFINITION_LENGTH, MAX_TERM_LENGTH

TOO_LONG = "Dit is te lang (maximaal %(max)d tekens)."


class TermForm(DutchForm):
    term = StringField(
        "Begrip",
        validators=[
            DataRequired(message="Vul het begrip in."),
            Length(max=MAX_TERM_LENGTH, message=TOO_LONG),
        ],
    )
    definition = TextAreaField(
        "Afgesproken omschrijving",
        validators=[
            DataRequired(message="Vul de omschrijving in."),
            Length(max=MAX_DEFINITION_LENGTH, message=TOO_LONG),
        ],
    )
    lock_version = HiddenField()
