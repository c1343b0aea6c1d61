"""/healthz, /readyz, /metrics and the JSON request log, through the factory's own server."""

from __future__ import annotations

import json
import logging

from bench.dash_payloads import find_callback, request_for
from dashboard import create_app
from dashboard.observability import JsonFormatter, request_id_var
from tests.conftest import RedisServer
from tests.contract_server import FakeBackends


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
    assert 'dashboard_request_duration_seconds_count{method="POST",route="/_dash-update-component",status="200"}' in text
    assert 'dashboard_callback_duration_seconds_count{callback="overview-value-value.children"}' in text
    assert 'dashboard_backend_requests_total{method="GET",outcome="ok",path="/achievements/",' \
           'service="achievement-collector"}' in text
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
