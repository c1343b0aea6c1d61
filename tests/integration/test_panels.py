"""Every panel of the pages, embedded: the list, its figure or KPI JSON, freshness, token, bad input."""

from __future__ import annotations

import json
import re
import time

import pytest

from dashboard import create_app
from dashboard.charts.registry import FIGURES
from dashboard.services.panels import PANELS, panel_query, read_panel
from dashboard.web.auth import Signer
from tests.fakes import FakeBackends
from tests.integration.test_auth import SECRET, write_users

CHART_IDS = [p.id for p in PANELS.values() if p.kind == "chart"]
KPI_IDS = [p.id for p in PANELS.values() if p.kind == "kpi"]


@pytest.fixture
def app(make_settings):
    return create_app(settings=make_settings())


def config_of(page: str) -> dict:
    return json.loads(re.search(r'id="embed-config">(.*?)</script>', page).group(1))


def test_every_panel_is_listed_and_every_chart_has_its_builder(app):
    listed = app.server.test_client().get("/api/charts").get_json()["charts"]
    assert [c["id"] for c in listed] == list(PANELS)
    assert set(CHART_IDS) == set(FIGURES)
    assert len(CHART_IDS) >= 9 and len(KPI_IDS) >= 6  # Overview's 2 charts and 5 KPIs, Analytics' 7, Highlights'
    value = next(c for c in listed if c["id"] == "kpi-value")
    assert value == {
        "id": "kpi-value",
        "kind": "kpi",
        "title": "Business value",
        "description": value["description"],
        "page": "/",
        "figure_url": "/api/charts/kpi-value",
        "embed_url": "/embed/kpi-value",
    }


def test_every_panel_answers_json_with_freshness_and_an_iframe_page(app):
    client = app.server.test_client()
    for panel in PANELS.values():
        response = client.get(f"/api/charts/{panel.id}?range=90d&theme=dark")
        assert response.status_code == 200, panel.id
        if panel.id == "analytics-platform":  # no tech-doc-generator configured: said, never invented
            assert response.headers["X-Data-Stale"] == "true" and response.headers["X-Data-Error"], panel.id
        else:
            assert response.headers["X-Data-Fetched-At"].endswith("Z"), panel.id
            assert response.headers["X-Data-Stale"] == "false", panel.id
        assert response.headers["X-Server-Time"].endswith("Z") and response.headers["Cache-Control"] == "no-store"
        body = response.get_json()
        if panel.kind == "chart":
            assert isinstance(body["data"], list) and body["layout"]["font"]["color"] == "#dee2e6", panel.id
        else:
            assert body["id"] == panel.id and body["text"] and "change" in body, panel.id
            assert body["range"] == ({"range": "90d", "tz": "UTC", "label": "Last 90 days"} if panel.ranged else None)
        page = client.get(f"/embed/{panel.id}?range=90d")
        assert page.status_code == 200 and config_of(page.get_data(as_text=True))["kind"] == panel.kind


def test_a_chart_is_drawn_from_the_rows_its_table_shows(app):
    client = app.server.test_client()
    figure = client.get("/api/charts/value-by-category?range=all").get_json()
    with app.server.test_request_context():
        from dashboard.web import runtime

        current = runtime.current()
        panel = PANELS["value-by-category"]
        query, problems = panel_query(panel, {"range": "all"}, current.clock.now(), currency="USD", tz="UTC")
        rows = read_panel(panel, current.services, query).rows
    assert problems == [] and rows
    bars = figure["data"][0]
    assert list(reversed(bars["x"])) == pytest.approx([r["value"] for r in rows])
    assert list(reversed(bars["customdata"])) == [r["achievements"] for r in rows]


def test_kpi_json_says_its_numbers_and_the_change_line_of_its_card(app):
    client = app.server.test_client()
    completed = client.get("/api/charts/kpi-completed?range=all").get_json()
    impact = client.get("/api/charts/kpi-impact?range=90d").get_json()
    pipeline = client.get("/api/charts/kpi-pipeline").get_json()
    assert completed["value"] == float(completed["text"].replace(",", "")) and completed["change"] == "over all time"
    assert impact["change_direction"] in ("up", "down", "flat") and "pts vs previous 90 days" in impact["change"]
    assert set(pipeline["parts"]) == {"drafts", "scheduled", "published"} and pipeline["value"] is None
    assert pipeline["text"] == " · ".join(f"{v:,.0f} {k}" for k, v in pipeline["parts"].items())


