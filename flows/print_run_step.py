"""Bundle the day's letters into print runs of about a hundred, with a manifest for the mail house."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine, func, select

from db.engine import transaction
from db.models import Contract, Customer, Letter, PrintRun
from flows.letter_contexts import address_lines
from flows.settings import Settings
from flows.steps import StepSummary
from letters.print_run import PrintItem, chunk_for_print_runs, merge_print_run

RUN_SIZE = 100


def bundle_print_runs(*, engine: Engine, as_of: date, now: datetime, settings: Settings) -> StepSummary:
    """Every letter written up to ``as_of`` and not yet in a print run goes into one.

    Each run is committed on its own: a re-run bundles only what is still unbundled.
    """
    summary = StepSummary(step="print runs")
    with transaction(engine) as session:
        rows = session.execute(
            select(Letter, Contract.external_id, Customer)
            .join(Contract, Contract.id == Letter.contract_id)
            .join(Customer, Customer.id == Contract.customer_id)
            .where(Letter.print_run_id.is_(None), Letter.written_on <= as_of)
            .order_by(Letter.id)
        ).all()
        items = [
            PrintItem(letter_id=letter.id, reference=external_id, kind=letter.kind,
                      recipient_name=customer.display_name, address_lines=address_lines(customer),
                      html="")
            for letter, external_id, customer in rows
        ]
        paths = {letter.id: letter.path for letter, _external_id, _customer in rows}
    for chunk in chunk_for_print_runs(items, size=RUN_SIZE):
        with transaction(engine) as session:
            sequence = (session.execute(
                select(func.max(PrintRun.sequence)).where(PrintRun.run_on == as_of)).scalar_one() or 0) + 1
            pdfs = [Path(paths[item.letter_id]).read_bytes() for item in chunk]
            run = merge_print_run(items=chunk, pdfs=pdfs, run_on=as_of, sequence=sequence)
            folder = settings.letters_dir / "print-runs" / as_of.isoformat()
            folder.mkdir(parents=True, exist_ok=True)
            pdf_path = folder / f"run-{sequence:03d}.pdf"
            manifest_path = folder / f"run-{sequence:03d}-manifest.csv"
            pdf_path.write_bytes(run.pdf)
            manifest_path.write_text(run.manifest_csv, encoding="utf-8")
            record = PrintRun(run_on=as_of, sequence=sequence, path=str(pdf_path), sha256=run.sha256,
                              manifest_path=str(manifest_path), letter_count=len(chunk), created_at=now)
            session.add(record)
            session.flush()
            for item in chunk:
                session.get(Letter, item.letter_id).print_run_id = record.id
            summary.changed += 1
            summary.notes.append(f"{pdf_path.name}: {len(chunk)} letters")
    return summary
