"""People and their roles; segregation of duties is checked here, on the server side.

Roles (rulebook 9): customer service, sales manager, compliance (CSR), association liaison
(reports only), administrator. Sales may not decide disownments.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.engine import transaction
from db.models import User
from protocol.codes import Role
from protocol.errors import SentinellaError

MAY = {
    "record a disownment": {Role.CUSTOMER_SERVICE, Role.ADMINISTRATOR},
    "decide a disownment": {Role.CUSTOMER_SERVICE, Role.COMPLIANCE, Role.ADMINISTRATOR},
    "release a hold": {Role.CUSTOMER_SERVICE, Role.COMPLIANCE, Role.ADMINISTRATOR},
    "record the Sportello's finding": {Role.CUSTOMER_SERVICE, Role.COMPLIANCE, Role.ADMINISTRATOR},
    "record a restoration opt-in": {Role.CUSTOMER_SERVICE, Role.ADMINISTRATOR},
}


class UnknownUser(SentinellaError):
    """No active user has that name."""


class RoleNotAllowed(SentinellaError):
    """The user's role may not perform this action."""


class UserExists(SentinellaError):
    """A user with that name exists already."""


def require_role(session: Session, *, username: str, action: str,
                 allowed: Collection[Role] | None = None) -> User:
    """The active user ``username``, if their role may perform ``action``.

    Raises UnknownUser or RoleNotAllowed (nothing has changed when they are raised).
    """
    user = session.execute(select(User).where(User.username == username, User.active.is_(True))).scalar_one_or_none()
    if user is None:
        raise UnknownUser(f"no active user '{username}' (add one with: sentinella users add {username} --role ROLE)")
    roles = set(allowed if allowed is not None else MAY[action])
    if user.role not in roles:
        raise RoleNotAllowed(
            f"{username} is {user.role.value.replace('_', ' ')}: a {user.role.value.replace('_', ' ')} may not "
            f"{action} (allowed: {', '.join(sorted(r.value for r in roles))})")
    return user


def add_user(*, engine: Engine, username: str, role: Role, full_name: str, now: datetime) -> User:
    """Raises UserExists."""
    with transaction(engine) as session:
        if session.execute(select(User.id).where(User.username == username)).first() is not None:
            raise UserExists(f"user '{username}' exists already")
        user = User(username=username, full_name=full_name or username, role=role, active=True, created_at=now)
        session.add(user)
        return user


def list_users(*, engine: Engine) -> list[dict]:
    with transaction(engine) as session:
        return [{"username": u.username, "full_name": u.full_name, "role": u.role.value, "active": u.active}
                for u in session.execute(select(User).order_by(User.username)).scalars()]
