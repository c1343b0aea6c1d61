"""The Achievements grid in headless Chromium: edits saved, refused, in conflict, undone and redone, added."""

from __future__ import annotations

import csv
import os
import time
from datetime import timedelta

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from dashboard import create_app
from tests.actors import EDITOR
from tests.browser.waiting import present
from tests.clock import now as clock_now
from tests.conftest import free_port

pytestmark = pytest.mark.browser


@pytest.fixture
def app(make_settings):
    # A long refresh: these tests drive edits, not ticks.
    return create_app(settings=make_settings(refresh_seconds=3600))


def services_of(app):
    return app.server.extensions["threads_dashboard"].services


def open_grid(dash_duo, app):
    dash_duo.start_server(app, port=free_port(), path="/achievements")
    newest = services_of(app).store.list_achievements()[0]
    dash_duo.wait_for_element(f'.ag-row[row-id="{newest.id}"] [col-id="impact_score"]', timeout=15)
    return newest


def cell(dash_duo, row_id, column):
    return dash_duo.find_element(f'.ag-row[row-id="{row_id}"] [col-id="{column}"]')


def edit_cell(dash_duo, row_id, column, text):
    target = cell(dash_duo, row_id, column)
    ActionChains(dash_duo.driver).double_click(target).perform()
    editor = dash_duo.wait_for_element(f'.ag-row[row-id="{row_id}"] [col-id="{column}"] input', timeout=5)
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(text)
    editor.send_keys(Keys.ENTER)


