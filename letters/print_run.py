"""Print runs for the mail house: one PDF holding many letters, and a CSV manifest.

Each letter's HTML is laid out on its own (so it starts on a new page and numbers its own
pages "Pagina 1 di 2"), then the pages of all letters are combined into one PDF
(``Document.copy``): nothing is parsed twice.

The manifest is UTF-8 CSV (no BOM), separated by ``;`` (the Italian spreadsheet default, and
free of the decimal comma), CRLF line ends, one header row then one row per letter, in print
order, with the columns ``MANIFEST_COLUMNS``:

- ``run_id``: ``YYYYMMDD-NNN`` (run date and the run's sequence number of that day);
- ``sequence``: the letter's position in the run, from 1;
- ``letter_id``, ``reference``, ``kind``, ``recipient``;
- ``address_1`` to ``address_4``: the postal address lines under the name (empty when fewer);
- ``first_page``: the letter's first page in the run's PDF, from 1; ``page_count``.

Errors: ``PrintRunError`` (no items, a repeated letter id, an address of 0 or more than 4
lines, a sequence below 1, a size below 1).
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from letters.errors import PrintRunError
from letters.render import LetterRenderer

MAX_ADDRESS_LINES = 4
MANIFEST_COLUMNS = (
    "run_id", "sequence", "letter_id", "reference", "kind", "recipient",
    *(f"address_{n}" for n in range(1, MAX_ADDRESS_LINES + 1)),
    "first_page", "page_count",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class PrintItem:
    letter_id: int
    reference: str
    kind: str
    recipient_name: str
    address_lines: tuple[str, ...]
    html: str  # from LetterRenderer.render_html


@dataclass(frozen=True, slots=True, kw_only=True)
class PrintRun:
    pdf: bytes
    manifest_csv: str
    page_counts: tuple[int, ...]  # per item, in order
    sha256: str  # of ``pdf``
    run_id: str


def run_id(*, run_on: date, sequence: int) -> str:
    """``20260429-003``: the run's date and its sequence number of that day."""
    if sequence < 1:
        raise PrintRunError(f"a print run's sequence starts at 1 (got {sequence})")
    return f"{run_on:%Y%m%d}-{sequence:03d}"


def _check(items: Sequence[PrintItem]) -> None:
    if not items:
        raise PrintRunError("a print run needs at least one letter")
    seen: set[int] = set()
    for item in items:
        if item.letter_id in seen:
            raise PrintRunError(f"letter {item.letter_id} appears twice in the print run")
        seen.add(item.letter_id)
        if not 1 <= len(item.address_lines) <= MAX_ADDRESS_LINES:
            raise PrintRunError(
                f"letter {item.letter_id}: the address must have 1 to {MAX_ADDRESS_LINES} "
                f"lines (got {len(item.address_lines)})"
            )


def _manifest(*, items: Sequence[PrintItem], page_counts: Sequence[int], rid: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(MANIFEST_COLUMNS)
    first_page = 1
    for position, (item, pages) in enumerate(zip(items, page_counts, strict=True), start=1):
        address = list(item.address_lines) + [""] * (MAX_ADDRESS_LINES - len(item.address_lines))
        writer.writerow([rid, position, item.letter_id, item.reference, item.kind,
                         item.recipient_name, *address, first_page, pages])
        first_page += pages
    return buffer.getvalue()


def build_print_run(*, items: Sequence[PrintItem], run_on: date, sequence: int,
                    renderer: LetterRenderer) -> PrintRun:
    """One PDF with the letters in order, each from a new page, and its manifest.

    Raises ``PrintRunError``.
    """
    rid = run_id(run_on=run_on, sequence=sequence)
    _check(items)
    documents = [renderer.layout(html=item.html) for item in items]
    combined = documents[0].copy([page for document in documents for page in document.pages])
    metadata = copy.copy(documents[0].metadata)
    metadata.title = f"Lotto di stampa {rid}"
    metadata.keywords = [rid]
    metadata.created = metadata.modified = run_on.isoformat()
    combined.metadata = metadata
    pdf = renderer.engine.write(combined)
    page_counts = tuple(len(document.pages) for document in documents)
    return PrintRun(
        pdf=pdf,
        manifest_csv=_manifest(items=items, page_counts=page_counts, rid=rid),
        page_counts=page_counts,
        sha256=hashlib.sha256(pdf).hexdigest(),
        run_id=rid,
    )


def chunk_for_print_runs(items: Sequence[PrintItem],
                         size: int = 100) -> tuple[tuple[PrintItem, ...], ...]:
    """Split a day's letters, in order, into runs of at most ``size`` letters, as even as
    possible (250 letters → 84 + 83 + 83, not 100 + 100 + 50). Raises ``PrintRunError``."""
    if size < 1:
        raise PrintRunError(f"a print run holds at least one letter (size {size})")
    if not items:
        return ()
    runs = -(-len(items) // size)
    base, extra = divmod(len(items), runs)
    chunks, start = [], 0
    for index in range(runs):
        end = start + base + (1 if index < extra else 0)
        chunks.append(tuple(items[start:end]))
        start = end
    return tuple(chunks)


def merge_print_run(*, items: Sequence[PrintItem], pdfs: Sequence[bytes], run_on: date,
                    sequence: int) -> PrintRun:
    """The same print run as ``build_print_run``, from the letters' already-written PDFs.

    The daily cycle archives one PDF per letter anyway; concatenating those pages (pypdf)
    costs milliseconds where laying the HTML out again costs ~150 ms a letter.
    Raises ``PrintRunError``.
    """
    from pypdf import PdfReader, PdfWriter

    rid = run_id(run_on=run_on, sequence=sequence)
    _check(items)
    if len(pdfs) != len(items):
        raise PrintRunError(f"{len(items)} letters but {len(pdfs)} PDFs")
    writer = PdfWriter()
    page_counts = []
    for pdf in pdfs:
        reader = PdfReader(io.BytesIO(pdf))
        page_counts.append(len(reader.pages))
        writer.append(reader)
    stamp = f"D:{run_on:%Y%m%d}000000Z"
    writer.add_metadata({"/Title": f"Lotto di stampa {rid}", "/Keywords": rid, "/Producer": "Sentinella",
                         "/CreationDate": stamp, "/ModDate": stamp})
    buffer = io.BytesIO()
    writer.write(buffer)
    pdf = buffer.getvalue()
    counts = tuple(page_counts)
    return PrintRun(pdf=pdf, manifest_csv=_manifest(items=items, page_counts=counts, rid=rid),
                    page_counts=counts, sha256=hashlib.sha256(pdf).hexdigest(), run_id=rid)
