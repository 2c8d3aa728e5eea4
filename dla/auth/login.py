"""Who is logged in: the user loader and the login check on every request.

A view anyone may reach (the login page, an invitation, a participant's phone route, the
health check) is marked with :func:`dla.security.public`; every other endpoint sends a
visitor who is not logged in to the login page.
"""

from flask import Flask, current_app, g, request, url_for
from flask_login import current_user

from dla import htmx
from dla.auth import permissions
from dla.errors import error_response
from dla.extensions import login_manager
from dla.security import is_public, public


def load_user(user_id: str):
    """The person in the session cookie (``id:session_token``), with their rights read in
    the same statement and kept as the request's ``access()``."""
    ident, _, token = (user_id or "").partition(":")
    if not ident.isdigit() or not token:
        return None
    user, rights = permissions.load_user(int(ident))
    if user is None or not user.active or user.session_token != token:
        return None
    g.access = rights
    return user


def require_login():
    if request.endpoint is None or is_public(current_app.view_functions.get(request.endpoint)):
        return None
    if current_user.is_authenticated:
        return None
    target = url_for("auth.login", next=request.full_path if request.method == "GET" else None)
    return htmx.redirect(target)


def too_many(_error):
    return error_response(
        429, "Te veel pogingen. Wacht een paar minuten en probeer het dan opnieuw."
    )


def install(app: Flask) -> None:
    """Load the user from the session cookie, and ask for a login where a view is not public
    (call after the blueprints are registered)."""
    login_manager.user_loader(load_user)
    if "static" in app.view_functions:
        public(app.view_functions["static"])  # the style sheets and scripts of the login page
    app.before_request(require_login)
    app.register_error_handler(429, too_many)
