"""The `business_value` field: free text in the achievement-collector, an amount on screen.

People and an LLM write it (../shared/CONTRACT.md, "business_value is free text"): JSON text with
`total_value` (and currency, period, confidence...), "$162,500 annual value", "75000", null, and
prose full of numbers that are not money: "Cut latency 35%, about $102,500/yr in compute".
This module reads it the way a careful person does, and writes an edited amount back in the form
it came in. Pure standard library (docs/business-value.md explains the rules for users).

What counts as money
  * a number with a currency marker next to it (at most two spaces between): a symbol before or
    after (`$5`, `5 $`, `€ 5`, `US$5`, `A$`, `C$`, `CA$`, `AU$`, `NZ$`, `S$`, `HK$`, `R$`, `£`, `¥`,
    `₹`, `Rs.`, `Fr.`...), an ISO code before or after (`USD 5`, `5 EUR`, `5CHF`; upper case, or
    lower case for the common ones: usd, eur, gbp...), or a money word after (`dollars`, `bucks`,
    `euros`, `pounds sterling`, `quid`, `yen`, `rupees`, `francs`, `grand`...), also glued to a
    magnitude (`45 k€`, `500 kEUR`, `500 TEUR` = thousand euros, `1,5 MEUR`). A code between two
    numbers belongs to the one that can be money ("5 USD 10 EUR", "1.5 million USD 3 engineers",
    "In 2026 USD 5M"); `EUR/USD 1.08` is an exchange rate, not money;
  * a WHOLE text that is a bare number, with a magnitude if any (`75000`, `75,000`, `1.5M`, `150k`),
    or a bare range with a magnitude or separators (`10-15k`, `10,000-15,000`; not `555-1234`);
  * in JSON, a number (or a string holding a bare number) under a money-named key (MONEY_KEYS).
  Never money, wherever they stand: percentages, durations (h, hrs, days, weeks, min, ms...),
  multipliers (2x, 10×), numbers inside words (Q3, H1, FY26, v2.3, x86, 3rd, 24h), PR and ticket
  numbers (#1234, PR-42, JIRA-123), times (10:30), dates (2026-03-01, 01.03.2026), versions
  (1.2.3), counts (3 engineers, 120 tickets, 12 regions: a number followed by a count word in
  _COUNT_WORDS is never money, marked or not), and any number with no marker (2026). A space
  grouping that runs into one of those is cut: "$5 120 hours" is $5 and 120 hours.

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
  Signs: a minus right before the marker or number makes it negative (-$500, $-500, -500 USD); a
  range dash never does; accounting parentheses do not either ("($500)" is 500). `~`, `≈`,
  `about`, `over`, `+` (also after: $12k+) change nothing, and `up to $50K` reads 50,000: the
  bound is the amount a person would quote.
  Several amounts: the FIRST marked one is read; `amounts_seen` says how many there were. An hourly
  rate ($150/h, $75 per hour) is the price of work, not its value: it is read only when the text
  holds no other amount ("3 engineers × $150/h × 40h = $18,000" reads $18,000).

Currencies
  Every reading carries its ISO 4217 code. `$`, `dollars`, `bucks` and `grand` mean the default
  currency when it is a dollar currency (USD CAD AUD NZD SGD HKD), else USD; `$5,000 CAD` is CAD.
  Bare numbers and JSON without a currency key are in the default currency.

JSON (text starting with `{`, `[` or `"` that parses)
  An object is read by MONEY_KEYS in priority order (the first key giving an amount wins); a key's
  value may be a number, a string (read with the text rules, a bare number counting since the key
  names money), an object one level down (`{"value": {"amount": 5, "currency": "EUR"}}`, also with a
  min/max pair) or a two-number list (a range). A key ending in a currency code (`savings_usd`) gives
  that currency; a `currency` key (also `currency_code`, `ccy`, or a `unit` naming a currency) at the
  same level gives the currency; a `unit` naming anything else (hours, %) makes `value`/`amount`
  beside it not money. Then min/max pairs (RANGE_KEYS) at the top level or under `range`. Then the
  first string anywhere (document order) holding marked money. Numbers under other keys are never
  money. A list is read item by item (first item with an amount; bare numbers in it are not money).
  A JSON string literal is read as its text. Malformed JSON, or nesting too deep for json.loads,
  is read as text.

Cost
  A text is read in its first MAX_TEXT (4,000) characters only; JSON is parsed when it is at most
  MAX_JSON (64 KB) long, else read as text; the JSON string search reads at most 16,000 characters
  of strings. Every regex is linear (no nested quantifiers over the same characters); 100 KB of
  digits, commas, spaces, dashes and dollar signs reads in milliseconds. Readings are cached per
  distinct (text, currency) with functools.lru_cache (32,768 readings; texts longer than 1,000
  characters are read every time, so the cache stays small).

Writing (write_business_value) keeps the form: see its docstring. The written text is always read
back before it is returned; a form that would not read back as exactly the amount, in the same
currency, is replaced by the next one that does (styled, plain digits, the marker and digits, then
the amount in parentheses in its place, then before the text; a bare number only as a last resort).
"""

from __future__ import annotations

import json
import json.decoder
import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, Iterable, Optional

DEFAULT_CURRENCY = "USD"
MAX_TEXT = 4_000
"""Characters of a text that are read (the rest is ignored)."""
MAX_JSON = 65_536
"""Longest text parsed as JSON (longer JSON is read as text)."""
_JSON_STRING_BUDGET = 16_000
_CACHED_LENGTH = 1_000  # longer texts are read every time (they are rare; the cache stays small)

