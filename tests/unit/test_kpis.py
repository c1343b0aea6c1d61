from datetime import datetime, timedelta

import pytest

from dashboard.domain.kpis import (
    DEFAULT_RANGE,
    by_category,
    cumulative_value,
    newest,
    overview_kpis,
    parse_range,
    window_for,
)
from dashboard.domain.models import Achievement

NOW = datetime(2026, 11, 25, 12, 0, 0)


def make(id, days_ago, value, *, category="feature", impact=50.0, published=False):
    done = NOW - timedelta(days=days_ago)
    return Achievement(
        id=id,
        title=f"a{id}",
        category=category,
        started_at=done - timedelta(days=1),
        completed_at=done,
        business_value=value,
        impact_score=impact,
        portfolio_ready=published,
    )


ITEMS = [
    make(1, 1, '{"total_value": 1000, "currency": "USD"}', impact=80, published=True),
    make(2, 3, "$2,500 annual value", category="bugfix", impact=60),
    make(3, 6, None, category="bugfix", impact=40),
    make(4, 8, "500", impact=20, published=True),  # previous 7-day period
    make(5, 13, "nonsense", impact=10),  # previous period, unparseable value
    make(6, 400, "9999"),  # outside 365d
]


def test_parse_range():
    assert parse_range(None) == (DEFAULT_RANGE, None)
    assert parse_range("ALL") == ("all", None)
    key, problem = parse_range("2w")
    assert key == DEFAULT_RANGE
    assert "2w" in problem and "7d, 30d, 90d, 365d, all" in problem


def test_kpis_in_range_and_previous_period():
    kpis = overview_kpis(ITEMS, window_for("7d", NOW))
    assert kpis.total_value.value == 3500.0
    assert kpis.total_value.previous == 500.0
    assert kpis.total_value.change_pct == pytest.approx(600.0)
    assert kpis.completed.value == 3 and kpis.completed.previous == 2
    assert kpis.avg_impact.value == pytest.approx(60.0)
    assert kpis.avg_impact.previous == pytest.approx(15.0)
    assert kpis.published.value == 1 and kpis.published.previous == 1
    assert kpis.unvalued == 1


def test_all_time_has_no_previous_period():
    kpis = overview_kpis(ITEMS, window_for("all", NOW))
    assert kpis.total_value.value == 1000 + 2500 + 500 + 9999
    assert kpis.completed.value == 6
    assert kpis.total_value.previous is None and kpis.total_value.change_pct is None


def test_empty_range():
    kpis = overview_kpis([], window_for("30d", NOW))
    assert kpis.total_value.value == 0.0 and kpis.avg_impact.value is None
    assert kpis.total_value.change_pct is None  # previous is 0: no percentage


def test_cumulative_value_is_a_running_total_in_time_order():
    points = cumulative_value(ITEMS, window_for("30d", NOW))
    assert [p[1] for p in points] == [0.0, 500.0, 500.0, 3000.0, 4000.0]
    assert [p[0] for p in points] == sorted(p[0] for p in points)


def test_by_category_orders_by_value():
    rows = by_category(ITEMS, window_for("7d", NOW))
    assert [(r.category, r.count, r.value) for r in rows] == [("bugfix", 2, 2500.0), ("feature", 1, 1000.0)]


def test_newest():
    assert [a.id for a in newest(ITEMS, 2)] == [1, 2]


def test_currencies_are_kept_apart_and_unreadable_amounts_counted():
    items = [
        make(10, 1, "Cut latency 35%, about $102,500/yr in compute"),
        make(11, 2, "45.000 EUR", category="bugfix"),
        make(12, 2, "Unblocked the Q3 roadmap"),
        make(13, 3, "$10-15K", category="bugfix"),
    ]
    window = window_for("7d", NOW)
    kpis = overview_kpis(items, window)
    assert kpis.total_value.value == 112_500  # never 35 + 3, never + 45,000 EUR
    assert kpis.money.other == {"EUR": 45_000} and kpis.money.other_text() == "+ €45,000 not converted"
    assert (kpis.unvalued, kpis.money.ranges) == (1, 1)
    assert [r.value for r in by_category(items, window)] == [102_500, 10_000]  # EUR not in bugfix's value
    assert cumulative_value(items, window)[-1][1] == 112_500
    in_euros = overview_kpis(items, window, "EUR")
    assert in_euros.total_value.value == 45_000 and in_euros.money.other == {"USD": 112_500}
