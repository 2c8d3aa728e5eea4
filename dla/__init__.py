"""DLA-werkplaats: Dynamic Learning Agendas for regional networks."""

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from dla import config as settings


def create_app(test_config: dict | None = None) -> Flask:
    """Application factory: a short list of named steps."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    configure(app, test_config)
    register_logging(app)
    register_extensions(app)
    register_models(app)
    register_listeners(app)
    register_converters(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_hooks(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def configure(app: Flask, test_config: dict | None) -> None:
    app.config.from_object(settings.Defaults)
    os.makedirs(app.instance_path, exist_ok=True)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    settings.load_environment(app.config, app.instance_path)
    if test_config is not None and "SQLALCHEMY_DATABASE_URI" in test_config:
        app.config["SQLALCHEMY_DATABASE_URI"] = settings.normalise_database_url(
            test_config["SQLALCHEMY_DATABASE_URI"]
        )
    settings.set_engine_options(app.config)
    settings.ensure_secret_key(app.config, app.instance_path)
    if app.config["DLA_PROXIES"]:
        # Behind N reverse proxies: trust their X-Forwarded-For/-Proto/-Host (client address
        # for the throttle, https for secure cookies and redirects).
        n = app.config["DLA_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)


def register_logging(app: Flask) -> None:
    from dla import logs

    logs.configure(app)


def register_extensions(app: Flask) -> None:
    from dla import db as dbmodule
    from dla.caching import store
    from dla.extensions import csrf, db, htmx, limiter, login_manager, migrate

    db.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"))
    csrf.init_app(app)
    # After Flask-WTF, which puts its own in the globals and in every template's context.
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": _once(csrf_token)})
    htmx.init_app(app)
    store.init_app(app)
    with app.app_context():
        dbmodule.configure_engine(db.engine)


def register_models(app: Flask) -> tuple:
    """Load every domain's models, so that the metadata knows every table (migrations,
    ``create_all``)."""
    from dla.agendas import models as agendas
    from dla.analysis import models as analysis
    from dla.audit import models as audit
    from dla.auth import models as auth
    from dla.caching import models as caching
    from dla.citations import models as citations
    from dla.glossary import models as glossary
    from dla.measurements import models as measurements
    from dla.regions import models as regions
    from dla.werksessies import models as werksessies

    return (
        agendas,
        analysis,
        audit,
        auth,
        caching,
        citations,
        glossary,
        measurements,
        regions,
        werksessies,
    )


def register_listeners(app: Flask) -> None:
    """Guards and listeners on the database session."""
    from dla.agendas import guard
    from dla.audit import services as audit
    from dla.caching import stamps
    from dla.extensions import db

    guard.install()
    stamps.install()
    audit.install(app)

    @app.teardown_request
    def forget_stamps_read_ahead(_error) -> None:
        # Tests run several requests in one app context (one session): never carry them over.
        db.session.info.pop(stamps.SEEN, None)


def register_converters(app: Flask) -> None:
    """``<int:…>`` in a URL matches only numbers the database can hold: a larger id is a
    page that does not exist (404), not a database error."""
    from werkzeug.routing import IntegerConverter

    from dla.forms import MAX_INT

    class DatabaseInteger(IntegerConverter):
        def __init__(self, map, fixed_digits=0, min=None, max=MAX_INT, signed=False):  # noqa: A002
            super().__init__(map, fixed_digits, min, max, signed)

    app.url_map.converters["int"] = DatabaseInteger


def register_blueprints(app: Flask) -> None:
    """Every domain's blueprint (the factory is the one place that knows them all)."""
    from dla.agendas.views import bp as agendas
    from dla.analysis.views import bp as analysis
    from dla.audit.views import bp as audit
    from dla.auth.views import bp as auth
    from dla.charts.views import bp as charts
    from dla.citations.views import bp as citations
    from dla.exports.views import bp as exports
    from dla.glossary.views import bp as glossary
    from dla.health.views import bp as health
    from dla.measurements.views import bp as measurements
    from dla.regions.views import bp as regions
    from dla.taskforce.views import bp as taskforce
    from dla.werksessies.views import bp as werksessies

    for blueprint in (
        auth,
        regions,
        agendas,
        analysis,
        audit,
        exports,
        charts,
        measurements,
        werksessies,
        citations,
        glossary,
        taskforce,
        health,
    ):
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from dla import errors

    errors.register(app)


def register_hooks(app: Flask) -> None:
    from dla import htmx, security
    from dla.auth import login

    login.install(app)
    security.register(app)
    htmx.register(app)


def register_commands(app: Flask) -> None:
    from dla.cli import dla_cli

    app.cli.add_command(dla_cli)


def register_template_helpers(app: Flask) -> None:
    from dla import dates
    from dla.agendas.parsing import parse_question
    from dla.forms import field_attrs

    dates.install(app)  # Babel (nl, Europe/Amsterdam) and the date filters
    app.jinja_env.globals["parse_question"] = parse_question
    app.jinja_env.globals["field_attrs"] = field_attrs
    app.jinja_env.globals["htmx_version"] = "2.0.8"
    from dla.auth.permissions import access
    from dla.privacy import pii_warnings

    app.jinja_env.globals["access"] = access
    app.jinja_env.globals["pii_warnings"] = pii_warnings
    from dla.glossary.helpers import marked

    app.jinja_env.globals["glossary_marked"] = marked


def _once(function):
    """``function`` called at most once (a template asks for the CSRF token hundreds of
    times; the first call decides, as the token cannot change during one rendering)."""
    value = None

    def once():
        nonlocal value
        if value is None:
            value = function()
        return value

    return once


def csrf_token() -> str:
    """The request's CSRF token for templates: Flask-WTF's token (or the page cache's
    placeholder, ``dla.caching.pages``), taken from ``g`` once it is there. The concept
    workspace asks for it some 200 times; Flask-WTF's own function reads four settings
    on every call."""
    from flask import current_app, g
    from flask_wtf.csrf import generate_csrf

    token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    return token if token is not None else generate_csrf()
