"""Faults in the backends: every page keeps working and nothing the user saw is lost.

For each fault × backend, over real HTTP (the fake services of tests/fakes/) and the
app's real callbacks (request bodies built from its own /_dash-dependencies):

* before: every page and every refresh callback answers, every tile is fresh;
* during: every page (GET and the page-content callback) and every refresh callback still
  answers 200 without a traceback; the tiles fed by the broken backend keep their last good
  value, marked stale with an error naming the service; every other tile is unchanged and fresh;
* after: once the backend answers again, the first refresh after the retry backoff (which is
  shorter than any screen's refresh interval) shows every tile fresh again.

Every status the dashboard answered is recorded (the `statuses` fixture): none may be a 5xx.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Optional

import pytest

from bench.dash_payloads import find_callback, request_for
from dashboard import create_app
from tests.clock import TEST_CLOCK
from tests.fakes import ACHIEVEMENTS, ORCHESTRATOR, TECH_DOC, FakeBackends

TTL = 0.2
BACKOFF = 0.35
TIMEOUT = 1.5
"""Room for a healthy local answer on a machine busy with a second test worker and a browser
(0.6 s timed out a healthy orchestrator once, under two workers; 1.0 s a collector once, on a
machine running two suites)."""
SLOW = 2.5
"""A slow service answers after SLOW seconds, well past the dashboard's TIMEOUT."""

PAGES = ("/", "/achievements", "/content", "/analytics", "/system")

# Which tiles each backend feeds (the rest of a page must not notice its faults).
OVERVIEW_FROM_ACHIEVEMENTS = {
    "overview-value",
    "overview-completed",
    "overview-impact",
    "overview-published",
    "overview-trend",
    "overview-categories",
    "overview-newest",
}
CONTENT_TILES = {
    "content-total",
    "content-today",
    "content-week",
    "content-drafts",
    "content-ready",
    "content-scheduled",
    "content-published",
    "content-quality",
    "content-board",
}
SYSTEM_TILE = {ACHIEVEMENTS: "system-achievements", ORCHESTRATOR: "system-orchestrator", TECH_DOC: "system-techdoc"}
LIVE_TILES = set(SYSTEM_TILE.values()) | {"system-cache", "system-dashboard"}
"""Tiles about the present (health probes, cache counters, uptime): their text changes every tick."""


@dataclass
class Tile:
    state: str
    error: Optional[str]
    t: Optional[int]
    value: Any = None
    css: Optional[str] = None


class Dashboard:
    """The app driven like a browser: page loads and refresh callbacks, every answer checked."""

    def __init__(self, app, statuses):
        statuses.watch(app)
        self.client = app.server.test_client()
        self.deps = self.client.get("/_dash-dependencies").get_json()
        self.tick = 0

    def _post(self, body: dict) -> dict:
        response = self.client.post("/_dash-update-component", json=body)
        assert response.status_code == 200, (body["output"][:80], response.status_code, response.data[:300])
        assert b"Traceback" not in response.data
        return response.get_json()["response"]

    def open(self, path: str) -> dict:
        """GET the page, then the page-content callback that builds its layout."""
        response = self.client.get(path)
        assert response.status_code == 200 and b"Traceback" not in response.data
        dep = find_callback(self.deps, "_pages_content.children")
        body = request_for(
            dep, {"_pages_location.pathname": path, "_pages_location.search": ""}, triggered="_pages_location.pathname"
        )
        return self._post(body)

    def _refresh_bodies(self, path: str) -> list[dict]:
        self.tick += 1
        values = {
            "refresh-interval.n_intervals": self.tick,
            "system-interval.n_intervals": self.tick,
            "theme-store.data": "light",
            "overview-range.data": "all",
            "overview-drawn.data": None,
            "analytics-filters.data": {},
            "content-reload.data": 0,
            "content-view.value": "board",
            "content-platform.value": None,
            "content-jobs-store.data": [],
            "content-board-version.data": None,
            "achievements-grid.getRowsRequest": {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}},
            "achievements-search.value": None,
            "achievements-published-only.value": False,
            "system-refresh.data": None,
        }
        outputs = {
            "/": ["overview-value-value.children"],
            "/achievements": ["achievements-grid.getRowsResponse"],
            "/content": ["content-total-value.children"],
            "/analytics": ["analytics-value-graph.figure"],
            "/system": ["system-achievements-card.className", "system-screens-body.children"],
        }[path]
        bodies = []
        for output in outputs:
            dep = find_callback(self.deps, output)
            trigger = f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"
            bodies.append(request_for(dep, values, triggered=trigger))
        return bodies

    def refresh(self, path: str) -> tuple[dict[str, Tile], dict]:
        """One refresh tick of a page: its tiles (freshness, value, class) and the raw answer."""
        merged: dict = {}
        for body in self._refresh_bodies(path):
            merged.update(self._post(body))
        freshness = next(v["data"] for k, v in merged.items() if "freshness-data" in k)
        tiles = {}
        for name, entry in freshness.items():
            if name.startswith("_"):
                continue
            tiles[name] = Tile(
                entry["state"],
                entry.get("error"),
                entry.get("t"),
                _tile_value(merged, name),
                merged.get(f"{name}-card", {}).get("className"),
            )
        return tiles, merged

    def screens(self, *, open_pages: bool = True) -> dict[str, tuple[dict[str, Tile], dict]]:
        """Every page (opened and) refreshed once."""
        result = {}
        for path in PAGES:
            if open_pages:
                self.open(path)
            result[path] = self.refresh(path)
        return result


