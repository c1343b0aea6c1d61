"""Writing an edited amount back in the form the text came in.

Writing (write_business_value) keeps the form: see its docstring. The written text is always read
back before it is returned; a form that would not read back as exactly the amount, in the same
currency, is replaced by the next one that does (styled, plain digits, the marker and digits, then
the amount in parentheses in its place, then before the text; a bare number only as a last resort).
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any, Callable, Iterable, Optional

from dashboard.domain.business_value.characters import _LETTERS
from dashboard.domain.business_value.currency import _DOLLAR_CURRENCIES, _SYMBOL_NAMES, DEFAULT_CURRENCY, _currency_code
from dashboard.domain.business_value.json_reading import (
    _GENERIC_KEYS,
    _MONEY_INDEX,
    _NOT_JSON,
    MAX_JSON,
    MONEY_KEYS,
    _find_in_json,
    _json,
    _JsonPath,
    _key,
)
from dashboard.domain.business_value.numbers import _Number
from dashboard.domain.business_value.ranges import _Hit
from dashboard.domain.business_value.reading import read_business_value
from dashboard.domain.business_value.text_reading import MAX_TEXT, _read_text


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
    group: Optional[str]  # None: no thousands groups
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


def _write_keys(data: dict[str, Any]) -> list[str]:
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


def _get(data: Any, path: _JsonPath) -> Any:
    for step in path:
        data = data[step]
    return data


def _set(data: Any, path: _JsonPath, value: Any) -> Any:
    """A copy of `data` with the value at `path` replaced (the original is left alone)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {**data, head: _set(data[head], rest, value)}
    if not isinstance(head, int):  # what indexing a list by a key would raise, said plainly
        raise TypeError(f"a JSON list is indexed by a number, not {head!r}")
    copy = list(data)
    copy[head] = _set(data[head], rest, value)
    return copy


def _dumper(raw: str) -> Callable[[Any], Optional[str]]:
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
