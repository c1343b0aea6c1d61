"""The panels' rows and numbers (services.panels), and the menu's cells: stated data in, rows out."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from dashboard.charts.registry import FIGURES
from dashboard.domain.models import Achievement, ContentStats
from dashboard.domain.timerange import TimeRange
from dashboard.services.analytics import Filters
from dashboard.services.panels import PANELS, PanelQuery, panel_params, panel_query, trend_rows
from dashboard.ui.components.panel_menu import cell_text

NOW = datetime(2027, 3, 10, 12, 0, 0)


def achievement(ident: int, *, days_ago: float, value: str) -> Achievement:
    completed = NOW - timedelta(days=days_ago)
    return Achievement(
        id=ident,
        title=f"Win {ident}",
        category="feature",
        started_at=completed - timedelta(hours=3),
        completed_at=completed,
        impact_score=60,
        business_value=value,
    )


ITEMS = [
    achievement(1, days_ago=2, value="$1,000"),
    achievement(2, days_ago=5, value="$500"),
    achievement(3, days_ago=40, value="$300"),  # in the previous 30 days
    achievement(4, days_ago=3, value="about a week of work"),  # no readable amount
]


def query(key: str = "30d", compare: bool = False, tz: str = "UTC") -> PanelQuery:
    return PanelQuery(Filters(time_range=TimeRange.quick(key, tz, compare)), NOW, "USD")


def test_a_kpis_rows_are_its_number_this_period_and_the_previous_one():
    rows = PANELS["kpi-value"].rows(ITEMS, query())
    assert [(r["period"], r["value"]) for r in rows] == [("this period", 1500.0), ("previous period", 300.0)]
    assert rows[0]["from"] == NOW - timedelta(days=30) and rows[0]["to"] == NOW
    numbers = PANELS["kpi-value"].numbers(ITEMS, query())
    assert numbers.text == "$1.5k" and numbers.change.startswith("▲ 400% vs previous 30 days")
    assert PANELS["kpi-completed"].numbers(ITEMS, query()).value == 3.0


def test_an_unknown_number_is_a_dash_never_a_zero():
    unreadable = [achievement(9, days_ago=1, value="a lot")]
    numbers = PANELS["kpi-value"].numbers(unreadable, query())
    assert numbers.value is None and numbers.text == "—"
    assert PANELS["kpi-impact"].numbers([], query()).text == "—"


def test_the_trend_with_compare_has_the_previous_period_moved_onto_this_one():
    rows = trend_rows(ITEMS, query(compare=True))
    current = [r for r in rows if r["series"] == "this period"]
    previous = [r for r in rows if r["series"] == "previous period"]
    assert [r["cumulative_value"] for r in current] == [500.0, 500.0, 1500.0]  # the unreadable adds 0
    assert [r["cumulative_value"] for r in previous] == [300.0]
    assert previous[0]["completed_at"] == NOW - timedelta(days=10)  # 40 days ago, moved 30 days on
    figure = FIGURES["value-trend"](rows)
    assert [trace.name for trace in figure.data if trace.name] and len(figure.data) >= 2


def test_the_trend_is_drawn_in_the_ranges_zone():
    rows = trend_rows(ITEMS, query(tz="Asia/Tokyo"))
    assert rows[0]["completed_at"] == NOW - timedelta(days=5) + timedelta(hours=9)


def test_value_this_month_counts_from_the_first_of_the_month_in_the_ranges_zone():
    numbers = PANELS["kpi-value-month"].numbers(ITEMS, query())
    assert numbers.value == 1500.0 and numbers.change == "since Mar 1 · 3 completed, 1 with no readable amount"


def test_the_pipeline_says_its_posts_by_status():
    stats = ContentStats(
        total_posts=10, draft_count=4, scheduled_count=2, published_count=3, ready_count=1, failed_count=0
    )
    numbers = PANELS["kpi-pipeline"].numbers(stats, query())
    assert numbers.text == "4 drafts · 2 scheduled · 3 published" and numbers.value is None
    assert {r["status"]: r["posts"] for r in PANELS["kpi-pipeline"].rows(stats, query())}["all"] == 10


def test_params_always_name_the_range_and_only_analytics_charts_their_filters():
    overview, _ = panel_query(PANELS["value-trend"], {"category": "bugfix"}, NOW, currency="USD", tz="UTC")
    assert panel_params(PANELS["value-trend"], overview, "UTC") == {"range": "30d"}
    analytics = PANELS["analytics-categories"]
    filtered, problems = panel_query(
        analytics, {"category": "bugfix", "tz": "Europe/Paris"}, NOW, currency="USD", tz="UTC"
    )
    assert problems == []
    assert panel_params(analytics, filtered, "UTC") == {"range": "365d", "tz": "Europe/Paris", "category": ["bugfix"]}


@pytest.mark.parametrize(
    "value, text",
    [
        (None, "—"),
        ("", "—"),
        (63.8, "63.8"),
        (74.0, "74"),
        (1290.8, "1,290.8"),
        (12000, "12,000"),
        (True, "yes"),
        (datetime(2027, 3, 1, 9, 5), "2027-03-01 09:05"),
        (["python", "redis"], "python, redis"),
    ],
)
def test_a_cell_reads_as_a_person_reads_it(value, text):
    assert cell_text(value) == text
