"""Login, logout, password, invitations and memberships."""

import logging
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    redirect,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from dla import htmx
from dla.auth import services
from dla.auth.forms import AcceptForm, InviteForm, LoginForm, PasswordForm, RoleForm
from dla.auth.loaders import get_region_or_404
from dla.auth.models import ROLES, Membership, User
from dla.auth.permissions import access
from dla.errors import DomainError, error_response
from dla.extensions import db, limiter, login_manager
from dla.regions.models import Region
from dla.werksessies.views import PARTICIPANT_ENDPOINTS

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__)

# Reachable without logging in (participants of a werksessie join with its code).
PUBLIC_ENDPOINTS = {
    "auth.login",
    "auth.accept_invitation",
    "static",
    "charts.plotly_js",
    "charts.plotly_css",
    "health.healthz",
    *PARTICIPANT_ENDPOINTS,
}
LOGIN_FAILED = "Het e-mailadres of het wachtwoord klopt niet."
# A region's beheerder manages the others, never their own role (which could otherwise
# become projectleider and read restricted versions).
OWN_ROLE = "U kunt uw eigen rol niet wijzigen. Vraag een andere beheerder."


@login_manager.user_loader
def load_user(user_id: str):
    ident, _, token = (user_id or "").partition(":")
    if not ident.isdigit() or not token:
        return None
    user = db.session.get(User, int(ident))
    if user is None or not user.active or user.session_token != token:
        return None
    return user


def register(app: Flask) -> None:
    @app.before_request
    def require_login():
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return None
        if current_user.is_authenticated:
            return None
        target = url_for("auth.login", next=request.full_path if request.method == "GET" else None)
        return htmx.redirect(target)

    @app.errorhandler(429)
    def too_many(_error):
        return error_response(
            429, "Te veel pogingen. Wacht een paar minuten en probeer het dan opnieuw."
        )


def _safe_next(target: str | None) -> str:
    """Only redirect to a path on this site."""
    if not target:
        return url_for("regions.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("regions.index")
    return target


def _login_key() -> str:
    return "login:" + services.normalise_email(request.form.get("email", ""))[:254]


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@limiter.limit("5 per minute;20 per hour", methods=["POST"], key_func=_login_key)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("regions.index"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            session.clear()  # a fresh session at login (no fixation)
            login_user(user)
            db.session.commit()
            log.info("user %s logged in", user.id)
            return redirect(_safe_next(form.next.data))
        form.form_errors.append(LOGIN_FAILED)
    status = 422 if form.errors or form.form_errors else 200
    return htmx.render("auth/login.html", form=form), status


@bp.post("/uitloggen")
def logout():
    if current_user.is_authenticated:
        services.end_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    flash("U bent uitgelogd.")
    return redirect(url_for("auth.login"))


@bp.route("/account/wachtwoord", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.new.data)
        except DomainError as error:
            db.session.rollback()
            form.new.errors = [*form.new.errors, error.message]
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # keep this session; others end
            flash("Uw wachtwoord is gewijzigd. Andere sessies zijn uitgelogd.")
            return redirect(url_for("regions.index"))
    return htmx.render("auth/password.html", form=form), 422 if form.errors else 200


@bp.route("/uitnodiging/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def accept_invitation(token: str):
    invitation = services.find_invitation(token)
    if invitation is None:
        return error_response(
            404, "Deze uitnodiging bestaat niet, is al gebruikt of is verlopen. Vraag een nieuwe."
        )
    form = AcceptForm()
    if form.validate_on_submit():
        try:
            user = services.accept_invitation(
                invitation, name=form.name.data, password=form.password.data
            )
        except DomainError as error:
            db.session.rollback()
            form.password.errors = [*form.password.errors, error.message]
        else:
            session.clear()
            login_user(user)
            db.session.commit()
            flash(f"Welkom! U bent nu {invitation.role_label.lower()} in {invitation.region.name}.")
            return redirect(url_for("regions.index"))
    return (
        htmx.render("auth/accept.html", form=form, invitation=invitation),
        422 if form.errors else 200,
    )


# --- memberships of a region ------------------------------------------------------------------


def _managed_region(region_id: int) -> Region:
    return get_region_or_404(region_id, "manage_region")


@bp.get("/regios/<int:region_id>/leden")
def members(region_id: int):
    region = _managed_region(region_id)
    return htmx.render(
        "auth/members.html",
        region=region,
        members=services.region_members(region.id),
        invite_form=InviteForm(formdata=None),
        roles=ROLES,
        link=None,
    )


@bp.post("/regios/<int:region_id>/uitnodigingen")
def invite(region_id: int):
    region = _managed_region(region_id)
    form = InviteForm()
    link = None
    status = 422
    if form.validate():
        try:
            _invitation, token = services.create_invitation(
                region.id, form.email.data, form.role.data, by=current_user
            )
        except DomainError as error:
            db.session.rollback()
            form.email.errors = [*form.email.errors, error.message]
        else:
            db.session.commit()
            link = url_for("auth.accept_invitation", token=token, _external=True)
            status = 200
    return (
        htmx.render(
            "auth/members.html",
            region=region,
            members=services.region_members(region.id),
            invite_form=form,
            roles=ROLES,
            link=link,
        ),
        status,
    )


@bp.post("/lidmaatschappen/<int:membership_id>")
def change_role(membership_id: int):
    membership = db.get_or_404(Membership, membership_id)
    _managed_region(membership.region_id)
    if membership.user_id == current_user.id and not current_user.is_admin:
        return error_response(403, OWN_ROLE)
    form = RoleForm()
    services.set_membership(membership.user, membership.region_id, form.role.data or "")
    db.session.commit()
    flash(f"De rol van {membership.user.name} is nu {membership.role_label.lower()}.")
    return htmx.redirect(url_for("auth.members", region_id=membership.region_id))


@bp.post("/lidmaatschappen/<int:membership_id>/verwijderen")
def remove_member(membership_id: int):
    membership = db.get_or_404(Membership, membership_id)
    _managed_region(membership.region_id)
    if membership.user_id == current_user.id and not current_user.is_admin:
        return error_response(
            409, "U kunt uzelf niet uit de regio halen. Vraag een andere beheerder."
        )
    region_id = membership.region_id
    services.remove_membership(membership)
    db.session.commit()
    flash("Het lidmaatschap is verwijderd.")
    return htmx.redirect(url_for("auth.members", region_id=region_id))


# --- global user administration ---------------------------------------------------------------


def _admin() -> None:
    if not access().is_admin:
        abort(403)


@bp.get("/beheer/gebruikers")
def users():
    _admin()
    everyone = db.session.scalars(select(User).order_by(User.name)).all()
    return htmx.render("auth/users.html", users=everyone)


@bp.post("/beheer/gebruikers/<int:user_id>/actief")
def set_active(user_id: int):
    _admin()
    user = db.get_or_404(User, user_id)
    services.set_active(user, request.form.get("active") == "1", by=current_user)
    db.session.commit()
    flash(f"Account van {user.name} is {'actief' if user.active else 'geblokkeerd'}.")
    return htmx.redirect(url_for("auth.users"))
