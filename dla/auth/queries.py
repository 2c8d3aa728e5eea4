"""Read side of accounts."""

from sqlalchemy import select

from dla.auth.models import User
from dla.extensions import db


def users_by_name() -> list[User]:
    """Every account, by name (the administrator's list)."""
    return db.session.scalars(select(User).order_by(User.name)).all()
