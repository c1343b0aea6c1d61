"""A category as a chip, in the colour the charts give it (dashboard/charts/palette.py)."""

from __future__ import annotations

from dash import html

from dashboard.charts.palette import chip_style


def category_chip(category: str) -> html.Span:
    """A dot in the category's chart colour (light or dark theme: assets/23-categories.css), then
    its name, as written."""
    return html.Span(
        [html.Span(className="category-chip-dot"), category],
        className="category-chip",
        style=chip_style(category),
    )
