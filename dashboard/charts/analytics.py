"""Figures of the Analytics page: pure functions of the rows in dashboard.services.analytics.

Each builder draws exactly the rows the CSV export writes, and gives a "no data" figure, never
an exception, when there are none.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Sequence

import plotly.graph_objects as go

from dashboard.charts.text import plain, template_literal
from dashboard.charts.theme import ACCENT, PALETTE, base_layout, empty_figure
from dashboard.domain.models import CATEGORIES

OTHER_COLOUR = "#adb5bd"
_CATEGORY_COLOURS = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(CATEGORIES)}


# The palette's near-black would vanish on the dark background.
_ON_DARK = {"#343a40": "#ced4da"}


def category_colour(category: str, *, dark: bool = False) -> str:
    """The same colour for a category in every chart."""
    colour = _CATEGORY_COLOURS.get(category, OTHER_COLOUR)
    return _ON_DARK.get(colour, colour) if dark else colour


MODEBAR = {"bgcolor": "rgba(0,0,0,0)", "color": "#adb5bd", "activecolor": ACCENT}
"""A light toolbar: the PNG export lives there, but it should not cover the data."""
_LEGENDS = {
    "top": {
        "orientation": "h",
        "yanchor": "bottom",
        "y": 1.0,
        "xanchor": "left",
        "x": 0,
        "font": {"size": 11},
        "bgcolor": "rgba(0,0,0,0)",
    },
    "right": {
        "orientation": "v",
        "yanchor": "top",
        "y": 1.0,
        "x": 1.02,
        "font": {"size": 11},
        "bgcolor": "rgba(0,0,0,0)",
        "itemsizing": "constant",
        "tracegroupgap": 0,
    },
}


def _figure(
    traces: list[dict[str, Any]],
    *,
    dark: bool,
    legend: Optional[str] = None,
    xaxis: Optional[dict[str, Any]] = None,
    yaxis: Optional[dict[str, Any]] = None,
    **layout: Any,
) -> go.Figure:
    """A figure in the house look; `legend` "top" (a short one, left of the toolbar) or "right".

    The whole figure is given at once, traces as plain dicts: every update_layout call, and
    every go.Bar built before the figure copies it, validates again, and these figures are
    rebuilt on every refresh of every screen.
    """
    full = base_layout(dark=dark)
    full["modebar"] = MODEBAR
    if legend:
        full.update(showlegend=True, legend=_LEGENDS[legend], margin={"l": 8, "r": 8, "t": 30, "b": 8})
    full["xaxis"] = {**full["xaxis"], **(xaxis or {})}
    full["yaxis"] = {**full["yaxis"], **(yaxis or {})}
    full.update(layout)
    return go.Figure(data=traces, layout=full)


def _categories_in(rows: Sequence[dict[str, Any]]) -> list[str]:
    """The categories present, in the collector's order, so legends read the same everywhere."""
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted({r["category"] for r in rows}, key=lambda c: (order.get(c, len(order)), c))


def _per_category(
    rows: Sequence[dict[str, Any]], trace: Callable[[str, list[dict[str, Any]]], dict[str, Any]]
) -> list[dict[str, Any]]:
    """One trace per category present, in the collector's order: `trace(category, its rows)`."""
    return [trace(category, [r for r in rows if r["category"] == category]) for category in _categories_in(rows)]


def no_data_figure(message: str, *, dark: bool = False) -> go.Figure:
    """theme.empty_figure, with the same light toolbar as the charts beside it."""
    return empty_figure(message, dark=dark, modebar=MODEBAR)


def _month_axis(months: Sequence[str]) -> dict[str, Any]:
    # Few months: one tick each, or a single month would be labelled in days.
    axis = {"type": "date", "tickformat": "%b '%y", "hoverformat": "%B %Y"}
    if len(set(months)) <= 8:
        axis["dtick"] = "M1"
    return axis


def value_by_month_figure(rows: Sequence[dict[str, Any]], *, dark: bool = False) -> go.Figure:
    """Bars of business value per month, and the running total as a line on its own axis."""
    if not rows:
        return no_data_figure("No achievements completed with these filters", dark=dark)
    months = [r["month"] for r in rows]
    traces = [
        dict(
            type="bar",
            x=months,
            y=[r["value"] for r in rows],
            name="Per month",
            marker={"color": ACCENT},
            customdata=[[r["achievements"], r["unvalued"]] for r in rows],
            hovertemplate="%{x|%B %Y}: $%{y:,.0f}<br>%{customdata[0]} achievements"
            " (%{customdata[1]} without a readable value)<extra></extra>",
        ),
        dict(
            type="scatter",
            x=months,
            y=[r["cumulative_value"] for r in rows],
            name="Cumulative",
            yaxis="y2",
            mode="lines+markers",
            line={"color": PALETTE[1], "width": 3},
            marker={"size": 6},
            hovertemplate="Cumulative to %{x|%B %Y}: $%{y:,.0f}<extra></extra>",
        ),
    ]
    money = {"tickprefix": "$", "tickformat": "~s", "rangemode": "tozero"}
    return _figure(
        traces,
        dark=dark,
        legend="top",
        xaxis=_month_axis(months),
        yaxis=money,
        yaxis2={
            **base_layout(dark=dark)["yaxis"],
            **money,
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "tickmode": "auto",
        },
    )


