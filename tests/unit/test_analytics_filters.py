"""The Analytics filters: URL parameters, control values, the URL they write, the selection."""

from datetime import date, datetime, timedelta

import pytest

from dashboard.domain.models import CATEGORIES, Achievement
from dashboard.services.analytics import (
    DEFAULT_RANGE,
    FILTER_KEYS,
    Filters,
    apply_filters,
    controls_query,
    merge_search,
    parse_filters,
    query_from_search,
)

NOW = datetime(2026, 11, 25, 12, 0, 0)


def make(id, completed, *, category="feature", published=False):
    return Achievement(
        id=id,
        title=f"a{id}",
        category=category,
        started_at=completed - timedelta(hours=3),
        completed_at=completed,
        portfolio_ready=published,
    )


def test_no_parameters_is_the_default_view_without_problems():
    assert parse_filters({}) == (Filters(), [])
    assert Filters().range_key == DEFAULT_RANGE
    assert Filters().query() == {}


@pytest.mark.parametrize("key", ["30d", "90d", "180d", "365d", "ytd", "all"])
def test_every_preset_round_trips_through_the_url(key):
    filters, problems = parse_filters({"range": key.upper()})
    assert problems == [] and filters.range_key == key
    assert parse_filters(filters.query()) == (filters, [])


def test_full_query_as_dash_passes_it():
    filters, problems = parse_filters(
        {"range": "90d", "category": ["bugfix", "Feature"], "published": "1", "refresh": "60"}
    )
    assert problems == []
    # Canonical order is the collector's category order, whatever the URL's order.
    assert filters == Filters(range_key="90d", categories=("feature", "bugfix"), published_only=True)
    assert filters.query() == {"range": "90d", "category": ["feature", "bugfix"], "published": "1"}


def test_comma_separated_categories_read_like_repeated_ones():
    assert (
        parse_filters({"category": "bugfix,feature"})[0].categories
        == parse_filters({"category": ["feature", "bugfix"]})[0].categories
        == ("feature", "bugfix")
    )


def test_custom_dates_win_over_a_preset_and_say_so():
    filters, problems = parse_filters({"from": "2026-01-01", "to": "2026-06-30", "range": "30d"})
    assert filters.range_key == "custom"
    assert (filters.start, filters.end) == (date(2026, 1, 1), date(2026, 6, 30))
    assert problems == ["range=30d ignored: the from/to dates are used."]
    assert filters.query() == {"from": "2026-01-01", "to": "2026-06-30"}


def test_an_open_ended_custom_range():
    filters, problems = parse_filters({"from": "2026-03-01"})
    assert problems == [] and filters.range_key == "custom" and filters.end is None
    assert filters.window(NOW) == (datetime(2026, 3, 1), None)


@pytest.mark.parametrize(
    ("query", "message", "shown"),
    [
        ({"range": "fortnight"}, "Unknown range 'fortnight'", Filters()),
        ({"from": "2026-13-01"}, "from='2026-13-01' is not a date", Filters()),
        ({"to": "yesterday"}, "to='yesterday' is not a date", Filters()),
        ({"from": "20260101"}, "from='20260101' is not a date", Filters()),
        ({"from": "2026-06-30", "to": "2026-01-01"}, "from=2026-06-30 is after to=2026-01-01", Filters()),
        ({"category": ["bugfix", "nope"]}, "Unknown category 'nope'", Filters(categories=("bugfix",))),
        ({"published": "maybe"}, "published='maybe' is not yes or no", Filters()),
        ({"range": ["90d", "30d"]}, "range is given 2 times: using the first, '90d'", Filters(range_key="90d")),
        ({"range": "custom"}, "A custom range needs a from and/or a to date", Filters()),
    ],
)
def test_a_bad_parameter_is_explained_and_ignored(query, message, shown):
    filters, problems = parse_filters(query)
    assert len(problems) == 1 and message in problems[0]
    assert filters == shown


