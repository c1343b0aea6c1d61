"""The Highlights screen's builder: stated achievements in, the figures and lists a TV shows out."""

from __future__ import annotations

from datetime import datetime, timedelta

from dash import html

from dashboard.domain.models import Achievement, Fresh
from dashboard.ui.pages.highlights import ids
from dashboard.ui.pages.highlights.view import LATEST_WINS, TOP_CATEGORIES, build_highlights

NOW = datetime(2027, 3, 10, 12, 0, 0)  # ten days into a month, so "this month" differs from "30 days"


def achievement(ident: int, *, days_ago: float, value, category: str = "feature") -> Achievement:
    completed = NOW - timedelta(days=days_ago)
    return Achievement(
        id=ident,
        title=f"Win {ident}",
        category=category,
        started_at=completed - timedelta(hours=3),
        completed_at=completed,
        impact_score=60,
        business_value=value,
    )


def texts(component) -> list[str]:
    """Every string in a component tree, in order."""
    if isinstance(component, str):
        return [component]
    if isinstance(component, (list, tuple)):
        return [t for child in component for t in texts(child)]
    children = getattr(component, "children", None)
    return texts(children) if children is not None else []


def fresh(items) -> Fresh:
    return Fresh(value=items, fetched_at=NOW)


ITEMS = [
    achievement(1, days_ago=2, value="$10,000", category="bugfix"),  # this month and in 30 days
    achievement(2, days_ago=15, value="saved $40k/yr", category="infrastructure"),  # 30 days, last month
    achievement(3, days_ago=20, value="Unblocked the roadmap", category="feature"),  # no readable amount
    achievement(4, days_ago=45, value="$5,000", category="feature"),  # the previous 30 days
]


def test_the_figures_are_the_period_the_calendar_month_and_the_count():
    shown = build_highlights(fresh(ITEMS), "30d", now=NOW)
    assert shown["values"] == {ids.VALUE: "$50k", ids.MONTH: "$10k", ids.COMPLETED: "3"}
    assert shown["deltas"][ids.VALUE] == "▲ 900% vs previous 30 days"
    assert shown["deltas"][ids.MONTH] == "since Mar 1 · 1 completed"
    assert shown["delta_classes"][ids.VALUE] == "kpi-delta up"


def test_top_categories_are_ordered_by_value_with_bars_relative_to_the_first():
    rows = build_highlights(fresh(ITEMS), "30d", now=NOW)["categories"]
    assert [texts(row)[0] for row in rows] == ["infrastructure", "bugfix", "feature"]
    fills = [row.children[1].children.style["width"] for row in rows]
    assert fills == ["100.0%", "25.0%", "1.0%"]  # a category with no readable value still shows a sliver


def test_latest_wins_are_the_newest_with_their_values_and_an_unknown_one_is_a_dash():
    latest = build_highlights(fresh(ITEMS), "7d", now=NOW)["latest"]
    words = [texts(win) for win in latest]
    assert [w[0] for w in words] == ["Win 1", "Win 2", "Win 3", "Win 4"]
    assert words[0][-1] == "$10k" and words[2][-1] == "—"
    assert " · before this period" in words[1]  # 15 days ago is outside the last 7 days


def test_the_lists_are_bounded_whatever_the_number_of_achievements():
    many = [
        achievement(i, days_ago=i % 25, value=f"${i},000", category=c)
        for i, c in enumerate(["feature", "bugfix", "testing", "security", "business", "content", "milestone"] * 40)
    ]
    shown = build_highlights(fresh(many), "30d", now=NOW)
    assert len(shown["categories"]) == TOP_CATEGORIES and len(shown["latest"]) == LATEST_WINS


def test_nothing_read_is_unknown_never_zero():
    shown = build_highlights(Fresh(value=None, error="achievement-collector: unreachable"), "30d", now=NOW)
    assert set(shown["values"].values()) == {"—"}
    assert all("tile--failed" in cls for cls in shown["classes"].values())
    assert texts(shown["latest"]) == ["No data"]


def test_an_empty_period_says_so():
    shown = build_highlights(fresh([]), "30d", now=NOW)
    assert shown["values"][ids.COMPLETED] == "0"
    assert texts(shown["categories"]) == ["Nothing completed in this period"]
    assert isinstance(shown["latest"][0], html.Div) and texts(shown["latest"]) == ["No achievements yet"]
