"""Every Analytics figure builder: typical, one-point and empty data; light and dark."""

from datetime import datetime, timedelta

import plotly.io as pio
import pytest

from dashboard.charts.analytics import (
    categories_over_time_figure,
    impact_complexity_figure,
    no_data_figure,
    platform_performance_figure,
    pr_timeline_figure,
    skills_and_tags_figure,
    time_saved_figure,
    value_by_month_figure,
)
from dashboard.charts.palette import OTHER, category_colour
from dashboard.domain.models import CATEGORIES, Achievement, PlatformPerformance
from dashboard.services.analytics import (
    categories_by_month,
    impact_complexity,
    platform_rows,
    pr_timeline,
    time_saved_by_month,
    top_skills_and_tags,
    value_by_month,
)

START = datetime(2026, 3, 14, 9, 30)


def make(id, days_later, *, category="feature", value="1000", source="github_pr", hours=4.0):
    done = START + timedelta(days=days_later)
    return Achievement(
        id=id,
        title=f"Work item {id}",
        category=category,
        started_at=done - timedelta(hours=5),
        completed_at=done,
        business_value=value,
        source_type=source,
        source_id=f"PR-{id}",
        time_saved_hours=hours,
        impact_score=20 + id,
        complexity_score=70 - id,
        skills_demonstrated=["Python", f"skill-{id % 3}"],
        tags=["infra", f"tag-{id % 2}"],
    )


MANY = [
    make(
        i,
        i * 9,
        category=CATEGORIES[i % 4],
        value=None if i % 5 == 0 else str(1000 * i),
        source="github_pr" if i % 2 else "git",
    )
    for i in range(1, 21)
]
ONE = [make(1, 0)]
PERFORMANCE = PlatformPerformance(
    total_generated=5,
    avg_engagement_score=5.1,
    platform_breakdown={"dev.to": {"count": 2, "avg_engagement": 4.7}, "linkedin": {"count": 3, "avg_engagement": 6.1}},
)

# builder, rows from achievements (or from tech-doc-generator), the empty figure's message
BUILDERS = [
    (value_by_month_figure, value_by_month, "No achievements completed with these filters"),
    (categories_over_time_figure, categories_by_month, "No achievements completed with these filters"),
    (impact_complexity_figure, impact_complexity, "No achievements with these filters"),
    (time_saved_figure, time_saved_by_month, "No achievements completed with these filters"),
    (skills_and_tags_figure, top_skills_and_tags, "No skills or tags recorded with these filters"),
    (pr_timeline_figure, pr_timeline, "No pull-request achievements with these filters"),
]


def message_of(fig):
    return [a.text for a in fig.layout.annotations]


def points(fig):
    return sum(len(t.x) for t in fig.data)


@pytest.mark.parametrize(("build", "rows", "message"), BUILDERS)
@pytest.mark.parametrize("dark", [False, True])
def test_empty_data_gives_a_no_data_figure(build, rows, message, dark):
    fig = build(rows([]), dark=dark)
    assert fig.data == ()
    assert message_of(fig) == [message]
    pio.to_json(fig, validate=True)


@pytest.mark.parametrize(("build", "rows", "message"), BUILDERS)
def test_one_point_draws_that_point(build, rows, message):
    data = rows(ONE)
    fig = build(data, dark=False)
    assert fig.data, "something is drawn"
    assert message not in message_of(fig)
    pio.to_json(fig, validate=True)
    # One achievement: every trace holds a single point, except skills and tags (one per name).
    if build is skills_and_tags_figure:
        assert points(fig) == len(data)
    else:
        assert all(len(t.x) == 1 for t in fig.data)


@pytest.mark.parametrize(("build", "rows", "message"), BUILDERS)
@pytest.mark.parametrize("dark", [False, True])
def test_typical_data_validates_in_both_themes(build, rows, message, dark):
    fig = build(rows(MANY), dark=dark)
    pio.to_json(fig, validate=True)
    assert fig.layout.font.color == ("#dee2e6" if dark else "#212529")


def test_value_figure_draws_monthly_bars_and_the_cumulative_line():
    rows = value_by_month(MANY)
    bars, line = value_by_month_figure(rows).data
    assert list(bars.x) == [r["month"] for r in rows] == list(line.x)
    assert list(bars.y) == [r["value"] for r in rows]
    assert list(line.y) == [r["cumulative_value"] for r in rows]
    assert line.yaxis == "y2"


def test_categories_figure_stacks_one_trace_per_category_in_a_stable_colour():
    rows = categories_by_month(MANY)
    fig = categories_over_time_figure(rows)
    assert fig.layout.barmode == "stack"
    present = [c for c in CATEGORIES if any(r["category"] == c for r in rows)]
    assert [t.name for t in fig.data] == present
    for trace in fig.data:
        assert trace.marker.color == category_colour(trace.name)
        assert sum(trace.y) == sum(r["achievements"] for r in rows if r["category"] == trace.name)
    assert category_colour("not-a-category") != category_colour("feature")


