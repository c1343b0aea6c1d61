"""The dashboard's one clock (dashboard/domain/clock.py): what it reads, and that nothing else reads the wall clock."""

from __future__ import annotations

import ast
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from dashboard.domain.clock import Clock

PACKAGE = Path(__file__).resolve().parents[2] / "dashboard"

WALL_CLOCK_CALLS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "strftime"),
    ("time", "localtime"),
    ("time", "gmtime"),
    ("time", "ctime"),
}
"""Calls that read the system's wall clock (strftime, localtime, gmtime and ctime without a time)."""

ALLOWED = {
    "domain/clock.py": "the clock itself",
    "web/auth/tokens.py": "token and session expiry: a security property on the system clock, not data time",
    "infra/storage.py": "compared with cachelib's own expiry times, which are system time",
}


def wall_clock_reads(path: Path, root: Path = PACKAGE) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = node.func.value
        name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else None
        if (name, node.func.attr) in WALL_CLOCK_CALLS:
            takes_a_time = node.func.attr in ("strftime", "localtime", "gmtime", "ctime") and (
                len(node.args) > (1 if node.func.attr == "strftime" else 0)
            )
            if not takes_a_time:
                found.append(f"{path.relative_to(root)}:{node.lineno}: {name}.{node.func.attr}()")
    return found


def test_nothing_but_the_clock_reads_the_wall_clock_for_data():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if str(path.relative_to(PACKAGE)) not in ALLOWED:
            offenders += wall_clock_reads(path)
    assert not offenders, (
        "data time must come from dashboard.domain.clock (runtime.current().clock, "
        "services.clock or an injected clock):\n" + "\n".join(offenders)
    )


def test_the_check_finds_a_wall_clock_read(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import time\nfrom datetime import datetime\n"
        "a = datetime.now()\nb = time.time()\nc = time.strftime('%Y')\nd = time.strftime('%Y', x)\n"
    )
    assert [line.split(": ")[1] for line in wall_clock_reads(sample, tmp_path)] == [
        "datetime.now()",
        "time.time()",
        "time.strftime()",
    ]


def test_a_clock_started_at_a_moment_reads_it_and_runs_on():
    leap = datetime(2028, 2, 29, 23, 59, 59)
    clock = Clock.starting_at(leap)
    first = clock.now()
    assert abs((first - leap).total_seconds()) < 0.5
    time.sleep(0.05)
    assert clock.now() > first
    assert abs(clock.time() - (time.time() + clock.shift_seconds)) < 0.01


def test_clocks_with_one_shift_agree_whenever_they_were_made():
    # Replicas started seconds apart must read the same time: the shift, not a start instant, is shared.
    first = Clock(86_400.0 * 400)
    time.sleep(0.02)
    second = Clock(first.shift_seconds)
    assert abs(first.time() - second.time()) < 0.005


@pytest.mark.parametrize("shift", [0.0, -86_400.0 * 365, 86_400.0 * 800])
def test_now_is_naive_utc_of_time(shift):
    clock = Clock(shift)
    reading = clock.now()
    assert reading.tzinfo is None
    assert abs((reading - datetime(1970, 1, 1)).total_seconds() - clock.time()) < 0.01
    assert abs(reading - (datetime.utcnow() + timedelta(seconds=shift))) < timedelta(seconds=1)


def test_an_aware_start_is_converted_to_utc():
    from datetime import timezone

    clock = Clock.starting_at(datetime(2027, 1, 1, 1, 0, tzinfo=timezone(timedelta(hours=2))))
    assert abs((clock.now() - datetime(2026, 12, 31, 23, 0)).total_seconds()) < 0.5


def test_the_app_reads_the_settings_clock(make_settings):
    from dashboard import create_app

    app = create_app(settings=make_settings(clock_shift_seconds=86_400.0 * 10))
    current = app.server.extensions["threads_dashboard"]
    assert current.clock.shift_seconds == 86_400.0 * 10
    assert current.services.clock is current.clock
    assert abs(current.services.cache.clock() - current.clock.time()) < 0.1
    store = current.services.store
    assert abs((store.clock() - current.clock.now()).total_seconds()) < 0.1
