"""What a money total leaves out, said beside it: other currencies, unreadable amounts, ranges."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.domain.business_value import MoneyTotal


def money_note(money: MoneyTotal) -> list:
    """'+ €40,000 not converted · 9 achievements have no readable amount · 2 ranges counted at
    the lower bound'; the unreadable ones link to the grid showing exactly them."""
    parts: list = []
    if money.other:
        parts.append(html.Span(money.other_text(), className="kpi-note-other"))
    if money.unreadable:
        noun = "achievement has" if money.unreadable == 1 else "achievements have"
        parts.append(
            dcc.Link(
                f"{money.unreadable:,} {noun} no readable amount",
                href=dash.get_relative_path("/achievements") + "?value=unreadable",
                className="kpi-note-unreadable",
            )
        )
    if money.ranges:
        plural = "s" if money.ranges > 1 else ""
        parts.append(html.Span(f"{money.ranges:,} range{plural} counted at the lower bound"))
    return [piece for i, part in enumerate(parts) for piece in ((" · ",) if i else ()) + (part,)]
