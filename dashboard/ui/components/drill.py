"""A click on a chart opens the Achievements grid on the rows behind it (services/drill.py).

The browser adds the clicked trace's name to plotly's point (a bar's category is its trace's
name, which clickData leaves out), the server turns the point into the grid's URL, and the app's
`DRILL` location (refresh="callback-nav") goes there: a new history entry, so Back returns,
and the grid's "← Back to …" link does too (its `back=` parameter).
"""

from __future__ import annotations

from typing import Any, Optional
from urllib.parse import urlencode

import dash
from dash import Input, Output, State, dcc

from dashboard.domain.timerange import RANGE_PARAMS
from dashboard.services.analytics import query_from_search
from dashboard.services.drill import grid_query_for
from dashboard.web.callback_input import expect

DRILL = "drill-url"
"""The app's location a drill-down writes (in the root layout)."""
CARRIED = (*RANGE_PARAMS, "published", "category")
"""Parameters of the page that go along to the grid, unless the click sets them itself."""


def drill_location() -> dcc.Location:
    return dcc.Location(id=DRILL, refresh="callback-nav")


def drill_href(chart: str, point: Any, search: Optional[str], back: str) -> Optional[str]:
    """The grid's address for a click on `point` of `chart`, seen from a page at `back` with
    `search`: its range, categories and "published only" go along unless the click sets them."""
    wanted = grid_query_for(chart, point)
    if wanted is None:
        return None
    here = query_from_search(search)
    query: dict[str, str] = {
        k: v if isinstance(v, str) else ",".join(str(x) for x in v or ()) for k, v in here.items() if k in CARRIED
    }
    if "from" in wanted:  # a month or a day: it is the range now
        query = {k: v for k, v in query.items() if k not in RANGE_PARAMS}
    query.update(wanted)
    query["back"] = back
    return dash.get_relative_path("/achievements") + "?" + urlencode(query)


def drills_to_grid(graph_id: str, chart: str, back: str) -> None:
    """Clicks on `graph_id` (chart `chart` of services/drill.py) open the grid on their rows."""
    picked = f"{graph_id}-picked"

    def go(point, search):
        href = drill_href(chart, point, search, back)
        return href if href else dash.no_update

    expect(picked, "data", Optional[dict[str, Any]])
    dash.clientside_callback(
        """function (click, figure) {
            if (!click || !click.points || !click.points.length) { return window.dash_clientside.no_update; }
            const p = click.points[0];
            const trace = figure && figure.data ? figure.data[p.curveNumber] : null;
            return {x: p.x === undefined ? null : String(p.x), y: p.y === undefined ? null : String(p.y),
                    text: typeof p.text === "string" ? p.text : null,
                    data_name: trace && typeof trace.name === "string" ? trace.name : null};
        }""",
        Output(picked, "data"),
        Input(graph_id, "clickData"),
        State(graph_id, "figure"),
        prevent_initial_call=True,
    )
    dash.callback(
        Output(DRILL, "href", allow_duplicate=True),
        Input(picked, "data"),
        State("url", "search"),
        prevent_initial_call=True,
    )(go)


def picked_store(graph_id: str) -> dcc.Store:
    """The store the browser puts a clicked point in (one per drillable chart, in its page)."""
    return dcc.Store(id=f"{graph_id}-picked")
