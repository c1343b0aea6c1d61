"""The `business_value` field: free text in the achievement-collector, a number on screen.

Seen forms (../shared/CONTRACT.md): JSON text with `total_value` (and currency, period,
confidence...), "$162,500 annual value", "75000", and null. Reading turns any of them into
an amount; writing an edited amount keeps the form it came in, so JSON keeps its other keys.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from functools import lru_cache
from typing import Optional

_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?|[-+]?\.\d+")
_SCALE = {"k": 1e3, "m": 1e6, "b": 1e9}
_SCALED = re.compile(r"([-+]?\d[\d,]*(?:\.\d+)?)\s*([kmb])\b", re.IGNORECASE)


def parse_business_value(raw: Optional[str]) -> Optional[float]:
    """The amount in `raw`, or None when there is none (null, empty, no number, not finite)."""
    if raw is None:
        return None
    return _parse_text(str(raw))


@lru_cache(maxsize=65_536)
def _parse_text(raw: str) -> Optional[float]:
    # Parsed once per distinct text in a process: a refresh reads every achievement's amount
    # several times, on every tick of every screen, and the text is often JSON.
    text = raw.strip()
    if not text:
        return None
    if text[0] in "{[":
        return _from_json(text)
    return _from_text(text)


def _from_json(text: str) -> Optional[float]:
    data = _json(text)
    if data is _NOT_JSON:
        return _from_text(text)
    if isinstance(data, dict):
        for key in ("total_value", "value", "amount"):
            if key in data:
                return _finite(data[key])
    return None


_NOT_JSON = object()


def _json(text: str):
    """The JSON value of `text`, or _NOT_JSON (also for nesting too deep for Python's parser)."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return _NOT_JSON


def _from_text(text: str) -> Optional[float]:
    scaled = _SCALED.search(text)
    if scaled:
        base = _finite(scaled.group(1).replace(",", ""))
        return None if base is None else _finite(base * _SCALE[scaled.group(2).lower()])
    match = _NUMBER.search(text)
    if not match:
        return None
    return _finite(match.group(0).replace(",", ""))


def _finite(value) -> Optional[float]:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: a JSON integer beyond float
        return None
    return number if math.isfinite(number) else None


def write_business_value(raw: Optional[str], amount: float) -> str:
    """`amount` in the form of `raw`, as the string the achievement-collector accepts.

    JSON text keeps its other keys; "$5,000 annual value" keeps its words; a bare number stays
    bare; null becomes a bare number. Whatever is written reads back as `amount` (to the cent,
    when the form groups thousands with commas); a form that would not (a scaled "15k", a JSON
    list, a number glued to a sign or a dot) is written as a bare number instead.
    """
    if not math.isfinite(amount) or amount < 0:
        raise ValueError("business value must be a non-negative amount")
    number = _plain(amount)
    text = (raw or "").strip()
    if text.startswith(("{", "[")):
        data = _json(text)
        if isinstance(data, dict):
            key = next((k for k in ("total_value", "value", "amount") if k in data), "total_value")
            data[key] = int(amount) if float(amount).is_integer() else amount
            return json.dumps(data)
        if data is not _NOT_JSON:
            return number  # JSON without an object holds no amount we could read back
    match = _NUMBER.search(text) if text else None
    if match and not _SCALED.search(text):
        found = match.group(0).rstrip(",")  # "5, and 6": the comma belongs to the sentence
        if "," in found:
            formatted = f"{amount:,.2f}".rstrip("0").rstrip(".")
        else:
            formatted = number
        written = text[: match.start()] + formatted + text[match.start() + len(found):]
        if parse_business_value(written) == float(formatted.replace(",", "")):
            return written
    return number


def _plain(amount: float) -> str:
    """A number without exponent notation (repr(1e16) is '1e+16', which would read back as 1)."""
    if float(amount).is_integer():
        return str(int(amount))
    text = repr(float(amount))
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text


def format_money(amount: Optional[float], *, compact: bool = True) -> str:
    """$1.2M / $162.5k / $950, or an em dash when there is no amount."""
    if amount is None:
        return "—"
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if compact:
        for threshold, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
            if amount >= threshold:
                return f"{sign}${amount / threshold:,.1f}{suffix}".replace(".0" + suffix, suffix)
    return f"{sign}${amount:,.0f}"
