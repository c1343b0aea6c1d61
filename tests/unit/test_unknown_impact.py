"""An impact score never given is unknown: stored as None, shown as "—", left out of averages (and said)."""

from __future__ import annotations

from dashboard.domain.kpis import average_impact, overview_kpis, unscored, window_for
from dashboard.domain.models import Achievement, Fresh, score_text
from dashboard.services.achievements.edits import validate_new
from dashboard.services.achievements.rows import grid_row
from dashboard.services.content.generate import pain_statement, recent_high_impact
from dashboard.sources.embedded import templates
from dashboard.sources.embedded.store import EmbeddedStore
from tests.unit.test_stat_cards import NOW
from tests.unit.test_stat_cards import achievement as dated


def achievement(ident: int, impact, days_ago: float = 1) -> Achievement:
    """A completed achievement worth $1,000, of `impact` (None: never given)."""
    return dated(ident, days_ago).model_copy(update={"impact_score": impact})


FORM = {
    "title": "Queue drained nightly",
    "description": "No more Monday backlog.",
    "category": "performance",
    "started_at": "2027-02-01",
    "completed_at": "2027-02-02",
}


def test_an_add_without_a_score_is_stored_without_one(tmp_path):
    body, errors = validate_new({**FORM, "impact_score": "  "})
    assert errors == [] and "impact_score" not in body
    store = EmbeddedStore.open(tmp_path / "store.sqlite3", clock=lambda: NOW)
    created = store.create_achievement(body)
    assert store.get_achievement(created.id).impact_score is None
    assert grid_row(created)["impact_score"] is None  # the grid's formatter shows "—"
    scored, _ = validate_new({**FORM, "impact_score": "0"})
    assert store.create_achievement(scored).impact_score == 0  # a typed 0 is a score, kept


def test_the_average_leaves_unknown_scores_out_and_says_how_many():
    items = [achievement(1, 80.0), achievement(2, None), achievement(3, 40.0), achievement(4, None)]
    assert average_impact(items) == 60.0  # not 30, as zeros would make it
    assert unscored(items) == 2
    assert average_impact([achievement(5, None)]) is None  # unknown, never 0
    kpis = overview_kpis(items, window_for("30d", NOW))
    assert kpis.avg_impact.value == 60.0 and kpis.unscored == 2


def test_the_overview_card_says_how_many_were_not_counted():
    from dashboard.ui.pages.overview import ids
    from dashboard.ui.pages.overview.view import build_overview

    items = Fresh(value=[achievement(1, 80.0), achievement(2, None, days_ago=2)], fetched_at=NOW)
    shown = build_overview(items, Fresh(value=None, error="down"), "30d", dark=False, now=NOW)
    assert shown["values"][ids.IMPACT] == "80.0"
    assert shown["deltas"][ids.IMPACT].endswith("· 1 without a score not counted")
    scored = build_overview(
        Fresh(value=[achievement(1, 80.0)], fetched_at=NOW), Fresh(value=None), "30d", dark=False, now=NOW
    )
    assert "without a score" not in scored["deltas"][ids.IMPACT]


def test_lines_of_text_show_an_unknown_score_as_a_dash_never_zero():
    assert (score_text(None), score_text(0.0), score_text(84.6)) == ("—", "0", "85")
    unknown = achievement(7, None)
    assert "impact" not in pain_statement([unknown]) and "0/100" not in templates._paragraph(unknown)
    assert "impact 85/100" in templates._paragraph(achievement(8, 85.0))


def test_high_impact_picks_scored_work_before_unscored():
    items = [achievement(1, None, days_ago=1), achievement(2, 10.0, days_ago=3), achievement(3, 70.0, days_ago=2)]
    assert [a.id for a in recent_high_impact(items, NOW)] == [3, 2, 1]
