"""The rows each Analytics chart draws and exports, and their CSV."""

import csv
import io
import json
from datetime import datetime, timedelta

from dashboard.domain.models import Achievement, PlatformPerformance
from dashboard.domain.timerange import TimeRange
from dashboard.infra.csv_export import to_csv
from dashboard.services.analytics import (
    CHARTS,
    Filters,
    categories_by_month,
    chart_rows,
    export_csv,
    impact_complexity,
    platform_rows,
    pr_timeline,
    summarise,
    time_saved_by_month,
    top_skills_and_tags,
    value_by_month,
)

NOW = datetime(2026, 11, 25, 12, 0, 0)
JAN_VALUE, JAN_VALUE_2, APR_VALUE = 1000.0, 2500.0, 400.0


def make(
    id,
    completed,
    *,
    value=None,
    category="feature",
    hours=0.0,
    skills=(),
    tags=(),
    source="manual",
    source_id=None,
    impact=50.0,
    complexity=40.0,
    published=False,
    title=None,
):
    return Achievement(
        id=id,
        title=title or f"achievement {id}",
        category=category,
        started_at=completed - timedelta(hours=6),
        completed_at=completed,
        business_value=value,
        time_saved_hours=hours,
        skills_demonstrated=list(skills),
        tags=list(tags),
        source_type=source,
        source_id=source_id,
        impact_score=impact,
        complexity_score=complexity,
        portfolio_ready=published,
        source_url=f"https://github.com/o/r/pull/{id}" if source == "github_pr" else None,
    )


ITEMS = [
    make(
        1,
        datetime(2026, 1, 10),
        value=json.dumps({"total_value": JAN_VALUE, "currency": "USD"}),
        hours=10,
        skills=("Python", "Redis"),
        tags=("cache",),
        source="github_pr",
        source_id="PR-1",
        published=True,
    ),
    make(
        2,
        datetime(2026, 1, 20),
        value=f"${JAN_VALUE_2:,.0f} annual value",
        category="bugfix",
        hours=5,
        skills=("Python", "Python "),
        tags=("cache", "db"),
        source="github",
    ),
    make(3, datetime(2026, 4, 5), value=None, hours=0, source="github_pr", source_id=None),
    make(4, datetime(2026, 4, 6), value=str(int(APR_VALUE)), category="bugfix", hours=2.5, skills=("Go",)),
]


def test_value_by_month_fills_empty_months_and_runs_a_total():
    rows = value_by_month(ITEMS)
    assert [r["month"] for r in rows] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert [r["value"] for r in rows] == [JAN_VALUE + JAN_VALUE_2, 0.0, 0.0, APR_VALUE]
    assert [r["cumulative_value"] for r in rows] == [JAN_VALUE + JAN_VALUE_2] * 3 + [
        JAN_VALUE + JAN_VALUE_2 + APR_VALUE
    ]
    assert [r["achievements"] for r in rows] == [2, 0, 0, 2]
    assert [r["unvalued"] for r in rows] == [0, 0, 0, 1]


def test_value_by_month_across_a_year_end_and_for_one_achievement():
    rows = value_by_month([make(1, datetime(2025, 11, 3), value="5"), make(2, datetime(2026, 2, 1), value="7")])
    assert [r["month"] for r in rows] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    single = value_by_month([ITEMS[0]])
    assert single == [
        {"month": "2026-01", "value": JAN_VALUE, "cumulative_value": JAN_VALUE, "achievements": 1, "unvalued": 0}
    ]
    assert value_by_month([]) == []


def test_categories_by_month_counts_pairs_in_category_order():
    rows = categories_by_month(ITEMS)
    assert [(r["month"], r["category"], r["achievements"]) for r in rows] == [
        ("2026-01", "feature", 1),
        ("2026-01", "bugfix", 1),
        ("2026-04", "feature", 1),
        ("2026-04", "bugfix", 1),
    ]
    assert rows[0]["value"] == JAN_VALUE and rows[3]["value"] == APR_VALUE
    assert categories_by_month([]) == []


def test_impact_complexity_has_one_row_per_achievement_with_its_value():
    rows = impact_complexity(ITEMS)
    assert [r["id"] for r in rows] == [a.id for a in ITEMS]
    assert [r["value"] for r in rows] == [a.value_amount for a in ITEMS]
    assert rows[2]["value"] is None  # unreadable stays unknown, not 0
    assert rows[0]["impact_score"] == ITEMS[0].impact_score


