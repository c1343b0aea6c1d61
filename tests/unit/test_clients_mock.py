"""Edge cases of the HTTP clients that a well-behaved server never shows, via httpx.MockTransport.

Each handler below plays a misbehaving service (lists that end early, pages that overlap,
lists that never end, odd error bodies, transport failures) and the tests pin what the client
makes of it: the right items, or a BackendError a person can read.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import httpx
import pytest

from dashboard.sources.clients import (
    AchievementClient,
    BackendError,
    NotAvailable,
    OrchestratorClient,
    TechDocClient,
    make_http_client,
)
from dashboard.sources.clients.achievements import MAX_PAGES
from dashboard.sources.clients.orchestrator import MAX_POSTS, POSTS_PAGE

BASE_URL = "http://service.test"
BASE_TIME = datetime(2026, 11, 1, 12, 0, 0)


def client(cls, handler):
    """A client whose requests go to `handler` (a function of httpx.Request) instead of the network."""
    transport = httpx.MockTransport(handler)
    return cls(make_http_client(BASE_URL, timeout=1.0, connect_timeout=0.5, transport=transport))


def achievement(achievement_id: int, **overrides) -> dict:
    """A minimal valid achievement; a higher id completes later."""
    completed = BASE_TIME + timedelta(days=achievement_id)
    item = {
        "id": achievement_id,
        "title": f"Achievement {achievement_id}",
        "description": "",
        "category": "feature",
        "started_at": (completed - timedelta(hours=5)).isoformat(),
        "completed_at": completed.isoformat(),
        "business_value": None,
    }
    item.update(overrides)
    return item


def page_body(ids, *, total: int, page: int, pages: int, per_page: int = 100) -> dict:
    items = [achievement(i) for i in ids]
    return {"items": items, "total": total, "page": page, "per_page": per_page, "pages": pages}


class PagedService:
    """Serves prepared /achievements/ pages by number and records the requests."""

    def __init__(self, pages: dict[int, dict]):
        self.pages = pages
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        number = int(request.url.params["page"])
        return httpx.Response(200, json=self.pages[number])

    @property
    def page_numbers(self) -> list[int]:
        return [int(r.url.params["page"]) for r in self.requests]


# Paging of the achievements list ---------------------------------------------------------------


def test_a_list_that_ends_before_its_pages_is_an_error():
    service = PagedService(
        {
            1: page_body([5, 4], total=5, page=1, pages=3, per_page=2),
            2: page_body([], total=5, page=2, pages=3, per_page=2),
        }
    )
    with pytest.raises(BackendError) as caught:
        client(AchievementClient, service).list_all(per_page=2)
    assert str(caught.value) == "achievement-collector: list ended early: 2 of 5 achievements"
    assert service.page_numbers == [1, 2]


def test_items_repeated_across_pages_are_kept_once():
    """An item inserted at the top while paging pushes the last item of page 1 onto page 2."""
    service = PagedService(
        {
            1: page_body([10, 9], total=4, page=1, pages=2, per_page=2),
            2: page_body([9, 8], total=5, page=2, pages=3, per_page=2),
            3: page_body([7], total=5, page=3, pages=3, per_page=2),
        }
    )
    result = client(AchievementClient, service).list_all(per_page=2)
    assert [a.id for a in result] == [10, 9, 8, 7]
    assert service.page_numbers == [1, 2, 3]


def test_an_empty_service_is_one_request():
    service = PagedService({1: page_body([], total=0, page=1, pages=0)})
    assert client(AchievementClient, service).list_all() == []
    assert service.page_numbers == [1]


def test_a_list_claiming_more_pages_than_the_dashboard_reads_is_refused_at_once(fault_tally):
    """A collector claiming 1,000 pages made refreshes of 62-85 s and ~3,000 page requests."""

    def huge(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        return httpx.Response(200, json=page_body([number], total=10**9, page=number, pages=10**7))

    counted = []
    with pytest.raises(BackendError) as caught:
        client(AchievementClient, lambda r: counted.append(r) or huge(r)).list_all()
    assert str(caught.value) == (
        f"achievement-collector: list too large: 10,000,000 pages (1,000,000,000 achievements); "
        f"the dashboard reads at most {MAX_PAGES} pages ({MAX_PAGES * 100:,} achievements)"
    )
    assert len(counted) == 1
    fault_tally.fault("a list claiming 1,000 pages", "achievement-collector")


def test_a_list_that_never_ends_is_cut_off():
    def endless(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])  # always one more page than this one
        return httpx.Response(200, json=page_body([number], total=10**9, page=number, pages=number + 1))

    counted = []
    with pytest.raises(BackendError) as caught:
        client(AchievementClient, lambda r: counted.append(r) or endless(r)).list_all()
    assert str(caught.value).startswith(f"achievement-collector: list too large: {MAX_PAGES + 1} pages")
    assert len(counted) == MAX_PAGES


@pytest.mark.parametrize("asked, sent", [(500, "100"), (0, "1"), (25, "25")])
def test_per_page_is_kept_within_what_the_service_accepts(asked, sent):
    service = PagedService({1: page_body([1], total=1, page=1, pages=1)})
    client(AchievementClient, service).list_all(per_page=asked)
    params = service.requests[0].url.params
    assert (params["per_page"], params["sort_by"], params["order"]) == (sent, "completed_at", "desc")


def test_a_badly_typed_item_names_the_field():
    body = {
        "items": [achievement(1), achievement(2, business_value=5000)],
        "total": 2,
        "page": 1,
        "per_page": 100,
        "pages": 1,
    }
    with pytest.raises(BackendError) as caught:
        client(AchievementClient, lambda r: httpx.Response(200, json=body)).list_all()
    assert str(caught.value) == (
        "achievement-collector: sent an unexpected shape for the achievements list "
        "(items.1.business_value: Input should be a valid string)"
    )


# Paging of the posts list ----------------------------------------------------------------------


def post(post_id: int, created_at=None) -> dict:
    return {
        "id": post_id,
        "hook": "h",
        "body": "b",
        "status": "draft",
        "created_at": created_at or (BASE_TIME + timedelta(hours=post_id)).isoformat(),
    }


def test_posts_stop_at_the_first_short_page():
    offsets = []

    def service(request):
        offset = int(request.url.params["offset"])
        offsets.append(offset)
        return httpx.Response(200, json=[post(i) for i in range(offset, min(offset + POSTS_PAGE, 100))])

    posts = client(OrchestratorClient, service).list_posts()
    assert len(posts) == 100
    assert offsets == [0, 100]  # exactly one full page: one more request finds the end


def test_posts_repeated_across_pages_are_kept_once_newest_first():
    pages = {0: [post(i) for i in range(200, 100, -1)], 100: [post(101), post(100), post(99)]}

    def service(request):
        return httpx.Response(200, json=pages[int(request.url.params["offset"])])

    posts = client(OrchestratorClient, service).list_posts()
    assert [p.id for p in posts] == list(range(200, 98, -1))


def test_posts_without_a_date_sort_last():
    body = [post(1), {"id": 2, "hook": "h", "body": "b", "created_at": None}, post(3)]
    posts = client(OrchestratorClient, lambda r: httpx.Response(200, json=body)).list_posts()
    assert [p.id for p in posts] == [3, 1, 2]


def test_a_service_that_ignores_offset_is_cut_off():
    requests = []

    def same_page(request):
        requests.append(request)
        return httpx.Response(200, json=[post(i) for i in range(POSTS_PAGE)])

    with pytest.raises(BackendError, match=f"posts list did not end after {MAX_POSTS} posts"):
        client(OrchestratorClient, same_page).list_posts()
    assert len(requests) == MAX_POSTS // POSTS_PAGE


# Error bodies and transport failures ------------------------------------------------------------


def test_a_plain_text_404_is_not_available():
    handler = lambda r: httpx.Response(404, text="404 page not found", headers={"content-type": "text/plain"})
    with pytest.raises(NotAvailable) as caught:
        client(TechDocClient, handler).performance()
    assert caught.value.status == 404
    assert str(caught.value) == "tech-doc-generator: /api/analytics/performance is not offered"


def test_fastapis_json_404_of_a_route_is_not_available():
    handler = lambda r: httpx.Response(404, json={"detail": "Not Found"})
    with pytest.raises(NotAvailable) as caught:
        client(TechDocClient, handler).performance()
    assert str(caught.value) == "tech-doc-generator: /api/analytics/performance is not offered"


def test_a_json_404_of_an_item_is_a_plain_backend_error():
    handler = lambda r: httpx.Response(404, json={"detail": "Achievement not found"})
    with pytest.raises(BackendError) as caught:
        client(AchievementClient, handler).get(7)
    assert not isinstance(caught.value, NotAvailable)
    assert str(caught.value) == ("achievement-collector: answered 404 to GET /achievements/7: Achievement not found")


def test_a_validation_error_lists_fields_without_the_location_kind():
    detail = {
        "detail": [
            {
                "type": "less_than_equal",
                "loc": ["query", "per_page"],
                "msg": "Input should be less than or equal to 100",
            },
            {"type": "missing", "loc": ["body"], "msg": "Field required"},
        ]
    }
    with pytest.raises(BackendError) as caught:
        client(AchievementClient, lambda r: httpx.Response(422, json=detail)).list_all()
    assert str(caught.value).endswith(
        "answered 422 to GET /achievements/: "
        "per_page: Input should be less than or equal to 100; request: Field required"
    )
    assert caught.value.status == 422


@pytest.mark.parametrize(
    "response, tail",
    [
        (httpx.Response(500, json=["not", "a", "dict"]), '["not","a","dict"]'),
        (httpx.Response(502, content=b""), "Bad Gateway"),
        (
            httpx.Response(503, text="upstream connect error " + "x" * 300),
            "upstream connect error " + "x" * 177,
        ),  # cut at 200 characters
    ],
)
def test_odd_error_bodies_still_give_a_short_message(response, tail):
    with pytest.raises(BackendError) as caught:
        client(OrchestratorClient, lambda r: response).content_stats()
    assert str(caught.value) == f"orchestrator: answered {response.status_code} to GET /content/stats: {tail}"


@pytest.mark.parametrize(
    "exception, message",
    [
        (httpx.ConnectError("refused"), "orchestrator: unreachable (ConnectError on GET /metrics/summary)"),
        (httpx.ReadTimeout("slow"), "orchestrator: timed out (GET /metrics/summary)"),
        (httpx.ConnectTimeout("slow"), "orchestrator: timed out (GET /metrics/summary)"),
        (
            httpx.RemoteProtocolError("closed"),
            "orchestrator: closed the connection before answering (RemoteProtocolError on GET /metrics/summary)",
        ),
    ],
)
def test_transport_failures_are_backend_errors(exception, message):
    def failing(request):
        raise exception

    with pytest.raises(BackendError) as caught:
        client(OrchestratorClient, failing).metrics_summary()
    assert str(caught.value) == message
    assert caught.value.status is None


def _bad_gzip(request):
    return httpx.Response(
        200, headers={"content-encoding": "gzip", "content-type": "application/json"}, content=b"not gzip"
    )


def _redirect_loop(request):
    return httpx.Response(307, headers={"location": "/content/stats"})


# DecodingError and TooManyRedirects are httpx.RequestErrors but not TransportErrors.
REQUEST_FAILURES = [(_bad_gzip, "DecodingError"), (_redirect_loop, "TooManyRedirects")]


@pytest.mark.parametrize("handler, reason", REQUEST_FAILURES, ids=["bad-gzip", "redirect-loop"])
def test_every_httpx_request_error_is_a_backend_error(handler, reason):
    with pytest.raises(BackendError) as caught:
        client(OrchestratorClient, handler).content_stats()
    assert str(caught.value) == f"orchestrator: request failed ({reason} on GET /content/stats)"


@pytest.mark.parametrize("handler, reason", REQUEST_FAILURES, ids=["bad-gzip", "redirect-loop"])
def test_health_never_raises(handler, reason):
    ok, _, detail = client(OrchestratorClient, handler).health()
    assert (ok, detail) == (False, f"orchestrator: request failed ({reason} on GET /health)")


@pytest.mark.parametrize(
    "cls, method, what",
    [
        (OrchestratorClient, "content_stats", "content stats (total_posts: Field required)"),
        (OrchestratorClient, "metrics_summary", "the metrics summary (queue_size: Field required)"),
        (TechDocClient, "performance", "platform performance (total_generated: Field required)"),
    ],
)
def test_an_unrelated_object_is_not_read_as_zeros(cls, method, what):
    """Read as defaults, an enveloped body would show invented zeros on screen."""
    handler = lambda r: httpx.Response(200, json={"data": {"total_posts": 12, "total_generated": 3}})
    with pytest.raises(BackendError) as caught:
        getattr(client(cls, handler), method)()
    assert str(caught.value).endswith(f"sent an unexpected shape for {what}")


# Requests and health ----------------------------------------------------------------------------


def test_requests_ask_for_json_and_name_the_dashboard():
    seen = []

    def service(request):
        seen.append(request)
        return httpx.Response(200, json={"status": "ok"})

    client(OrchestratorClient, service).health()
    assert seen[0].headers["accept"] == "application/json"
    assert seen[0].headers["user-agent"] == "threads-agent-dashboard"
    assert str(seen[0].url) == BASE_URL + "/health"


@pytest.mark.parametrize(
    "body, ok",
    [
        ({"status": "healthy", "service": "achievement-collector"}, True),
        ({"status": "ok"}, True),
        ({"status": "degraded"}, False),
        (["healthy"], False),
        ("healthy", False),
    ],
)
def test_health_reads_the_status_field(body, ok):
    def service(request):
        headers = {"content-type": "application/json"}
        return httpx.Response(200, content=json.dumps(body).encode(), headers=headers)

    result = client(AchievementClient, service).health()
    assert result[0] is ok
    assert result[2] == body
    assert result[1] >= 0