def test_the_accepted_values_are_named_and_long_input_is_cut():
    _, problems = parse_filters({"range": "x" * 500, "category": "nope"})
    assert "Accepted: 30d, 90d, 180d, 365d, ytd, all" in problems[0]
    assert len(problems[0]) < 200
    assert "Accepted: " + ", ".join(CATEGORIES) in problems[1]


@pytest.mark.parametrize("raw", ["0", "false", "no", "off", ""])
def test_published_off(raw):
    assert parse_filters({"published": raw}) == (Filters(), [])


def test_windows_of_the_presets():
    assert Filters(range_key="30d").window(NOW) == (NOW - timedelta(days=30), None)
    assert Filters(range_key="ytd").window(NOW) == (datetime(2026, 1, 1), None)
    assert Filters(range_key="all").window(NOW) == (None, None)
    custom = Filters(range_key="custom", start=date(2026, 1, 1), end=date(2026, 1, 31))
    assert custom.window(NOW) == (datetime(2026, 1, 1), datetime(2026, 2, 1))


def test_apply_filters_selects_by_date_category_and_published_oldest_first():
    jan_last = make(1, datetime(2026, 1, 31, 23, 59), category="bugfix", published=True)
    feb_first = make(2, datetime(2026, 2, 1, 0, 0), category="bugfix", published=True)
    jan_first = make(3, datetime(2026, 1, 1, 0, 0), category="feature")
    december = make(4, datetime(2025, 12, 31, 23, 59), category="bugfix", published=True)
    items = [feb_first, jan_last, jan_first, december]
    january = Filters(range_key="custom", start=date(2026, 1, 1), end=date(2026, 1, 31))
    assert apply_filters(items, january, NOW) == [jan_first, jan_last]
    published_bugfixes = Filters(range_key="all", categories=("bugfix",), published_only=True)
    assert apply_filters(items, published_bugfixes, NOW) == [december, jan_last, feb_first]
    assert apply_filters(items, Filters(range_key="30d"), NOW) == []
    assert apply_filters([], Filters(), NOW) == []


def test_controls_query_picks_a_preset_or_typed_dates():
    assert controls_query("90d", "2026-01-01", None, ["bugfix"], True) == {
        "range": "90d",
        "category": ["bugfix"],
        "published": "1",
    }
    # Typing a date means a custom range, whatever preset was on.
    typed = controls_query("90d", "2026-01-01", "2026-02-01", [], False, dates_changed=True)
    custom = Filters(range_key="custom", start=date(2026, 1, 1), end=date(2026, 2, 1))
    assert parse_filters(typed) == (custom, [])
    # "Custom" picked before any date: nothing to apply yet, and the page says why.
    filters, problems = parse_filters(controls_query("custom", None, None, [], False))
    assert problems and "needs a from and/or a to date" in problems[0]
    # Both dates cleared: back to the default range.
    cleared = controls_query("custom", None, None, [], False, dates_changed=True)
    assert parse_filters(cleared) == (Filters(), [])


def test_merge_search_replaces_only_this_pages_parameters():
    search = "?refresh=60&range=7d&category=x&kiosk=1"
    merged = merge_search(search, {"range": "90d", "category": ["feature", "bugfix"]})
    assert merged == "?refresh=60&kiosk=1&range=90d&category=feature&category=bugfix"
    assert merge_search(None, {}) == ""
    assert merge_search("?range=all", {}) == ""
    assert set(FILTER_KEYS) == {"range", "from", "to", "category", "published"}


def test_query_from_search_reads_like_dash_does():
    query = query_from_search("?range=90d&category=a&category=b&published=")
    assert query == {"range": "90d", "category": ["a", "b"], "published": ""}
    assert query_from_search("") == {} and query_from_search(None) == {}
    filters = Filters(range_key="custom", start=date(2026, 1, 1), categories=("bugfix",), published_only=True)
    assert parse_filters(query_from_search(merge_search("?refresh=9", filters.query()))) == (filters, [])


def test_describe():
    assert Filters().describe() == "Last 12 months · all categories"
    custom = Filters(range_key="custom", start=date(2026, 1, 1), categories=("feature", "bugfix"), published_only=True)
    assert custom.describe() == "2026-01-01 to … · feature, bugfix · published only"
