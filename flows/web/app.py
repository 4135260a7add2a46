"""The console's application factory: middleware, static files, routers, error pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from flows.runtime import AppContext
from flows.settings import Settings
from flows.web.session import Forbidden, NotLoggedIn, current_user
from flows.web.templating import STATIC_DIR, render

SESSION_HOURS = 8
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "SAMEORIGIN",
                    "Referrer-Policy": "same-origin"}
PAGE_POLICY = ("default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; script-src 'none'; "
               "frame-ancestors 'self'; form-action 'self'; base-uri 'none'")


@dataclass(frozen=True, kw_only=True)
class WebConfig:
    """What the console needs: the database and rules, file folders, the session key, the clock.

    ``today`` and ``now`` are the entry point's clock (``flows.cli.today`` / ``now`` when served).
    """

    context: AppContext
    settings: Settings
    secret_key: str
    today: Callable[[], date]
    now: Callable[[], datetime]
    https_only: bool = False


def route_modules() -> tuple:
    """The modules whose ``router`` makes up the console (every page and form)."""
    from flows.web import routes_agencies, routes_auth, routes_cases, routes_contracts, routes_oversight, routes_requests

    return routes_auth, routes_contracts, routes_requests, routes_cases, routes_agencies, routes_oversight


def create_app(*, config: WebConfig) -> FastAPI:
    """The console for ``config``. Raises ValueError for a session key shorter than 32 characters."""
    if len(config.secret_key) < 32:
        raise ValueError("the session key must have at least 32 characters")
    app = FastAPI(title="Sentinella", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.config = config
    app.add_middleware(SessionMiddleware, secret_key=config.secret_key, session_cookie="sentinella_session",
                       max_age=SESSION_HOURS * 3600, same_site="lax", https_only=config.https_only)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in route_modules():
        app.include_router(module.router)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        if response.headers.get("content-type", "").startswith("text/html"):
            response.headers["Content-Security-Policy"] = PAGE_POLICY
            response.headers["Cache-Control"] = "no-store"  # pages carry personal data
        return response

    @app.exception_handler(NotLoggedIn)
    async def to_login(request: Request, error: NotLoggedIn):
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, error: Forbidden):
        try:
            user = current_user(request)
        except NotLoggedIn:
            user = None
        return render(request, "forbidden.html", user=user, message=str(error), status_code=403)

    return app
