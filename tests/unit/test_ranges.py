"""The one range type and its boundary rule: [start, end), None unbounded."""

from datetime import date, datetime, timedelta

import pytest

from dashboard.domain.kpis import RANGES, overview_kpis, window_for
from dashboard.domain.models import Achievement
from dashboard.domain.ranges import PRESETS, Range, day_range, parse_day, parse_key, preset_range, previous_range
from dashboard.domain.timerange import QUICK

NOW = datetime(2026, 11, 25, 12, 0, 0)


def test_a_moment_on_a_boundary_belongs_to_the_range_that_starts_there():
    start, end = datetime(2026, 1, 1), datetime(2026, 2, 1)
    january, february = Range(start, end), Range(end, None)
    assert january.contains(start) and not january.contains(end)
    assert february.contains(end)
    assert Range().contains(datetime.min) and Range().contains(datetime.max)


def test_the_pages_offer_keys_of_the_one_vocabulary():
    assert set(RANGES) <= set(PRESETS) <= set(QUICK)
    assert parse_key(" 7D ", RANGES) == "7d" and parse_key("qtd", RANGES) is None


def test_presets_run_from_their_start_on_and_meet_their_previous_period():
    assert preset_range("30d", NOW) == (NOW - timedelta(days=30), None)
    assert preset_range("ytd", NOW) == (datetime(2026, 1, 1), None)
    assert preset_range("all", NOW) == (None, None)
    assert previous_range("30d", NOW) == (NOW - timedelta(days=60), NOW - timedelta(days=30))
    assert previous_range("ytd", NOW) is None and previous_range("all", NOW) is None


def test_a_day_range_holds_its_last_day_whole():
    january = day_range(date(2026, 1, 1), date(2026, 1, 31))
    assert january == (datetime(2026, 1, 1), datetime(2026, 2, 1))
    assert january.contains(datetime(2026, 1, 31, 23, 59, 59, 999999))
    assert day_range(None, date.max) == (None, None)  # no day after 9999-12-31: no end


@pytest.mark.parametrize(("text", "day"), [("2026-01-31", date(2026, 1, 31)), ("20260131", None), ("2026-02-30", None)])
def test_parse_day(text, day):
    assert parse_day(text) == day


def test_the_overview_counts_an_achievement_on_a_boundary_once():
    def done_at(id, moment):
        return Achievement(id=id, title=f"a{id}", category="feature", started_at=moment, completed_at=moment)

    week = timedelta(days=7)
    on_start, on_previous_start, now, ahead = NOW - week, NOW - 2 * week, NOW, NOW + timedelta(seconds=5)
    items = [done_at(1, on_start), done_at(2, on_previous_start), done_at(3, now), done_at(4, ahead)]
    kpis = overview_kpis(items, window_for("7d", NOW))
    # In the range: the one exactly 7 days ago, the one at now, the one a collector's clock put
    # 5 s ahead; in the previous period: the one exactly 14 days ago.
    assert (kpis.completed.value, kpis.completed.previous) == (3, 1)
