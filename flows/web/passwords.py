"""Web console passwords: argon2id hashes in ``users.password_hash``.

A user without a hash cannot log in to the web console (the CLI does not need one).
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, select

from db.engine import transaction
from db.models import User
from flows.users import UnknownUser
from protocol.errors import SentinellaError

_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("sentinella: no such user")
MINIMUM_LENGTH = 8


class PasswordTooShort(SentinellaError):
    """A web console password must have at least MINIMUM_LENGTH characters."""


def hash_password(*, password: str) -> str:
    """The argon2id hash of ``password``. Raises PasswordTooShort."""
    if len(password) < MINIMUM_LENGTH:
        raise PasswordTooShort(f"a web console password needs at least {MINIMUM_LENGTH} characters")
    return _HASHER.hash(password)


def store_password_hash(*, engine: Engine, username: str, password_hash: str) -> None:
    """Store an already computed hash for ``username``. Raises UnknownUser."""
    with transaction(engine) as session:
        user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
        if user is None:
            raise UnknownUser(f"no user '{username}'")
        user.password_hash = password_hash


def set_password(*, engine: Engine, username: str, password: str) -> None:
    """Store the hash of ``password`` for ``username``. Raises UnknownUser, PasswordTooShort."""
    store_password_hash(engine=engine, username=username, password_hash=hash_password(password=password))


def authenticate(*, engine: Engine, username: str, password: str) -> str | None:
    """The username when an active user with that password exists, else None.

    An unknown user costs the same hashing time as a wrong password (no timing oracle).
    """
    with transaction(engine) as session:
        row = session.execute(select(User.username, User.password_hash)
                              .where(User.username == username.strip(), User.active.is_(True))).first()
    stored = row.password_hash if row is not None and row.password_hash else _DUMMY_HASH
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    return row.username if row is not None and row.password_hash else None
