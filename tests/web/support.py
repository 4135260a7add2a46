"""The console on a small book: users with passwords, one agency contract, a logged-in client."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select
from fastapi.testclient import TestClient

from db.engine import transaction
from db.models import Case, Contract, ContractEvent, Customer, Hold, Letter, SupplyPoint
from flows.users import add_user
from flows.web import WebConfig, create_app
from flows.web.passwords import set_password
from protocol.codes import Role
from tests.integration.lifecycle_support import NOW, Scenario

TODAY = date(2026, 4, 28)
PASSWORD = "una-password-lunga"
USERS = {"cs.bianchi": Role.CUSTOMER_SERVICE, "sales.verdi": Role.SALES_MANAGER, "csr.neri": Role.COMPLIANCE,
         "assoc.rossi": Role.LIAISON, "admin.gallo": Role.ADMINISTRATOR}
SECRET = "test-secret-key-of-the-console-0123456789"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def add_console_users(engine) -> None:
    """One user of each role (``USERS``), all with ``PASSWORD``."""
    for username, role in USERS.items():
        add_user(engine=engine, username=username, role=role, full_name=username.replace(".", " ").title(), now=NOW)
        set_password(engine=engine, username=username, password=PASSWORD)


class Book:
    """A scenario with one agency contract signed on 22 April 2026, confirmed, and the console's users."""

    def __init__(self, *, engine, folder) -> None:
        self.scenario = Scenario(engine=engine, folder=folder)
        add_console_users(engine)
        self.contract = self.scenario.add_contract(signed_on=date(2026, 4, 22), agency=True)
        self.scenario.run(date(2026, 4, 23), date(2026, 4, 24))
        self.engine = engine
        with transaction(engine) as session:
            contract, point, customer = session.execute(
                select(Contract, SupplyPoint, Customer).join(SupplyPoint, SupplyPoint.id == Contract.supply_point_id)
                .join(Customer, Customer.id == Contract.customer_id)
                .where(Contract.external_id == self.contract)).one()
            self.supply_point, self.fiscal_code = point.code, customer.fiscal_code
            self.phone, self.last_name = customer.phone_e164, customer.last_name

    def config(self) -> WebConfig:
        return WebConfig(context=self.scenario.context, settings=self.scenario.settings, secret_key=SECRET,
                         today=lambda: TODAY, now=lambda: NOW)

    def app(self):
        return create_app(config=self.config())

    def snapshot(self) -> tuple[int, ...]:
        """Row counts of what an action would write."""
        with transaction(self.engine) as session:
            return tuple(session.execute(select(func.count()).select_from(model)).scalar_one()
                         for model in (Case, Hold, ContractEvent, Letter))


def token_of(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def logged_in(app, username: str, *, password: str = PASSWORD) -> tuple[TestClient, str]:
    """A client logged in as ``username`` and the session's CSRF token."""
    client = TestClient(app)
    token = token_of(client.get("/login").text)
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return client, token_of(client.get("/contratti" if USERS[username] is not Role.LIAISON else "/rapporti").text)
