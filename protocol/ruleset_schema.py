"""Data-driven conversion of a parsed TOML table into a tree of frozen dataclasses.

The schema *is* the dataclass tree: every expectation (key names, types, optional keys,
value constraints) comes from the field annotations, so there is no hand-written check per
key. Supported annotations:

- ``int``, ``bool``, ``str``, ``datetime.date``, ``Decimal`` (TOML string or integer, never
  float), ``StrEnum`` subclasses (by value);
- ``tuple[T, ...]`` and ``frozenset[T]`` (TOML arrays; a frozenset refuses duplicates);
- ``Mapping[E, T]`` with ``E`` a ``StrEnum`` (a TOML table with exactly one key per member);
- nested dataclasses (TOML tables; unknown keys refused); ``T | None`` makes a key optional;
- ``Annotated[T, Check(...)]`` adds value constraints.

A dataclass may define ``invariant_problems(self)`` yielding ``(relative_key, reason)`` for
checks across fields. Fields with ``metadata={"computed": True}`` are not read from the file.
Problems are collected, never raised here: callers get every problem at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import enum
import functools
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation

Problem = tuple[str, str]
INVALID: typing.Final = object()  # sentinel: the value was refused, a problem was recorded


@dataclasses.dataclass(frozen=True, kw_only=True)
class Check:
    """A value constraint for ``Annotated``: ``predicate(value)`` must be true."""

    description: str
    predicate: Callable[[typing.Any], bool]


Annotated = typing.Annotated
PositiveInt = Annotated[int, Check(description="a positive integer", predicate=lambda v: v >= 1)]
NonNegativeInt = Annotated[int, Check(description="a non-negative integer", predicate=lambda v: v >= 0)]
DayOfMonth = Annotated[
    int, Check(description="a day of the month between 1 and 28", predicate=lambda v: 1 <= v <= 28)
]
Rate = Annotated[Decimal, Check(description="a rate between 0 and 1", predicate=lambda v: 0 <= v <= 1)]
Money = Annotated[
    Decimal,
    Check(
        description="a non-negative euro amount with at most 2 decimals",
        predicate=lambda v: v >= 0 and v.as_tuple().exponent >= -2,
    ),
]


# Constraints specific to the rule set's vocabulary.
@functools.cache
def _holidays_it() -> tuple[frozenset[str], frozenset[str]]:
    import holidays  # imported lazily: only the calendar section of a rule set needs it

    return frozenset(holidays.Italy.subdivisions), frozenset(holidays.Italy.supported_languages)


def _is_province(code: str) -> bool:
    return code in _holidays_it()[0]


def _is_language(language: str) -> bool:
    return language in _holidays_it()[1]


Version = Annotated[
    str, Check(description='a version like "2026.1"', predicate=lambda v: re.fullmatch(r"\d{4}\.\d+", v) is not None)
]
Multiplier = Annotated[Decimal, Check(description="a multiplier of at least 1", predicate=lambda v: v >= 1)]
Province = Annotated[str, Check(description="an Italian province code known to `holidays`", predicate=_is_province)]
Language = Annotated[str, Check(description="a language `holidays` offers for Italy", predicate=_is_language)]
Country = Annotated[str, Check(description='"IT"', predicate=lambda v: v == "IT")]
MonthsPerYearDivisor = Annotated[
    int,
    Check(
        description="a number of months dividing the year (1, 2, 3, 4, 6, 12)",
        predicate=lambda v: v in {1, 2, 3, 4, 6, 12},
    ),
]


def strictly_increasing(values: Sequence) -> bool:
    """True when every value is smaller than the next one."""
    return all(a < b for a, b in zip(values, values[1:]))


_TOML_TYPE_NAMES = {bool: "boolean", int: "integer", float: "float", str: "string", list: "array", dict: "table"}


def _join(key: str, name: str) -> str:
    return f"{key}.{name}" if key else name


def _got(raw: object) -> str:
    kind = "datetime" if isinstance(raw, dt.datetime) else _TOML_TYPE_NAMES.get(type(raw), type(raw).__name__)
    if isinstance(raw, (list, dict)):
        return f"got {kind}"
    shown = f'"{raw}"' if isinstance(raw, str) else str(raw).lower() if isinstance(raw, bool) else str(raw)
    return f"got {kind} {shown}"


def _enum_choices(enum_type: type[enum.Enum]) -> str:
    return ", ".join(f'"{m.value}"' for m in enum_type)


def _describe(tp: typing.Any) -> str:
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return f"one of {_enum_choices(tp)}"
    return {
        bool: "true or false",
        int: "an integer",
        str: "a string",
        Decimal: 'a decimal number written as a string (e.g. "0.05")',
        dt.date: "a date (YYYY-MM-DD)",
    }.get(tp, "a table" if dataclasses.is_dataclass(tp) else "an array")


def _scalar(tp: typing.Any, raw: object) -> object:
    """Convert a scalar, or return INVALID when the TOML value has the wrong type."""
    if tp is bool:
        return raw if isinstance(raw, bool) else INVALID
    if tp is int:
        return raw if isinstance(raw, int) and not isinstance(raw, bool) else INVALID
    if tp is str:
        return raw if isinstance(raw, str) else INVALID
    if tp is dt.date:
        return raw if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime) else INVALID
    if tp is Decimal:
        if isinstance(raw, bool) or not isinstance(raw, (int, str)):
            return INVALID
        try:
            value = Decimal(raw)
        except InvalidOperation:
            return INVALID
        return value if value.is_finite() else INVALID
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        values = {m.value: m for m in tp}
        return values.get(raw, INVALID) if isinstance(raw, str) else INVALID
    raise TypeError(f"unsupported schema type {tp!r}")  # a bug in the schema, not in the file


def convert(tp: typing.Any, raw: object, *, key: str, problems: list[Problem]) -> object:
    """Convert ``raw`` to ``tp``; on failure append ``(key, reason)`` and return INVALID."""
    checks: list[Check] = []
    if typing.get_origin(tp) is typing.Annotated:
        tp, *meta = typing.get_args(tp)
        checks = [m for m in meta if isinstance(m, Check)]
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        return convert_dataclass(tp, raw, key=key, problems=problems)
    if origin in (tuple, frozenset):
        value = _convert_array(tp, raw, key=key, problems=problems)
    elif origin is Mapping:
        value = _convert_mapping(tp, raw, key=key, problems=problems)
    else:
        value = _scalar(tp, raw)
        if value is INVALID:
            problems.append((key, f"must be {_describe(tp)}, {_got(raw)}"))
    if value is INVALID:
        return INVALID
    for check in checks:
        if not check.predicate(value):
            problems.append((key, f"must be {check.description}, {_got(raw)}"))
            return INVALID
    return value


def _convert_array(tp: typing.Any, raw: object, *, key: str, problems: list[Problem]) -> object:
    origin, (item_type, *_) = typing.get_origin(tp), typing.get_args(tp)
    if not isinstance(raw, list):
        problems.append((key, f"must be an array of {_describe(item_type)}, {_got(raw)}"))
        return INVALID
    items = [convert(item_type, item, key=f"{key}[{i}]", problems=problems) for i, item in enumerate(raw)]
    if any(item is INVALID for item in items):
        return INVALID
    if origin is frozenset:
        duplicates = sorted({str(item) for item in items if items.count(item) > 1})
        if duplicates:
            problems.append((key, f"lists {', '.join(duplicates)} more than once"))
            return INVALID
        return frozenset(items)
    return tuple(items)


def _convert_mapping(tp: typing.Any, raw: object, *, key: str, problems: list[Problem]) -> object:
    key_type, value_type = typing.get_args(tp)
    if not isinstance(raw, dict):
        problems.append((key, f"must be a table with keys {_enum_choices(key_type)}, {_got(raw)}"))
        return INVALID
    names = [m.value for m in key_type]
    ok = _unknown_and_missing(raw, names, key=key, problems=problems)
    result = {}
    for member in key_type:
        sub = _join(key, member.value)
        if member.value not in raw:
            problems.append((sub, "is missing"))
            ok = False
            continue
        result[member] = convert(value_type, raw[member.value], key=sub, problems=problems)
        ok = ok and result[member] is not INVALID
    return types.MappingProxyType(result) if ok else INVALID


def _unknown_and_missing(raw: dict, names: list[str], *, key: str, problems: list[Problem]) -> bool:
    ok = True
    for unknown in (k for k in raw if k not in names):
        close = difflib.get_close_matches(unknown, names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else f" (expected one of: {', '.join(names)})"
        problems.append((_join(key, unknown), f"is not a known key{hint}"))
        ok = False
    return ok


def _optional(tp: typing.Any) -> typing.Any | None:
    """Return T for ``T | None`` (or ``Optional[T]``), else None."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(tp)) == 2:
            return args[0]
    return None


