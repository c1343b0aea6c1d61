"""The orchestrator client's post, adaptation and task calls, via httpx.MockTransport."""

from __future__ import annotations

import json

import httpx
import pytest

from dashboard.sources.clients import BackendError, OrchestratorClient, make_http_client

POST = {
    "id": 7,
    "persona_id": "ai-engineer",
    "hook": "H",
    "body": "B",
    "full_content": "H\n\nB",
    "status": "draft",
    "platforms": ["linkedin"],
    "quality_score": None,
    "tokens_used": 10,
    "created_at": "2026-11-25T10:00:00",
    "scheduled_at": None,
    "published_at": None,
}


class Recorder:
    def __init__(self, status: int, body):
        self.status, self.body = status, body
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.status, json=self.body)

    @property
    def sent(self):
        return json.loads(self.requests[-1].content)


def client(handler) -> OrchestratorClient:
    return OrchestratorClient(
        make_http_client(
            "http://orchestrator.test", timeout=1, connect_timeout=0.5, transport=httpx.MockTransport(handler)
        )
    )


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"hook": "New"}, {"hook": "New"}),
        ({"body": "New"}, {"body": "New"}),
        ({"hook": "A", "body": "B"}, {"hook": "A", "body": "B"}),
    ],
)
def test_update_post_puts_only_hook_and_body(kwargs, expected):
    recorder = Recorder(200, {**POST, **expected})
    saved = client(recorder).update_post(7, **kwargs)
    request = recorder.requests[0]
    assert (request.method, request.url.path) == ("PUT", "/content/posts/7")
    assert recorder.sent == expected
    assert saved.hook == {**POST, **expected}["hook"]


def test_adapt_sends_a_bare_array_and_parses_each_platform():
    answer = [
        {
            "platform": p,
            "title": "T",
            "content": "C",
            "hashtags": ["#x"],
            "call_to_action": "Go",
            "estimated_engagement": 7.2,
        }
        for p in ("dev.to", "threads")
    ]
    recorder = Recorder(200, answer)
    adaptations = client(recorder).adapt_post(7, ["dev.to", "threads"])
    assert recorder.requests[0].url.path == "/content/posts/7/adapt"
    assert recorder.sent == ["dev.to", "threads"]
    assert [a.platform for a in adaptations] == ["dev.to", "threads"]
    assert adaptations[0].estimated_engagement == 7.2 and adaptations[0].hashtags == ["#x"]


def test_adapt_of_the_wrong_shape_is_named():
    with pytest.raises(BackendError, match="unexpected shape for the adaptations of post 7"):
        client(Recorder(200, {"platform": "dev.to"})).adapt_post(7, ["dev.to"])


def test_create_task_sends_only_what_is_given_and_returns_the_id():
    recorder = Recorder(200, {"status": "queued", "task_id": "abc-123"})
    queued = client(recorder).create_task("ai-engineer", "create_post", pain_statement="Write about X")
    assert recorder.requests[0].url.path == "/task"
    assert recorder.sent == {"persona_id": "ai-engineer", "task_type": "create_post", "pain_statement": "Write about X"}
    assert (queued.status, queued.task_id) == ("queued", "abc-123")


def test_a_rate_limited_task_says_to_try_again():
    recorder = Recorder(429, {"detail": "Rate limit exceeded. Please try again later."})
    with pytest.raises(BackendError) as raised:
        client(recorder).create_task("ai-engineer", "create_post")
    assert str(raised.value) == "orchestrator: rate-limited, try again in a moment"
    assert raised.value.status == 429


def test_a_missing_post_is_a_404_backend_error():
    with pytest.raises(BackendError) as raised:
        client(Recorder(404, {"detail": "Content post not found"})).get_post(9)
    assert raised.value.status == 404 and "Content post not found" in str(raised.value)