def test_an_analytics_chart_reads_its_filters_and_an_overview_chart_ignores_them(app):
    client = app.server.test_client()
    rows = client.get("/api/charts/analytics-categories?range=all&category=bugfix").get_json()["data"]
    assert {trace["name"] for trace in rows} == {"bugfix"}
    assert client.get("/api/charts/value-trend?category=nope").status_code == 200
    bad = client.get("/api/charts/analytics-categories?category=nope")
    assert bad.status_code == 400 and "Unknown category 'nope'" in bad.get_json()["error"]
    page = client.get("/embed/analytics-categories?range=90d&category=bugfix&kiosk=1").get_data(as_text=True)
    assert config_of(page)["figureUrl"] == "/api/charts/analytics-categories?range=90d&category=bugfix&theme=light"


@pytest.mark.parametrize(
    "query, words",
    [
        ("range=forever", "Accepted: 7d, 30d"),
        ("from=now-3x", "is not a time"),
        ("tz=Mars/Olympus", "is not a time zone"),
        ("from=" + "9" * 5000, "too long"),
        ("range=%F0%9F%92%A5", "Unknown range"),
    ],
)
def test_a_bad_range_is_a_400_in_words_for_every_panel(app, query, words):
    client = app.server.test_client()
    for panel_id in PANELS:
        response = client.get(f"/api/charts/{panel_id}?{query}")
        assert response.status_code == 400, panel_id
        error = response.get_json()["error"]
        assert words in error and len(error) < 400, panel_id


def test_an_unknown_panel_is_a_404_naming_those_that_exist(app):
    client = app.server.test_client()
    response = client.get("/api/charts/kpi-nope")
    assert (
        response.status_code == 404
        and "Known: value-trend, value-by-category, kpi-value" in response.get_json()["error"]
    )
    page = client.get("/embed/kpi-nope")
    assert page.status_code == 404 and 'href="/embed/kpi-pipeline"' in page.get_data(as_text=True)


def test_a_read_only_token_opens_every_panel_and_nothing_without_it(make_settings, tmp_path):
    users = write_users(tmp_path / "users.yaml")
    app = create_app(settings=make_settings(auth="password", secret_key=SECRET, users_file=users, cookie_secure=False))
    client = app.server.test_client()
    token = Signer(SECRET, session_seconds=3600, token_seconds=3600, clock=lambda: time.time() - 60).issue_token("tv")
    for panel_id in PANELS:
        assert client.get(f"/api/charts/{panel_id}").status_code in (401, 302, 303), panel_id
        assert client.get(f"/api/charts/{panel_id}?range=7d&token={token}").status_code == 200, panel_id
    page = client.get(f"/embed/kpi-value?token={token}").get_data(as_text=True)
    assert config_of(page)["token"] == token and config_of(page)["renewUrl"] == "/api/token/renew"


def test_a_failed_backend_gives_an_unknown_kpi_marked_stale_never_a_zero(make_settings):
    with FakeBackends() as backends:
        backends.set_fault("achievement-collector", "down")
        client = create_app(settings=make_settings(achievement_api_url=backends.achievement_url)).server.test_client()
        response = client.get("/api/charts/kpi-completed")
    assert response.status_code == 200 and response.headers["X-Data-Stale"] == "true"
    body = response.get_json()
    assert body["value"] is None and body["text"] == "—" and "unreachable" in body["change"]


# The menu's callbacks, as the browser sends them ------------------------------------------------


