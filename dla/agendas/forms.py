"""Forms for agendas, versions, questions and transitions (Dutch labels and messages)."""

from wtforms import (
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from dla.agendas.models import (
    DISTRIBUTIONS,
    DROP_REASONS,
    LABEL_STYLES,
    LEVELS,
    ORIGINS,
    TRANSITIONS,
)
from dla.agendas.services import MAX_QUESTION_LENGTH
from dla.forms import DutchDateField, DutchForm, choices, optional_int, printable

TOO_LONG = "Dit is te lang (maximaal %(max)d tekens)."


def lines(text: str | None) -> list[str]:
    """The non-empty lines of a text area, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class AgendaForm(DutchForm):
    title = StringField(
        "Titel",
        validators=[InputRequired("Geef de agenda een titel."), Length(max=300, message=TOO_LONG)],
    )
    level = SelectField(
        "Niveau",
        choices=choices(LEVELS.items()),
        validators=[InputRequired("Kies een niveau.")],
    )
    audience = StringField(
        "Doelgroep",
        description="Voor wie is deze agenda? Bijvoorbeeld: ICR's in opleiding, managers.",
        validators=[InputRequired("Vul de doelgroep in."), Length(max=120, message=TOO_LONG)],
    )
    ambition = TextAreaField(
        "Ambitie (mag leeg blijven)", validators=[Optional(), Length(max=5000, message=TOO_LONG)]
    )
    lock_version = HiddenField()


class VersionForm(DutchForm):
    number = IntegerField(
        "Versienummer",
        description="Bepaalt de volgorde van de versies, los van de datum.",
        validators=[Optional(), NumberRange(1, 10000, "Kies een nummer van 1 tot en met 10000.")],
    )
    label = StringField(
        "Label op het document (bijvoorbeeld ‘1’)",
        validators=[Optional(), Length(max=40, message=TOO_LONG)],
    )
    document_date = DutchDateField("Datum van het document")
    session_date = DutchDateField("Datum van de sessie (mag leeg blijven)")
    origin = SelectField("Hoe is deze versie gemaakt?", choices=choices(ORIGINS.items()))
    context_line = StringField(
        "Aanleiding",
        description="Bijvoorbeeld: Naar aanleiding van de werksessie op 21 januari 2020",
        validators=[Optional(), Length(max=500, message=TOO_LONG)],
    )
    distribution = SelectField("Wie mag deze versie zien?", choices=choices(DISTRIBUTIONS.items()))
    themes = TextAreaField(
        "Thema's (één per regel)", validators=[Optional(), Length(max=2000, message=TOO_LONG)]
    )
    groups = TextAreaField(
        "Groepen vragen (één per regel, mag leeg blijven)",
        description="Bijvoorbeeld: Leervragen ten aanzien van ambitie",
        validators=[Optional(), Length(max=2000, message=TOO_LONG)],
    )
    author = StringField(
        "Opgesteld door", validators=[Optional(), Length(max=200, message=TOO_LONG)]
    )
    recipient = StringField(
        "Aan (bij een memo)", validators=[Optional(), Length(max=300, message=TOO_LONG)]
    )
    reference = StringField("Kenmerk", validators=[Optional(), Length(max=100, message=TOO_LONG)])
    report_reference = StringField(
        "Verwijzing in rapporten (mag leeg blijven)",
        description="Waaronder rapporten deze versie citeren, bijvoorbeeld: bijlage 2.4",
        validators=[Optional(), Length(max=100, message=TOO_LONG)],
    )
    lock_version = HiddenField()

    def meta_fields(self) -> dict:
        keys = (
            "label",
            "document_date",
            "session_date",
            "origin",
            "context_line",
            "distribution",
            "themes",
            "author",
            "recipient",
            "reference",
            "report_reference",
        )
        return {key: getattr(self, key).data for key in keys}


class QuestionForm(DutchForm):
    """A question as one sentence, or through the two-field helper (goal / barrier)."""

    text = TextAreaField(
        "De leervraag",
        validators=[Optional(), Length(max=MAX_QUESTION_LENGTH, message=TOO_LONG)],
    )
    goal = StringField(
        "Hoe kan ik / kunnen we …",
        validators=[Optional(), Length(max=MAX_QUESTION_LENGTH, message=TOO_LONG)],
    )
    barrier = StringField(
        "… terwijl …",
        validators=[Optional(), Length(max=MAX_QUESTION_LENGTH, message=TOO_LONG)],
    )
    shared_stem = StringField(
        "Gedeelde stam (mag leeg blijven)",
        description="Bijvoorbeeld: Hoe kan ik als regisseur het plan uitvoeren, terwijl…",
        validators=[Optional(), Length(max=MAX_QUESTION_LENGTH, message=TOO_LONG)],
    )
    group_id = SelectField("Groep", coerce=optional_int, validate_choice=False)
    subquestions = TextAreaField(
        "Deelvragen (één per regel, mag leeg blijven)",
        validators=[Optional(), Length(max=MAX_QUESTION_LENGTH * 5, message=TOO_LONG)],
    )
    lock_version = HiddenField()


class SubQuestionForm(DutchForm):
    text = StringField(
        "Deelvraag",
        validators=[
            InputRequired("Vul de deelvraag in."),
            Length(max=MAX_QUESTION_LENGTH, message=TOO_LONG),
        ],
    )


class GroupForm(DutchForm):
    title = StringField(
        "Naam van de groep",
        validators=[InputRequired("Geef de groep een naam."), Length(max=300, message=TOO_LONG)],
    )
    label_style = SelectField("Nummering", choices=choices(LABEL_STYLES.items()))


class TransitionForm(DutchForm):
    kind = SelectField(
        "Wat gebeurt er met deze vraag?",
        choices=choices([("", "Kies …"), *TRANSITIONS.items()]),
        validate_choice=False,
        validators=[InputRequired("Kies wat er met deze vraag gebeurt.")],
    )
    text = TextAreaField(
        "Nieuwe formulering",
        validators=[Optional(), Length(max=MAX_QUESTION_LENGTH, message=TOO_LONG)],
    )
    merge_into = SelectField("Samengevoegd met", coerce=optional_int, validate_choice=False)
    split_texts = TextAreaField(
        "Nieuwe vragen die uit deze vraag voortkomen (één per regel)",
        validators=[Optional(), Length(max=MAX_QUESTION_LENGTH * 10, message=TOO_LONG)],
    )
    target_agenda = SelectField("Naar agenda", coerce=optional_int, validate_choice=False)
    reason = SelectField(
        "Reden", choices=choices([("", "Kies …"), *DROP_REASONS.items()]), validate_choice=False
    )
    note = TextAreaField(
        "Antwoord, actie of toelichting",
        validators=[Optional(), Length(max=5000, message=TOO_LONG)],
    )
    expected = HiddenField()


STATUS_FILTERS = {
    "open": "Staat op de agenda",
    "alle": "Alle",
    "closed": "Afgesloten",
    "voorlopig_beantwoord": "Voorlopig beantwoord",
    "vervallen": "Vervallen",
    "samengevoegd": "Samengevoegd",
}


def question_filters(args, *, levels: bool = True) -> dict:
    """Read the overview filters from the query string; unknown values fall back."""
    status = args.get("status", "open")
    filters = {
        "status": status if status in STATUS_FILTERS else "open",
        "q": printable(args.get("q", "")).strip()[:200],
        "hardnekkig": args.get("hardnekkig") == "1",
    }
    if levels:
        filters["level"] = args.get("niveau", "") if args.get("niveau") in LEVELS else ""
        filters["audience"] = printable(args.get("doelgroep", ""))[:120]
    return filters


def page_number(args) -> int:
    try:
        return max(1, min(int(args.get("pagina", 1)), 100000))
    except ValueError:
        return 1
