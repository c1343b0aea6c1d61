"""Undo and redo over the app's real callback dispatch: each step a validated, audited write.

The grid's own callbacks are posted as the browser posts them (tests/integration/test_faults_input.py's
Page): a cell edit, then undo and redo with the history the page answered, as the tab's store
would hold it. The embedded store is the source; the audit trail is the real SQLite one.
"""

from __future__ import annotations

import pytest

from dashboard import create_app
from tests.fakes import FakeBackends
from tests.integration.test_faults_input import Page

CELL = "achievements-grid.cellValueChanged"
UNDO = "achievements-undo.n_clicks"
REDO = "achievements-redo.n_clicks"
HISTORY = "achievements-undo-store.data"
OUT = "achievements-messages.children"


@pytest.fixture
def app(make_settings):
    return create_app(settings=make_settings())


@pytest.fixture
def page(app, statuses):
    return Page(app, statuses)


def services_of(app):
    return app.server.extensions["threads_dashboard"].services


def edit(page: Page, services, row_id: int, column: str, value, history):
    """A cell edit as AG Grid sends it: the row as the grid holds it (its stamp) and the new value."""
    row = services.get_achievement(row_id)
    event = {"rowId": str(row_id), "colId": column, "value": value, "data": {"id": row_id, "updated_at": _stamp(row)}}
    return page.answer(OUT, {CELL: [event], HISTORY: history, "achievements-reload.data": 0}, CELL)


def press(page: Page, trigger: str, history):
    return page.answer(OUT, {trigger: 1, HISTORY: history, "achievements-reload.data": 0}, trigger)


def _stamp(row) -> str:
    return row.updated_at.isoformat()


def said(answer) -> str:
    from tests.integration.test_faults import strings

    return " ".join(strings(answer["achievements-messages"]["children"]))


def test_two_edits_undone_twice_and_redone_once_are_audited_as_such(app, page):
    services = services_of(app)
    row = services.store.list_achievements()[0]
    first = edit(page, services, row.id, "title", "Rotation on every TV", None)
    history = first["achievements-undo-store"]["data"]
    assert [s["label"] for s in history["undo"]] == [f"Title of #{row.id}"]
    second = edit(page, services, row.id, "impact_score", "91", history)
    history = second["achievements-undo-store"]["data"]
    assert [s["label"] for s in history["undo"]] == [f"Title of #{row.id}", f"Impact of #{row.id}"]

    undone = press(page, UNDO, history)
    history = undone["achievements-undo-store"]["data"]
    assert f"Undid: Impact back to {row.impact_score:g}." in said(undone)
    assert services.get_achievement(row.id).impact_score == row.impact_score
    undone = press(page, UNDO, history)
    history = undone["achievements-undo-store"]["data"]
    assert services.get_achievement(row.id).title == row.title
    assert [s["label"] for s in history["redo"]] == [f"Impact of #{row.id}", f"Title of #{row.id}"]
    assert history["undo"] == []

    redone = press(page, REDO, history)
    history = redone["achievements-undo-store"]["data"]
    assert "Redid: Title to “Rotation on every TV”." in said(redone)
    stored = services.get_achievement(row.id)
    assert (stored.title, stored.impact_score) == ("Rotation on every TV", row.impact_score)
    assert [s["label"] for s in history["undo"]] == [f"Title of #{row.id}"]
    assert [s["label"] for s in history["redo"]] == [f"Impact of #{row.id}"]

    trail = [(e.action, e.field) for e in services.audit.recent(5)]
    assert trail == [
        ("redo", "title"),
        ("undo", "title"),
        ("undo", "impact_score"),
        ("update", "impact_score"),
        ("update", "title"),
    ]

    # A new edit forgets what could be redone, as a spreadsheet does.
    after = edit(page, services, row.id, "tags", "ops", history)["achievements-undo-store"]["data"]
    assert after["redo"] == [] and len(after["undo"]) == 2


def test_an_undo_of_a_row_changed_elsewhere_is_a_conflict_and_overwrites_nothing(app, page):
    services = services_of(app)
    row = services.store.list_achievements()[1]
    history = edit(page, services, row.id, "complexity_score", "12", None)["achievements-undo-store"]["data"]
    services.store.update_achievement(row.id, {"complexity_score": 33.0})  # a colleague, meanwhile
    answer = press(page, UNDO, history)
    assert services.get_achievement(row.id).complexity_score == 33.0  # not put back to the old value
    assert "Changed elsewhere since you loaded it" in said(answer)
    conflicts = answer["achievements-conflict-store"]["data"]
    assert conflicts[0]["id"] == row.id and conflicts[0]["stored"] == {"complexity_score": 33.0}
    # The step leaves the history (the conflict dialog now says what became of it).
    assert answer["achievements-undo-store"]["data"] == {"undo": [], "redo": []}
    assert [e.action for e in services.audit.recent(5)] == ["update"]


def test_undo_with_nothing_to_undo_changes_nothing(app, page):
    response = page.post(OUT, {UNDO: 1, HISTORY: {"undo": [], "redo": []}}, UNDO)
    assert response.status_code == 200 and response.get_json()["response"] == {}  # every output left as it is
    assert services_of(app).audit.recent(1) == []


def test_twenty_steps_undone_in_turn_bring_every_value_back(app, page):
    services = services_of(app)
    row = services.store.list_achievements()[2]
    history = None
    for step in range(25):
        history = edit(page, services, row.id, "time_saved_hours", str(step + 1), history)["achievements-undo-store"][
            "data"
        ]
    assert len(history["undo"]) == 25
    for _ in range(25):
        history = press(page, UNDO, history)["achievements-undo-store"]["data"]
    assert services.get_achievement(row.id).time_saved_hours == row.time_saved_hours
    assert len(history["redo"]) == 25 and history["undo"] == []