def categories_over_time_figure(rows: Sequence[dict[str, Any]], *, dark: bool = False) -> go.Figure:
    """Achievements completed per month, stacked by category."""
    if not rows:
        return no_data_figure("No achievements completed with these filters", dark=dark)

    def bars(category: str, mine: list[dict[str, Any]]) -> dict[str, Any]:
        return dict(
            type="bar",
            x=[r["month"] for r in mine],
            y=[r["achievements"] for r in mine],
            name=plain(category),
            marker={"color": category_colour(category, dark=dark)},
            customdata=[r["value"] for r in mine],
            hovertemplate=template_literal(category) + " · %{x|%B %Y}: %{y} achievements, $%{customdata:,.0f}"
            "<extra></extra>",
        )

    return _figure(
        _per_category(rows, bars),
        dark=dark,
        legend="right",
        barmode="stack",
        xaxis=_month_axis([r["month"] for r in rows]),
        yaxis={"rangemode": "tozero", "tickformat": ",d"},
    )


def impact_complexity_figure(rows: Sequence[dict[str, Any]], *, dark: bool = False) -> go.Figure:
    """Impact against complexity, one dot per achievement; the dot's area is its business value."""
    if not rows:
        return no_data_figure("No achievements with these filters", dark=dark)
    largest = max((r["value"] or 0.0) for r in rows)
    # Area proportional to value, the largest dot 40 px across; unvalued work still shows, small.
    sizeref = 2.0 * largest / (40.0**2) if largest > 0 else 1.0

    def dots(category: str, mine: list[dict[str, Any]]) -> dict[str, Any]:
        return dict(
            type="scatter",
            x=[r["complexity_score"] for r in mine],
            y=[r["impact_score"] for r in mine],
            name=plain(category),
            mode="markers",
            text=[plain(r["title"]) for r in mine],
            customdata=[r["value"] for r in mine],
            marker={
                "size": [r["value"] or 0.0 for r in mine],
                "sizemode": "area",
                "sizeref": sizeref,
                "sizemin": 4,
                "color": category_colour(category, dark=dark),
                "opacity": 0.7,
                "line": {"width": 0.5, "color": "rgba(0,0,0,0.25)"},
            },
            hovertemplate="%{text}<br>impact %{y:.0f} · complexity %{x:.0f}<br>$%{customdata:,.0f}"
            f"<extra>{category}</extra>",
        )

    return _figure(
        _per_category(rows, dots),
        dark=dark,
        legend="right",
        xaxis={"title": {"text": "complexity", "standoff": 4}, "range": [-4, 104]},
        yaxis={"title": {"text": "impact", "standoff": 4}, "range": [-4, 104]},
    )


def time_saved_figure(rows: Sequence[dict[str, Any]], *, dark: bool = False) -> go.Figure:
    """Hours saved per month of completion."""
    if not rows:
        return no_data_figure("No achievements completed with these filters", dark=dark)
    months = [r["month"] for r in rows]
    bars = dict(
        type="bar",
        x=months,
        y=[r["hours_saved"] for r in rows],
        marker={"color": PALETTE[6]},
        customdata=[[r["cumulative_hours"], r["achievements"]] for r in rows],
        hovertemplate="%{x|%B %Y}: %{y:,.0f} h saved by %{customdata[1]} achievements"
        "<br>%{customdata[0]:,.0f} h in total so far<extra></extra>",
    )
    return _figure([bars], dark=dark, xaxis=_month_axis(months), yaxis={"ticksuffix": " h", "rangemode": "tozero"})


