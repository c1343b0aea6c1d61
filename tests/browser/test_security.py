"""Security in a real browser: the CSP is enforced and the app runs under it; sign-in, roles,
CSRF (sent by dash-renderer itself) and read-only wallboard tokens that renew themselves."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard import create_app
from dashboard.web.auth import Signer
from tests.browser.freshness_lines import wait_for_line
from tests.browser.waiting import present
from tests.conftest import free_port
from tests.integration.test_auth import PASSWORDS, SECRET, write_users

pytestmark = pytest.mark.browser


def start(dash_duo, app, path="/"):
    port = free_port()
    dash_duo.start_server(app, navigate=False, port=port)  # "/" may redirect to the sign-in page
    dash_duo.driver.get(f"http://localhost:{port}{path}")
    return dash_duo


@pytest.mark.parametrize("path", ["/", "/achievements", "/content", "/analytics", "/system", "/wallboard"])
def test_pages_run_under_the_csp_without_a_violation(dash_duo, make_settings, path):
    start(dash_duo, create_app(settings=make_settings()), path)
    dash_duo.wait_for_element(".tile-freshness", timeout=15)
    wait_for_line(dash_duo, ".tile-freshness", "Updated", timeout=15)
    assert dash_duo.get_logs() == []


def test_the_csp_blocks_injected_inline_script_and_says_so(dash_duo, make_settings):
    start(dash_duo, create_app(settings=make_settings()), "/")
    wait_for_line(dash_duo, ".tile-freshness", "Updated", timeout=15)
    # What a stored-XSS payload would try if text were ever rendered as HTML.
    dash_duo.driver.execute_script(
        "document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=\"window.__owned = 1\">');"
        "var s = document.createElement('script'); s.textContent = 'window.__owned = 2';"
        "document.body.appendChild(s);"
    )
    time.sleep(0.5)
    assert dash_duo.driver.execute_script("return window.__owned === undefined")
    assert any("Content Security Policy" in entry["message"] for entry in dash_duo.get_logs())


def test_backend_text_is_shown_as_text_never_as_markup(dash_duo, make_settings):
    app = create_app(settings=make_settings())
    services = app.server.extensions["threads_dashboard"].services
    payload = '<img src=x onerror="window.__owned=1">'
    services.store.update_achievement(1, {"title": payload + " zebrafish"})
    services.invalidate_achievements()
    start(dash_duo, app, "/achievements")
    dash_duo.wait_for_element(".achievements-grid .ag-row", timeout=15)
    dash_duo.find_element("#achievements-search").send_keys("zebrafish")
    dash_duo.wait_for_contains_text(".achievements-grid .ag-pinned-left-cols-container", "zebrafish", timeout=15)
    cells = [c.text for c in dash_duo.find_elements(".achievements-grid .ag-cell")]
    assert payload + " zebrafish" in cells
    assert dash_duo.driver.execute_script("return window.__owned === undefined")


@pytest.fixture
def signed_in_app(make_settings, tmp_path):
    users = write_users(tmp_path / "users.yaml")
    return create_app(settings=make_settings(auth="password", secret_key=SECRET, users_file=users, cookie_secure=False))


def sign_in(dash_duo, name: str, password: str):
    dash_duo.wait_for_element("#username", timeout=10).send_keys(name)
    dash_duo.find_element("#password").send_keys(password)
    dash_duo.find_element("#login-submit").click()


def test_sign_in_then_callbacks_pass_csrf_and_a_viewer_gets_a_read_only_grid(dash_duo, signed_in_app):
    start(dash_duo, signed_in_app, "/achievements")
    assert "/login?next=%2Fachievements" in dash_duo.driver.current_url
    sign_in(dash_duo, "eve", "wrong-password-1")
    dash_duo.wait_for_text_to_equal("#login-error", "Wrong user name or password.", timeout=10)
    assert "401" in dash_duo.get_logs()[0]["message"]  # the refused sign-in, and nothing else
    sign_in(dash_duo, "eve", PASSWORDS["eve"])
    dash_duo.wait_for_text_to_equal("h1", "Achievements", timeout=15)
    # Every refresh is a POST: rows arriving means dash-renderer sent the CSRF header.
    dash_duo.wait_for_element(".achievements-grid .ag-row", timeout=15)
    assert "eve" in dash_duo.find_element("#signed-in-user").text
    assert dash_duo.find_element("#achievements-read-only").text == "Read-only: viewer role"
    assert not dash_duo.find_element("#achievements-add-open").is_enabled()
    dash_duo.find_element("#sign-out").click()
    dash_duo.wait_for_element("#username", timeout=10)
    assert dash_duo.get_logs() == []


def test_a_wallboard_token_opens_the_board_and_renews_itself(dash_duo, signed_in_app):
    token = Signer(SECRET, session_seconds=3600, token_seconds=3600).issue_token("lobby-tv")
    start(dash_duo, signed_in_app, f"/wallboard?token={token}")
    wait_for_line(dash_duo, ".tile-freshness", "Updated", timeout=15)
    deadline = time.time() + 20  # renewal runs on the first build-check tick (every refresh: 5 s)
    renewed = token
    while time.time() < deadline and renewed == token:
        time.sleep(0.1)
        renewed = parse_qs(urlsplit(dash_duo.driver.current_url).query).get("token", [token])[0]
    assert renewed != token
    assert Signer(SECRET, session_seconds=1, token_seconds=1).read_token(renewed).name == "lobby-tv"
    dash_duo.driver.refresh()  # the scheduled kiosk reload, with the renewed token in the address
    wait_for_line(dash_duo, ".tile-freshness", "Updated", timeout=15)
    assert not present(dash_duo, "#username")
    assert dash_duo.get_logs() == []


def test_an_embed_with_markup_in_its_parameters_still_draws_and_shows_it_as_text(dash_duo, make_settings):
    # "<!--<script>" inside the page's JSON block used to swallow the embed's own script tag.
    start(dash_duo, create_app(settings=make_settings()), "/embed/value-trend?range=%3C!--%3Cscript%3E")
    dash_duo.wait_for_element(".main-svg .scatterlayer", timeout=15)
    dash_duo.wait_for_contains_text("#meta", "<!--<script>", timeout=10)
    assert dash_duo.driver.execute_script("return document.scripts.length") == 3
    assert dash_duo.get_logs() == []