def wait_until(predicate, timeout=10.0, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {message}")


def test_edit_is_saved_and_still_there_after_reload(dash_duo, app):
    row = open_grid(dash_duo, app)
    edit_cell(dash_duo, row.id, "impact_score", "42.5")
    dash_duo.wait_for_contains_text(".edit-result--saved", "Saved Impact.", timeout=10)
    assert services_of(app).store.get_achievement(row.id).impact_score == 42.5
    dash_duo.driver.refresh()
    dash_duo.wait_for_text_to_equal(f'.ag-row[row-id="{row.id}"] [col-id="impact_score"]', "42.5", timeout=15)
    audit = dash_duo.find_element(".audit-table").text
    assert "Impact" in audit
    assert dash_duo.get_logs() == []


def test_invalid_value_is_refused_with_its_reason_and_the_stored_value_shown(dash_duo, app):
    row = open_grid(dash_duo, app)
    stored_tags = ", ".join(row.tags)
    edit_cell(dash_duo, row.id, "tags", ",".join(f"t{i}" for i in range(25)))
    dash_duo.wait_for_contains_text(".edit-result--invalid", "Tags: has 25 tags", timeout=10)
    assert "accepted: up to 20 comma-separated tags" in dash_duo.find_element(".edit-result--invalid").text
    dash_duo.wait_for_text_to_equal(f'.ag-row[row-id="{row.id}"] [col-id="tags"]', stored_tags, timeout=10)
    assert services_of(app).store.get_achievement(row.id).tags == row.tags
    assert dash_duo.get_logs() == []


def test_conflicting_edit_shows_both_values_and_lets_the_user_choose(dash_duo, app):
    row = open_grid(dash_duo, app)
    store = services_of(app).store
    store.update_achievement(row.id, {"complexity_score": 11.0})  # a colleague, after our load
    edit_cell(dash_duo, row.id, "complexity_score", "77")
    dash_duo.wait_for_element("#achievements-conflict-modal", timeout=10)
    dash_duo.wait_for_text_to_equal(".conflict-stored", "11", timeout=10)
    assert dash_duo.find_element(".conflict-mine").text == "77"
    assert store.get_achievement(row.id).complexity_score == 11.0  # nothing written yet
    dash_duo.find_element("#achievements-conflict-apply").click()
    dash_duo.wait_for_contains_text(".edit-result--saved", "Saved Complexity.", timeout=10)
    assert store.get_achievement(row.id).complexity_score == 77.0
    assert dash_duo.get_logs() == []


def press_in_grid(dash_duo, *keys):
    """A shortcut with the focus in the grid (a cell chosen, not its editor)."""
    held = [Keys.CONTROL, *(k for k in keys if k == Keys.SHIFT)]
    chord = ActionChains(dash_duo.driver)
    for key in held:
        chord = chord.key_down(key)
    chord = chord.send_keys(*(k for k in keys if k != Keys.SHIFT))
    for key in reversed(held):
        chord = chord.key_up(key)
    chord.perform()


def test_two_edits_undone_twice_and_redone_once_from_the_buttons_and_the_keyboard(dash_duo, app):
    row = open_grid(dash_duo, app)
    store = services_of(app).store
    edit_cell(dash_duo, row.id, "time_saved_hours", "999")
    dash_duo.wait_for_text_to_equal("#achievements-undo", f"Undo: Time saved (h) of #{row.id}", timeout=10)
    edit_cell(dash_duo, row.id, "tags", "ops, wallboard")
    dash_duo.wait_for_text_to_equal("#achievements-undo", f"Undo: Tags of #{row.id}", timeout=10)
    assert not dash_duo.find_element("#achievements-redo").is_enabled()

    dash_duo.find_element("#achievements-undo").click()
    dash_duo.wait_for_text_to_equal("#achievements-redo", f"Redo: Tags of #{row.id}", timeout=10)
    dash_duo.wait_for_contains_text(".edit-result--saved", "Undid: Tags back to", timeout=10)
    # Ctrl+Z where a person is: on a cell of the grid, not in its editor.
    cell(dash_duo, row.id, "title").click()
    press_in_grid(dash_duo, "z")
    dash_duo.wait_for_text_to_equal("#achievements-redo", f"Redo: Time saved (h) of #{row.id}", timeout=10)
    undo = dash_duo.find_element("#achievements-undo")
    assert undo.text == "Undo" and not undo.is_enabled()
    dash_duo.wait_for_text_to_equal(
        f'.ag-row[row-id="{row.id}"] [col-id="time_saved_hours"]', f"{row.time_saved_hours:g}", timeout=10
    )
    dash_duo.wait_for_text_to_equal(f'.ag-row[row-id="{row.id}"] [col-id="tags"]', ", ".join(row.tags), timeout=10)

    cell(dash_duo, row.id, "title").click()
    press_in_grid(dash_duo, Keys.SHIFT, "z")  # redo (Ctrl+Y is the same handler's other key)
    dash_duo.wait_for_text_to_equal(f'.ag-row[row-id="{row.id}"] [col-id="time_saved_hours"]', "999", timeout=10)
    dash_duo.wait_for_text_to_equal("#achievements-undo", f"Undo: Time saved (h) of #{row.id}", timeout=10)
    assert dash_duo.find_element("#achievements-redo").text == f"Redo: Tags of #{row.id}"
    stored = store.get_achievement(row.id)
    assert (stored.time_saved_hours, stored.tags) == (999, row.tags)
    # Each step is in the audit trail as what it was.
    dash_duo.wait_for_contains_text(".audit-table tbody tr:first-child", "redo", timeout=10)
    actions = [r.text for r in dash_duo.find_elements(".audit-table tbody tr")[:5]]
    assert [a.split()[3] for a in actions] == ["redo", "undo", "undo", "update", "update"], actions
    assert "Time saved (h)" in actions[0] and "Tags" in actions[2]
    assert dash_duo.get_logs() == []


def edit_title(dash_duo, row_id, text):
    ActionChains(dash_duo.driver).double_click(cell(dash_duo, row_id, "title")).perform()
    editor = dash_duo.wait_for_element(".ag-large-text textarea", timeout=5)
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(text)
    editor.send_keys(Keys.ENTER)


def test_every_refused_edit_is_said_in_the_names_on_screen_and_nothing_is_cut(dash_duo, app):
    row = open_grid(dash_duo, app)
    store = services_of(app).store
    edit_cell(dash_duo, row.id, "tags", "ops, wallboard")
    dash_duo.wait_for_contains_text(".edit-result--saved", "Saved Tags.", timeout=10)

    # Values the browser's own editors used to refuse (or cut) without a word now reach the
    # server, which refuses them in the column's name, saying what is accepted.
    refusals = [
        ("impact_score", "150", "Impact: 150 is out of range (accepted: a number from 0 to 100)"),
        ("business_value", "-500", "Business value: -500 is out of range (accepted: a non-negative amount"),
        ("time_saved_hours", "-3", "Time saved (h): -3 is out of range (accepted: a number of hours, 0 or more)"),
    ]
    for column, typed, said in refusals:
        edit_cell(dash_duo, row.id, column, typed)
        dash_duo.wait_for_contains_text(".edit-result--invalid", said, timeout=10)
        # The previous "Saved" banner is gone: the screen never looks as if this was saved.
        assert not present(dash_duo, ".edit-result--saved"), column
        assert len(dash_duo.find_elements(".edit-result")) == 1
    stored = store.get_achievement(row.id)
    assert (stored.impact_score, stored.business_value, stored.time_saved_hours) == (
        row.impact_score,
        row.business_value,
        row.time_saved_hours,
    )
    dash_duo.wait_for_text_to_equal(
        f'.ag-row[row-id="{row.id}"] [col-id="impact_score"]', f"{row.impact_score:g}", timeout=10
    )

    long_title = ("Rotating wallboard views " * 12)[:299] + "!"
    edit_title(dash_duo, row.id, long_title)
    dash_duo.wait_for_contains_text(
        ".edit-result--invalid", "Title: is 300 characters long (accepted: text of 1–255 characters)", timeout=10
    )
    assert store.get_achievement(row.id).title == row.title  # refused, not cut to 255 and saved
    # What was typed is kept, to copy and shorten.
    dash_duo.find_element(".edit-typed summary").click()
    dash_duo.wait_for_text_to_equal(".edit-typed .typed-value", long_title, timeout=5)
    assert dash_duo.get_logs() == []


def test_add_says_each_error_beside_its_field_keeps_the_input_then_adds_without_a_score(dash_duo, app):
    open_grid(dash_duo, app)
    store = services_of(app).store
    count = len(store.list_achievements())
    dash_duo.find_element("#achievements-add-open").click()
    dash_duo.wait_for_element("#achievements-add-title", timeout=5).send_keys("Wallboard rotation shipped")
    dash_duo.find_element("#achievements-add-description").send_keys("Rotating views on the office TVs.")
    dash_duo.driver.execute_script(
        "arguments[0].value = 'feature'; arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
        dash_duo.find_element("#achievements-add-category"),
    )
    # Dated yesterday on the suite's clock, so the new row is the grid's first (newest completed).
    today = clock_now().date()
    started_on, too_early, completed_on = (today - timedelta(days=days) for days in (2, 12, 1))
    for selector, value in (("#achievements-add-started", started_on), ("#achievements-add-completed", too_early)):
        dash_duo.find_element(selector).send_keys(value.strftime("%m/%d/%Y"))
    dash_duo.find_element("#achievements-add-value").send_keys("15000")
    dash_duo.find_element("#achievements-add-impact").send_keys("150")
    # Required fields are marked (the word is there for screen readers).
    assert dash_duo.find_element("label[for=achievements-add-title]").text.startswith("Title*")
    assert "(required)" in dash_duo.find_element("label[for=achievements-add-title] .visually-hidden").get_attribute(
        "textContent"
    )
    dash_duo.find_element("#achievements-add-submit").click()
    dash_duo.wait_for_contains_text(".add-error", "Not added: 2 fields to fix (Completed, Impact)", timeout=10)
    for field, said in (
        ("completed", "Completed is before the start (accepted: a completion on or after the start)."),
        ("impact", "Impact 150 is out of range (accepted: a number from 0 to 100)."),
    ):
        assert "is-invalid" in dash_duo.find_element(f"#achievements-add-{field}").get_attribute("class")
        feedback = dash_duo.find_element(f"#achievements-add-{field}-feedback")
        assert feedback.is_displayed() and feedback.text == said
    assert "is-invalid" not in dash_duo.find_element("#achievements-add-title").get_attribute("class")
    assert dash_duo.find_element("#achievements-add-impact").get_attribute("value") == "150"  # kept for fixing
    # On a 1440×900 screen, with every message shown, Add and Cancel are still in view (the body scrolls).
    dash_duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 1440, "height": 900, "deviceScaleFactor": 1, "mobile": False}
    )
    for button in ("#achievements-add-submit", "#achievements-add-cancel"):
        wait_until(
            lambda: dash_duo.driver.execute_script(
                "const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight;",
                dash_duo.find_element(button),
            ),
            timeout=3,
            message=f"{button} in view at 1440x900",
        )
    assert dash_duo.find_element("#achievements-add-title").get_attribute("value") == "Wallboard rotation shipped"
    assert len(store.list_achievements()) == count

    completed = dash_duo.find_element("#achievements-add-completed")
    completed.send_keys(completed_on.strftime("%m/%d/%Y"))
    impact = dash_duo.find_element("#achievements-add-impact")
    impact.send_keys(Keys.CONTROL, "a")
    impact.send_keys(Keys.BACKSPACE)  # no score: unknown, not 0
    dash_duo.find_element("#achievements-add-submit").click()
    dash_duo.wait_for_contains_text(".edit-result--saved", "Wallboard rotation shipped", timeout=10)
    added = store.list_achievements()
    assert len(added) == count + 1
    new = next(a for a in added if a.title == "Wallboard rotation shipped")
    assert new.category == "feature" and new.value_amount == 15000 and new.business_value == "15000"
    assert new.impact_score is None
    dash_duo.wait_for_text_to_equal(f'.ag-row[row-id="{new.id}"] [col-id="impact_score"]', "—", timeout=10)
    assert dash_duo.get_logs() == []


