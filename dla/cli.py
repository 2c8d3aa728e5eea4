"""``flask dla …`` commands."""

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from sqlalchemy import func, select
from werkzeug.serving import run_simple

from dla.extensions import db


@click.group("dla")
def dla_cli():
    """DLA-werkplaats commands."""


@dla_cli.command("demo")
@click.option("--reset", is_flag=True, help="Remove the demo regions and load them again.")
@with_appcontext
def demo(reset: bool):
    """Load the demo workspace (idempotent)."""
    from dla.demo import DEMO_USERS, load_demo

    created = load_demo(reset=reset)
    db.session.commit()
    click.echo("Demo workspace loaded." if created else "Demo workspace already present.")
    _print_demo_users(DEMO_USERS)


def _print_demo_users(users) -> None:
    click.echo("Demo accounts (for trying the app only; never use these in production):")
    for email, name, _role, password in users:
        click.echo(f"  {email:32} {password:24} {name}")


@dla_cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve(host: str, port: int):
    """Upgrade the database, load the demo when it is empty, and run the development server."""
    from dla.demo import load_demo
    from dla.regions.models import Region

    upgrade()
    if not db.session.scalar(select(func.count(Region.id))):
        from dla.demo import DEMO_USERS

        load_demo()
        db.session.commit()
        click.echo("Empty database: demo workspace loaded.")
        _print_demo_users(DEMO_USERS)
    click.echo(f"DLA-werkplaats runs on http://{host}:{port}/")
    run_simple(host, port, current_app._get_current_object(), threaded=True)


@dla_cli.command("create-admin")
@click.option("--email", prompt="E-mailadres")
@click.option("--name", prompt="Naam")
@click.password_option("--password", prompt="Wachtwoord")
@with_appcontext
def create_admin(email: str, name: str, password: str):
    """Create a global beheerder (manages users and regions)."""
    from dla.auth import services
    from dla.errors import DomainError

    try:
        user = services.create_user(email, name, password, is_admin=True)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Beheerder {user.email} aangemaakt.")
