"""The command palette's search through the app's own callback endpoint, against the fake
services over real HTTP: what it finds, what it says when a service is down, and hostile input."""

from __future__ import annotations

import json

import pytest

from bench.dash_payloads import find_callback, request_for
from dashboard import create_app
from dashboard.ui.components import palette
from tests.fakes import FakeBackends

RESULTS = f"{palette.RESULTS}.children"
TYPED = f"{palette.QUERY}.value"
MARK = "Quokka-grade cache warmer"


@pytest.fixture
def backends():
    with FakeBackends() as fake:
        with fake.lock:
            fake.achievements[0]["title"] = MARK
            fake.posts[0]["hook"] = f"Notes on the {MARK.lower()}"
        yield fake
    assert fake.errors == [], "the fake itself crashed:\n" + "\n".join(fake.errors)


@pytest.fixture
def client(backends, make_settings):
    app = create_app(
        settings=make_settings(achievement_api_url=backends.achievement_url, orchestrator_url=backends.orchestrator_url)
    )
    return app.server.test_client()


def ask(client, typed, search="?range=7d&refresh=off&sort=title"):
    deps = client.get("/_dash-dependencies").get_json()
    body = request_for(find_callback(deps, RESULTS), {TYPED: typed, "url.search": search}, triggered=TYPED)
    return client.post("/_dash-update-component", json=body)


def shown(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return json.dumps(response.get_json()["response"][palette.RESULTS]["children"], ensure_ascii=False)


def test_it_finds_the_achievement_and_the_post_by_title_and_links_them(client, backends):
    said = shown(ask(client, "quokka"))
    ident, post = backends.achievements[0]["id"], backends.posts[0]["id"]
    assert '"href": "/achievements?q=Quokka-grade+cache+warmer"' in said
    assert f'"href": "/content?post={post}"' in said
    assert '"Quokka"' in said and '"Mark"' in said  # the typed part, marked as written
    assert str(ident) not in said.split("/achievements")[0]  # links, not ids, make a result


def test_an_empty_box_is_a_menu_of_pages_whose_links_keep_the_range(client):
    said = shown(ask(client, ""))
    assert '"href": "/analytics?range=7d&refresh=off"' in said  # the page's own ?sort= is not carried
    assert '"href": "/highlights?range=7d&refresh=off"' in said  # not in the navbar, but a page
    assert '"href": "/wallboard/ops"' in said
    assert "/404" not in said


def test_a_service_that_is_down_is_said_instead_of_no_matches(client, backends):
    backends.set_fault("achievement-collector", "down")
    said = shown(ask(client, "quokka"))
    assert "Achievements could not be searched" in said
    assert f"/content?post={backends.posts[0]['id']}" in said  # the posts still answer


@pytest.mark.parametrize("typed", ["q" * 10_000, "\u202e\u200b\x00" * 400 + "quokka", "🚀 " * 3_000, "(.*)+["])
def test_hostile_text_is_cut_and_answered(client, typed):
    said = shown(ask(client, typed))
    assert "No matches for" in said or "Quokka" in said
    assert len(said) < 20_000


@pytest.mark.parametrize("typed", [["quokka"], {"q": 1}, 12, True])
def test_what_the_box_never_sends_is_refused_with_a_reason(client, typed):
    response = ask(client, typed)
    assert response.status_code == 400 and palette.QUERY in response.get_json()["error"]
