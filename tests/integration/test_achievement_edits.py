"""The edit path end to end: validation, partial PUT, conflicts, failures kept, audit, cache."""

from __future__ import annotations

import csv
import io
import json

import pytest

from dashboard import create_app
from tests.actors import EDITOR
from tests.fakes import FakeBackends


@pytest.fixture
def backends():
    with FakeBackends() as fake:
        yield fake


@pytest.fixture
def remote(backends, make_settings):
    app = create_app(settings=make_settings(achievement_api_url=backends.achievement_url))
    return app.server.extensions["threads_dashboard"].services


@pytest.fixture
def embedded(make_settings):
    app = create_app(settings=make_settings())
    return app.server.extensions["threads_dashboard"].services


def test_grid_edit_is_a_partial_put_with_the_contract_body(remote, backends):
    current = remote.get_achievement(1)
    raw_before = json.loads(current.business_value)
    result = remote.edit_achievement(
        1,
        {"impact_score": 91.5, "business_value": 170000, "title": current.title},
        expected_updated_at=current.updated_at.isoformat(),
        actor=EDITOR,
    )
    assert result.status == "saved", result.message
    puts = backends.requests_to("PUT /achievements/{achievement_id}")
    assert len(puts) == 1 and puts[0].path == "/achievements/1"
    body = puts[0].body
    assert set(body) == {"impact_score", "business_value"}  # unchanged title not sent
    assert body["impact_score"] == 91.5
    assert isinstance(body["business_value"], str)
    assert json.loads(body["business_value"]) == {**raw_before, "total_value": 170000}
    stored = backends.achievement(1)
    assert stored["impact_score"] == 91.5 and json.loads(stored["business_value"])["total_value"] == 170000
    assert result.previous == {"impact_score": current.impact_score, "business_value": current.value_amount}
    assert backends.calls["PATCH /achievements/{achievement_id}"] == 0


def stamp_of(services, achievement_id: int) -> str:
    return services.get_achievement(achievement_id).updated_at.isoformat()


def test_invalid_edit_sends_nothing(remote, backends):
    result = remote.edit_achievement(1, {"impact_score": 250}, expected_updated_at=stamp_of(remote, 1), actor=EDITOR)
    assert result.status == "invalid"
    assert "Impact: 250 is out of range (accepted: a number from 0 to 100)" in result.message
    assert result.achievement.impact_score == backends.achievement(1)["impact_score"]
    assert backends.requests_to("PUT /achievements/{achievement_id}") == []


def test_edit_on_a_row_changed_elsewhere_is_a_conflict_not_a_write(remote, backends):
    loaded = remote.get_achievement(2)
    other = remote.edit_achievement(
        2, {"title": "Changed by a colleague"}, expected_updated_at=loaded.updated_at.isoformat(), actor=EDITOR
    )
    assert other.ok
    mine = remote.edit_achievement(
        2, {"impact_score": 10}, expected_updated_at=loaded.updated_at.isoformat(), actor=EDITOR
    )
    assert mine.status == "conflict"
    assert mine.achievement.title == "Changed by a colleague"
    assert mine.changes == {"impact_score": 10}
    assert len(backends.requests_to("PUT /achievements/{achievement_id}")) == 1
    forced = remote.edit_achievement(
        2, {"impact_score": 10}, expected_updated_at=loaded.updated_at.isoformat(), force=True, actor=EDITOR
    )
    assert forced.ok and backends.achievement(2)["impact_score"] == 10


def test_backend_down_keeps_the_input_and_says_so(remote, backends):
    current = remote.get_achievement(1)
    backends.set_fault("achievement-collector", "down")
    result = remote.edit_achievement(
        1, {"title": "Typed during an outage"}, expected_updated_at=current.updated_at.isoformat(), actor=EDITOR
    )
    assert result.status == "failed"
    assert result.changes == {"title": "Typed during an outage"}
    assert "Your input is kept" in result.message
    backends.set_fault("achievement-collector", None)
    retried = remote.edit_achievement(
        1, result.changes, expected_updated_at=current.updated_at.isoformat(), actor=EDITOR
    )
    assert retried.ok and backends.achievement(1)["title"] == "Typed during an outage"


