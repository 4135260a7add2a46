"""Italian letters to customers: kinds as data, Jinja2 templates, Babel formatting, WeasyPrint
PDFs and print runs for the mail house. A rendering library: no database, no clock (every date
comes in the context), no network.

    renderer = LetterRenderer()
    letter = renderer.render(kind="confirmation", context=context)   # .html .pdf .sha256
    run = build_print_run(items=items, run_on=day, sequence=1, renderer=renderer)

See ``letters.kinds`` for the context keys of each kind and ``docs/letters/README.md``.
"""

from letters.errors import (
    LetterContextIncomplete,
    LetterError,
    PrintRunError,
    SupplierFileError,
    UnknownCode,
    UnknownLetterKind,
)
from letters.kinds import LETTER_KINDS, LetterKind, check_context, get_letter_kind
from letters.print_run import PrintItem, PrintRun, build_print_run, chunk_for_print_runs
from letters.render import LetterRenderer, RenderedLetter
from letters.supplier import Supplier, load_supplier
from letters.values import PriceLine

__all__ = [
    "LETTER_KINDS",
    "LetterContextIncomplete",
    "LetterError",
    "LetterKind",
    "LetterRenderer",
    "PriceLine",
    "PrintItem",
    "PrintRun",
    "PrintRunError",
    "RenderedLetter",
    "Supplier",
    "SupplierFileError",
    "UnknownCode",
    "UnknownLetterKind",
    "build_print_run",
    "chunk_for_print_runs",
    "check_context",
    "get_letter_kind",
    "load_supplier",
]