def _tile_value(merged: dict, name: str) -> Any:
    """What a tile shows: its KPI text, its figure's data, its list or grid rows."""
    for suffix, prop in (("-value", "children"), ("-graph", "figure"), ("-list", "children"), ("-body", "children")):
        found = merged.get(name + suffix, {}).get(prop)
        if found is not None:
            return found["data"] if prop == "figure" else found
    if name == "achievements-grid":
        rows = merged["achievements-grid"]["getRowsResponse"]
        return rows["rowCount"], [r["id"] for r in rows["rowData"]], merged["achievements-kpi-value"]["children"]
    if name == "content-board":
        return merged["content-board"]["children"]
    return None


def affected_tiles(service: str, page: str, tiles: dict[str, Tile], query: Optional[dict] = None) -> set[str]:
    """The tiles of `page` that read data from `service` (from its posts list only, for a fault
    limited to a later page of the posts)."""
    if query and "offset" in query:
        return {"content-board"} if page == "/content" else set()
    if page == "/":
        if service == ACHIEVEMENTS:
            return OVERVIEW_FROM_ACHIEVEMENTS
        return {"overview-pipeline"} if service == ORCHESTRATOR else set()
    if page == "/achievements":
        return {"achievements-grid"} if service == ACHIEVEMENTS else set()
    if page == "/content":
        return CONTENT_TILES & set(tiles) if service == ORCHESTRATOR else set()
    if page == "/analytics":
        platform = {"analytics-platform"}
        return set(tiles) - platform if service == ACHIEVEMENTS else platform if service == TECH_DOC else set()
    if page == "/system":
        return {"system-metrics"} if service == ORCHESTRATOR else set()
    raise AssertionError(page)


NOTICES = {
    "/": "overview-outages",
    "/achievements": "achievements-outages",
    "/content": "content-outages",
    "/analytics": "analytics-outages",
}
"""Where each page says its outages (the System page says them in its service tiles)."""


def strings(tree: Any) -> list[str]:
    """Every string in a component tree as Dash sends it (dicts of props)."""
    if isinstance(tree, str):
        return [tree]
    if isinstance(tree, dict):
        return strings(tree.get("props", {}).get("children")) if "props" in tree else []
    if isinstance(tree, list):
        return [text for item in tree for text in strings(item)]
    return []


def notice_text(merged: dict, path: str) -> str:
    return " ".join(strings(merged.get(NOTICES[path], {}).get("children"))) if path in NOTICES else ""


def service_badge(merged: dict, service: str) -> str:
    return merged[f"{SYSTEM_TILE[service]}-status"]["children"]


# Fixtures ----------------------------------------------------------------------------------------


@pytest.fixture
def backends():
    with FakeBackends(techdoc_performance_mounted=True) as fake:
        fake.add_achievements(250 - len(fake.achievements))  # three pages of 100
        fake.add_posts(150 - len(fake.posts))  # two pages of 100
        yield fake


@pytest.fixture
def dashboard(backends, make_settings, statuses):
    app = create_app(
        settings=make_settings(
            achievement_api_url=backends.achievement_url,
            orchestrator_url=backends.orchestrator_url,
            tech_doc_api_url=backends.tech_doc_url,
            cache_ttl_seconds=TTL,
            retry_backoff_seconds=BACKOFF,
            http_timeout_seconds=TIMEOUT,
            http_connect_timeout_seconds=TIMEOUT,
        )
    )
    yield Dashboard(app, statuses)
    app.server.extensions["threads_dashboard"].services.close()


# The matrix ----------------------------------------------------------------------------------------

