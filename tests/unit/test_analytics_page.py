"""The Analytics page's view model (build_analytics): tiles, freshness and the platform tile."""

from datetime import datetime, timedelta

import pytest

from dashboard.domain.business_value import format_money
from dashboard.domain.models import Achievement, Fresh, PlatformPerformance
from dashboard.domain.timerange import TimeRange
from dashboard.services.analytics import Filters
from dashboard.ui.pages.analytics import view as builders
from tests import components
from tests.components import load_page

NOW = datetime(2026, 11, 25, 12, 0, 0)
ITEMS = [
    Achievement(
        id=i,
        title=f"a{i}",
        category=("bugfix", "feature")[i % 2],
        business_value=str(100 * i),
        started_at=NOW - timedelta(days=10 * i, hours=2),
        completed_at=NOW - timedelta(days=10 * i),
        source_type="github_pr",
        portfolio_ready=i % 3 == 0,
        skills_demonstrated=["Python"],
        tags=["ci"],
    )
    for i in range(1, 8)
]
PERF = PlatformPerformance(
    total_generated=3,
    avg_engagement_score=4.2,
    platform_breakdown={"dev.to": {"count": 3, "avg_engagement": 4.2}},
    insights=["<b>dev.to</b> leads"],
    recommendation="More dev.to",
)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    return load_page("analytics", tmp_path_factory.mktemp("data"))


def text_of(component) -> str:
    return components.text_of(component, sep="")


def test_data_fills_every_chart_and_the_summary(page):
    view = builders.build_analytics(
        Fresh(value=ITEMS, fetched_at=NOW),
        Fresh(value=PERF, fetched_at=NOW),
        Filters(time_range=TimeRange.quick("30d")),
        dark=False,
        now=NOW,
    )
    in_range = [a for a in ITEMS if a.completed_at >= NOW - timedelta(days=30)]
    summary = text_of(view["summary"])
    total = format_money(sum(a.value_amount for a in in_range))
    assert summary.startswith(f"{len(in_range)} achievements · {total}")
    assert "Last 30 days · all categories" in summary
    assert set(view["figures"]) == set(builders.FIGURES)
    assert all(fig.data for fig in view["figures"].values())
    assert set(view["classes"].values()) == {"tile h-100 tile--ok"}
    assert view["freshness"]["analytics-value"]["state"] == "ok"
    assert view["export_disabled"]["platform"] is False
    assert view["freshness"]["analytics-platform"]["state"] == "ok" and view["platform_status"][0] == ""
    notes = text_of(view["platform_notes"])
    # Backend text stays text: the markup arrives as characters, not as bold.
    assert "<b>dev.to</b> leads" in notes and "Recommendation: More dev.to" in notes


def test_filters_reach_the_charts(page):
    view = builders.build_analytics(
        Fresh(value=ITEMS, fetched_at=NOW),
        Fresh(value=PERF, fetched_at=NOW),
        Filters(time_range=TimeRange.quick("all"), categories=("bugfix",)),
        dark=True,
        now=NOW,
    )
    assert [t.name for t in view["figures"]["categories"].data] == ["bugfix"]
    prs = view["figures"]["prs"].data[0]
    assert len(prs.x) == sum(1 for a in ITEMS if a.category == "bugfix")


def test_platform_tile_without_tech_doc_generator_says_so_and_why(page):
    missing = Fresh(error="not available: TECH_DOC_API_URL is not configured")
    view = builders.build_analytics(Fresh(value=ITEMS, fetched_at=NOW), missing, Filters(), dark=False, now=NOW)
    figure = view["figures"]["platform"]
    assert figure.data == () and figure.layout.annotations[0].text == "Not available from tech-doc-generator"
    assert text_of(view["platform_notes"]) == "Reason: TECH_DOC_API_URL is not configured"
    assert view["classes"]["platform"] == "tile h-100 tile--unavailable"
    assert view["export_disabled"]["platform"] is True
    # Not a failure of the screen: no red freshness line, a plain status instead.
    assert "analytics-platform" not in view["freshness"]
    assert view["platform_status"] == ("d-none", "Not available", "tile-freshness")
    # The other tiles are not affected.
    assert view["classes"]["value"] == "tile h-100 tile--ok"


def test_failed_and_stale_achievements(page):
    failed = builders.build_analytics(
        Fresh(error="achievement-collector: unreachable"),
        Fresh(value=PERF, fetched_at=NOW),
        Filters(),
        dark=False,
        now=NOW,
    )
    assert failed["classes"]["value"] == "tile h-100 tile--failed"
    # The page's outage notice says why, once; the charts only say there is no data.
    assert {failed["figures"][k].layout.annotations[0].text for k in builders.ACHIEVEMENT_CHARTS} == {"No data"}
    assert all(failed["export_disabled"][k] for k in builders.ACHIEVEMENT_CHARTS)
    assert failed["export_disabled"]["platform"] is False
    assert failed["freshness"]["analytics-prs"] == {
        "t": None,
        "state": "failed",
        "error": "achievement-collector: unreachable",
    }
    assert failed["classes"]["platform"] == "tile h-100 tile--ok"

    stale = builders.build_analytics(
        Fresh(value=ITEMS, fetched_at=NOW, stale=True, error="timed out"),
        Fresh(error="tech-doc-generator: /api/analytics/performance is not offered"),
        Filters(time_range=TimeRange.quick("all")),
        dark=False,
        now=NOW,
    )
    assert stale["classes"]["impact"] == "tile h-100 tile--stale"
    assert stale["figures"]["impact"].data  # the last good values stay on screen
    assert "is not offered" in text_of(stale["platform_notes"])
