"""Money expressions: a number with what stands around it (marker, sign, magnitude, a trap after it).

Signs: a minus right before the marker or number makes it negative (-$500, $-500, -500 USD); a
range dash never does; accounting parentheses do not either ("($500)" is 500). `~`, `≈`,
`about`, `over`, `+` (also after: $12k+) change nothing, and `up to $50K` reads 50,000: the
bound is the amount a person would quote.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from dashboard.domain.business_value.characters import _LETTERS, _MINUS, _SPACES
from dashboard.domain.business_value.currency import _CODES, _GENERIC, _marker_before, _suffix_at
from dashboard.domain.business_value.numbers import (
    _HYPHEN_MAGNITUDES,
    _MAG_DOTTED,
    _MAG_EXACT,
    _MAG_WEAK,
    _MAG_WORDS,
    _TOKEN,
    _Number,
    _number,
    _split,
)
from dashboard.domain.business_value.units import _DATE_OR_TIME, _trap_at


@dataclass(slots=True)
class _Part:
    """A number with what stands around it: markers, sign, magnitude."""

    number: _Number
    start: int  # expression start: the sign or the prefix marker or the number
    end: int  # expression end: after the magnitude and a suffix marker
    mark_start: int  # start of the prefix marker (== number.start without one)
    currency: Optional[str] = None  # ISO code, "$" (generic dollar) or None (unmarked)
    prefixed: bool = False
    suffixed: bool = False
    negative: bool = False
    power: int = 0
    weak: bool = False  # magnitude m/b/mm: money only when marked
    mag_end: int = 0  # after the magnitude (== number.end without one)
    inside: bool = False  # inside a word, a ticket, a time...
    trap: bool = False  # a percentage, a duration, a multiplier
    glued: bool = False  # letters glued after the number (24h)
    grand: bool = False

    @property
    def marked(self) -> bool:
        return self.currency is not None


def _skip_left(text: str, k: int) -> int:
    """`k` moved left over at most two spaces."""
    limit = k - 2
    while k > 0 and k > limit and text[k - 1] in _SPACES:
        k -= 1
    return k


def _prefix(text: str, part: _Part) -> None:
    start = part.number.start
    if start == 0:
        return
    k = _skip_left(text, start)
    sign = -1
    if k > 0 and text[k - 1] in _MINUS:
        sign = k - 1
        k = _skip_left(text, sign)
    found = _marker_before(text, k)
    if found is not None:
        p = _skip_left(text, found[0])
        if 0 < p < found[0] and (text[p - 1].isdigit() and _claims_marker(text, start) or _scaled_before(text, p)):
            found = None  # "5 USD 10 EUR", "5M USD 2026": that USD is the suffix of the number before
    if found is not None:
        mark_start, currency = found
        part.currency, part.prefixed, part.mark_start, part.start = currency, True, mark_start, mark_start
        if sign >= 0:  # "$-500", "USD -500"
            part.negative = True
        elif mark_start > 0 and text[mark_start - 1] in _MINUS and _sign_position(text, mark_start - 1):
            part.negative, part.start = True, mark_start - 1
        return
    before = text[start - 1]
    if before in _MINUS:
        if _sign_position(text, start - 1):
            part.negative, part.start = True, start - 1
        elif start >= 2 and (text[start - 2].isalnum() or text[start - 2] in "#_"):
            part.inside = True  # PR-42, ABC-99, 2026-03-01
        return
    if before.isalnum() or before in "#@_" or (before in "/:.'’" and start >= 2 and text[start - 2].isalnum()):
        part.inside = True  # Q3, FY26, #1234, 24/7, 10:30


def _scaled_before(text: str, p: int) -> bool:
    """Whether a number with a magnitude ends at `p` ("5M", "1.5 million")."""
    i = p - 1 if p > 0 and text[p - 1] == "." else p
    j = i
    while j > 0 and text[j - 1].isalpha() and i - j < 9:
        j -= 1
    word = text[j:i]
    if not word or not (word in _MAG_EXACT or word.lower() in _MAG_WORDS):
        return False
    j -= j > 0 and text[j - 1] in _SPACES
    return j > 0 and text[j - 1].isdigit()


def _sign_position(text: str, at: int) -> bool:
    """Whether a minus at `at` is a sign: at the start, or after a space or an opening mark."""
    return at == 0 or text[at - 1] in _SPACES or text[at - 1] in "([{:=,;\"“'\n\r"


def _after(text: str, part: _Part, money_context: bool) -> None:
    """Magnitude, suffix marker and traps after the number."""
    n = len(text)
    pos = part.number.end
    part.mag_end = pos
    if pos < n and text[pos] == ":" and pos + 1 < n and text[pos + 1].isdigit():
        part.trap = True  # 10:30
        return
    i = pos + 1 if pos < n and text[pos] in _SPACES else pos
    spaced = i > pos
    hyphen = pos < n and text[pos] == "-"  # "a $5-million deal"
    letters = _LETTERS.match(text, i + hyphen) if i + hyphen < n else None
    if letters and hyphen and letters.group().lower() not in _HYPHEN_MAGNITUDES:
        letters = None
    if letters:
        word, end = letters.group(), letters.end()
        power = _MAG_EXACT.get(word)
        if power is None:
            power = _MAG_WORDS.get(word.lower())
        if power is None and len(word) == 4 and word[0] in "kKTM" and word[1:] in _CODES:
            # "500 kEUR", "500 TEUR" (German: T = thousand), "1,5 MEUR": the currency follows
            part.power, part.mag_end = (6 if word[0] == "M" else 3), i + 1
            _suffix(text, part, i + 1)
            return
        if power is not None and end < n and text[end] == "." and word.lower() in _MAG_DOTTED:
            end += 1
        boundary = end >= n or not (text[end].isalnum() or (spaced and len(word) == 1 and text[end] in "-'’&"))
        if (
            power is not None
            and boundary
            and spaced
            and end < n
            and text[end] == "."
            and len(word) == 1
            and end + 1 < n
            and text[end + 1].isalnum()
        ):
            boundary = False  # "5 M.Sc."
        if power is not None and boundary:
            part.power, part.mag_end = power, end
            part.weak = word in _MAG_WEAK
            part.grand = word.lower() == "grand"
            if part.grand and part.currency is None:
                part.currency = _GENERIC
            pos = end
        elif not spaced and _suffix_at(text, pos) is None:
            part.inside = part.glued = True  # 3rd, 2x, 24h, 5G, v2
            return
    _suffix(text, part, pos)
    if not part.suffixed:
        _trap(text, part, part.mag_end)
    if part.weak and not part.marked and not money_context:
        part.inside = True


def _claims_marker(text: str, j: int) -> bool:
    """Whether the number at `j` cannot take the currency marker before it as its own, so that
    marker belongs to the number before ("5 USD 10 EUR", "1.5 million USD 3 engineers",
    "5,000 USD 03/01/2026"): it has a marker after it, or it is a count, a duration, a date, a
    version, or a number inside a word. Looks only at the number itself (no recursion)."""
    n = len(text)
    if j < n and text[j] in _MINUS:
        j += 1
    if _DATE_OR_TIME.match(text, j):
        return True
    token = _TOKEN.match(text, j)
    if token is None:
        return False
    found: list[_Number] = []
    if _number(text, j, token.end()) is None:
        _split(text, j, token.end(), found)
        if found[0].lone == "invalid":
            return True  # 1.2.3
    k = found[0].end if found else token.end()
    if _trap_at(text, k):
        return True
    spaced = k < n and text[k] in _SPACES
    k += spaced
    letters = _LETTERS.match(text, k)
    if letters:
        word = letters.group()
        if word in _MAG_EXACT or word.lower() in _MAG_WORDS:
            k = letters.end()
        elif not spaced and _suffix_at(text, k) is None:
            return True  # 3rd, 24h, 2x
    while k < n and text[k] in _SPACES:
        k += 1
    return k < n and _suffix_at(text, k) is not None


def _suffix(text: str, part: _Part, pos: int) -> None:
    n = len(text)
    i = pos
    while i < n and i - pos < 2 and text[i] in _SPACES:
        i += 1
    if i >= n:
        return
    found = _suffix_at(text, i)
    if found is None:
        return
    currency, end = found
    # A marker followed by a number is that number's prefix ("In 2026 $5M was saved").
    j = end
    while j < n and j - end < 2 and text[j] in _SPACES:
        j += 1
    if (
        j < n
        and (text[j].isdigit() or (text[j] in _MINUS and j + 1 < n and text[j + 1].isdigit()))
        and not (part.power or _claims_marker(text, j))
    ):
        return
    if part.currency is None or (part.currency == _GENERIC and currency != _GENERIC):
        part.currency = currency
    part.suffixed = True
    part.end = end


def _trap(text: str, part: _Part, pos: int) -> None:
    if _trap_at(text, pos):
        part.trap = True


def _part(text: str, number: _Number, money_context: bool) -> _Part:
    part = _Part(number, number.start, number.end, number.start)
    _prefix(text, part)
    if not part.inside:
        _after(text, part, money_context)
    if not part.suffixed:
        part.end = part.mag_end
    return part
