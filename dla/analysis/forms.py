"""Forms for the matrix, items, links, milestones, actions, decisions and escalation."""

from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from dla.analysis.models import (
    ACTION_STATUSES,
    AXES,
    DECISION_KINDS,
    DECISION_STATUSES,
    ITEM_KINDS,
    ITEM_STATUSES,
    MILESTONE_STATUSES,
    SOURCES,
)
from dla.analysis.services import ESCALATION_MODES
from dla.forms import DutchDateField, DutchForm, choices, optional_int

TOO_LONG = "Dit is te lang (maximaal %(max)d tekens)."


class HeadingForm(DutchForm):
    axis = SelectField("Lijst", choices=choices(AXES.items()))
    name = StringField(
        "Naam",
        validators=[InputRequired("Vul een naam in."), Length(max=120, message=TOO_LONG)],
    )
    lock_version = HiddenField()


class ItemForm(DutchForm):
    aspect_id = SelectField("Systeemaspect", coerce=optional_int, validate_choice=False)
    actor_id = SelectField("Actorgroep", coerce=optional_int, validate_choice=False)
    kind = SelectField("Soort", choices=choices(ITEM_KINDS.items()))
    description = TextAreaField(
        "Beschrijving",
        description="Over het systeem, nooit over cliënten of gezinnen.",
        validators=[
            InputRequired("Beschrijf de barrière of kans."),
            Length(max=2000, message=TOO_LONG),
        ],
    )
    source = SelectField("Bron", choices=choices(SOURCES.items()))
    status = SelectField("Status", choices=choices(ITEM_STATUSES.items()))
    noted_on = DutchDateField("Gezien op (mag leeg blijven)")
    status_on = DutchDateField("Status sinds (mag leeg blijven)")
    lock_version = HiddenField()


class LinkForm(DutchForm):
    item_id = SelectField("Item uit de systeemanalyse", coerce=optional_int, validate_choice=False)
    note = StringField(
        "Korte toelichting (mag leeg blijven)",
        validators=[Optional(), Length(max=500, message=TOO_LONG)],
    )


class MilestoneForm(DutchForm):
    title = StringField(
        "Mijlpaal",
        validators=[InputRequired("Vul de mijlpaal in."), Length(max=300, message=TOO_LONG)],
    )
    description = TextAreaField(
        "Toelichting (mag leeg blijven)", validators=[Optional(), Length(max=2000)]
    )
    term = StringField(
        "Termijn",
        description="Bijvoorbeeld: half september, of: afhankelijk van het tempo.",
        validators=[Optional(), Length(max=120, message=TOO_LONG)],
    )
    due_on = DutchDateField(
        "Uiterste datum (mag leeg blijven)",
        description="Zonder datum leest het register de termijn, zoals: voor de zomer van 2026.",
    )
    status = SelectField("Status", choices=choices(MILESTONE_STATUSES.items()))
    lock_version = HiddenField()


class ActionForm(DutchForm):
    text = StringField(
        "Actie",
        validators=[InputRequired("Beschrijf de actie."), Length(max=2000, message=TOO_LONG)],
    )
    owner = StringField("Wie", validators=[Optional(), Length(max=200, message=TOO_LONG)])
    term = StringField("Wanneer", validators=[Optional(), Length(max=120, message=TOO_LONG)])
    status = SelectField("Status", choices=choices(ACTION_STATUSES.items()))
    lock_version = HiddenField()


class DecisionForm(DutchForm):
    decided_on = DutchDateField(
        "Datum", validators=[InputRequired("Vul de datum van het besluit in.")]
    )
    kind = SelectField("Soort", choices=choices(DECISION_KINDS.items()))
    text = TextAreaField(
        "Besluit of verzoek",
        validators=[InputRequired("Schrijf het besluit op."), Length(max=2000, message=TOO_LONG)],
    )
    follow_up = TextAreaField(
        "Vervolg (mag leeg blijven)", validators=[Optional(), Length(max=2000, message=TOO_LONG)]
    )
    owner = StringField(
        "Wie zorgt voor het vervolg (mag leeg blijven)",
        validators=[Optional(), Length(max=200, message=TOO_LONG)],
    )
    due_on = DutchDateField("Uiterlijk klaar op (mag leeg blijven)")
    status = SelectField("Status", choices=choices(DECISION_STATUSES.items()))
    lock_version = HiddenField()


class EscalationForm(DutchForm):
    agenda_id = SelectField("Naar agenda", coerce=optional_int, validate_choice=False)
    mode = SelectField("Hoe", choices=choices(ESCALATION_MODES.items()))
    note = StringField(
        "Waarom (mag leeg blijven)", validators=[Optional(), Length(max=2000, message=TOO_LONG)]
    )
