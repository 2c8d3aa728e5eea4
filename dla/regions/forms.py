from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from dla.auth.models import ROLES
from dla.forms import DutchForm, choices


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
    stop_words = TextAreaField(
        "Stopwoorden bij het vergelijken van vragen (één per regel)",
        description="Leeg laten: de standaardlijst (de, het, een, en, …).",
        validators=[Optional(), Length(max=5000, message="Maximaal 5000 tekens.")],
    )
    lock_version = HiddenField()


class NewRegionForm(RegionForm):
    my_role = SelectField(
        "Uw eigen rol in deze regio",
        description="U kunt rollen later wijzigen bij ‘Leden’.",
        choices=choices(ROLES.items()),
        default="projectleider",
        validate_choice=False,
    )