def skills_and_tags_figure(rows: Sequence[dict[str, Any]], *, dark: bool = False) -> go.Figure:
    """The most demonstrated skills (left) and most used tags (right), most frequent on top."""
    skills = [r for r in rows if r["kind"] == "skill"]
    tags = [r for r in rows if r["kind"] == "tag"]
    if not skills and not tags:
        return no_data_figure("No skills or tags recorded with these filters", dark=dark)
    traces = []
    text = "#dee2e6" if dark else "#212529"
    sides = ((skills, PALETTE[2], "Skills"), (tags, PALETTE[3], "Tags"))
    for side, (items, colour, label) in enumerate(sides):
        suffix = "" if side == 0 else "2"
        ordered = list(reversed(items))  # plotly draws the first bar at the bottom
        traces.append(
            dict(
                type="bar",
                x=[r["achievements"] for r in ordered],
                y=[plain(r["name"]) for r in ordered],
                orientation="h",
                name=label,
                marker={"color": colour},
                xaxis=f"x{suffix}",
                yaxis=f"y{suffix}",
                customdata=[r["value"] for r in ordered],
                hovertemplate="%{y}: %{x} achievements, $%{customdata:,.0f}<extra>" + label + "</extra>",
            )
        )
    axis = base_layout(dark=dark)["xaxis"]
    return _figure(
        traces,
        dark=dark,
        xaxis={"domain": [0.0, 0.46], "tickformat": ",d"},
        yaxis={"anchor": "x"},
        xaxis2={**axis, "domain": [0.54, 1.0], "anchor": "y2", "tickformat": ",d"},
        yaxis2={**axis, "anchor": "x2"},
        margin={"l": 8, "r": 8, "t": 28, "b": 8},
        annotations=[
            _side_title("Skills" if skills else "Skills: none recorded", 0.0, text),
            _side_title("Tags" if tags else "Tags: none recorded", 0.54, text),
        ],
    )


def _side_title(text: str, x: float, colour: str) -> dict[str, Any]:
    """The title above one side of a two-sided figure, left-aligned at `x` (paper coordinates)."""
    return {
        "text": text,
        "x": x,
        "xref": "paper",
        "y": 1.0,
        "yref": "paper",
        "yanchor": "bottom",
        "xanchor": "left",
        "showarrow": False,
        "font": {"color": colour, "size": 13},
    }


def pr_timeline_figure(rows: Sequence[dict[str, Any]], *, dark: bool = False) -> go.Figure:
    """Pull requests merged over time: one dot per PR at its merge date, climbing by one each."""
    if not rows:
        return no_data_figure("No pull-request achievements with these filters", dark=dark)
    dots = dict(
        type="scatter",
        x=[r["completed_at"] for r in rows],
        y=[r["merged_count"] for r in rows],
        mode="lines+markers",
        line={"shape": "hv", "color": "rgba(111,66,193,0.35)", "width": 2},
        marker={
            "size": 9,
            "color": [category_colour(r["category"], dark=dark) for r in rows],
            "line": {"width": 1, "color": "rgba(0,0,0,0.3)"},
        },
        text=[plain(r["title"]) for r in rows],
        customdata=[
            [
                plain(r["pr"] or f"#{r['id']}"),
                plain(r["category"]),
                r["impact_score"],
                _money(r["value"]),
                r["duration_hours"],
            ]
            for r in rows
        ],
        hovertemplate="%{customdata[0]} · %{x|%b %d, %Y}<br>%{text}<br>%{customdata[1]} · impact "
        "%{customdata[2]:.0f} · %{customdata[3]} · %{customdata[4]} h open<extra></extra>",
    )
    return _figure(
        [dots],
        dark=dark,
        xaxis={"type": "date"},
        yaxis={"rangemode": "tozero", "tickformat": ",d", "title": {"text": "PRs merged", "standoff": 4}},
    )


def platform_performance_figure(rows: Sequence[dict[str, Any]], *, dark: bool = False) -> go.Figure:
    """Average engagement per platform as tech-doc-generator reports it; a platform sent without
    one is left out, never drawn as 0."""
    drawn = [r for r in rows if r["avg_engagement"] is not None]
    if not drawn:
        message = (
            "tech-doc-generator sent no engagement numbers" if rows else "No platform data from tech-doc-generator"
        )
        return no_data_figure(message, dark=dark)
    bars = dict(
        type="bar",
        x=[plain(r["platform"]) for r in drawn],
        y=[r["avg_engagement"] for r in drawn],
        marker={"color": [PALETTE[i % len(PALETTE)] for i in range(len(drawn))]},
        customdata=[_count(r["articles"]) for r in drawn],
        hovertemplate="%{x}: average engagement %{y:,.2f}<br>%{customdata}<extra></extra>",
    )
    return _figure([bars], dark=dark, yaxis={"rangemode": "tozero", "title": {"text": "avg engagement", "standoff": 4}})


def _money(amount: Optional[float]) -> str:
    return "no value" if amount is None else f"${amount:,.0f}"


def _count(articles: Optional[float]) -> str:
    return "article count not sent" if articles is None else f"{articles:,.0f} articles"
