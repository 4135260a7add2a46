"""Monthly trend charts of the association report, as SVG text (matplotlib, Agg backend).

Deterministic: the same figures give the same bytes. matplotlib's bundled DejaVu Sans (the font
the letters ship), text drawn as paths (no font subset, no system font lookup), no date in the
metadata and a fixed hash salt for the SVG element ids. Labels are Italian.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402 - after choosing the backend

from flows.reports.association import MonthRow  # noqa: E402

__all__ = ["MONTHS_IT", "cases_chart", "rates_chart"]

MONTHS_IT = ("gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic")
_STYLE = {"font.family": "DejaVu Sans", "font.size": 8, "svg.fonttype": "path", "svg.hashsalt": "sentinella",
          "axes.spines.top": False, "axes.spines.right": False}
_COLOURS = ("#0b5d6b", "#c0392b", "#7f8c8d", "#e0a526")


def _labels(months: Sequence[MonthRow]) -> list[str]:
    return [f"{MONTHS_IT[row.month.month - 1]} {row.month.year % 100:02d}" for row in months]


def _svg(figure: Figure) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches=None)
    return out.getvalue()


def cases_chart(months: Sequence[MonthRow]) -> str:
    """Grouped bars per month: disownments received, accepted, rejected, and withdrawals."""
    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(6.8, 2.6), dpi=100)
        axes = figure.add_subplot()
        series = (("Disconoscimenti ricevuti", [r.disownments_received for r in months]),
                  ("accolti", [r.disownments_accepted for r in months]),
                  ("respinti", [r.disownments_rejected for r in months]),
                  ("Ripensamenti", [r.withdrawals_received for r in months]))
        width = 0.2
        for index, (label, values) in enumerate(series):
            axes.bar([i + (index - 1.5) * width for i in range(len(months))], values, width, label=label,
                     color=_COLOURS[index])
        axes.set_xticks(range(len(months)), _labels(months))
        axes.set_ylabel("pratiche")
        top = max((max(values, default=0) for _, values in series), default=0)
        axes.set_ylim(0, max(top, 4) * 1.1)
        axes.yaxis.get_major_locator().set_params(integer=True)
        axes.legend(ncols=4, loc="upper center", bbox_to_anchor=(0.5, 1.2), frameon=False)
        figure.subplots_adjust(left=0.1, right=0.99, top=0.83, bottom=0.12)
        return _svg(figure)


def rates_chart(months: Sequence[MonthRow]) -> str:
    """Lines per month: share of replies within the standard, nonconformity rate of the audits (%)."""
    def percent(part: int, whole: int) -> float | None:  # plotting only: figures stay Decimal elsewhere
        return None if whole == 0 else 100 * part / whole

    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(6.8, 2.4), dpi=100)
        axes = figure.add_subplot()
        x = list(range(len(months)))
        replies = [percent(r.replies_within_standard, r.replies) for r in months]
        audits = [percent(r.audits_nonconforming, r.audits) for r in months]
        for index, (label, values) in enumerate((("Risposte entro 30 giorni (%)", replies),
                                                 ("Controlli non conformi (%)", audits))):
            points = [(i, v) for i, v in zip(x, values) if v is not None]
            axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=label,
                      color=_COLOURS[index])
        axes.set_xticks(x, _labels(months))
        axes.set_ylim(0, 105)
        axes.set_xlim(-0.5, len(months) - 0.5)
        axes.set_ylabel("%")
        axes.legend(ncols=2, loc="upper center", bbox_to_anchor=(0.5, 1.22), frameon=False)
        figure.subplots_adjust(left=0.1, right=0.99, top=0.82, bottom=0.12)
        return _svg(figure)
