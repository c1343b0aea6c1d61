"""The factory: its own server, mounted in a host Flask app, and the callback contract."""

from __future__ import annotations

import json

import flask
import pytest

from dashboard import create_app


def test_own_server_serves_pages_health_and_layout(make_settings):
    app = create_app(settings=make_settings())
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    health = client.get("/healthz")
    assert health.status_code == 200 and health.get_json()["status"] == "ok"
    layout = client.get("/_dash-layout").get_json()
    assert "refresh-interval" in json.dumps(layout)
    deps = client.get("/_dash-dependencies").get_json()
    assert any("overview-value-value.children" in d["output"] for d in deps)


def test_page_scripts_are_compressed(make_settings):
    app = create_app(settings=make_settings())
    client = app.server.test_client()
    html = client.get("/").get_data(as_text=True)
    script = next(part.split('"')[0] for part in html.split('src="')[1:] if "dash_renderer" in part)
    response = client.get(script, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == "gzip"


def test_mounted_under_a_prefix_leaves_the_host_alone(make_settings):
    host = flask.Flask("host")
    host.config["HOST_SETTING"] = "kept"

    @host.route("/")
    def index():
        return "host home"

    @host.errorhandler(404)
    def not_found(_error):
        return "host 404", 404

    create_app(server=host, url_base_pathname="/insights/", settings=make_settings())
    client = host.test_client()
    assert client.get("/").get_data(as_text=True) == "host home"
    assert client.get("/elsewhere").get_data(as_text=True) == "host 404"
    assert host.config["HOST_SETTING"] == "kept"
    page = client.get("/insights/")
    assert page.status_code == 200 and "/insights/_dash-component-suites/" in page.get_data(as_text=True)
    assert client.get("/insights/healthz").status_code == 200
    assert client.get("/insights/_dash-layout").status_code == 200


def test_overview_callback_answers_with_data(make_settings):
    from bench.dash_payloads import find_callback, request_for

    app = create_app(settings=make_settings())
    client = app.server.test_client()
    dep = find_callback(client.get("/_dash-dependencies").get_json(), "overview-value-value.children")
    body = request_for(
        dep,
        {"refresh-interval.n_intervals": 3, "overview-range.data": "all", "theme-store.data": "dark"},
        triggered="refresh-interval.n_intervals",
    )
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    result = response.get_json()["response"]
    store = app.server.extensions["threads_dashboard"].services.store
    assert result["overview-completed-value"]["children"] == f"{len(store.list_achievements()):,}"
    assert "tile--ok" in result["overview-value-card"]["className"]
    assert result["overview-trend-graph"]["figure"]["layout"]["font"]["color"] == "#dee2e6"  # dark theme


def test_unreachable_backend_gives_failed_tiles_not_errors(make_settings):
    from bench.dash_payloads import find_callback, request_for
    from tests.conftest import free_port

    settings = make_settings(achievement_api_url=f"http://127.0.0.1:{free_port()}")
    app = create_app(settings=settings)
    client = app.server.test_client()
    dep = find_callback(client.get("/_dash-dependencies").get_json(), "overview-value-value.children")
    body = request_for(dep, {"overview-range.data": "30d"}, triggered="overview-range.data")
    result = client.post("/_dash-update-component", json=body).get_json()["response"]
    assert result["overview-value-value"]["children"] == "—"
    assert "tile--failed" in result["overview-value-card"]["className"]
    assert "tile--ok" in result["overview-pipeline-card"]["className"]  # embedded orchestrator data
    freshness = result['{"page":"overview","type":"freshness-data"}']["data"]
    assert "unreachable" in freshness["overview-value"]["error"]


def test_invalid_environment_stops_start_up_with_the_variable_named(monkeypatch):
    from dashboard.settings import SettingsError

    monkeypatch.setenv("DASHBOARD_CACHE_TTL_SECONDS", "-1")
    with pytest.raises(SettingsError, match="DASHBOARD_CACHE_TTL_SECONDS='-1'"):
        create_app()


def test_unchanged_charts_are_not_rebuilt_or_resent(make_settings):
    from bench.dash_payloads import find_callback, request_for

    app = create_app(settings=make_settings(cache_ttl_seconds=60))
    client = app.server.test_client()
    dep = find_callback(client.get("/_dash-dependencies").get_json(), "overview-value-value.children")

    def refresh(drawn):
        body = request_for(
            dep,
            {"refresh-interval.n_intervals": 2, "overview-range.data": "30d", "overview-drawn.data": drawn},
            triggered="refresh-interval.n_intervals",
        )
        return client.post("/_dash-update-component", json=body).get_json()["response"]

    first = refresh(None)
    assert "overview-trend-graph" in first and "overview-newest-list" in first
    again = refresh(first["overview-drawn"]["data"])
    assert "overview-trend-graph" not in again and "overview-newest-list" not in again
    assert again["overview-completed-value"] == first["overview-completed-value"]  # KPIs still sent
    other_range = request_for(
        dep,
        {"overview-range.data": "7d", "overview-drawn.data": first["overview-drawn"]["data"]},
        triggered="overview-range.data",
    )
    assert "overview-trend-graph" in client.post("/_dash-update-component", json=other_range).get_json()["response"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/achievements", 200),
        ("/wallboard", 200),
        ("/wallboard/lobby", 200),
        ("/system?refresh=9", 200),
        ("/no-such-page", 404),
        ("/achievements/17", 404),
        ("/wallboard/a/b", 404),
        ("/404", 404),
    ],
)
def test_a_path_no_page_has_answers_404_with_the_page_shell(make_settings, path, status):
    app = create_app(settings=make_settings())
    response = app.server.test_client().get(path)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert b'id="react-entry-point"' in response.data  # the shell, which shows the Not found page


def test_an_unknown_embed_lists_the_charts_that_exist(make_settings):
    from dashboard.services.panels import PANELS as CHARTS

    app = create_app(settings=make_settings())
    response = app.server.test_client().get("/embed/<script>nope")
    assert response.status_code == 404 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "There is no chart “&lt;script&gt;nope”" in page and "<script>" not in page
    for spec in CHARTS.values():
        assert f'href="/embed/{spec.id}"' in page and spec.title in page
    assert app.server.test_client().get("/api/charts/nope").mimetype == "application/json"  # machines get JSON
