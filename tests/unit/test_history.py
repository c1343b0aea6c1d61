"""The 7-day health history as arithmetic: uptime over measured time, incidents, latency, trends,
and how the System page words them. Times are relative to a `now` of the test's own."""

from __future__ import annotations

import math
from datetime import timedelta
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.charts.sparkline import data_uri, sparkline_svg
from dashboard.domain.clock import utc_from_epoch
from dashboard.domain.history import DAY, WEEK, incidents, latency_points, service_history, trend, uptime
from dashboard.ui.components import tiles  # noqa: F401  # the page modules import it first
from dashboard.ui.pages.system.history_view import incident_line, service_history_block, uptime_text
from tests.components import text_of

NOW = 1_900_000_000.0
INTERVAL = 30.0


def healthy(ms: float = 10.0) -> dict:
    return {"status": "healthy", "latency_ms": ms}


def down(error: str = "unreachable (ConnectError on GET /health)") -> dict:
    return {"status": "down", "latency_ms": 2000.0, "error": error}


def every(start: float, end: float, record: dict, step: float = INTERVAL) -> list:
    samples, at = [], start
    while at < end:
        samples.append((at, dict(record)))
        at += step
    return samples


def test_uptime_counts_measured_time_and_says_how_much_was_measured():
    # The last hour: 50 healthy minutes, then 10 down.
    samples = every(NOW - 3600, NOW - 600, healthy()) + every(NOW - 600, NOW, down())
    hour = uptime(samples, NOW, 3600, INTERVAL)
    assert hour.healthy_share == pytest.approx(50 / 60, abs=0.01)
    assert hour.measured_share == pytest.approx(1.0, abs=0.01)
    day = uptime(samples, NOW, DAY, INTERVAL)
    assert day.healthy_share == pytest.approx(50 / 60, abs=0.01)  # the unmeasured 23 h count for nothing
    assert day.measured_share == pytest.approx(1 / 24, abs=0.01)


def test_a_gap_in_the_samples_is_unknown_not_up():
    # Healthy for ten minutes, nothing for five hours, then down for ten minutes.
    samples = every(NOW - 6 * 3600, NOW - 6 * 3600 + 600, healthy()) + every(NOW - 600, NOW, down())
    result = uptime(samples, NOW, DAY, INTERVAL)
    assert result.healthy_share == pytest.approx(0.5, abs=0.02)
    assert result.measured_share == pytest.approx(1200 / DAY, abs=0.001)


def test_no_samples_is_no_figure():
    result = uptime([], NOW, DAY, INTERVAL)
    assert result.healthy_share is None and result.measured_share == 0
    assert uptime_text(result) == ("—", "no checks recorded in this window yet")


def test_uptime_words_never_round_a_failure_up_to_100_percent():
    samples = every(NOW - DAY, NOW - 30, healthy()) + [(NOW - 30, down())]
    text, note = uptime_text(uptime(samples, NOW, DAY, INTERVAL))
    assert text == "99.97 %" and note is None
    text, _ = uptime_text(uptime(every(NOW - DAY, NOW, healthy()), NOW, DAY, INTERVAL))
    assert text == "100 %"
    partial = uptime(every(NOW - 3600, NOW, healthy()), NOW, WEEK, INTERVAL)
    assert uptime_text(partial) == ("100 %", "measured for 1 h 00 min of the 7 d")


def test_incidents_are_runs_of_failed_checks_newest_first():
    samples = (
        every(NOW - 7200, NOW - 6000, healthy())
        + every(NOW - 6000, NOW - 5400, {"status": "unhealthy", "error": "answered 503"})
        + every(NOW - 5400, NOW - 600, healthy())
        + every(NOW - 600, NOW, down())
    )
    found = incidents(samples)
    assert [i.status for i in found] == ["down", "unhealthy"]
    ongoing, past = found
    assert ongoing.ongoing and ongoing.started == utc_from_epoch(NOW - 600)
    assert "ConnectError" in ongoing.error
    assert past.started == utc_from_epoch(NOW - 6000) and past.ended == utc_from_epoch(NOW - 5400)
    assert past.error == "answered 503" and past.checks == 20


