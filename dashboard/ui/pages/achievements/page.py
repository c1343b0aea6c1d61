"""Achievements: every achievement in an editable AG Grid that never loses or corrupts an edit.

The grid uses AG Grid's infinite row model: the browser asks for blocks of rows and the server
filters, sorts and slices (dashboard.services.achievements.grid_query), so 10,000 achievements never travel
at once. This module registers the page, lays it out (parts.py) and wires the callbacks of each
feature module while it runs, as Dash wants for every app it builds.
"""

from __future__ import annotations

from typing import Optional
from urllib.parse import urlencode

import dash
from dash import html

from dashboard.domain.actors import Role
from dashboard.domain.timerange import RANGE_PARAMS, TimeRange, search_with
from dashboard.services.achievements.grid_state import parse_state
from dashboard.ui.components.screen import on_screen
from dashboard.ui.components.timepicker import declare_range_store, page_range, range_store
from dashboard.ui.pages.achievements import (  # noqa: F401 - shapes declares
    adding,
    details,
    edits,
    export,
    gridstate,
    ids,
    parts,
    rows,
    saved,
    shapes,
)
from dashboard.web import auth, runtime

dash.register_page(
    __name__,
    path="/achievements",
    name="Achievements",
    title="Achievements · Threads-Agent",
    order=1,
    time_range=rows.DEFAULT_RANGE,
)


def layout(value: Optional[str] = None, **query):
    """`?value=unreadable` opens the grid on the achievements with no readable business value
    (the Overview links here when it counts them); the grid's sort, filters, search and columns
    come from the link too (gridstate.py)."""
    state, problems = parse_state({**query, "value": value})
    time_range, range_problem = page_range(query, rows.DEFAULT_RANGE)
    # The service layer refuses a viewer's writes whatever the page does; this only spares
    # viewers controls that cannot work for them.
    body = parts.body(
        can_edit=auth.current_actor().may(Role.EDITOR),
        sample="achievements" in runtime.current().services.sample_data_sets(),
        state=state,
        problems=[*problems, *([range_problem] if range_problem else [])],
        screen=on_screen(query),
    )
    return html.Div([range_store(ids.RANGE, time_range), _back_link(query), _range_note(time_range, query), body])


def _back_link(query: dict) -> Optional[html.A]:
    """ "← Back to Overview" when a click on a chart there opened the grid (`?back=/`): the same
    page, with the range it had. Only a page of this dashboard: `back` is never an open redirect."""
    back = query.get("back")
    page = next((p for p in dash.page_registry.values() if p.get("path") == back and p.get("nav", True)), None)
    if page is None or back == "/achievements":
        return None
    carried = {k: v for k, v in query.items() if k in RANGE_PARAMS and isinstance(v, str)}
    href = dash.get_relative_path(page["path"]) + (f"?{urlencode(carried)}" if carried else "")
    return html.A(f"← Back to {page['name']}", href=href, id=ids.BACK, className="grid-back small")


def _range_note(time_range: TimeRange, query: dict) -> Optional[html.Div]:
    """Above the grid, when the navbar's range hides older rows: which range, and a way out."""
    if time_range.quick_key == rows.DEFAULT_RANGE:
        return None
    search = "?" + urlencode([(k, v) for k, v in query.items() if isinstance(v, str)])
    everything = dash.get_relative_path("/achievements") + search_with(search, TimeRange.quick("all", time_range.tz))
    return html.Div(
        [
            "Showing the achievements completed ",
            html.Strong(time_range.during(runtime.current().clock.now()).removeprefix("in ")),
            " (the time range above). ",
            html.A("Show all time", href=everything, id=f"{ids.RANGE_NOTE}-all"),
        ],
        id=ids.RANGE_NOTE,
        className="grid-range-note small",
    )


declare_range_store(ids.RANGE)

for feature in (rows, edits, adding, details, export, gridstate, saved):
    feature.register()
