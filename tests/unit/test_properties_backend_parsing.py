"""Property tests of backend response parsing (issue 6): any JSON a service sends (any shape, any
status, any body) gives models or a BackendError a person can read, never another exception.
"""

from __future__ import annotations

import json
import math
from datetime import datetime

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain.models import Achievement, ContentStats, PlatformPerformance, Post, SystemMetrics
from dashboard.sources.clients import (
    AchievementClient,
    BackendError,
    OrchestratorClient,
    TechDocClient,
    make_http_client,
)
from tests.unit.test_properties_common import covers, examples, json_values

moments = st.one_of(
    st.datetimes(
        min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.none() | st.timezones()
    ).map(lambda d: d.isoformat()),
    st.sampled_from(
        ["2026-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "yesterday", "2026-01-01"]
    ),
    st.integers(-(10**12), 10**12),
    st.floats(),
    st.none(),
)


@st.composite
def achievement_json(draw) -> dict:
    """An achievement as the collector might send it: mostly right, any field possibly wrong."""
    item = {
        "id": draw(st.integers(1, 50)),
        "title": "t",
        "category": "feature",
        "started_at": "2026-01-01T00:00:00",
        "completed_at": draw(moments),
    }
    for name in draw(
        st.lists(
            st.sampled_from(
                [
                    "id",
                    "title",
                    "business_value",
                    "impact_score",
                    "tags",
                    "updated_at",
                    "created_at",
                    "started_at",
                    "evidence",
                    "portfolio_ready",
                    "display_priority",
                    "time_saved_hours",
                ]
            ),
            max_size=4,
        )
    ):
        item[name] = draw(st.one_of(json_values, moments, st.integers(0, 10**6)))
    if draw(st.booleans()):
        del item[draw(st.sampled_from(sorted(item)))]
    return item


def transport_for(body: bytes, status: int, content_type: str):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers={"content-type": content_type})

    return httpx.MockTransport(handler)


def make(cls, body: bytes, status: int = 200, content_type: str = "application/json"):
    return cls(
        make_http_client(
            "http://service.test", timeout=1.0, connect_timeout=0.5, transport=transport_for(body, status, content_type)
        )
    )


def dumps(value) -> bytes:
    return json.dumps(value, allow_nan=True).encode()


fastapi_details = st.fixed_dictionaries(
    {
        "detail": st.one_of(
            st.text(max_size=20),
            # "loc" as a list: anything else trips base._detail, see test_a_validation_error_without_a_loc_list below.
            st.lists(
                st.one_of(
                    st.fixed_dictionaries({}, optional={"loc": st.lists(json_values, max_size=3), "msg": json_values}),
                    json_values,
                ),
                max_size=3,
            ),
            json_values,
        )
    }
)
bodies = st.one_of(
    json_values.map(dumps),
    fastapi_details.map(dumps),
    st.binary(max_size=40),
    st.just(b""),
)
DEEP = b"[" * 5000
"""JSON nested deeper than Python's parser goes: json.loads raises RecursionError, not ValueError."""
statuses = st.sampled_from([200, 201, 204, 400, 404, 405, 409, 422, 429, 500, 502, 503])
calls = {
    "achievement-collector": (
        AchievementClient,
        lambda c: [c.list_all, lambda: c.get(1), lambda: c.update(1, {"title": "x"}), lambda: c.create({"title": "x"})],
    ),
    "orchestrator": (
        OrchestratorClient,
        lambda c: [
            c.list_posts,
            c.content_stats,
            c.metrics_summary,
            lambda: c.get_post(1),
            lambda: c.adapt_post(1, ["linkedin"]),
            lambda: c.create_task("p", "create_post"),
        ],
    ),
    "tech-doc-generator": (TechDocClient, lambda c: [c.performance]),
}


@given(
    st.sampled_from(sorted(calls)),
    st.integers(0, 5),
    bodies,
    statuses,
    st.sampled_from(["application/json", "text/html", ""]),
)
@examples(500)
@covers(
    "dashboard.infra.http.ServiceClient.request_json",
    "dashboard.infra.http._detail",
    "dashboard.sources.clients.achievements.AchievementClient (list_all, get, update, create)",
    "dashboard.sources.clients.orchestrator.OrchestratorClient (posts, stats, metrics, adapt, task)",
    "dashboard.sources.clients.techdoc.TechDocClient.performance",
)
def test_any_response_gives_models_or_a_backend_error(service, which, body, status, content_type):
    cls, methods = calls[service]
    client = make(cls, body, status, content_type)
    options = methods(client)
    call = options[which % len(options)]
    try:
        result = call()
    except BackendError as exc:
        assert str(exc).startswith(f"{service}: ") and len(str(exc)) > len(service) + 2
        return
    finally:
        client.close()
    assert status < 400
    assert result is not None


@given(st.lists(achievement_json(), max_size=6), st.integers(-2, 3), st.integers(-2, 20))
@examples(300)
@covers("dashboard.domain.models.Achievement", "dashboard.sources.clients.achievements.AchievementClient.list_all")
def test_achievement_lists_parse_to_naive_utc_models_sorted_newest_first(items, pages, total):
    body = {"items": items, "total": total, "page": 1, "per_page": 100, "pages": pages}
    client = make(AchievementClient, dumps(body))
    try:
        result = client.list_all()
    except BackendError as exc:
        assert "achievement-collector" in str(exc)
        return
    finally:
        client.close()
    assert all(isinstance(a, Achievement) for a in result)
    for a in result:
        for moment in (a.started_at, a.completed_at, a.created_at, a.updated_at):
            assert moment is None or moment.tzinfo is None  # the contract: naive UTC, comparable
        assert a.value_amount is None or math.isfinite(a.value_amount)
    stamps = [a.completed_at for a in result]
    assert stamps == sorted(stamps, reverse=True)


@given(moments)
@examples(200)
@covers("dashboard.domain.models.Achievement")
def test_an_offset_is_converted_to_utc(moment):
    try:
        a = Achievement(id=1, title="t", category="feature", started_at="2026-01-01T00:00:00", completed_at=moment)
    except ValueError:  # pydantic's ValidationError: the client turns it into a BackendError
        return
    assert a.completed_at.tzinfo is None
    if isinstance(moment, str) and moment[10:11] == "T" and moment[-6] in "+-" and moment[-3] == ":":
        given_moment = datetime.fromisoformat(moment)
        assert a.completed_at == (given_moment - given_moment.utcoffset()).replace(tzinfo=None)


@given(json_values, st.sampled_from([Post, ContentStats, SystemMetrics, PlatformPerformance]))
@examples(200)
@covers(
    "dashboard.domain.models.Post",
    "dashboard.domain.models.ContentStats",
    "dashboard.domain.models.SystemMetrics",
    "dashboard.domain.models.PlatformPerformance",
)
def test_other_models_validate_or_refuse(data, model):
    try:
        parsed = model.model_validate(data)
    except ValueError as exc:
        assert str(exc).strip()
        return
    assert isinstance(parsed, model)


@pytest.mark.parametrize("status", [200, 404, 422])
def test_json_nested_too_deep_is_a_backend_error(status):
    client = make(AchievementClient, DEEP if status != 422 else b'{"detail": ' + DEEP, status)
    with pytest.raises(BackendError):
        client.get(1)


@pytest.mark.parametrize("loc", [None, 5])
def test_a_validation_error_without_a_loc_list_is_a_backend_error(loc):
    client = make(AchievementClient, dumps({"detail": [{"loc": loc, "msg": "bad"}]}), 422)
    with pytest.raises(BackendError):
        client.get(1)
