"""The health check's one question to the database."""

from sqlalchemy import text

from dla.extensions import db


def ping() -> None:
    """``SELECT 1``; raises a ``SQLAlchemyError`` when the database does not answer."""
    db.session.execute(text("SELECT 1"))
