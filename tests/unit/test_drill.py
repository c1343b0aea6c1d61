"""Drill-down: a clicked point as the grid's URL, and what goes along from the page."""

from urllib.parse import parse_qs, urlsplit

import dash
import pytest

from dashboard.services.drill import grid_query_for
from dashboard.ui.components.drill import drill_href
from tests.components import in_request, load_page


@pytest.mark.parametrize(
    ("chart", "point", "query"),
    [
        ("overview-categories", {"y": "feature", "x": 120000}, {"category": "feature"}),
        ("value", {"x": "2026-02-01", "y": 5}, {"from": "2026-02-01", "to": "2026-02-28"}),
        ("time", {"x": "2028-02-01 00:00"}, {"from": "2028-02-01", "to": "2028-02-29"}),
        (
            "categories",
            {"x": "2026-12-01", "data_name": "bugfix"},
            {"from": "2026-12-01", "to": "2026-12-31", "category": "bugfix"},
        ),
        (
            "categories",
            {"x": "2026-12-01", "data_name": "Other (6 categories)"},
            {"from": "2026-12-01", "to": "2026-12-31"},
        ),
        ("trend", {"x": "2026-03-04 18:20:00", "y": 1e6}, {"from": "2026-03-04", "to": "2026-03-04"}),
        ("skills", {"y": "  Python  ", "x": 4}, {"q": "Python"}),
        ("impact", {"text": "Cut p95 latency", "x": 40, "y": 80}, {"q": "Cut p95 latency"}),
        ("prs", {"text": "PR #12", "x": "2026-01-02"}, {"q": "PR #12"}),
    ],
)
def test_a_click_names_the_rows_behind_it(chart, point, query):
    assert grid_query_for(chart, point) == query


@pytest.mark.parametrize(
    "point",
    [None, [], "x", {}, {"x": "soon"}, {"x": 12}, {"y": "not-a-category"}, {"x": "2026-13-01"}, {"y": ["feature"]}],
)
def test_a_point_that_names_nothing_is_no_jump(point):
    for chart in ("overview-categories", "value", "categories", "trend", "unknown"):
        if chart == "overview-categories" or not isinstance(point, dict) or "y" not in point:
            assert grid_query_for(chart, point) is None


def test_hostile_text_is_cut():
    assert len(grid_query_for("skills", {"y": "é" * 10_000})["q"]) == 200


def test_the_page_s_range_and_filters_go_along_unless_the_click_sets_them(tmp_path):
    load_page("overview", tmp_path)  # an app: the grid's path is relative to its prefix
    href = in_request(drill_href, "overview-categories", {"y": "bugfix"}, "?range=90d&refresh=60&compare=1", "/")
    query = parse_qs(urlsplit(href).query)
    assert urlsplit(href).path == "/achievements"
    assert query == {"range": ["90d"], "compare": ["1"], "category": ["bugfix"], "back": ["/"]}
    # A month is the range now; the page's categories and published-only still apply.
    href = in_request(
        drill_href,
        "value",
        {"x": "2026-05-01"},
        "?range=all&category=feature&category=bugfix&published=1",
        "/analytics",
    )
    query = parse_qs(urlsplit(href).query)
    assert query == {
        "category": ["feature,bugfix"],
        "published": ["1"],
        "from": ["2026-05-01"],
        "to": ["2026-05-31"],
        "back": ["/analytics"],
    }
    assert in_request(drill_href, "value", {"x": "nope"}, "", "/") is None


def test_a_click_that_keeps_categories_filters_the_analytics_page():
    from dashboard.ui.pages.analytics.crossfilter import search_for

    kept = search_for({"categories": ["bugfix"]}, "?range=90d&refresh=60")
    assert kept == "?range=90d&refresh=60&category=bugfix&via=chart"
    assert search_for({"all": True}, kept) == "?range=90d&refresh=60"
    assert search_for({"all": True}, "?range=90d") is dash.no_update  # a filter the person set stays
    for junk in (None, [], {"categories": "bugfix"}, {"categories": ["Other (6 categories)"]}, {"categories": []}):
        assert search_for(junk, "?range=90d") is dash.no_update
    assert search_for({"categories": ["x" * 10_000] * 10_000}, "") is dash.no_update