def test_bulk_publish_of_a_mix_says_once_what_it_did_and_csv_export(dash_duo, app):
    store = services_of(app).store
    rows = store.list_achievements()[:3]
    for item, published in zip(rows, (True, False, False)):  # one already published
        store.update_achievement(item.id, {"portfolio_ready": published})
    row = open_grid(dash_duo, app)
    publish = dash_duo.find_element("#achievements-publish")
    assert publish.text == "Publish" and not publish.is_enabled()
    for item in rows:
        dash_duo.find_element(f'.ag-row[row-id="{item.id}"] .ag-selection-checkbox input').click()
    dash_duo.wait_for_text_to_equal("#achievements-publish", "Publish 3", timeout=5)
    publish.click()
    dash_duo.wait_for_text_to_equal(".bulk-result", "Published 2; 1 was already published.", timeout=10)
    assert all(store.get_achievement(i.id).portfolio_ready for i in rows)
    # The selection is cleared; the publish is one step to undo.
    dash_duo.wait_for_text_to_equal("#achievements-publish", "Publish", timeout=5)
    assert not publish.is_enabled()
    assert not any(
        dash_duo.find_element(f'.ag-row[row-id="{i.id}"] .ag-selection-checkbox input').is_selected() for i in rows
    )
    dash_duo.wait_for_text_to_equal("#achievements-undo", "Undo: Published of 2 rows", timeout=5)

    store.update_achievement(row.id, {"title": "Quokka-marked release notes"})
    services_of(app).invalidate_achievements()  # written behind the app's back
    # A grid reload started by the publish may still re-cache the old list: wait until it is seen.
    wait_until(
        lambda: services_of(app).query_achievements(None, search="quokka-marked").total == 1,
        message="renamed row visible to the service",
    )
    dash_duo.find_element("#achievements-search").send_keys("quokka-marked")
    dash_duo.wait_for_text_to_equal("#achievements-kpi-count", "1", timeout=10)
    dash_duo.find_element("#achievements-export").click()
    folder = dash_duo.download_path
    wait_until(lambda: any(n.endswith(".csv") for n in os.listdir(folder)), message="CSV download")
    name = next(n for n in os.listdir(folder) if n.endswith(".csv"))
    with open(os.path.join(folder, name), newline="", encoding="utf-8") as handle:
        exported = list(csv.DictReader(handle))
    assert [r["id"] for r in exported] == [str(row.id)]
    assert exported[0]["title"] == "Quokka-marked release notes"
    assert exported[0]["portfolio_ready"] == "True"
    assert dash_duo.get_logs() == []


