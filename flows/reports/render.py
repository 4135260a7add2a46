"""The association report as JSON and CSV (for the associations' own analysis) and as PDF.

- JSON: every figure, dates ISO, money and rates as exact decimal strings (``"25.00"``, ``"0.9375"``).
- CSV: one line per figure, ``section,indicator,month,value,label_it`` (``month`` empty for the
  period's totals), values as in the JSON; Italian descriptions in ``label_it``.
- PDF: ``letters/templates/reports/monitoring.html.j2`` laid out by the letters' WeasyPrint engine
  (shipped fonts, closed URL fetcher), with the two trend charts as inline SVG; deterministic,
  since the document's dates are the period's and the charts carry no timestamp.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from dataclasses import asdict
from datetime import timedelta
from functools import cache

from flows.cli_output import to_jsonable
from flows.reports.association import MonitoringReport
from flows.reports.formatting import REPORT_FILTERS
from letters.render import TEMPLATES_DIR, make_environment

__all__ = ["monitoring_csv", "monitoring_html", "monitoring_json", "monitoring_pdf", "report_environment"]

TEMPLATE = "reports/monitoring.html.j2"
_SECTIONS = ("disownments", "outcomes", "indemnities", "reply_times", "withdrawals", "audits", "nonconformities",
             "agencies", "escalations")
_MONTH_FIELDS = ("disownments_received", "disownments_accepted", "disownments_rejected", "withdrawals_received",
                 "audits", "audits_nonconforming", "replies", "replies_within_standard")


@cache
def report_environment():
    """The letters' Jinja environment (autoescape, strict) with the reports' Italian filters."""
    environment = make_environment(templates_dir=TEMPLATES_DIR)
    environment.filters.update(REPORT_FILTERS)
    return environment


def monitoring_json(report: MonitoringReport) -> str:
    return json.dumps(to_jsonable(report), ensure_ascii=False, indent=2) + "\n"


def _flatten(prefix: str, value) -> list[tuple[str, object]]:
    if isinstance(value, dict):
        return [pair for key, inner in value.items() for pair in _flatten(f"{prefix}.{key}" if prefix else key, inner)]
    return [(prefix, value)]


def monitoring_csv(report: MonitoringReport) -> str:
    """One line per figure; the monthly rows after the totals."""
    from flows.reports.labels import label_it

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("section", "indicator", "month", "value", "label_it"))
    writer.writerow(("period", "start", "", report.period_start.isoformat(), "primo giorno"))
    writer.writerow(("period", "end", "", report.period_end.isoformat(), "giorno dopo l'ultimo (escluso)"))
    data = to_jsonable(asdict(report))
    for section in _SECTIONS:
        for indicator, value in _flatten("", data[section]):
            writer.writerow((section, indicator, "", "" if value is None else value, label_it(section, indicator)))
    for row in report.months:
        for name in _MONTH_FIELDS:
            writer.writerow(("months", name, row.month.isoformat()[:7], getattr(row, name), label_it("months", name)))
    return out.getvalue()


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def monitoring_html(report: MonitoringReport, *, supplier_name: str) -> str:
    """The report as a complete Italian HTML document, charts included as SVG data URIs."""
    from flows.reports.charts import cases_chart, rates_chart
    from flows.reports.labels import NONCONFORMITIES_IT

    return report_environment().get_template(TEMPLATE).render(
        report=report, last_day=report.period_end - timedelta(days=1), supplier_name=supplier_name,
        cases_chart=_data_uri(cases_chart(report.months)), rates_chart=_data_uri(rates_chart(report.months)),
        nonconformity_labels=NONCONFORMITIES_IT)


def monitoring_pdf(report: MonitoringReport, *, supplier_name: str) -> bytes:
    """The report as PDF bytes (same report, same bytes)."""
    engine = _engine()
    return engine.write(engine.layout(html=monitoring_html(report, supplier_name=supplier_name)))


@cache
def _engine():
    """One WeasyPrint set-up (fonts, parsed stylesheet) per process, made at the first PDF."""
    from letters.pdf_engine import PdfEngine

    return PdfEngine()
