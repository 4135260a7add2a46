"""Who sells a contract: the agency for a channel and day, then one of its agents.

Every outside agency has a channel profile (telesales, field or mixed) and sells in
proportion to its number of agents. After an agency's mandate has ended it sends only a
trickle of late contracts (intake rejects them). Clean agencies only use agents in good
standing; sloppy and fraudulent ones keep selling with expired or suspended badges.
"""

from __future__ import annotations

import random
from datetime import date

from flows.synthetic_model import AgencyQuality, AgentRecord, ReferenceData
from flows.synthetic_pools import cumulative, pick_index
from protocol.codes import AgentStatus, Channel

AGENCY_CHANNELS = (Channel.PHONE, Channel.DOOR_TO_DOOR, Channel.STAND)
_PROFILES = {
    "telesales": {Channel.PHONE: 0.85, Channel.DOOR_TO_DOOR: 0.10, Channel.STAND: 0.05},
    "field": {Channel.PHONE: 0.05, Channel.DOOR_TO_DOOR: 0.70, Channel.STAND: 0.25},
    "mixed": {Channel.PHONE: 0.45, Channel.DOOR_TO_DOOR: 0.40, Channel.STAND: 0.15},
}
MANDATE_LEAK = 0.03  # an ended agency's late contracts, relative to its former volume
BAD_BADGE_USE = 0.25  # chance a sloppy or fraudulent agency lets a bad badge sign
_TOLERATES_BAD_BADGES = frozenset({AgencyQuality.SLOPPY, AgencyQuality.FRAUDULENT})


class SellerPicker:
    """Draws (agency id, agent) pairs; all randomness comes from the given ``rng``."""

    def __init__(self, *, rng: random.Random, reference: ReferenceData) -> None:
        self._rng = rng
        self.quality = dict(reference.agency_quality)
        outside = [a for a in reference.agencies if not a.is_internal]
        self.internal_id = next(a.id for a in reference.agencies if a.is_internal)
        self._agents: dict[int, list[AgentRecord]] = {a.id: [] for a in reference.agencies}
        for agent in reference.agents:
            self._agents[agent.agency_id].append(agent)
        self._agent_cum = {
            agency_id: cumulative([rng.uniform(0.5, 1.5) for _ in agents])
            for agency_id, agents in self._agents.items()
        }
        self.mandate_end = {m.agency_id: m.valid_to for m in reference.mandates}
        profiles = {}
        for agency in outside:
            if self.quality[agency.id] is AgencyQuality.FRAUDULENT:
                profiles[agency.id] = _PROFILES["mixed"]
            else:
                profiles[agency.id] = _PROFILES[rng.choice(sorted(_PROFILES))]
        self._ids = [a.id for a in outside]
        self._weights = {
            channel: [len(self._agents[i]) * profiles[i][channel] for i in self._ids]
            for channel in AGENCY_CHANNELS
        }
        self._cum_cache: dict[tuple[Channel, date], list[float]] = {}

    def _agency_cum(self, channel: Channel, day: date) -> list[float]:
        cum = self._cum_cache.get((channel, day))
        if cum is None:
            ended = {i for i in self._ids
                     if self.mandate_end[i] is not None and day >= self.mandate_end[i]}
            weights = [w * (MANDATE_LEAK if i in ended else 1.0)
                       for i, w in zip(self._ids, self._weights[channel], strict=True)]
            cum = self._cum_cache[(channel, day)] = cumulative(weights)
        return cum

    def agency_for(self, channel: Channel, day: date) -> int:
        cum = self._agency_cum(channel, day)
        return self._ids[pick_index(self._rng, cum)]

    def agent_for(self, agency_id: int, day: date) -> AgentRecord:
        agents, cum = self._agents[agency_id], self._agent_cum[agency_id]
        tolerant = self.quality[agency_id] in _TOLERATES_BAD_BADGES
        for _ in range(20):
            agent = agents[pick_index(self._rng, cum)]
            if agent.badge_valid_from > day:
                continue  # not hired yet: nobody sells with a badge they do not have
            in_good_standing = agent.status is AgentStatus.ACTIVE and (
                agent.badge_valid_to is None or day < agent.badge_valid_to)
            if in_good_standing or (tolerant and self._rng.random() < BAD_BADGE_USE):
                return agent
        return agents[0]  # always in good standing (see synthetic_network)