def test_an_incident_line_says_what_when_and_for_how_long():
    samples = every(NOW - 3000, NOW - 1800, down()) + every(NOW - 1800, NOW, healthy())
    (incident,) = incidents(samples)
    now = utc_from_epoch(NOW)
    line = text_of(incident_line(incident, now))
    assert line.startswith("Down ") and "(20 min)" in line and "→" in line and "unreachable" in line
    (ongoing,) = incidents(every(NOW - 900, NOW, down()))
    assert "since" in text_of(incident_line(ongoing, now)) and "(for 15 min)" in text_of(incident_line(ongoing, now))


def test_latency_points_are_medians_of_healthy_checks_and_gaps_stay_gaps():
    samples = [(NOW - 100, healthy(10)), (NOW - 90, healthy(30)), (NOW - 80, healthy(20)), (NOW - 70, down())]
    points = latency_points(samples, NOW)
    assert len(points) == 96
    assert points[-1][1] == 20  # the down check's 2000 ms is not a latency
    assert all(value is None for _, value in points[:-1])


def test_trend_means_per_slot_and_leaves_out_what_is_not_a_number():
    samples = [
        (NOW - 100, {"queue_size": 4}),
        (NOW - 90, {"queue_size": 8}),
        (NOW - 80, {"queue_size": True}),
        (NOW - 70, {"queue_size": "9"}),
        (NOW - 2 * DAY, {"queue_size": 1000}),
    ]
    result = trend(samples, "queue_size", now=NOW)
    assert result.slots[-1] == 6 and result.latest == 8 and (result.low, result.high) == (4, 8)
    assert trend([], "queue_size", now=NOW).latest is None


def test_the_block_says_when_there_is_no_history():
    now = utc_from_epoch(NOW)
    assert "not configured" in text_of(service_history_block(None, now=now, tile="t", error=None))
    assert "cannot be read" in text_of(
        service_history_block(None, now=now, tile="t", error="the history cannot be read now (ConnectionError)")
    )
    history = service_history("orchestrator", every(NOW - 600, NOW, down()), now=NOW, interval=INTERVAL)
    shown = text_of(service_history_block(history, now=now, tile="t", error=None), sep="")
    assert "Uptime 24 h" in shown and "0 %" in shown and "Down since" in shown


def test_a_sparkline_is_an_svg_image_with_gaps_and_failure_marks():
    svg = sparkline_svg([1.0, 2.0, None, 3.0, 4.0], failed=[False, False, True, False, False])
    assert svg.count("<polyline") == 2  # the gap splits the line
    assert svg.count("<rect") == 1
    uri = data_uri(svg)
    assert uri.startswith("data:image/svg+xml;charset=utf-8,") and "#" not in uri and " " not in uri
    assert unquote(uri.split(",", 1)[1]) == svg


@given(st.lists(st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)), max_size=200))
def test_any_values_draw_a_finite_sparkline(values):
    svg = sparkline_svg(values)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "nan" not in svg and "inf" not in svg


@given(
    st.lists(
        st.tuples(
            st.floats(min_value=NOW - 2 * WEEK, max_value=NOW + 100),
            st.sampled_from(["healthy", "down", "unhealthy", "weird"]),
        ),
        max_size=300,
    )
)
def test_uptime_is_a_share_whatever_the_samples(raw):
    samples = [(at, {"status": status}) for at, status in sorted(raw)]
    for window in (DAY, WEEK):
        result = uptime(samples, NOW, window, INTERVAL)
        assert 0 <= result.measured_share <= 1
        assert result.healthy_share is None or 0 <= result.healthy_share <= 1
        assert not (result.healthy_share is not None and math.isnan(result.healthy_share))
    history = service_history("x", samples, now=NOW, interval=INTERVAL)
    for incident in history.incidents:
        assert incident.ended is None or incident.ended >= incident.started
        assert incident.started >= utc_from_epoch(NOW - 2 * WEEK) - timedelta(seconds=1)
