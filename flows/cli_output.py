"""How the CLI prints: rich tables for people, ``--json`` for programs."""

from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from rich.console import Console

console = Console()
errors = Console(stderr=True)


def to_jsonable(value: Any) -> Any:
    """Plain JSON values: dates ISO, Decimals as strings (exact), enums by value."""
    if is_dataclass(value) and not isinstance(value, type):
        return to_jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def print_json(value: Any) -> None:
    print(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2, sort_keys=False))


def date_option(value: str | None, option: str) -> date:
    """A ``YYYY-MM-DD`` option's date; when absent, today (the CLI's one reading of the calendar)."""
    import typer

    if value is None:
        from flows.cli import today

        return today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date (YYYY-MM-DD)", param_hint=option) from None
