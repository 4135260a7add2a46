"""The steps of the daily cycle, in the order they must run, as data.

Each step is a plain function of a ``Day`` (picklable: a database URL, dates and folders,
never a session), so the Prefect flow runs each as one batched task and tests can call them
directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from db.engine import transaction
from flows.settings import Settings
from flows.steps import StepSummary


@dataclass(frozen=True, kw_only=True)
class Day:
    database_url: str
    as_of: date
    now: datetime
    settings: Settings


def _context(day: Day):
    from flows.runtime import app_context

    return app_context(day.database_url)


def intake(day: Day) -> StepSummary:
    from flows.intake_step import run_intake

    context = _context(day)
    return run_intake(engine=context.engine, as_of=day.as_of, rules=context.rules, calendar=context.calendar,
                      now=day.now, actor=day.settings.actor)


def confirmations(day: Day) -> StepSummary:
    from flows.confirmation_step import send_confirmations

    context = _context(day)
    return send_confirmations(engine=context.engine, as_of=day.as_of, rules=context.rules,
                              calendar=context.calendar, now=day.now, settings=day.settings)


def opt_out_register(day: Day) -> StepSummary:
    from flows.opt_out import check_opt_out_register

    context = _context(day)
    return check_opt_out_register(engine=context.engine, as_of=day.as_of, rules=context.rules, now=day.now,
                                  settings=day.settings)


def audit_draw(day: Day) -> StepSummary:
    """The sample audits of the week before this one (drawn once, whatever day runs first)."""
    from agencies.periods import week_start_of
    from flows.audit_draw import draw_audit_week

    context = _context(day)
    previous_week = week_start_of(day.as_of) - timedelta(days=7)
    return draw_audit_week(engine=context.engine, week_start=previous_week, rules=context.rules, now=day.now)


def corrective_plans(day: Day) -> StepSummary:
    from flows.corrective_plans import check_corrective_plans

    context = _context(day)
    return check_corrective_plans(engine=context.engine, as_of=day.as_of, rules=context.rules, now=day.now)


def switch_requests(day: Day) -> StepSummary:
    from flows.switching_step import file_switch_requests

    context = _context(day)
    return file_switch_requests(engine=context.engine, as_of=day.as_of, rules=context.rules,
                                calendar=context.calendar, now=day.now, actor=day.settings.actor)


def points_of_no_return(day: Day) -> StepSummary:
    from flows.switching_step import pass_points_of_no_return

    context = _context(day)
    return pass_points_of_no_return(engine=context.engine, as_of=day.as_of, rules=context.rules, now=day.now,
                                    actor=day.settings.actor)


def activations(day: Day) -> StepSummary:
    from flows.switching_step import activate_switched_contracts

    context = _context(day)
    return activate_switched_contracts(engine=context.engine, as_of=day.as_of, rules=context.rules, now=day.now,
                                       actor=day.settings.actor)


def restorations(day: Day) -> StepSummary:
    from flows.restoration_step import run_restorations

    context = _context(day)
    return run_restorations(engine=context.engine, as_of=day.as_of, rules=context.rules, calendar=context.calendar,
                            now=day.now, settings=day.settings, actor=day.settings.actor)


def invoicing(day: Day) -> StepSummary:
    from flows.invoicing import run_invoicing

    context = _context(day)
    return run_invoicing(engine=context.engine, as_of=day.as_of, rules=context.rules, calendar=context.calendar,
                         now=day.now)


def sepa_collections(day: Day) -> StepSummary:
    from flows.sepa_batch import run_sepa_batch

    return run_sepa_batch(engine=_context(day).engine, as_of=day.as_of, now=day.now)


def dunning(day: Day) -> StepSummary:
    from flows.dunning_run import run_dunning

    context = _context(day)
    return run_dunning(engine=context.engine, as_of=day.as_of, rules=context.rules, now=day.now,
                       actor=day.settings.actor)


def tiqv_credit_notes(day: Day) -> StepSummary:
    from flows.tiqv_credit_notes import credit_unbillable_indemnities

    context = _context(day)
    return credit_unbillable_indemnities(engine=context.engine, as_of=day.as_of, now=day.now,
                                         actor=day.settings.actor, rule_set_version=context.rules.version)


def outbox_dispatch(day: Day) -> StepSummary:
    from flows.outbox import FileTransport, dispatch

    context = _context(day)
    with transaction(context.engine) as session:
        sent = dispatch(session, transport=FileTransport(day.settings.outbox_dir), now=day.now)
    return StepSummary(step="outbox dispatch", changed=sent)


def hub_acknowledgements(day: Day) -> StepSummary:
    from flows.hub_simulator import acknowledge_hub_messages

    context = _context(day)
    return acknowledge_hub_messages(engine=context.engine, outbox_dir=day.settings.outbox_dir, as_of=day.as_of,
                                    now=day.now)


def print_runs(day: Day) -> StepSummary:
    from flows.print_run_step import bundle_print_runs

    context = _context(day)
    return bundle_print_runs(engine=context.engine, as_of=day.as_of, now=day.now, settings=day.settings)


def _record(day: Day, *, name: str, status: str, summary: dict) -> None:
    from sqlalchemy import select

    from db.models import DailyRunStep

    with transaction(_context(day).engine) as session:
        row = session.execute(select(DailyRunStep).where(DailyRunStep.as_of == day.as_of, DailyRunStep.step == name)
                              .with_for_update()).scalar_one_or_none()
        if row is None:
            row = DailyRunStep(as_of=day.as_of, step=name, started_at=day.now)
            session.add(row)
        row.status, row.finished_at, row.summary = status, day.now, summary


def recorded(name: str, function: Callable[[Day], StepSummary]) -> Callable[[Day], StepSummary]:
    """``function``, with what it did (or the error that stopped it) kept in ``daily_run_steps``."""

    def run(day: Day) -> StepSummary:
        try:
            summary = function(day)
        except Exception as error:
            _record(day, name=name, status="failed", summary={"error": f"{type(error).__name__}: {error}"})
            raise
        _record(day, name=name, status="done", summary=summary.as_dict())
        return summary

    run.__name__ = run.__qualname__ = function.__name__
    run.__doc__ = function.__doc__
    return run


_STEPS: tuple[tuple[str, Callable[[Day], StepSummary]], ...] = (
    ("intake", intake),
    ("confirmations", confirmations),
    ("opt-out-register", opt_out_register),
    ("audit-draw", audit_draw),
    ("corrective-plans", corrective_plans),
    ("switch-requests", switch_requests),
    ("points-of-no-return", points_of_no_return),
    ("activations", activations),
    ("restorations", restorations),
    ("invoicing", invoicing),
    ("sepa-collections", sepa_collections),
    ("dunning", dunning),
    ("tiqv-credit-notes", tiqv_credit_notes),
    ("outbox-dispatch", outbox_dispatch),
    ("hub-acknowledgements", hub_acknowledgements),
    ("print-runs", print_runs),
)


DAILY_STEPS: tuple[tuple[str, Callable[[Day], StepSummary]], ...] = tuple(
    (name, recorded(name, function)) for name, function in _STEPS)


def run_day_steps(day: Day) -> list[StepSummary]:
    """Every step due on ``day.as_of``, in order, without Prefect (the fast path for tests)."""
    return [step(day) for _name, step in DAILY_STEPS]
