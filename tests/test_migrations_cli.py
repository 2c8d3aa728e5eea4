"""Migrations match the models; the CLI loads the demo idempotently."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import func, select

from dla import create_app
from dla.agendas.models import PUBLISHED, Agenda, Transition, Version
from dla.extensions import db
from dla.regions.models import Region


def test_migrations_create_the_schema_the_models_describe(fresh_schema_url, tmp_path):
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": fresh_schema_url(tmp_path)}
    )
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert diff == []


def test_demo_command_is_idempotent_and_resettable(app, runner):
    result = runner.invoke(args=["dla", "demo"])
    assert result.exit_code == 0, result.output
    assert "Demo workspace loaded." in result.output
    with app.app_context():
        regions = db.session.scalar(select(func.count(Region.id)))
        levels = set(db.session.scalars(select(Agenda.level)))
        published = db.session.scalar(
            select(func.count(Version.id))
            .join(Agenda)
            .where(Agenda.title.like("%ICR's%"), Version.status == PUBLISHED)
        )
        kinds = set(db.session.scalars(select(Transition.kind)))
    assert regions == 2
    assert {"operationeel", "tactisch", "strategisch", "netwerk"} <= levels
    assert published >= 5
    assert {
        "blijft_staan",
        "geherformuleerd",
        "samengevoegd",
        "gesplitst",
        "verplaatst",
        "voorlopig_beantwoord",
        "vervallen",
    } <= kinds
    assert "projectleider@demo.dla" in result.output and "demo-vlinder-2024" in result.output
    with app.app_context():
        from dla.auth.models import Membership, User

        assert db.session.scalar(select(func.count(User.id))) == 6
        roles = set(db.session.scalars(select(Membership.role)))
        assert roles == {
            "beheerder",
            "projectleider",
            "deelnemer",
            "taskforce",
            "onderzoeker",
            "programma",
        }
    again = runner.invoke(args=["dla", "demo"])
    assert "already present" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Region.id))) == 2
    reset = runner.invoke(args=["dla", "demo", "--reset"])
    assert reset.exit_code == 0 and "Demo workspace loaded." in reset.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Region.id))) == 2


def test_demo_pages_render(app, runner, client):
    runner.invoke(args=["dla", "demo"])
    response = client.post(
        "/inloggen",
        data={"email": "projectleider@demo.dla", "password": "demo-vlinder-2024"},
    )
    assert response.status_code == 302
    with app.app_context():
        version_ids = db.session.scalars(select(Version.id)).all()
        agenda_ids = db.session.scalars(select(Agenda.id)).all()
    for version_id in version_ids:
        assert client.get(f"/versies/{version_id}").status_code == 200
    for agenda_id in agenda_ids:
        assert client.get(f"/agendas/{agenda_id}").status_code == 200
        assert client.get(f"/agendas/{agenda_id}/vergelijken").status_code == 200


def test_create_admin_command(app, runner):
    weak = runner.invoke(
        args=["dla", "create-admin", "--email", "a@b.nl", "--name", "Ans", "--password", "kort"]
    )
    assert weak.exit_code != 0 and "minstens 12 tekens" in weak.output
    result = runner.invoke(
        args=[
            "dla",
            "create-admin",
            "--email",
            "Ans@Gemeente.nl",
            "--name",
            "Ans Admin",
            "--password",
            "blauwe-tram-rijdt-door",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        from dla.auth.models import User

        user = db.session.scalar(select(User))
        assert user.email == "ans@gemeente.nl" and user.is_admin
