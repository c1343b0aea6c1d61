"""What a running dashboard holds per Flask app: its settings and its services.

Callbacks and layouts reach them through `current()`, i.e. through Flask's `current_app`, so
an app mounted in a host keeps its state on that host's `extensions` and nothing is global.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

import flask

from dashboard.domain.clock import SYSTEM_CLOCK, Clock
from dashboard.infra.screens import ScreenRegistry
from dashboard.services import DashboardServices
from dashboard.settings import Settings

if TYPE_CHECKING:
    from dashboard.services.history import History
    from dashboard.web.live import LiveChannel

EXTENSION = "threads_dashboard"


@dataclass
class Runtime:
    settings: Settings
    services: DashboardServices
    version: str
    cache_backend: str
    screens: ScreenRegistry
    """The wallboard heartbeat registry (web/heartbeats.py records into it, the System page lists it)."""
    prefix: str = "/"
    """The path the dashboard is mounted under (create_app's url_base_pathname), for the URLs it writes."""
    clock: Clock = SYSTEM_CLOCK
    """Data time for layouts and callbacks (dashboard.domain.clock)."""
    started_at: float = field(default_factory=time.time)
    build_id: str = ""
    """What wallboards compare to know a new deployment is live (settable, for tests)."""
    live: Optional["LiveChannel"] = None
    """The live channel (web/live.py); None when DASHBOARD_LIVE is off: screens poll."""
    history: Optional["History"] = None
    """Health and metrics over the last week (services/history.py)."""


def install(server: flask.Flask, runtime: Runtime) -> None:
    server.extensions[EXTENSION] = runtime


def current_of(server: flask.Flask) -> Runtime:
    """The runtime installed on `server`, outside a request."""
    installed: Runtime = server.extensions[EXTENSION]  # install() is its one writer
    return installed


def current() -> Runtime:
    return current_of(flask.current_app)
