"""Drill-down: what a click on a chart point means, as the Achievements grid's URL parameters.

Pure functions of the point plotly reports (`clickData["points"][0]`) and the chart it is on;
the pages send the browser to `/achievements?…` with the result, so the grid shows exactly the
rows behind the bar, month, dot or skill that was clicked (its URL state: grid_state.py; the
navbar's range: domain/timerange.py). A point that names nothing usable gives None: no jump.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any, Mapping, Optional

from dashboard.domain.models import CATEGORIES

MAX_TEXT = 200
"""A clicked label longer than this is cut (a title is at most this long in the grid's search)."""

BY_MONTH = ("value", "time", "categories")
"""Charts whose x axis is the month: a click is that month's achievements."""
BY_DAY = ("trend", "prs")
"""Charts whose x axis is the day: a click is that day's achievements (a PR dot: its title)."""


def _day(value: Any) -> Optional[date]:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _text(value: Any) -> Optional[str]:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())[:MAX_TEXT]
    return text or None


def _category(value: Any) -> Optional[str]:
    text = (_text(value) or "").lower()
    return text if text in CATEGORIES else None


def grid_query_for(chart: str, point: Mapping[str, Any]) -> Optional[dict[str, str]]:
    """The grid's URL parameters for a click on `point` of `chart`, or None.

    Charts: "value", "time", "categories" (months; a category's trace adds its category),
    "trend" (days), "overview-categories" (a category bar), "skills" (a skill or tag: searched),
    "impact" and "prs" (an achievement's dot: its title, searched)."""
    if not isinstance(point, Mapping):
        return None
    if chart == "overview-categories":
        category = _category(point.get("y"))
        return {"category": category} if category else None
    if chart == "skills":
        name = _text(point.get("y"))
        return {"q": name} if name else None
    if chart in ("impact", "prs"):
        title = _text(point.get("text"))
        if title:
            return {"q": title}
    day = _day(point.get("x"))
    if day is None:
        return None
    if chart in BY_MONTH:
        last = calendar.monthrange(day.year, day.month)[1]
        query = {"from": day.replace(day=1).isoformat(), "to": day.replace(day=last).isoformat()}
        category = _category(point.get("data_name") or point.get("name"))
        return {**query, "category": category} if chart == "categories" and category else query
    if chart in BY_DAY:
        return {"from": day.isoformat(), "to": day.isoformat()}
    return None
