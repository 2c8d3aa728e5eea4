"""Forms for planning a session and for joining one (Dutch labels and messages)."""

from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from dla.agendas.services import MAX_QUESTION_LENGTH
from dla.forms import DutchDateField, DutchForm, bounded_int, choices
from dla.werksessies.models import KINDS, PARTICIPANT_ROLES
from dla.werksessies.planning import MAX_PARTICIPANTS

TOO_LONG = "Dit is te lang (maximaal %(max)d tekens)."


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SessionForm(DutchForm):
    kind = SelectField("Soort sessie", choices=choices(KINDS.items()))
    title = StringField(
        "Titel",
        description="Bijvoorbeeld: Werksessie zorg en veiligheid",
        validators=[InputRequired("Geef de sessie een titel."), Length(max=200, message=TOO_LONG)],
    )
    session_date = DutchDateField("Datum", validators=[InputRequired("Vul de datum in.")])
    agenda_ids = MultiCheckboxField(
        "Agenda's om te bespreken", coerce=bounded_int, validate_choice=False
    )
    notes = TextAreaField(
        "Aantekeningen (mag leeg blijven)",
        validators=[Optional(), Length(max=5000, message=TOO_LONG)],
    )
    allow_anonymous = BooleanField("Deelnemers mogen meedoen zonder account (alleen met de code)")
    max_participants = IntegerField(
        "Hoeveel deelnemers hoogstens?",
        default=60,
        validators=[
            Optional(),
            NumberRange(
                1, MAX_PARTICIPANTS, f"Kies een aantal van 1 tot en met {MAX_PARTICIPANTS}."
            ),
        ],
    )
    lock_version = HiddenField()

    def values(self) -> dict:
        return {
            "kind": self.kind.data,
            "title": self.title.data,
            "session_date": self.session_date.data,
            "agenda_ids": list(self.agenda_ids.data or []),
            "notes": self.notes.data or "",
            "allow_anonymous": bool(self.allow_anonymous.data),
            "max_participants": self.max_participants.data,
        }


class CodeForm(DutchForm):
    code = StringField(
        "Code van de sessie",
        description="Acht tekens, zoals op het scherm in de zaal (spaties mogen).",
        validators=[InputRequired("Vul de code in."), Length(max=20, message=TOO_LONG)],
    )


class JoinForm(DutchForm):
    display_name = StringField(
        "Uw naam (mag leeg blijven)",
        description="Alleen de facilitator ziet uw naam. Het verslag telt alleen rollen.",
        validators=[Optional(), Length(max=80, message=TOO_LONG)],
    )
    role = SelectField(
        "Uw rol",
        choices=choices([("", "Kies …"), *PARTICIPANT_ROLES.items()]),
        validate_choice=False,
        validators=[InputRequired("Kies uw rol.")],
    )


class ContributionForm(DutchForm):
    """A new question through the two-field helper."""

    goal = StringField(
        "Hoe kan ik / kunnen we …",
        validators=[Optional(), Length(max=MAX_QUESTION_LENGTH, message=TOO_LONG)],
    )
    barrier = StringField(
        "… terwijl …",
        validators=[Optional(), Length(max=MAX_QUESTION_LENGTH, message=TOO_LONG)],
    )
