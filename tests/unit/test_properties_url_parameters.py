"""Property tests of the URL-parameter parsers (issue 6): any query string gives a value the page
can use and, for a bad parameter, a message saying what was wrong; never an exception.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlencode

from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain import kpis
from dashboard.domain.models import CATEGORIES
from dashboard.domain.timerange import QUICK, parse_time_range, search_with
from dashboard.services import analytics, system, wallboard
from dashboard.services.analytics import filters as analytics_filters
from tests.unit.test_properties_common import covers, examples, url_text

# What Dash passes a layout: a string per parameter, a list of strings when it is repeated.
query_value = st.one_of(url_text, st.lists(url_text, min_size=2, max_size=3))
dates = st.one_of(
    st.dates().map(date.isoformat),
    st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "2026-1-1", "２０２６-01-01", "20260101"]),
)
analytics_queries = st.dictionaries(
    st.sampled_from(list(analytics.FILTER_KEYS) + ["refresh", "kiosk", "other"]),
    st.one_of(
        query_value,
        dates,
        st.sampled_from(
            [*QUICK, "custom", " 90D ", "now-30d", "now/M", "now-1M/M", "now+1d", "now-99999y", "1767225600000"]
        ),
        st.sampled_from(["UTC", "Europe/Paris", "America/New_York", "Mars/Olympus", "../../etc/passwd"]),
        st.lists(st.sampled_from(CATEGORIES + ("nope",)), max_size=4).map(",".join),
    ),
    max_size=6,
)
NOW = datetime(2026, 3, 15, 12, 0)


@given(analytics_queries)
@examples(400)
@covers(
    "dashboard.services.analytics.parse_filters",
    "dashboard.services.analytics.Filters.window",
    "dashboard.services.analytics.Filters.describe",
    "dashboard.services.analytics.apply_filters",
)
def test_analytics_filters_from_any_query(query):
    filters, problems = analytics.parse_filters(query, NOW)
    filters.time_range.resolve(NOW)  # the range the page keeps is one it can draw
    assert set(filters.categories) <= set(CATEGORIES)
    assert isinstance(filters.published_only, bool)
    assert all(isinstance(p, str) and p.strip() for p in problems)
    start, end = filters.window(NOW)  # ?to=9999-12-31 must not overflow when the page draws
    assert start is None or end is None or start <= end
    assert filters.describe().strip()
    assert analytics.apply_filters([], filters, NOW) == []
    # The canonical query reads back as the same filters, with nothing to complain about.
    again, again_problems = analytics.parse_filters(filters.query(), NOW)
    assert again == filters and again_problems == []


@given(st.dictionaries(st.sampled_from(["range", "from", "to", "published"]), url_text, min_size=1))
@examples(200)
@covers("dashboard.services.analytics.parse_filters")
def test_a_bad_parameter_is_explained(query):
    filters, problems = analytics.parse_filters(query, NOW)
    if filters == analytics.Filters() and any(v.strip() for v in query.values()):
        known = {"range": list(QUICK), "published": list(analytics_filters._FALSE), "from": ["now-365d"], "to": ["now"]}
        explained = [k for k, v in query.items() if v.strip() and v.strip().lower() not in known.get(k, [])]
        if explained:
            assert problems, query


@given(st.text(max_size=80), analytics_queries)
@examples(200)
@covers("dashboard.services.analytics.merge_search", "dashboard.services.analytics.query_from_search")
def test_search_strings_round_trip(search, query):
    merged = analytics.merge_search(search, query)
    assert merged == "" or merged.startswith("?")
    parsed = analytics.query_from_search(merged)
    for key in analytics.FILTER_KEYS:
        if key in query and analytics_filters._values(query[key]):
            got = parsed.get(key)
            assert analytics_filters._values(got) == analytics_filters._values(query[key])


@given(st.one_of(st.none(), url_text, st.sampled_from(list(kpis.RANGES) + [" 7D ", "all "])))
@examples(200)
@covers("dashboard.domain.kpis.parse_range")
def test_overview_range(raw):
    key, problem = kpis.parse_range(raw)
    assert key in kpis.RANGES
    window = kpis.window_for(key, NOW)
    assert window.contains(NOW)  # a preset runs from its start on: now is in it, not its end
    if raw not in (None, "") and str(raw).strip().lower() not in kpis.RANGES:
        assert problem and "Accepted" in problem
    else:
        assert problem is None


@given(
    st.one_of(
        st.none(),
        url_text,
        st.floats().map(str),
        st.integers().map(str),
        st.sampled_from(["1e400", "-0", "nan", "inf", "4.9", "5", "3600.4", "١٠"]),
    )
)
@examples(300)
@covers("dashboard.services.system.parse_refresh")
def test_refresh_seconds_are_clamped(raw):
    seconds, problem = system.parse_refresh(raw)
    assert isinstance(seconds, int)
    assert system.REFRESH_FLOOR_SECONDS <= seconds <= system.MAX_REFRESH_SECONDS or (
        problem is None and raw in (None, "") or str(raw).strip() == ""
    )
    assert problem is None or "refresh=" in problem


views_text = st.one_of(
    st.none(),
    url_text,
    st.lists(
        st.tuples(
            st.sampled_from(list(wallboard.VIEWS) + ["nope", "OVERVIEW"]),
            st.one_of(st.integers(-10, 4000).map(str), url_text),
            st.one_of(st.just(None), st.sampled_from(list(kpis.RANGES) + ["x"])),
        ),
        max_size=5,
    ).map(lambda items: ",".join(":".join(p for p in (v, s, r) if p is not None) for v, s, r in items)),
    st.lists(url_text, min_size=2, max_size=3),  # ?views=a&views=b
)


@given(views_text)
@examples(300)
@covers("dashboard.services.wallboard.parse_views")
def test_wallboard_playlist_always_plays(text):
    playlist = wallboard.parse_views(text)
    assert playlist.views, "a wallboard never goes blank"
    for view in playlist.views:
        assert view.view in wallboard.VIEWS
        assert wallboard.MIN_SECONDS <= view.seconds <= wallboard.MAX_SECONDS
        assert view.range is None or view.range in kpis.RANGES
    assert all(isinstance(p, str) and p.strip() for p in playlist.problems)


@given(
    st.dictionaries(
        st.text(max_size=8),
        st.one_of(
            st.none(),
            st.text(max_size=10),
            st.integers(),
            st.fixed_dictionaries(
                {},
                optional={
                    "title": st.one_of(st.none(), st.text(max_size=8), st.integers()),
                    "views": st.one_of(
                        st.none(),
                        st.lists(
                            st.one_of(
                                st.fixed_dictionaries(
                                    {},
                                    optional={
                                        "view": st.one_of(st.sampled_from(wallboard.VIEWS), st.text(max_size=5)),
                                        "seconds": st.one_of(st.integers(-5, 5000), st.text(max_size=4)),
                                        "range": st.one_of(st.none(), st.sampled_from(list(kpis.RANGES))),
                                    },
                                ),
                                st.integers(),
                                st.text(max_size=4),
                            ),
                            max_size=3,
                        ),
                        st.integers(),
                    ),
                },
            ),
        ),
        max_size=3,
    )
)
@examples(150)
@covers("dashboard.services.wallboard.load_profiles")
def test_wallboard_profiles_file_of_any_shape(tmp_path_factory, data):
    import yaml

    path = tmp_path_factory.mktemp("profiles") / "wallboards.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    try:
        profiles = wallboard.load_profiles(path)
    except ValueError as exc:  # a file that is not a mapping of profiles is refused, with the reason
        assert "wallboards" in str(exc) or str(exc).strip()
        return
    for name, playlist in profiles.items():
        assert isinstance(name, str) and isinstance(playlist.title, str)
        assert playlist.views, "a profile with no playable view would blank the screen"
        assert all(v.view in wallboard.VIEWS for v in playlist.views)


def test_default_profiles_file_is_clean():
    profiles = wallboard.load_profiles()
    assert profiles and all(not p.problems and p.views for p in profiles.values())


def test_query_strings_survive_urlencode():
    # The overview keeps refresh/kiosk/screen in its range links: they must encode.
    assert urlencode({"refresh": "٣٠", "screen": "lobby tv"})


bounds = st.one_of(
    url_text,
    dates,
    st.from_regex(r"now([+-][0-9]{1,7}[mhdwMQy])?(/[dwMQy])?", fullmatch=True),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["all", "now", "2026-03-29T02:30", "2026-10-25 02:30", "2026-01-01T00:00Z", "9999-12-31T23:59"]),
)


@given(
    st.dictionaries(
        st.sampled_from(["range", "from", "to", "tz", "compare"]),
        st.one_of(bounds, st.sampled_from(["UTC", "Europe/Paris", "Asia/Kolkata", "Mars/Olympus", "../x", "1"])),
    ),
    st.sampled_from(["UTC", "Pacific/Chatham", "America/Sao_Paulo"]),
)
@examples(400)
@covers("dashboard.domain.timerange.parse_time_range", "dashboard.domain.timerange.TimeRange.resolve")
def test_any_time_range_query_gives_a_range_that_resolves(query, configured):
    shown, problem = parse_time_range(query, NOW, default="30d", default_tz=configured)
    current = shown.resolve(NOW)  # never raises for what parse_time_range returns
    assert current.start is None or current.end is None or current.start < current.end
    assert shown.label().strip() and shown.during(NOW).strip()
    assert problem is None or (problem.strip() and len(problem) < 400)
    # What the picker writes back reads as the same range, with nothing to say.
    again, again_problem = parse_time_range(
        analytics.query_from_search(search_with("", shown, configured)), NOW, default="30d", default_tz=configured
    )
    assert again.resolve(NOW) == current and again_problem is None
