"""Domain errors raised by services, and the HTTP error handlers.

Services raise ``ValidationError`` (bad input, 422), ``ConflictError`` (someone else changed
the data, 409) or ``PublishedError`` (a published version is immutable, 409). Views may
catch them to re-render a form; anything uncaught is answered here with a Dutch message,
as a full page or, for htmx requests, as a fragment in the page's message area.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, Response, current_app, g, render_template, request
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, SecurityError

from dla.extensions import db, login_manager

log = logging.getLogger(__name__)


class DomainError(Exception):
    status = 422

    def __init__(self, message: str, *, current: str | None = None):
        super().__init__(message)
        self.message = message
        # For conflicts: what the other person saved, shown next to the message.
        self.current = current


class ValidationError(DomainError):
    status = 422


class ConflictError(DomainError):
    status = 409


class PublishedError(ConflictError):
    def __init__(self, message: str | None = None):
        super().__init__(
            message
            or "Deze versie is vastgesteld. Een vastgestelde versie kan niet meer "
            "veranderen. Start een nieuwe versie om verder te werken."
        )


MESSAGES = {
    400: "Dit verzoek kunnen we niet verwerken. Laad de pagina opnieuw en probeer het nog eens.",
    403: "U mag dit niet doen.",
    404: "Deze pagina bestaat niet (meer).",
    405: "Deze actie kan niet op deze manier.",
    409: "Iemand anders heeft dit intussen gewijzigd. Laad de pagina opnieuw.",
    413: "Wat u verstuurt is te groot.",
    422: "De invoer klopt niet.",
    500: "Er ging iets mis aan onze kant. Uw wijziging is niet opgeslagen.",
    503: "De database is even niet bereikbaar. Probeer het over een minuut opnieuw.",
}


def too_large_message(limit: int | None) -> str:
    """The 413 message, with the limit in megabytes ("groter dan 8 MB")."""
    if not limit:
        return MESSAGES[413]
    megabytes = limit / (1024 * 1024)
    shown = f"{megabytes:.0f}" if megabytes >= 1 else f"{megabytes:.1f}".replace(".", ",")
    return f"Wat u verstuurt is te groot: groter dan {shown} MB. Kies een kleiner bestand."


UNSTORABLE = "Er staan tekens of getallen in die niet kunnen worden opgeslagen."


def error_response(status: int, message: str, current: str | None = None, headers=None):
    headers = dict(headers or {})
    if request.headers.get("HX-Request") == "true":
        body = render_template("_error.html", status=status, message=message, current=current)
        headers.update({"HX-Retarget": "#messages", "HX-Reswap": "innerHTML show:top"})
        return body, status, headers
    body = render_template("error.html", status=status, message=message, current=current)
    return body, status, headers


class Saved:
    """What :func:`saving` did: ``ok`` after a commit; else ``error``, the refusal."""

    def __init__(self) -> None:
        self.ok = False
        self.error: DomainError | None = None

    @property
    def message(self) -> str:
        return self.error.message if self.error is not None else ""


@contextmanager
def saving(form=None, *, refuse: bool = False, keep_loaded: bool = False) -> Iterator[Saved]:
    """The one way a view saves: commit what the block's services changed, or, when a service
    refuses (a :class:`DomainError`), roll everything back and keep the Dutch message.

    With ``form`` the message becomes one of the form's errors, so the view shows the form
    again; without, the view answers ``error_response(saved.error.status, saved.message)``.
    With ``refuse=True`` the refusal propagates after the rollback, and the app's handler
    answers with its Dutch message (htmx-aware): for views that have no form to show again::

        with saving(form) as saved:
            agenda = services.create_agenda(...)
        if saved.ok:
            return htmx.redirect(url_for("agendas.show", agenda_id=agenda.id))
        return render_form(form), 422

        with saving(refuse=True):
            services.delete_precondition(precondition)
        return back_to(milestone_id)

    ``keep_loaded=True``: the objects the request loaded stay as they are after the commit,
    instead of being read again when they are next used. Only for a view that answers from
    objects it loaded under the lock of what it changed (``get_version_or_404(..., "add")``):
    nobody else could change them between that read and the commit, so they are what was
    committed.
    """
    saved = Saved()
    try:
        yield saved
    except DomainError as error:
        db.session.rollback()
        if refuse:
            raise
        saved.error = error
        if form is not None:
            form.form_errors.append(error.message)
    else:
        session = db.session()  # the request's session behind the scoped proxy
        expire = session.expire_on_commit
        session.expire_on_commit = expire and not keep_loaded
        try:
            session.commit()
        finally:
            session.expire_on_commit = expire
        saved.ok = True


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        db.session.rollback()
        return error_response(error.status, error.message, error.current)

    @app.errorhandler(StaleDataError)
    def stale(error):
        db.session.rollback()
        return error_response(409, MESSAGES[409])

    @app.errorhandler(IntegrityError)
    def integrity(error):
        db.session.rollback()
        log.warning("integrity error: %s", error.orig)
        return error_response(409, MESSAGES[409])

    @app.errorhandler(DataError)
    def unstorable(error):
        # A value the database cannot hold (a NUL character, a number or text too large)
        # that no check caught: refuse it, nothing is saved.
        db.session.rollback()
        log.warning("value refused by the database: %s", error.orig)
        return error_response(422, MESSAGES[422] + " " + UNSTORABLE)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)  # psycopg: a connection closed under our feet
    def unavailable(error):
        db.session.rollback()
        log.error("database unavailable: %s", error.orig)
        # The page must not need the database: render it as for an anonymous visitor (the
        # user loader may be what failed).
        g._login_user = login_manager.anonymous_user()
        return error_response(503, MESSAGES[503], headers={"Retry-After": "30"})

    @app.errorhandler(SecurityError)
    def untrusted_host(_error: SecurityError):
        # A Host header outside TRUSTED_HOSTS: no URL can be built for this request, so no
        # page either (and nothing of the forged host is repeated back).
        return Response("Dit adres hoort niet bij deze website.\n", 400, mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        if status >= 500:
            db.session.rollback()
        message = MESSAGES.get(status, error.description)
        if status == 413:
            message = too_large_message(current_app.config.get("MAX_CONTENT_LENGTH"))
        if status == 400 and "CSRF" in (error.description or ""):
            message = "Uw sessie is verlopen of het formulier is te oud. Laad de pagina opnieuw."
        return error_response(status, message)

    @app.errorhandler(Exception)
    def internal(error: Exception):
        db.session.rollback()
        log.exception("unhandled error")
        return error_response(500, MESSAGES[500])
