"""``sentinella web``: serve the web console (uvicorn).

The session key comes from ``SENTINELLA_WEB_SECRET`` (at least 32 characters); without it a
random key is made at start, so sessions end when the server restarts. Users log in with the
password set by ``sentinella users add NAME --role ROLE --password ...``.
"""

from __future__ import annotations

import os
import secrets

import typer

from flows.cli_output import console


def register(app: typer.Typer) -> None:
    app.command("web")(web_command)


def web_command(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    https_only: bool = typer.Option(False, "--https-only", help="Send the session cookie over HTTPS only "
                                    "(behind a TLS proxy)."),
) -> None:
    """Serve the web console for customer service, sales managers, compliance and liaisons."""
    import uvicorn

    from flows.cli import now, today
    from flows.runtime import app_context
    from flows.settings import Settings
    from flows.web import WebConfig, create_app

    secret = os.environ.get("SENTINELLA_WEB_SECRET") or secrets.token_urlsafe(48)
    if len(secret) < 32:
        raise typer.BadParameter("SENTINELLA_WEB_SECRET must have at least 32 characters", param_hint="environment")
    config = WebConfig(context=app_context(), settings=Settings.from_environment(), secret_key=secret, today=today,
                       now=now, https_only=https_only)
    console.print(f"Sentinella web console on http://{host}:{port}/ (Ctrl-C to stop)")
    uvicorn.run(create_app(config=config), host=host, port=port, log_level="info")
