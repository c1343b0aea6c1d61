"""Property tests of the pages' URL parameters and the JSON endpoints (issue 6).

Every page's `layout(**query)` returns a component tree for any query; the chart, embed and
heartbeat endpoints answer any query string or body with a status below 500, and explain a 4xx.
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

import pytest
from dash.development.base_component import Component
from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain.models import PLATFORMS
from dashboard.services.panels import PANELS as CHARTS
from tests.components import in_request, load_page, text_of
from tests.unit.test_properties_common import covers, examples, json_values, url_text

query_value = st.one_of(
    url_text,
    st.lists(url_text, min_size=2, max_size=3),
    st.sampled_from(
        [
            "7d",
            "90d",
            "all",
            "9999-12-31",
            "0001-01-01",
            "1e400",
            "inf",
            "-5",
            "0",
            "board",
            "table",
            *PLATFORMS,
            "overview:5",
            "system:15:7d",
        ]
    ),
)
PARAMETERS = [
    "range",
    "view",
    "platform",
    "post",
    "from",
    "to",
    "category",
    "published",
    "refresh",
    "views",
    "kiosk",
    "screen",
    "theme",
    "token",
]
queries = st.dictionaries(st.sampled_from(PARAMETERS), query_value, max_size=5)
PAGES = ["overview", "achievements", "analytics", "content", "system", "wallboard", "not_found_404"]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    return {name: load_page(name, data) for name in PAGES}


@given(st.sampled_from(PAGES), queries)
@examples(250)
@covers(
    "dashboard.ui.pages.overview.layout (?range, ?view)",
    "dashboard.ui.pages.achievements.layout",
    "dashboard.ui.pages.analytics.layout (range, from, to, category, published)",
    "dashboard.ui.pages.content.layout / parse_query (view, platform, post)",
    "dashboard.ui.pages.system.layout (?refresh)",
    "dashboard.ui.pages.wallboard.layout (?views)",
)
def test_every_page_renders_any_query(pages, name, query):
    tree = in_request(pages[name].layout, **query)
    assert isinstance(tree, Component)
    assert isinstance(text_of(tree), str)


@given(st.one_of(url_text, st.sampled_from(["lobby", "ops", "", "..", "%2F"])), queries)
@examples(100)
@covers("dashboard.ui.pages.wallboard.profile_layout (/wallboard/<profile>)")
def test_every_wallboard_profile_path_renders(pages, profile, query):
    tree = in_request(pages["wallboard"].profile_layout, profile=profile, **query)
    assert isinstance(tree, Component)


@given(
    st.one_of(st.none(), url_text, st.lists(url_text, min_size=2, max_size=2)),
    st.one_of(st.none(), url_text, st.sampled_from(PLATFORMS)),
    st.one_of(st.none(), url_text, st.integers().map(str), st.just("9" * 40), st.just("١٢")),
)
@examples(300)
@covers("dashboard.ui.pages.content.parse_query")
def test_content_query_gives_a_view_and_explains_bad_values(pages, view, platform, post):
    view_key, platform_key, selected, _problems = pages["content"].parse_query(view, platform, post)
    assert view_key in ("board", "table")
    assert platform_key is None or platform_key in PLATFORMS
    if post in (None, ""):
        assert selected is None
    elif "id" in selected:
        assert type(selected["id"]) is int and 1 <= selected["id"] < 2**63  # SQLite's integer range
    else:  # the post panel says it is not found, naming it (cut short)
        assert selected == {"unknown": str(post)[:60]}


@pytest.fixture
def client(make_settings):
    from dashboard import create_app

    return create_app(settings=make_settings()).server.test_client()


def assert_explained(response) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    if response.status_code >= 400 and response.mimetype == "application/json":
        assert (response.get_json().get("error") or "").strip()


raw_query = st.one_of(
    st.dictionaries(st.sampled_from(["range", "theme", "refresh", "token", "x"]), query_value, max_size=4).map(
        lambda q: urlencode(q, doseq=True)
    ),
    st.text("%&=+;?#abcdefr0123456789", max_size=30),
    st.sampled_from(
        [
            "refresh=inf",
            "refresh=-inf",
            "refresh=nan",
            "refresh=1e400",
            "refresh=1e300",
            "refresh=%FF",
            "range=%00",
            "theme=dark&range=ALL",
        ]
    ),
)
# Ids that reach the embed routes: with a "/" or as "." / ".." the path is another route, Dash's
# page router, whose registry is global to the process (two test apps here) and not under test.
chart_ids = st.one_of(
    st.sampled_from(sorted(CHARTS)), url_text.filter(lambda t: t.strip() and "/" not in t and t.strip("."))
)


@given(chart_ids, raw_query)
@examples(60)
@covers(
    "dashboard.web.embeds chart_embed (/embed/<id>?range, refresh, theme)", "dashboard.web.embeds._refresh_argument"
)
def test_embed_page_answers_any_query(client, chart_id, query):
    response = client.get(f"/embed/{quote(chart_id, safe='')}?{query}")
    assert_explained(response)
    if response.status_code == 200:
        page = response.get_data(as_text=True)
        config = json.loads(page.split('id="embed-config">', 1)[1].split("</script>", 1)[0])
        assert 5_000 <= config["refreshMs"] <= 86_400_000  # setInterval treats more than 2^31-1 ms as 0


@given(chart_ids, raw_query)
@examples(40)
@covers("dashboard.web.embeds chart_figure (/api/charts/<id>?range, theme)")
def test_chart_json_answers_any_query(client, chart_id, query):
    response = client.get(f"/api/charts/{quote(chart_id, safe='')}?{query}")
    assert_explained(response)
    if response.status_code == 200:
        body = response.get_json()
        assert "data" in body if CHARTS[chart_id].kind == "chart" else "text" in body and "value" in body


heartbeat_bodies = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "screen": st.one_of(url_text, st.sampled_from(["lobby", "ops-tv", "a" * 41, "lobby\n"]), json_values),
            "page": st.one_of(url_text, json_values),
            "state": st.one_of(st.sampled_from(["ok", "stale", "failed"]), json_values),
        },
    ).map(json.dumps),
    json_values.map(json.dumps),
    st.text(max_size=30),
    st.just("[" * 5000),
)


@given(heartbeat_bodies, st.sampled_from(["application/json", "text/plain"]))
@examples(150)
@covers(
    "dashboard.web.heartbeats heartbeat (POST /api/heartbeat body)", "dashboard.infra.screens.ScreenRegistry.record"
)
def test_heartbeat_answers_any_body(client, body, content_type):
    response = client.post("/api/heartbeat", data=body, content_type=content_type)
    assert_explained(response)
    if response.status_code == 200:
        screen = response.get_json()["screen"]
        assert isinstance(screen, str) and screen.strip() == screen and 1 <= len(screen) <= 40
        listed = client.get("/api/screens").get_json()["screens"]
        assert screen in [s["screen"] for s in listed]
    else:
        assert response.status_code == 400 and "screen" in response.get_json()["error"]


@given(
    st.one_of(url_text, st.sampled_from(["lobby\n", "lobby", "a" * 40, "a" * 41, "lobby tv", "ops.tv-1_2"])),
    st.one_of(url_text, json_values),
    st.one_of(url_text, json_values),
)
@examples(200)
@covers("dashboard.infra.screens.ScreenRegistry.record")
def test_screen_registry_keeps_only_well_formed_screen_ids(screen, page, state):
    import re

    from dashboard.infra.screens import ScreenRegistry

    registry = ScreenRegistry(clock=lambda: 1000.0)
    try:
        beat = registry.record(screen, page, state)
    except ValueError as exc:
        assert "screen must be" in str(exc)
        assert not re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", screen)
        return
    assert re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", beat.screen)
    assert beat.state in ("ok", "stale", "failed") and len(beat.page) <= 40
    assert [b.screen for b in registry.all()] == [screen]
