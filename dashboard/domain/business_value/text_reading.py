"""Reading plain text: the first marked money expression, else the whole text as a bare number.

Several amounts: the FIRST marked one is read; `amounts_seen` says how many there were. An hourly
rate ($150/h, $75 per hour) is the price of work, not its value: it is read only when the text
holds no other amount ("3 engineers × $150/h × 40h = $18,000" reads $18,000).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

from dashboard.domain.business_value.characters import _SP, _SPACE_SPLIT, _SPACES
from dashboard.domain.business_value.expressions import _part
from dashboard.domain.business_value.numbers import _finite, _Number, _number, _numbers, _split
from dashboard.domain.business_value.ranges import _Hit, _range
from dashboard.domain.business_value.units import _HOURLY, _SPACED_DIGITS

MAX_TEXT = 4_000
"""Characters of a text that are read (the rest is ignored)."""


_ANY_DIGIT = re.compile(r"\d")
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


_NO_MARK = "no amount marked as money (a number needs $, € or a currency code)"


def _scan(text: str, default: str) -> Optional[_Hit]:
    """The first marked money expression in `text`, with how many there were in hit.seen."""
    numbers = _numbers(text)
    first: Optional[_Hit] = None
    rate: Optional[_Hit] = None
    seen = 0
    i = 0
    count = len(numbers)
    while i < count:
        number = numbers[i]
        i += 1
        if number.lone == "invalid":
            continue
        part = _part(text, number, False)
        if (part.trap or part.glued) and _SPACE_SPLIT.search(text, number.start, number.end):
            # "$5 120 hours", "$5 150ms": the last group counts the hours, it is no thousands group
            cut = max(text.rfind(c, number.start, number.end) for c in _SP)
            head = _number(text, number.start, cut)
            if head is not None:
                rest: list[_Number] = []
                _split(text, cut + 1, number.end, rest)
                numbers[i:i] = rest
                count += len(rest)
                number, part = head, _part(text, head, False)
        space_split = _SPACE_SPLIT.search(text, number.start, number.end) if part.inside else None
        if space_split is not None:
            # "PR-42 100 USD", "Q3 100,000 USD": the word takes the first group only
            space = space_split.start()
            rest = []
            _split(text, space + 1, number.end, rest)
            numbers[i:i] = rest
            count += len(rest)
            continue
        if part.inside:
            continue
        hit = _range(text, part, numbers[i] if i < count else None, False)
        if hit is not None:
            i += 1
        else:
            if not part.marked or part.trap:
                continue
            amount = _finite(part.number.value(part.power))
            if amount is None:
                continue
            if part.negative and amount:
                amount = -amount
            hit = _Hit(part, None, amount, None, part.currency, part.start, part.end, part.start, part.power)
        seen += 1
        if _HOURLY.match(text, hit.end):
            rate = rate or hit  # "$150/h": a price of work, not the value of the work
        elif first is None:
            first = hit
    first = first or rate
    if first is not None:
        first.seen = seen
        first.default = default
    return first


def _bare(text: str, default: str) -> Optional[_Hit]:
    """The whole text as a bare number or a bare range ("75,000", "1.5M", "10-15k"), or None."""
    left = len(text) - len(text.lstrip())
    right = len(text.rstrip())
    if text.startswith("+", left) and _SPACED_DIGITS.search(text, left, right):
        return None  # +1 555 123 456: a phone number
    while left < right and text[left] in "~≈+":
        left += 1
        while left < right and text[left] in _SPACES:
            left += 1
    while right > left and text[right - 1] in "+.":
        right -= 1
    inner = text[left:right]
    if not inner:
        return None
    numbers = _numbers(inner)
    if not numbers or numbers[0].lone == "invalid" or len(numbers) > 2:
        return None
    part = _part(inner, numbers[0], True)
    if part.inside or part.trap or part.marked or part.start != 0:
        return None
    hit: Optional[_Hit]
    if len(numbers) == 1:
        if part.end != len(inner):
            return None
        amount = _finite(part.number.value(part.power))
        if amount is None:
            return None
        if part.negative and amount:
            amount = -amount
        hit = _Hit(part, None, amount, None, None, part.start, part.end, part.start, part.power, bare=True)
    else:
        hit = _range(inner, part, numbers[1], True)
        # _range always sets the upper bound; the check only tells the type checker so
        if hit is None or hit.upper is None or hit.end != len(inner) or hit.currency is not None:
            return None
        b = hit.upper
        if not (part.power or b.power or part.number.group or part.number.lone or b.number.group or b.number.lone):
            return None  # 555-1234, 2025-2026: a phone number, years
        hit.bare = True
    _shift(hit, left)
    hit.default = default
    return hit


def _shift(hit: _Hit, offset: int) -> None:
    if offset:
        hit.start += offset
        hit.end += offset
        hit.lead += offset
        for part in (hit.lower, hit.upper):
            if part is not None:
                part.start += offset
                part.end += offset
                part.mark_start += offset
                part.mag_end += offset
                part.number.start += offset
                part.number.end += offset


def _read_text(text: str, default: str, money_context: bool) -> tuple[Optional[_Hit], Optional[str]]:
    """(the money expression in `text`, or None and why)."""
    if not text.isascii():
        if _OTHER_DIGIT.search(text):
            text = _OTHER_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), text)
    if not _ANY_DIGIT.search(text):
        return None, "no amount in the text" if text.strip() else "no business value recorded"
    hit = _scan(text, default)
    if hit is None and money_context:
        hit = _bare(text, default)
    if hit is None:
        return None, _NO_MARK
    return hit, None
