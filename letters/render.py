"""Letters rendered to HTML (Jinja2, autoescaped) and to PDF (WeasyPrint).

A ``LetterRenderer`` builds its Jinja environment and its WeasyPrint set-up (fonts, parsed
stylesheet) once; make one per process and reuse it for every letter. It is not thread-safe:
give each thread (or Dask worker) its own.

Errors: ``UnknownLetterKind``, ``LetterContextIncomplete``, ``UnknownCode`` (a code with no
Italian wording, or a value a kind does not allow), ``TypeError`` (a float amount, a date that
is not a ``date``), ``jinja2.UndefinedError`` (a template reads a key nobody gave: a bug).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from letters.context import prepare_context
from letters.formatting import JINJA_FILTERS
from letters.supplier import Supplier, load_supplier

if TYPE_CHECKING:  # WeasyPrint takes 0.6 s to import: only PDF users pay for it
    from weasyprint.document import Document

    from letters.pdf_engine import PdfEngine

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True, slots=True, kw_only=True)
class RenderedLetter:
    kind: str
    html: str
    pdf: bytes
    sha256: str  # of ``pdf``
    page_count: int


def make_environment(*, templates_dir: Path) -> Environment:
    """The Jinja environment: autoescape on for ``.html``/``.html.j2``, undefined is an error."""
    environment = Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"),
                                     default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    environment.filters.update(JINJA_FILTERS)
    return environment


class LetterRenderer:
    """Renders letters of ``letters.kinds.LETTER_KINDS`` from a context mapping."""

    def __init__(self, *, templates_dir: Path | None = None,
                 supplier: Supplier | None = None) -> None:
        self.environment = make_environment(templates_dir=templates_dir or TEMPLATES_DIR)
        self.supplier = supplier or load_supplier()
        self._engine: PdfEngine | None = None

    @property
    def engine(self) -> PdfEngine:
        """WeasyPrint's set-up, made at the first PDF (HTML-only users never pay for it)."""
        if self._engine is None:
            from letters.pdf_engine import PdfEngine

            self._engine = PdfEngine()
        return self._engine

    def render_html(self, *, kind: str, context: Mapping[str, Any]) -> str:
        """The letter as a complete HTML document (Italian, autoescaped)."""
        letter_kind, values = prepare_context(kind=kind, context=context, supplier=self.supplier)
        return self.environment.get_template(letter_kind.template).render(values)

    def layout(self, *, html: str) -> Document:
        """The letter's HTML laid out into WeasyPrint pages (for print runs)."""
        return self.engine.layout(html=html)

    def render_pdf(self, *, html: str) -> bytes:
        """The letter's HTML (from ``render_html``) as PDF bytes; same HTML, same bytes."""
        return self.engine.write(self.layout(html=html))

    def render(self, *, kind: str, context: Mapping[str, Any]) -> RenderedLetter:
        """HTML, PDF and the PDF's SHA-256 of one letter."""
        html = self.render_html(kind=kind, context=context)
        document = self.layout(html=html)
        pdf = self.engine.write(document)
        return RenderedLetter(kind=kind, html=html, pdf=pdf,
                              sha256=hashlib.sha256(pdf).hexdigest(),
                              page_count=len(document.pages))
