"""Reading JSON: the money keys, their currencies and ranges, then marked money in any string.

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
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, NamedTuple, Optional, Union

from dashboard.domain.business_value.currency import _DOLLAR_CURRENCIES, _GENERIC, _code, _currency_name, _resolve
from dashboard.domain.business_value.numbers import _finite
from dashboard.domain.business_value.ranges import _Hit
from dashboard.domain.business_value.text_reading import _NO_MARK, MAX_TEXT, _read_text

MAX_JSON = 65_536
"""Longest text parsed as JSON (longer JSON is read as text)."""
_JSON_STRING_BUDGET = 16_000


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


_NOT_JSON = object()


_JsonPath = tuple[Union[str, int], ...]
"""Keys and indices from the top of a JSON document down to one value."""
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

    path: _JsonPath  # keys and indices to the value (for a pair: to its object)
    kind: str  # "number" | "string" | "pair" | "list"
    amount: float
    upper: Optional[float]
    currency: str
    keys: tuple[str, ...] = ()  # for "pair": the (lower, upper) keys
    text_hit: Optional[_Hit] = None  # for "string": the hit inside the string
    seen: int = 1


def _currency_of(obj: dict[str, Any]) -> tuple[Optional[str], bool]:
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


class _Scalar(NamedTuple):
    """The amount of a number or string under a money key."""

    kind: str  # "number" | "string"
    amount: float
    upper: Optional[float]
    currency: str
    hit: Optional[_Hit]  # for "string": the hit inside the string


def _scalar(value: Any, currency: Optional[str], default: str, blocked: bool) -> Optional[_Scalar]:
    """The amount of a number or string under a money key, or None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        if blocked:
            return None
        try:
            number = float(value)
        except OverflowError:  # an integer beyond any float
            return None
        amount = _finite(number)
        return None if amount is None else _Scalar("number", amount, None, _resolve(currency, default), None)
    if isinstance(value, str):
        hit, _ = _read_text(value[:MAX_TEXT], default, money_context=not blocked)
        if hit is None:
            return None
        own = hit.currency
        if own is None or (own == _GENERIC and currency in _DOLLAR_CURRENCIES):
            code = _resolve(currency, default)
        else:
            code = _resolve(own, default)
        return _Scalar("string", hit.amount, hit.high, code, hit)
    return None


def _bound(
    obj: dict[str, Any], name: Optional[str], currency: Optional[str], default: str
) -> Optional[tuple[str, _Scalar]]:
    """(key, amount) of one bound of a min/max pair, or None when the key is absent or holds none."""
    if name is None:
        return None
    got = _scalar(obj[name], currency, default, False)
    return None if got is None else (name, got)


def _pair(
    obj: dict[str, Any], currency: Optional[str], default: str, path: _JsonPath, allow_range: bool = True
) -> Optional[_JsonHit]:
    keys = {_key(name): name for name in obj}
    for low_key, high_key in RANGE_KEYS:
        low = _bound(obj, keys.get(low_key), currency, default)
        high = _bound(obj, keys.get(high_key), currency, default)
        if low is not None and high is not None and high[1].amount >= low[1].amount:
            (low_name, low_value), (high_name, high_value) = low, high
            upper = None if high_value.amount == low_value.amount else high_value.amount
            return _JsonHit(path, "pair", low_value.amount, upper, low_value.currency, keys=(low_name, high_name))
        one = low if low is not None else high  # a lone bound, or an upper below the lower: one amount
        if one is not None:
            name, value = one
            return _JsonHit(path + (name,), value.kind, value.amount, None, value.currency, text_hit=value.hit)
    range_name = keys.get("range")
    if range_name is not None and allow_range:
        return _value(obj[range_name], currency, default, path + (range_name,), nested=True, blocked=False)
    return None


def _value(
    value: Any,
    currency: Optional[str],
    default: str,
    path: _JsonPath,
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
            bounds = [got for v in numbers if (got := _scalar(v, currency, default, False)) is not None]
            if len(bounds) == len(numbers):
                low, high = bounds[0].amount, bounds[-1].amount
                if low <= high:
                    return _JsonHit(path, "list", low, None if high == low else high, bounds[0].currency)
        return None
    got = _scalar(value, currency, default, blocked)
    if got is None:
        return None
    return _JsonHit(path, got.kind, got.amount, got.upper, got.currency, text_hit=got.hit)


def _object(
    obj: dict[str, Any],
    currency: Optional[str],
    default: str,
    path: _JsonPath,
    nested: bool,
    blocked_unit: bool = False,
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


def _strings(data: Any, budget: int = _JSON_STRING_BUDGET) -> Iterable[tuple[_JsonPath, str]]:
    """(path, string) of every string value in document order, iteratively, within a budget."""
    stack: list[tuple[_JsonPath, Any]] = [((), data)]
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