MONEY_KEYS: tuple[str, ...] = (
    # The documented keys first, in priority order...
    "total_value",
    "value",
    "amount",
    "annual_value",
    "annual_savings",
    "savings",
    "cost_savings",
    "revenue",
    "revenue_impact",
    "business_value",
    "estimated_value",
    "dollar_value",
    # ...then the ones LLMs also write.
    "total_savings",
    "estimated_savings",
    "estimated_annual_value",
    "annual_revenue",
    "cost_reduction",
    "net_value",
    "value_amount",
    "monetary_value",
    "money",
)
"""JSON keys naming money, in priority order. Keys are matched case-insensitively, camelCase and
spaces as snake_case ("totalValue", "Total Value"); a key ending in `_<currency code>`
("savings_usd") is that money key in that currency."""
RANGE_KEYS: tuple[tuple[str, str], ...] = (
    ("min", "max"),
    ("low", "high"),
    ("lower", "upper"),
    ("min_value", "max_value"),
    ("minimum", "maximum"),
    ("lower_bound", "upper_bound"),
    ("min_amount", "max_amount"),
    ("value_min", "value_max"),
)
"""(lower, upper) key pairs of a JSON range; a lone lower or upper key is read as the amount."""
CURRENCY_KEYS = ("currency", "currency_code", "ccy", "unit")
_GENERIC_KEYS = frozenset({"value", "amount"})  # the keys a non-money `unit` can disqualify

_DOLLAR_CURRENCIES = frozenset({"USD", "CAD", "AUD", "NZD", "SGD", "HKD"})
_CODES = frozenset(
    "USD EUR GBP CHF JPY CNY INR CAD AUD NZD SEK NOK DKK PLN CZK HUF BRL MXN SGD HKD KRW ZAR TRY ILS RUB "
    "AED SAR THB IDR MYR PHP VND NGN EGP ARS CLP COP PEN UAH RON BGN ISK TWD KES PKR BDT QAR KWD RMB".split()
)
_LOWER_CODES = frozenset("usd eur gbp chf jpy cny inr cad aud nzd sgd hkd sek nok dkk pln brl mxn zar rmb".split())
_ALIASES = {"RMB": "CNY"}
_GENERIC = "$"  # a dollar sign without a country: the default dollar currency
_SYMBOLS = {
    "US$": "USD",
    "U$S": "USD",
    "A$": "AUD",
    "AU$": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "NZ$": "NZD",
    "S$": "SGD",
    "SG$": "SGD",
    "HK$": "HKD",
    "R$": "BRL",
    "MX$": "MXN",
    "CN¥": "CNY",
    "$": _GENERIC,
    "＄": _GENERIC,
    "€": "EUR",
    "£": "GBP",
    "￡": "GBP",
    "¥": "JPY",
    "￥": "JPY",
    "₹": "INR",
    "₨": "INR",
    "₩": "KRW",
    "₽": "RUB",
    "₺": "TRY",
    "₪": "ILS",
    "₱": "PHP",
    "฿": "THB",
    "₫": "VND",
    "₦": "NGN",
    "₴": "UAH",
}
_LETTER_MARKERS = {"Rs": "INR", "Rs.": "INR", "SFr.": "CHF", "Fr.": "CHF", "zł": "PLN", "Kč": "CZK"}
_MONEY_WORDS = {
    "dollar": _GENERIC,
    "dollars": _GENERIC,
    "buck": _GENERIC,
    "bucks": _GENERIC,
    "euro": "EUR",
    "euros": "EUR",
    "sterling": "GBP",
    "quid": "GBP",
    "yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rupee": "INR",
    "rupees": "INR",
    "franc": "CHF",
    "francs": "CHF",
    "rand": "ZAR",
    "zloty": "PLN",
    "zlotys": "PLN",
    "złoty": "PLN",
    "kronor": "SEK",
    "krona": "SEK",
    "rubles": "RUB",
    "roubles": "RUB",
}
_SYMBOL_NAMES = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}

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
_TRAP_WORDS = frozenset(
    "percent pct percentage x times fold ms s sec secs second seconds min mins minute minutes h hr hrs hour "
    "hours d day days wk wks week weeks mo mos month months yr yrs year years am pm".split()
)
_COUNT_WORDS = frozenset(
    "engineer engineers people person users user tickets ticket customers customer devs developers teams "
    "team services requests builds incidents fte ftes seats servers nodes pods machines employees staff "
    "clients accounts prs issues bugs tests jobs calls queries pages orders transactions items points "
    "regions repos files lines deploys deployments releases sprints alerts".split()
)
"""Words that make the number before them a count ("3 engineers", "120 tickets"), never money."""

_SP = " \t\u00a0\u202f\u2009"
_SPACES = frozenset(_SP)
_DASHES = "-–—‒−~"
_MINUS = "-−"

# One coarse number token: digit runs joined by single separators; a space-like separator only
# before exactly three digits. Unambiguous, so linear: every character is looked at once.
_TOKEN = re.compile(
    r"[0-9]+(?:(?:[.,'’]|[ \u00a0\u202f\u2009](?=[0-9]{3}(?![0-9])))[0-9]+)*"
    r"|(?<![\w.,])\.[0-9]+"
)
_SEPARATOR = re.compile(r"([.,'’ \u00a0\u202f\u2009])")
_ANY_DIGIT = re.compile(r"\d")
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
_LETTERS = re.compile(r"[^\W\d_]+")
_SPACE_SPLIT = re.compile(r"[ \u00a0\u202f\u2009]")
_HOURLY = re.compile(
    r"[ ]?(?:/[ ]?|per[ ]|an[ ]|a[ ])(?:h|hr|hour|man-hour|person-hour|engineer-hour)s?\b", re.IGNORECASE
)
_DATE_OR_TIME = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}[/.][0-9]{1,2}[/.][0-9]{2,4}|[0-9]{1,2}:[0-9]{2}")
_SPACED_DIGITS = re.compile(r"[0-9][ \u00a0\u202f][0-9]")


def _alternatives(items: Iterable[str]) -> str:
    return "|".join(re.escape(item) for item in sorted(items, key=len, reverse=True))


_SYMBOL_ENDS = frozenset(symbol[-1] for symbol in _SYMBOLS)
_SUFFIX_SYMBOLS: dict[str, list[str]] = {}
for _symbol_text in sorted(set(_SYMBOLS) | {"zł", "Kč"}, key=len, reverse=True):
    _SUFFIX_SYMBOLS.setdefault(_symbol_text[0], []).append(_symbol_text)
