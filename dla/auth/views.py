"""Login, logout, password, invitations and memberships."""

import logging
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from dla import htmx
from dla.auth import queries, services
from dla.auth.forms import AcceptForm, InviteForm, LoginForm, PasswordForm, RoleForm
from dla.auth.loaders import get_region_or_404
from dla.auth.models import ROLES, Membership, User
from dla.auth.permissions import access
from dla.errors import error_response, saving
from dla.extensions import db, limiter
from dla.regions.models import Region
from dla.security import public

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__)

LOGIN_FAILED = "Het e-mailadres of het wachtwoord klopt niet."
# A region's beheerder manages the others, never their own role (which could otherwise
# become projectleider and read restricted versions).
OWN_ROLE = "U kunt uw eigen rol niet wijzigen. Vraag een andere beheerder."


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


def _failed(response) -> bool:
    """Only a failed login counts toward the limits: a successful one redirects. People who
    log in one after another on a shared meeting laptop never lock each other out."""
    return response.status_code != 302


@bp.route("/inloggen", methods=["GET", "POST"])
@public
@limiter.limit("20 per minute", methods=["POST"], deduct_when=_failed)
@limiter.limit(
    "5 per minute;20 per hour", methods=["POST"], key_func=_login_key, deduct_when=_failed
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("regions.index"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = None
        with saving(form) as saved:
            user = services.authenticate(form.email.data, form.password.data)
            if user is not None:
                session.clear()  # a fresh session at login (no fixation)
                login_user(user)
        if saved.ok and user is not None:
            log.info("user %s logged in", user.id)
            return redirect(_safe_next(form.next.data))
        if user is None:
            form.form_errors.append(LOGIN_FAILED)
    status = 422 if form.errors or form.form_errors else 200
    return htmx.render("auth/login.html", form=form), status


@bp.post("/uitloggen")
def logout():
    if current_user.is_authenticated:
        with saving(refuse=True):
            services.end_sessions(current_user)
    logout_user()
    session.clear()
    flash("U bent uitgelogd.")
    response = redirect(url_for("auth.login"))
    # Pages with an ETag may be kept by this browser (dla.caching.pages): drop them.
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


@bp.route("/account/wachtwoord", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        with saving() as saved:
            services.change_password(current_user, form.current.data, form.new.data)
        if saved.ok:
            login_user(current_user._get_current_object())  # keep this session; others end
            flash("Uw wachtwoord is gewijzigd. Andere sessies zijn uitgelogd.")
            return redirect(url_for("regions.index"))
        form.new.errors = [*form.new.errors, saved.message]
    return htmx.render("auth/password.html", form=form), 422 if form.errors else 200


@bp.route("/uitnodiging/<token>", methods=["GET", "POST"])
@public
@limiter.limit("20 per minute", methods=["POST"])
def accept_invitation(token: str):
    invitation = services.find_invitation(token)
    if invitation is None:
        return error_response(
            404, "Deze uitnodiging bestaat niet, is al gebruikt of is verlopen. Vraag een nieuwe."
        )
    form = AcceptForm()
    if form.validate_on_submit():
        with saving() as saved:
            user = services.accept_invitation(
                invitation, name=form.name.data, password=form.password.data
            )
            session.clear()
            login_user(user)
        if saved.ok:
            flash(f"Welkom! U bent nu {invitation.role_label.lower()} in {invitation.region.name}.")
            return redirect(url_for("regions.index"))
        form.password.errors = [*form.password.errors, saved.message]
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
        with saving() as saved:
            _invitation, token = services.create_invitation(
                region.id, form.email.data, form.role.data, by=current_user
            )
        if saved.ok:
            link = url_for("auth.accept_invitation", token=token, _external=True)
            status = 200
        else:
            form.email.errors = [*form.email.errors, saved.message]
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
    with saving(refuse=True):
        services.set_membership(membership.user, membership.region_id, form.role.data or "")
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
    with saving(refuse=True):
        services.remove_membership(membership)
    flash("Het lidmaatschap is verwijderd.")
    return htmx.redirect(url_for("auth.members", region_id=region_id))


# --- global user administration ---------------------------------------------------------------


def _admin() -> None:
    if not access().is_admin:
        abort(403)


@bp.get("/beheer/gebruikers")
def users():
    _admin()
    return htmx.render("auth/users.html", users=queries.users_by_name())


@bp.post("/beheer/gebruikers/<int:user_id>/actief")
def set_active(user_id: int):
    _admin()
    user = db.get_or_404(User, user_id)
    with saving(refuse=True):
        services.set_active(user, request.form.get("active") == "1", by=current_user)
    flash(f"Account van {user.name} is {'actief' if user.active else 'geblokkeerd'}.")
    return htmx.redirect(url_for("auth.users"))
