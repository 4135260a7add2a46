"""The small tables every batch step looks up, loaded once per run as plain facts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Agency, Agent, Mandate, Offer, OfferPrice
from protocol.intake import AgencyFacts, AgentFacts, MandateFacts, OfferFacts


@dataclass(frozen=True)
class ReferenceData:
    agencies: dict[str, AgencyFacts]
    agency_names: dict[str, str]
    agents: dict[str, AgentFacts]
    agent_names: dict[str, str]
    offers: dict[str, OfferFacts]
    offer_names: dict[str, str]
    offer_prices: dict[str, list[OfferPrice]]


def load_reference_data(session: Session) -> ReferenceData:
    mandates: dict[int, list[MandateFacts]] = defaultdict(list)
    for mandate in session.execute(select(Mandate).order_by(Mandate.valid_from)).scalars():
        mandates[mandate.agency_id].append(
            MandateFacts(valid_from=mandate.valid_from, valid_to=mandate.valid_to, revoked_on=mandate.revoked_on)
        )
    agencies, agency_names, codes = {}, {}, {}
    for agency in session.execute(select(Agency)).scalars():
        codes[agency.id] = agency.code
        agency_names[agency.code] = agency.name
        agencies[agency.code] = AgencyFacts(
            code=agency.code, status=agency.status, revoked_on=agency.revoked_on,
            mandates=tuple(mandates.get(agency.id, ())),
        )
    agents, agent_names = {}, {}
    for agent in session.execute(select(Agent)).scalars():
        agent_names[agent.badge] = f"{agent.first_name} {agent.last_name}"
        agents[agent.badge] = AgentFacts(
            badge=agent.badge, agency_code=codes.get(agent.agency_id, "?"), status=agent.status,
            badge_valid_from=agent.badge_valid_from, badge_valid_to=agent.badge_valid_to,
        )
    offers, offer_names, prices = {}, {}, defaultdict(list)
    by_id = {}
    for offer in session.execute(select(Offer)).scalars():
        by_id[offer.id] = offer.code
        offer_names[offer.code] = offer.name
        offers[offer.code] = OfferFacts(code=offer.code, valid_from=offer.valid_from, valid_to=offer.valid_to)
    for price in session.execute(select(OfferPrice).order_by(OfferPrice.id)).scalars():
        prices[by_id[price.offer_id]].append(price)
    return ReferenceData(agencies=agencies, agency_names=agency_names, agents=agents, agent_names=agent_names,
                         offers=offers, offer_names=offer_names, offer_prices=dict(prices))