def test_impact_figure_sizes_dots_by_value_and_still_shows_unvalued_work():
    rows = impact_complexity(MANY)
    fig = impact_complexity_figure(rows)
    assert points(fig) == len(rows)
    for trace in fig.data:
        mine = [r for r in rows if r["category"] == trace.name]
        assert list(trace.x) == [r["complexity_score"] for r in mine]
        assert list(trace.y) == [r["impact_score"] for r in mine]
        assert list(trace.marker.size) == [r["value"] or 0 for r in mine]
        assert trace.marker.sizemin > 0  # no value: a small dot, not an invisible one
    # Nothing valued at all: dots still drawn, no division by zero.
    unvalued = impact_complexity([make(1, 0, value=None)])
    assert impact_complexity_figure(unvalued).data[0].marker.sizeref == 1.0


def test_time_saved_figure():
    rows = time_saved_by_month(MANY)
    (bars,) = time_saved_figure(rows).data
    assert list(bars.y) == [r["hours_saved"] for r in rows]


def test_skills_and_tags_figure_puts_the_most_frequent_on_top_and_says_when_a_side_is_empty():
    rows = top_skills_and_tags(MANY)
    skills, tags = skills_and_tags_figure(rows).data
    top_skill = next(r for r in rows if r["kind"] == "skill")
    assert skills.y[-1] == top_skill["name"] and skills.x[-1] == top_skill["achievements"]
    assert (skills.xaxis, tags.xaxis) == ("x", "x2")
    no_tags = [r for r in rows if r["kind"] == "skill"]
    assert "Tags: none recorded" in message_of(skills_and_tags_figure(no_tags))


def test_pr_timeline_figure_climbs_by_one_per_pr_with_a_legend_of_categories():
    rows = pr_timeline(MANY)
    fig = pr_timeline_figure(rows)
    climb, *dots = fig.data
    assert list(climb.y) == list(range(1, len(rows) + 1))
    assert list(climb.x) == [r["completed_at"] for r in rows]
    assert fig.layout.showlegend and climb.showlegend is False
    present = [c for c in CATEGORIES if any(r["category"] == c for r in rows)]
    assert [t.name for t in dots] == present
    assert sorted(t for d in dots for t in d.text) == sorted(r["title"] for r in rows)
    for trace in dots:
        assert trace.marker.color == category_colour(trace.name)


def test_platform_figure_draws_what_tech_doc_generator_sent():
    rows = platform_rows(PERFORMANCE)
    (bars,) = platform_performance_figure(rows).data
    assert list(bars.x) == [r["platform"] for r in rows]
    assert list(bars.y) == [r["avg_engagement"] for r in rows]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "No platform data from tech-doc-generator"),
        (
            [{"platform": "medium", "articles": 2.0, "avg_engagement": None}],
            "tech-doc-generator sent no engagement numbers",
        ),
    ],
)
def test_platform_figure_without_numbers_invents_none(rows, message):
    fig = platform_performance_figure(rows)
    assert fig.data == () and message_of(fig) == [message]


def test_one_platform():
    rows = [{"platform": "threads", "articles": None, "avg_engagement": 3.0}]
    (bars,) = platform_performance_figure(rows, dark=True).data
    assert list(bars.x) == ["threads"] and "article count not sent" in bars.customdata[0]


def test_no_data_figure():
    fig = no_data_figure("Not available from tech-doc-generator", dark=True)
    assert message_of(fig) == ["Not available from tech-doc-generator"] and fig.data == ()


def test_stacked_categories_draw_the_six_largest_and_name_the_rest_in_the_legend():
    # Category i (from 1) has i achievements: the six last categories are the largest.
    items = [make(i * 100 + n, 0, category=c) for i, c in enumerate(CATEGORIES, start=1) for n in range(i)]
    rows = categories_by_month(items)
    for dark in (False, True):
        fig = categories_over_time_figure(rows, dark=dark)
        *shown, other = fig.data
        assert [t.name for t in shown] == list(CATEGORIES[6:])
        assert [t.marker.color for t in shown] == [category_colour(c, dark=dark) for c in CATEGORIES[6:]]
        assert other.name == "Other (6 categories)" and other.marker.color == OTHER.on(dark=dark)
        assert sum(other.y) == sum(range(1, 7))
        assert ", ".join(CATEGORIES[:6]) in other.hovertemplate  # which ones, on hover


def test_backend_text_in_charts_is_drawn_as_written_not_as_markup():
    from dashboard.charts.overview import category_breakdown_figure
    from dashboard.charts.text import plain, template_literal
    from dashboard.domain.kpis import CategoryRow

    assert plain('<a href="javascript:x">b</a> & c') == '&lt;a href="javascript:x"&gt;b&lt;/a&gt; &amp; c'
    assert template_literal("100% <b>") == "100&#37; &lt;b&gt;"
    figure = category_breakdown_figure([CategoryRow("<b>ops</b>", 3, 1200.0)])
    assert "<b>" not in str(figure.to_plotly_json()) and "&lt;b&gt;ops&lt;/b&gt;" in str(figure.to_plotly_json())
