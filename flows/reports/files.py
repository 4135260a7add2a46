"""Write a report in a chosen format: what the CLI and the Prefect flow share."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from flows.reports.errors import UnknownReportFormat
from flows.reports.period import ReportPeriod
from protocol.ruleset import RuleSet

__all__ = ["COMPLIANCE_FORMATS", "MONITORING_FORMATS", "compliance_bytes", "monitoring_bytes", "write_report"]

MONITORING_FORMATS = ("pdf", "csv", "json")
COMPLIANCE_FORMATS = ("html", "pdf", "json")


def _check(fmt: str, allowed: tuple[str, ...], report: str) -> str:
    if fmt not in allowed:
        raise UnknownReportFormat(f"--format {fmt!r}: the {report} report comes as {', '.join(allowed)}")
    return fmt


def _supplier_name() -> str:
    from letters.supplier import load_supplier

    return load_supplier().name


def monitoring_bytes(*, engine: Engine, period: ReportPeriod, rules: RuleSet, fmt: str) -> bytes:
    """The association report of ``period`` as ``fmt`` (pdf, csv, json). Raises ``UnknownReportFormat``."""
    from flows.reports.association import association_report
    from flows.reports.render import monitoring_csv, monitoring_json, monitoring_pdf

    _check(fmt, MONITORING_FORMATS, "monitoring")
    report = association_report(engine=engine, period=period, rules=rules)
    if fmt == "pdf":
        return monitoring_pdf(report, supplier_name=_supplier_name())
    return (monitoring_csv(report) if fmt == "csv" else monitoring_json(report)).encode("utf-8")


def compliance_bytes(*, engine: Engine, period: ReportPeriod, fmt: str) -> bytes:
    """The compliance report of ``period`` as ``fmt`` (html, pdf, json). Raises ``UnknownReportFormat``."""
    from flows.reports.compliance import compliance_report
    from flows.reports.render_compliance import compliance_html, compliance_json, compliance_pdf

    _check(fmt, COMPLIANCE_FORMATS, "compliance")
    report = compliance_report(engine=engine, period=period)
    if fmt == "pdf":
        return compliance_pdf(report, supplier_name=_supplier_name())
    if fmt == "html":
        return compliance_html(report, supplier_name=_supplier_name()).encode("utf-8")
    return compliance_json(report).encode("utf-8")


def write_report(*, content: bytes, out: Path) -> Path:
    """Write ``content`` to ``out`` (folders created), through a temporary file so a reader never sees half."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.write_bytes(content)
    partial.replace(out)
    return out
