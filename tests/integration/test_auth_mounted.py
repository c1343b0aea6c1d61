"""The web side mounted under a prefix in a host's Flask app, and its sign-in limits as settings."""

from __future__ import annotations

import re

import flask
import pytest

from dashboard import create_app
from tests.integration.test_auth import HTML, PASSWORDS, SECRET, write_users


@pytest.fixture
def host(make_settings, tmp_path):
    """A host with its own /login and /healthz (endpoints "login", "healthz") and the dashboard at /insights/."""
    host = flask.Flask("host")
    host.add_url_rule("/login", "login", lambda: "the host's own sign-in")
    host.add_url_rule("/healthz", "healthz", lambda: "the host is fine")
    settings = make_settings(
        auth="password",
        secret_key=SECRET,
        users_file=write_users(tmp_path / "users.yaml"),
        cookie_secure=False,
        login_attempts=2,
        login_lock_seconds=90,
        login_form_seconds=600,
    )
    create_app(server=host, url_base_pathname="/insights/", settings=settings)
    return host


def sign_in_form(client) -> tuple[flask.Response, str]:
    page = client.get("/insights/login")
    return page, re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def test_every_web_route_answers_under_the_prefix_beside_the_hosts_own(host):
    client = host.test_client()
    assert client.get("/login").get_data(as_text=True) == "the host's own sign-in"
    assert client.get("/healthz").get_data(as_text=True) == "the host is fine"
    assert "Content-Security-Policy" not in client.get("/login").headers  # the host's answers are its own
    page = client.get("/insights/analytics", headers=HTML)
    assert page.status_code == 302 and page.headers["Location"] == "/insights/login?next=%2Finsights%2Fanalytics"
    assert client.get("/insights/healthz").get_json()["status"] == "ok"
    assert client.get("/insights/readyz").status_code == 200
    assert client.get("/insights/metrics").status_code == 200
    assert client.get("/insights/embed-script.js").mimetype == "text/javascript"
    assert client.get("/insights/api/charts").status_code == 401
    assert client.get("/insights/api/screens").status_code == 401
    assert client.post("/insights/api/heartbeat", json={"screen": "lobby"}).status_code == 401
    assert client.get("/insights/api/token/renew?token=nope").status_code == 401
    assert client.get("/insights/logout").headers["Location"] == "/insights/login"
    form, csrf = sign_in_form(client)
    assert form.status_code == 200 and 'action="/insights/login"' in form.get_data(as_text=True)
    signed_in = client.post(
        "/insights/login", data={"username": "root", "password": PASSWORDS["root"], "csrf_token": csrf}
    )
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/insights/"
    charts = client.get("/insights/api/charts").get_json()["charts"]
    assert charts[0]["embed_url"] == f"/insights/embed/{charts[0]['id']}"
    assert client.get(charts[0]["embed_url"]).status_code == 200
    assert client.get("/insights/api/screens").get_json() == {"screens": []}


def test_the_web_endpoints_have_names_url_for_knows(host):
    with host.test_request_context():
        assert flask.url_for("threads_dashboard_auth.login") == "/insights/login"
        assert flask.url_for("threads_dashboard_auth.renew_token") == "/insights/api/token/renew"
        assert flask.url_for("threads_dashboard_observability.healthz") == "/insights/healthz"
        assert flask.url_for("threads_dashboard_embeds.chart_embed", chart_id="value-trend") == (
            "/insights/embed/value-trend"
        )
        assert flask.url_for("threads_dashboard_heartbeats.heartbeat") == "/insights/api/heartbeat"
        assert flask.url_for("login") == "/login"


def test_the_sign_in_limits_come_from_the_settings(host):
    client = host.test_client()
    form, _ = sign_in_form(client)
    login_cookie = next(c for c in form.headers.getlist("Set-Cookie") if c.startswith("login_csrf="))
    assert "Max-Age=600" in login_cookie and "Path=/insights/" in login_cookie

    def attempt(password: str) -> flask.Response:
        _, csrf = sign_in_form(client)
        return client.post("/insights/login", data={"username": "ada", "password": password, "csrf_token": csrf})

    assert [attempt("not-her-password").status_code for _ in range(2)] == [401, 401]
    locked = attempt(PASSWORDS["ada"])  # even the right password waits out the lock
    assert locked.status_code == 429 and "Wait 90 seconds." in locked.get_data(as_text=True)
