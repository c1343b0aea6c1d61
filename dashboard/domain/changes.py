"""A KPI's change against the previous period, in words: one sentence for a card and an embed.

In the domain, not the UI, so a KPI's embed (dashboard/web/embeds.py) and its card on a page
say the same words.
"""

from __future__ import annotations

from typing import Optional

from dashboard.domain.business_value import format_money
from dashboard.domain.kpis import Kpi


def delta_line(kpi: Kpi, label: str, *, currency: Optional[str] = None, points: bool = False) -> tuple[str, str]:
    """'▲ 12% vs previous 30 days', with a class for its colour; `currency` marks a money KPI,
    `points` a score whose change reads in points rather than per cent."""
    if kpi.previous is None:
        return ("over all time", "kpi-delta flat")
    if points and kpi.value is not None:
        diff = kpi.value - kpi.previous
        arrow, cls = ("▲", "up") if diff > 0 else (("▼", "down") if diff < 0 else ("■", "flat"))
        return (f"{arrow} {abs(diff):.1f} pts vs previous {label}", f"kpi-delta {cls}")
    change = kpi.change_pct
    if change is None:
        before = format_money(kpi.previous, currency=currency) if currency else f"{kpi.previous:,.0f}"
        return (f"previous {label}: {before}", "kpi-delta flat")
    arrow, cls = ("▲", "up") if change > 0.05 else (("▼", "down") if change < -0.05 else ("■", "flat"))
    return (f"{arrow} {abs(change):.0f}% vs previous {label}", f"kpi-delta {cls}")
