"""When contracts are signed: how many on each day of the period, and by which channel.

Each channel has its own weekly rhythm: telesales and door-to-door work Monday to Friday
(a little on Saturdays), stands peak on Saturdays, shops open Monday to Saturday, the web
never closes; national holidays are quiet except on the web and at stands. A channel's
contracts are spread over the period in proportion to its rhythm, so the channel mix holds
whatever the period; each day's total gets some noise and the book's ``contracts`` are
shared out over the days by largest remainder, so the total is exact.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

import holidays

from protocol.codes import Channel

CHANNEL_SHARES = {Channel.PHONE: 0.28, Channel.DOOR_TO_DOOR: 0.27, Channel.STAND: 0.10,
                  Channel.WEB: 0.20, Channel.SHOP: 0.15}
# weight per weekday Monday..Sunday, then on a national holiday
_RHYTHM = {
    Channel.PHONE: ((1, 1, 1, 1, 1, 0.2, 0), 0),
    Channel.DOOR_TO_DOOR: ((1, 1, 1, 1, 1, 0.4, 0), 0),
    Channel.STAND: ((0.6, 0.6, 0.6, 0.6, 0.8, 1.6, 0.5), 0.5),
    Channel.WEB: ((1, 1, 1, 1, 1, 0.7, 0.6), 0.6),
    Channel.SHOP: ((1, 1, 1, 1, 1, 0.9, 0), 0),
}


@dataclass(frozen=True, slots=True)
class SalesDay:
    day: date
    quota: int
    channels: tuple[Channel, ...]
    cum_weights: tuple[float, ...]


def _channel_weight(channel: Channel, day: date, holiday_days: set[date]) -> float:
    weekly, on_holiday = _RHYTHM[channel]
    return on_holiday if day in holiday_days else weekly[day.weekday()]


def plan_days(*, rng: random.Random, contracts: int, start: date, days: int
              ) -> list[SalesDay]:
    """The sales days of the period with their contract quota and channel weights.

    Raises:
        ValueError: ``days`` is not positive or ``contracts`` is negative.
    """
    if days < 1:
        raise ValueError(f"the period must last at least one day, not {days}")
    if contracts < 0:
        raise ValueError(f"the number of contracts cannot be negative ({contracts})")
    calendar = [start + timedelta(days=offset) for offset in range(days)]
    holiday_days = set(holidays.Italy(years=range(start.year, calendar[-1].year + 1)))
    raw = {c: [_channel_weight(c, d, holiday_days) for d in calendar] for c in CHANNEL_SHARES}
    per_day: list[list[float]] = [[] for _ in calendar]
    for channel, share in CHANNEL_SHARES.items():
        total = sum(raw[channel])
        for index, weight in enumerate(raw[channel]):
            per_day[index].append(share * weight / total if total else 0.0)
    totals = [sum(weights) * rng.uniform(0.85, 1.15) for weights in per_day]
    grand = sum(totals)
    exact = [contracts * t / grand for t in totals]
    quotas = [int(x) for x in exact]
    by_remainder = sorted(range(days), key=lambda i: (quotas[i] - exact[i], i))
    for index in by_remainder[: contracts - sum(quotas)]:
        quotas[index] += 1
    plan = []
    for day, quota, weights in zip(calendar, quotas, per_day, strict=True):
        cumulative, running = [], 0.0
        for weight in weights:
            running += weight
            cumulative.append(running)
        plan.append(SalesDay(day=day, quota=quota, channels=tuple(CHANNEL_SHARES),
                             cum_weights=tuple(cumulative)))
    return plan