def convert_dataclass(
    cls: type, raw: object, *, key: str, problems: list[Problem], computed: Mapping[str, object] | None = None
) -> object:
    """Build dataclass ``cls`` from TOML table ``raw``; ``computed`` supplies non-file fields."""
    if not isinstance(raw, dict):
        problems.append((key, f"must be a table, {_got(raw)}"))
        return INVALID
    hints = typing.get_type_hints(cls, include_extras=True)
    fields = [f for f in dataclasses.fields(cls) if not f.metadata.get("computed")]
    ok = _unknown_and_missing(raw, [f.name for f in fields], key=key, problems=problems)
    kwargs: dict[str, object] = dict(computed or {})
    for field in fields:
        sub, tp = _join(key, field.name), hints[field.name]
        inner = _optional(tp)
        if field.name not in raw:
            if inner is None:
                problems.append((sub, "is missing"))
                ok = False
            continue  # optional: the dataclass default applies
        value = convert(inner if inner is not None else tp, raw[field.name], key=sub, problems=problems)
        ok = ok and value is not INVALID
        kwargs[field.name] = value
    if not ok:
        return INVALID
    obj = cls(**kwargs)
    invariant_problems = getattr(obj, "invariant_problems", None)
    found = [(_join(key, k), reason) for k, reason in invariant_problems()] if invariant_problems else []
    problems.extend(found)
    return INVALID if found else obj
