"""The `business_value` field: free text in the achievement-collector, a number on screen.

Seen forms (../shared/CONTRACT.md): JSON text with `total_value` (and currency, period,
confidence...), "$162,500 annual value", "75000", and null. Reading turns any of them into
an amount; writing an edited amount keeps the form it came in, so JSON keeps its other keys.
"""

from __future__ import annotations

import json
import math
import re
from typing import Optional

_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?|[-+]?\.\d+")
_SCALE = {"k": 1e3, "m": 1e6, "b": 1e9}
_SCALED = re.compile(r"([-+]?\d[\d,]*(?:\.\d+)?)\s*([kmb])\b", re.IGNORECASE)


def parse_business_value(raw: Optional[str]) -> Optional[float]:
    """The amount in `raw`, or None when there is none (null, empty, no number, not finite)."""
    if raw is None:
        return None
    text = str(raw).strip()
    if not text:
        return None
    if text[0] in "{[":
        return _from_json(text)
    return _from_text(text)


def _from_json(text: str) -> Optional[float]:
    try:
        data = json.loads(text)
    except ValueError:
        return _from_text(text)
    if isinstance(data, dict):
        for key in ("total_value", "value", "amount"):
            if key in data:
                return _finite(data[key])
    return None


def _from_text(text: str) -> Optional[float]:
    scaled = _SCALED.search(text)
    if scaled:
        base = _finite(scaled.group(1).replace(",", ""))
        return None if base is None else base * _SCALE[scaled.group(2).lower()]
    match = _NUMBER.search(text)
    if not match:
        return None
    return _finite(match.group(0).replace(",", ""))


def _finite(value) -> Optional[float]:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def write_business_value(raw: Optional[str], amount: float) -> str:
    """`amount` in the form of `raw`, as the string the achievement-collector accepts.

    JSON text keeps its other keys; "$5,000 annual value" keeps its words; a bare number stays
    bare; null becomes a bare number.
    """
    if not math.isfinite(amount) or amount < 0:
        raise ValueError("business value must be a non-negative amount")
    number = _plain(amount)
    text = (raw or "").strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if isinstance(data, dict):
            key = next((k for k in ("total_value", "value", "amount") if k in data), "total_value")
            data[key] = int(amount) if float(amount).is_integer() else amount
            return json.dumps(data)
    match = _NUMBER.search(text) if text else None
    if match and not _SCALED.search(text):
        had_commas = "," in match.group(0)
        formatted = f"{amount:,.2f}".rstrip("0").rstrip(".") if had_commas else number
        return text[: match.start()] + formatted + text[match.end():]
    return number


def _plain(amount: float) -> str:
    return str(int(amount)) if float(amount).is_integer() else repr(float(amount))


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
