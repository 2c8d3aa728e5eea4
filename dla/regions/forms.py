from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from dla.forms import DutchForm


class RegionForm(DutchForm):
    name = StringField(
        "Naam van de regio",
        validators=[
            InputRequired("Geef de regio een naam."),
            Length(max=120, message="Maximaal 120 tekens."),
        ],
    )
    description = TextAreaField(
        "Korte beschrijving",
        validators=[Optional(), Length(max=5000, message="Maximaal 5000 tekens.")],
    )
    municipalities = TextAreaField(
        "Gemeenten (één per regel)",
        validators=[Optional(), Length(max=5000, message="Maximaal 5000 tekens.")],
    )
    persist_min_run = IntegerField(
        "Hardnekkig na zoveel versies op rij",
        default=3,
        validators=[
            InputRequired("Vul een aantal versies in."),
            NumberRange(2, 50, "Kies een getal van 2 tot en met 50."),
        ],
    )
    persist_max_months = IntegerField(
        "Of: nog open na zoveel maanden",
        default=9,
        validators=[
            InputRequired("Vul een aantal maanden in."),
            NumberRange(1, 120, "Kies een getal van 1 tot en met 120."),
        ],
    )
    lock_version = HiddenField()
