"""Users, their role per region, invitations, and who may see what."""

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dla.db import LockMixin, TimestampMixin
from dla.extensions import db

PROJECTLEIDER = "projectleider"
DEELNEMER = "deelnemer"
TASKFORCE = "taskforce"
ONDERZOEKER = "onderzoeker"
BEHEERDER = "beheerder"
# Reads a region for a programme over several regions (read-only; no restricted versions).
PROGRAMMA = "programma"
ROLES = {
    PROJECTLEIDER: "Projectleider",
    DEELNEMER: "Deelnemer",
    TASKFORCE: "Taskforce",
    ONDERZOEKER: "Onderzoeker",
    BEHEERDER: "Beheerder",
    PROGRAMMA: "Programma",
}


def new_session_token() -> str:
    return secrets.token_hex(16)


class User(UserMixin, LockMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    # A global beheerder manages users and regions everywhere.
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the login cookie: changing it (password change, logout everywhere)
    # invalidates every other session of this user.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    memberships = relationship(
        "Membership", back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.active


class Membership(TimestampMixin, db.Model):
    """A user's one role in one region."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "region_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    user = relationship("User", back_populates="memberships")
    region = relationship("Region")

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)


# Deelnemers read the agendas they take part in.
agenda_participants = Table(
    "agenda_participants",
    db.Model.metadata,
    Column("agenda_id", ForeignKey("agendas.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# A version with distribution "beperkt" is visible to these members (and projectleiders).
version_members = Table(
    "version_members",
    db.Model.metadata,
    Column("version_id", ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Invitation(TimestampMixin, db.Model):
    """A one-time invitation link to join a region with a role."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Only the SHA-256 of the token is stored; the link is shown once.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    region = relationship("Region")

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)
