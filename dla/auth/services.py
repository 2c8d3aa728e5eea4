"""Accounts, memberships and invitations. Services flush; views commit."""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from sqlalchemy import delete, func, insert, select

from dla.auth.models import (
    ROLES,
    Invitation,
    Membership,
    User,
    agenda_participants,
    new_session_token,
    version_members,
)
from dla.auth.passwords import password_problems
from dla.db import utcnow
from dla.errors import ValidationError
from dla.extensions import db
from dla.forms import printable

log = logging.getLogger(__name__)

# Argon2id: memory-hard. These are argon2-cffi's RFC 9106 "low memory" defaults.
_STRONG = PasswordHasher()
# Tests may ask for cheap hashing (PASSWORD_HASH_FAST); never used otherwise.
_FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


class _Hasher:
    """The app's password hasher (strong unless the test config asks for fast)."""

    def _current(self) -> PasswordHasher:
        if has_app_context() and current_app.config.get("PASSWORD_HASH_FAST"):
            return _FAST
        return _STRONG

    def hash(self, password: str) -> str:
        return self._current().hash(password)

    def verify(self, hashed: str, password: str) -> bool:
        return self._current().verify(hashed, password)

    def check_needs_rehash(self, hashed: str) -> bool:
        return self._current().check_needs_rehash(hashed)


_hasher = _Hasher()


