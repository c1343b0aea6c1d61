"""Figures of the Analytics page: pure functions of the rows in dashboard.services.analytics.

Each builder draws exactly the rows the CSV export writes, and gives a "no data" figure, never
an exception, when there are none.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Sequence

import plotly.graph_objects as go

from dashboard.charts.axes import (
    DAY,
    MODEBAR,
    MONTH,
    SCORE_TICKS,
    count_axis,
    day_axis,
    figure,
    money_axis,
    month_axis,
    titled,
)
from dashboard.charts.palette import OTHER, OTHER_NAME, category_colour, top_categories
from dashboard.charts.text import plain, template_literal
from dashboard.charts.theme import ACCENT, FONT_SIZE, base_layout, empty_figure, muted_colour, text_colour
from dashboard.domain.models import CATEGORIES


def _categories_in(rows: Sequence[dict[str, Any]]) -> list[str]:
    """The categories present, in the collector's order, so legends read the same everywhere."""
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted({r["category"] for r in rows}, key=lambda c: (order.get(c, len(order)), c))


Trace = Callable[[str, list[dict[str, Any]], str], dict[str, Any]]
"""(legend name, its rows, colour) -> a trace."""


def _per_category(
    rows: Sequence[dict[str, Any]], trace: Trace, *, dark: bool, weight: str | None = None
) -> list[dict[str, Any]]:
    """One trace per category present, in the collector's order, in its colour; past the six
    largest (by count of rows, or sum of `weight`), one grey "Other (n categories)" trace."""
    counts: dict[str, float] = {}
    for r in rows:
        counts[r["category"]] = counts.get(r["category"], 0) + (r[weight] if weight else 1)
    shown, folded = top_categories(counts)
    traces = [trace(c, [r for r in rows if r["category"] == c], category_colour(c, dark=dark)) for c in shown]
    if folded:
        others = [r for r in rows if r["category"] in folded]
        traces.append(trace(f"{OTHER_NAME} ({len(folded)} categories)", others, OTHER.on(dark=dark)))
    return traces


def _members(name: str, mine: list[dict[str, Any]]) -> str:
    """What a trace's hover calls its category: the name, or what an Other trace holds."""
    members = _categories_in(mine)
    return name if members == [name] else f"{name}: {', '.join(members)}"


def no_data_figure(message: str, *, dark: bool = False) -> go.Figure:
    """theme.empty_figure, with the same light toolbar as the charts beside it."""
    return empty_figure(message, dark=dark, modebar=MODEBAR)


def value_by_month_figure(
    rows: Sequence[dict[str, Any]], *, dark: bool = False, previous: Optional[Sequence[dict[str, Any]]] = None
) -> go.Figure:
    """Bars of business value per month, and the running total as a line on its own axis; with
    `previous` (the previous period's rows, moved onto these months) its running total dotted."""
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
            hovertemplate=f"%{{x|{MONTH}}}: $%{{y:,.0f}}<br>%{{customdata[0]}} achievements"
            " (%{customdata[1]} without a readable value)<extra></extra>",
        ),
        dict(
            type="scatter",
            x=months,
            y=[r["cumulative_value"] for r in rows],
            name="Cumulative",
            yaxis="y2",
            mode="lines+markers",
            line={"color": muted_colour(dark=dark), "width": 3},
            marker={"size": 7},
            hovertemplate=f"Cumulative to %{{x|{MONTH}}}: $%{{y:,.0f}}<extra></extra>",
        ),
    ]
    if previous:
        traces.append(
            dict(
                type="scatter",
                x=[r["month"] for r in previous],
                y=[r["cumulative_value"] for r in previous],
                name="Previous period (cumulative)",
                yaxis="y2",
                mode="lines",
                line={"color": muted_colour(dark=dark), "width": 2, "dash": "dot"},
                hovertemplate="Previous period, cumulative: $%{y:,.0f}<extra></extra>",
            )
        )
    cumulative = max((r["cumulative_value"] or 0.0) for r in [*rows, *(previous or [])])
    return figure(
        traces,
        dark=dark,
        legend="top",
        xaxis=month_axis(),
        yaxis=money_axis("Business value per month (USD)"),
        yaxis2={
            **base_layout(dark=dark)["yaxis"],
            **money_axis("Cumulative (USD)", largest=cumulative),
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "tickmode": "auto",
        },
    )


