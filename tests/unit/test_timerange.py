"""The navbar's time range: Grafana's forms, zones, reversed and bad ranges, what the URL keeps."""

from datetime import datetime, timedelta

import pytest

from dashboard.domain.kpis import window_for
from dashboard.domain.ranges import Range
from dashboard.domain.timerange import (
    RangeError,
    TimeRange,
    as_time_range,
    parse_time_range,
    resolve_bound,
    search_with,
    store_of,
    to_local,
    zone,
)

NOW = datetime(2026, 5, 14, 15, 30)  # naive UTC, a Thursday
UTC = zone("UTC")
PARIS = zone("Europe/Paris")


@pytest.mark.parametrize(
    ("text", "upper", "moment"),
    [
        ("now", False, NOW),
        ("now", True, None),  # "to now" has no end: a collector's clock ahead of ours still counts
        ("now-30d", False, NOW - timedelta(days=30)),
        ("now-6h", False, NOW - timedelta(hours=6)),
        ("now+1d", False, NOW + timedelta(days=1)),
        ("now-2w", False, NOW - timedelta(weeks=2)),
        ("now/d", False, datetime(2026, 5, 14)),
        ("now/d", True, datetime(2026, 5, 15)),
        ("now/w", False, datetime(2026, 5, 11)),  # Monday
        ("now/M", False, datetime(2026, 5, 1)),
        ("now-1M/M", False, datetime(2026, 4, 1)),
        ("now-1M/M", True, datetime(2026, 5, 1)),  # the end of last month, rounded up
        ("now/Q", False, datetime(2026, 4, 1)),
        ("now/y", False, datetime(2026, 1, 1)),
        ("now-1y/y", True, datetime(2026, 1, 1)),
        ("2026-01-31", False, datetime(2026, 1, 31)),
        ("2026-01-31", True, datetime(2026, 2, 1)),  # a day as a "to" is included whole
        ("2026-01-31T14:30", False, datetime(2026, 1, 31, 14, 30)),
        ("2026-01-31 14:30:15", False, datetime(2026, 1, 31, 14, 30, 15)),
        ("2026-01-31T14:30+02:00", False, datetime(2026, 1, 31, 12, 30)),
        ("2026-01-31T14:30Z", False, datetime(2026, 1, 31, 14, 30)),
        ("1767225600000", False, datetime(2026, 1, 1)),  # Grafana's epoch milliseconds
        ("", False, None),
        ("all", False, None),
        ("9999-12-31", True, None),  # no next day: no end rather than an overflow
    ],
)
def test_bounds_in_utc(text, upper, moment):
    assert resolve_bound(text, NOW, UTC, upper=upper) == moment


def test_months_keep_their_day_where_they_can():
    end_of_march = datetime(2026, 3, 31, 12)
    assert resolve_bound("now-1M", end_of_march, UTC, upper=False) == datetime(2026, 2, 28, 12)
    assert resolve_bound("now-1y", datetime(2028, 2, 29), UTC, upper=False) == datetime(2027, 2, 28)


def test_a_zone_moves_days_and_midnights():
    # Midnight in Paris is 22:00 or 23:00 UTC the day before (summer, winter).
    assert resolve_bound("2026-05-14", NOW, PARIS, upper=False) == datetime(2026, 5, 13, 22)
    assert resolve_bound("2026-01-14", NOW, PARIS, upper=False) == datetime(2026, 1, 13, 23)
    assert resolve_bound("now/d", datetime(2026, 5, 14, 23, 30), PARIS, upper=False) == datetime(2026, 5, 14, 22)
    # A day back across the spring change is the same wall-clock time: 23 hours.
    after = datetime(2026, 3, 29, 12)  # 14:00 in Paris, summer time
    assert after - resolve_bound("now-1d", after, PARIS, upper=False) == timedelta(hours=23)
    assert to_local(datetime(2026, 5, 13, 22), "Europe/Paris") == datetime(2026, 5, 14)


@pytest.mark.parametrize(
    "text", ["yesterday", "now-", "now-30x", "now/h", "2026-13-01", "01/31/2026", "x" * 41, "now-9999999y", "1" * 30]
)
def test_what_is_not_a_time_is_said(text):
    with pytest.raises(RangeError) as error:
        resolve_bound(text, NOW, UTC, upper=False)
    assert len(str(error.value)) < 200 and str(error.value).endswith(".")


@pytest.mark.parametrize("name", ["", "Mars/Olympus", "../../etc/passwd", "/etc/localtime", "x" * 100])
def test_what_is_not_a_zone_is_said(name):
    with pytest.raises(RangeError, match="is not a time zone"):
        zone(name)


