"""The keyboard, as a person uses it: `?` shows the shortcuts and Esc closes them, `r` refreshes,
Ctrl+K opens the search and Esc closes it, an `r` typed there refreshes nothing, ↓ and Enter
open the chosen achievement."""

from __future__ import annotations

import time

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from dashboard import create_app
from tests.browser.waiting import present
from tests.conftest import free_port

pytestmark = pytest.mark.browser

LAST_ANSWER = "return (window.dashboardFreshness && window.dashboardLastUpdated) || null;"
"""When the server answered the page's latest refresh (its clock, ms), as the browser holds it."""
TITLES = ("Zebra-stripe rollout one", "Zebra-stripe rollout two")
"""Two titles of one length: listed in this order (service/search.py ranks ties by the alphabet)."""


COUNT_REFRESHES = """window.refreshesAsked = 0;
document.getElementById('refresh-now').addEventListener('click', () => { window.refreshesAsked += 1; });"""
"""Count the asks for a refresh (what `r` does is click Refresh; the answers are what it brings)."""
SHOWN = """return [...document.querySelectorAll('#palette-results .palette-item')].map(a => ({
  title: a.querySelector('.palette-title').textContent, active: a.classList.contains('is-active'),
  marked: [...a.querySelectorAll('mark')].map(m => m.textContent)}));"""
"""The palette's results as the browser shows them, read at once (they are re-rendered as one types)."""


def press(dash_duo, *keys):
    ActionChains(dash_duo.driver).send_keys(*keys).perform()


def test_help_refresh_and_search_from_the_keyboard(dash_duo, make_settings):
    # A timer of an hour: only `r` can bring a second answer within the test.
    app = create_app(settings=make_settings(refresh_seconds=3600, cache_ttl_seconds=1.0))
    store = app.server.extensions["threads_dashboard"].services.store
    for item, title in zip(store.list_achievements(), TITLES):
        store.save_achievement(item.model_copy(update={"title": title}))
    dash_duo.start_server(app, port=free_port(), path="/")
    first = until(lambda: dash_duo.driver.execute_script(LAST_ANSWER), 10, msg="no first answer")
    shown_at = time.monotonic()
    dash_duo.driver.execute_script(COUNT_REFRESHES)

    # `?` lists every shortcut, the grid's too; Esc closes it.
    body = dash_duo.find_element("body")
    body.send_keys("?")
    listed = ("Ctrl", "Refresh this page", "Open the time range", "Undo the last edit", "Redo", "Esc")
    help_text = dash_duo.wait_for_element("#shortcuts-help .modal-body", timeout=10)
    until(lambda: all(words in help_text.text for words in listed), 10, msg="the help does not list every key")
    press(dash_duo, Keys.ESCAPE)
    until(lambda: not present(dash_duo, "#shortcuts-help .modal-body"), 10, msg="Esc left the help open")

    # `r`, past the cache's freshness, brings a new answer at once.
    time.sleep(max(0.0, 1.2 - (time.monotonic() - shown_at)))
    dash_duo.find_element("body").send_keys("r")
    until(lambda: (dash_duo.driver.execute_script(LAST_ANSWER) or 0) > first, 10, msg="r did not refresh")
    assert dash_duo.driver.execute_script("return window.refreshesAsked") == 1

    # Ctrl+K: the box has the focus; Esc closes it there (with no error as the box goes).
    def open_search():
        ActionChains(dash_duo.driver).key_down(Keys.CONTROL).send_keys("k").key_up(Keys.CONTROL).perform()
        box = dash_duo.wait_for_element("#palette-query", timeout=10)
        until(lambda: dash_duo.driver.switch_to.active_element == box, 10, msg="the search box has no focus")
        return box

    open_search()
    press(dash_duo, Keys.ESCAPE)
    until(lambda: not present(dash_duo, "#palette-query"), 10, msg="Esc left the palette open")

    # Again: "zebra-str" (with its r) is searched, and refreshes nothing.
    box = open_search()
    box.send_keys("zebra-str")

    def shown():
        return dash_duo.driver.execute_script(SHOWN)

    until(lambda: [r["title"] for r in shown()] == list(TITLES), 10, msg="the two titles were not found")
    assert [r["marked"] for r in shown()] == [["Zebra-str"], ["Zebra-str"]]
    assert dash_duo.driver.execute_script("return window.refreshesAsked") == 1

    # ↓ moves to the second, Enter opens it: the grid, searching its title; the palette closes.
    press(dash_duo, Keys.ARROW_DOWN)
    until(lambda: [r["active"] for r in shown()] == [False, True], 10, msg="↓ did not move the selection")
    press(dash_duo, Keys.ENTER)
    until(lambda: dash_duo.driver.current_url.endswith("/achievements?q=Zebra-stripe+rollout+two"), 10)
    until(lambda: not present(dash_duo, "#palette-query"), 10, msg="the palette stayed open")
    assert dash_duo.get_logs() == []
