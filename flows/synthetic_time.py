"""Timestamps of the synthetic book, derived from dates (never from the clock)."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

ROME = ZoneInfo("Europe/Rome")


@lru_cache(maxsize=4096)
def rome_utc(day: date, hour: int) -> datetime:
    """``hour``:00 Europe/Rome on ``day``, as an aware UTC datetime."""
    return datetime.combine(day, time(hour), tzinfo=ROME).astimezone(timezone.utc)


def evening_utc(day: date) -> datetime:
    """18:00 Europe/Rome on ``day`` (when the day's sales are loaded), in UTC."""
    return rome_utc(day, 18)


def morning_utc(day: date) -> datetime:
    """09:00 Europe/Rome on ``day``, in UTC."""
    return rome_utc(day, 9)
