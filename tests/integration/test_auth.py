"""Authentication, roles, read-only tokens, CSRF and security headers, through the real app."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from werkzeug.security import generate_password_hash

from bench.dash_payloads import find_callback, request_for
from dashboard import create_app
from dashboard.settings import SettingsError, load_settings
from dashboard.web.auth import CSRF_COOKIE, SESSION_COOKIE, AuthError, Signer, parse_users

SECRET = "k3y-for-tests-only-0123456789-abcdefghijklmnop"
PASSWORDS = {"ada": "ada-password-1", "eve": "eve-password-1", "root": "root-password-1"}
ROLES = {"ada": "editor", "eve": "viewer", "root": "admin"}
HTML = {"Accept": "text/html"}


def write_users(path: Path, roles: dict[str, str] = ROLES) -> Path:
    lines = ["users:"]
    for name, role in roles.items():
        # A cheap hash method keeps the suite fast; production hashes come from `hash-password`.
        hashed = generate_password_hash(PASSWORDS[name], method="pbkdf2:sha256:1000")
        lines.append(f"  {name}: {{password_hash: '{hashed}', role: {role}}}")
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def users_file(tmp_path):
    return write_users(tmp_path / "users.yaml")


@pytest.fixture
def password_app(make_settings, users_file):
    return create_app(
        settings=make_settings(auth="password", secret_key=SECRET, users_file=users_file, cookie_secure=False)
    )


def sign_in(client, name: str, password: str | None = None):
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    return client.post(
        "/login",
        data={"username": name, "password": password or PASSWORDS[name], "csrf_token": csrf, "next": "/achievements"},
    )


def csrf_of(client) -> str:
    cookie = client.get_cookie(CSRF_COOKIE, path="/")
    return cookie.value if cookie else ""


def callback(client, output_contains: str, values: dict, triggered: str, *, csrf: bool = True):
    deps = client.get("/_dash-dependencies").get_json()
    body = request_for(find_callback(deps, output_contains), values, triggered=triggered)
    headers = {"X-CSRFToken": csrf_of(client)} if csrf else {}
    return client.post("/_dash-update-component", json=body, headers=headers)


def loaded_row(client, row_id: int) -> dict:
    """A grid row as the browser holds it: its id and the version it was loaded at."""
    stored = client.application.extensions["threads_dashboard"].services.get_achievement(row_id)
    return {"id": row_id, "updated_at": stored.updated_at.isoformat()}


def edit_title(client, row_id: int, title: str):
    event = [
        {"rowId": str(row_id), "colId": "title", "value": title, "oldValue": "x", "data": loaded_row(client, row_id)}
    ]
    return callback(
        client,
        "achievements-messages.children",
        {"achievements-grid.cellValueChanged": event},
        "achievements-grid.cellValueChanged",
    )


def stored_title(app, row_id: int) -> str:
    return app.server.extensions["threads_dashboard"].services.get_achievement(row_id).title


# Settings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, says",
    [
        ({"auth": "password"}, "SECRET_KEY is required"),
        ({"auth": "password", "secret_key": "changeme"}, "too weak or a known default"),
        ({"auth": "password", "secret_key": "a" * 40}, "too weak"),
        ({"auth": "password", "secret_key": SECRET}, "DASHBOARD_USERS_FILE is required"),
        ({"auth": "proxy", "secret_key": SECRET}, "DASHBOARD_TRUSTED_PROXIES is required"),
        (
            {"auth": "proxy", "secret_key": SECRET, "trusted_proxies": "10.0.0.0/8", "debug": True},
            "DASHBOARD_DEBUG cannot be on",
        ),
        ({"auth": "proxy", "secret_key": SECRET, "trusted_proxies": "10.0.0.0/33"}, "not an IP address or network"),
        ({"role_groups": "boss=admins"}, "is not role=group"),
    ],
)
def test_start_up_refuses_unsafe_authentication_settings(overrides, says):
    with pytest.raises(SettingsError, match=re.escape(says)):
        load_settings(**overrides)


@pytest.mark.parametrize(
    "text, says",
    [
        ("users: [", "not valid YAML"),
        ("people: {}", "expected a 'users:' mapping"),
        ("users: {ada: {role: editor}}", "has no password_hash"),
        ("users: {ada: {password_hash: 'pbkdf2:sha256:1$a$b', role: king}}", "'king' is not a role"),
    ],
)
def test_a_bad_users_file_is_explained(text, says):
    with pytest.raises(AuthError, match=re.escape(says)):
        parse_users(text)


def test_a_missing_users_file_stops_start_up(make_settings, tmp_path):
    with pytest.raises(AuthError, match="cannot read it"):
        create_app(settings=make_settings(auth="password", secret_key=SECRET, users_file=tmp_path / "none.yaml"))


# Password sign-in -------------------------------------------------------------------------------


def test_pages_and_callbacks_need_a_sign_in_but_probes_and_libraries_do_not(password_app):
    client = password_app.server.test_client()
    page = client.get("/analytics?range=90d", headers=HTML)
    assert page.status_code == 302 and page.headers["Location"] == "/login?next=%2Fanalytics%3Frange%3D90d"
    assert client.get("/_dash-layout").status_code == 401
    assert client.get("/_dash-dependencies").status_code == 401
    assert client.get("/api/charts/value-trend").status_code == 401
    refused = client.post("/_dash-update-component", json={})
    assert refused.status_code == 401 and "sign in" in refused.get_json()["error"]
    assert client.get("/healthz").status_code == 200
    assert client.get("/login").status_code == 200
    assert client.get("/assets/dashboard.js").status_code == 200


def test_signing_in_sets_a_secure_http_only_lax_cookie(make_settings, users_file):
    app = create_app(settings=make_settings(auth="password", secret_key=SECRET, users_file=users_file))
    client = app.server.test_client()
    response = sign_in(client, "ada")
    assert response.status_code == 302 and response.headers["Location"] == "/achievements"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(SESSION_COOKIE + "="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_wrong_passwords_are_refused_then_throttled(password_app):
    client = password_app.server.test_client()
    wrong = sign_in(client, "ada", "not-her-password")
    assert wrong.status_code == 401 and "Wrong user name or password." in wrong.get_data(as_text=True)
    unknown = sign_in(client, "mallory", "whatever-password")
    assert unknown.status_code == 401
    for _ in range(4):
        sign_in(client, "ada", "still-wrong")
    locked = sign_in(client, "ada")  # even the right password waits out the lock
    assert locked.status_code == 429 and "Too many failed attempts" in locked.get_data(as_text=True)


def test_the_sign_in_form_needs_its_own_csrf_value(password_app):
    client = password_app.server.test_client()
    client.get("/login")
    forged = client.post("/login", data={"username": "ada", "password": PASSWORDS["ada"], "csrf_token": "guess"})
    assert forged.status_code == 400 and "The form expired" in forged.get_data(as_text=True)


@pytest.mark.parametrize("target", ["//evil.example.com/x", "https://evil.example.com/", "/\\evil.example.com"])
def test_next_never_leaves_the_dashboard(password_app, target):
    client = password_app.server.test_client()
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = client.post(
        "/login", data={"username": "ada", "password": PASSWORDS["ada"], "csrf_token": csrf, "next": target}
    )
    assert response.headers["Location"] == "/"


def test_the_login_page_renders_user_input_as_text(password_app):
    page = password_app.server.test_client().get('/login?next=/"><script>alert(1)</script>')
    text = page.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in text


def test_callbacks_without_the_sessions_csrf_token_are_refused(password_app):
    client = password_app.server.test_client()
    sign_in(client, "ada")
    client.get("/achievements", headers=HTML)
    before = stored_title(password_app, 1)
    refused = callback(client, "achievements-messages.children", {}, "achievements-grid.cellValueChanged", csrf=False)
    assert refused.status_code == 403 and "CSRF" in refused.get_json()["error"]
    forged = client.post("/_dash-update-component", json={}, headers={"X-CSRFToken": "0" * 64})
    assert forged.status_code == 403
    assert stored_title(password_app, 1) == before
    assert edit_title(client, 1, "Edited by an editor").status_code == 200
    assert stored_title(password_app, 1) == "Edited by an editor"


def test_the_server_refuses_a_viewers_writes_whatever_the_page_shows(password_app):
    client = password_app.server.test_client()
    sign_in(client, "eve")
    client.get("/achievements", headers=HTML)
    before = stored_title(password_app, 2)
    response = edit_title(client, 2, "A viewer's crafted edit")
    assert response.status_code == 200
    assert "Not allowed: editing achievements needs the editor role; eve has the viewer role" in response.get_data(
        as_text=True
    )
    assert stored_title(password_app, 2) == before
    services = password_app.server.extensions["threads_dashboard"].services
    assert all(entry.user != "eve" for entry in services.audit.recent(50))


def test_edits_are_audited_with_the_signed_in_user_and_only_admins_see_the_trail(password_app):
    editor = password_app.server.test_client()
    sign_in(editor, "ada")
    editor.get("/achievements", headers=HTML)
    assert edit_title(editor, 3, "Audited edit").status_code == 200
    services = password_app.server.extensions["threads_dashboard"].services
    assert services.audit.recent(1)[0].user == "ada"

    def audit_panel(client):
        return callback(
            client, "achievements-audit.children", {"achievements-reload.data": 1}, "achievements-reload.data"
        ).get_data(as_text=True)

    assert "shown to admins" in audit_panel(editor)
    admin = password_app.server.test_client()
    sign_in(admin, "root")
    admin.get("/achievements", headers=HTML)
    assert "Audited edit" in audit_panel(admin)
    assert admin.get("/api/screens").status_code == 200
    refused = editor.get("/api/screens")
    assert refused.status_code == 403 and "needs the admin role" in refused.get_json()["error"]


def test_a_role_change_in_the_users_file_applies_on_the_next_request(password_app, users_file):
    client = password_app.server.test_client()
    sign_in(client, "eve")
    client.get("/achievements", headers=HTML)
    assert "Not allowed" in edit_title(client, 4, "Before promotion").get_data(as_text=True)
    time.sleep(0.01)
    write_users(users_file, dict(ROLES, eve="editor", ada="viewer"))
    assert "Saved" in edit_title(client, 4, "After promotion").get_data(as_text=True)
    write_users(users_file, {"root": "admin"})  # eve removed: her session ends
    assert client.get("/_dash-layout").status_code == 401


def test_signing_out_ends_the_session(password_app):
    client = password_app.server.test_client()
    sign_in(client, "ada")
    assert client.get("/_dash-layout").status_code == 200
    out = client.post("/logout", data={"csrf_token": csrf_of(client)})
    assert out.status_code == 302 and out.headers["Location"] == "/login"
    assert client.get("/_dash-layout").status_code == 401


def test_a_forged_session_cookie_is_ignored(password_app):
    client = password_app.server.test_client()
    other = Signer("another-secret-of-enough-length-0123456789", session_seconds=3600, token_seconds=3600)
    client.set_cookie(SESSION_COOKIE, other.session_cookie({"via": "password", "user": "root", "nonce": "1"}), path="/")
    assert client.get("/_dash-layout").status_code == 401


# Proxy headers ----------------------------------------------------------------------------------


@pytest.fixture
def proxy_app(make_settings):
    return create_app(
        settings=make_settings(auth="proxy", secret_key=SECRET, trusted_proxies="10.0.0.0/8", cookie_secure=False)
    )


def test_proxy_headers_are_believed_only_from_trusted_addresses(proxy_app):
    client = proxy_app.server.test_client()
    headers = {"X-Forwarded-User": "root", "X-Forwarded-Groups": "dashboard-admins"}
    spoofed = client.get("/_dash-layout", headers=headers, environ_base={"REMOTE_ADDR": "192.168.1.9"})
    assert spoofed.status_code == 401 and "sign-in proxy" in spoofed.get_json()["error"]
    trusted = client.get("/api/screens", headers=headers, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert trusted.status_code == 200


@pytest.mark.parametrize(
    "groups, allowed", [("dashboard-admins", True), ("staff, dashboard-editors", False), ("", False)]
)
def test_proxy_groups_map_to_roles(proxy_app, groups, allowed):
    client = proxy_app.server.test_client()
    headers = {"X-Forwarded-User": "sam", "X-Forwarded-Groups": groups}
    response = client.get("/api/screens", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert response.status_code == (200 if allowed else 403)


def test_a_proxy_user_needs_the_csrf_token_for_callbacks(proxy_app):
    client = proxy_app.server.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.0.7"
    headers = {"X-Forwarded-User": "sam", "X-Forwarded-Groups": "dashboard-editors"}
    client.get("/achievements", headers=dict(headers, **HTML))
    assert client.post("/_dash-update-component", json={}, headers=headers).status_code == 403
    deps = client.get("/_dash-dependencies", headers=headers).get_json()
    event = [
        {
            "rowId": "5",
            "colId": "title",
            "value": "Edited via the proxy",
            "oldValue": "x",
            "data": loaded_row(client, 5),
        }
    ]
    body = request_for(
        find_callback(deps, "achievements-messages.children"),
        {"achievements-grid.cellValueChanged": event},
        "achievements-grid.cellValueChanged",
    )
    ok = client.post("/_dash-update-component", json=body, headers=dict(headers, **{"X-CSRFToken": csrf_of(client)}))
    assert ok.status_code == 200 and "Saved" in ok.get_data(as_text=True)


def test_hsts_only_on_https_as_told_by_a_trusted_proxy(proxy_app):
    client = proxy_app.server.test_client()
    trusted = client.get("/healthz", headers={"X-Forwarded-Proto": "https"}, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert trusted.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    untrusted = client.get(
        "/healthz", headers={"X-Forwarded-Proto": "https"}, environ_base={"REMOTE_ADDR": "172.16.0.1"}
    )
    assert "Strict-Transport-Security" not in untrusted.headers


# Read-only tokens -------------------------------------------------------------------------------


def test_a_read_only_token_lets_a_screen_in_and_renews(password_app):
    # Issued a minute ago: its renewal, an hour from now, is a new token (one issued this very
    # second would be the same token again).
    signer = Signer(SECRET, session_seconds=3600, token_seconds=3600, clock=lambda: time.time() - 60)
    token = signer.issue_token("lobby-tv")
    client = password_app.server.test_client()
    assert client.get(f"/api/charts/value-trend?token={token}").status_code == 200
    page = client.get(f"/wallboard?token={token}", headers=HTML)
    assert page.status_code == 200
    # The page's own requests ride on the cookie the page set.
    assert client.get("/_dash-layout").status_code == 200
    renewed = client.get(f"/api/token/renew?token={token}").get_json()
    assert renewed["name"] == "lobby-tv" and renewed["token"] != token and renewed["renew_after_s"] > 0
    assert signer.read_token(renewed["token"]).name == "lobby-tv"


def test_a_token_screen_cannot_write(password_app):
    token = Signer(SECRET, session_seconds=3600, token_seconds=3600).issue_token("lobby-tv")
    client = password_app.server.test_client()
    client.get(f"/achievements?token={token}", headers=HTML)
    before = stored_title(password_app, 6)
    response = edit_title(client, 6, "Written by a wallboard")
    assert "needs the editor role; lobby-tv has the viewer role" in response.get_data(as_text=True)
    assert stored_title(password_app, 6) == before


def test_expired_forged_and_revoked_tokens_are_refused(make_settings, users_file):
    app = create_app(
        settings=make_settings(
            auth="password", secret_key=SECRET, users_file=users_file, cookie_secure=False, revoked_tokens="old-tv"
        )
    )
    client = app.server.test_client()
    signer = Signer(SECRET, session_seconds=3600, token_seconds=3600)
    expired = signer.issue_token("lobby-tv", seconds=-1)
    forged = Signer("another-secret-of-enough-length-0123456789", session_seconds=1, token_seconds=3600).issue_token(
        "lobby-tv"
    )
    revoked = signer.issue_token("old-tv")
    for token in (expired, forged, revoked, "garbage"):
        assert client.get(f"/api/charts/value-trend?token={token}").status_code == 401
        refused = client.get(f"/api/token/renew?token={token}")
        assert refused.status_code == 401 and "ask an admin for a new one" in refused.get_json()["error"]


def test_the_token_command_prints_a_token_the_app_accepts(tmp_path):
    env = {"SECRET_KEY": SECRET, "PATH": "/usr/bin:/bin", "DASHBOARD_DATA_DIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-m", "dashboard", "token", "hall-tv", "--hours", "2"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    read = Signer(SECRET, session_seconds=1, token_seconds=1).read_token(out)
    assert read.name == "hall-tv" and 7100 < read.seconds_left() <= 7201  # expiry kept in whole seconds


def test_the_hash_password_command_makes_a_hash_the_users_file_accepts():
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "hash-password"],
        input="a-long-password\n",
        capture_output=True,
        text=True,
        check=True,
    )
    users = parse_users(f"users: {{ada: {{password_hash: '{done.stdout.strip()}', role: editor}}}}")
    assert users["ada"].role.label == "editor"
    short = subprocess.run(
        [sys.executable, "-m", "dashboard", "hash-password"], input="short\n", capture_output=True, text=True
    )
    assert short.returncode == 2 and "at least 12 characters" in short.stderr


# Headers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/achievements",
        "/_dash-layout",
        "/healthz",
        "/embed/value-trend",
        "/api/charts",
        "/assets/dashboard.js",
        "/no-such-page",
    ],
)
def test_every_response_carries_the_security_headers(make_settings, path):
    app = create_app(settings=make_settings())
    response = app.server.test_client().get(path)
    csp = dict(part.split(" ", 1) for part in response.headers["Content-Security-Policy"].split("; "))
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert csp["script-src"].startswith("'self' 'sha256-") and csp["frame-ancestors"] == "'self'"
    assert csp["object-src"] == "'none'" and csp["base-uri"] == "'self'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP


def test_the_policy_hashes_every_inline_script_of_the_page(make_settings):
    app = create_app(settings=make_settings())
    response = app.server.test_client().get("/")
    page = re.sub(r"<!--.*?-->", "", response.get_data(as_text=True), flags=re.S)  # IE-only, never run
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", page, flags=re.S)
    assert inline, "the Dash page has inline scripts (its renderer start-up)"
    for script in inline:
        digest = "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        assert digest in response.headers["Content-Security-Policy"]


class Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def test_the_logs_name_the_user_and_never_hold_a_password_or_token(password_app):
    client = password_app.server.test_client()
    token = Signer(SECRET, session_seconds=3600, token_seconds=3600).issue_token("lobby-tv")
    handler, root = Records(), logging.getLogger()
    level = root.level
    root.setLevel(logging.INFO)  # setLevel, not assignment: loggers cache whether a level is on
    root.addHandler(handler)
    try:
        sign_in(client, "ada", "a-wrong-password-9")
        sign_in(client, "ada")
        client.get("/_dash-layout")
        client.get(f"/api/charts/value-trend?token={token}")
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    requests = [r for r in handler.records if r.name == "dashboard.request"]
    assert any(getattr(r, "user", None) == "ada" and r.path == "/_dash-layout" for r in requests)
    assert any(
        r.name == "dashboard.web.auth" and r.getMessage() == "sign-in failed" and r.user == "ada"
        for r in handler.records
    )
    everything = " ".join(str(vars(r)) for r in handler.records)
    assert "a-wrong-password-9" not in everything and PASSWORDS["ada"] not in everything
    assert token not in everything  # the request log has the path, not the query string


def test_behind_a_trusted_proxy_the_lock_out_is_per_browser_address(make_settings, users_file):
    app = create_app(
        settings=make_settings(
            auth="password", secret_key=SECRET, users_file=users_file, cookie_secure=False, trusted_proxies="10.0.0.0/8"
        )
    )
    attacker, owner = app.server.test_client(), app.server.test_client()
    attacker.environ_base.update(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    owner.environ_base.update(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.3")
    for _ in range(5):
        sign_in(attacker, "ada", "guessing-password")
    assert sign_in(attacker, "ada").status_code == 429
    assert sign_in(owner, "ada").status_code == 302  # same proxy, another browser: not locked out
