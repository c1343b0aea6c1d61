"""The one time range of every page, Grafana-style: `from`/`to` in the URL, in a time zone.

A range is written either as a quick range (``range=30d``: the keys of `QUICK`) or as two bounds,
``from=…&to=…``, each one of:

- ``now``, ``now-30d``, ``now-6h``, ``now+1d``: a moment relative to now (units m h d w M Q y);
- ``now/d``, ``now/M``, ``now-1M/M``: rounded to the start of the day, week (Monday), month,
  quarter or year, in the range's time zone; as a ``to`` it is rounded up (``to=now-1M/M`` is the
  end of last month), as in Grafana;
- ``2026-01-31``: a day, in the time zone; as a ``to`` the day is included;
- ``2026-01-31T14:30`` (seconds optional, an offset or Z allowed): a moment;
- ``1767225600000``: milliseconds since 1970 (Grafana's absolute form), a moment;
- empty: unbounded.

``to=now`` has no end, so an achievement stamped a moment after our `now` by a collector whose
clock runs ahead is still counted (the quick ranges are all "… to now").

`TimeRange` keeps the text, so it is resolved against `now` on each refresh: a wallboard showing
"last 7 days" rolls forward for days. `resolve` gives a half-open `Range` in naive UTC
(dashboard.domain.ranges), the form every KPI and filter reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import Mapping, Optional, Sequence, Union
from urllib.parse import parse_qsl, urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dashboard.domain.ranges import PRESETS, Range

QUICK: dict[str, tuple[str, str]] = {
    "7d": ("now-7d", "now"),
    "30d": ("now-30d", "now"),
    "90d": ("now-90d", "now"),
    "180d": ("now-180d", "now"),
    "365d": ("now-365d", "now"),
    "mtd": ("now/M", "now"),
    "qtd": ("now/Q", "now"),
    "ytd": ("now/y", "now"),
    "all": ("", ""),
}
"""Quick ranges by key: the key is what the URL says (``range=90d``), the bounds what it means."""
QUICK_LABELS = {**{key: PRESETS[key].label for key in PRESETS}, "qtd": "This quarter", "ytd": "Year to date"}
QUICK_MENU = ("7d", "30d", "90d", "365d", "mtd", "qtd", "ytd", "all")
"""The quick ranges the picker offers, in its order."""

MAX_TEXT = 40
"""A bound longer than this is not one (a URL parameter can be anything)."""
_RELATIVE = re.compile(r"^now(?:([+-])(\d{1,6})([mhdwMQy]))?(?:/([dwMQy]))?$")
_UNITS = {"m": "minute", "h": "hour", "d": "day", "w": "week", "M": "month", "Q": "quarter", "y": "year"}
QueryValue = Union[str, Sequence[str], None]


class RangeError(ValueError):
    """A bound or a zone that is not one; the message is a sentence for the page."""


def zone(name: Optional[str]) -> ZoneInfo:
    """The time zone `name` ("Europe/Paris", "UTC"), or RangeError."""
    text = (name or "").strip()
    if not text or len(text) > 64 or ".." in text or text.startswith("/"):
        raise RangeError(f"{_shown(text)} is not a time zone: use a name such as UTC or Europe/Paris.")
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise RangeError(f"{_shown(text)} is not a time zone: use a name such as UTC or Europe/Paris.") from None


def resolve_bound(text: str, now: datetime, tz: ZoneInfo, *, upper: bool) -> Optional[datetime]:
    """The moment bound `text` names, in naive UTC (None: unbounded). `now` is naive UTC.

    `upper` is True for a ``to``: a day is included, a rounding goes up, ``now`` is no end."""
    text = text.strip()
    if not text or text.lower() == "all":
        return None
    if len(text) > MAX_TEXT:
        raise RangeError(f"{_shown(text)} is too long to be a time.")
    local_now = now.replace(tzinfo=timezone.utc).astimezone(tz)
    match = _RELATIVE.match(text)
    if match:
        sign, amount, unit, rounding = match.groups()
        if upper and text == "now":
            return None
        moment = local_now
        if unit:
            moment = _shift(moment, int(amount) * (1 if sign == "+" else -1), unit)
        if rounding:
            moment = _start_of(moment, rounding)
            if upper:
                moment = _shift(moment, 1, rounding)
        return _utc(moment)
    if text.isdigit() and len(text) >= 10:
        try:
            return datetime.fromtimestamp(int(text) / 1000, timezone.utc).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            raise RangeError(f"{_shown(text)} is out of range for a time.") from None
    if len(text) == 10:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise RangeError(_not_a_time(text)) from None
        if upper:
            if day == date.max:
                return None
            day += timedelta(days=1)
        return _utc(datetime.combine(day, datetime.min.time(), tz))
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T"))
    except ValueError:
        raise RangeError(_not_a_time(text)) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return _utc(moment)


def _not_a_time(text: str) -> str:
    return f"{_shown(text)} is not a time: use YYYY-MM-DD, YYYY-MM-DD HH:MM, or now-30d, now/M."


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def _shift(moment: datetime, amount: int, unit: str) -> datetime:
    """`moment` moved by `amount` units; months and longer keep the day where they can."""
    if unit in "mhdw":
        step = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
        # Days and weeks move the wall clock (a day across a DST change is 23 or 25 hours).
        naive = moment.replace(tzinfo=None) + step[unit] * amount
        try:
            return naive.replace(tzinfo=moment.tzinfo)
        except OverflowError:
            raise RangeError("That range reaches beyond the years a calendar holds.") from None
    months = amount * {"M": 1, "Q": 3, "y": 12}[unit]
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9998:
        raise RangeError("That range reaches beyond the years a calendar holds.")
    day = min(moment.day, _month_days(year, month + 1))
    return moment.replace(year=year, month=month + 1, day=day)


def _start_of(moment: datetime, unit: str) -> datetime:
    naive = moment.replace(tzinfo=None, hour=0, minute=0, second=0, microsecond=0)
    if unit == "w":
        naive -= timedelta(days=naive.weekday())
    elif unit == "M":
        naive = naive.replace(day=1)
    elif unit == "Q":
        naive = naive.replace(day=1, month=(naive.month - 1) // 3 * 3 + 1)
    elif unit == "y":
        naive = naive.replace(day=1, month=1)
    return naive.replace(tzinfo=moment.tzinfo)


def _month_days(year: int, month: int) -> int:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


@dataclass(frozen=True)
class TimeRange:
    """A range as the URL writes it: two bounds' text, a zone, and whether to compare."""

    start: str = ""
    end: str = ""
    tz: str = "UTC"
    compare: bool = False

    @classmethod
    def quick(cls, key: str, tz: str = "UTC", compare: bool = False) -> "TimeRange":
        start, end = QUICK[key]
        return cls(start, end, tz, compare)

    @property
    def quick_key(self) -> Optional[str]:
        """The quick range this is (``from=now-30d&to=now`` is "30d"), else None."""
        for key, bounds in QUICK.items():
            if (self.start, self.end or "") == bounds or (key != "all" and (self.start, self.end) == (bounds[0], "")):
                return key
        return None

    def resolve(self, now: datetime) -> Range:
        """[start, end) in naive UTC at `now`; raises RangeError for a bound that is not one."""
        tz = zone(self.tz)
        try:
            start = resolve_bound(self.start, now, tz, upper=False)
            end = resolve_bound(self.end, now, tz, upper=True)
        except OverflowError:
            raise RangeError("That range reaches beyond the years a calendar holds.") from None
        return Range(start, end)

    def previous(self, now: datetime) -> Optional[Range]:
        """The period of equal length just before; None when the range has no start."""
        current = self.resolve(now)
        if current.start is None:
            return None
        length = (current.end or now) - current.start
        return Range(current.start - length, current.start)

    def label(self, now: Optional[datetime] = None) -> str:
        """'Last 30 days', or '2026-01-01 → 2026-03-31', for headers and the button. With `now`,
        a relative bound (now-1M/M) is shown as the day or moment it stands for, in the zone."""
        key = self.quick_key
        if key is not None:
            return QUICK_LABELS[key]
        first, last = _bound_label(self.start), _bound_label(self.end)
        if now is not None and (_is_relative(self.start) or _is_relative(self.end)):
            try:
                current = self.resolve(now)
            except RangeError:
                current = Range()
            if current.start is not None and _is_relative(self.start):
                first = _moment_label(current.start, self.tz, upper=False)
            if current.end is not None and _is_relative(self.end):
                last = _moment_label(current.end, self.tz, upper=True)
        return f"{first or 'the start'} → {last or 'now'}"

    def span_words(self, now: datetime) -> str:
        """'30 days', 'this month', '12 days', 'all time': the range as a sentence says it."""
        key = self.quick_key
        if key is not None:
            return QUICK_LABELS[key].lower().removeprefix("last ")
        current = self.resolve(now)
        if current.start is None:
            return "all time"
        days = max(1, round(((current.end or now) - current.start).total_seconds() / 86400))
        return f"{days} day{'s' if days != 1 else ''}"

    def during(self, now: datetime) -> str:
        """'in the last 30 days', 'over all time', 'in this month', 'in 2026-01-01 → 2026-03-31'."""
        key = self.quick_key
        if self.resolve(now).start is None:
            return "over all time"
        if key in ("mtd", "qtd"):
            return f"in {QUICK_LABELS[key].lower()}"
        if key == "ytd":
            return "in the year to date"
        if key is not None:
            return f"in the last {self.span_words(now)}"
        return f"in {self.label()}"

    def days(self, now: datetime) -> Optional[int]:
        """How many days long (rounded up); None with no start."""
        current = self.resolve(now)
        if current.start is None:
            return None
        seconds = ((current.end or now) - current.start).total_seconds()
        return max(1, -(-int(seconds) // 86400))

    def query(self) -> dict[str, str]:
        """The URL parameters of this range (its zone and compare only when not the default)."""
        key = self.quick_key
        out = {"range": key} if key is not None else {"from": self.start, "to": self.end}
        if self.compare:
            out["compare"] = "1"
        return out


def _bound_label(text: str) -> str:
    if text.isdigit() and len(text) >= 10:  # epoch milliseconds, as Grafana writes them
        try:
            return f"{datetime.fromtimestamp(int(text) / 1000, timezone.utc):%Y-%m-%d %H:%M}"
        except (OverflowError, OSError, ValueError):
            return text
    return text.replace("T", " ")


def _is_relative(text: str) -> bool:
    return text.strip().startswith("now") and text.strip() != "now"


def _moment_label(moment: datetime, tz: str, *, upper: bool) -> str:
    """A resolved bound as a person reads it: a day when it falls on midnight (an end shown as
    the last day it includes), else the day and the time, in the zone."""
    local = to_local(moment, tz)
    if local.time() == datetime.min.time():
        return f"{(local - timedelta(days=1)) if upper else local:%Y-%m-%d}"
    return f"{local:%Y-%m-%d %H:%M}"


RANGE_PARAMS = ("range", "from", "to", "tz", "compare")
"""The query parameters of the time range, carried from page to page."""


def parse_time_range(
    query: Mapping[str, QueryValue], now: datetime, *, default: str = "30d", default_tz: str = "UTC"
) -> tuple[TimeRange, Optional[str]]:
    """The range the URL asks for, and a sentence when it asked for something that is not one.

    ``from``/``to`` come before ``range``; a bad range falls back to `default`; a reversed one is
    swapped, and said."""
    problems: list[str] = []
    tz = _first(query.get("tz")) or default_tz
    try:
        zone(tz)
    except RangeError as error:
        problems.append(f"{error} Showing times in {default_tz}.")
        tz = default_tz
    compare = (_first(query.get("compare")) or "").strip().lower() in ("1", "true", "yes", "on")
    fallback = TimeRange.quick(default, tz, compare)
    start, end = _first(query.get("from")), _first(query.get("to"))
    key = (_first(query.get("range")) or "").strip().lower()
    if start is None and end is None:
        if not key:
            return fallback, _said(problems)
        if key not in QUICK:
            problems.append(
                f"Unknown range {_shown(key)}: showing {QUICK_LABELS[default].lower()}. "
                f"Accepted: {', '.join(QUICK)}, or from/to."
            )
            return fallback, _said(problems)
        return TimeRange.quick(key, tz, compare), _said(problems)
    wanted = TimeRange((start or "").strip(), (end or "").strip(), tz, compare)
    if wanted.quick_key is not None:  # from=now-30d (with to=now or none) is the quick range, one way
        wanted = TimeRange.quick(wanted.quick_key, tz, compare)
    try:
        current = wanted.resolve(now)
    except RangeError as error:
        problems.append(f"{error} Showing {QUICK_LABELS[default].lower()}.")
        return fallback, _said(problems)
    if current.start is not None and current.end is not None and current.start >= current.end:
        if current.start == current.end:
            problems.append(f"from and to are the same moment: showing {QUICK_LABELS[default].lower()}.")
            return fallback, _said(problems)
        wanted = replace(wanted, start=wanted.end, end=wanted.start)
        try:
            wanted.resolve(now)
        except RangeError:
            return fallback, _said([*problems, "from was after to, and they do not read the other way round."])
        problems.append(f"from was after to: swapped, showing {wanted.label()}.")
    return wanted, _said(problems)


def _first(raw: QueryValue) -> Optional[str]:
    if raw is None:
        return None
    if isinstance(raw, str):
        return raw
    return str(raw[0]) if raw else None


def _said(problems: list[str]) -> Optional[str]:
    return " ".join(problems) or None


def _shown(text: str) -> str:
    """`text` quoted for a sentence: cut, and what does not print shown as � (not as escapes)."""
    cut = "".join(c if c.isprintable() else "�" for c in text[:MAX_TEXT])
    return repr(cut + ("…" if len(text) > MAX_TEXT else ""))


def to_local(moment: datetime, tz_name: str) -> datetime:
    """A naive-UTC moment as a naive wall-clock time in `tz_name` (for drawing axes)."""
    return moment.replace(tzinfo=timezone.utc).astimezone(zone(tz_name)).replace(tzinfo=None)


def as_time_range(value: object, *, default: str = "30d", tz: str = "UTC") -> TimeRange:
    """A range from what a page store holds: a TimeRange, its `store()` dict, a quick key, or
    None (the default). Anything else, or a range that does not resolve, is the default."""
    if isinstance(value, TimeRange):
        return value
    if isinstance(value, str) and value.strip().lower() in QUICK:
        return TimeRange.quick(value.strip().lower(), tz)
    if isinstance(value, Mapping):
        parts = {k: value.get(k) for k in ("start", "end", "tz")}
        if all(isinstance(v, str) for v in parts.values()):
            start, end = str(parts["start"])[:MAX_TEXT], str(parts["end"])[:MAX_TEXT]
            wanted = TimeRange(start, end, str(parts["tz"]), value.get("compare") is True)
            try:
                wanted.resolve(datetime(2000, 1, 1))
                return wanted
            except RangeError:
                pass
    return TimeRange.quick(default, tz)


def store_of(time_range: TimeRange) -> dict[str, object]:
    """What a page's store keeps of a range (as_time_range reads it back)."""
    return {"start": time_range.start, "end": time_range.end, "tz": time_range.tz, "compare": time_range.compare}


def search_with(search: Optional[str], time_range: Optional[TimeRange], default_tz: str = "UTC") -> str:
    """`search` ("?refresh=60&range=90d") with its range parameters replaced by `time_range`'s
    (removed when None; the zone only when not `default_tz`); the others keep their order."""
    kept = [(k, v) for k, v in parse_qsl((search or "").lstrip("?"), keep_blank_values=True) if k not in RANGE_PARAMS]
    if time_range is not None:
        kept += list(time_range.query().items())
        if time_range.tz != default_tz:
            kept.append(("tz", time_range.tz))
    return "?" + urlencode(kept, safe="/:") if kept else ""
