"""Benchmark: how fast letters are rendered, next to bare WeasyPrint on the same HTML.

    .venv/bin/python bench/letters.py [--letters 200] [--run-size 100]

Prints the machine first, then letters per second for
(a) HTML only (Jinja + Babel), (b) one PDF per letter through ``LetterRenderer.render``,
(c) print runs of ``--run-size`` letters through ``build_print_run``, and
(d) bare ``weasyprint.HTML(string=html, base_url=...).write_pdf()`` on the same HTML
(a fresh font configuration and stylesheet parse per letter, as a naive caller would do);
then the pipeline's overhead over bare WeasyPrint (negative: the pipeline is faster).
The letters are confirmation letters (the daily volume), domestic and business alternately.
No assertions: figures only.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

# This script is itself named letters.py: take its folder off the path so that
# ``import letters`` finds the package, and put the project root on it.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [str(_HERE.parent)] + [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import weasyprint  # noqa: E402
from weasyprint import HTML  # noqa: E402

from letters.pdf_engine import PACKAGE_BASE_URL  # noqa: E402
from letters.parallel import INLINE_BELOW, render_many, render_workers  # noqa: E402
from letters.print_run import PrintItem, build_print_run, chunk_for_print_runs, merge_print_run  # noqa: E402
from letters.render import LetterRenderer  # noqa: E402
from letters.samples import sample_confirmation_context  # noqa: E402


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _machine() -> None:
    from weasyprint.text.ffi import harfbuzz_subset

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    print(f"machine   {platform.platform()} ({platform.machine()})")
    print(f"cpu       {_cpu_model()}; {os.cpu_count()} cores, {usable} usable by this process")
    print(f"python    {platform.python_version()}; WeasyPrint {weasyprint.__version__}; "
          f"harfbuzz-subset {'yes' if harfbuzz_subset else 'NO (about 5x slower)'}")


def _timed(label: str, count: int, work: Callable[[], object]) -> float:
    began = time.perf_counter()
    work()
    elapsed = time.perf_counter() - began
    print(f"{label:<52} {count / elapsed:8.1f} letters/s   {1000 * elapsed / count:7.1f} ms/letter")
    return elapsed / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, default=200, help="letters per measure")
    parser.add_argument("--run-size", type=int, default=100, help="letters per print run")
    args = parser.parse_args()
    _machine()

    contexts = [
        sample_confirmation_context(kind_of_customer="domestic" if n % 2 else "business",
                                    number=n)
        for n in range(1, args.letters + 1)
    ]
    began = time.perf_counter()
    renderer = LetterRenderer()
    renderer.render(kind="confirmation", context=contexts[0])  # Jinja, fonts, stylesheet
    setup = time.perf_counter() - began
    print(f"set-up    {setup:.2f} s (Jinja environment, fonts, stylesheet, first letter)")
    print(f"letters   {args.letters} confirmation letters; print runs of {args.run_size}")
    print()

    htmls: list[str] = []
    _timed("(a) HTML only", args.letters, lambda: htmls.extend(
        renderer.render_html(kind="confirmation", context=c) for c in contexts))
    per_letter = _timed("(b) one PDF per letter, render() (HTML + PDF)", args.letters,
                        lambda: [renderer.render(kind="confirmation", context=c)
                                 for c in contexts])
    pdf_only = _timed("(b') one PDF per letter, render_pdf(html) only", args.letters,
                      lambda: [renderer.render_pdf(html=h) for h in htmls])
    items = [PrintItem(letter_id=n, reference=c["reference"], kind="confirmation",
                       recipient_name=c["recipient_name"],
                       address_lines=tuple(c["address_lines"]), html=h)
             for n, (c, h) in enumerate(zip(contexts, htmls, strict=True), start=1)]
    runs = chunk_for_print_runs(items, size=args.run_size)
    in_run = _timed(f"(c) print runs of {args.run_size} (from HTML, one PDF per run)",
                    args.letters,
                    lambda: [build_print_run(items=run, run_on=date(2026, 5, 7), sequence=n,
                                             renderer=renderer)
                             for n, run in enumerate(runs, start=1)])
    pdfs = [renderer.render_pdf(html=h) for h in htmls]
    merged = _timed(f"(c') print runs of {args.run_size} merged from the letters' PDFs", args.letters,
                    lambda: [merge_print_run(items=run, pdfs=pdfs[sum(map(len, runs[:n])):sum(map(len, runs[:n + 1]))],
                                             run_on=date(2026, 5, 7), sequence=n + 1)
                             for n, run in enumerate(runs)])
    workers = render_workers()
    if workers > 1:
        render_many(jobs=[("confirmation", contexts[0])] * INLINE_BELOW)  # start the pool
        _timed(f"(e) one PDF per letter on {workers} processes (daily cycle)", args.letters,
               lambda: render_many(jobs=[("confirmation", c) for c in contexts]))
    bare = _timed("(d) bare WeasyPrint HTML(string=...).write_pdf()", args.letters,
                  lambda: [HTML(string=h, base_url=PACKAGE_BASE_URL).write_pdf() for h in htmls])
    print()
    print("pipeline overhead over bare WeasyPrint (negative = faster than bare):")
    for label, seconds in (("render_pdf(html)", pdf_only), ("render() incl. HTML", per_letter),
                           ("print run, per letter", in_run),
                           ("daily cycle: PDF + merged run", per_letter + merged)):
        print(f"  {label:<24} {100 * (seconds / bare - 1):+6.1f} %")


if __name__ == "__main__":
    main()
