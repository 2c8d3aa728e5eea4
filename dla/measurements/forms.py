"""Forms for indicators, observations and links (Dutch labels and messages)."""

from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from dla.forms import DutchDateField, DutchForm, choices
from dla.measurements.models import AUDIENCES, CONCERNS, HORIZONS, KINDS
from dla.measurements.services import MAX_NAME, MAX_NOTE, MAX_SOURCE, MAX_TEXT, MAX_UNIT

TOO_LONG = "Dit is te lang (maximaal %(max)d tekens)."


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class IndicatorForm(DutchForm):
    name = StringField(
        "Naam van de meting",
        description="Bijvoorbeeld: Gezinnen die merken dat er iets verandert",
        validators=[
            InputRequired("Geef de meting een naam."),
            Length(max=MAX_NAME, message=TOO_LONG),
        ],
    )
    description = TextAreaField(
        "Wat meten we, en waarom helpt dat om te leren?",
        validators=[Optional(), Length(max=MAX_TEXT, message=TOO_LONG)],
    )
    concerns = RadioField(
        "Waar gaat de meting over?",
        choices=choices(CONCERNS.items()),
        validators=[InputRequired("Kies waar de meting over gaat.")],
    )
    horizon = RadioField(
        "Termijn",
        choices=choices(HORIZONS.items()),
        validators=[InputRequired("Kies de termijn.")],
    )
    audiences = CheckboxesField(
        "Wie heeft deze terugkoppeling nodig?", choices=choices(AUDIENCES.items())
    )
    kind = SelectField(
        "Soort meting",
        choices=choices(KINDS.items()),
        validators=[InputRequired("Kies het soort meting.")],
    )
    unit = StringField(
        "Eenheid (mag leeg blijven)",
        description="Bijvoorbeeld: gezinnen, %, punten op een schaal van 1 tot 10",
        validators=[Optional(), Length(max=MAX_UNIT, message=TOO_LONG)],
    )
    target = StringField(
        "Streefwaarde (mag leeg blijven)",
        description="Waar willen we uitkomen? Bijvoorbeeld 7 op een schaal van 1 tot 10. "
        "De grafiek toont het als een stippellijn.",
        validators=[Optional()],
    )
    lock_version = HiddenField()

    def fields_data(self) -> dict:
        return {
            "name": self.name.data,
            "description": self.description.data or "",
            "concerns": self.concerns.data,
            "horizon": self.horizon.data,
            "audiences": self.audiences.data or [],
            "kind": self.kind.data,
            "unit": self.unit.data or "",
            "target": self.target.data or "",
        }


class ObservationForm(DutchForm):
    observed_on = DutchDateField("Datum (of begin van de periode)")
    period_end = DutchDateField("Einde van de periode (mag leeg blijven)")
    value = StringField(
        "Waarde", description="Een getal, bijvoorbeeld 12 of 12,5.", validators=[Optional()]
    )
    narrative = TextAreaField(
        "Verhaal of toelichting",
        description="Wat zagen of hoorden we? Alleen over groepen, nooit over één gezin.",
        validators=[Optional(), Length(max=MAX_TEXT, message=TOO_LONG)],
    )
    source = StringField(
        "Bron (mag leeg blijven)",
        description="Bijvoorbeeld: registratie wijkteams, reflectiesessie, enquête",
        validators=[Optional(), Length(max=MAX_SOURCE, message=TOO_LONG)],
    )


class LinkForm(DutchForm):
    id_prefix = "thread-link-"  # shown on the indicator page next to ItemLinkForm
    thread_id = SelectField("Leervraag", validate_choice=False)
    note = StringField(
        "Hoe zouden we vooruitgang merken? (mag leeg blijven)",
        validators=[Optional(), Length(max=MAX_NOTE, message=TOO_LONG)],
    )


class ItemLinkForm(DutchForm):
    id_prefix = "item-link-"
    item_id = SelectField("Barrière of kans uit de systeemanalyse", validate_choice=False)
    note = StringField(
        "Hoe zouden we merken dat deze barrière verandert? (mag leeg blijven)",
        validators=[Optional(), Length(max=MAX_NOTE, message=TOO_LONG)],
    )
