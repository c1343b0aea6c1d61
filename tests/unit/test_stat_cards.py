"""The parts of a KPI card beyond its number: the sparkline's steps and bars, and the target line."""

from __future__ import annotations

from datetime import datetime, timedelta

from dashboard.domain.kpis import spark_series, spark_steps, step_name, value_of, window_for
from dashboard.domain.models import Achievement
from dashboard.ui.components.stat import Targets, points_to_target, share_of_target, sparkline

NOW = datetime(2027, 2, 28, 18, 30)


def achievement(ident: int, days_ago: float, value: str | None = "$1,000") -> Achievement:
    done = NOW - timedelta(days=days_ago)
    return Achievement(
        id=ident,
        title=f"A{ident}",
        category="feature",
        started_at=done,
        completed_at=done,
        business_value=value,
        impact_score=60,
    )


def test_steps_are_days_weeks_or_thirty_days_by_the_length_of_the_range():
    for key, name, count in (("7d", "day", 7), ("30d", "day", 30), ("90d", "week", 13), ("365d", "30 days", 13)):
        steps = spark_steps(window_for(key, NOW), NOW)
        assert step_name(steps) == name and len(steps) == count, key
        assert steps[-1].end == NOW and all(a.end == b.start for a, b in zip(steps, steps[1:]))


def test_all_time_starts_at_the_first_achievement_and_never_exceeds_the_bar_limit():
    steps = spark_steps(window_for("all", NOW), NOW, earliest=NOW - timedelta(days=20 * 365))
    assert len(steps) == 60 and step_name(steps) == "30 days"
    assert len(spark_steps(window_for("all", NOW), NOW, earliest=None)) == 13  # a year back


def test_each_achievement_counts_in_the_step_it_was_completed_in():
    steps = spark_steps(window_for("7d", NOW), NOW)
    items = [achievement(1, 0.5), achievement(2, 0.2, "$2,500"), achievement(3, 6.5), achievement(4, 9)]
    assert spark_series(items, steps, lambda xs: float(len(xs))) == [1, 0, 0, 0, 0, 0, 2]
    assert spark_series(items, steps, value_of)[-1] == 3500.0
    # A measure with no value for an empty step gives a gap, not a zero.
    assert spark_series(items, steps, lambda xs: len(xs) or None)[1] is None


def test_the_sparkline_scales_to_its_highest_bar_and_keeps_gaps():
    bars = sparkline([2.0, None, 4.0, 0.0], "Value per day").children
    heights = [bar.style["height"] if bar.style else None for bar in bars]
    assert heights == ["50%", None, "100%", "4%"]  # a zero is a sliver, a gap is the empty mark
    assert "spark-bar--none" in bars[1].className
    assert sparkline([], "nothing").children == []


def test_a_sum_against_its_target_reads_in_per_cent_with_its_colour():
    assert share_of_target(120.0, 100.0, "$100") == ("Target $100 · 120 % reached", "ok")
    assert share_of_target(85.0, 100.0, "$100") == ("Target $100 · 85 % reached", "warn")
    assert share_of_target(10.0, 100.0, "$100") == ("Target $100 · 10 % reached", "bad")
    assert share_of_target(None, 100.0, "$100") == ("Target $100", "")  # unknown: no colour
    assert share_of_target(50.0, None, "") == ("", "")


def test_a_score_against_its_target_reads_in_points():
    assert points_to_target(75.0, 70.0) == ("Target 70 · met", "ok")
    assert points_to_target(65.5, 70.0) == ("Target 70 · 4.5 pts below", "warn")
    assert points_to_target(50.0, 70.0) == ("Target 70 · 20.0 pts below", "bad")


def test_the_value_target_scales_with_the_range_and_all_time_has_none():
    targets = Targets(value_per_30_days=30_000)
    assert targets.value_for(7) == 7_000 and targets.value_for(90) == 90_000
    assert targets.value_for(None) is None and Targets().value_for(30) is None


def test_the_overview_colours_its_value_card_by_the_target_and_says_how_far():
    from dashboard.domain.models import Fresh
    from dashboard.ui.pages.overview import ids
    from dashboard.ui.pages.overview.view import build_overview

    items = Fresh(value=[achievement(1, 2, "$25,000"), achievement(2, 40, "$1,000")], fetched_at=NOW)
    stats = Fresh(value=None, error="orchestrator: unreachable")
    shown = build_overview(
        items, stats, "30d", dark=False, now=NOW, targets=Targets(value_per_30_days=30_000, impact=50)
    )
    assert "kpi--warn" in shown["classes"][ids.VALUE]  # 25,000 of 30,000: 83 %
    assert shown["targets"][ids.VALUE] == "Target $30k per 30 days · 83 % reached"
    assert "kpi--ok" in shown["classes"][ids.IMPACT] and shown["targets"][ids.IMPACT] == "Target 50 · met"
    assert "kpi--" not in shown["classes"][ids.COMPLETED]  # no target, no colour
    # Without targets the cards say nothing of them.
    plain = build_overview(items, stats, "30d", dark=False, now=NOW)
    assert set(plain["targets"].values()) == {""} and not any("kpi--" in c for c in plain["classes"].values())
