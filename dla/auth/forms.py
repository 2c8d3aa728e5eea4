"""Login, password and membership forms."""

from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import InputRequired, Length

from dla.auth.models import ROLES
from dla.forms import DutchForm, choices


class LoginForm(DutchForm):
    email = EmailField(
        "E-mailadres",
        validators=[InputRequired("Vul uw e-mailadres in."), Length(max=254)],
    )
    password = PasswordField(
        "Wachtwoord", validators=[InputRequired("Vul uw wachtwoord in."), Length(max=200)]
    )
    next = HiddenField()


class PasswordForm(DutchForm):
    current = PasswordField(
        "Huidig wachtwoord", validators=[InputRequired("Vul uw huidige wachtwoord in.")]
    )
    new = PasswordField(
        "Nieuw wachtwoord",
        description="Minstens 12 tekens. Een zin van een paar woorden werkt goed.",
        validators=[InputRequired("Kies een nieuw wachtwoord."), Length(max=200)],
    )


class AcceptForm(DutchForm):
    name = StringField("Uw naam", validators=[InputRequired("Vul uw naam in."), Length(max=200)])
    password = PasswordField(
        "Wachtwoord",
        description="Minstens 12 tekens. Heeft u al een account? Vul dan dat wachtwoord in.",
        validators=[InputRequired("Kies een wachtwoord."), Length(max=200)],
    )


class InviteForm(DutchForm):
    email = EmailField(
        "E-mailadres", validators=[InputRequired("Vul een e-mailadres in."), Length(max=254)]
    )
    role = SelectField("Rol", choices=choices(ROLES.items()), validate_choice=False)


class RoleForm(DutchForm):
    role = SelectField("Rol", choices=choices(ROLES.items()), validate_choice=False)
