"""What a page says when a service it draws from cannot be read: once, in words a person can act on.

A failed read reaches a page as a `Fresh` with an error ("achievement-collector: unreachable
(ConnectError on GET /achievements/)") and, when the failures began after a success, the time
they began. `outage_of` turns that into an `Outage`: which service, what is wrong in plain words,
since when, when it last answered, how often it is retried, and what to check. Pages show one
notice per service and keep their tiles and charts quiet, instead of repeating the error in
every tile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Optional

from dashboard.domain.models import Fresh

NOT_OFFERED = "is not offered"
"""How a client says a service answers but does not offer the data (an endpoint not mounted):
not an outage, the page says 'not available' instead."""

_PROBLEMS = (
    (re.compile(r"^unreachable\b"), "is unreachable"),
    (re.compile(r"^timed out waiting for another worker"), "is slow: another worker is still waiting for it"),
    (re.compile(r"^timed out\b"), "is not answering in time"),
    (re.compile(r"^still loading\b"), "is slow: no answer yet, still loading"),
    (re.compile(r"^did not finish answering in time"), "answers too slowly: an answer did not finish in time"),
    (re.compile(r"^answer too large"), "is sending more data than the dashboard reads in one answer"),
    (re.compile(r"^list too large"), "holds more achievements than the dashboard reads"),
    (re.compile(r"^closed the connection"), "closes the connection before answering"),
    (re.compile(r"^answered (\d{3})"), "is answering with errors (HTTP {0})"),
    (re.compile(r"^sent (malformed JSON|an unexpected shape)"), "is sending data the dashboard cannot read"),
    (re.compile(r"^request failed"), "cannot be asked (the request failed)"),
)

_STILL_LOADING = re.compile(r"(^|: )still loading\b")

_LIMITS = (
    (re.compile(r": answer too large\b"), "DASHBOARD_BACKEND_MAX_BYTES"),
    (re.compile(r": did not finish answering in time\b"), "DASHBOARD_BACKEND_CALL_SECONDS"),
)
"""Errors that are the dashboard's own limits at work, and the setting that moves each."""


@dataclass(frozen=True)
class Source:
    """Where a data set comes from, and what a person changes to point it elsewhere."""

    service: str
    """achievement-collector, orchestrator, tech-doc-generator, or "embedded store"."""
    setting: str
    """The environment variable that chooses it (ACHIEVEMENT_API_URL… or DASHBOARD_DATA_DIR)."""
    location: Optional[str] = None
    """Its URL, or the store's folder."""


@dataclass(frozen=True)
class Outage:
    """One service a page could not read, said once."""

    source: Source
    problem: str
    """What is wrong, in words: "is unreachable", "is not answering in time"…"""
    error: str
    """The error as the client wrote it, for whoever digs further."""
    since: Optional[datetime]
    """When this run of failures began (naive UTC); None if it has failed since the dashboard started."""
    last_success: Optional[datetime]
    retry_seconds: float
    showing_last_values: bool
    """True when the page still shows the last good values (stale), False when it has none."""

    @property
    def service(self) -> str:
        return self.source.service

    def headline(self) -> str:
        """'achievement-collector is unreachable since 19:02:05 UTC'."""
        since = f" since {self.since:%H:%M:%S} UTC" if self.since else ""
        return f"{self.source.service} {self.problem}{since}"

    def status(self) -> str:
        """What the page does about it: the values shown and the retries."""
        shown = (
            f"showing the last values, from {self.last_success:%H:%M:%S} UTC"
            if self.showing_last_values and self.last_success
            else "no data to show yet"
        )
        if _STILL_LOADING.search(self.error):
            return f"{shown}; still waiting for its answer"
        return f"{shown}; retrying every {_seconds(self.retry_seconds)}"

    def advice(self) -> str:
        """'Check ACHIEVEMENT_API_URL (http://…) or the service; last success 19:01:12 UTC.'"""
        where = f" ({self.source.location})" if self.source.location else ""
        what = "the store's folder" if self.source.setting == "DASHBOARD_DATA_DIR" else "the service"
        last = (
            f"last success {self.last_success:%Y-%m-%d %H:%M:%S} UTC"
            if self.last_success
            else "no success since this dashboard started"
        )
        limit = next((setting for pattern, setting in _LIMITS if pattern.search(self.error)), None)
        if limit is not None:
            # The service answers; it is one of the dashboard's own limits that refuses the answer.
            return f"Check the service, or raise {limit} if it is expected to send this much; {last}."
        return f"Check {self.source.setting}{where} or {what}; {last}."


def problem_of(error: str, service: str) -> str:
    """The plain-words problem of a client's error text ("service: what (detail)")."""
    text = error.split(": ", 1)[1] if error.startswith(service + ": ") else error
    for pattern, words in _PROBLEMS:
        match = pattern.search(text)
        if match:
            return words.format(*match.groups())
    return "is failing"


def short_error(error: Optional[str]) -> Optional[str]:
    """An error without its parenthesised detail, for a tile's one line: 'achievement-collector:
    unreachable (ConnectError on GET /achievements/)' -> 'achievement-collector: unreachable'."""
    if not error:
        return error
    return error.split(" (", 1)[0][:80]


def outage_of(fresh: Fresh[Any], source: Source, retry_seconds: float) -> Optional[Outage]:
    """The outage `fresh` shows, or None when its last read succeeded or the data is simply not offered."""
    if fresh.error is None or NOT_OFFERED in fresh.error or fresh.error.startswith("not available"):
        return None
    return Outage(
        source=source,
        problem=problem_of(fresh.error, source.service),
        error=fresh.error,
        since=fresh.failing_since,
        last_success=fresh.fetched_at,
        retry_seconds=retry_seconds,
        showing_last_values=fresh.value is not None,
    )


def one_per_service(outages: list[Optional[Outage]]) -> list[Outage]:
    """The first outage of each service, in order (several data sets may come from one service)."""
    seen: dict[str, Outage] = {}
    for outage in outages:
        if outage is not None and outage.service not in seen:
            seen[outage.service] = outage
    return list(seen.values())


def _seconds(value: float) -> str:
    return f"{value:g} s" if value < 120 else f"{value / 60:g} min"
