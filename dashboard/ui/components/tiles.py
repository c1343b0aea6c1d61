"""KPI cards and chart cards with a freshness line that says how old their data is.

Each tile has a pattern-matching freshness id; one client-side callback (app.py) draws every
freshness line when a page's freshness store changes, and a browser timer (assets/dashboard.js,
tickAges) moves the ages on each second in place, without a server round trip or a Dash callback.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Optional

import dash_bootstrap_components as dbc
from dash import Output, dcc, html

from dashboard.domain.clock import epoch_ms
from dashboard.domain.models import Fresh
from dashboard.domain.outages import short_error
from dashboard.ui.components.attributes import labelled
from dashboard.ui.components.panel_menu import panel_menu

FRESHNESS = "freshness"
FRESHNESS_DATA = "freshness-data"


def freshness_line(tile_id: str) -> html.Small:
    return html.Small("Loading…", id={"type": FRESHNESS, "tile": tile_id}, className="tile-freshness")


def freshness_store(page: str) -> dcc.Store:
    return dcc.Store(id={"type": FRESHNESS_DATA, "page": page}, data={})


def freshness_output(page: str) -> Output:
    """Where a page's refresh callback writes its freshness payload (see freshness_payload)."""
    return Output({"type": FRESHNESS_DATA, "page": page}, "data")


def freshness_payload(now: datetime, tiles: Mapping[str, Fresh]) -> dict:
    """What a page's freshness store holds: one freshness_entry per tile id, and `_updated`,
    the server's now, against which the browser measures every age (see epoch_ms)."""
    return {**{tile: freshness_entry(fresh) for tile, fresh in tiles.items()}, "_updated": epoch_ms(now)}


def sample_badge(sample: bool) -> list:
    """ "sample data" beside a tile's title when its numbers come from the embedded sample data
    while other tiles show a real service (DashboardServices.sample_data_sets)."""
    if not sample:
        return []
    return [
        dbc.Badge(
            "sample data",
            color="secondary",
            className="sample-badge ms-2",
            title="Made-up numbers from the embedded sample data: no service is configured for this tile",
        )
    ]


def kpi_card(
    tile_id: str,
    title: str,
    hint: Optional[str] = None,
    *,
    sample: bool = False,
    note: bool = False,
    spark: bool = False,
    target: bool = False,
    panel: Optional[str] = None,
) -> dbc.Card:
    """A KPI card: title (`hint`, how the number is computed, on hover), big number, change line,
    and as asked a sparkline (`<tile>-spark`), a target line (`<tile>-target`), a note
    (`<tile>-note`); then the freshness line. Each part has its size before the data comes, so
    nothing moves when it does. With `panel` (an id of services.panels), the "⋮" panel menu."""
    hint_mark = [html.Span("i", className="kpi-hint-mark", **labelled(hint))] if hint else []
    heading = html.Div([title, *hint_mark, *sample_badge(sample)], className="kpi-title", title=hint)
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div([heading, panel_menu(panel, tile_id, title)], className="kpi-head") if panel else heading,
                # Until the first answer, a placeholder of the number's size (a "—" would read as unknown).
                html.Div(html.Span(className="skeleton skeleton-value"), id=f"{tile_id}-value", className="kpi-value"),
                html.Div("", id=f"{tile_id}-delta", className="kpi-delta"),
                *([html.Div(className="kpi-spark-slot", id=f"{tile_id}-spark")] if spark else []),
                *([html.Div("", id=f"{tile_id}-target", className="kpi-target")] if target else []),
                *([html.Div("", id=f"{tile_id}-note", className="kpi-note")] if note else []),
                freshness_line(tile_id),
            ]
        ),
        id=f"{tile_id}-card",
        className="tile kpi-card h-100",
    )


def chart_card(
    tile_id: str, title: str, graph_height: int = 320, *, sample: bool = False, panel: Optional[str] = None
) -> dbc.Card:
    """A chart in a card: title, freshness line (and with `panel`, the "⋮" panel menu), graph."""
    tools = (
        html.Div([freshness_line(tile_id), panel_menu(panel, tile_id, title)], className="tile-tools")
        if panel
        else freshness_line(tile_id)
    )
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.Span([title, *sample_badge(sample)], className="tile-title"),
                    tools if panel else freshness_line(tile_id),
                ],
                className="d-flex justify-content-between align-items-baseline gap-2",
            ),
            dbc.CardBody(graph_frame(f"{tile_id}-graph", graph_height), className="p-2"),
        ],
        id=f"{tile_id}-card",
        className="tile h-100",
    )


def graph_frame(graph_id: str, height: int, **config: Any) -> html.Div:
    """A graph in a frame of its final height: until plotly draws (it loads after the page's first
    numbers), the frame holds the place as a placeholder, so nothing below it moves."""
    full: Any = {"displaylogo": False, "responsive": True, **config}  # plotly's Config, with extras
    return html.Div(
        dcc.Graph(
            id=graph_id,
            config=full,
            style={"height": "100%"},
        ),
        className="graph-frame",
        style={"height": f"{height}px"},
    )


def skeleton_lines(count: int) -> list[html.Div]:
    """Placeholders of a list that has not loaded yet, each the height of one of its items."""
    return [
        html.Div(
            [html.Span(className="skeleton skeleton-title"), html.Span(className="skeleton skeleton-meta")],
            className="skeleton-item",
        )
        for _ in range(count)
    ]


def tile_state(fresh: Fresh) -> str:
    """CSS class of a tile: ok, stale (old data, last refresh failed) or failed (no data)."""
    if fresh.value is None:
        return "failed"
    return "stale" if fresh.stale else "ok"


def tile_class(fresh: Fresh, base: str = "tile") -> str:
    return f"{base} tile--{tile_state(fresh)}"


def freshness_entry(fresh: Fresh) -> dict:
    """What the client-side age updater needs about one tile.

    The error is its short form ("achievement-collector: unreachable"): the page's outage notice
    says the whole of it once, so a tile's line stays one short line.
    """
    return {
        "t": epoch_ms(fresh.fetched_at),
        "state": tile_state(fresh),
        "error": short_error(fresh.error),
    }