def test_quick_ranges_read_from_either_form():
    assert parse_time_range({"range": "90d"}, NOW)[0] == TimeRange.quick("90d")
    from_to, problem = parse_time_range({"from": "now-90d", "to": "now"}, NOW)
    assert problem is None and from_to.quick_key == "90d" and from_to.label() == "Last 90 days"
    assert parse_time_range({}, NOW, default="365d")[0] == TimeRange.quick("365d")
    assert TimeRange.quick("mtd").resolve(NOW) == Range(datetime(2026, 5, 1), None)
    assert TimeRange.quick("all").resolve(NOW) == Range(None, None)


def test_from_and_to_come_before_range():
    shown, problem = parse_time_range({"range": "7d", "from": "2026-01-01", "to": "2026-01-31"}, NOW)
    assert shown == TimeRange("2026-01-01", "2026-01-31") and problem is None
    assert shown.resolve(NOW) == Range(datetime(2026, 1, 1), datetime(2026, 2, 1))
    assert shown.label() == "2026-01-01 → 2026-01-31" and shown.span_words(NOW) == "31 days"


def test_a_reversed_range_is_swapped_and_said():
    shown, problem = parse_time_range({"from": "2026-03-31", "to": "2026-01-01"}, NOW)
    assert shown == TimeRange("2026-01-01", "2026-03-31")
    assert problem == "from was after to: swapped, showing 2026-01-01 → 2026-03-31."


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ({"range": "fortnight"}, "Unknown range 'fortnight': showing last 30 days. Accepted: 7d, 30d"),
        ({"from": "soon"}, "'soon' is not a time"),
        ({"from": "2026-01-01T10:00", "to": "2026-01-01T10:00"}, "from and to are the same moment"),
        ({"tz": "Mars/Olympus"}, "'Mars/Olympus' is not a time zone"),
        ({"range": "\x00" * 500}, "'\ufffd"),
    ],
)
def test_a_bad_range_falls_back_with_a_sentence(query, said):
    shown, problem = parse_time_range(query, NOW)
    assert shown == TimeRange.quick("30d") and problem is not None and said in problem and len(problem) < 300


def test_the_previous_period_has_the_same_length():
    january = TimeRange("2026-01-01", "2026-01-31")
    assert january.previous(NOW) == Range(datetime(2025, 12, 1), datetime(2026, 1, 1))
    assert TimeRange.quick("all").previous(NOW) is None
    window = window_for(TimeRange("now-10d", "now"), NOW)
    assert window.current == Range(NOW - timedelta(days=10), None)
    assert window.previous == Range(NOW - timedelta(days=20), NOW - timedelta(days=10))
    assert window_for(TimeRange.quick("30d"), NOW) == window_for("30d", NOW)


def test_what_the_url_and_the_page_store_keep():
    assert search_with("?refresh=60&range=7d&kiosk=1", TimeRange.quick("90d")) == "?refresh=60&kiosk=1&range=90d"
    paris = TimeRange("2026-01-01", "now", "Europe/Paris", compare=True)
    assert search_with("?refresh=60", paris) == "?refresh=60&from=2026-01-01&to=now&compare=1&tz=Europe/Paris"
    assert (
        search_with("?refresh=60", paris, default_tz="Europe/Paris") == "?refresh=60&from=2026-01-01&to=now&compare=1"
    )
    assert search_with("?range=7d", None) == ""
    assert as_time_range(store_of(paris)) == paris
    assert as_time_range("7D") == TimeRange.quick("7d")
    for junk in (None, 12, ["30d"], {"start": 1}, {"start": "x", "end": "", "tz": "UTC"}, "forever"):
        assert as_time_range(junk, default="90d") == TimeRange.quick("90d")


def test_words_for_sentences():
    assert TimeRange.quick("30d").during(NOW) == "in the last 30 days"
    assert TimeRange.quick("all").during(NOW) == "over all time"
    assert TimeRange.quick("mtd").during(NOW) == "in this month"
    assert TimeRange.quick("ytd").during(NOW) == "in the year to date"
    assert TimeRange("2026-01-01", "2026-01-31").during(NOW) == "in 2026-01-01 → 2026-01-31"
    assert TimeRange.quick("qtd").label() == "This quarter"
    assert TimeRange("now-1M/M", "now-1M/M").days(NOW) == 30


def test_a_relative_custom_range_is_labelled_with_its_days():
    last_month = TimeRange("now-1M/M", "now-1M/M", "Europe/Paris")
    assert last_month.label(NOW) == "2026-04-01 → 2026-04-30"
    assert last_month.label() == "now-1M/M → now-1M/M"  # without a clock, as typed
    assert TimeRange("now-7d", "now-1d").label(NOW) == "2026-05-07 15:30 → 2026-05-13 15:30"
    assert TimeRange("1767225600000", "now").label(NOW) == "2026-01-01 00:00 → now"
