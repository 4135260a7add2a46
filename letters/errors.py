"""The named exceptions of the letters package.

Every one derives from ``LetterError`` (itself a ``SentinellaError``) and from ``ValueError``,
so callers may catch the precise error, the package's root, or plain ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Iterable

from protocol.errors import SentinellaError


class LetterError(SentinellaError, ValueError):
    """Root of the letters package's errors."""


class UnknownLetterKind(LetterError):
    """No letter kind has this code; ``code`` is the one asked for, ``known`` the valid ones."""

    def __init__(self, *, code: str, known: Iterable[str]) -> None:
        self.code = code
        self.known = tuple(sorted(known))
        super().__init__(f"unknown letter kind {code!r}; known kinds: {', '.join(self.known)}")


class LetterContextIncomplete(LetterError):
    """The context lacks keys the kind requires; ``missing`` names every one, sorted."""

    def __init__(self, *, kind: str, missing: Iterable[str]) -> None:
        self.kind = kind
        self.missing = tuple(sorted(missing))
        super().__init__(
            f"letter {kind!r} cannot be rendered: missing context key(s) {', '.join(self.missing)}"
        )


class UnknownCode(LetterError):
    """A code (channel, commodity, ...) has no Italian wording; ``table`` says which table."""

    def __init__(self, *, table: str, code: object, known: Iterable[str]) -> None:
        self.table = table
        self.code = code
        self.known = tuple(sorted(known))
        super().__init__(f"unknown {table} {code!r}; known: {', '.join(self.known)}")


class SupplierFileError(LetterError):
    """The supplier identity file is unreadable or invalid; ``problems`` lists every one."""

    def __init__(self, *, source: str, problems: Iterable[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"supplier file {source} has {len(self.problems)} problem(s):\n{lines}")


class PrintRunError(LetterError):
    """A print run cannot be built from these items (empty run, unusable address, ...)."""
