"""Durations and moments in words, the same on every page: "12 s", "3 h 05 min", "14:05 UTC"."""

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


def moment_text(moment: datetime, now: datetime) -> str:
    """'14:05 UTC' today, 'Dec 03 14:05 UTC' another day, 'Dec 03 2025 14:05 UTC' another year."""
    if moment.date() == now.date():
        return f"{moment:%H:%M} UTC"
    if moment.year == now.year:
        return f"{moment:%b %d %H:%M} UTC"
    return f"{moment:%b %d %Y %H:%M} UTC"
