"""The Analytics filter bar: its controls write the URL, and the page is then rebuilt from it."""

from __future__ import annotations

from typing import Optional, Union
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Output, ctx, html

from dashboard.domain.models import CATEGORIES
from dashboard.services.analytics import (
    Filters,
    controls_query,
    merge_search,
    parse_filters,
    query_from_search,
)
from dashboard.ui.components.buttons import toggle_buttons
from dashboard.ui.components.callbacks import skip
from dashboard.ui.pages.analytics import ids
from dashboard.web import runtime
from dashboard.web.callback_input import expect

KEEP_PARAMS = ("refresh", "kiosk", "screen")
"""Query parameters of the screen, not of the filters: "Reset filters" keeps them."""

APPLIED = {
    "search": Output(ids.LOCATION, "search"),
    "problems": Output(ids.FILTER_PROBLEMS, "children"),
    "problems_open": Output(ids.FILTER_PROBLEMS, "is_open"),
}

# What the controls and the filters store hold; any other shape is refused with a 400 before a
# callback runs (dashboard/web/callback_input.py). Their values are then checked by parse_filters.
expect(ids.CATEGORY, "value", Optional[list[str]])
expect(ids.PUBLISHED, "value", Optional[bool])
expect(ids.FILTERS, "data", Optional[dict[str, Union[str, list[str]]]])


def filter_bar(filters: Filters, query: dict) -> dbc.Card:
    keep = {k: v for k, v in query.items() if k in KEEP_PARAMS and isinstance(v, str)}
    reset_href = dash.get_relative_path("/analytics") + (f"?{urlencode(keep)}" if keep else "")
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(
                    [
                        html.Span("Categories", className="filter-label"),
                        toggle_buttons(
                            dbc.Checklist,
                            ids.CATEGORY,
                            [{"label": c, "value": c} for c in CATEGORIES],
                            list(filters.categories),
                            class_name="filter-buttons",
                            color="secondary",
                        ),
                        html.Span("none picked: all", className="text-secondary small"),
                    ],
                    className="filter-row",
                ),
                html.Div(
                    [
                        dbc.Switch(
                            id=ids.PUBLISHED,
                            label="Published (portfolio-ready) only",
                            value=filters.published_only,
                            class_name="mb-0",
                        ),
                        dbc.Button(
                            "Reset filters", id=ids.RESET, href=reset_href, color="link", size="sm", class_name="p-0"
                        ),
                    ],
                    className="filter-row",
                ),
            ],
            class_name="d-flex flex-column gap-2 py-2",
        ),
        class_name="tile mb-3 analytics-filters",
    )


def apply_controls(categories, published, search, shown) -> dict:
    """The new URL search for the controls, or, when they do not make a filter, why not.
    (The time range is the navbar's: the controls keep the one the page shows.)"""
    # Should Dash call this when the page is rebuilt, every control is the trigger; a person
    # changes one control at a time.
    if len(ctx.triggered) != 1 or ctx.triggered_id is None:
        return skip(APPLIED)
    current = runtime.current()
    now, zone = current.clock.now(), current.services.timezone
    query = controls_query(shown or {}, categories, published)
    filters, problems = parse_filters(query, now, zone)
    if problems:
        # Nothing is applied; the controls keep what the user chose so it can be corrected.
        return {**skip(APPLIED), "problems": [html.Div(p) for p in problems], "problems_open": True}
    if filters == parse_filters(shown or {}, now, zone)[0]:
        # Back to what is shown: only the URL's own problems (if any) remain to be said.
        url_problems = parse_filters(query_from_search(search), now, zone)[1]
        return {**skip(APPLIED), "problems": [html.Div(p) for p in url_problems], "problems_open": bool(url_problems)}
    return {**skip(APPLIED), "search": merge_search(search, filters.query())}
