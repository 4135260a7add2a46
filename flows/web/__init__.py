"""The web console: server-rendered pages (FastAPI + Jinja2) over the same use cases as the CLI.

``create_app`` builds the application; ``sentinella web`` serves it. Every action goes through
the use-case functions of ``flows`` (which write the events and check the roles); this package
only adds login, sessions, CSRF protection, page-level role checks and Italian presentation.
"""

from flows.web.app import WebConfig, create_app

__all__ = ["WebConfig", "create_app"]
