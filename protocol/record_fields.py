"""Reading the fields of a decoded JSON object while collecting every problem.

A :class:`FieldReader` wraps one JSON object (a ``Mapping``) at a dotted path and appends a
:class:`~protocol.field_errors.Problem` to a shared list for every field that is missing, of
the wrong type, unknown or invalid, returning ``None`` for that field so reading goes on. This
is what lets an import record report all its problems at once. Internal to
:mod:`protocol.contract_record`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from protocol.field_errors import InvalidField, InvalidFields, Problem

__all__ = ["FieldReader", "JsonObject", "describe_type"]

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")

_MAX_MAGNITUDE = Decimal(10) ** 15


class JsonObject(dict[str, Any]):
    """A decoded JSON object that remembers the keys it held more than once."""

    duplicates: tuple[str, ...] = ()

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, Any]]) -> JsonObject:
        """``object_pairs_hook`` for :func:`json.loads`."""
        obj = cls(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            repeated: list[str] = []
            for key, _ in pairs:
                if key in seen and key not in repeated:
                    repeated.append(key)
                seen.add(key)
            obj.duplicates = tuple(repeated)
        return obj


def describe_type(value: object) -> str:
    """Name a value's JSON type the way an agent would read it ("a number", "a list")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float | Decimal):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


class FieldReader:
    """Reads the fields of one JSON object, reporting problems instead of raising."""

    def __init__(self, *, data: Mapping[str, Any], path: str, problems: list[Problem]) -> None:
        self.data = data
        self.path = path
        self.problems = problems

    def at(self, name: str) -> str:
        """The dotted path of field ``name``."""
        return f"{self.path}.{name}" if self.path else name

    def report(self, name: str, reason: str) -> None:
        self.problems.append(Problem(field=self.at(name), reason=reason))

    def reported(self, name: str) -> bool:
        """Whether a problem was already reported for field ``name`` (or inside it)."""
        path = self.at(name)
        return any(p.field == path or p.field.startswith(f"{path}.") for p in self.problems)

    def require(self, name: str, value: object, *, why: str) -> None:
        """Report ``name`` as missing, saying ``why``, unless it has a value or a problem."""
        if value is None and not self.reported(name):
            self.report(name, f"missing ({why})")

    def check_keys(self, *, known: Iterable[str]) -> None:
        """Report keys that are not part of the format, and keys given more than once."""
        known = frozenset(known)
        for key in getattr(self.data, "duplicates", ()):
            self.report(str(key), "appears more than once")
        for key in self.data:
            if key not in known:
                self.report(str(key), "unknown field")

    def _raw(self, name: str, *, required: bool) -> Any:
        value = self.data.get(name)
        if value is None and required:
            self.report(name, "missing")
        return value

    def _wrong_type(self, name: str, expected: str, value: object) -> None:
        self.report(name, f"must be {expected}, not {describe_type(value)}")

    def text(self, name: str, *, required: bool) -> str | None:
        """A string, trimmed; an empty optional string counts as null."""
        value = self._raw(name, required=required)
        if value is None:
            return None
        if not isinstance(value, str):
            self._wrong_type(name, "text", value)
            return None
        value = " ".join(value.split())
        if not value:
            if required:
                self.report(name, "is empty")
            return None
        return value

    def boolean(self, name: str, *, required: bool) -> bool | None:
        value = self._raw(name, required=required)
        if value is None or isinstance(value, bool):
            return value
        self._wrong_type(name, "true or false", value)
        return None

    def decimal(self, name: str, *, required: bool) -> Decimal | None:
        """A number as an exact ``Decimal`` (floats through their shortest repr)."""
        value = self._raw(name, required=required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            self._wrong_type(name, "a number", value)
            return None
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            self.report(name, "must be a finite number")
            return None
        if abs(number) >= _MAX_MAGNITUDE:
            self.report(name, "is implausibly large")
            return None
        return number

    def integer(self, name: str, *, required: bool) -> int | None:
        """A whole number (``12`` or ``12.0``, never ``12.5``)."""
        if self._raw(name, required=required) is None:
            return None
        number = self.decimal(name, required=False)
        if number is None:
            return None
        if number != number.to_integral_value():
            self.report(name, "must be a whole number")
            return None
        return int(number)

    def choice(self, name: str, *, among: type[E], required: bool = True) -> E | None:
        """One of the values of the ``among`` enumeration."""
        value = self.text(name, required=required)
        if value is None:
            return None
        try:
            return among(value)
        except ValueError:
            allowed = ", ".join(member.value for member in among)
            self.report(name, f"'{value}' is not one of: {allowed}")
            return None

    def child(self, name: str) -> FieldReader | None:
        """A reader for the nested object ``name`` (required)."""
        value = self._raw(name, required=True)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self._wrong_type(name, "an object", value)
            return None
        return FieldReader(data=value, path=self.at(name), problems=self.problems)

    def checked(self, name: str, check: Callable[..., T], /, **kwargs: Any) -> T | None:
        """Run ``check(**kwargs, field=...)`` on values already read, reporting its problems.

        Returns ``None`` without calling ``check`` when any argument is ``None`` (that field
        was absent or already reported).
        """
        if any(value is None for value in kwargs.values()):
            return None
        try:
            return check(**kwargs, field=self.at(name))
        except InvalidField as error:
            self.problems.append(error.problem)
        except InvalidFields as error:
            self.problems.extend(error.problems)
        return None