FAULTS = [
    # (backend, fault, query the fault is limited to, what the error says)
    (ACHIEVEMENTS, "down", None, "unreachable"),
    (ACHIEVEMENTS, "slow", None, "timed out"),
    (ACHIEVEMENTS, "500", None, "answered 500"),
    (ACHIEVEMENTS, "malformed", None, "malformed JSON"),
    (ACHIEVEMENTS, "wrong_shape", None, "unexpected shape"),
    (ACHIEVEMENTS, "drop", None, "RemoteProtocolError"),
    (ACHIEVEMENTS, "drop_mid_body", None, "RemoteProtocolError"),
    (ACHIEVEMENTS, "500", {"page": 2}, "answered 500"),
    (ACHIEVEMENTS, "malformed", {"page": 2}, "(page 2 of 3)"),
    (ACHIEVEMENTS, "drop", {"page": 2}, "(page 2 of 3)"),
    (ACHIEVEMENTS, "drop_mid_body", {"page": 2}, "(page 2 of 3)"),
    (ACHIEVEMENTS, "slow", {"page": 3}, "timed out"),
    (ORCHESTRATOR, "down", None, "unreachable"),
    (ORCHESTRATOR, "slow", None, "timed out"),
    (ORCHESTRATOR, "500", None, "answered 500"),
    (ORCHESTRATOR, "malformed", None, "malformed JSON"),
    (ORCHESTRATOR, "wrong_shape", None, "unexpected shape"),
    (ORCHESTRATOR, "drop", None, "RemoteProtocolError"),
    (ORCHESTRATOR, "drop_mid_body", None, "RemoteProtocolError"),
    (ORCHESTRATOR, "drop_mid_body", {"offset": 100}, "RemoteProtocolError"),
    (TECH_DOC, "down", None, "unreachable"),
    (TECH_DOC, "slow", None, "timed out"),
    (TECH_DOC, "500", None, "answered 500"),
    (TECH_DOC, "malformed", None, "malformed JSON"),
    (TECH_DOC, "wrong_shape", None, "unexpected shape"),
    (TECH_DOC, "drop", None, "RemoteProtocolError"),
    (TECH_DOC, "drop_mid_body", None, "RemoteProtocolError"),
]


def fault_id(case) -> str:
    service, kind, query, _ = case
    where = "" if not query else "@" + ",".join(f"{k}={v}" for k, v in query.items())
    return f"{service}-{kind}{where}"


@pytest.mark.parametrize("case", FAULTS, ids=[fault_id(c) for c in FAULTS])
def test_a_backend_fault_keeps_every_page_working_and_recovers(dashboard, backends, fault_tally, statuses, case):
    service, kind, query, says = case
    good = dashboard.screens(open_pages=False)
    for path, (tiles, _) in good.items():
        assert tiles and all(t.state == "ok" for t in tiles.values()), (path, tiles)

    fault_set_ms = TEST_CLOCK.time() * 1000
    backends.set_fault(service, kind, delay=SLOW if kind == "slow" else 0, query=query)
    time.sleep(TTL)  # every cached value has expired: the next refresh asks the backends
    during = dashboard.screens()
    for path, (tiles, merged) in during.items():
        affected = affected_tiles(service, path, tiles, query)
        assert set(tiles) == set(good[path][0]), path
        for name, tile in tiles.items():
            before = good[path][0][name]
            if name not in LIVE_TILES:
                assert tile.value == before.value, f"{path} {name}: the last good value must stay on screen"
            if name in affected:
                assert tile.state == "stale", (path, name, tile)
                assert tile.error.startswith(f"{service}: "), (path, name, tile.error)
                assert before.t <= tile.t <= fault_set_ms, f"{path} {name}: the age must be the last good value's"
                assert tile.css is None or "tile--stale" in tile.css, (path, name, tile.css)
            else:
                assert tile.state == "ok" and tile.error is None, (path, name, tile)
                assert tile.css is None or "tile--ok" in tile.css, (path, name, tile.css)
        # The whole error, once, in the page's notice: the service, since when, what to check.
        notice = notice_text(merged, path)
        if affected and path in NOTICES:
            assert notice.count(service) >= 1 and says in notice, (path, notice)
            assert "showing the last values" in notice and "Check " in notice, (path, notice)
        elif not affected:
            assert service not in notice, (path, notice)
    system = during["/system"][1]
    for other in (ACHIEVEMENTS, ORCHESTRATOR, TECH_DOC):
        badge = service_badge(system, other).lower()
        if other == service and query is None:
            assert badge in ("down", "unhealthy"), (other, badge)  # its /health fails too
        else:
            assert badge == "healthy", (other, badge)

    backends.set_fault(service, None)
    time.sleep(BACKOFF)  # a screen's next tick is later than the backoff (refresh ≥ 5 s)
    for path in PAGES:
        tiles, _ = dashboard.refresh(path)
        assert all(t.state == "ok" and t.error is None for t in tiles.values()), (path, tiles)
    fresh_overview = dashboard.refresh("/")[0]
    assert fresh_overview["overview-completed"].value == "250"
    statuses.assert_clean()
    fault_tally.fault(kind + ("" if not query else f"@{json.dumps(query)}"), service)
