"""How an amount is shown: compact ($1.2M) or exact ($162,500), a reading with its range."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Optional

from dashboard.domain.business_value.currency import _SYMBOL_NAMES, DEFAULT_CURRENCY, _currency_code

if TYPE_CHECKING:
    from dashboard.domain.business_value.value_reading import ValueReading


def _symbol(currency: str) -> str:
    symbol = _SYMBOL_NAMES.get(currency)
    return symbol if symbol else f"{currency} "


def format_money(amount: Optional[float], *, compact: bool = True, currency: str = DEFAULT_CURRENCY) -> str:
    """$1.2M / $162.5k / $950 (compact) or $162,500, in `currency` (€1.2M, CHF 1.2k); — for None."""
    if amount is None:
        return "—"
    symbol = _symbol(_currency_code(currency))
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if not math.isfinite(amount):
        return f"{sign}{symbol}{amount}"
    if compact:
        units = ((1e9, "B"), (1e6, "M"), (1e3, "k"))
        for index, (threshold, suffix) in enumerate(units):
            if amount >= threshold:
                shown = f"{amount / threshold:,.1f}"
                if index and float(shown.replace(",", "")) >= 1000:  # 999,960 is $1M, not $1,000k
                    threshold, suffix = units[index - 1]
                    shown = f"{amount / threshold:,.1f}"
                return f"{sign}{symbol}{shown}{suffix}".replace(".0" + suffix, suffix)
        if round(amount) >= 1000:
            return f"{sign}{symbol}1k"
    return f"{sign}{symbol}{amount:,.0f}"


def _exact_money(amount: float, currency: str) -> str:
    """$5,000 or $5,000.50: whole units, or cents when there are any."""
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if not math.isfinite(amount):
        return f"{sign}{_symbol(currency)}{amount}"
    cents = round(amount * 100) % 100 if amount < 1e15 else 0
    text = f"{amount:,.2f}" if cents else f"{amount:,.0f}"
    return f"{sign}{_symbol(currency)}{text}"


def format_reading(reading: Optional[ValueReading], *, compact: bool = False) -> str:
    """ "$102,500", "$10,000–$15,000", "€45,000", or — for no reading."""
    if reading is None:
        return "—"

    def show(value: float) -> str:
        if compact:
            return format_money(value, compact=True, currency=reading.currency)
        return _exact_money(value, reading.currency)

    if reading.upper is not None:
        return f"{show(reading.amount)}–{show(reading.upper)}"
    return show(reading.amount)
