"""The stream of sales: customers, supply points, contracts and their hidden truth.

Sales are generated day by day in signing order, so ids and external ids grow with the
signing date. External ids are ``HC-<year>-<serial>``, the serial counting the year's
contracts from 000001 (a seventh digit appears past 999,999 contracts in one year). A sale is
one contract, or two (electricity and gas, "dual fuel") for about one domestic or
small-business customer in eight. Ground truth is drawn per sale from the seller's quality
(see ``UNSOLICITED`` and friends); both contracts of a sale share it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from flows.synthetic_random import BookRandom
from flows.synthetic_calendar import plan_days
from flows.synthetic_customers import CustomerFactory
from flows.synthetic_model import (
    AgencyQuality,
    ContractRecord,
    OptOutRecord,
    ReferenceData,
    SalesChunk,
    TruthRecord,
)
from flows.synthetic_network_pick import SellerPicker
from flows.synthetic_pools import (
    ELECTRICITY_ONLY_SUPPLIERS,
    PREVIOUS_SUPPLIER_WEIGHTS,
    PREVIOUS_SUPPLIERS,
    Pools,
    cumulative,
    draw_place,
    draw_street,
    pick_index,
)
from flows.synthetic_sites import SiteFactory, annual_consumption
from flows.synthetic_time import evening_utc, morning_utc
from protocol.codes import Channel, Commodity, ContractState, CustomerKind, PaymentMethod

DIRECT = None  # quality key of sales without an agency (web, shop counter)
# A clean agency sells correctly: no unsolicited contracts, complete documents, consent on
# every phone sale (the agency simulation's acceptance: clean agencies carry no penalty).
UNSOLICITED = {AgencyQuality.CLEAN: 0.0, AgencyQuality.SLOPPY: 0.03,
               AgencyQuality.FRAUDULENT: 0.25, AgencyQuality.INTERNAL: 0.001, DIRECT: 0.001}
SLOPPY_DOCUMENTS = {AgencyQuality.CLEAN: 0.0, AgencyQuality.SLOPPY: 0.15,
                    AgencyQuality.FRAUDULENT: 0.10, AgencyQuality.INTERNAL: 0.01, DIRECT: 0.0}
FORGED_SHARE = 0.4  # of the fraudulent agency's unsolicited contracts
WILL_WITHDRAW, PAYS_LATE, EARLY_EXECUTION, SEPA_SHARE = 0.03, 0.05, 0.05, 0.70
DUAL_FUEL = 0.12  # of domestic and small-business sales
ELECTRICITY_SINGLE = 0.624  # with dual fuel, contracts come out ~60/40 electricity/gas
SHOP_BY_EMPLOYEE = 0.4
OPT_OUT_SHARE, OPT_OUT_UNSOLICITED_PHONE = 0.12, 0.5
OPT_OUT_SOURCE = "Registro pubblico delle opposizioni"
_DUAL_KINDS = frozenset({CustomerKind.DOMESTIC, CustomerKind.SMALL_BUSINESS})
_OFFER_WEIGHTS = {"LUCE-FISSA-24": 5, "LUCE-INDEX": 3, "LUCE-FISSA-12": 2,
                  "GAS-FISSO-12": 5, "GAS-INDEX": 3, "GAS-FISSO-24": 2}


class _SalesWriter:
    def __init__(self, *, reference: ReferenceData, pools: Pools, rng: random.Random,
                 start: date, rule_set_version: str) -> None:
        self._rng, self._pools, self._rule_set_version = rng, pools, rule_set_version
        self._picker = SellerPicker(rng=rng, reference=reference)
        self._customers = CustomerFactory(rng=rng, pools=pools, start=start)
        self._sites = SiteFactory(rng=rng)
        self._agency_codes = {a.id: a.code for a in reference.agencies}
        self._offers = {c: [(o.id, o.code) for o in reference.offers if o.commodity is c]
                        for c in Commodity}
        self._offer_cum = {c: cumulative(_OFFER_WEIGHTS.get(code, 1) for _, code in offers)
                           for c, offers in self._offers.items()}
        self._suppliers_cum = {
            commodity: cumulative(
                0 if commodity is Commodity.GAS and name in ELECTRICITY_ONLY_SUPPLIERS else weight
                for name, weight in zip(PREVIOUS_SUPPLIERS, PREVIOUS_SUPPLIER_WEIGHTS, strict=True))
            for commodity in Commodity}
        self._opt_out_imported = morning_utc(start - timedelta(days=1))
        self._start = start
        self._year_counters: dict[int, int] = {}
        self.reset()

    def reset(self) -> None:
        self.customers, self.supply_points, self.contracts = [], [], []
        self.truths, self.opt_outs = [], []

    def chunk(self) -> SalesChunk:
        chunk = SalesChunk(tuple(self.customers), tuple(self.supply_points),
                           tuple(self.contracts), tuple(self.truths), tuple(self.opt_outs))
        self.reset()
        return chunk

    def _seller(self, channel: Channel, day: date) -> tuple[int | None, int | None, str | None]:
        if channel in (Channel.WEB, Channel.SHOP):
            if channel is Channel.WEB or self._rng.random() >= SHOP_BY_EMPLOYEE:
                return None, None, None
            agency_id = self._picker.internal_id
        else:
            agency_id = self._picker.agency_for(channel, day)
        agent = self._picker.agent_for(agency_id, day)
        return agency_id, agent.id, agent.badge

    def sale(self, *, day: date, channel: Channel, room: int, next_ids: list[int]) -> int:
        """Write one sale (one or two contracts, at most ``room``); return how many."""
        rng = self._rng
        created = evening_utc(day)
        agency_id, agent_id, badge = self._seller(channel, day)
        quality = self._picker.quality[agency_id] if agency_id is not None else DIRECT
        unsolicited = rng.random() < UNSOLICITED[quality]
        truth = (unsolicited,
                 unsolicited and quality is AgencyQuality.FRAUDULENT
                 and rng.random() < FORGED_SHARE,
                 rng.random() < SLOPPY_DOCUMENTS[quality],
                 rng.random() < WILL_WITHDRAW, rng.random() < PAYS_LATE)
        kind = self._customers.draw_kind()
        if room >= 2 and kind in _DUAL_KINDS and rng.random() < DUAL_FUEL:
            commodities = (Commodity.ELECTRICITY, Commodity.GAS)
        elif rng.random() < ELECTRICITY_SINGLE:
            commodities = (Commodity.ELECTRICITY,)
        else:
            commodities = (Commodity.GAS,)
        place, street = draw_place(rng, self._pools), draw_street(rng, self._pools)
        customer = self._customers.draw(customer_id=next_ids[0], kind=kind, place=place,
                                        street=street, created_at=created)
        next_ids[0] += 1
        self.customers.append(customer)
        phone_sale = channel is Channel.PHONE
        if rng.random() < (OPT_OUT_UNSOLICITED_PHONE if phone_sale and unsolicited
                           else OPT_OUT_SHARE):
            registered = self._start - timedelta(days=rng.randint(30, 2500))
            self.opt_outs.append(OptOutRecord(customer.phone_e164, registered, OPT_OUT_SOURCE,
                                              self._opt_out_imported))
        consent = (rng.random() < (0.6 if unsolicited else 0.97)) if phone_sale else None
        if phone_sale and quality is AgencyQuality.CLEAN:
            consent = True
        sepa = rng.random() < SEPA_SHARE
        iban = self._sites.iban() if sepa else None
        for commodity in commodities:
            site = self._sites.supply_point(
                supply_point_id=next_ids[1], customer=customer, commodity=commodity,
                elsewhere=(draw_place(rng, self._pools), draw_street(rng, self._pools))
                if rng.random() < 0.1 else None)
            next_ids[1] += 1
            self.supply_points.append(site)
            offer_index = pick_index(rng, self._offer_cum[commodity])
            offer_id, offer_code = self._offers[commodity][offer_index]
            contract_id = next_ids[2]
            next_ids[2] += 1
            serial = self._year_counters.get(day.year, 0) + 1
            self._year_counters[day.year] = serial
            self.contracts.append(ContractRecord(
                id=contract_id, external_id=f"HC-{day.year}-{serial:06d}",
                customer_id=customer.id, supply_point_id=site.id, offer_id=offer_id,
                offer_code=offer_code, agency_id=agency_id, agent_id=agent_id,
                agency_code=self._agency_codes[agency_id] if agency_id is not None else None,
                agent_badge=badge, channel=channel, commodity=commodity, signed_on=day,
                state=ContractState.RECEIVED, on_hold=False,
                early_execution=rng.random() < EARLY_EXECUTION,
                annual_consumption=annual_consumption(rng, kind, commodity),
                previous_supplier=PREVIOUS_SUPPLIERS[
                    pick_index(rng, self._suppliers_cum[commodity])],
                payment_method=PaymentMethod.SEPA if sepa else PaymentMethod.POSTAL_SLIP,
                iban=iban, phone_consent=consent, confirmation_due_on=None,
                withdrawal_deadline=None, switch_date=None, point_of_no_return=None,
                activated_on=None, ended_on=None, rule_set_version=self._rule_set_version,
                source_sha256=None, created_at=created, updated_at=created, version=1))
            self.truths.append(TruthRecord(contract_id, *truth))
        return len(commodities)


def iter_sales(*, reference: ReferenceData, pools: Pools, contracts: int, start: date,
               days: int, seed: int, rule_set_version: str, chunk_size: int
               ) -> Iterator[SalesChunk]:
    """The book's sales in signing order, cut into chunks of about ``chunk_size`` contracts.

    Raises:
        ValueError: ``days`` is not positive, or ``contracts`` or ``chunk_size`` is negative.
    """
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be positive, not {chunk_size}")
    rng = BookRandom(f"{seed}:sales")
    plan = plan_days(rng=rng, contracts=contracts, start=start, days=days)
    writer = _SalesWriter(reference=reference, pools=pools, rng=rng, start=start,
                          rule_set_version=rule_set_version)
    next_ids = [1, 1, 1]  # customer, supply point, contract
    for sales_day in plan:
        remaining = sales_day.quota
        while remaining > 0:
            channel = sales_day.channels[pick_index(rng, sales_day.cum_weights)]
            remaining -= writer.sale(day=sales_day.day, channel=channel, room=remaining,
                                     next_ids=next_ids)
            if len(writer.contracts) >= chunk_size:
                yield writer.chunk()
    if writer.contracts:
        yield writer.chunk()
