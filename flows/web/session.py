"""Who is logged in, the CSRF token, and the server-side role check, as FastAPI dependencies.

The session is Starlette's signed cookie (itsdangerous); it holds only the username and the
CSRF token. The user is read from the database on every request, so a deactivated user or a
changed role takes effect at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import select
from starlette.datastructures import FormData

from db.engine import transaction
from db.models import User
from flows.web.permissions import ROLES_IT, may
from protocol.codes import Role

CSRF_FIELD = "csrf_token"


class NotLoggedIn(Exception):
    """The request needs a logged-in user and has none (the console redirects to the login page)."""


class Forbidden(Exception):
    """The user's role may not do this, or the form's CSRF token is missing or wrong (HTTP 403)."""


@dataclass(frozen=True)
class WebUser:
    username: str
    full_name: str
    role: Role

    def may(self, action: str) -> bool:
        return may(self.role, action)


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get(CSRF_FIELD)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


def current_user(request: Request) -> WebUser:
    """The logged-in, active user. Raises NotLoggedIn."""
    username = request.session.get("user")
    if not username:
        raise NotLoggedIn()
    with transaction(request.app.state.config.context.engine) as session:
        user = session.execute(select(User).where(User.username == username, User.active.is_(True))
                               ).scalar_one_or_none()
        if user is None:
            request.session.clear()
            raise NotLoggedIn()
        return WebUser(username=user.username, full_name=user.full_name, role=user.role)


def allowed_user(action: str):
    """A dependency: the current user, if their role may ``action``; else Forbidden."""

    def dependency(request: Request) -> WebUser:
        user = current_user(request)
        if not user.may(action):
            raise Forbidden(f"il ruolo «{ROLES_IT[user.role.value]}» non consente questa operazione")
        return user

    return dependency


async def verified_form(request: Request) -> FormData:
    """The posted form, once its CSRF token matches the session's. Raises Forbidden.

    Every POST handler of the console takes its form through this dependency.
    """
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    expected = request.session.get(CSRF_FIELD)
    if not isinstance(sent, str) or not expected or not secrets.compare_digest(sent, expected):
        raise Forbidden("modulo non valido o scaduto (token CSRF mancante o errato): ricaricare la pagina")
    return form
