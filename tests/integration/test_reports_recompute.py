"""The monitoring reports recomputed in plain Python from every row of the tables (no report SQL,
no GROUP BY): the reference the report tests compare with. Helpers only, no tests here."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from sqlalchemy import select

from db.models import (AgencyEvent, Audit, Case, Contract, CreditNote, Customer, Hold, Indemnity, Letter,
                       Nonconformity, Penalty, Restoration, User)
from flows.reports.association import MonitoringReport, MonthRow
from flows.reports.compliance import ComplianceReport
from protocol.scope import in_protocol_scope

__all__ = ["recompute_association", "recompute_compliance"]


def _all(session, model):
    return list(session.execute(select(model)).scalars())


def _in(day, period) -> bool:
    return day is not None and period.start <= day < period.end


def _rate(part, whole):
    return None if whole == 0 else (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def _percentile(values, fraction: Fraction):
    if not values:
        return None
    values = sorted(values)
    position = fraction * (len(values) - 1)
    low = int(position)
    high = min(low + 1, len(values) - 1)
    exact = values[low] + (values[high] - values[low]) * (position - low)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _month(day: date) -> date:
    return day.replace(day=1)


def recompute_association(session, *, period, rules) -> MonitoringReport:
    contracts = {c.id: c for c in _all(session, Contract)}
    customers = {c.id: c for c in _all(session, Customer)}
    restorations = {r.case_id: r for r in _all(session, Restoration)}
    cases = _all(session, Case)
    months = {m: dict(month=m) for m in period.months}

    def bump(day, name, by=1):
        row = months[_month(day) if _month(day) in months else period.months[0]]
        row[name] = row.get(name, 0) + by

    blank = {"received": 0, "accepted": 0, "rejected": 0, "pending": 0}
    disownments = {"in_scope": dict(blank), "out_of_scope": dict(blank), "total": dict(blank)}
    outcomes = dict.fromkeys(("activation_stopped", "restored", "restoration_in_progress", "restoration_declined",
                              "no_restoration"), 0)
    withdrawals = {"received": 0, "accepted": 0, "late": 0, "rejected": 0, "pending": 0}
    reply_days, escalations = [], {"sportello": 0, "sportello_unfounded": 0, "conciliation": 0}
    for case in cases:
        if case.kind.value == "withdrawal":
            if _in(case.received_on, period):
                withdrawals["received"] += 1
                withdrawals[case.outcome.value if case.outcome else "pending"] += 1
                bump(case.received_on, "withdrawals_received")
            continue
        if _in(case.received_on, period):
            contract = contracts[case.contract_id]
            customer = customers[contract.customer_id]
            scope = in_protocol_scope(customer_kind=customer.kind, commodity=contract.commodity,
                                      vulnerable=customer.vulnerable, employees=customer.employees,
                                      turnover_eur=customer.turnover_eur, rules=rules).in_scope
            state = case.outcome.value if case.outcome and case.outcome.value in ("accepted", "rejected") else "pending"
            for group in ("in_scope" if scope else "out_of_scope", "total"):
                disownments[group]["received"] += 1
                disownments[group][state] += 1
            bump(case.received_on, "disownments_received")
            if state != "pending":
                bump(case.received_on, f"disownments_{state}")
            if state == "accepted":
                restoration = restorations.get(case.id)
                if case.activation_stoppable:
                    outcomes["activation_stopped"] += 1
                elif restoration is None:
                    outcomes["no_restoration"] += 1
                elif restoration.status.value == "completed":
                    outcomes["restored"] += 1
                elif restoration.status.value == "declined":
                    outcomes["restoration_declined"] += 1
                else:
                    outcomes["restoration_in_progress"] += 1
        if _in(case.replied_on, period):
            days = (case.replied_on - case.received_on).days
            reply_days.append(days)
            bump(case.replied_on, "replies")
            if days <= rules.disownment.reply_calendar_days:
                bump(case.replied_on, "replies_within_standard")
        if _in(case.sportello_on, period):
            escalations["sportello"] += 1
            escalations["sportello_unfounded"] += case.sportello_finding == "unfounded"
        if _in(case.conciliation_on, period):
            escalations["conciliation"] += 1

    indemnities = {kind: {"owed": 0, "owed_eur": Decimal("0.00"), "paid": 0, "paid_eur": Decimal("0.00")}
                   for kind in ("protocol_153", "tiqv_late_reply")}
    for indemnity in _all(session, Indemnity):
        if _in(indemnity.owed_on, period):
            row = indemnities[indemnity.kind.value]
            row["owed"] += 1
            row["owed_eur"] += indemnity.amount
            if indemnity.credit_note_id is not None or indemnity.invoice_id is not None:
                row["paid"] += 1
                row["paid_eur"] += indemnity.amount

    concluded = nonconforming = 0
    for audit in _all(session, Audit):
        if audit.verdict is not None and _in(audit.verdict_on, period):
            concluded += 1
            nonconforming += audit.verdict.value == "nonconforming"
            bump(audit.verdict_on, "audits")
            bump(audit.verdict_on, "audits_nonconforming", audit.verdict.value == "nonconforming")
    from protocol.codes import NonconformityType

    types = {t.value: 0 for t in NonconformityType}
    for finding in _all(session, Nonconformity):
        if _in(finding.found_on, period):
            types[finding.type.value] += 1
    penalties = [p.amount for p in _all(session, Penalty) if _in(p.accrued_on, period)]
    events = {(e.agency_id, e.kind) for e in _all(session, AgencyEvent) if _in(e.occurred_on, period)}
    within = sum(1 for d in reply_days if d <= rules.disownment.reply_calendar_days)
    return MonitoringReport(
        period_start=period.start, period_end=period.end, reply_standard_days=rules.disownment.reply_calendar_days,
        disownments=disownments, outcomes=outcomes, indemnities=indemnities,
        reply_times={"replies": len(reply_days), "median_days": _percentile(reply_days, Fraction(1, 2)),
                     "p95_days": _percentile(reply_days, Fraction(95, 100)), "within_standard": within,
                     "within_standard_share": _rate(within, len(reply_days))},
        withdrawals=withdrawals,
        audits={"concluded": concluded, "nonconforming": nonconforming,
                "nonconformity_rate": _rate(nonconforming, concluded)},
        nonconformities=types,
        agencies={"penalties": len(penalties), "penalties_eur": sum(penalties, Decimal("0.00")),
                  "warnings": sum(1 for _, kind in events if kind == "warning"),
                  "revocations": sum(1 for _, kind in events if kind == "revocation")},
        escalations=escalations, months=[MonthRow(**row) for row in months.values()])


def _timely(items, period):
    """items: (done, due) pairs -> due / on_time / late / not_done / share."""
    figures = {"due": 0, "on_time": 0, "late": 0, "not_done": 0}
    for done, due in items:
        figures["due"] += 1
        if done is None or done >= period.end:
            figures["not_done"] += 1
        else:
            figures["on_time" if done <= due else "late"] += 1
    return {**figures, "share": _rate(figures["on_time"], figures["due"])}


def recompute_compliance(session, *, period) -> ComplianceReport:
    last = period.last_day
    contracts = _all(session, Contract)
    letters = {l.contract_id: l.written_on for l in _all(session, Letter)
               if l.kind == "confirmation" and l.event_key == "confirmation"}
    cases = _all(session, Case)
    holds = _all(session, Hold)
    restorations = _all(session, Restoration)
    notes = {n.id: n for n in _all(session, CreditNote)}
    indemnities = _all(session, Indemnity)
    roles = {u.username: u.role.value for u in _all(session, User)}
    by_id = {c.id: c for c in cases}
    disownments = [c for c in cases if c.kind.value == "disownment"]

    def held(case) -> bool:
        return any(h.contract_id == case.contract_id and h.placed_on <= case.received_on
                   and (h.case_id == case.id or h.released_at is None) for h in holds)

    received = [c for c in disownments if _in(c.received_on, period)]
    completed = [r for r in restorations if _in(r.completed_on, period)]
    rebilled = sum(1 for r in completed if r.rebilled_on is not None and r.rebilled_on < period.end)
    paid_indemnities = {}
    for kind in ("protocol_153", "tiqv_late_reply"):
        owed = [i for i in indemnities if i.kind.value == kind and _in(i.owed_on, period)]
        paid = [i for i in owed if (i.credit_note_id is not None and notes[i.credit_note_id].issued_on < period.end)
                or i.invoice_id is not None]
        paid_indemnities[kind] = {"owed": len(owed), "paid": len(paid),
                                  "paid_eur": sum((i.amount for i in paid), Decimal("0.00")),
                                  "share": _rate(len(paid), len(owed))}

    def owner(case):
        return case.decided_by or case.opened_by

    def not_done(day):
        return day is None or day > last

    steps = {
        "confirmation": [(c.external_id, c.confirmation_due_on, None) for c in contracts
                         if c.confirmation_due_on and c.confirmation_due_on <= last
                         and c.state.value in ("validated", "received") and not_done(letters.get(c.id))],
        "hold": [(c.reference, c.received_on, c.opened_by) for c in disownments if c.received_on <= last
                 and c.status.value in ("open", "incomplete") and not held(c)],
        "reply": [(c.reference, c.reply_due_on, owner(c)) for c in disownments
                  if c.reply_due_on <= last and c.received_on <= last and not_done(c.replied_on)],
        "restoration_request": [(by_id[r.case_id].reference, r.request_due_on, owner(by_id[r.case_id]))
                                for r in restorations if r.request_due_on and r.request_due_on <= last
                                and not_done(r.requested_on)],
        "rebilling": [(by_id[r.case_id].reference, r.completed_on, owner(by_id[r.case_id])) for r in restorations
                      if r.completed_on and r.completed_on <= last and not_done(r.rebilled_on)],
        "protocol_indemnity": [(by_id[i.case_id].reference, i.owed_on, owner(by_id[i.case_id])) for i in indemnities
                               if i.kind.value == "protocol_153" and i.owed_on <= last
                               and not (i.credit_note_id and notes[i.credit_note_id].issued_on <= last)],
    }
    rows = []
    for step, items in steps.items():
        for reference, due, user in sorted(items, key=lambda item: (item[1], item[0])):
            rows.append({"step": step, "reference": reference, "due_on": due, "days_overdue": (last - due).days,
                         "owner_user": "daily-cycle" if step == "confirmation" else user,
                         "owner_role": roles.get(user)})
    return ComplianceReport(
        period_start=period.start, period_end=period.end,
        confirmations=_timely([(letters.get(c.id), c.confirmation_due_on) for c in contracts
                               if _in(c.confirmation_due_on, period)], period),
        holds={"received": len(received), "same_day": sum(1 for c in received if held(c)),
               "share": _rate(sum(1 for c in received if held(c)), len(received))},
        replies=_timely([(c.replied_on, c.reply_due_on) for c in disownments if _in(c.reply_due_on, period)], period),
        restoration_requests=_timely([(r.requested_on, r.request_due_on) for r in restorations
                                      if _in(r.request_due_on, period)], period),
        rebilling={"completed": len(completed), "rebilled": rebilled, "share": _rate(rebilled, len(completed))},
        indemnities=paid_indemnities, overdue_counts={step: len(items) for step, items in steps.items()}, overdue=rows)
