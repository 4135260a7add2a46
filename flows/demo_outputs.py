"""What the demo leaves behind once the days have run: reports and headline figures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine, func, select

from db.engine import transaction
from db.models import (Agency, Case, Contract, CreditNote, DunningAction, Indemnity, Invoice, Letter, OutboxMessage,
                       Restoration)
from protocol.codes import CaseKind, CaseOutcome, CreditNoteKind, IndemnityKind, InvoiceKind, RestorationStatus
from protocol.ruleset import RuleSet


def write_demo_reports(*, engine: Engine, rules: RuleSet, first: date, last: date, folder: Path) -> dict[str, Path]:
    """The agency scorecard (HTML), the association report (PDF) and the compliance report
    (HTML) for the months the demo covered."""
    from flows.reports.files import compliance_bytes, monitoring_bytes, write_report
    from flows.reports.period import ReportPeriod
    from flows.scorecard_render import scorecard_html
    from flows.scorecards import scorecard_between

    start = first.replace(day=1)
    end = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    period = ReportPeriod(start=start, end=end)
    label = f"{start:%Y-%m}-to-{period.last_day:%Y-%m}"
    files = {
        "scorecard": folder / f"scorecard-{label}.html",
        "association report": folder / f"monitoring-{label}.pdf",
        "compliance report": folder / f"compliance-{label}.html",
    }
    rows = scorecard_between(engine=engine, period_start=start, period_end=end)
    write_report(content=scorecard_html(rows=rows, period=label).encode("utf-8"), out=files["scorecard"])
    write_report(content=monitoring_bytes(engine=engine, period=period, rules=rules, fmt="pdf"),
                 out=files["association report"])
    write_report(content=compliance_bytes(engine=engine, period=period, fmt="html"), out=files["compliance report"])
    return files


def headline_figures(*, engine: Engine) -> list[tuple[str, str]]:
    def count(statement) -> int:
        return session.execute(statement).scalar_one()

    with transaction(engine) as session:
        disownments = select(func.count()).select_from(Case).where(Case.kind == CaseKind.DISOWNMENT)
        notes = {kind: (n, total) for kind, n, total in session.execute(
            select(CreditNote.kind, func.count(), func.sum(CreditNote.amount)).group_by(CreditNote.kind)).all()}
        tiqv = session.execute(select(func.count(), func.sum(Indemnity.amount))
                               .where(Indemnity.kind == IndemnityKind.TIQV_LATE_REPLY)).one()
        figures = [
            ("contracts", count(select(func.count()).select_from(Contract))),
            ("letters written", count(select(func.count()).select_from(Letter))),
            ("outbound messages", count(select(func.count()).select_from(OutboxMessage))),
            ("bills issued (regular / re-issued)",
             f"{count(select(func.count()).where(Invoice.kind == InvoiceKind.REGULAR)):,} / "
             f"{count(select(func.count()).where(Invoice.kind == InvoiceKind.REISSUE)):,}"),
            ("dunning steps taken", count(select(func.count()).select_from(DunningAction))),
            ("withdrawals", count(select(func.count()).select_from(Case).where(Case.kind == CaseKind.WITHDRAWAL))),
            ("disownments received / accepted / rejected",
             f"{count(disownments)} / {count(disownments.where(Case.outcome == CaseOutcome.ACCEPTED))} / "
             f"{count(disownments.where(Case.outcome == CaseOutcome.REJECTED))}"),
            ("restorations completed",
             count(select(func.count()).where(Restoration.status == RestorationStatus.COMPLETED))),
            ("€25 protocol indemnities",
             f"{notes.get(CreditNoteKind.PROTOCOL_INDEMNITY, (0, 0))[0]} (€ {notes.get(CreditNoteKind.PROTOCOL_INDEMNITY, (0, 0))[1] or 0})"),
            ("TIQV late-reply indemnities", f"{tiqv[0]} (€ {tiqv[1] or 0})"),
            ("storno credit notes", notes.get(CreditNoteKind.STORNO, (0, 0))[0]),
            ("agencies revoked", count(select(func.count()).where(Agency.revoked_on.is_not(None)))),
        ]
    return [(label, f"{value:,}" if isinstance(value, int) else value) for label, value in figures]
