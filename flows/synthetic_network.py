"""The reference side of the synthetic book: agencies, agents, mandates, offers, users.

About ten agencies of varying quality (mostly clean, two or three sloppy, exactly one
fraudulent) plus the internal "agency" of the supplier's own shop staff; one outside agency's
mandate ends halfway through the period. Sloppy agencies have more agents whose badge expires
or is suspended during the period (their contracts fail intake later).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from flows.synthetic_random import BookRandom
from flows.synthetic_ids import draw_vat_number
from flows.synthetic_model import (
    AgencyQuality,
    AgencyRecord,
    AgentRecord,
    MandateRecord,
    ReferenceData,
    UserRecord,
)
from flows.synthetic_offers import build_offers
from flows.synthetic_pools import Pools, slug
from flows.synthetic_time import morning_utc
from protocol.codes import AgencyStatus, AgentStatus, NonconformityType, Role

DEFAULT_PENALTIES = {
    NonconformityType.UNSOLICITED_CONTRACT.value: "500.00",
    NonconformityType.FORGED_CONTRACT.value: "500.00",
    NonconformityType.MISLEADING_PRACTICE.value: "300.00",
    NonconformityType.MISSING_DOCUMENTS.value: "100.00",
    NonconformityType.OPT_OUT_VIOLATION.value: "250.00",
    NonconformityType.UNAUTHORISED_SUBAGENT.value: "1000.00",
}
INTERNAL_PENALTIES = {kind: "0.00" for kind in DEFAULT_PENALTIES}  # corrective measures only
INTERNAL_AGENCY_CODE = "INT"

_AGENCY_WORDS = ("Energia", "Energy Service", "Consulting", "Multiservizi", "Utility Point",
                 "Risparmio Casa", "Servizi Energetici", "Luce e Gas", "Network", "Partner")
# (share of agents whose badge ends during the period, share suspended) by quality
_BADGE_TROUBLE = {
    AgencyQuality.CLEAN: (0.03, 0.0),
    AgencyQuality.SLOPPY: (0.15, 0.08),
    AgencyQuality.FRAUDULENT: (0.10, 0.05),
    AgencyQuality.INTERNAL: (0.02, 0.0),
}
_USER_PREFIX = {
    Role.CUSTOMER_SERVICE: "cs", Role.SALES_MANAGER: "sales", Role.COMPLIANCE: "csr",
    Role.LIAISON: "liaison", Role.ADMINISTRATOR: "admin",
}


def _qualities(rng: random.Random) -> list[AgencyQuality]:
    count = rng.randint(8, 12)
    qualities = [AgencyQuality.CLEAN] * count
    picks = rng.sample(range(count), 4 if count >= 11 else 3)
    qualities[picks[0]] = AgencyQuality.FRAUDULENT
    for index in picks[1:]:
        qualities[index] = AgencyQuality.SLOPPY
    return qualities


def _agents(rng: random.Random, pools: Pools, *, agency_id: int, quality: AgencyQuality,
            first_id: int, mandate_from: date, start: date, days: int) -> list[AgentRecord]:
    expire_share, suspend_share = _BADGE_TROUBLE[quality]
    count = rng.randint(5, 30) if quality is not AgencyQuality.INTERNAL else rng.randint(6, 12)
    agents = []
    for offset in range(count):
        female = rng.random() < 0.45
        first = rng.choice(pools.female_names if female else pools.male_names)
        seniority = rng.randrange(max(1, (start - mandate_from).days))
        valid_from = mandate_from + timedelta(days=seniority)
        if offset >= 3 and rng.random() < 0.08:  # joins during the period
            valid_from = start + timedelta(days=rng.randrange(max(1, days)))
        valid_to, status = None, AgentStatus.ACTIVE
        if offset >= 3:  # the first three agents of every agency stay in good standing
            draw = rng.random()
            if draw < expire_share:
                valid_to = max(valid_from, start) + timedelta(days=1 + rng.randrange(max(1, days)))
            elif draw < expire_share + suspend_share:
                status = AgentStatus.SUSPENDED
        untrained = quality is AgencyQuality.SLOPPY and rng.random() < 0.2
        agents.append(AgentRecord(
            id=first_id + offset, agency_id=agency_id, badge=f"B-{first_id + offset:04d}",
            first_name=first, last_name=rng.choice(pools.last_names), status=status,
            badge_valid_from=valid_from, badge_valid_to=valid_to,
            trained_on=None if untrained else valid_from - timedelta(days=rng.randint(3, 20)),
        ))
    return agents


def build_network(*, seed: int, start: date, days: int, pools: Pools) -> ReferenceData:
    """The agencies with their agents and mandates, the offers and one user per role."""
    rng = BookRandom(f"{seed}:network")
    qualities = _qualities(rng) + [AgencyQuality.INTERNAL]
    ending = rng.choice([i for i, q in enumerate(qualities) if q in
                         (AgencyQuality.CLEAN, AgencyQuality.SLOPPY)])
    agencies, agents, mandates, quality_of = [], [], [], {}
    for index, quality in enumerate(qualities):
        agency_id = index + 1
        internal = quality is AgencyQuality.INTERNAL
        code = INTERNAL_AGENCY_CODE if internal else f"AG{agency_id:03d}"
        name = ("Vendite dirette (personale dei negozi)" if internal else
                f"{rng.choice(pools.last_names)} {rng.choice(_AGENCY_WORDS)} S.r.l.")
        mandate_from = start - timedelta(days=rng.randint(120, 1500))
        agencies.append(AgencyRecord(
            id=agency_id, code=code, name=name, vat_number=draw_vat_number(rng),
            status=AgencyStatus.ACTIVE, status_since=mandate_from, revoked_on=None,
            revocation_reason=None, is_internal=internal,
        ))
        quality_of[agency_id] = quality
        mandates.append(MandateRecord(
            id=agency_id, agency_id=agency_id,
            reference=f"MAND-{code}-{mandate_from.year}",
            valid_from=mandate_from,
            valid_to=start + timedelta(days=max(1, days // 2)) if index == ending else None,
            penalty_table=dict(INTERNAL_PENALTIES if internal else DEFAULT_PENALTIES),
            revoked_on=None,
        ))
        agents += _agents(rng, pools, agency_id=agency_id, quality=quality,
                          first_id=len(agents) + 1, mandate_from=mandate_from,
                          start=start, days=days)
    offers, prices = build_offers(rng, start=start, days=days)
    return ReferenceData(
        agencies=tuple(agencies), agency_quality=quality_of, agents=tuple(agents),
        mandates=tuple(mandates), offers=offers, offer_prices=prices,
        users=_users(rng, pools, start=start),
    )


def _users(rng: random.Random, pools: Pools, *, start: date) -> tuple[UserRecord, ...]:
    users, taken = [], set()
    created = morning_utc(start - timedelta(days=1))
    for index, role in enumerate(Role):
        while True:
            female = rng.random() < 0.5
            first = rng.choice(pools.female_names if female else pools.male_names)
            last = rng.choice(pools.last_names)
            username = f"{_USER_PREFIX[role]}.{slug(last)}"
            if username not in taken:
                taken.add(username)
                break
        users.append(UserRecord(id=index + 1, username=username, full_name=f"{first} {last}",
                                role=role, password_hash=None, active=True, created_at=created))
    return tuple(users)