_CONNECTOR = re.compile(
    rf"[{_SP}]{{0,2}}(?P<dash>[{_DASHES}])[{_SP}]{{0,2}}|[{_SP}]{{1,2}}(?P<word>to|and|through)[{_SP}]{{1,2}}"
)
_ADJECTIVE_DOLLARS = re.compile(
    r"(US|U\.S\.|American|Canadian|Australian|NZ|New Zealand|Singapore|HK|Hong Kong)[ ](?:dollars?|bucks)\b",
    re.IGNORECASE,
)
_ADJECTIVE_CODES = {
    "us": "USD",
    "u.s.": "USD",
    "american": "USD",
    "canadian": "CAD",
    "australian": "AUD",
    "nz": "NZD",
    "new zealand": "NZD",
    "singapore": "SGD",
    "hk": "HKD",
    "hong kong": "HKD",
}
_OTHER_MONEY_WORDS = re.compile(r"(?:pounds?[ ]sterling|swiss[ ]francs?)\b", re.IGNORECASE)
_LEAD = re.compile(rf"(?<![^\W\d_])(?:between|from)[{_SP}]{{1,2}}\Z", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ValueReading:
    """How an amount was read from a business value text."""

    amount: float  # the amount, the lower bound of a range
    currency: str  # ISO 4217
    start: int  # span of the money expression in the raw text
    end: int
    how: str  # "marked" | "bare" | "json"
    upper: Optional[float] = None  # upper bound of a range
    amounts_seen: int = 1  # money amounts found in the text (the first is read)

    @property
    def is_range(self) -> bool:
        return self.upper is not None

    def quote(self, raw: str, context: int = 24) -> str:
        """The span with up to `context` characters either side (whole words), ellipsised."""
        raw = raw or ""
        start, end = max(0, min(self.start, len(raw))), max(0, min(self.end, len(raw)))
        if end - start > 80:
            body, end, cut_end = raw[start : start + 80], start + 80, True
        else:
            body, cut_end = raw[start:end], False
        left = max(0, start - context)
        if left > 0:
            space = raw.find(" ", left, start)
            left = start if space < 0 else space + 1
        right = min(len(raw), end + context)
        if right < len(raw) and not cut_end:
            space = raw.rfind(" ", end, right)
            right = end if space < 0 else space
        else:
            right = end if cut_end else right
        text = raw[left:start] + body + ("" if cut_end else raw[end:right])
        text = " ".join(text.split())
        return ("…" if left > 0 else "") + text + ("…" if cut_end or right < len(raw) else "")

    def describe(self, raw: str) -> str:
        """'read as $102,500 from “about $102,500/yr in compute”' (ranges name both bounds)."""
        what = format_reading(ValueReading(self.amount, self.currency, self.start, self.end, self.how))
        if self.is_range:
            what += f" (lower bound of {format_reading(self)})"
        if self.amounts_seen > 1:
            what += f" (the first of {self.amounts_seen} amounts)"
        return f"read as {what} from “{self.quote(raw)}”"


# Reading ---------------------------------------------------------------------------------------


def read_business_value(raw: Optional[str], default_currency: str = DEFAULT_CURRENCY) -> Optional[ValueReading]:
    """The amount in `raw` and how it was read, or None (absent, unreadable, not finite)."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        raw = str(raw)
    currency = _currency_code(default_currency)
    if len(raw) > _CACHED_LENGTH:
        return _analyse(raw, currency)[0]
    return _analyse_cached(raw, currency)[0]


def _cache_clear() -> None:
    _analyse_cached.cache_clear()


read_business_value.cache_clear = _cache_clear  # type: ignore[attr-defined]
read_business_value.cache_info = lambda: _analyse_cached.cache_info()  # type: ignore[attr-defined]


def parse_business_value(raw: Optional[str], default_currency: str = DEFAULT_CURRENCY) -> Optional[float]:
    """The amount in `raw` (the lower bound of a range), or None when there is none."""
    reading = read_business_value(raw, default_currency)
    return None if reading is None else reading.amount


def unreadable_reason(raw: Optional[str]) -> Optional[str]:
    """None when an amount is read from `raw`; otherwise a short reason for a person."""
    if raw is None:
        return "no business value recorded"
    if not isinstance(raw, str):
        raw = str(raw)
    if len(raw) > _CACHED_LENGTH:
        return _analyse(raw, DEFAULT_CURRENCY)[1]
    return _analyse_cached(raw, DEFAULT_CURRENCY)[1]


_NO_MARK = "no amount marked as money (a number needs $, € or a currency code)"


def _analyse(raw: str, currency: str) -> tuple[Optional[ValueReading], Optional[str]]:
    text = raw[:MAX_TEXT]
    stripped = text.strip()
    if not stripped:
        return None, "no business value recorded"
    if stripped.isdigit() and stripped.isascii():  # "75000", the commonest form: no need to look further
        start = text.index(stripped[0])
        amount = _finite(float(stripped))
        if amount is not None:
            return ValueReading(amount, currency, start, start + len(stripped), "bare"), None
    if stripped[0] in '{["' and len(raw) <= MAX_JSON:
        found = _read_json(raw, currency)
        if found is not None:
            return found
    hit, reason = _read_text(text, currency, money_context=True)
    if hit is None:
        if len(raw) > MAX_TEXT:
            reason = f"no amount marked as money in the first {MAX_TEXT:,} characters (only they are read)"
        return None, reason
    return hit.reading("bare" if hit.bare else "marked"), None


_analyse_cached = lru_cache(maxsize=32_768)(_analyse)


# Numbers ---------------------------------------------------------------------------------------


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


# Money expressions -----------------------------------------------------------------------------


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


def _marker_before(text: str, k: int) -> Optional[tuple[int, str]]:
    """(start, currency) of a currency marker ending at `k` ("$", "US$", "USD", "Rs.", "USD $"), or None."""
    if k <= 0:
        return None
    char = text[k - 1]
    if char.isalpha() or char == ".":
        i = k - 1 if char == "." else k
        while i > 0 and text[i - 1].isalpha() and k - i < 6:
            i -= 1
        if i > 0 and text[i - 1].isalpha():
            return None  # the end of a longer word
        word = text[i:k]
        if i > 1 and text[i - 1] == "/" and text[i - 2].isalpha():
            return None  # EUR/USD 1.08: an exchange rate
        currency = _code(word) if char != "." else None
        currency = currency or _LETTER_MARKERS.get(word)
        return (i, currency) if currency else None
    if char not in _SYMBOL_ENDS:
        return None
    for length in (3, 2, 1):
        i = k - length
        if i < 0:
            continue
        currency = _SYMBOLS.get(text[i:k])
        if currency is None or (length > 1 and i > 0 and text[i - 1].isalpha()):
            continue
        if currency == _GENERIC:  # "USD $5,000", "CAD $5,000"
            j = i - 1 if i > 0 and text[i - 1] in " \u00a0" else i
            h = j
            while h > 0 and text[h - 1].isalpha() and j - h < 4:
                h -= 1
            code = _code(text[h:j]) if h < j and (h == 0 or not text[h - 1].isalpha()) else None
            if code:
                return h, code
        return i, currency
    return None


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


def _code(word: str) -> Optional[str]:
    if word in _CODES or word in _LOWER_CODES:
        upper = word.upper()
        return _ALIASES.get(upper, upper)
    return None


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


def _suffix_at(text: str, i: int) -> Optional[tuple[str, int]]:
    """(currency, end) of a currency marker starting at `i` ("€", "USD", "dollars", "US dollars"), or None."""
    char = text[i]
    for symbol in _SUFFIX_SYMBOLS.get(char, ()):
        if text.startswith(symbol, i):
            return _SYMBOLS.get(symbol) or _LETTER_MARKERS[symbol], i + len(symbol)
    if not char.isalpha():
        return None
    letters = _LETTERS.match(text, i)
    word, end = letters.group(), letters.end()
    currency = _code(word) or _MONEY_WORDS.get(word.lower())
    if currency is not None:
        return currency, end
    if char in "UuAaCcNnSsHh":
        adjective = _ADJECTIVE_DOLLARS.match(text, i)
        if adjective:
            return _ADJECTIVE_CODES[adjective.group(1).lower()], adjective.end()
    if char in "PpSs":
        other = _OTHER_MONEY_WORDS.match(text, i)
        if other:
            return ("GBP" if other.group().lower().startswith("pound") else "CHF"), other.end()
    return None


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


def _trap_at(text: str, pos: int) -> bool:
    """A percentage, duration, multiplier or count right after a number ("35%", "2 hours", "10 ×",
    "3-week", "3 engineers")."""
    n = len(text)
    i = pos
    if i < n and (text[i] in _SPACES or text[i] == "-"):
        i += 1
    if i >= n:
        return False
    if text[i] in "%‰×":
        return True
    letters = _LETTERS.match(text, i)
    if letters is None:
        return False
    end = letters.end()
    if end < n and text[end].isdigit():
        return False  # "H1", "Q3": a word of its own
    word = letters.group().lower()
    return word in _TRAP_WORDS or word in _COUNT_WORDS


def _part(text: str, number: _Number, money_context: bool) -> _Part:
    part = _Part(number, number.start, number.end, number.start)
    _prefix(text, part)
    if not part.inside:
        _after(text, part, money_context)
    if not part.suffixed:
        part.end = part.mag_end
    return part


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
        if self.currency is None:
            return default
        if self.currency == _GENERIC:
            return default if default in _DOLLAR_CURRENCIES else "USD"
        return self.currency

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


def _finite(value: float) -> Optional[float]:
    if not math.isfinite(value):
        return None
    return 0.0 if value == 0 else value


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


def _year_like(number: _Number) -> bool:
    return (
        not number.frac
        and not number.group
        and not number.lone
        and len(number.whole) == 4
        and number.whole[:2] in ("19", "20")
    )


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
        if part.inside and _SPACE_SPLIT.search(text, number.start, number.end):
            # "PR-42 100 USD", "Q3 100,000 USD": the word takes the first group only
            space = _SPACE_SPLIT.search(text, number.start, number.end).start()
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
        if hit is None or hit.end != len(inner) or hit.currency is not None:
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


# JSON ------------------------------------------------------------------------------------------


_NOT_JSON = object()
_DECODER = json.JSONDecoder()
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return _NOT_JSON


@lru_cache(maxsize=1024)
def _key(name: Any) -> str:
    """A JSON key as snake_case: "totalValue", "Total Value", "total-value" -> "total_value"."""
    if not isinstance(name, str):
        return ""
    return _CAMEL.sub("_", name.strip()).lower().replace(" ", "_").replace("-", "_")


@dataclass(slots=True)
class _JsonHit:
    """Where in the JSON an amount was found, for reading its span and writing it back."""

    path: tuple  # keys and indices to the value (for a pair: to its object)
    kind: str  # "number" | "string" | "pair" | "list"
    amount: float
    upper: Optional[float]
    currency: str
    keys: tuple = ()  # for "pair": the (lower, upper) keys
    text_hit: Optional[_Hit] = None  # for "string": the hit inside the string
    seen: int = 1


def _currency_of(obj: dict) -> tuple[Optional[str], bool]:
    """(the currency an object's currency key names, whether a `unit` names something else)."""
    code, other_unit = None, False
    for name, value in obj.items():
        key = _key(name)
        if key in CURRENCY_KEYS and isinstance(value, str):
            found = _currency_name(value, unit=key == "unit")
            if found:
                code = code or found
            elif key == "unit" and value.strip():
                other_unit = True
    return code, other_unit and code is None


def _currency_name(value: str, unit: bool = False) -> Optional[str]:
    text = value.strip()
    if not text:
        return None
    if text in _SYMBOLS:
        return _SYMBOLS[text]
    if text in _LETTER_MARKERS:
        return _LETTER_MARKERS[text]
    upper = text.upper()
    if upper in _CODES:
        return _ALIASES.get(upper, upper)
    lower = text.lower()
    if lower in _MONEY_WORDS:
        return _MONEY_WORDS[lower]
    if not unit and len(text) == 3 and text.isascii() and text.isalpha() and text.isupper():
        return text  # an ISO code this module does not list
    return None


def _resolve(currency: Optional[str], default: str) -> str:
    if currency is None:
        return default
    if currency == _GENERIC:
        return default if default in _DOLLAR_CURRENCIES else "USD"
    return currency


def _scalar(
    value: Any, currency: Optional[str], default: str, blocked: bool
) -> Optional[tuple[str, float, Optional[float], str, Optional[_Hit]]]:
    """(kind, amount, upper, currency, hit) of a number or string under a money key."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        if blocked:
            return None
        try:
            number = float(value)
        except OverflowError:  # an integer beyond any float
            return None
        number = _finite(number)
        return None if number is None else ("number", number, None, _resolve(currency, default), None)
    if isinstance(value, str):
        hit, _ = _read_text(value[:MAX_TEXT], default, money_context=not blocked)
        if hit is None:
            return None
        own = hit.currency
        if own is None or (own == _GENERIC and currency in _DOLLAR_CURRENCIES):
            code = _resolve(currency, default)
        else:
            code = _resolve(own, default)
        return "string", hit.amount, hit.high, code, hit
    return None


def _pair(
    obj: dict, currency: Optional[str], default: str, path: tuple, allow_range: bool = True
) -> Optional[_JsonHit]:
    keys = {_key(name): name for name in obj}
    for low_key, high_key in RANGE_KEYS:
        low_name, high_name = keys.get(low_key), keys.get(high_key)
        if low_name is None and high_name is None:
            continue
        low = _scalar(obj[low_name], currency, default, False) if low_name is not None else None
        high = _scalar(obj[high_name], currency, default, False) if high_name is not None else None
        if low is None and high is None:
            continue
        if low is None or high is None or high[1] < low[1]:
            one, name = (low, low_name) if low is not None else (high, high_name)
            return _JsonHit(path + (name,), one[0], one[1], None, one[3], text_hit=one[4])
        upper = None if high[1] == low[1] else high[1]
        return _JsonHit(path, "pair", low[1], upper, low[3], keys=(low_name, high_name))
    range_name = keys.get("range")
    if range_name is not None and allow_range:
        return _value(obj[range_name], currency, default, path + (range_name,), nested=True, blocked=False)
    return None


def _value(
    value: Any,
    currency: Optional[str],
    default: str,
    path: tuple,
    nested: bool,
    blocked: bool,
    allow_range: bool = False,
) -> Optional[_JsonHit]:
    """The amount a money key's value holds (one level of nesting below it)."""
    if isinstance(value, dict):
        if not nested:
            return None
        inner, other_unit = _currency_of(value)
        inner_currency = inner or currency
        found = _object(value, inner_currency, default, path, nested=False, blocked_unit=other_unit)
        if found is None and not other_unit:
            found = _pair(value, inner_currency, default, path, allow_range=allow_range)
        return found
    if isinstance(value, list):
        numbers = [v for v in value if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if 1 <= len(value) <= 2 and len(numbers) == len(value) and not blocked:
            got = [_scalar(v, currency, default, False) for v in numbers]
            if all(g is not None for g in got):
                low, high = got[0][1], got[-1][1]
                if low <= high:
                    return _JsonHit(path, "list", low, None if high == low else high, got[0][3])
        return None
    got = _scalar(value, currency, default, blocked)
    if got is None:
        return None
    kind, amount, upper, code, hit = got
    return _JsonHit(path, kind, amount, upper, code, text_hit=hit)


def _object(
    obj: dict, currency: Optional[str], default: str, path: tuple, nested: bool, blocked_unit: bool = False
) -> Optional[_JsonHit]:
    """The first money key of `obj` that holds an amount."""
    found_keys = []
    for name in obj:
        info = _money_key(name) if isinstance(name, str) else None
        if info is not None:
            found_keys.append((info[0], name, info[1], info[2]))
    found_keys.sort(key=lambda item: item[0])  # priority, then document order (a stable sort)
    for _, name, key, code in found_keys:
        blocked = blocked_unit and key in _GENERIC_KEYS
        found = _value(obj[name], code or currency, default, path + (name,), nested, blocked)
        if found is not None:
            return found
    return None


_MONEY_INDEX = {key: i for i, key in enumerate(MONEY_KEYS)}


@lru_cache(maxsize=1024)
def _money_key(name: str) -> Optional[tuple[int, str, Optional[str]]]:
    """(priority, money key, currency) of a JSON key naming money ("savings_usd": savings, USD), or None."""
    key = _key(name)
    if key in _MONEY_INDEX:
        return _MONEY_INDEX[key], key, None
    base, _, suffix = key.rpartition("_")
    if base in _MONEY_INDEX and _code(suffix.upper()):
        return _MONEY_INDEX[base], base, _code(suffix.upper())
    return None


def _strings(data: Any, budget: int = _JSON_STRING_BUDGET) -> Iterable[tuple[tuple, str]]:
    """(path, string) of every string value in document order, iteratively, within a budget."""
    stack: list[tuple[tuple, Any]] = [((), data)]
    while stack and budget > 0:
        path, value = stack.pop()
        if isinstance(value, str):
            budget -= len(value)
            yield path, value
        elif isinstance(value, dict):
            stack.extend(reversed([(path + (k,), v) for k, v in value.items()]))
        elif isinstance(value, list):
            stack.extend(reversed([(path + (i,), v) for i, v in enumerate(value)]))


def _find_in_json(data: Any, default: str) -> tuple[Optional[_JsonHit], Optional[str]]:
    """The amount in parsed JSON and, without one, why."""
    if isinstance(data, str):
        hit, reason = _read_text(data[:MAX_TEXT], default, money_context=True)
        if hit is None:
            return None, reason
        return _JsonHit(
            (), "string", hit.amount, hit.high, hit.resolved_currency(default), text_hit=hit, seen=hit.seen
        ), None
    if isinstance(data, dict):
        currency, other_unit = _currency_of(data)
        found = _object(data, currency, default, (), nested=True, blocked_unit=other_unit)
        if found is None and not other_unit:
            found = _pair(data, currency, default, ())
        if found is not None:
            return found, None
        found = _marked_string(data, default)
        if found is not None:
            return found, None
        if any(_key(name) in _MONEY_INDEX for name in data):
            name = next(n for n in data if _key(n) in _MONEY_INDEX)
            if other_unit:
                unit = next(v for k, v in data.items() if _key(k) == "unit")
                return None, f"JSON “{name}” is in {unit.strip()[:20]}, not money"
            return None, f"JSON “{name}” holds no amount"
        return None, "JSON with no money key"
    if isinstance(data, list):
        hits = []
        for index, item in enumerate(data[:1000]):
            if isinstance(item, dict):
                currency, other_unit = _currency_of(item)
                found = _object(item, currency, default, (), nested=True, blocked_unit=other_unit)
                if found is None and not other_unit:
                    found = _pair(item, currency, default, ())
            elif isinstance(item, str):
                hit, _ = _read_text(item[:MAX_TEXT], default, money_context=False)
                found = (
                    None
                    if hit is None
                    else _JsonHit((), "string", hit.amount, hit.high, hit.resolved_currency(default), text_hit=hit)
                )
            else:
                found = None
            if found is not None:
                found.path = (index,) + found.path
                hits.append(found)
        if hits:
            hits[0].seen = len(hits)
            return hits[0], None
        found = _marked_string(data, default)
        if found is not None:
            return found, None
        return None, "JSON list with no amount"
    return None, "no amount in the text" if data is None or isinstance(data, bool) else _NO_MARK


def _marked_string(data: Any, default: str) -> Optional[_JsonHit]:
    for path, text in _strings(data):
        if not path:
            continue
        hit, _ = _read_text(text[:MAX_TEXT], default, money_context=False)
        if hit is not None:
            return _JsonHit(
                path, "string", hit.amount, hit.high, hit.resolved_currency(default), text_hit=hit, seen=hit.seen
            )
    return None


def _read_json(raw: str, default: str) -> Optional[tuple[Optional[ValueReading], Optional[str]]]:
    """The reading of JSON text, or None when `raw` is not JSON (then it is read as text)."""
    data = _json(raw)
    if data is _NOT_JSON:
        return None
    found, reason = _find_in_json(data, default)
    if found is None:
        return None, reason
    start, end = _span(raw, found)
    return ValueReading(found.amount, found.currency, start, end, "json", found.upper, found.seen), None


def _locate(raw: str, path: tuple) -> Optional[tuple[int, int]]:
    """The (start, end) of the JSON value at `path` in `raw`, or None."""
    if len(path) > 8:
        return None
    # Fast path: every key on the path occurs once in the whole text, so that occurrence is it.
    ws = json.decoder.WHITESPACE
    pos = 0
    try:
        for step in path:
            if not isinstance(step, str):
                break
            simple = step.isascii() and step.isidentifier()
            needle = f'"{step}"' if simple else json.dumps(step, ensure_ascii=False)
            found = raw.find(needle, pos)
            if found < 0 or raw.find(needle, found + 1) >= 0 or raw.find(needle) != found:
                break
            colon = ws.match(raw, found + len(needle)).end()
            if raw[colon] != ":":
                break
            pos = ws.match(raw, colon + 1).end()
        else:
            number = _JSON_NUMBER.match(raw, pos)
            if number:
                return pos, number.end()
            return pos, _DECODER.raw_decode(raw, pos)[1]
    except (ValueError, RecursionError, IndexError):
        pass
    return _locate_slowly(raw, path)


_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?(?![0-9.eE])")


def _locate_slowly(raw: str, path: tuple) -> Optional[tuple[int, int]]:
    ws = json.decoder.WHITESPACE
    try:
        pos = ws.match(raw, 0).end()
        end = _DECODER.raw_decode(raw, pos)[1]
        for step in path:
            found = None
            if raw[pos] == "{" and isinstance(step, str):
                for key, start, stop in _members(raw, pos):
                    if key == step:
                        found = (start, stop)  # the last one wins, as in json.loads
            elif raw[pos] == "[" and isinstance(step, int):
                for index, (start, stop) in enumerate(_items(raw, pos)):
                    if index == step:
                        found = (start, stop)
                        break
            if found is None:
                return None
            pos, end = found
        return pos, end
    except (ValueError, RecursionError, IndexError):
        return None


def _members(raw: str, pos: int) -> Iterable[tuple[str, int, int]]:
    ws = json.decoder.WHITESPACE
    i = ws.match(raw, pos + 1).end()
    if raw[i] == "}":
        return
    while True:
        key, i = json.decoder.scanstring(raw, i + 1)
        i = ws.match(raw, i).end() + 1  # the colon
        i = ws.match(raw, i).end()
        _, stop = _DECODER.raw_decode(raw, i)
        yield key, i, stop
        i = ws.match(raw, stop).end()
        if raw[i] != ",":
            return
        i = ws.match(raw, i + 1).end()


def _items(raw: str, pos: int) -> Iterable[tuple[int, int]]:
    ws = json.decoder.WHITESPACE
    i = ws.match(raw, pos + 1).end()
    if raw[i] == "]":
        return
    while True:
        _, stop = _DECODER.raw_decode(raw, i)
        yield i, stop
        i = ws.match(raw, stop).end()
        if raw[i] != ",":
            return
        i = ws.match(raw, i + 1).end()


def _span(raw: str, found: _JsonHit) -> tuple[int, int]:
    located = _locate(raw, found.path)
    if located is None:
        return 0, len(raw)
    start, end = located
    if found.kind == "pair":
        low = _locate(raw, found.path + (found.keys[0],))
        high = _locate(raw, found.path + (found.keys[1],))
        if low and high:
            return min(low[0], high[0]), max(low[1], high[1])
        return start, end
    if found.kind == "string" and found.text_hit is not None and raw[start] == '"':
        inner = raw[start + 1 : end - 1]
        if "\\" not in inner:
            return start + 1 + found.text_hit.start, start + 1 + found.text_hit.end
    return start, end


# Writing ---------------------------------------------------------------------------------------


def write_business_value(raw: Optional[str], amount: float, default_currency: str = DEFAULT_CURRENCY) -> str:
    """`amount` in the form of `raw`, as the string the achievement-collector accepts.

    JSON keeps every other key and the key the amount was read from (a number stays a number, a
    string stays a string in its style); marked text keeps its words, marker, separator style and
    magnitude when the new amount fits it ("$102.5K" -> "$120K", "45.000 EUR" -> "50.000 EUR"); a
    range becomes the single amount in its lower bound's style ("$10-15K" -> "$12K"); a bare number
    stays bare; no text becomes a bare number; text with no amount keeps its words and gets the
    amount appended ("Unblocked the Q3 roadmap ($5,000)"). Whatever is written reads back as exactly
    `amount` in the same currency: a form that would not is replaced by one that does.
    """
    if isinstance(amount, (bool, str, bytes)):
        raise ValueError("business value must be a non-negative amount")
    try:
        amount = float(amount)
    except (TypeError, ValueError, OverflowError):
        raise ValueError("business value must be a non-negative amount") from None
    if not math.isfinite(amount) or amount < 0:
        raise ValueError("business value must be a non-negative amount")
    amount = amount + 0.0  # -0.0 -> 0.0
    default = _currency_code(default_currency)
    if raw is not None and not isinstance(raw, str):
        raw = str(raw)
    text = raw or ""
    if not text.strip():
        return _plain(amount)
    before = read_business_value(text, default)
    expected = before.currency if before is not None else None
    for phase in (_candidates(text, amount, default), _fallbacks(text, amount, default)):
        as_range = None
        for candidate in phase:
            if candidate is None:
                continue
            reading = read_business_value(candidate, default)
            if reading is None or reading.amount != amount:
                continue
            if expected is not None and reading.currency != expected:
                continue
            if reading.upper is None:
                return candidate
            # "from $40k to $25k" edited to 10,000 reads as a range from 10,000: right, if not single.
            as_range = as_range or candidate
        if as_range is not None:
            return as_range
    return _plain(amount)


def _fallbacks(text: str, amount: float, default: str) -> Iterable[Optional[str]]:
    """Forms that keep the words when the styled ones do not read back ("$0.01 to $25k" is 10 to 25k)."""
    stripped = text.strip()
    if stripped[0] in '{["' and len(text) <= MAX_JSON and _json(text) is not _NOT_JSON:
        return
    hit, _ = _read_text(text[:MAX_TEXT], default, money_context=True)
    currency = hit.resolved_currency(default) if hit is not None else default
    marked = _marked(amount, currency, default)
    if hit is not None:
        yield text[: hit.lead] + f"({marked})" + text[hit.end :]
    yield f"({marked}) " + text.lstrip()


def _candidates(text: str, amount: float, default: str) -> Iterable[Optional[str]]:
    stripped = text.strip()
    if stripped in ("null", "true", "false"):
        yield _plain(amount)
        return
    if stripped[0] in '{["' and len(text) <= MAX_JSON:
        data = _json(text)
        if data is not _NOT_JSON:
            yield from _json_candidates(text, data, amount, default)
            return
    yield from _text_candidates(text, amount, default, money_context=True)


def _text_candidates(text: str, amount: float, default: str, money_context: bool) -> Iterable[Optional[str]]:
    hit, _ = _read_text(text[:MAX_TEXT], default, money_context)
    if hit is not None:
        currency = hit.resolved_currency(default)
        yield _restyle(text, hit, amount, styled=True)
        yield _restyle(text, hit, amount, styled=False)
        marked = _marked(amount, currency, default)
        yield text[: hit.lead] + marked + text[hit.end :]
        return
    marked = _marked(amount, default, default)
    body = text.rstrip()
    yield body + f" ({marked})"
    yield f"({marked}) " + text.lstrip()


def _marked(amount: float, currency: str, default: str) -> str:
    """`amount` with a marker that reads back as `currency` (exact digits, grouped)."""
    plain = _plain(amount)
    if len(plain.partition(".")[2]) == 1:
        plain += "0"  # $7.50, not $7.5
    digits = _group(plain, ",", ".")
    dollar = currency in _DOLLAR_CURRENCIES
    if dollar and currency == default or currency == "USD" and default not in _DOLLAR_CURRENCIES:
        return "$" + digits
    symbol = _SYMBOL_NAMES.get(currency)
    if symbol and currency != "USD":
        return symbol + digits
    return f"{currency} {digits}"


def _restyle(text: str, hit: _Hit, amount: float, styled: bool) -> Optional[str]:
    """The text with its money expression replaced by `amount` in the same style (None if it cannot be)."""
    a, b = hit.lower, hit.upper
    number = a.number
    marker = a if a.prefixed else b if b is not None and b.prefixed else None
    prefix = text[marker.mark_start : marker.number.start] if marker else ""
    prefix = prefix.replace("-", "").replace("−", "")
    if b is None:
        mag_text = text[number.end : a.mag_end]
        suffix = text[a.mag_end : a.end] if a.suffixed else ""
    else:
        mag_text = text[number.end : a.mag_end] if a.power else text[b.number.end : b.mag_end] if hit.power else ""
        suffix = text[a.mag_end : a.end] if a.suffixed else text[b.mag_end : b.end] if b.suffixed else ""
    power = hit.power
    marked = a.marked or (b is not None and b.marked)
    formatted = _format_number(amount, number, power, power, marked) if styled and power else None
    if formatted is None:
        if power and a.grand or (b is not None and b.grand and hit.power):
            return None  # "5 grand" needs its magnitude: it is the money word
        mag_text, power = "", 0
        formatted = _format_number(amount, number, 0, hit.power, marked) if styled else _plain(amount)
        if formatted is None:
            return None
    start = hit.lead if b is not None else a.start
    return text[:start] + prefix + formatted + mag_text + suffix + text[hit.end :]


def _format_number(amount: float, style: _Number, power: int, read_power: int, marked: bool = False) -> Optional[str]:
    """`amount` / 10**power written like `style` (its grouping, decimal mark, cents), or None.

    `read_power` is the magnitude the original was read with: a lone separator before it was a
    decimal mark ("1.500M"), without one a thousands separator ("45.000").
    """
    exact = Decimal(repr(amount)).scaleb(-power)
    if power and not (1 <= exact < 1000 and exact == exact.quantize(Decimal("0.01"))):
        return None
    plain = format(exact, "f")
    if "." in plain:
        plain = plain.rstrip("0").rstrip(".")
    whole, _, frac = plain.partition(".")
    if style.lone:
        dec = style.lone if read_power else ("," if style.lone == "." else ".")
        group = ("," if style.lone == "." else ".") if read_power else style.lone
    else:
        dec = style.dec or "."
        group = style.group
        if group is None and len(style.whole) <= 3:
            group = "." if dec == "," else ","  # too short to show its grouping: the usual one
    if power or group == dec:
        group = None  # "1,500K" would read as 1.5K: no thousands groups before a magnitude
    if not power and (not read_power and len(style.frac) == 2 or marked) and len(frac) <= 2 and frac:
        frac = frac.ljust(2, "0")  # "$5,000.50" keeps its cents, and "$7.5" is written "$7.50"
    elif not power and not read_power and len(style.frac) == 2 and not frac:
        frac = "00"
    if group and len(whole) > 3:
        whole = _indian(whole) if group == "indian" else _group(whole, group, None)
    return whole + (dec + frac if frac else "")


def _group(digits: str, group: str, dec: Optional[str]) -> str:
    whole, point, frac = digits.partition(".")
    out = []
    while len(whole) > 3:
        out.append(whole[-3:])
        whole = whole[:-3]
    out.append(whole)
    grouped = group.join(reversed(out))
    return grouped + ((dec or ".") + frac if point else "")


def _indian(whole: str) -> str:
    head, tail = whole[:-3], whole[-3:]
    out = []
    while len(head) > 2:
        out.append(head[-2:])
        head = head[:-2]
    if head:
        out.append(head)
    return ",".join(reversed(out)) + "," + tail


def _json_candidates(text: str, data: Any, amount: float, default: str) -> Iterable[Optional[str]]:
    found, _ = _find_in_json(data, default)
    dump = _dumper(text)
    number = int(amount) if amount.is_integer() else amount
    if isinstance(data, str):  # a JSON string literal: its text, written as text
        for inner in _text_candidates(data, amount, default, money_context=True):
            if inner is not None:
                yield dump(inner)
        return
    if found is not None:
        target = _get(data, found.path)
        if found.kind == "list":
            yield dump(_set(data, found.path, [number] * len(target)))
        elif found.kind == "pair":
            low, high = found.keys
            pair = {
                key: _json_string(target[key], amount, default) if isinstance(target[key], str) else number
                for key in (low, high)
            }
            yield dump(_set(data, found.path, {**target, **pair}))
            yield dump(_set(data, found.path, {**target, low: number, high: number}))
        else:
            if isinstance(target, str):
                for inner in _text_candidates(target, amount, default, money_context=True):
                    if inner is not None:
                        yield dump(_set(data, found.path, inner))
            yield dump(_set(data, found.path, number))
    if isinstance(data, dict):
        for name in _write_keys(data):
            old = data.get(name)
            if isinstance(old, str) and _LETTERS.search(old):
                for inner in _text_candidates(old, amount, default, money_context=True):
                    if inner is not None:
                        yield dump({**data, name: inner})
            yield dump({**data, name: number})
    elif isinstance(data, list):
        yield dump(data + [{"total_value": number}])


def _json_string(old: str, amount: float, default: str) -> str:
    for inner in _text_candidates(old, amount, default, money_context=True):
        if inner is not None:
            return inner
    return _plain(amount)


def _write_keys(data: dict) -> list[str]:
    """Keys to write an amount into a JSON object that holds none: replaceable money keys first."""
    keys = []
    for name in data:
        if _key(name) in _MONEY_INDEX and (data[name] is None or isinstance(data[name], (str, int, float, bool))):
            keys.append(name)
    keys.sort(key=lambda n: _MONEY_INDEX[_key(n)])
    for key in MONEY_KEYS:
        if key not in data and key not in _GENERIC_KEYS:
            keys.append(key)
            break
    return keys


def _get(data: Any, path: tuple) -> Any:
    for step in path:
        data = data[step]
    return data


def _set(data: Any, path: tuple, value: Any) -> Any:
    """A copy of `data` with the value at `path` replaced (the original is left alone)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {**data, head: _set(data[head], rest, value)}
    copy = list(data)
    copy[head] = _set(data[head], rest, value)
    return copy


def _dumper(raw: str):
    """json.dumps in the style of `raw`: compact or spaced separators, indentation, escapes."""
    compact = '":' in raw and '": ' not in raw
    indent = 2 if "\n" in raw.strip() else None
    ascii_only = "\\u" in raw

    def dump(value: Any) -> Optional[str]:
        try:
            return json.dumps(
                value,
                ensure_ascii=ascii_only,
                indent=indent,
                separators=(",", ":") if compact and indent is None else None,
            )
        except (ValueError, RecursionError):
            return None

    return dump


def _plain(amount: float) -> str:
    """A number without exponent notation (repr(1e16) is '1e+16', which would read back as 1)."""
    if float(amount).is_integer():
        return str(int(amount))
    text = repr(float(amount))
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text


# Showing ---------------------------------------------------------------------------------------


def _currency_code(currency: Any) -> str:
    if isinstance(currency, str):
        code = _currency_name(currency)
        if code and code != _GENERIC:
            return code
        if code == _GENERIC:
            return "USD"
    return DEFAULT_CURRENCY


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


# Totals ----------------------------------------------------------------------------------------


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