@functools.cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash to verify against for an unknown user; made on first use, not at import (a
    strong hash costs half a second, which every ``flask`` command would pay)."""
    return hasher.hash(secrets.token_hex(16))


EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
INVITATION_DAYS = 7
# A beheerder does not give themselves a role through an invitation (see auth.views.OWN_ROLE).
OWN_INVITATION = "U kunt uzelf niet uitnodigen. Vraag een andere beheerder."


def normalise_email(email: str) -> str:
    return printable(email).strip().lower()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _check_password(user: User | None, password: str) -> bool:
    """Verify in constant-ish time; an unknown user costs the same as a wrong password."""
    try:
        dummy = _dummy_hash(_hasher._current())
        return _hasher.verify(user.password_hash if user else dummy, password) and bool(user)
    except (VerificationError, InvalidHashError):
        return False


def _valid_email(email: str) -> str:
    email = normalise_email(email)
    if not EMAIL.match(email) or len(email) > 254:
        raise ValidationError("Vul een geldig e-mailadres in.")
    return email


def _valid_password(password: str, email: str, name: str) -> None:
    problems = password_problems(password or "", email=email, name=name)
    if problems:
        raise ValidationError(" ".join(problems))


def create_user(email: str, name: str, password: str, *, is_admin: bool = False) -> User:
    email = _valid_email(email)
    name = " ".join((name or "").split())
    if not name or len(name) > 200:
        raise ValidationError("Vul uw naam in (hoogstens 200 tekens).")
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise ValidationError("Er is al een account met dit e-mailadres.")
    _valid_password(password, email, name)
    user = User(email=email, name=name, password_hash=hash_password(password), is_admin=is_admin)
    db.session.add(user)
    db.session.flush()
    log.info("user %s created (admin=%s)", user.id, is_admin)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None. Same work either way."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if not _check_password(user, password or "") or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def change_password(user: User, current: str, new: str) -> None:
    if not _check_password(user, current or ""):
        raise ValidationError("Uw huidige wachtwoord klopt niet.")
    _valid_password(new, user.email, user.name)
    user.password_hash = hash_password(new)
    # Every other session of this user ends.
    user.session_token = new_session_token()
    db.session.flush()
    log.info("user %s changed password", user.id)


def end_sessions(user: User) -> None:
    """Log the user out everywhere: the login cookies carry the old session token, which the
    user loader no longer accepts (a copied cookie stops working)."""
    user.session_token = new_session_token()
    db.session.flush()
    log.info("user %s: sessions ended", user.id)


def set_active(user: User, active: bool, *, by: User) -> None:
    if user.id == by.id and not active:
        raise ValidationError("U kunt uw eigen account niet blokkeren.")
    user.active = active
    user.session_token = new_session_token()
    db.session.flush()
    log.info("user %s active=%s by user %s", user.id, active, by.id)


# --- memberships -------------------------------------------------------------------------


def _valid_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError("Kies een rol.")
    return role


def set_membership(user: User, region_id: int, role: str) -> Membership:
    """Give a user a role in a region (one role per region)."""
    role = _valid_role(role)
    membership = db.session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.region_id == region_id)
    )
    if membership is None:
        membership = Membership(user_id=user.id, region_id=region_id, role=role)
        db.session.add(membership)
    else:
        membership.role = role
    db.session.flush()
    log.info("user %s is %s in region %s", user.id, role, region_id)
    return membership


def remove_membership(membership: Membership) -> None:
    db.session.execute(
        delete(agenda_participants).where(
            agenda_participants.c.user_id == membership.user_id,
            agenda_participants.c.agenda_id.in_(select_agenda_ids(membership.region_id)),
        )
    )
    db.session.delete(membership)
    db.session.flush()
    log.info("membership %s removed", membership.id)


def select_agenda_ids(region_id: int):
    from dla.agendas.models import Agenda

    return select(Agenda.id).where(Agenda.region_id == region_id)


def region_members(region_id: int) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .join(User)
            .where(Membership.region_id == region_id)
            .order_by(User.name)
        )
    )


def _member_of(user_id: int, region_id: int) -> None:
    if not db.session.scalar(
        select(Membership.id).where(
            Membership.user_id == user_id, Membership.region_id == region_id
        )
    ):
        raise ValidationError("Deze persoon is geen lid van de regio.")


def _people_link(table, column: str):
    """Add, remove and list users linked to an object through ``table`` (object × user)."""
    key = table.c[column]

    def add(object_id: int, user_id: int) -> None:
        exists = db.session.scalar(
            select(func.count()).where(key == object_id, table.c.user_id == user_id)
        )
        if not exists:
            db.session.execute(insert(table).values({column: object_id, "user_id": user_id}))

    def remove(object_id: int, user_id: int) -> None:
        db.session.execute(delete(table).where(key == object_id, table.c.user_id == user_id))

    def members(object_id: int) -> list[User]:
        return list(
            db.session.scalars(
                select(User)
                .join(table, table.c.user_id == User.id)
                .where(key == object_id)
                .order_by(User.name)
            )
        )

    return add, remove, members


_add_participant, _remove_participant, _participants = _people_link(
    agenda_participants, "agenda_id"
)
_add_version_member, _remove_version_member, _version_members = _people_link(
    version_members, "version_id"
)


def add_participant(agenda, user_id: int) -> None:
    """A deelnemer (any region member) takes part in an agenda."""
    _member_of(user_id, agenda.region_id)
    _add_participant(agenda.id, user_id)
    log.info("user %s takes part in agenda %s", user_id, agenda.id)


def remove_participant(agenda, user_id: int) -> None:
    _remove_participant(agenda.id, user_id)


def participants(agenda) -> list[User]:
    return _participants(agenda.id)


def add_version_member(version, user_id: int) -> None:
    """A region member may see this restricted version."""
    _member_of(user_id, version.agenda.region_id)
    _add_version_member(version.id, user_id)
    log.info("user %s may see restricted version %s", user_id, version.id)


def remove_version_member(version, user_id: int) -> None:
    _remove_version_member(version.id, user_id)


def version_member_list(version) -> list[User]:
    return _version_members(version.id)


# --- invitations -------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(region_id: int, email: str, role: str, *, by: User) -> tuple[Invitation, str]:
    """An invitation and its one-time token (only its hash is stored)."""
    email = _valid_email(email)
    role = _valid_role(role)
    if email == normalise_email(by.email) and not by.is_admin:
        raise ValidationError(OWN_INVITATION)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        token_hash=_token_hash(token),
        email=email,
        region_id=region_id,
        role=role,
        created_by_id=by.id,
        expires_at=utcnow() + timedelta(days=INVITATION_DAYS),
    )
    db.session.add(invitation)
    db.session.flush()
    log.info("invitation %s for region %s as %s by user %s", invitation.id, region_id, role, by.id)
    return invitation, token


def find_invitation(token: str) -> Invitation | None:
    """A usable invitation for this token, or None (unknown, used or expired)."""
    if not token or len(token) > 200:
        return None
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == _token_hash(token))
    )
    if invitation is None or invitation.used_at is not None:
        return None
    expires = invitation.expires_at
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    if expires < datetime.now(UTC):
        return None
    return invitation


def accept_invitation(invitation: Invitation, *, name: str, password: str) -> User:
    """Create the account (or use the existing one) and give it the invited role."""
    user = db.session.scalar(select(User).where(User.email == invitation.email))
    if user is None:
        user = create_user(invitation.email, name, password)
    elif not _check_password(user, password):
        raise ValidationError(
            "Er is al een account met dit e-mailadres. Vul het wachtwoord van dat account in."
        )
    if user.id == invitation.created_by_id and not user.is_admin:
        raise ValidationError(OWN_INVITATION)
    set_membership(user, invitation.region_id, invitation.role)
    invitation.used_at = utcnow()
    db.session.flush()
    log.info("invitation %s accepted by user %s", invitation.id, user.id)
    return user
