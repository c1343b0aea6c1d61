"""Wallboard heartbeats: which screens refreshed, when, and how their tiles were doing.

Kept in the shared cache backend (Redis when configured), so every worker and replica lists the
same screens. A screen is forgotten after a week of silence.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from dashboard.clock import SYSTEM_CLOCK

SCREEN_ID = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
KEY = "screens:heartbeats"
FORGET_AFTER = 7 * 86_400


@dataclass(frozen=True)
class Heartbeat:
    screen: str
    page: str
    state: str
    """ok, stale or failed: the worst tile of the refresh."""
    at: float

    def age(self, now: float) -> float:
        """Seconds since this beat, `now` read from the registry's clock."""
        return max(0.0, now - self.at)


class ScreenRegistry:
    def __init__(self, backend, clock=SYSTEM_CLOCK.time):
        self.backend = backend
        self.clock = clock
        self._lock = threading.Lock()

    def record(self, screen: str, page: str, state: str) -> Heartbeat:
        if not isinstance(screen, str) or not SCREEN_ID.fullmatch(screen):  # match() let "lobby\n" in
            raise ValueError("screen must be 1–40 letters, digits, '-', '_' or '.' (e.g. lobby-tv)")
        state = state if state in ("ok", "stale", "failed") else "ok"
        beat = Heartbeat(screen, str(page)[:40], state, self.clock())
        # Read-modify-write of one small dict: two screens beating in the same instant may lose
        # one beat, which the next refresh repairs.
        with self._lock:
            beats = self._load()
            beats[screen] = beat
            horizon = beat.at - FORGET_AFTER
            beats = {k: v for k, v in beats.items() if v.at >= horizon}
            try:
                self.backend.set(KEY, beats, timeout=FORGET_AFTER)
            except Exception:  # noqa: BLE001 - a lost heartbeat must not fail the screen
                pass
        return beat

    def all(self) -> list[Heartbeat]:
        return sorted(self._load().values(), key=lambda b: b.screen)

    def _load(self) -> dict[str, Heartbeat]:
        try:
            beats = self.backend.get(KEY)
        except Exception:  # noqa: BLE001
            return {}
        return dict(beats) if isinstance(beats, dict) else {}
