"""The consumer associations' report as a Prefect flow, ``monitoring-report`` (rulebook §8).

Every run covers the ``months`` whole calendar months before the month of ``period_end``
(default: today, in Rome): half-yearly by default, quarterly with ``months=3`` (set it in the
deployment, as the rule file's ``reports.association_period_months`` says). It writes the PDF,
CSV and JSON under ``<reports_dir>/monitoring/`` and publishes a markdown artifact with the
headline figures. Re-running a period rewrites the same files with the figures the database holds.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from flows.reports.association import MonitoringReport
from flows.reports.formatting import format_count_it, format_days_it, format_rate_it
from flows.reports.period import ReportPeriod, months_ending
from letters.formatting import format_date_it, format_euro

__all__ = ["monitoring_report", "summary_markdown"]


def summary_markdown(report: MonitoringReport, *, files: dict[str, str]) -> str:
    """The artifact: the period, the headline figures and where the files are."""
    d, r, i = report.disownments, report.reply_times, report.indemnities
    last = report.period_end.fromordinal(report.period_end.toordinal() - 1)
    lines = [f"# Monitoraggio contratti non richiesti: {format_date_it(report.period_start)} – {format_date_it(last)}",
             "", "| indicatore | valore |", "|---|---|",
             f"| disconoscimenti ricevuti (ambito 153/2012) | {format_count_it(d['in_scope']['received'])} |",
             f"| accolti / respinti (ambito 153/2012) | {format_count_it(d['in_scope']['accepted'])} / "
             f"{format_count_it(d['in_scope']['rejected'])} |",
             f"| attivazioni bloccate / ripristini completati | {format_count_it(report.outcomes['activation_stopped'])}"
             f" / {format_count_it(report.outcomes['restored'])} |",
             f"| indennizzi del Protocollo pagati | {format_count_it(i['protocol_153']['paid'])} "
             f"({format_euro(i['protocol_153']['paid_eur'])}) |",
             f"| risposte: mediana / 95° percentile (giorni) | {format_days_it(r['median_days'])} / "
             f"{format_days_it(r['p95_days'])} |",
             f"| risposte entro {report.reply_standard_days} giorni | {format_rate_it(r['within_standard_share'])} |",
             f"| ripensamenti ricevuti | {format_count_it(report.withdrawals['received'])} |",
             f"| controlli / tasso di non conformità | {format_count_it(report.audits['concluded'])} / "
             f"{format_rate_it(report.audits['nonconformity_rate'])} |",
             f"| mandati revocati | {format_count_it(report.agencies['revocations'])} |",
             "", "File: " + ", ".join(f"`{path}`" for path in files.values())]
    return "\n".join(lines) + "\n"


@task(name="monitoring-files", cache_policy=NO_CACHE, retries=0)
def write_monitoring_files(*, database_url: str, period: ReportPeriod, folder: str) -> tuple[MonitoringReport, dict]:
    """Compute the report once and write it as PDF, CSV and JSON into ``folder``."""
    from flows.reports.association import association_report
    from flows.reports.files import write_report
    from flows.reports.render import monitoring_csv, monitoring_json, monitoring_pdf
    from flows.runtime import app_context
    from letters.supplier import load_supplier

    context = app_context(database_url)
    report = association_report(engine=context.engine, period=period, rules=context.rules)
    stem = f"monitoring-{period.start.isoformat()[:7]}-to-{period.last_day.isoformat()[:7]}"
    contents = {"pdf": monitoring_pdf(report, supplier_name=load_supplier().name),
                "csv": monitoring_csv(report).encode("utf-8"), "json": monitoring_json(report).encode("utf-8")}
    files = {fmt: str(write_report(content=content, out=Path(folder) / f"{stem}.{fmt}"))
             for fmt, content in contents.items()}
    return report, files


@flow(name="monitoring-report", log_prints=False, validate_parameters=True)
def monitoring_report(period_end: date | None = None, months: int = 6, database_url: str | None = None,
                      reports_dir: str | None = None) -> dict[str, str]:
    """The association report of the ``months`` calendar months before ``period_end``'s month.

    Raises ``ValueError`` for ``months`` below 1, ``DatabaseNotMigrated`` for a database without schema.
    """
    from db.engine import database_url as resolve_url
    from flows.settings import Settings

    if period_end is None:
        from flows.cli import today

        period_end = today()  # the one clock read
    period = months_ending(period_end=period_end, months=months)
    folder = Path(reports_dir) if reports_dir else Settings.from_environment().reports_dir
    report, files = write_monitoring_files(database_url=resolve_url(explicit=database_url), period=period,
                                           folder=str(folder / "monitoring"))
    create_markdown_artifact(key=f"monitoring-{period.start.isoformat()[:7]}-{period.last_day.isoformat()[:7]}",
                             markdown=summary_markdown(report, files=files),
                             description="Rapporto di monitoraggio per le associazioni dei consumatori")
    return files
