"""The Analytics filters: URL parameters (the navbar's range among them), the URL they write, the selection."""

from datetime import datetime, timedelta

import pytest

from dashboard.domain.models import CATEGORIES, Achievement
from dashboard.domain.timerange import TimeRange
from dashboard.services.analytics import (
    DEFAULT_RANGE,
    FILTER_KEYS,
    Filters,
    apply_filters,
    controls_query,
    merge_search,
    parse_filters,
    previous_period,
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


def q(key: str) -> TimeRange:
    return TimeRange.quick(key)


def days(first: str, last: str) -> TimeRange:
    return TimeRange(first, last)


def test_no_parameters_is_the_default_view_without_problems():
    assert parse_filters({}, NOW) == (Filters(), [])
    assert Filters().time_range == q(DEFAULT_RANGE)
    assert Filters().query() == {}


@pytest.mark.parametrize("key", ["30d", "90d", "180d", "365d", "mtd", "qtd", "ytd", "all"])
def test_every_quick_range_round_trips_through_the_url(key):
    filters, problems = parse_filters({"range": key.upper()}, NOW)
    assert problems == [] and filters.time_range == q(key)
    assert parse_filters(filters.query(), NOW) == (filters, [])


def test_full_query_as_dash_passes_it():
    filters, problems = parse_filters(
        {"range": "90d", "category": ["bugfix", "Feature"], "published": "1", "refresh": "60"}, NOW
    )
    assert problems == []
    # Canonical order is the collector's category order, whatever the URL's order.
    assert filters == Filters(time_range=q("90d"), categories=("feature", "bugfix"), published_only=True)
    assert filters.query() == {"range": "90d", "category": ["feature", "bugfix"], "published": "1"}


def test_comma_separated_categories_read_like_repeated_ones():
    assert (
        parse_filters({"category": "bugfix,feature"}, NOW)[0].categories
        == parse_filters({"category": ["feature", "bugfix"]}, NOW)[0].categories
        == ("feature", "bugfix")
    )


def test_from_and_to_win_over_a_quick_range():
    filters, problems = parse_filters({"from": "2026-01-01", "to": "2026-06-30", "range": "30d"}, NOW)
    assert filters.time_range == days("2026-01-01", "2026-06-30") and problems == []
    assert filters.query() == {"from": "2026-01-01", "to": "2026-06-30"}
    assert filters.window(NOW) == (datetime(2026, 1, 1), datetime(2026, 7, 1))


def test_an_open_ended_range():
    filters, problems = parse_filters({"from": "2026-03-01"}, NOW)
    assert problems == []
    assert filters.window(NOW) == (datetime(2026, 3, 1), None)


def test_a_reversed_range_is_swapped_and_said():
    filters, problems = parse_filters({"from": "2026-06-30", "to": "2026-01-01"}, NOW)
    assert filters.time_range == days("2026-01-01", "2026-06-30")
    assert problems == ["from was after to: swapped, showing 2026-01-01 → 2026-06-30."]


@pytest.mark.parametrize(
    ("query", "message", "shown"),
    [
        ({"range": "fortnight"}, "Unknown range 'fortnight'", Filters()),
        ({"from": "2026-13-01"}, "'2026-13-01' is not a time", Filters()),
        ({"to": "yesterday"}, "'yesterday' is not a time", Filters()),
        ({"from": "01/31/2026"}, "'01/31/2026' is not a time", Filters()),
        ({"tz": "Mars/Olympus"}, "'Mars/Olympus' is not a time zone", Filters()),
        ({"category": ["bugfix", "nope"]}, "Unknown category 'nope'", Filters(categories=("bugfix",))),
        ({"published": "maybe"}, "published='maybe' is not yes or no", Filters()),
    ],
)
def test_a_bad_parameter_is_explained_and_ignored(query, message, shown):
    filters, problems = parse_filters(query, NOW)
    assert len(problems) == 1 and message in problems[0], problems
    assert filters == shown


def test_a_repeated_parameter_uses_the_first_and_says_so():
    filters, problems = parse_filters({"range": ["90d", "30d"]}, NOW)
    assert filters.time_range == q("90d")
    assert problems == ["range is given 2 times: using the first, '90d'."]


def test_the_accepted_values_are_named_and_long_input_is_cut():
    _, problems = parse_filters({"range": "x" * 500, "category": "nope"}, NOW)
    assert "Accepted: 7d, 30d, 90d, 180d, 365d, mtd, qtd, ytd, all, or from/to" in problems[0]
    assert len(problems[0]) < 200
    assert "Accepted: " + ", ".join(CATEGORIES) in problems[1]


@pytest.mark.parametrize("raw", ["0", "false", "no", "off", ""])
def test_published_off(raw):
    assert parse_filters({"published": raw}, NOW) == (Filters(), [])


def test_windows_of_the_quick_ranges():
    assert Filters(time_range=q("30d")).window(NOW) == (NOW - timedelta(days=30), None)
    assert Filters(time_range=q("ytd")).window(NOW) == (datetime(2026, 1, 1), None)
    assert Filters(time_range=q("all")).window(NOW) == (None, None)
    assert Filters(time_range=days("2026-01-01", "2026-01-31")).window(NOW) == (
        datetime(2026, 1, 1),
        datetime(2026, 2, 1),
    )


def test_apply_filters_selects_by_date_category_and_published_oldest_first():
    jan_last = make(1, datetime(2026, 1, 31, 23, 59), category="bugfix", published=True)
    feb_first = make(2, datetime(2026, 2, 1, 0, 0), category="bugfix", published=True)
    jan_first = make(3, datetime(2026, 1, 1, 0, 0), category="feature")
    december = make(4, datetime(2025, 12, 31, 23, 59), category="bugfix", published=True)
    items = [feb_first, jan_last, jan_first, december]
    january = Filters(time_range=days("2026-01-01", "2026-01-31"))
    assert apply_filters(items, january, NOW) == [jan_first, jan_last]
    published_bugfixes = Filters(time_range=q("all"), categories=("bugfix",), published_only=True)
    assert apply_filters(items, published_bugfixes, NOW) == [december, jan_last, feb_first]
    assert apply_filters(items, Filters(time_range=q("30d")), NOW) == []
    assert apply_filters([], Filters(), NOW) == []


def test_a_zone_moves_the_midnights():
    paris = Filters(time_range=TimeRange("2026-01-01", "2026-01-31", "Europe/Paris"))
    late_new_year = make(1, datetime(2025, 12, 31, 23, 30))  # 00:30 on 1 January in Paris
    assert apply_filters([late_new_year], paris, NOW) == [late_new_year]
    assert apply_filters([late_new_year], Filters(time_range=days("2026-01-01", "2026-01-31")), NOW) == []
    assert paris.query() == {"from": "2026-01-01", "to": "2026-01-31", "tz": "Europe/Paris"}


def test_controls_query_keeps_the_range_the_page_shows():
    shown = {"from": "2026-01-01", "to": "2026-02-01", "category": ["x"], "refresh": "60"}
    assert controls_query(shown, ["bugfix"], True) == {
        "from": "2026-01-01",
        "to": "2026-02-01",
        "category": ["bugfix"],
        "published": "1",
    }
    assert controls_query({}, [], False) == {}


def test_merge_search_replaces_only_this_pages_parameters():
    search = "?refresh=60&range=7d&category=x&kiosk=1"
    merged = merge_search(search, {"range": "90d", "category": ["feature", "bugfix"]})
    assert merged == "?refresh=60&kiosk=1&range=90d&category=feature&category=bugfix"
    assert merge_search(None, {}) == ""
    assert merge_search("?range=all", {}) == ""
    assert set(FILTER_KEYS) == {"range", "from", "to", "tz", "compare", "category", "published", "via"}


def test_query_from_search_reads_like_dash_does():
    query = query_from_search("?range=90d&category=a&category=b&published=")
    assert query == {"range": "90d", "category": ["a", "b"], "published": ""}
    assert query_from_search("") == {} and query_from_search(None) == {}
    filters = Filters(time_range=TimeRange("2026-01-01", ""), categories=("bugfix",), published_only=True)
    assert parse_filters(query_from_search(merge_search("?refresh=9", filters.query())), NOW) == (filters, [])


def test_describe():
    assert Filters().describe() == "Last 12 months · all categories"
    custom = Filters(time_range=TimeRange("2026-01-01", ""), categories=("feature", "bugfix"), published_only=True)
    assert custom.describe() == "2026-01-01 → now · feature, bugfix · published only"


def test_compare_moves_the_previous_period_onto_this_one():
    march = make(1, datetime(2026, 3, 10), category="bugfix")
    april = make(2, datetime(2026, 4, 10), category="bugfix")
    feature = make(3, datetime(2026, 3, 12), category="feature")
    spring = Filters(time_range=TimeRange("2026-04-01", "2026-04-30", compare=True), categories=("bugfix",))
    moved = previous_period([march, april, feature], spring, NOW)
    assert [(a.id, a.completed_at) for a in moved] == [(1, datetime(2026, 4, 9))]  # 30 days on: same filters
    assert previous_period([march], Filters(time_range=TimeRange("2026-04-01", "2026-04-30")), NOW) is None
    assert previous_period([march], Filters(time_range=TimeRange.quick("all", compare=True)), NOW) is None
