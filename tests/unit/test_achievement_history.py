"""The grid's undo/redo history (pages/achievements/history.py), bulk publish's message and the
Add form's field errors: pure functions of results, tested without an app."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from plotly.utils import PlotlyJSONEncoder

from dashboard.domain.models import Achievement
from dashboard.domain.outcomes import EditResult, FieldProblem
from dashboard.ui.pages.achievements import history
from dashboard.ui.pages.achievements.adding import field_errors, refusal_alert
from dashboard.ui.pages.achievements.edits import bulk_message
from tests.integration.test_faults import strings

T0 = datetime(2026, 3, 1, 9, 0, 0)


def row(ident: int, *, at: datetime, title: str = "Quiet deploys", **fields) -> Achievement:
    return Achievement(
        id=ident, title=title, category="feature", started_at=T0, completed_at=T0, updated_at=at, **fields
    )


def saved(ident: int, previous: dict, *, version: datetime, at: datetime, **fields) -> EditResult:
    """A saved write of `ident`, made on `version`, leaving the row at `at`."""
    return EditResult(
        achievement_id=ident,
        status="saved",
        previous=previous,
        version=version.isoformat(),
        achievement=row(ident, at=at, **fields),
    )


def refused(ident: int, status: str = "conflict", message: str = "Changed elsewhere.") -> EditResult:
    return EditResult(achievement_id=ident, status=status, message=message, achievement=row(ident, at=T0))


def said(component) -> str:
    """The words of a component, as the browser receives them."""
    return " ".join(strings(json.loads(json.dumps(component, cls=PlotlyJSONEncoder))))


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_a_step_holds_each_changed_row_before_and_after_and_its_version():
    result = saved(12, {"title": "Old"}, version=at(0), at=at(1), title="New")
    step = history.step_of([result, refused(13), saved(14, {}, version=at(0), at=at(0))])
    assert step == {
        "label": "Title of #12",
        "rows": [
            {
                "id": 12,
                "before": {"title": "Old"},
                "after": {"title": "New"},
                "stamp": at(1).isoformat(),
                "title": "New",
            }
        ],
    }
    assert history.step_of([refused(13)]) is None  # nothing saved: nothing to undo


def test_labels_name_the_fields_and_the_row_or_the_number_of_rows():
    def rows(*fields_per_row):
        return [{"id": 10 + n, "before": dict.fromkeys(fields)} for n, fields in enumerate(fields_per_row)]

    assert history.step_label(rows(["impact_score", "tags"])) == "Impact, Tags of #10"
    assert history.step_label(rows(["portfolio_ready"], ["portfolio_ready"], ["portfolio_ready"])) == (
        "Published of 3 rows"
    )
    many = ["title", "impact_score", "tags", "complexity_score", "time_saved_hours"]
    assert history.step_label(rows(many)) == "Title, Impact, Tags and 2 more of #10"


def test_buttons_say_what_they_would_do_and_are_disabled_with_nothing():
    assert history.buttons(None) == {
        "undo_label": "Undo",
        "undo_disabled": True,
        "undo_title": "Nothing to undo",
        "redo_label": "Redo",
        "redo_disabled": True,
        "redo_title": "Nothing to redo",
    }
    h = history.recorded(None, [saved(12, {"title": "Old"}, version=at(0), at=at(1), title="New")])
    shown = history.buttons(h)
    assert (shown["undo_label"], shown["undo_disabled"], shown["redo_disabled"]) == ("Undo: Title of #12", False, True)
    assert "Ctrl+Z" in shown["undo_title"]


def test_undo_then_redo_moves_a_step_across_with_the_version_it_wrote():
    h = history.recorded(None, [saved(12, {"impact_score": 40.0}, version=at(0), at=at(1), impact_score=90.0)])
    assert history.batch(h, "undo") == [(12, {"impact_score": 40.0}, at(1).isoformat())]
    assert history.batch(h, "redo") == []
    undone = history.replayed(
        h, "undo", [saved(12, {"impact_score": 90.0}, version=at(1), at=at(2), impact_score=40.0)]
    )
    assert undone["undo"] == []
    assert history.batch(undone, "redo") == [(12, {"impact_score": 90.0}, at(2).isoformat())]


def test_an_older_step_follows_the_versions_this_tab_wrote_but_not_another_writer():
    h = history.recorded(None, [saved(12, {"title": "A"}, version=at(0), at=at(1), title="B")])
    h = history.recorded(h, [saved(12, {"tags": []}, version=at(1), at=at(2), tags=["x"])])
    # Written on the version the title step left: the title step moves on with it.
    assert history.batch({"undo": h["undo"][:1], "redo": []}, "undo")[0][2] == at(2).isoformat()

    # Someone else wrote row 12 at minute 3; the tab's next edit is made on their version.
    h = history.recorded(h, [saved(12, {"impact_score": 1.0}, version=at(3), at=at(4), impact_score=2.0)])
    stamps = [step["rows"][0]["stamp"] for step in h["undo"]]
    assert stamps == [at(2).isoformat(), at(2).isoformat(), at(4).isoformat()]  # older steps will conflict


def test_a_row_that_could_not_be_written_leaves_the_history():
    h = history.recorded(
        None,
        [
            saved(12, {"portfolio_ready": False}, version=at(0), at=at(1), portfolio_ready=True),
            saved(13, {"portfolio_ready": False}, version=at(0), at=at(1), portfolio_ready=True),
        ],
    )
    assert h["undo"][0]["label"] == "Published of 2 rows"
    after = history.replayed(h, "undo", [saved(12, {"portfolio_ready": True}, version=at(1), at=at(2)), refused(13)])
    assert after["undo"] == [] and after["redo"][0]["label"] == "Published of #12"
    gone = history.replayed(h, "undo", [refused(12), refused(13, "failed")])
    assert gone == {"undo": [], "redo": []}


def test_the_history_is_bounded_and_a_new_edit_forgets_redo():
    h = None
    for n in range(history.LIMIT + 5):
        h = history.recorded(h, [saved(n + 1, {"title": "A"}, version=at(0), at=at(1), title="B")])
    assert len(h["undo"]) == history.LIMIT
    assert h["undo"][0]["rows"][0]["id"] == 6  # the oldest forgotten first
    h = {"undo": h["undo"], "redo": h["undo"][:3]}
    h = history.recorded(h, [saved(99, {"title": "A"}, version=at(0), at=at(1), title="B")])
    assert h["redo"] == []


def test_a_store_of_another_shape_reads_as_an_empty_history():
    for stored in (None, [], "x", {"undo": None}):
        assert history.batch(stored, "undo") == []
        assert history.buttons(stored)["undo_disabled"] is True


def test_bulk_publish_says_once_what_it_did_and_names_each_failure():
    results = [
        *[saved(n, {"portfolio_ready": False}, version=at(0), at=at(1)) for n in range(1, 6)],
        saved(6, {}, version=at(0), at=at(0)),
        saved(7, {}, version=at(0), at=at(0)),
    ]
    alert = bulk_message(results, True)
    assert said(alert) == "Published 5; 2 were already published."
    assert alert.color == "success"
    failed = bulk_message([*results[:1], refused(8, message="Changed elsewhere since you loaded it.")], False)
    text = said(failed)
    assert text.startswith("Unpublished 1; 1 could not be unpublished.")
    assert "Quiet deploys:  Changed elsewhere since you loaded it." in text  # (the name in bold, then the reason)
    assert failed.color == "warning"
    assert said(bulk_message([saved(6, {}, version=at(0), at=at(0))], False)) == (
        "Unpublished 0; 1 was already unpublished."
    )


def test_add_form_errors_are_said_under_each_field():
    errors = [
        FieldProblem("title", "is required", "text of 1–255 characters", "Title"),
        FieldProblem("impact_score", "150 is out of range", "a number from 0 to 100", "Impact"),
        FieldProblem("form", "is not a set of field values", "the Add form's fields", "form"),
    ]
    shown = field_errors(errors)
    assert shown["invalid"]["title"] and shown["invalid"]["impact_score"] and not shown["invalid"]["category"]
    assert shown["feedback"]["title"] == "Title is required."
    assert shown["feedback"]["impact_score"] == "Impact 150 is out of range (accepted: a number from 0 to 100)."
    assert shown["feedback"]["category"] is None
    alert = refusal_alert(EditResult(achievement_id=None, status="invalid", errors=errors, message="Not added"))
    text = said(alert)
    assert "2 fields to fix (Title, Impact)" in text
    assert "form: is not a set of field values" in text  # no field of its own: said in the alert
    busy = refusal_alert(EditResult(achievement_id=None, status="busy", message="Being added right now."))
    assert said(busy) == "Being added right now." and busy.color == "warning"
