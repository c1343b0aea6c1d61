"""Ranges: two amounts joined by a dash or words, read as their lower bound.

Ranges
  `$10-15K` (the upper bound's magnitude applies to a bare lower bound unless that makes it larger
  than the upper), `$10K–$15K`, `$4,000 to $6,500`, `between $4,000 and $6,500`, `from $4k to $6.5k`,
  `4-6k USD`, `10 to 15 thousand dollars`, `10~15k USD`: the LOWER bound is the amount, the upper
  is kept (ValueReading.upper). With spaces around the dash, or `to`, the upper bound needs its own
  marker or magnitude (or a `from`/`between` before the lower one): "$5k — 30,000 users" is one
  amount; a lower bound without a marker of its own then needs the marker AFTER the upper bound
  and must not be a year or the end of a run of numbers ("Q3 2026 — $3k", "+1 555 123 4567 — 4,570
  USD" are one amount). A "range" whose upper bound is smaller is no range ("from $40k to $25k"
  reads $40k, amounts_seen 2); equal bounds are one amount.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Optional

from dashboard.domain.business_value.characters import _DASHES, _SP, _SPACES
from dashboard.domain.business_value.currency import (
    _DOLLAR_CURRENCIES,
    _GENERIC,
    DEFAULT_CURRENCY,
    _marker_before,
    _resolve,
)
from dashboard.domain.business_value.expressions import _after, _Part, _skip_left
from dashboard.domain.business_value.numbers import _finite, _Number, _year_like
from dashboard.domain.business_value.value_reading import ValueReading

_CONNECTOR = re.compile(
    rf"[{_SP}]{{0,2}}(?P<dash>[{_DASHES}])[{_SP}]{{0,2}}|[{_SP}]{{1,2}}(?P<word>to|and|through)[{_SP}]{{1,2}}"
)


_LEAD = re.compile(rf"(?<![^\W\d_])(?:between|from)[{_SP}]{{1,2}}\Z", re.IGNORECASE)


@dataclass(slots=True)
class _Hit:
    """A money expression found in a text: one amount or a range."""

    lower: _Part
    upper: Optional[_Part]
    amount: float
    high: Optional[float]
    currency: Optional[str]  # None: unmarked (bare), the caller's currency applies
    start: int
    end: int
    lead: int  # start of "between"/"from" before a range (== start otherwise)
    power: int  # the magnitude the lower bound is read with (its own or the upper's)
    bare: bool = False
    seen: int = 1
    default: str = DEFAULT_CURRENCY

    def resolved_currency(self, default: str) -> str:
        return _resolve(self.currency, default)

    def reading(
        self,
        how: str,
        offset: int = 0,
        start: Optional[int] = None,
        end: Optional[int] = None,
        currency: Optional[str] = None,
    ) -> ValueReading:
        return ValueReading(
            amount=self.amount,
            currency=currency or self.resolved_currency(self.default),
            start=self.start + offset if start is None else start,
            end=self.end + offset if end is None else end,
            how=how,
            upper=self.high,
            amounts_seen=self.seen,
        )


def _range(text: str, a: _Part, b_number: Optional[_Number], money_context: bool) -> Optional[_Hit]:
    """A range from `a` to the next number ("$10-15K", "$4,000 to $6,500", "4-6k USD"), or None."""
    if b_number is None or b_number.lone == "invalid" or a.negative or a.trap or a.inside:
        return None
    gap = a.end
    if b_number.start <= gap or b_number.start - gap > 12:
        return None
    b = _Part(b_number, b_number.start, b_number.end, b_number.start)
    k = _skip_left(text, b_number.start)
    found = _marker_before(text, k) if k > gap else None
    if found is not None and found[0] >= gap:
        b.mark_start = b.start = found[0]
        b.currency, b.prefixed = found[1], True
    connector = _CONNECTOR.fullmatch(text, gap, b.start)
    if connector is None:
        return None
    _after(text, b, money_context)
    if not b.suffixed:
        b.end = b.mag_end
    if b.inside or b.trap or not (a.marked or b.marked or money_context):
        return None
    ca, cb = a.currency, b.currency
    if ca and cb and ca != cb:
        if ca == _GENERIC and cb in _DOLLAR_CURRENCIES:
            ca = cb
        elif not (cb == _GENERIC and ca in _DOLLAR_CURRENCIES):
            return None
    word = connector.group("word")
    lead = _LEAD.search(text, max(0, a.start - 10), a.start)
    if word == "and" and lead is None:
        return None
    spaced = word is not None or connector.end() - connector.start() > 1
    start = a.number.start
    if not a.marked and start >= 2 and text[start - 1] in _SPACES and text[start - 2].isdigit():
        return None  # "+1 555 123 4567 — 4,570 USD": the end of a phone number or a list of numbers
    if spaced and connector.group("dash") == "~":
        return None  # "in 2026 ~$2,100": about, not a range
    if spaced and not (
        b.prefixed or b.suffixed or b.power or lead or (money_context and (b.number.group or b.number.lone))
    ):
        return None  # "$5k — 30,000 users": a dash in a sentence
    if (
        spaced
        and not a.marked
        and not lead
        and not money_context
        and (not (b.suffixed or b.grand) or _year_like(a.number))
    ):
        return None  # "Q3 2026 — $3k", "in 2026 — 3,000 USD": the bound has no marker of its own
    upper = b.number.value(b.power)
    power = a.power
    if not a.power and b.power and a.number.value(b.power) <= upper:
        power = b.power
    lower = a.number.value(power)
    if not (math.isfinite(lower) and math.isfinite(upper)) or lower > upper:
        return None  # "from $40k to $25k" is a change, not a range
    high = None if lower == upper else upper
    return _Hit(a, b, _finite(lower) or 0.0, high, ca or cb, a.start, b.end, lead.start() if lead else a.start, power)
