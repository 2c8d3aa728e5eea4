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
    from dla.agendas import guard
    from dla.extensions import csrf, db, htmx, limiter, login_manager, migrate

    db.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    with app.app_context():
        dbmodule.configure_engine(db.engine)
    # Import the models so that the metadata is complete.
    from dla.agendas import models as _agendas  # noqa: F401
    from dla.analysis import models as _analysis  # noqa: F401
    from dla.audit import models as _audit  # noqa: F401
    from dla.audit import services as _audit_services  # noqa: F401  (audit listener)
    from dla.auth import models as _auth  # noqa: F401
    from dla.auth import views as _auth_views  # noqa: F401  (user loader)
    from dla.measurements import models as _measurements  # noqa: F401
    from dla.regions import models as _regions  # noqa: F401
    from dla.werksessies import models as _werksessies  # noqa: F401

    guard.install()


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
    from dla.agendas.views import bp as agendas_bp
    from dla.analysis.views import bp as analysis_bp
    from dla.audit.views import bp as audit_bp
    from dla.auth.views import bp as auth_bp
    from dla.charts.views import bp as charts_bp
    from dla.exports.views import bp as exports_bp
    from dla.health.views import bp as health_bp
    from dla.measurements.views import bp as measurements_bp
    from dla.regions.views import bp as regions_bp
    from dla.werksessies.views import bp as werksessies_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(regions_bp)
    app.register_blueprint(agendas_bp)
    app.register_blueprint(analysis_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(charts_bp)
    app.register_blueprint(measurements_bp)
    app.register_blueprint(werksessies_bp)
    app.register_blueprint(health_bp)


def register_errorhandlers(app: Flask) -> None:
    from dla import errors

    errors.register(app)


def register_hooks(app: Flask) -> None:
    from dla import htmx, security
    from dla.auth import views as auth_views

    auth_views.register(app)
    security.register(app)
    htmx.register(app)


def register_commands(app: Flask) -> None:
    from dla.cli import dla_cli

    app.cli.add_command(dla_cli)


def register_template_helpers(app: Flask) -> None:
    from dla.agendas.parsing import parse_question
    from dla.forms import field_attrs, format_date

    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datelong"] = lambda value: format_date(value, "long")
    app.jinja_env.globals["parse_question"] = parse_question
    app.jinja_env.globals["field_attrs"] = field_attrs
    app.jinja_env.globals["htmx_version"] = "2.0.8"
    from dla.auth.permissions import access
    from dla.privacy import pii_warnings

    app.jinja_env.globals["access"] = access
    app.jinja_env.globals["pii_warnings"] = pii_warnings
