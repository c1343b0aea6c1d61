"""Totals: readings summed per currency, never converted."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Optional

from dashboard.domain.business_value.currency import DEFAULT_CURRENCY, _currency_code
from dashboard.domain.business_value.formatting import _exact_money
from dashboard.domain.business_value.value_reading import ValueReading


@dataclass(frozen=True)
class MoneyTotal:
    """A sum of readings in one currency; other currencies are kept apart, never converted."""

    amount: float  # sum in the main currency (ranges count their lower bound)
    currency: str
    counted: int  # readings summed into amount
    other: dict[str, float] = field(default_factory=dict)  # currency -> sum, never added to amount
    unreadable: int = 0  # items with no amount (None or unreadable text)
    ranges: int = 0  # how many summed readings were ranges

    @property
    def known(self) -> bool:
        """False when nothing was summed though there were values (unreadable, or all in other
        currencies): such a total is unknown, not zero."""
        return bool(self.counted) or not (self.unreadable or self.other)

    def other_text(self) -> str:
        """ "+ €40,000 not converted" / "+ €40,000 and £1,200 not converted" / ""."""
        if not self.other:
            return ""
        shown = [
            _exact_money(value, code)
            for code, value in sorted(self.other.items(), key=lambda item: (-abs(item[1]), item[0]))
        ]
        joined = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
        return f"+ {joined} not converted"


def total_of(readings: Iterable[Optional[ValueReading]], currency: str = DEFAULT_CURRENCY) -> MoneyTotal:
    """The sum of `readings` in `currency`; the others summed per currency; None counted unreadable."""
    main = _currency_code(currency)
    amounts: list[float] = []
    other: dict[str, list[float]] = {}
    unreadable = ranges = 0
    for reading in readings:
        if reading is None:
            unreadable += 1
        elif reading.currency == main:
            amounts.append(reading.amount)
            ranges += reading.is_range
        else:
            other.setdefault(reading.currency, []).append(reading.amount)
    return MoneyTotal(
        amount=math.fsum(amounts) + 0.0,
        currency=main,
        counted=len(amounts),
        other={code: math.fsum(values) for code, values in other.items()},
        unreadable=unreadable,
        ranges=ranges,
    )
