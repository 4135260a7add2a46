"""Which role may see which page or do which action in the web console (checked on the server).

Actions that change data reuse ``flows.users.MAY``, the table the use cases themselves enforce;
the pages add read-only rights. Sales managers may look at contracts and cases but never decide
(segregation of duties); association liaisons only download reports.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from flows.users import MAY
from protocol.codes import Role

CS, SALES, CSR, LIAISON, ADMIN = (Role.CUSTOMER_SERVICE, Role.SALES_MANAGER, Role.COMPLIANCE, Role.LIAISON,
                                  Role.ADMINISTRATOR)

ALLOWED: Mapping[str, frozenset[Role]] = MappingProxyType({
    "view contracts": frozenset({CS, SALES, CSR, ADMIN}),
    "view the case queue": frozenset({CS, SALES, CSR, ADMIN}),
    "record a withdrawal": frozenset({CS, ADMIN}),
    "record a disownment": frozenset(MAY["record a disownment"]),
    "decide a disownment": frozenset(MAY["decide a disownment"]),
    "release a hold": frozenset(MAY["release a hold"]),
    "record a restoration opt-in": frozenset(MAY["record a restoration opt-in"]),
    "record the Sportello's finding": frozenset(MAY["record the Sportello's finding"]),
    "view scorecards": frozenset({SALES, CSR, ADMIN}),
    "view compliance": frozenset({CSR, ADMIN}),
    "download reports": frozenset({LIAISON, CSR, ADMIN}),
})

HOME_OF: Mapping[Role, str] = MappingProxyType({
    CS: "/contratti", SALES: "/agenzie", CSR: "/conformita", LIAISON: "/rapporti", ADMIN: "/contratti",
})

ROLES_IT: Mapping[str, str] = MappingProxyType({
    "customer_service": "servizio clienti", "sales_manager": "responsabile vendite",
    "compliance": "conformità (CSR)", "liaison": "referente associazioni", "administrator": "amministratore",
})


def may(role: Role, action: str) -> bool:
    """Whether ``role`` may ``action`` (a key of ``ALLOWED``; an unknown key raises KeyError)."""
    return role in ALLOWED[action]
