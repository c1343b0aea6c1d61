"""A KPI card's parts beyond its number: the change, a sparkline of the period, the target.

In the manner of Grafana's stat panel: the value, how it moved against the previous period, a
small bar chart of the same measure across the period, and a colour when a target is
configured (components/tiles.py lays the card out; the pages fill these parts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from dash import html

from dashboard.domain.changes import delta_line  # noqa: F401  (the pages read it from here)
from dashboard.ui.components.attributes import labelled

WARN_SHARE = 0.8
"""A sum at 80 % of its target or more is amber, under it red."""
WARN_POINTS = 10.0
"""A score within 10 points under its target is amber, further red."""


@dataclass(frozen=True)
class Targets:
    """What the KPI cards are measured against (settings DASHBOARD_VALUE_TARGET, _IMPACT_TARGET)."""

    value_per_30_days: Optional[float] = None
    impact: Optional[float] = None

    def value_for(self, days: Optional[int]) -> Optional[float]:
        """The value target of a range of `days` (None for a range of no fixed length)."""
        if self.value_per_30_days is None or days is None:
            return None
        return self.value_per_30_days * days / 30


def sparkline(values: Sequence[Optional[float]], describe: str) -> html.Div:
    """One bar per step of the period, as tall as its share of the highest; a step with no
    value is a gap, not a zero. `describe` says what it draws, for the tooltip and screen readers."""
    top = max((v for v in values if v is not None), default=0.0)
    bars = [
        html.Span(
            className="spark-bar spark-bar--none" if v is None else "spark-bar",
            style=None if v is None else {"height": f"{max(v / top * 100, 4) if top > 0 else 4:.0f}%"},
        )
        for v in values
    ]
    return html.Div(bars, className="kpi-spark", title=describe, role="img", **labelled(describe))


def share_of_target(value: Optional[float], target: Optional[float], shown_target: str) -> tuple[str, str]:
    """('Target $100k · 82 % reached', 'warn'): a sum against its target; ('', '') without one."""
    if target is None:
        return ("", "")
    if value is None:
        return (f"Target {shown_target}", "")
    share = value / target
    state = "ok" if share >= 1 else ("warn" if share >= WARN_SHARE else "bad")
    return (f"Target {shown_target} · {share * 100:,.0f} % reached", state)


def points_to_target(value: Optional[float], target: Optional[float]) -> tuple[str, str]:
    """('Target 70 · 2.3 pts below', 'warn'): a score against its target; ('', '') without one."""
    if target is None:
        return ("", "")
    if value is None:
        return (f"Target {target:g}", "")
    gap = target - value
    if gap <= 0:
        return (f"Target {target:g} · met", "ok")
    return (f"Target {target:g} · {gap:.1f} pts below", "warn" if gap <= WARN_POINTS else "bad")
