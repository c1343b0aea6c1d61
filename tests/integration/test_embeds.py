"""Chart embedding: the id list, figure JSON, the iframe page, framing, and the example host."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from dashboard import create_app
from tests.fakes import FakeBackends

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def client(make_settings):
    return create_app(settings=make_settings()).server.test_client()


def test_chart_index_lists_ids_and_urls(client):
    charts = client.get("/api/charts").get_json()["charts"]
    ids = [c["id"] for c in charts]
    assert "value-trend" in ids and "value-by-category" in ids
    trend = next(c for c in charts if c["id"] == "value-trend")
    assert trend["embed_url"] == "/embed/value-trend" and trend["figure_url"] == "/api/charts/value-trend"


def test_figure_json_with_freshness_headers(client):
    response = client.get("/api/charts/value-by-category?range=all&theme=dark")
    assert response.status_code == 200
    figure = response.get_json()
    assert figure["data"][0]["type"] == "bar" and len(figure["data"][0]["y"]) >= 10
    assert figure["layout"]["font"]["color"] == "#dee2e6"
    assert response.headers["X-Data-Stale"] == "false" and response.headers["X-Data-Fetched-At"].endswith("Z")


def test_bad_chart_and_bad_range_are_explained(client):
    unknown = client.get("/api/charts/nope")
    assert unknown.status_code == 404 and "Known: value-trend" in unknown.get_json()["error"]
    bad = client.get("/api/charts/value-trend?range=forever")
    assert bad.status_code == 400
    assert "Accepted: 7d, 30d, 90d, 180d, 365d, mtd, qtd, ytd, all, or from/to" in bad.get_json()["error"]


def test_embed_page_is_self_contained_and_framing_is_controlled(make_settings):
    app = create_app(settings=make_settings(frame_ancestors="'self' https://intranet.example.com"))
    client = app.server.test_client()
    page = client.get("/embed/value-trend?range=90d&refresh=2")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "/_dash-component-suites/plotly/package_data/plotly.min.js" in html
    config = json.loads(re.search(r'<script type="application/json" id="embed-config">(.*?)</script>', html).group(1))
    assert config["figureUrl"] == "/api/charts/value-trend?range=90d&theme=light"  # its & written as \u0026
    assert config["refreshMs"] == 5000 and "below the floor" in config["notice"]
    assert "frame-ancestors 'self' https://intranet.example.com" in page.headers["Content-Security-Policy"].split("; ")
    assert "frame-ancestors 'self' https://intranet.example.com" in client.get("/").headers["Content-Security-Policy"]
    # The page's script is a file (allowed by 'self'), so the policy needs no inline script for it.
    assert "<script>" not in html and '<script src="/embed-script.js">' in html
    script = client.get("/embed-script.js")
    assert script.status_code == 200 and script.mimetype == "text/javascript"
    assert "Plotly.react" in script.get_data(True)


def test_a_failed_backend_gives_a_stale_marked_no_data_figure(make_settings):
    with FakeBackends() as backends:
        backends.set_fault("achievement-collector", "down")
        client = create_app(settings=make_settings(achievement_api_url=backends.achievement_url)).server.test_client()
        response = client.get("/api/charts/value-trend")
    assert response.status_code == 200
    assert response.headers["X-Data-Stale"] == "true" and "unreachable" in response.headers["X-Data-Error"]
    assert "No data" in response.get_json()["layout"]["annotations"][0]["text"]


def test_fifty_embeds_make_one_backend_call(make_settings):
    with FakeBackends() as backends:
        client = create_app(
            settings=make_settings(achievement_api_url=backends.achievement_url, cache_ttl_seconds=30)
        ).server.test_client()
        for _ in range(50):
            assert client.get("/api/charts/value-trend").status_code == 200
    assert backends.calls["GET /achievements/"] == 1


def test_example_host_app_keeps_its_routes_and_serves_the_dashboard(monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path / "data"))
    spec = importlib.util.spec_from_file_location("host_app", ROOT / "examples" / "host_app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    client = module.build_host().test_client()
    assert 'src="/insights/embed/value-trend?range=365d"' in client.get("/").get_data(as_text=True)
    assert client.get("/about").get_json()["dashboard"] == "/insights/"
    assert client.get("/missing").get_data(as_text=True) == "Acme portal: nothing here"
    assert client.get("/insights/").status_code == 200
    assert client.get("/insights/embed/value-trend").status_code == 200
    assert client.get("/insights/api/charts/value-trend").get_json()["data"]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "achievement-collector: answered 502 to GET /achievements/: <html>\r\n<head><title>502 Bad Gateway</title>",
            "achievement-collector: answered 502 to GET /achievements/: <html> <head><title>502 Bad Gateway</title>",
        ),
        ("a\nb\rc\td\x00e\x7ff", "a b c d e f"),
        ("café – ok", "caf? ? ok"),
        ("x" * 400, "x" * 297 + "..."),
    ],
)
def test_header_value_is_one_ascii_line_of_bounded_length(text, expected):
    """Backend text went into X-Data-Error as it came: a CR/LF in it made the answer a 500 (issue 13)."""
    from dashboard.web.embeds import header_value

    assert header_value(text) == expected