def categories_over_time_figure(rows: Sequence[dict[str, Any]], *, dark: bool = False) -> go.Figure:
    """Achievements completed per month, stacked by category: the six largest, the rest as Other."""
    if not rows:
        return no_data_figure("No achievements completed with these filters", dark=dark)
    stacks: dict[str, int] = {}
    for r in rows:
        stacks[r["month"]] = stacks.get(r["month"], 0) + r["achievements"]

    def bars(name: str, mine: list[dict[str, Any]], colour: str) -> dict[str, Any]:
        months = sorted({r["month"] for r in mine})
        return dict(
            type="bar",
            x=months,
            y=[sum(r["achievements"] for r in mine if r["month"] == m) for m in months],
            name=plain(name),
            marker={"color": colour},
            customdata=[sum(r["value"] for r in mine if r["month"] == m) for m in months],
            hovertemplate=template_literal(_members(name, mine))
            + f" · %{{x|{MONTH}}}: %{{y}} achievements, $%{{customdata:,.0f}}<extra></extra>",
        )

    drawn = figure(
        _per_category(rows, bars, dark=dark, weight="achievements"),
        dark=dark,
        legend="right",
        barmode="stack",
        xaxis=month_axis(),
        yaxis=count_axis("Achievements", max(stacks.values())),
    )
    # A click on a legend entry keeps that category (the page filters every panel by it).
    drawn.layout.legend.itemclick = "toggleothers"
    drawn.layout.legend.itemdoubleclick = False
    return drawn


def impact_complexity_figure(rows: Sequence[dict[str, Any]], *, dark: bool = False) -> go.Figure:
    """Impact against complexity, one dot per achievement; the dot's area is its business value."""
    if not rows:
        return no_data_figure("No achievements with these filters", dark=dark)
    largest = max((r["value"] or 0.0) for r in rows)
    # Area proportional to value, the largest dot 36 px across, so a pile-up stays readable;
    # unvalued work still shows, small.
    sizeref = 2.0 * largest / (36.0**2) if largest > 0 else 1.0
    outline = _dot_outline(dark)

    def dots(name: str, mine: list[dict[str, Any]], colour: str) -> dict[str, Any]:
        return dict(
            type="scatter",
            x=[r["complexity_score"] for r in mine],
            y=[r["impact_score"] for r in mine],
            name=plain(name),
            mode="markers",
            text=[plain(r["title"]) for r in mine],
            customdata=[[r["value"], plain(r["category"])] for r in mine],
            marker={
                "size": [r["value"] or 0.0 for r in mine],
                "sizemode": "area",
                "sizeref": sizeref,
                "sizemin": 5,
                "color": colour,
                "opacity": 0.7,
                "line": {"width": 1, "color": outline},
            },
            hovertemplate="%{text}<br>impact %{y:.0f} · complexity %{x:.0f}<br>$%{customdata[0]:,.0f}"
            "<extra>%{customdata[1]}</extra>",
        )

    return figure(
        _per_category(rows, dots, dark=dark),
        dark=dark,
        legend="right",
        xaxis={"title": titled("Complexity score (0–100)"), **SCORE_TICKS},
        yaxis={"title": titled("Impact score (0–100)"), **SCORE_TICKS},
    )


def time_saved_figure(rows: Sequence[dict[str, Any]], *, dark: bool = False) -> go.Figure:
    """Hours saved per month of completion."""
    if not rows:
        return no_data_figure("No achievements completed with these filters", dark=dark)
    bars = dict(
        type="bar",
        x=[r["month"] for r in rows],
        y=[r["hours_saved"] for r in rows],
        marker={"color": ACCENT},
        customdata=[[r["cumulative_hours"], r["achievements"]] for r in rows],
        hovertemplate=f"%{{x|{MONTH}}}: %{{y:,.0f}} h saved by %{{customdata[1]}} achievements"
        "<br>%{customdata[0]:,.0f} h in total so far<extra></extra>",
    )
    hours = {"tickformat": ",~r", "rangemode": "tozero", "title": titled("Hours saved")}
    return figure([bars], dark=dark, xaxis=month_axis(), yaxis=hours)


