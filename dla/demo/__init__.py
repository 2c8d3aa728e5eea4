"""The demo workspace, built through the services (so it obeys every rule).

Two fictional regions with agendas on four levels, each with a filled system-analysis
matrix, questions linked to its barriers, milestones and taskforce decisions. The ICR agenda
has five published versions and a concept, in which questions persist, are reworded, merged,
split, moved to the taskforce agenda, answered, dropped and brought back. All wording is our
own; the taskforce agenda is a constructed example (no real bestuurders DLA exists).
"""

from __future__ import annotations

import logging

from sqlalchemy import delete, select

from dla.agendas.models import Agenda, Version
from dla.demo import citations, gooi, rijnmond, rijnmond_analysis
from dla.demo.common import DEMO_REGIONS, DEMO_USERS, GOOI, RIJNMOND
from dla.extensions import db
from dla.regions.models import Region

__all__ = ["DEMO_REGIONS", "DEMO_USERS", "GOOI", "RIJNMOND", "load_demo"]

log = logging.getLogger(__name__)


def load_demo(reset: bool = False) -> bool:
    """Create the demo workspace. Returns False when it was already there."""
    if reset:
        db.session.execute(delete(Region).where(Region.name.in_(DEMO_REGIONS)))
        db.session.flush()
    if db.session.scalar(select(Region).where(Region.name == RIJNMOND)) is not None:
        return False
    rijnmond.build()
    gooi.build()
    rijnmond_analysis.build_analysis()
    gooi.build_analysis()
    rijnmond_analysis.build_measurements()
    citations.build()
    _users()
    log.info("demo workspace loaded")
    return True


def _users() -> None:
    """One demo account per role, member of both demo regions."""
    from dla.auth import services as auth
    from dla.auth.models import User

    regions_by_name = {
        r.name: r for r in db.session.scalars(select(Region).where(Region.name.in_(DEMO_REGIONS)))
    }
    for email, name, role, password in DEMO_USERS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = auth.create_user(email, name, password, is_admin=role == "admin")
        for region in regions_by_name.values():
            auth.set_membership(user, region.id, "beheerder" if role == "admin" else role)
            if role == "deelnemer":
                for agenda in region.agendas:
                    if agenda.level == "operationeel":
                        auth.add_participant(agenda, user.id)
    leader = db.session.scalar(select(User).where(User.email == DEMO_USERS[1][0]))
    participant = db.session.scalar(select(User).where(User.email == DEMO_USERS[2][0]))
    for version in db.session.scalars(
        select(Version)
        .join(Agenda)
        .join(Region)
        .where(Region.name.in_(DEMO_REGIONS), Version.distribution == "beperkt")
    ):
        auth.add_version_member(version, participant.id)
        auth.add_version_member(version, leader.id)
