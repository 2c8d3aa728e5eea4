"""Test data built through the services, as users would build it."""

from __future__ import annotations

from datetime import date

from dla.agendas import questions, services, transitions
from dla.extensions import db
from dla.regions import services as region_services


def question(goal: str, barrier: str) -> str:
    return f"Hoe kan ik {goal}, terwijl {barrier}?"


def make_region(name: str = "Testregio", **options):
    return region_services.create_region(name, **options)


def make_agenda(
    region=None, *, level: str = "operationeel", title: str = "Agenda ICR's", **options
):
    region = region or make_region()
    return services.create_agenda(
        region, level=level, audience=options.pop("audience", "ICR's"), title=title, **options
    )


def make_version(agenda, texts=(), *, publish: bool = False, day: date | None = None, **meta):
    version = services.create_version(agenda, document_date=day, **meta)
    for text in texts:
        questions.add_wording(version, text=text)
    if publish:
        services.publish_version(version)
    db.session.flush()
    return version


def by_label(version, label: str):
    return next(w for w in version.wordings if w.label == label)


def keep_all(version):
    """Decide ‘blijft staan’ for every question of the previous version."""
    for source in services.missing_transitions(version):
        transitions.set_transition(version, source, "blijft_staan")


PASSWORD = "kompas-regenjas-lantaarn-9"


def make_user(email: str = "pim@test.nl", *, region=None, role: str | None = None, admin=False):
    """A user (through the service), optionally with a role in a region."""
    from dla.auth import services as auth_services

    user = auth_services.create_user(email, email.split("@")[0].title(), PASSWORD, is_admin=admin)
    if region is not None and role is not None:
        auth_services.set_membership(user, region.id, role)
    db.session.flush()
    return user


def log_in(client, user) -> None:
    """Log a test client in as ``user`` without going through the form."""
    key = user if isinstance(user, str) else user.get_id()
    with client.session_transaction() as session:
        session["_user_id"] = key
        session["_fresh"] = True
