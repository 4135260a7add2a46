"""The agency scorecard (rulebook §4): one row per agency per period, ranked."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from agencies.scorecard import (
    AgencyPeriodFigures,
    InvalidFigures,
    InvalidPeriod,
    ScorecardRow,
    build_scorecard,
    period_bounds,
    wilson_interval,
)
from protocol.codes import AgencyStatus, Channel, NonconformityType

START, END = period_bounds("2026-Q1")


def figures(code: str, **changes) -> AgencyPeriodFigures:
    base = dict(
        agency_code=code, agency_name=f"Agenzia {code}", contracts_by_channel={"phone": 600, "door_to_door": 400},
        audited=100, nonconforming_audited=2,
        nonconformities_by_type={"missing_documents": 1, "unsolicited_contract": 3},
        withdrawals=12, disownments_received=5, disownments_accepted=2, penalties_eur=Decimal("1600.00"),
        corrective_actions_open=0, mandate_status=AgencyStatus.ACTIVE,
    )
    return AgencyPeriodFigures(**(base | changes))


def test_a_row_carries_every_scorecard_figure_of_the_rulebook():
    (row,) = build_scorecard(inputs=[figures("AG001")], period_start=START, period_end=END)
    assert row == ScorecardRow(
        agency_code="AG001", agency_name="Agenzia AG001", period_start=START, period_end=END,
        contracts_by_channel={"phone": 600, "door_to_door": 400, "stand": 0, "web": 0, "shop": 0},
        contracts_total=1000, audited=100, audited_rate=Decimal("0.100000"),
        nonconformities_by_type={"unsolicited_contract": 3, "forged_contract": 0, "misleading_practice": 0,
                                 "missing_documents": 1, "opt_out_violation": 0, "unauthorised_subagent": 0},
        nonconformities_total=4, nonconforming_audited=2, nonconformity_rate=Decimal("0.020000"),
        wilson_low=wilson_interval(successes=2, trials=100)[0], wilson_high=wilson_interval(successes=2, trials=100)[1],
        withdrawals=12, disownments_received=5, disownments_accepted=2,
        disownments_received_per_1000=Decimal("5.00"), disownments_accepted_per_1000=Decimal("2.00"),
        penalties_eur=Decimal("1600.00"), corrective_actions_open=0, mandate_status=AgencyStatus.ACTIVE, rank=1,
    )


def test_channels_and_types_come_in_code_table_order():
    (row,) = build_scorecard(inputs=[figures("AG001")], period_start=START, period_end=END)
    assert list(row.contracts_by_channel) == [c.value for c in Channel]
    assert list(row.nonconformities_by_type) == [t.value for t in NonconformityType]


def test_agencies_rank_by_nonconformity_rate_then_accepted_disownments_per_thousand():
    rows = build_scorecard(
        inputs=[
            figures("AG004", nonconforming_audited=5),  # 5%
            figures("AG003", nonconforming_audited=1, disownments_accepted=4),  # 1%, 4 per 1000
            figures("AG002", nonconforming_audited=1, disownments_accepted=1),  # 1%, 1 per 1000
            figures("AG001", nonconforming_audited=1, disownments_accepted=1),  # tie with AG002
        ],
        period_start=START, period_end=END,
    )
    assert [(r.agency_code, r.rank) for r in rows] == [("AG001", 1), ("AG002", 1), ("AG003", 3), ("AG004", 4)]


def test_an_agency_with_nothing_audited_is_listed_last_unranked():
    rows = build_scorecard(
        inputs=[figures("AG000", audited=0, nonconforming_audited=0), figures("AG009", nonconforming_audited=9)],
        period_start=START, period_end=END,
    )
    assert [(r.agency_code, r.rank) for r in rows] == [("AG009", 1), ("AG000", None)]
    assert (rows[1].wilson_low, rows[1].wilson_high) == (Decimal(0), Decimal(1))


def test_no_agencies_give_an_empty_scorecard():
    assert build_scorecard(inputs=[], period_start=START, period_end=END) == ()


def test_an_agency_without_contracts_has_zero_rates():
    (row,) = build_scorecard(inputs=[figures("AG001", contracts_by_channel={}, audited=0, nonconforming_audited=0)],
                             period_start=START, period_end=END)
    assert (row.audited_rate, row.disownments_accepted_per_1000, row.rank) == (Decimal(0), Decimal(0), None)


@pytest.mark.parametrize(
    "change",
    [dict(contracts_by_channel={"carrier_pigeon": 1}), dict(nonconformities_by_type={"rude": 1}),
     dict(contracts_by_channel={"phone": -1}), dict(audited=1001), dict(nonconforming_audited=101),
     dict(withdrawals=-1), dict(penalties_eur=Decimal("-1")), dict(penalties_eur=Decimal("1.001")),
     dict(penalties_eur=100.0), dict(mandate_status="asleep"), dict(agency_code=""), dict(disownments_accepted=True)],
)
def test_impossible_figures_are_refused(change):
    with pytest.raises(InvalidFigures):
        figures("AG001", **change)


def test_an_agency_listed_twice_is_refused():
    with pytest.raises(InvalidFigures, match="AG001"):
        build_scorecard(inputs=[figures("AG001"), figures("AG001")], period_start=START, period_end=END)


def test_a_period_must_start_before_it_ends():
    with pytest.raises(InvalidPeriod):
        build_scorecard(inputs=[figures("AG001")], period_start=END, period_end=START)


def test_the_mandate_status_string_is_read_as_its_code():
    assert figures("AG001", mandate_status="warned").mandate_status is AgencyStatus.WARNED


def test_rows_are_frozen():
    (row,) = build_scorecard(inputs=[figures("AG001")], period_start=START, period_end=END)
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.rank = 2  # type: ignore[misc]