def test_time_saved_by_month():
    rows = time_saved_by_month(ITEMS)
    hours = [sum(a.time_saved_hours for a in ITEMS if a.completed_at.month == m) for m in (1, 2, 3, 4)]
    assert [r["hours_saved"] for r in rows] == hours
    assert rows[-1]["cumulative_hours"] == sum(a.time_saved_hours for a in ITEMS)
    assert time_saved_by_month([]) == []


def test_top_skills_and_tags_count_each_achievement_once():
    rows = top_skills_and_tags(ITEMS)
    skills = [(r["name"], r["achievements"]) for r in rows if r["kind"] == "skill"]
    tags = [(r["name"], r["achievements"]) for r in rows if r["kind"] == "tag"]
    # "Python " on achievement 2 is its "Python" again: counted once there.
    assert skills == [("Python", 2), ("Go", 1), ("Redis", 1)]
    assert tags == [("cache", 2), ("db", 1)]
    python = next(r for r in rows if r["name"] == "Python")
    assert python["value"] == JAN_VALUE + JAN_VALUE_2
    assert len([r for r in top_skills_and_tags(ITEMS, limit=1) if r["kind"] == "skill"]) == 1
    assert top_skills_and_tags([]) == []


def test_pr_timeline_keeps_github_prs_in_merge_order():
    rows = pr_timeline(list(reversed(ITEMS)))
    prs = [a for a in ITEMS if a.source_type == "github_pr"]
    assert [r["id"] for r in rows] == [a.id for a in prs]
    assert [r["merged_count"] for r in rows] == [1, 2]
    assert rows[0]["pr"] == "PR-1" and rows[1]["pr"] == ""
    assert rows[0]["duration_hours"] == 6.0
    assert pr_timeline([a for a in ITEMS if a.source_type != "github_pr"]) == []


def test_platform_rows_keep_what_was_sent_and_nothing_more():
    perf = PlatformPerformance(
        total_generated=4,
        platform_breakdown={
            "dev.to": {"count": 3, "avg_engagement": 5.5},
            "linkedin": {"count": 1, "avg_engagement": 7.25},
            "medium": {"count": "many"},
        },
    )
    assert platform_rows(perf) == [
        {"platform": "linkedin", "articles": 1.0, "avg_engagement": 7.25},
        {"platform": "dev.to", "articles": 3.0, "avg_engagement": 5.5},
        {"platform": "medium", "articles": None, "avg_engagement": None},
    ]
    assert platform_rows(None) == []
    assert chart_rows("platform", ITEMS, perf) == platform_rows(perf)


def test_summary():
    totals = summarise(ITEMS)
    assert totals.achievements == len(ITEMS)
    assert totals.value == JAN_VALUE + JAN_VALUE_2 + APR_VALUE
    assert totals.hours_saved == sum(a.time_saved_hours for a in ITEMS)
    assert totals.published == 1 and totals.unvalued == 1


def read(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_neutralises_formula_text_and_keeps_numbers():
    rows = [
        {"title": t, "value": v}
        for t, v in (('=HYPERLINK("x")', 1.0), ("+1", 2.5), ("-2", None), ("@SUM(A1)", -3.0), ("plain", 0.0))
    ]
    out = read(to_csv(rows, ("title", "value")))
    assert [r["title"] for r in out] == ['\'=HYPERLINK("x")', "'+1", "'-2", "'@SUM(A1)", "plain"]
    assert [r["value"] for r in out] == ["1", "2.5", "", "-3", "0"]


def test_every_chart_exports_the_rows_it_draws():
    filters = Filters(time_range=TimeRange.quick("all"), categories=("feature",))
    chosen = [a for a in ITEMS if a.category == "feature"]
    for key, chart in CHARTS.items():
        name, text = export_csv(key, ITEMS, None, filters, NOW)
        assert name.startswith(f"analytics-{key}-") and name.endswith(".csv")
        exported = read(text)
        assert text.splitlines()[0] == ",".join(chart.columns)
        assert len(exported) == len(chart_rows(key, chosen, None))


def test_export_of_a_filtered_view_holds_only_it():
    name, text = export_csv("impact", ITEMS, None, Filters(time_range=TimeRange.quick("all"), published_only=True), NOW)
    assert [int(r["id"]) for r in read(text)] == [a.id for a in ITEMS if a.portfolio_ready]
    _, nothing = export_csv("prs", ITEMS, None, Filters(time_range=TimeRange.quick("30d")), NOW)
    assert read(nothing) == [] and nothing.startswith("merged_count,")
