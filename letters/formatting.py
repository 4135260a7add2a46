"""Italian formatting of dates, money and codes (Babel ``it_IT``), usable as Jinja filters.

Money is ``Decimal`` (``int`` is accepted as exact); a ``float`` raises ``TypeError``. Amounts
are rounded half-up: to the cent by ``format_euro``, to six decimals by
``format_unit_price``. Babel separates the amount from ``€`` with a no-break space; these
functions return a plain space (``"1.234,56 €"``), and the templates keep amounts on one line
with CSS (``white-space: nowrap``).

Codes (channels, commodities, ...) are the stable strings of ``protocol.codes``; an unknown
code raises ``UnknownCode`` (a ``ValueError``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

from babel.dates import format_date
from babel.numbers import format_currency

from letters.errors import UnknownCode

LOCALE = "it_IT"
_CENT = Decimal("0.01")
_MICRO = Decimal("0.000001")
_NO_BREAK_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})

CHANNELS_IT: Mapping[str, str] = MappingProxyType({
    "phone": "telefono",
    "door_to_door": "porta a porta",
    "stand": "stand",
    "web": "web",
    "shop": "negozio",
})
COMMODITIES_IT: Mapping[str, str] = MappingProxyType({
    "electricity": "energia elettrica",
    "gas": "gas naturale",
})
SUPPLY_POINT_LABELS: Mapping[str, str] = MappingProxyType({"electricity": "POD", "gas": "PDR"})
REQUEST_CHANNELS_IT: Mapping[str, str] = MappingProxyType({
    "raccomandata": "raccomandata con ricevuta di ritorno",
    "letter": "lettera semplice",
    "fax": "fax",
    "email": "e-mail",
    "phone": "telefono",
    "branch": "sportello",
    "association": "associazione dei consumatori",
    "sportello": "Sportello per il Consumatore",
})

MISSING_ITEMS_IT: Mapping[str, str] = MappingProxyType({
    "name": "nome e cognome o ragione sociale",
    "supply_point": "codice POD o PDR del punto di fornitura",
    "supply_address": "indirizzo di fornitura",
    "phone": "recapito telefonico",
    "signature": "firma",
})


def _money(amount: object) -> Decimal:
    if isinstance(amount, float):
        raise TypeError(f"money must be a Decimal, never a float (got {amount!r})")
    if isinstance(amount, bool) or not isinstance(amount, (Decimal, int)):
        raise TypeError(f"money must be a Decimal (got {type(amount).__name__})")
    value = Decimal(amount)
    if not value.is_finite():
        raise ValueError(f"money must be a finite amount (got {amount!r})")
    return value


def _quantize(value: Decimal, step: Decimal) -> Decimal:
    rounded = value.quantize(step, rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded.is_zero() else rounded  # never "-0,00 €"


def format_date_it(d: date) -> str:
    """``date(2026, 5, 13)`` → ``"13 maggio 2026"`` (Babel pattern ``d MMMM y``).

    Raises ``TypeError`` when ``d`` is not a ``date``.
    """
    if not isinstance(d, date):
        raise TypeError(f"expected a date (got {type(d).__name__})")
    return format_date(d, "d MMMM y", locale=LOCALE)


def format_euro(amount: Decimal) -> str:
    """``Decimal("1234.56")`` → ``"1.234,56 €"``; always two decimals, rounded half-up.

    Negative amounts keep their sign (``"-30,00 €"``). Raises ``TypeError`` on a float.
    """
    value = _quantize(_money(amount), _CENT)
    return format_currency(value, "EUR", locale=LOCALE).translate(_NO_BREAK_SPACES)


def format_unit_price(amount: Decimal, unit: str) -> str:
    """``(Decimal("0.123456"), "kWh")`` → ``"0,123456 €/kWh"``: 2 to 6 decimals, half-up.

    ``unit`` is what the price is per (``"kWh"``, ``"Smc"``, ``"mese"``...). Raises
    ``TypeError`` on a float amount or a unit that is not a non-empty string.
    """
    if not isinstance(unit, str) or not unit.strip("/ "):
        raise TypeError(f"unit must be a non-empty string (got {unit!r})")
    value = _quantize(_money(amount), _MICRO)
    text = format_currency(
        value, "EUR", format="#,##0.00#### ¤", locale=LOCALE, currency_digits=False
    )
    return f"{text.translate(_NO_BREAK_SPACES)}/{unit.strip('/ ')}"


def _lookup(table: Mapping[str, str], name: str, code: object) -> str:
    try:
        return table[str(code)]
    except KeyError:
        raise UnknownCode(table=name, code=code, known=table) from None


def format_channel_it(channel: str) -> str:
    """Sales channel: ``"door_to_door"`` → ``"porta a porta"``. Raises ``UnknownCode``."""
    return _lookup(CHANNELS_IT, "sales channel", channel)


def format_commodity_it(commodity: str) -> str:
    """``"electricity"`` → ``"energia elettrica"``, ``"gas"`` → ``"gas naturale"``."""
    return _lookup(COMMODITIES_IT, "commodity", commodity)


def format_supply_point_label(commodity: str) -> str:
    """The supply point's name for the commodity: ``"POD"`` or ``"PDR"``."""
    return _lookup(SUPPLY_POINT_LABELS, "commodity", commodity)


def format_request_channel_it(channel: str) -> str:
    """How a customer's request reached us: ``"email"`` → ``"e-mail"``."""
    return _lookup(REQUEST_CHANNELS_IT, "request channel", channel)


def format_missing_item_it(item: str) -> str:
    """A missing part of a customer's request: a code of ``MISSING_ITEMS_IT``
    (``"phone"`` → ``"recapito telefonico"``), or free Italian text, printed as given."""
    return MISSING_ITEMS_IT.get(item, item)


JINJA_FILTERS: Mapping[str, object] = MappingProxyType({
    "date_it": format_date_it,
    "euro": format_euro,
    "unit_price": format_unit_price,
    "channel_it": format_channel_it,
    "commodity_it": format_commodity_it,
    "supply_point_label": format_supply_point_label,
    "request_channel_it": format_request_channel_it,
    "missing_item_it": format_missing_item_it,
})
