"""The synthetic book: a pure, deterministic generator of a retailer's sales (no database).

``generate_book(contracts=N, start=D, days=K, seed=S)`` returns every record of a book of N
contracts signed over ``[D, D + K)``: about ten agencies (mostly clean, two or three sloppy,
exactly one fraudulent) plus the internal shop staff, their agents and mandates, offers with
their prices, one user per role, customers of every kind with valid Italian identifiers,
supply points, contracts in state ``received`` and, hidden, the truth about each contract
(``SyntheticBook.truths``) and each agency (``SyntheticBook.agency_quality``).

Same arguments, same book: in any process, whatever ``PYTHONHASHSEED``. Every timestamp is
derived from a date (sales are loaded at 18:00 Europe/Rome on their signing day), never from
the clock. ``iter_book`` yields the same records lazily, in chunks, so a million contracts
can be written without holding them all in memory.

The modules behind it: ``synthetic_pools`` (names, streets, towns), ``synthetic_ids``
(fiscal codes, VAT numbers, IBANs, POD/PDR, phones), ``synthetic_network`` and
``synthetic_offers`` (the reference data), ``synthetic_calendar``, ``synthetic_sales``,
``synthetic_customers`` and ``synthetic_sites`` (the sales), ``synthetic_model`` (records).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from flows.synthetic_model import (
    AgencyQuality,
    AgencyRecord,
    AgentRecord,
    ContractRecord,
    CustomerRecord,
    MandateRecord,
    OfferPriceRecord,
    OfferRecord,
    OptOutRecord,
    ReferenceData,
    SalesChunk,
    SupplyPointRecord,
    SyntheticBook,
    TruthRecord,
    UserRecord,
)
from flows.synthetic_network import DEFAULT_PENALTIES, INTERNAL_AGENCY_CODE, build_network
from flows.synthetic_pools import build_pools
from flows.synthetic_sales import iter_sales

DEFAULT_RULE_SET_VERSION = "2026.1"
DEFAULT_CHUNK_SIZE = 5000

__all__ = [
    "DEFAULT_CHUNK_SIZE", "DEFAULT_PENALTIES", "DEFAULT_RULE_SET_VERSION",
    "INTERNAL_AGENCY_CODE", "AgencyQuality", "AgencyRecord", "AgentRecord", "ContractRecord",
    "CustomerRecord", "MandateRecord", "OfferPriceRecord", "OfferRecord", "OptOutRecord",
    "ReferenceData", "SalesChunk", "SupplyPointRecord", "SyntheticBook", "TruthRecord",
    "UserRecord", "generate_book", "iter_book",
]


def _check(*, contracts: int, days: int) -> None:
    if contracts < 0:
        raise ValueError(f"the number of contracts cannot be negative ({contracts})")
    if days < 1:
        raise ValueError(f"the period must last at least one day, not {days}")


def iter_book(*, contracts: int, start: date, days: int, seed: int,
              rule_set_version: str = DEFAULT_RULE_SET_VERSION,
              chunk_size: int = DEFAULT_CHUNK_SIZE) -> tuple[ReferenceData, Iterator[SalesChunk]]:
    """The book's reference data, and its sales as a lazy stream of chunks.

    Chunks hold about ``chunk_size`` contracts (a dual-fuel sale is never split) with their
    customers, supply points, truths and opt-out register entries, in id order.

    Raises:
        ValueError: ``contracts`` is negative, ``days`` or ``chunk_size`` not positive.
    """
    _check(contracts=contracts, days=days)
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be positive, not {chunk_size}")
    pools = build_pools(seed=seed)
    reference = build_network(seed=seed, start=start, days=days, pools=pools)
    sales = iter_sales(reference=reference, pools=pools, contracts=contracts, start=start,
                       days=days, seed=seed, rule_set_version=rule_set_version,
                       chunk_size=chunk_size)
    return reference, sales


def generate_book(*, contracts: int, start: date, days: int, seed: int,
                  rule_set_version: str = DEFAULT_RULE_SET_VERSION) -> SyntheticBook:
    """A whole synthetic book of ``contracts`` contracts signed over ``[start, start+days)``.

    Raises:
        ValueError: ``contracts`` is negative or ``days`` is not positive.
    """
    reference, sales = iter_book(contracts=contracts, start=start, days=days, seed=seed,
                                 rule_set_version=rule_set_version)
    customers: list[CustomerRecord] = []
    supply_points: list[SupplyPointRecord] = []
    contract_records: list[ContractRecord] = []
    truths: list[TruthRecord] = []
    opt_outs: list[OptOutRecord] = []
    for chunk in sales:
        customers += chunk.customers
        supply_points += chunk.supply_points
        contract_records += chunk.contracts
        truths += chunk.truths
        opt_outs += chunk.opt_outs
    return SyntheticBook(
        agencies=reference.agencies, agency_quality=reference.agency_quality,
        agents=reference.agents, mandates=reference.mandates, offers=reference.offers,
        offer_prices=reference.offer_prices, users=reference.users,
        customers=tuple(customers), supply_points=tuple(supply_points),
        contracts=tuple(contract_records), truths=tuple(truths), opt_outs=tuple(opt_outs),
    )