def menu_call(client, output: str, action: str, panel, tile, state: dict, *, siblings=()):
    """A click on a menu item: the pattern-matching inputs as Dash sends them (every item of the
    page, the clicked one with n_clicks 1), and the callback's states by 'id.prop'."""
    from bench.dash_payloads import find_callback, request_for

    dep = find_callback(client.get("/_dash-dependencies").get_json(), output)
    body = request_for(dep, state)
    clicked = {"type": "panel-action", "action": action, "panel": panel, "tile": tile}
    inputs = []
    for spec in dep["inputs"]:
        wanted = json.loads(spec["id"])["action"]
        items = [clicked] if wanted == action else []
        items += [{**clicked, "action": wanted, "panel": p, "tile": t} for p, t in siblings]
        inputs.append([{"id": i, "property": "n_clicks", "value": 1 if i == clicked else None} for i in items])
    body["inputs"] = inputs
    body["changedPropIds"] = [json.dumps(clicked, sort_keys=True, separators=(",", ":")) + ".n_clicks"]
    return client.post("/_dash-update-component", json=body)


def test_copy_link_carries_the_range_the_filters_and_the_panels_anchor(app):
    client = app.server.test_client()
    state = {"url.pathname": "/analytics", "url.search": "?category=bugfix&range=90d&refresh=60"}
    answer = menu_call(client, "panel-share.is_open", "link", "analytics-time", "analytics-time", state)
    assert answer.status_code == 200
    text = json.dumps(answer.get_json(), ensure_ascii=False)  # Dash writes "/" as \u002f
    assert "http://localhost/analytics?category=bugfix&refresh=60&range=90d#analytics-time-card" in text
    # No range in the URL: the link names the page's default, so it shows the same period tomorrow.
    plain = menu_call(client, "panel-share.is_open", "link", "kpi-value", "overview-value", {"url.pathname": "/"})
    assert "http://localhost/?range=30d#overview-value-card" in json.dumps(plain.get_json())


def test_embed_code_carries_the_range_and_the_pages_theme(app):
    client = app.server.test_client()
    state = {
        "url.pathname": "/",
        "url.search": "?from=now-1M/M&to=now-1M/M&tz=Europe/Paris",
        "theme-store.data": "dark",
    }
    answer = menu_call(client, "panel-share.is_open", "embed", "value-trend", "overview-trend", state)
    text = json.loads(answer.get_data(as_text=True))["response"]["panel-share-body"]["children"]
    values = [json.dumps(part) for part in text]
    assert any(
        "/embed/value-trend?from=now-1M%2FM&amp;to=now-1M%2FM&amp;tz=Europe%2FParis&amp;theme=dark" in v for v in values
    )
    assert any(
        "/api/charts/value-trend?from=now-1M%2FM&to=now-1M%2FM&tz=Europe%2FParis&theme=dark" in v for v in values
    )


def test_inspect_shows_the_rows_and_a_bad_range_falls_back_as_on_the_page(app):
    client = app.server.test_client()
    state = {"url.search": "?range=forever"}
    answer = menu_call(client, "panel-inspect.is_open", "inspect", "kpi-pipeline", "overview-pipeline", state)
    body = json.loads(answer.get_data(as_text=True))["response"]
    assert (
        body["panel-inspect"]["is_open"] is True
        and body["panel-inspect-title"]["children"] == "Data · Content pipeline"
    )
    cells = json.dumps(body["panel-inspect-body"]["children"])
    assert '"scheduled"' in cells and '"ready to schedule"' in cells


@pytest.mark.parametrize(
    "panel, tile, search",
    [
        ("nope", "overview-value", "?range=7d"),  # an id the page never drew
        ("kpi-value", 12, "?range=7d"),  # a tile that is not text
        ("kpi-value", "overview-value", "?from=" + "9" * 20000),  # huge
        ("kpi-value", "ÿ\u202e💥", "?tz=%00%FF"),  # unicode, control characters
    ],
)
def test_hostile_menu_requests_get_a_bounded_answer_never_a_500(app, panel, tile, search):
    client = app.server.test_client()
    for output, action in (
        ("panel-inspect.is_open", "inspect"),
        ("panel-download.data", "csv"),
        ("panel-share.is_open", "embed"),
    ):
        answer = menu_call(client, output, action, panel, tile, {"url.pathname": "/", "url.search": search})
        assert answer.status_code in (200, 204, 400, 413), (action, answer.status_code)
        assert len(answer.get_data()) < 200_000
