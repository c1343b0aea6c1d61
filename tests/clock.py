"""The suite's clock: every test runs at one pinned moment, whatever day the machine says it is.

The moment is DASHBOARD_TEST_NOW (ISO, UTC; default 2027-03-15T12:00:00, an ordinary mid-month
noon). tests/conftest.py turns it into DASHBOARD_CLOCK_SHIFT_SECONDS in the environment at
start-up, so every app a test builds — in this process or under gunicorn — reads the same clock
(dashboard.domain.clock), and the suite's own expectations come from `now()` below. From that moment the
clock runs at real speed: a test that starts at 23:59:50 crosses midnight, as it would on a real
month end.

`make test-dates` runs the whole suite at a month end, a leap day and a year end.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

from dashboard.domain.clock import Clock

DEFAULT_TEST_NOW = "2027-03-15T12:00:00"


def _pinned(raw: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise SystemExit(f"DASHBOARD_TEST_NOW={raw!r} is not an ISO date-time such as 2028-02-29T23:59:00") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


TEST_NOW = _pinned(os.environ.get("DASHBOARD_TEST_NOW") or DEFAULT_TEST_NOW)
TEST_CLOCK = Clock.starting_at(TEST_NOW)
"""Read TEST_NOW when this module was imported, and has run on since."""


def now() -> datetime:
    """The suite's naive-UTC now: what the apps under test read too."""
    return TEST_CLOCK.now()