def test_backend_refusal_is_reported_as_invalid(remote, backends):
    backends.set_fault("achievement-collector", None)
    result = remote.edit_achievement(999_999, {"title": "x"}, expected_updated_at="2026-11-01T00:00:00", actor=EDITOR)
    assert result.status == "not_found"


def test_saved_edit_invalidates_the_cache_and_is_audited(remote, backends):
    before = remote.achievements().value
    assert any(a.id == 3 for a in before)
    saved = remote.edit_achievement(3, {"title": "Fresh title"}, expected_updated_at=stamp_of(remote, 3), actor=EDITOR)
    assert saved.ok
    after = remote.achievements().value
    assert next(a for a in after if a.id == 3).title == "Fresh title"
    entry = remote.audit.recent(1)[0]
    assert (entry.achievement_id, entry.field, entry.new_value) == (3, "title", "Fresh title")
    assert entry.source == "achievement-collector"


def test_create_posts_a_valid_body_and_refuses_what_breaks_the_service(remote, backends):
    bad = remote.create_achievement(
        {
            "title": "x",
            "description": "y",
            "category": "hacking",
            "started_at": "2026-11-02",
            "completed_at": "2026-11-01",
        },
        actor=EDITOR,
    )
    assert bad.status == "invalid" and backends.requests_to("POST /achievements/") == []
    assert {e.field for e in bad.errors} == {"category", "completed_at"}
    good = remote.create_achievement(
        {
            "title": "Added here",
            "description": "y",
            "category": "testing",
            "started_at": "2026-11-01",
            "completed_at": "2026-11-02",
            "business_value": 1200,
        },
        actor=EDITOR,
    )
    assert good.ok, good.message
    body = backends.requests_to("POST /achievements/")[0].body
    assert body["business_value"] == "1200" and body["source_type"] == "manual"
    assert backends.achievement(good.achievement_id)["title"] == "Added here"


def test_embedded_store_edit_conflict_and_undo(embedded):
    loaded = embedded.get_achievement(10)
    first = embedded.edit_achievement(
        10, {"complexity_score": 12}, expected_updated_at=loaded.updated_at.isoformat(), actor=EDITOR
    )
    assert first.ok and embedded.get_achievement(10).complexity_score == 12
    stale = embedded.edit_achievement(
        10, {"complexity_score": 13}, expected_updated_at=loaded.updated_at.isoformat(), actor=EDITOR
    )
    assert stale.status == "conflict"
    undo = embedded.edit_achievement(
        10, first.previous, expected_updated_at=first.achievement.updated_at.isoformat(), actor=EDITOR
    )
    assert undo.ok and embedded.get_achievement(10).complexity_score == loaded.complexity_score


def test_grid_query_blocks_and_csv(embedded):
    block = embedded.query_achievements(
        {
            "startRow": 0,
            "endRow": 50,
            "sortModel": [{"colId": "impact_score", "sort": "desc"}],
            "filterModel": {"category": {"filterType": "text", "type": "equals", "filter": "bugfix"}},
        },
    )
    assert 0 < len(block.rows) <= 50 and block.total >= len(block.rows)
    assert all(r["category"] == "bugfix" for r in block.rows)
    scores = [r["impact_score"] for r in block.rows]
    assert scores == sorted(scores, reverse=True)
    assert block.summary.count == block.total
    bad = embedded.query_achievements({"filterModel": {"nope": {"filterType": "text", "type": "equals", "filter": 1}}})
    assert bad.rows == [] and bad.error == "The server refused it: unknown column 'nope'."
    assert embedded.edit_achievement(
        1, {"title": '=HYPERLINK("http://evil")'}, expected_updated_at=stamp_of(embedded, 1), actor=EDITOR
    ).ok
    csv_text = embedded.export_achievements_csv(None, search="HYPERLINK").text
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert rows[0][:3] == ["id", "title", "category"] and len(rows) == 2
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'  # a spreadsheet shows it, never runs it
