"""Edit validation mirrors the contract: nothing it forbids can be produced."""

import json
from datetime import datetime

import pytest

from dashboard.domain.models import Achievement
from dashboard.services.achievements.edits import validate_changes, validate_new

CURRENT = Achievement(
    id=7,
    title="Old title",
    category="feature",
    started_at=datetime(2026, 1, 1),
    completed_at=datetime(2026, 1, 5),
    business_value=json.dumps({"total_value": 5000, "currency": "USD", "confidence": 0.8}),
    impact_score=40,
    complexity_score=30,
    tags=["redis"],
    portfolio_ready=False,
)


def errors_of(changes):
    return {e.field: str(e) for e in validate_changes(CURRENT, changes)[1]}


def test_valid_changes_become_a_minimal_partial_body():
    body, errors = validate_changes(
        CURRENT,
        {
            "title": "  New title ",
            "impact_score": "88.5",
            "portfolio_ready": "yes",
            "tags": "redis, cache, ,cache",
            "complexity_score": 30,  # unchanged: not sent
        },
    )
    assert errors == []
    assert body == {"title": "New title", "impact_score": 88.5, "portfolio_ready": True, "tags": ["redis", "cache"]}


def test_business_value_is_written_back_in_its_json_form_as_a_string():
    body, errors = validate_changes(CURRENT, {"business_value": 7500})
    assert errors == []
    assert isinstance(body["business_value"], str)
    stored = json.loads(body["business_value"])
    assert stored == {"total_value": 7500, "currency": "USD", "confidence": 0.8}


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"title": ""}, "title", "must not be empty"),
        ({"title": "x" * 256}, "title", "256 characters"),
        ({"impact_score": 250}, "impact_score", "out of range (accepted: a number from 0 to 100)"),
        ({"complexity_score": -1}, "complexity_score", "out of range"),
        ({"impact_score": "high"}, "impact_score", "is not a number"),
        ({"impact_score": float("nan")}, "impact_score", "not a finite number"),
        ({"business_value": -5}, "business_value", "out of range"),
        ({"business_value": "-$5"}, "business_value", "must not be negative"),
        ({"business_value": "lots"}, "business_value", "holds no amount"),
        ({"business_value": None}, "business_value", "is missing"),
        ({"portfolio_ready": "maybe"}, "portfolio_ready", "not yes or no"),
        ({"tags": ",".join(f"t{i}" for i in range(25))}, "tags", "25 tags"),
        ({"category": "hacking"}, "category", "cannot be edited here"),
        ({"started_at": "2020-01-01"}, "started_at", "cannot be edited here"),
    ],
)
def test_refusals_name_the_field_problem_and_what_is_accepted(changes, field, says):
    errors = errors_of(changes)
    assert field in errors and says in errors[field]
    assert "accepted:" in errors[field]


def test_one_bad_field_refuses_the_row_but_reports_the_others_as_valid():
    body, errors = validate_changes(CURRENT, {"title": "Fine", "impact_score": 101})
    assert [e.field for e in errors] == ["impact_score"]


NEW = {
    "title": "Added",
    "description": "Something done",
    "category": "Testing",
    "started_at": "2026-11-01",
    "completed_at": "2026-11-03",
    "business_value": "12500",
    "impact_score": "60",
    "tags": "a, b",
    "portfolio_ready": True,
}


def test_new_achievement_body_follows_the_contract():
    body, errors = validate_new(NEW)
    assert errors == []
    assert body["category"] == "testing" and body["source_type"] == "manual"
    assert body["business_value"] == "12500" and isinstance(body["business_value"], str)
    assert body["started_at"] == "2026-11-01T00:00:00" and body["tags"] == ["a", "b"]


@pytest.mark.parametrize(
    ("override", "field", "says"),
    [
        ({"title": ""}, "title", "is required"),
        ({"description": None}, "description", "is required"),
        ({"category": "hacking"}, "category", "'hacking' is not known"),
        ({"source_type": "ftp"}, "source_type", "is not known"),
        ({"completed_at": "2026-10-01"}, "completed_at", "is before the start"),
        ({"started_at": "yesterday"}, "started_at", "is not a date"),
        ({"source_url": "javascript:alert(1)"}, "source_url", "is not a web address"),
        ({"impact_score": 101}, "impact_score", "out of range"),
    ],
)
def test_new_achievement_refusals(override, field, says):
    _, errors = validate_new({**NEW, **override})
    found = {e.field: str(e) for e in errors}
    assert field in found and says in found[field]


def test_pasted_cells_are_grouped_into_one_batch_per_row():
    from dashboard.services.achievements.edits import group_cell_changes

    events = [
        {"rowId": "3", "colId": "impact_score", "value": 10, "data": {"id": 3, "updated_at": "t3"}},
        {"rowId": "3", "colId": "complexity_score", "value": 20, "data": {"id": 3, "updated_at": "t3"}},
        {"rowId": "4", "colId": "title", "newValue": "Four", "data": {"id": 4, "updated_at": "t4"}},
        {"rowId": "3", "colId": "impact_score", "value": 11, "data": {"id": 3, "updated_at": "t3"}},
        {"rowId": None, "colId": "title", "value": "orphan", "data": {}},
        {"rowId": "x", "colId": "title", "value": "bad id", "data": {"id": "x"}},
    ]
    assert group_cell_changes(events) == [
        (3, {"impact_score": 11, "complexity_score": 20}, "t3"),
        (4, {"title": "Four"}, "t4"),
    ]


def test_messages_use_the_names_on_screen():
    from dashboard.services.achievements.edits import saved_message

    body = {"tags": ["a", "b"], "impact_score": 42.0, "business_value": "$5,000 annual value"}
    assert saved_message(body) == "Saved Business value, Impact, Tags."
    assert saved_message(body, action="undo") == (
        "Undid: Business value back to 5,000; Impact back to 42; Tags back to “a, b”."
    )
    assert saved_message({"impact_score": 50.0}, action="redo") == "Redid: Impact to 50."