def skills_and_tags_figure(rows: Sequence[dict[str, Any]], *, dark: bool = False) -> go.Figure:
    """The most demonstrated skills (left) and most used tags (right), most frequent on top."""
    skills = [r for r in rows if r["kind"] == "skill"]
    tags = [r for r in rows if r["kind"] == "tag"]
    if not skills and not tags:
        return no_data_figure("No skills or tags recorded with these filters", dark=dark)
    traces = []
    for side, (items, label) in enumerate(((skills, "Skills"), (tags, "Tags"))):
        suffix = "" if side == 0 else "2"
        ordered = list(reversed(items))  # plotly draws the first bar at the bottom
        traces.append(
            dict(
                type="bar",
                x=[r["achievements"] for r in ordered],
                y=[plain(r["name"]) for r in ordered],
                orientation="h",
                name=label,
                marker={"color": ACCENT},
                xaxis=f"x{suffix}",
                yaxis=f"y{suffix}",
                customdata=[r["value"] for r in ordered],
                hovertemplate="%{y}: %{x} achievements, $%{customdata:,.0f}<extra>" + label + "</extra>",
            )
        )
    axis = base_layout(dark=dark)["xaxis"]
    most = max(r["achievements"] for r in rows)
    text = text_colour(dark=dark)
    return figure(
        traces,
        dark=dark,
        xaxis={"domain": [0.0, 0.46], **count_axis("Achievements", most)},
        yaxis={"anchor": "x"},
        xaxis2={**axis, "domain": [0.54, 1.0], "anchor": "y2", **count_axis("Achievements", most)},
        yaxis2={**axis, "anchor": "x2"},
        margin={"l": 8, "r": 8, "t": 30, "b": 8},
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
        "font": {"color": colour, "size": FONT_SIZE + 1},
    }


def pr_timeline_figure(rows: Sequence[dict[str, Any]], *, dark: bool = False) -> go.Figure:
    """Pull requests merged over time: one dot per PR at its merge date, climbing by one each;
    the dots coloured by category, with a legend."""
    if not rows:
        return no_data_figure("No pull-request achievements with these filters", dark=dark)
    climb = dict(
        type="scatter",
        x=[r["completed_at"] for r in rows],
        y=[r["merged_count"] for r in rows],
        mode="lines",
        line={"shape": "hv", "color": muted_colour(dark=dark), "width": 2},
        opacity=0.5,
        hoverinfo="skip",
        showlegend=False,
        name="PRs merged",
    )
    outline = _dot_outline(dark)

    def dots(name: str, mine: list[dict[str, Any]], colour: str) -> dict[str, Any]:
        return dict(
            type="scatter",
            x=[r["completed_at"] for r in mine],
            y=[r["merged_count"] for r in mine],
            mode="markers",
            name=plain(name),
            marker={"size": 10, "color": colour, "line": {"width": 1, "color": outline}},
            text=[plain(r["title"]) for r in mine],
            customdata=[
                [
                    plain(r["pr"] or f"#{r['id']}"),
                    plain(r["category"]),
                    r["impact_score"],
                    _money(r["value"]),
                    r["duration_hours"],
                ]
                for r in mine
            ],
            hovertemplate=f"%{{customdata[0]}} · %{{x|{DAY}}}<br>%{{text}}<br>%{{customdata[1]}} · impact "
            "%{customdata[2]:.0f} · %{customdata[3]} · %{customdata[4]} h open<extra></extra>",
        )

    return figure(
        [climb, *_per_category(rows, dots, dark=dark)],
        dark=dark,
        legend="right",
        xaxis=day_axis(),
        yaxis=count_axis("PRs merged", len(rows)),
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
        marker={"color": ACCENT},
        customdata=[_count(r["articles"]) for r in drawn],
        hovertemplate="%{x}: average engagement %{y:,.2f}<br>%{customdata}<extra></extra>",
    )
    score = {"rangemode": "tozero", "title": titled("Average engagement score")}
    return figure([bars], dark=dark, yaxis=score)


def _dot_outline(dark: bool) -> str:
    """A thin ring that keeps overlapping dots apart, and pale ones visible on white."""
    return "rgba(255,255,255,0.55)" if dark else "rgba(0,0,0,0.4)"


def _money(amount: Optional[float]) -> str:
    return "no value" if amount is None else f"${amount:,.0f}"


def _count(articles: Optional[float]) -> str:
    return "article count not sent" if articles is None else f"{articles:,.0f} articles"
