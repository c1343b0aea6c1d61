"""Outage notices' words (dashboard.domain.outages): what is wrong, since when, what to check."""

from datetime import datetime

import pytest

from dashboard.domain.models import Fresh
from dashboard.domain.outages import Outage, Source, one_per_service, outage_of, problem_of, short_error

COLLECTOR = Source("achievement-collector", "ACHIEVEMENT_API_URL", "http://collector:8000")
SINCE, LAST = datetime(2027, 3, 15, 19, 2, 5), datetime(2027, 3, 15, 19, 1, 12)


@pytest.mark.parametrize(
    ("error", "problem"),
    [
        ("achievement-collector: unreachable (ConnectError on GET /achievements/)", "is unreachable"),
        ("achievement-collector: timed out (GET /achievements/)", "is not answering in time"),
        (
            "achievement-collector: closed the connection before answering (RemoteProtocolError on GET /x)",
            "closes the connection before answering",
        ),
        (
            "achievement-collector: answered 503 to GET /achievements/: down for maintenance",
            "is answering with errors (HTTP 503)",
        ),
        (
            "achievement-collector: sent malformed JSON for GET /achievements/",
            "is sending data the dashboard cannot read",
        ),
        (
            "achievement-collector: sent an unexpected shape for achievements (items: field required)",
            "is sending data the dashboard cannot read",
        ),
        (
            "timed out waiting for another worker to load achievements:all",
            "is slow: another worker is still waiting for it",
        ),
        ("achievement-collector: still loading (no answer within 4 s)", "is slow: no answer yet, still loading"),
        (
            "achievement-collector: did not finish answering in time: 10 s (GET /achievements/)",
            "answers too slowly: an answer did not finish in time",
        ),
        (
            "achievement-collector: answer too large: more than 8 MB sent (GET /achievements/); the dashboard reads "
            "at most 8 MB per answer",
            "is sending more data than the dashboard reads in one answer",
        ),
        (
            "achievement-collector: list too large: 1,000 pages (100,000 achievements); the dashboard reads at most "
            "200 pages (20,000 achievements)",
            "holds more achievements than the dashboard reads",
        ),
        ("unexpected error while reading achievements:all: KeyError: 'x'", "is failing"),
    ],
)
def test_each_client_error_reads_as_plain_words(error, problem):
    assert problem_of(error, "achievement-collector") == problem


def test_a_never_loaded_outage_says_what_to_check():
    fresh = Fresh(error="achievement-collector: unreachable (ConnectError on GET /achievements/)", failing_since=SINCE)
    outage = outage_of(fresh, COLLECTOR, retry_seconds=5)
    assert outage.headline() == "achievement-collector is unreachable since 19:02:05 UTC"
    assert outage.status() == "no data to show yet; retrying every 5 s"
    assert outage.advice() == (
        "Check ACHIEVEMENT_API_URL (http://collector:8000) or the service; no success since this dashboard started."
    )
    assert not outage.showing_last_values


@pytest.mark.parametrize(
    ("error", "setting"),
    [
        (
            "achievement-collector: answer too large: more than 8 MB sent (GET /achievements/)",
            "DASHBOARD_BACKEND_MAX_BYTES",
        ),
        (
            "achievement-collector: did not finish answering in time: 10 s (GET /achievements/)",
            "DASHBOARD_BACKEND_CALL_SECONDS",
        ),
    ],
)
def test_an_answer_refused_by_a_limit_names_the_setting_that_moves_it(error, setting):
    outage = outage_of(Fresh(error=error, failing_since=SINCE), COLLECTOR, retry_seconds=5)
    assert outage.advice() == (
        f"Check the service, or raise {setting} if it is expected to send this much; "
        "no success since this dashboard started."
    )


def test_a_first_read_still_running_says_it_is_waiting_not_retrying():
    outage = outage_of(
        Fresh(error="achievement-collector: still loading (no answer within 4 s)", stale=True),
        COLLECTOR,
        retry_seconds=5,
    )
    assert outage.headline() == "achievement-collector is slow: no answer yet, still loading"
    assert outage.status() == "no data to show yet; still waiting for its answer"


def test_a_stale_outage_says_which_values_are_shown():
    fresh = Fresh(
        value=[1], fetched_at=LAST, stale=True, error="achievement-collector: timed out (GET /a)", failing_since=SINCE
    )
    outage = outage_of(fresh, COLLECTOR, retry_seconds=300)
    assert outage.status() == "showing the last values, from 19:01:12 UTC; retrying every 5 min"
    assert outage.advice().endswith("last success 2027-03-15 19:01:12 UTC.")


def test_the_embedded_store_points_at_its_folder():
    outage = outage_of(
        Fresh(error="unexpected error while reading achievements:all: OperationalError: locked"),
        Source("embedded store", "DASHBOARD_DATA_DIR", "/srv/data"),
        retry_seconds=5,
    )
    assert outage.headline() == "embedded store is failing"
    assert outage.advice().startswith("Check DASHBOARD_DATA_DIR (/srv/data) or the store's folder;")


@pytest.mark.parametrize(
    "fresh",
    [
        Fresh(value=[1], fetched_at=LAST),
        Fresh(error="tech-doc-generator: /api/analytics/performance is not offered"),
        Fresh(error="not available: TECH_DOC_API_URL is not configured"),
    ],
)
def test_success_and_data_not_offered_are_no_outage(fresh):
    assert outage_of(fresh, COLLECTOR, retry_seconds=5) is None


def test_one_notice_per_service_whatever_the_data_sets():
    fresh = Fresh(error="orchestrator: unreachable (ConnectError on GET /content/stats)")
    orchestrator = Source("orchestrator", "ORCHESTRATOR_URL", "http://o")
    outages = [
        outage_of(fresh, orchestrator, 5),
        None,
        outage_of(fresh, orchestrator, 5),
        outage_of(Fresh(error="achievement-collector: timed out (GET /a)"), COLLECTOR, 5),
    ]
    assert [o.service for o in one_per_service(outages)] == ["orchestrator", "achievement-collector"]
    assert all(isinstance(o, Outage) for o in one_per_service(outages))


def test_a_tile_keeps_only_the_short_error():
    assert (
        short_error("achievement-collector: unreachable (ConnectError on GET /achievements/)")
        == "achievement-collector: unreachable"
    )
    assert short_error(None) is None
    assert len(short_error("x" * 500)) == 80
