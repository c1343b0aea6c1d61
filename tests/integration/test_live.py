"""The live channel as a client sees it: events, catch-up, limits, and every connection given back."""

from __future__ import annotations

import json
import queue
import threading

import pytest

from dashboard import create_app
from tests.actors import EDITOR


def read_events(response, count, timeout=10.0):
    """The first `count` events of a streamed answer, as (name, id, data)."""
    found: queue.Queue = queue.Queue()

    def reader():
        buffer = b""
        for chunk in response.response:
            buffer += chunk if isinstance(chunk, bytes) else chunk.encode()
            while b"\n\n" in buffer:
                block, buffer = buffer.split(b"\n\n", 1)
                fields = dict(line.split(": ", 1) for line in block.decode().splitlines() if ": " in line)
                if "event" in fields:
                    found.put((fields["event"], fields.get("id"), json.loads(fields["data"])))
            if found.qsize() >= count:
                return

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    thread.join(timeout)
    events = []
    while not found.empty():
        events.append(found.get())
    return events


@pytest.fixture
def app(make_settings):
    return create_app(settings=make_settings(live=True, live_heartbeat_seconds=1.0, live_stream_seconds=30))


def channel_of(app):
    return app.server.extensions["threads_dashboard"].live


def test_a_write_reaches_a_connected_screen_as_the_data_set_that_changed(app):
    services = app.server.extensions["threads_dashboard"].services
    row = services.achievements().value[0]
    client = app.server.test_client()
    response = client.get("/api/live", buffered=False)
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    assert response.headers["X-Accel-Buffering"] == "no" and "no-transform" in response.headers["Cache-Control"]
    first = read_events(response, 1)
    assert first[0][0] == "checked"
    result = services.edit_achievement(
        row.id, {"title": "Live rename"}, expected_updated_at=row.updated_at.isoformat(), actor=EDITOR
    )
    assert result.ok
    events = read_events(response, 1)
    assert [name for name, _, _ in events] == ["change"]
    assert "achievements" in events[0][2]
    response.close()
    assert channel_of(app).open_connections == 0


def test_a_screen_that_reconnects_gets_what_it_missed_and_a_stranger_is_told_to_resync(app):
    services = app.server.extensions["threads_dashboard"].services
    client = app.server.test_client()
    response = client.get("/api/live", buffered=False)
    heard = read_events(response, 1)[0][1]
    response.close()
    services.cache.invalidate("content:posts")  # a post edited while the screen was away
    again = client.get("/api/live", headers={"Last-Event-ID": heard}, buffered=False)
    events = read_events(again, 2)
    again.close()
    assert events[0][0] == "change" and list(events[0][2]) == ["posts"]
    for stranger in ("0-0", "not-an-id", "9" * 60):
        answer = client.get("/api/live?last=" + stranger, buffered=False)
        assert read_events(answer, 1)[0][0] == "resync", stranger
        answer.close()
    assert channel_of(app).open_connections == 0


def test_past_the_limit_a_screen_is_told_to_poll_and_a_head_request_holds_no_slot(make_settings):
    app = create_app(settings=make_settings(live=True, live_max_connections=1))
    client = app.server.test_client()
    for _ in range(3):
        client.head("/api/live").close()
    assert channel_of(app).open_connections == 0
    held = client.get("/api/live", buffered=False)
    refused = client.get("/api/live")
    assert refused.status_code == 503 and "polling instead" in refused.get_json()["error"]
    assert refused.headers["Retry-After"]
    held.close()
    assert client.get("/api/live", buffered=False).status_code == 200


def test_with_live_off_the_page_polls_and_the_channel_says_why(make_settings):
    app = create_app(settings=make_settings(live=False))
    client = app.server.test_client()
    answer = client.get("/api/live")
    assert answer.status_code == 404 and "DASHBOARD_LIVE" in answer.get_json()["error"]
    page = client.get("/").get_data(as_text=True)
    assert page  # the page itself still serves: its screens refresh on their interval
