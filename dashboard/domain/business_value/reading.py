"""The entry points: read_business_value, parse_business_value, unreadable_reason (cached).

Cost
  A text is read in its first MAX_TEXT (4,000) characters only; JSON is parsed when it is at most
  MAX_JSON (64 KB) long, else read as text; the JSON string search reads at most 16,000 characters
  of strings. Every regex is linear (no nested quantifiers over the same characters); 100 KB of
  digits, commas, spaces, dashes and dollar signs reads in milliseconds. Readings are cached per
  distinct (text, currency) with functools.lru_cache (32,768 readings; texts longer than 1,000
  characters are read every time, so the cache stays small).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

from dashboard.domain.business_value.currency import DEFAULT_CURRENCY, _currency_code
from dashboard.domain.business_value.json_reading import _NOT_JSON, MAX_JSON, _find_in_json, _json
from dashboard.domain.business_value.json_spans import _span
from dashboard.domain.business_value.numbers import _finite
from dashboard.domain.business_value.text_reading import MAX_TEXT, _read_text
from dashboard.domain.business_value.value_reading import ValueReading

_CACHED_LENGTH = 1_000  # longer texts are read every time (they are rare; the cache stays small)


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

# The cache's controls, for the tests and bench/ (read_business_value.cache_clear()). mypy gives a
# function no attributes of its own, hence the ignores.
read_business_value.cache_clear = _analyse_cached.cache_clear  # type: ignore[attr-defined]
read_business_value.cache_info = _analyse_cached.cache_info  # type: ignore[attr-defined]


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