def _step(row_id: int = 1, **extra) -> dict:
    row = {"id": row_id, "before": {"title": "A"}, "after": {"title": "B"}, "stamp": "2026-01-01T00:00:00", "title": ""}
    return {"label": "Title of #1", "rows": [{**row, **extra}]}


@pytest.mark.parametrize(
    "history",
    [
        "undo everything",
        [],
        {"undo": "x", "redo": []},
        {"undo": [_step(row_id=-1)], "redo": []},
        {"undo": [_step(row_id=True)], "redo": []},
        {"undo": [_step(stamp=None)], "redo": []},
        {"undo": [{"label": "x", "rows": []}], "redo": []},
        {"undo": [_step()] * 51, "redo": []},
        {"undo": [{"label": "x" * 301, "rows": _step()["rows"]}], "redo": []},
        {"undo": [{"label": "x", "rows": _step()["rows"] * 1001}], "redo": []},
    ],
    ids=["text", "list", "stack-text", "negative-id", "bool-id", "no-stamp", "empty-step", "51", "long-label", "1001"],
)
def test_a_forged_history_is_refused_at_the_door(page, history, fault_tally):
    fault_tally.fault("forged undo history", "achievements history store")
    error = page.refusal(OUT, {UNDO: 1, HISTORY: history}, UNDO)
    assert "achievements-undo-store.data" in error


def test_a_forged_step_is_still_checked_by_the_service(app, page):
    """A history the door lets through (the right shape) writes only what an edit may."""
    services = services_of(app)
    row = services.store.list_achievements()[0]
    forged = {
        "undo": [
            {
                "label": "Category of #1",
                "rows": [
                    {
                        "id": row.id,
                        "before": {"category": "security", "impact_score": "🎉" * 5000, "title": "标题 " * 100},
                        "after": {},
                        "stamp": _stamp(row),
                        "title": "",
                    },
                    {"id": 999_999, "before": {"title": "gone"}, "after": {}, "stamp": _stamp(row), "title": ""},
                ],
            }
        ],
        "redo": [],
    }
    answer = press(page, UNDO, forged)
    text = said(answer)
    assert "Category: cannot be edited here" in text and "Impact:" in text and "is not a number" in text
    assert "Achievement 999999 no longer exists." in text
    stored = services.get_achievement(row.id)
    assert (stored.category, stored.title, stored.impact_score) == (row.category, row.title, row.impact_score)
    assert answer["achievements-undo-store"]["data"] == {"undo": [], "redo": []}


def test_an_undo_against_the_collector_is_a_partial_put(make_settings, statuses):
    with FakeBackends() as backends:
        app = create_app(settings=make_settings(achievement_api_url=backends.achievement_url))
        page, services = Page(app, statuses), services_of(app)
        row = services.get_achievement(1)
        history = edit(page, services, 1, "business_value", "48000", None)["achievements-undo-store"]["data"]
        press(page, UNDO, history)
        puts = backends.requests_to("PUT /achievements/{achievement_id}")
        assert [list(p.body) for p in puts] == [["business_value"], ["business_value"]]
        assert puts[-1].body["business_value"] == row.business_value  # written back in its own form
        assert services.get_achievement(1).business_value == row.business_value


def test_undoing_the_first_score_of_an_unscored_achievement_is_refused_in_words(app, page):
    """A score never given is None; the collector takes no null score, so an undo cannot empty it."""
    services = services_of(app)
    created = services.store.create_achievement(
        {
            "title": "Unscored",
            "description": "No impact given.",
            "category": "testing",
            "started_at": "2026-01-01T00:00:00",
            "completed_at": "2026-01-02T00:00:00",
        }
    )
    assert created.impact_score is None
    history = edit(page, services, created.id, "impact_score", "50", None)["achievements-undo-store"]["data"]
    assert history["undo"][0]["rows"][0]["before"] == {"impact_score": None}
    answer = press(page, UNDO, history)
    assert "Impact: cannot be emptied once given (accepted: a number from 0 to 100)" in said(answer)
    assert services.get_achievement(created.id).impact_score == 50
    assert answer["achievements-undo-store"]["data"] == {"undo": [], "redo": []}


def test_a_paste_over_two_rows_saves_the_good_row_and_names_the_refused_cell(app, page):
    """A paste reaches the server as one cellValueChanged list: each row is one write, and a
    refusal in one row is said in the words on screen while the other row is saved."""
    services = services_of(app)
    good, bad = services.store.list_achievements()[:2]
    events = [
        {"rowId": str(row.id), "colId": column, "value": value, "data": {"id": row.id, "updated_at": _stamp(row)}}
        for row, column, value in (
            (good, "title", "Pasted title"),
            (bad, "title", "Pasted too"),
            (bad, "impact_score", "150"),
        )
    ]
    answer = page.answer(OUT, {CELL: events, HISTORY: None, "achievements-reload.data": 0}, CELL)
    text = said(answer)
    # Each row named by its title; the refusal says the field, the problem and what is accepted,
    # in the names on screen, and keeps what was typed for another try.
    assert "Pasted title:  Saved Title." in text, text  # a saved row goes by its new title
    assert f"{bad.title}:  Not saved: Impact: 150 is out of range (accepted: a number from 0 to 100)" in text, text
    assert "What you typed Title Pasted too Impact 150" in text, text
    assert "impact_score" not in text, text
    assert services.get_achievement(good.id).title == "Pasted title"
    refused = services.get_achievement(bad.id)
    assert (refused.title, refused.impact_score) == (bad.title, bad.impact_score)  # the row's write is whole or nothing
    undo = answer["achievements-undo-store"]["data"]["undo"]
    assert [step["label"] for step in undo] == [f"Title of #{good.id}"]
