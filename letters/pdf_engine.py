"""WeasyPrint set up once: font configuration, the parsed stylesheet and a closed URL fetcher.

The letter HTML links ``static/letter.css`` so that it is a complete document (a browser or a
bare ``weasyprint.HTML(string=html, base_url=PACKAGE_BASE_URL).write_pdf()`` shows it styled).
``PdfEngine`` parses that stylesheet and registers its ``@font-face`` fonts (shipped in
``letters/fonts/``) once; when it lays out a letter its URL fetcher answers the link with an
empty stylesheet and passes the parsed one instead. The fetcher reads nothing outside the
package (and ``data:`` URLs): a letter never reaches the network or the file system.

The PDF is deterministic: WeasyPrint 70 writes ``/CreationDate`` and ``/ModDate`` only from the
``dcterms.created`` / ``dcterms.modified`` meta tags (the templates set both to the letter's
date), no ``/ID`` unless asked, and names font subsets by a hash of the font description.
"""

from __future__ import annotations

import atexit
import shutil
import weakref

from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGE_BASE_URL = PACKAGE_DIR.as_uri() + "/"
STYLESHEET = PACKAGE_DIR / "static" / "letter.css"
FONTS_DIR = PACKAGE_DIR / "fonts"
FONT_FAMILIES = frozenset({"Sentinella Sans", "Sentinella Serif"})


class PackageURLFetcher(URLFetcher):
    """Fetches ``file:`` URLs inside the package and ``data:`` URLs; refuses anything else.

    URLs in ``blank`` are answered with an empty stylesheet.
    """

    def __init__(self, *, blank: frozenset[str] = frozenset()) -> None:
        super().__init__(allowed_protocols=("file", "data"), timeout=1)
        self._blank = blank

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url in self._blank:
            return URLFetcherResponse(url, b"", {"Content-Type": "text/css"})
        if not (url.startswith(PACKAGE_BASE_URL) or url.startswith("data:")):
            raise ValueError(f"letters may only use resources of the letters package: {url}")
        return super().fetch(url, headers)


_ENGINES: "weakref.WeakSet[PdfEngine]" = weakref.WeakSet()


def _clean_up_fonts() -> None:
    """Remove the font configurations' temporary folders while the interpreter still can.

    WeasyPrint deletes them in ``FontConfiguration.__del__``, which at interpreter shutdown
    runs after ``shutil`` is torn down and prints a spurious traceback.
    """
    for engine in list(_ENGINES):
        folder = getattr(engine.font_config, "_folder", None)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
            engine.font_config._folder = None


atexit.register(_clean_up_fonts)


class PdfEngine:
    """One font configuration, one parsed stylesheet, reused for every letter."""

    def __init__(self) -> None:
        self.font_config = FontConfiguration()
        _ENGINES.add(self)
        self.stylesheet = CSS(filename=str(STYLESHEET), font_config=self.font_config,
                              url_fetcher=PackageURLFetcher())
        self._html_fetcher = PackageURLFetcher(blank=frozenset({STYLESHEET.as_uri()}))

    def layout(self, *, html: str) -> Document:
        """Lay out one letter's HTML into pages."""
        return HTML(string=html, base_url=PACKAGE_BASE_URL, url_fetcher=self._html_fetcher).render(
            stylesheets=[self.stylesheet], font_config=self.font_config
        )

    @staticmethod
    def write(document: Document) -> bytes:
        """The document as PDF bytes."""
        return document.write_pdf()