def test_an_edit_from_another_session_appears_after_one_refresh(dash_duo, make_settings):
    app = create_app(settings=make_settings(refresh_seconds=5))
    row = open_grid(dash_duo, app)
    # Another browser session saving through the same path (validation, write, cache invalidation).
    other = services_of(app).edit_achievement(
        row.id, {"impact_score": 12.5}, expected_updated_at=row.updated_at.isoformat(), actor=EDITOR
    )
    assert other.ok
    dash_duo.wait_for_text_to_equal(f'.ag-row[row-id="{row.id}"] [col-id="impact_score"]', "12.5", timeout=12)
    assert dash_duo.get_logs() == []


def test_grid_edit_reaches_the_achievement_collector(dash_duo, make_settings):
    from tests.fakes import FakeBackends

    with FakeBackends() as backends:
        app = create_app(settings=make_settings(achievement_api_url=backends.achievement_url, refresh_seconds=3600))
        dash_duo.start_server(app, port=free_port(), path="/achievements")
        newest = max(backends.achievements, key=lambda a: a["completed_at"])
        dash_duo.wait_for_element(f'.ag-row[row-id="{newest["id"]}"] [col-id="impact_score"]', timeout=15)
        edit_cell(dash_duo, newest["id"], "business_value", "48000")
        dash_duo.wait_for_contains_text(".edit-result--saved", "Saved Business value.", timeout=10)
        put = backends.requests_to("PUT /achievements/{achievement_id}")[-1]
        assert put.path == f"/achievements/{newest['id']}" and list(put.body) == ["business_value"]
        # The service's own GET shows it, in the form it was stored in.
        import httpx

        stored = httpx.get(f"{backends.achievement_url}/achievements/{newest['id']}").json()
        assert stored["business_value"] == put.body["business_value"]
        from dashboard.domain.business_value import parse_business_value

        assert parse_business_value(stored["business_value"]) == 48000
        dash_duo.wait_for_text_to_equal(
            f'.ag-row[row-id="{newest["id"]}"] [col-id="business_value"]', "$48,000", timeout=10
        )
        assert dash_duo.get_logs() == []


