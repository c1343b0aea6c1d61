"""Durations and moments in words, the same on every page: "12 s", "4 min", "3 h 05 min"."""

from __future__ import annotations

from datetime import datetime


def format_duration(seconds: float) -> str:
    """12 s, 4 min, 3 h 05 min, 2 d 4 h."""
    s = max(0, int(round(seconds)))
    if s < 60:
        return f"{s} s"
    minutes = s // 60
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h {minutes % 60:02d} min"
    return f"{hours // 24} d {hours % 24} h"


def ago(moment: datetime, now: datetime) -> str:
    """'4 min ago'; 'just now' under a second, and for a moment ahead of `now` (clocks differ)."""
    seconds = (now - moment).total_seconds()
    return "just now" if seconds < 1 else f"{format_duration(seconds)} ago"
