"""The agency scorecard as CSV (for programs) and as a self-contained Italian HTML page.

``scorecard_csv``: one line per agency, flat columns (channels and nonconformity types expanded,
in code-table order), ISO dates, Decimals as plain strings with a dot, an unranked agency's rank
empty. ``scorecard_html``: the page of ``letters/templates/reports/scorecard.html.j2`` (Jinja2,
autoescaped), every figure in Italian format, with an inline SVG chart of the nonconformity rate
per ranked agency and its Wilson interval as error bars: no JavaScript, no external asset.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from types import MappingProxyType

from agencies.scorecard import ScorecardRow
from letters.render import TEMPLATES_DIR, make_environment
from protocol.codes import Channel, NonconformityType

__all__ = ["NONCONFORMITIES_IT", "STATUSES_IT", "csv_columns", "format_interval_it", "format_percent_it",
           "scorecard_csv", "scorecard_html"]

TEMPLATE = "reports/scorecard.html.j2"
NONCONFORMITIES_IT: Mapping[str, str] = MappingProxyType({
    "unsolicited_contract": "contratto non richiesto",
    "forged_contract": "contratto falsificato",
    "misleading_practice": "pratica ingannevole",
    "missing_documents": "documenti mancanti o incompleti",
    "opt_out_violation": "violazione del Registro delle opposizioni",
    "unauthorised_subagent": "subagente non autorizzato",
})
STATUSES_IT: Mapping[str, str] = MappingProxyType({
    "active": "attivo", "probation": "in prova (controllo al 100%)", "warned": "richiamo formale",
    "revoked": "revocato",
})
_PLAIN = ("agency_code", "agency_name", "period_start", "period_end")
_AFTER_CHANNELS = ("contracts_total", "audited", "audited_rate")
_AFTER_TYPES = ("nonconformities_total", "nonconforming_audited", "nonconformity_rate", "wilson_low", "wilson_high",
                "withdrawals", "disownments_received", "disownments_accepted", "disownments_received_per_1000",
                "disownments_accepted_per_1000", "penalties_eur", "corrective_actions_open", "mandate_status", "rank")


def csv_columns() -> tuple[str, ...]:
    """The CSV header: ``contracts_<channel>`` and ``nonconformities_<type>`` in code-table order."""
    return (_PLAIN + tuple(f"contracts_{c.value}" for c in Channel) + _AFTER_CHANNELS
            + tuple(f"nonconformities_{t.value}" for t in NonconformityType) + _AFTER_TYPES)


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value.value if hasattr(value, "value") else value)  # enums by their code, Decimals as "0.012000"


def scorecard_csv(rows: Sequence[ScorecardRow]) -> str:
    """The rows as CSV text (comma-separated, ``\\n`` line ends, header first)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_columns())
    for row in rows:
        values = [getattr(row, name) for name in _PLAIN]
        values += [row.contracts_by_channel.get(c.value, 0) for c in Channel]
        values += [getattr(row, name) for name in _AFTER_CHANNELS]
        values += [row.nonconformities_by_type.get(t.value, 0) for t in NonconformityType]
        values += [getattr(row, name) for name in _AFTER_TYPES]
        writer.writerow([_csv_value(v) for v in values])
    return out.getvalue()


def format_percent_it(rate: Decimal, *, rounding: str = ROUND_HALF_UP, sign: bool = True) -> str:
    """A rate (``Decimal("0.0123")``) as an Italian percentage to one decimal: ``"1,2 %"``."""
    percent = (rate * 100).quantize(Decimal("0.1"), rounding=rounding)
    return f"{percent}".replace(".", ",") + (" %" if sign else "")


def format_interval_it(row: ScorecardRow) -> str:
    """``"1,2 % (0,4–3,1 %)"``: the rate, and its Wilson interval rounded outwards; ``"—"`` unaudited."""
    if not row.audited:
        return "—"
    low = format_percent_it(row.wilson_low, rounding=ROUND_FLOOR, sign=False)
    high = format_percent_it(row.wilson_high, rounding=ROUND_CEILING)
    return f"{format_percent_it(row.nonconformity_rate)} ({low}–{high})"


def _decimal_it(value: Decimal) -> str:
    return f"{value}".replace(".", ",")


@dataclass(frozen=True, slots=True)
class _Bar:
    row: ScorecardRow
    y: Decimal
    width: Decimal
    low_x: Decimal
    high_x: Decimal


_CHART = {"left": Decimal(350), "plot": Decimal(520), "top": Decimal(30), "pitch": Decimal(28), "bar": Decimal(16)}
_SCALES = (Decimal("0.01"), Decimal("0.02"), Decimal("0.05"), Decimal("0.1"), Decimal("0.2"), Decimal("0.5"), Decimal(1))


def _chart(rows: Sequence[ScorecardRow]) -> dict:
    """Geometry of the bar chart: ranked agencies in rank order, x scaled to a round maximum."""
    ranked = [row for row in rows if row.rank is not None]
    top = max((row.wilson_high for row in ranked), default=Decimal(0))
    scale = next(s for s in _SCALES if top <= s)
    left, plot, pitch = _CHART["left"], _CHART["plot"], _CHART["pitch"]

    def x(rate: Decimal) -> Decimal:
        return (left + plot * rate / scale).quantize(Decimal("0.1"))

    bars = [_Bar(row=row, y=_CHART["top"] + pitch * i, width=x(row.nonconformity_rate) - left,
                 low_x=x(row.wilson_low), high_x=x(row.wilson_high)) for i, row in enumerate(ranked)]
    ticks = [(x(scale * i / 5), format_percent_it(scale * i / 5)) for i in range(6)]
    height = _CHART["top"] + pitch * len(bars) + 30
    return {"bars": bars, "ticks": ticks, "height": height, "width": left + plot + 80, "left": left,
            "axis_y": _CHART["top"] + pitch * len(bars) + 4, "bar_height": _CHART["bar"]}


def scorecard_html(*, rows: Sequence[ScorecardRow], period: str) -> str:
    """The scorecard of ``period`` (its label, as ``"2026-Q1"``) as one self-contained HTML page.

    Raises ``jinja2.UndefinedError`` only on a template bug, ``TypeError`` on a float amount.
    """
    environment = make_environment(templates_dir=TEMPLATES_DIR)
    environment.filters.update(percent_it=format_percent_it, interval_it=format_interval_it, decimal_it=_decimal_it,
                               status_it=lambda status: STATUSES_IT[str(status.value if hasattr(status, "value") else status)],
                               nonconformity_it=lambda code: NONCONFORMITIES_IT[code])
    first = rows[0] if rows else None
    return environment.get_template(TEMPLATE).render(
        period=period, rows=rows, chart=_chart(rows),
        start=first.period_start if first else None,
        last_day=first.period_end - timedelta(days=1) if first else None,
        channels=[c.value for c in Channel], types=[t.value for t in NonconformityType],
        unranked=sum(1 for row in rows if row.rank is None),
    )
