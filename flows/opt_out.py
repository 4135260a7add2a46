"""The public opt-out register (Registro pubblico delle opposizioni) and its automatic check.

A telephone sale to a number on the register, without the customer's consent, is a
nonconformity found automatically (rulebook 3) and stops the activation like any other
incorrect selling.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine, or_, select

from db.engine import transaction
from db.models import Agency, Contract, Customer, ImportReject, Nonconformity, OptOutNumber
from flows.activation_stop import stop_activation
from flows.agency_findings import register_nonconformity
from flows.importing import ImportFileUnreadable
from flows.settings import Settings
from flows.steps import StepSummary
from protocol.codes import Channel, ContractState, NonconformityType
from protocol.field_errors import InvalidField
from protocol.lifecycle import ACTIVATION_STOPPABLE_STATES
from protocol.ruleset import RuleSet
from protocol.validators import validate_phone


@dataclass
class OptOutImport:
    source: str
    lines: int = 0
    added: int = 0
    already_registered: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


def import_opt_out(*, engine: Engine, path: Path, registered_on: date | None, now: datetime) -> OptOutImport:
    """Load one number a line, in any common Italian format, stored as E.164.

    Bad lines are kept as import rejects with their reason; numbers already on file are
    skipped. Raises ImportFileUnreadable.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ImportFileUnreadable(f"{path}: cannot read the opt-out file ({error})") from error
    report = OptOutImport(source=str(path))
    with transaction(engine) as session:
        seen: set[str] = set()
        for line_no, raw in enumerate(lines, start=1):
            text = raw.split("#", 1)[0].strip()
            if not text:
                continue
            report.lines += 1
            try:
                number = validate_phone(number=text, field="phone")
            except InvalidField as error:
                report.rejected.append((line_no, f"{text}: {error.reason}"))
                digest = hashlib.sha256(f"optout:{raw}".encode()).hexdigest()
                if session.execute(select(ImportReject.id).where(ImportReject.raw_sha256 == digest)).first() is None:
                    session.add(ImportReject(source=f"opt-out:{path.name}", line_no=line_no, external_id=None, raw=raw,
                                             raw_sha256=digest, problems=[{"field": "phone", "reason": error.reason}],
                                             rejected_at=now))
                continue
            if number in seen or session.get(OptOutNumber, number) is not None:
                report.already_registered += 1
                continue
            seen.add(number)
            session.add(OptOutNumber(phone_e164=number, registered_on=registered_on, source=path.name, imported_at=now))
            report.added += 1
    return report


def check_opt_out_register(*, engine: Engine, as_of: date, rules: RuleSet, now: datetime, settings: Settings,
                           actor: str = "opt-out-check") -> StepSummary:
    """Find telephone sales to registered numbers without consent that can still be stopped."""
    summary = StepSummary(step="opt-out register")
    with transaction(engine) as session:
        already = select(Nonconformity.contract_id).where(Nonconformity.type == NonconformityType.OPT_OUT_VIOLATION)
        rows = session.execute(
            select(Contract, Agency.name)
            .join(Customer, Customer.id == Contract.customer_id)
            .join(OptOutNumber, OptOutNumber.phone_e164 == Customer.phone_e164)
            .join(Agency, Agency.id == Contract.agency_id)
            .where(Contract.channel == Channel.PHONE, Contract.state.in_(tuple(ACTIVATION_STOPPABLE_STATES)),
                   Contract.state != ContractState.RECEIVED, or_(Contract.phone_consent.is_(None),
                                                                 Contract.phone_consent.is_(False)),
                   or_(OptOutNumber.registered_on.is_(None), OptOutNumber.registered_on <= Contract.signed_on),
                   Contract.signed_on <= as_of, Contract.id.not_in(already))
            .order_by(Contract.id)
        ).all()
        for contract, agency_name in rows:
            register_nonconformity(session, contract=contract, kind=NonconformityType.OPT_OUT_VIOLATION, found_on=as_of,
                                   actor=actor, now=now, rules=rules,
                                   note="number on the public opt-out register, no consent to the call")
            stop_activation(session, contract=contract, to=ContractState.BLOCKED_BY_AUDIT, letter_reason="audit",
                            event_key="opt-out", agency_name=agency_name, as_of=as_of, now=now, actor=actor,
                            rule_set_version=rules.version, settings=settings,
                            reason="telephone sale to a number on the public opt-out register without consent")
            summary.changed += 1
            summary.letters += 1
    return summary
