"""What a failed field check reports: a :class:`Problem`, and the exceptions that carry them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from protocol.errors import SentinellaError

__all__ = ["InvalidField", "InvalidFields", "Problem"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one field.

    ``field`` is a dotted path into the record (``"customer.address.postcode"``), or
    ``"(line)"`` when the line as a whole is unreadable; ``reason`` is a short English
    sentence for a customer-service agent.
    """

    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


class InvalidField(SentinellaError, ValueError):
    """A single field failed validation.

    Attributes:
        field: the field's name or dotted path.
        reason: why, as a short sentence for customer service.
    """

    def __init__(self, *, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason

    @property
    def problem(self) -> Problem:
        """The same failure as a :class:`Problem` value."""
        return Problem(field=self.field, reason=self.reason)


class InvalidFields(SentinellaError, ValueError):
    """Several fields (or parts of one compound field) failed validation together.

    Attributes:
        problems: every problem found, in field order (never empty).
    """

    def __init__(self, *, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("InvalidFields needs at least one problem")
        super().__init__("; ".join(str(problem) for problem in self.problems))
