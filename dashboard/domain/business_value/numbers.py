"""Numbers as people write them: digit groups, decimal marks and magnitudes, read exactly.

Numbers
  Thousands separators `,` `.` space, NBSP (U+00A0), narrow NBSP (U+202F), thin space, `'` and `’`
  (Swiss), Indian grouping (12,34,567); the other of `.`/`,` after the groups is the decimal mark
  (1,234.56 and 1.234,56). A LONE `.` or `,` followed by exactly three digits is a thousands
  separator (45.000 EUR = 45,000; $1,500 = 1,500) unless a magnitude follows, when it is a decimal
  mark ($1,5 Mio. = 1.5 M, and so 1.500M = 1.5 M and $1,500K = $1,500: write 1,500,000 or 1.5M).
  `0.500` and `1234.500` are decimals (no thousands group starts with 0 or has 4 digits).
  Unicode decimal digits (١٢٣, １２３) are read as digits.
  Magnitudes: k K thousand grand, M MM mn mln mil mio Mio. million, bn B bil bln Mrd Mrd. billion,
  tn T trillion, lakh lac, crore cr (the long words also after a hyphen: "a $5-million deal").
  The one-letter lower-case `m` and `b` (and `mm`) only count when the number is marked as money
  or is the whole text (5m alone could be minutes or metres).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Optional

from dashboard.domain.business_value.characters import _SPACE_SPLIT, _SPACES

# Magnitudes (powers of ten, so amounts are computed exactly as decimal strings).
_MAG_EXACT = {"k": 3, "K": 3, "M": 6, "MM": 6, "B": 9, "T": 12, "m": 6, "mm": 6, "b": 9, "Cr": 7}
_MAG_WEAK = frozenset({"m", "mm", "b"})
_MAG_WORDS = {
    "thousand": 3,
    "thousands": 3,
    "grand": 3,
    "mn": 6,
    "mln": 6,
    "mil": 6,
    "mill": 6,
    "mio": 6,
    "million": 6,
    "millions": 6,
    "bn": 9,
    "bil": 9,
    "bln": 9,
    "mrd": 9,
    "billion": 9,
    "billions": 9,
    "tn": 12,
    "trillion": 12,
    "trillions": 12,
    "lakh": 5,
    "lakhs": 5,
    "lac": 5,
    "lacs": 5,
    "crore": 7,
    "crores": 7,
    "cr": 7,
}
_HYPHEN_MAGNITUDES = frozenset({"thousand", "million", "billion", "trillion", "lakh", "crore"})
_MAG_DOTTED = frozenset({"mio", "mrd", "mln"})  # "1,5 Mio." keeps its dot ("$1bn." ends a sentence)


# One coarse number token: digit runs joined by single separators; a space-like separator only
# before exactly three digits. Unambiguous, so linear: every character is looked at once.
_TOKEN = re.compile(
    r"[0-9]+(?:(?:[.,'’]|[ \u00a0\u202f\u2009](?=[0-9]{3}(?![0-9])))[0-9]+)*"
    r"|(?<![\w.,])\.[0-9]+"
)
_SEPARATOR = re.compile(r"([.,'’ \u00a0\u202f\u2009])")


@dataclass(slots=True)
class _Number:
    """A number token as written: its digits and separator style."""

    start: int
    end: int
    whole: str  # integer digits when read without a magnitude
    frac: str  # decimal digits when read without a magnitude
    group: Optional[str]  # thousands separator as written (",", ".", " ", "\u00a0", "'", "indian"...)
    dec: Optional[str]  # decimal mark as written
    lone: Optional[str] = None  # a lone "." or "," before 3 digits: thousands, or decimal before a magnitude
    head: str = ""  # with `lone`: the digits before it (the integer part as a decimal)

    def digits(self, power: int) -> tuple[str, str]:
        """(integer digits, decimals) of the number before a magnitude of 10**power."""
        if self.lone and power:
            return self.head, self.whole[len(self.head) :]
        return self.whole, self.frac

    def value(self, power: int) -> float:
        whole, frac = self.digits(power)
        return float(f"{whole}.{frac or '0'}e{power}")


def _valid_groups(groups: list[str], indian: bool = False) -> bool:
    if indian:
        return (
            len(groups) >= 3
            and 1 <= len(groups[0]) <= 2
            and groups[0][0] != "0"
            and len(groups[-1]) == 3
            and all(len(g) == 2 for g in groups[1:-1])
        )
    return 1 <= len(groups[0]) <= 3 and groups[0][0] != "0" and all(len(g) == 3 for g in groups[1:])


def _number(text: str, start: int, end: int) -> Optional[_Number]:
    token = text[start:end]
    if token.isdigit():
        return _Number(start, end, token, "", None, None)
    if token[0] == ".":
        return _Number(start, end, "0", token[1:], None, ".")
    pieces = _SEPARATOR.split(token)
    groups, seps = pieces[0::2], pieces[1::2]
    kinds = [" " if s in _SPACES else "'" if s in "'’" else s for s in seps]
    if len(seps) == 1:
        a, b = groups
        if kinds[0] in " '":
            return _Number(start, end, a + b, "", seps[0], None) if _valid_groups(groups) else None
        if len(b) == 3 and 1 <= len(a) <= 3 and a != "0":
            return _Number(start, end, a + b, "", seps[0], None, lone=seps[0], head=a)
        return _Number(start, end, a, b, None, seps[0])
    last = kinds[-1]
    if all(k == last for k in kinds):
        if _valid_groups(groups):
            return _Number(start, end, "".join(groups), "", seps[0], None)
        if last == "," and _valid_groups(groups, indian=True):
            return _Number(start, end, "".join(groups), "", "indian", None)
        return None
    grouping = kinds[0]
    if last not in ".," or grouping == last or any(k != grouping for k in kinds[:-1]):
        return None
    whole = groups[:-1]
    if _valid_groups(whole):
        return _Number(start, end, "".join(whole), groups[-1], seps[0], seps[-1])
    if grouping == "," and _valid_groups(whole, indian=True):
        return _Number(start, end, "".join(whole), groups[-1], "indian", seps[-1])
    return None


def _numbers(text: str) -> list[_Number]:
    """Every number token in `text`, in order (lone="invalid" for one that is no number: 1.2.3)."""
    found: list[_Number] = []
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        number = _number(text, start, end)
        if number is not None:
            found.append(number)
        else:
            _split(text, start, end, found)
    return found


def _split(text: str, start: int, end: int, found: list[_Number]) -> None:
    """Numbers in a token that is not one number ("2026 100" is two): split at the spaces; a
    short token is re-read greedily ("1 234,5 678": "1 234,5" and "678"), a long one chunk by
    chunk (linear)."""
    chunks = _SPACE_SPLIT.split(text[start:end])
    greedy = end - start <= 64
    while chunks:
        if greedy:
            for size in range(len(chunks), 0, -1):
                length = sum(len(c) for c in chunks[:size]) + size - 1
                number = _number(text, start, start + length)
                if number is not None or size == 1:
                    break
        else:
            size, length = 1, len(chunks[0])
            number = _number(text, start, start + length)
        found.append(
            number if number is not None else _Number(start, start + length, "", "", None, None, lone="invalid")
        )
        start += length + 1
        chunks = chunks[size:]


def _finite(value: float) -> Optional[float]:
    if not math.isfinite(value):
        return None
    return 0.0 if value == 0 else value


def _year_like(number: _Number) -> bool:
    return (
        not number.frac
        and not number.group
        and not number.lone
        and len(number.whole) == 4
        and number.whole[:2] in ("19", "20")
    )
