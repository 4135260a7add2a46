"""Simulated customers, customer service, compliance and the Sportello for the demo.

Reproducible (a hash of the seed and the contract): customers the synthetic truth marks
as wanting to withdraw do so a few days after signing; customers of unsolicited or forged
contracts disown them a few days after the confirmation letter, and a few others contest
theirs when the first bill arrives (half of them proven right); customer service records each disownment the day it arrives; compliance
decides within 8 to 25 days (one in eight late, so the TIQV indemnity shows), accepting what
the truth says is unsolicited, except one mistake in ten which the Sportello later finds
unfounded; rejected holds are released the next day; domestic customers opt in 3 days after
an accepted reply. Never used in production.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, func, select

from db.engine import transaction
from db.models import Case, Contract, Invoice, Letter, Restoration, SyntheticTruth, User
from flows.disownment_decisions import decide_disownment, record_sportello_finding
from flows.disownments import open_disownment, release_hold
from flows.restoration_opt_in import record_opt_in
from flows.settings import Settings
from flows.steps import StepSummary
from flows.users import add_user
from flows.withdrawals import record_withdrawal
from protocol.calendar import WorkingCalendar
from protocol.codes import CaseKind, CaseOutcome, CaseStatus, ContractState, RequestChannel, RestorationStatus, Role
from protocol.ruleset import RuleSet

SERVICE, COMPLIANCE = "cs.simulated", "csr.simulated"
WITHDRAWABLE = (ContractState.VALIDATED, ContractState.CONFIRMED, ContractState.COOLING_OFF)
CONTEST_PER_MILLE = 15  # customers of a sound sale who still contest it at the first bill


def _draw(seed: int, what: str, key: object, modulo: int) -> int:
    digest = hashlib.sha256(f"{seed}:{what}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % modulo


def ensure_people(*, engine: Engine, now: datetime) -> None:
    with transaction(engine) as session:
        known = set(session.execute(select(User.username)).scalars())
    for name, role, full in ((SERVICE, Role.CUSTOMER_SERVICE, "Servizio clienti (simulato)"),
                             (COMPLIANCE, Role.COMPLIANCE, "Funzione compliance (simulata)")):
        if name not in known:
            add_user(engine=engine, username=name, role=role, full_name=full, now=now)


class CustomerSimulation:
    def __init__(self, *, engine: Engine, rules: RuleSet, calendar: WorkingCalendar, settings: Settings, seed: int):
        self.engine, self.rules, self.calendar, self.settings, self.seed = engine, rules, calendar, settings, seed

    def day(self, *, as_of: date, now: datetime) -> StepSummary:
        summary = StepSummary(step="simulated customers")
        for act in (self._withdrawals, self._disownments, self._decisions, self._releases, self._sportello,
                    self._opt_ins):
            summary.changed += act(as_of=as_of, now=now)
        return summary

    def _withdrawals(self, *, as_of: date, now: datetime) -> int:
        with transaction(self.engine) as session:
            rows = session.execute(
                select(Contract.external_id, Contract.signed_on).join(SyntheticTruth)
                .where(SyntheticTruth.customer_will_withdraw.is_(True), Contract.state.in_(WITHDRAWABLE),
                       Contract.signed_on < as_of)).all()
        done = 0
        for external_id, signed_on in rows:
            if signed_on + timedelta(days=3 + _draw(self.seed, "withdraw", external_id, 9)) != as_of:
                continue
            record_withdrawal(engine=self.engine, contract_reference=external_id, received_on=as_of, sent_on=as_of,
                              channel=RequestChannel.EMAIL, missing_fields=frozenset(), as_of=as_of, actor=SERVICE,
                              now=now, rules=self.rules, calendar=self.calendar, settings=self.settings)
            done += 1
        return done

    def _disownments(self, *, as_of: date, now: datetime) -> int:
        """Victims of unsolicited or forged contracts disown 2 to 9 days after the confirmation
        letter; a few other customers (1.5%) contest their contract 3 to 15 days after the
        first bill (a misleading sale the audit could not see, or a change of heart)."""
        with transaction(self.engine) as session:
            disowned = select(Case.id).where(Case.contract_id == Contract.id, Case.kind == CaseKind.DISOWNMENT).exists()
            rows = session.execute(
                select(Contract.external_id, SyntheticTruth.unsolicited | SyntheticTruth.forged,
                       func.min(Letter.written_on), func.min(Invoice.issued_on))
                .join(SyntheticTruth).join(Letter, (Letter.contract_id == Contract.id) & (Letter.kind == "confirmation"))
                .outerjoin(Invoice, Invoice.contract_id == Contract.id)
                .where(~disowned, Contract.state.not_in((ContractState.WITHDRAWN, ContractState.CANCELLED,
                                                         ContractState.BLOCKED_BY_AUDIT,
                                                         ContractState.REJECTED_AT_INTAKE)))
                .group_by(Contract.external_id, SyntheticTruth.unsolicited, SyntheticTruth.forged)).all()
        done = 0
        for external_id, unsolicited, confirmed_on, first_bill in rows:
            if unsolicited:
                due = confirmed_on + timedelta(days=2 + _draw(self.seed, "disown", external_id, 8))
            elif first_bill is not None and _draw(self.seed, "contests", external_id, 1000) < CONTEST_PER_MILLE:
                due = first_bill + timedelta(days=3 + _draw(self.seed, "disown", external_id, 13))
            else:
                continue
            if due != as_of:
                continue
            open_disownment(engine=self.engine, contract_reference=external_id, received_on=as_of, sent_on=None,
                            channel=("phone", "email", "letter", "association")[_draw(self.seed, "ch", external_id, 4)],
                            by=SERVICE, now=now, rules=self.rules, calendar=self.calendar)
            done += 1
        return done

    def _open_cases(self, session):
        return session.execute(select(Case, SyntheticTruth).join(SyntheticTruth,
                                                                 SyntheticTruth.contract_id == Case.contract_id,
                                                                 isouter=True)
                               .where(Case.kind == CaseKind.DISOWNMENT)).all()

    def _decisions(self, *, as_of: date, now: datetime) -> int:
        with transaction(self.engine) as session:
            cases = [(c.reference, c.received_on, t) for c, t in self._open_cases(session)
                     if c.status in (CaseStatus.OPEN, CaseStatus.INCOMPLETE)]
        done = 0
        for reference, received_on, truth in cases:
            late = _draw(self.seed, "late", reference, 8) == 0
            delay = 32 + _draw(self.seed, "delay", reference, 30) if late else 8 + _draw(self.seed, "delay", reference, 18)
            if received_on + timedelta(days=delay) != as_of:
                continue
            unsolicited = truth is not None and (truth.unsolicited or truth.forged)
            mistaken = unsolicited and _draw(self.seed, "mistake", reference, 10) == 0
            founded = unsolicited or _draw(self.seed, "founded", reference, 2) == 0  # a contested sale, proven
            outcome = CaseOutcome.ACCEPTED if founded and not mistaken else CaseOutcome.REJECTED
            decide_disownment(engine=self.engine, case_reference=reference, outcome=outcome, by=COMPLIANCE,
                              reason="verificati firma, registrazione e dichiarazione dell'agenzia; sentito il cliente",
                              as_of=as_of, now=now, rules=self.rules, calendar=self.calendar, settings=self.settings)
            done += 1
        return done

    def _releases(self, *, as_of: date, now: datetime) -> int:
        with transaction(self.engine) as session:
            due = [c.reference for c, _ in self._open_cases(session) if c.outcome is CaseOutcome.REJECTED
                   and c.decided_on == as_of - timedelta(days=1) and c.sportello_finding is None]
        for reference in due:
            release_hold(engine=self.engine, case_reference_=reference, by=SERVICE, as_of=as_of, now=now,
                         reason="lettera di rigetto inviata al cliente")
        return len(due)

    def _sportello(self, *, as_of: date, now: datetime) -> int:
        with transaction(self.engine) as session:
            due = [c.reference for c, t in self._open_cases(session) if c.outcome is CaseOutcome.REJECTED
                   and c.sportello_finding is None and t is not None and (t.unsolicited or t.forged)
                   and c.decided_on == as_of - timedelta(days=20)]
        for reference in due:
            record_sportello_finding(engine=self.engine, case_reference=reference, finding="unfounded", on=as_of,
                                     by=COMPLIANCE, now=now, rules=self.rules, calendar=self.calendar,
                                     settings=self.settings)
        return len(due)

    def _opt_ins(self, *, as_of: date, now: datetime) -> int:
        with transaction(self.engine) as session:
            due = session.execute(select(Case.reference).join(Restoration, Restoration.case_id == Case.id)
                                  .where(Restoration.status == RestorationStatus.AWAITING_OPT_IN,
                                         Case.decided_on == as_of - timedelta(days=3))).scalars().all()
        for reference in due:
            record_opt_in(engine=self.engine, case_reference=reference, on=as_of, by=SERVICE, now=now,
                          rules=self.rules, calendar=self.calendar)
        return len(due)
