"""/healthz, /readyz, /metrics and the JSON request log, through the factory's own server."""

from __future__ import annotations

import json
import logging

import pytest

from bench.dash_payloads import find_callback, request_for
from dashboard import create_app
from dashboard.web.observability import JsonFormatter, request_id_var
from tests.conftest import RedisServer
from tests.fakes import FakeBackends
from tests.integration.test_auth import SECRET, write_users


def refresh_overview(client):
    dep = find_callback(client.get("/_dash-dependencies").get_json(), "overview-value-value.children")
    body = request_for(dep, {"overview-range.data": "all"}, triggered="overview-range.data")
    return client.post("/_dash-update-component?endId=abc", json=body, headers={"X-Request-ID": "req-42"})


def test_metrics_count_requests_callbacks_cache_and_backend_calls(make_settings):
    with FakeBackends() as backends:
        app = create_app(settings=make_settings(achievement_api_url=backends.achievement_url))
        client = app.server.test_client()
        response = refresh_overview(client)
        assert response.status_code == 200 and response.headers["X-Request-ID"] == "req-42"
        refresh_overview(client)
        backends.set_fault("achievement-collector", "500")
        text = client.get("/metrics").get_data(as_text=True)
    assert (
        'dashboard_request_duration_seconds_count{method="POST",route="/_dash-update-component",status="200"}'
    ) in text
    assert 'dashboard_callback_duration_seconds_count{callback="overview-value-value.children"}' in text
    assert (
        'dashboard_backend_requests_total{method="GET",outcome="ok",path="/achievements/",'
        'service="achievement-collector"}' in text
    )
    assert 'dashboard_cache_events_total{event="hits",key="achievements:all"}' in text


def test_readyz_reports_redis_and_recovers(make_settings, tmp_path):
    redis = RedisServer(tmp_path)
    redis.start()
    try:
        app = create_app(settings=make_settings(redis_url=redis.url))
        client = app.server.test_client()
        assert client.get("/readyz").get_json() == {"status": "ready", "problems": []}
        redis.stop()
        down = client.get("/readyz")
        assert down.status_code == 503 and "redis unreachable" in down.get_json()["problems"][0]
        assert client.get("/healthz").status_code == 200  # liveness does not depend on Redis
        redis.start()
        assert client.get("/readyz").status_code == 200
    finally:
        redis.stop()


def test_json_log_line_carries_the_request_id():
    token = request_id_var.set("req-7")
    try:
        record = logging.LogRecord("dashboard.backend", logging.INFO, __file__, 1, "backend call", (), None)
        record.service, record.status = "orchestrator", 503
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["request_id"] == "req-7" and line["service"] == "orchestrator" and line["status"] == 503
    assert line["msg"] == "backend call" and line["level"] == "info"


def test_host_routes_are_not_observed(make_settings):
    import flask

    host = flask.Flask("host")
    host.add_url_rule("/", "home", lambda: "host")
    create_app(server=host, url_base_pathname="/insights/", settings=make_settings())
    client = host.test_client()
    assert "X-Request-ID" not in client.get("/").headers
    assert client.get("/insights/healthz").status_code == 200
    assert "X-Request-ID" in client.get("/insights/healthz").headers
    assert client.get("/insights/metrics").status_code == 200


# Request bodies: bounded, parsed once, and never for a request the gate refuses ---------------


def _traced_peak(call) -> tuple[object, int]:
    import tracemalloc

    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture
def password_app_factory(make_settings, tmp_path):
    users = write_users(tmp_path / "users.yaml")
    return lambda: create_app(
        settings=make_settings(auth="password", secret_key=SECRET, users_file=users, cookie_secure=False)
    )


def test_a_body_over_the_limit_is_refused_before_it_is_read(make_settings):
    app = create_app(settings=make_settings(max_request_bytes=256 * 1024))
    client = app.server.test_client()
    response = client.post("/_dash-update-component", data=b"[" * (300 * 1024), content_type="application/json")
    assert response.status_code == 413 and response.headers["Connection"] == "close"
    assert response.get_json() == {
        "error": "request body too large: this dashboard accepts at most 0.25 MB (DASHBOARD_MAX_REQUEST_BYTES)"
    }
    assert client.post("/login", data={"user": "x" * (300 * 1024)}).status_code == 413


def test_an_unauthenticated_callback_is_refused_without_parsing_its_body(password_app_factory, fault_tally):
    """A 50 MB body sent without signing in took a worker from 125 to 1,154 MB: the metrics hook
    parsed it after the 401. Under the limit, 600,000 empty objects parse into ~40 MB."""
    app = password_app_factory()
    client = app.server.test_client()
    body = b"[" + b"{}," * 600_000 + b"{}]"
    response, peak = _traced_peak(
        lambda: client.post("/_dash-update-component", data=body, content_type="application/json")
    )
    assert response.status_code == 401
    assert peak < 4 * len(body)
    fault_tally.fault("a huge callback body, signed out", "dashboard")


def test_deeply_nested_json_is_a_clear_400_for_a_user_and_a_401_for_a_stranger(
    make_settings, password_app_factory, fault_tally
):
    nested = b"[" * 100_000 + b"]" * 100_000
    signed_in = create_app(settings=make_settings()).server.test_client()
    refused = signed_in.post("/_dash-update-component", data=nested, content_type="application/json")
    assert refused.status_code == 400
    assert refused.get_json()["error"].startswith("bad callback request: the body is not JSON a callback can read")
    stranger = password_app_factory().server.test_client()
    assert stranger.post("/_dash-update-component", data=nested, content_type="application/json").status_code == 401
    fault_tally.fault("JSON nested 100,000 deep", "dashboard")


@pytest.mark.parametrize(
    "body",
    [[], {"inputs": []}, {"output": 7}, {"output": "a.b", "inputs": {}}, {"output": "a.b", "state": "x"}, "text", None],
)
def test_a_body_not_shaped_like_a_callback_is_a_400(make_settings, body):
    client = create_app(settings=make_settings()).server.test_client()
    response = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert "bad callback request" in response.get_json()["error"]


def test_a_callback_without_a_body_length_is_a_411(make_settings):
    client = create_app(settings=make_settings()).server.test_client()
    response = client.post("/_dash-update-component")
    assert response.status_code == 411 and response.get_json() == {"error": "a callback body needs a Content-Length"}


def test_a_callback_body_is_parsed_once(make_settings, monkeypatch):
    """Dash reads the body our check parsed (Flask keeps it), it does not decode it again."""
    import flask.json.provider

    app = create_app(settings=make_settings())
    client = app.server.test_client()
    dep = find_callback(client.get("/_dash-dependencies").get_json(), "overview-value-value.children")
    body = request_for(dep, {"overview-range.data": "all"}, triggered="overview-range.data")
    loads = []
    original = flask.json.provider.DefaultJSONProvider.loads
    monkeypatch.setattr(
        flask.json.provider.DefaultJSONProvider,
        "loads",
        lambda self, s, **kw: loads.append(len(s)) or original(self, s, **kw),
    )
    assert client.post("/_dash-update-component", json=body).status_code == 200
    assert len(loads) == 1
