"""Currencies: the codes, symbols and money words, and the markers found before or after a number.

Currencies
  Every reading carries its ISO 4217 code. `$`, `dollars`, `bucks` and `grand` mean the default
  currency when it is a dollar currency (USD CAD AUD NZD SGD HKD), else USD; `$5,000 CAD` is CAD.
  Bare numbers and JSON without a currency key are in the default currency.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from dashboard.domain.business_value.characters import _LETTERS

DEFAULT_CURRENCY = "USD"


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


_SYMBOL_ENDS = frozenset(symbol[-1] for symbol in _SYMBOLS)
_SUFFIX_SYMBOLS: dict[str, list[str]] = {}
for _symbol_text in sorted(set(_SYMBOLS) | {"zł", "Kč"}, key=len, reverse=True):
    _SUFFIX_SYMBOLS.setdefault(_symbol_text[0], []).append(_symbol_text)


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


def _code(word: str) -> Optional[str]:
    if word in _CODES or word in _LOWER_CODES:
        upper = word.upper()
        return _ALIASES.get(upper, upper)
    return None


def _suffix_at(text: str, i: int) -> Optional[tuple[str, int]]:
    """(currency, end) of a currency marker starting at `i` ("€", "USD", "dollars", "US dollars"), or None."""
    char = text[i]
    for symbol in _SUFFIX_SYMBOLS.get(char, ()):
        if text.startswith(symbol, i):
            return _SYMBOLS.get(symbol) or _LETTER_MARKERS[symbol], i + len(symbol)
    letters = _LETTERS.match(text, i) if char.isalpha() else None
    if letters is None:  # not a letter (an alphabetic character always starts a match)
        return None
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


def _currency_code(currency: Any) -> str:
    if isinstance(currency, str):
        code = _currency_name(currency)
        if code and code != _GENERIC:
            return code
        if code == _GENERIC:
            return "USD"
    return DEFAULT_CURRENCY