def test_two_quick_clicks_on_add_against_a_slow_collector_add_one_achievement(dash_duo, make_settings):
    """Add stays unavailable while its request runs: a second click 1 s into a 3 s create sends nothing."""
    from tests.fakes import ACHIEVEMENTS, FakeBackends

    with FakeBackends() as backends:
        app = create_app(
            settings=make_settings(
                achievement_api_url=backends.achievement_url, refresh_seconds=3600, http_timeout_seconds=5.0
            )
        )
        dash_duo.start_server(app, port=free_port(), path="/achievements")
        newest = max(backends.achievements, key=lambda a: a["completed_at"])
        dash_duo.wait_for_element(f'.ag-row[row-id="{newest["id"]}"] [col-id="impact_score"]', timeout=15)
        dash_duo.find_element("#achievements-add-open").click()
        title = "Clicked twice, added once"
        dash_duo.wait_for_element("#achievements-add-title", timeout=5).send_keys(title)
        dash_duo.find_element("#achievements-add-description").send_keys("A slow collector and an impatient finger.")
        dash_duo.driver.execute_script(
            "arguments[0].value = 'testing'; arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
            dash_duo.find_element("#achievements-add-category"),
        )
        today = clock_now().date()
        for selector, days in (("#achievements-add-started", 2), ("#achievements-add-completed", 1)):
            dash_duo.find_element(selector).send_keys((today - timedelta(days=days)).strftime("%m/%d/%Y"))

        backends.set_fault(ACHIEVEMENTS, "slow", delay=3.0, method="POST")
        submit = dash_duo.find_element("#achievements-add-submit")
        submit.click()
        time.sleep(1.0)
        enabled_while_running = submit.is_enabled()
        # A mouse click where the button is (a disabled button lets it fall through to the footer).
        ActionChains(dash_duo.driver).move_to_element(submit).click().perform()
        dash_duo.wait_for_contains_text(".edit-result--saved", title, timeout=15)
        # Both clicks' requests, had there been two, reached the service before the first answered.
        assert len(backends.requests_to("POST /achievements/")) == 1
        assert sum(1 for a in backends.achievements if a["title"] == title) == 1
        assert not enabled_while_running, "Add stayed enabled while its request ran"
        dash_duo.find_element("#achievements-add-open").click()  # the next add starts with Add available
        wait_until(
            lambda: dash_duo.wait_for_element("#achievements-add-submit", timeout=5).is_enabled(),
            timeout=5,
            message="Add enabled again",
        )
        assert dash_duo.get_logs() == []
