"""The navbar's time range, Grafana's picker: one range for every page, kept in the URL.

The picker writes `range=`/`from=`/`to=`/`tz=`/`compare=` (dashboard.domain.timerange) to the
URL through its own `dcc.Location` (`refresh="callback-nav"`), so the page is rebuilt from the
URL exactly as when the link is opened; the navbar's links carry those parameters to the next
page (assets/time-range.js). A page that reads the range says so when it registers:
``dash.register_page(__name__, ..., time_range="30d")`` (its default); on the others the picker
is hidden. A page reads the range with `page_range(query)` in its layout and keeps it in a store
(`range_store`), which its refresh callback reads back with `range_of`, so a relative range
("last 7 days") rolls forward on a screen that stays open for days.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping, Optional, Union

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html

from dashboard.domain.timerange import (
    QUICK_LABELS,
    QUICK_MENU,
    RangeError,
    TimeRange,
    as_time_range,
    parse_time_range,
    search_with,
    store_of,
    zone,
)
from dashboard.services.analytics import query_from_search
from dashboard.ui.components.callbacks import skip
from dashboard.web import runtime
from dashboard.web.callback_input import expect

BUTTON = "time-range-button"
LABEL = "time-range-label"
POPOVER = "time-range-popover"
QUICK = "time-range-quick"
FROM = "time-range-from"
TO = "time-range-to"
CALENDAR = "time-range-calendar"
ZONE = "time-range-zone"
COMPARE = "time-range-compare"
APPLY = "time-range-apply"
MESSAGE = "time-range-message"
LOCATION = "time-range-url"
BROWSER_ZONE = "time-range-browser-zone"
NAV_LINK = "nav-link"
"""The navbar's page links: {"type": NAV_LINK, "path": page path}; their hrefs carry the range."""

StoreShape = Optional[Union[str, dict[str, Union[str, bool]]]]
"""What a page's range store holds (store_of), or a quick key."""

expect(FROM, "value", Optional[str])
expect(TO, "value", Optional[str])
expect(ZONE, "value", Optional[str])
expect(COMPARE, "value", Optional[bool])
expect(CALENDAR, "start_date", Optional[str])
expect(CALENDAR, "end_date", Optional[str])
expect(BROWSER_ZONE, "data", Optional[str])
expect(FROM, "n_submit", Optional[int])
expect(TO, "n_submit", Optional[int])
expect(FROM, "n_blur", Optional[int])
expect(TO, "n_blur", Optional[int])


def time_range_control() -> html.Div:
    """The navbar button (it names the range) and its panel."""
    quick = dbc.ListGroup(
        [
            dbc.ListGroupItem(
                QUICK_LABELS[key],
                id={"type": QUICK, "key": key},
                action=True,
                n_clicks=0,
                class_name="time-range-quick",
            )
            for key in QUICK_MENU
        ],
        flush=True,
        class_name="time-range-quick-list",
    )
    hint = "now-30d, now/M, 2026-01-31 or 2026-01-31 14:00"
    absolute = html.Div(
        [
            html.Div("Absolute or relative", className="time-range-heading"),
            dbc.Label("From", html_for=FROM, class_name="small mb-0"),
            dbc.Input(id=FROM, type="text", size="sm", placeholder="now-30d", debounce=False, n_submit=0, n_blur=0),
            dbc.Label("To", html_for=TO, class_name="small mb-0 mt-1"),
            dbc.Input(id=TO, type="text", size="sm", placeholder="now", debounce=False, n_submit=0, n_blur=0),
            html.Div(hint, className="time-range-hint"),
            dcc.DatePickerRange(
                id=CALENDAR,
                display_format="YYYY-MM-DD",
                first_day_of_week=1,
                minimum_nights=0,
                start_date_placeholder_text="Start day",
                end_date_placeholder_text="End day",
                className="time-range-calendar",
            ),
            dbc.Label("Time zone", html_for=ZONE, class_name="small mb-0 mt-2"),
            dbc.Select(id=ZONE, size="sm", options=[]),
            dbc.Switch(id=COMPARE, label="Compare with previous period", value=False, class_name="mt-2 mb-0 small"),
            html.Div("", id=MESSAGE, className="time-range-message", role="status"),
            dbc.Button("Apply time range", id=APPLY, size="sm", color="primary", class_name="mt-2 w-100"),
        ],
        className="time-range-absolute",
    )
    return html.Div(
        [
            dcc.Location(id=LOCATION, refresh="callback-nav"),
            dcc.Store(id=BROWSER_ZONE),
            dbc.Button(
                [html.Span(className="time-range-icon", role="presentation"), html.Span("", id=LABEL)],
                id=BUTTON,
                size="sm",
                color="secondary",
                outline=True,
                class_name="time-range-button",
                title="Time range (t)",
            ),
            dbc.Popover(
                dbc.PopoverBody(html.Div([absolute, quick], className="time-range-panel")),
                id=POPOVER,
                target=BUTTON,
                trigger="legacy",
                placement="bottom-end",
                class_name="time-range-popover",
                hide_arrow=True,
            ),
        ],
        id="time-range-control",
        className="time-range-control",
    )


# What pages use -------------------------------------------------------------------------------


def page_range(query: Mapping[str, Any], default: str) -> tuple[TimeRange, Optional[str]]:
    """The range a page's URL asks for, and a sentence when it asked for something that is not one."""
    current = runtime.current()
    return parse_time_range(query, current.clock.now(), default=default, default_tz=current.services.timezone)


def range_store(store_id: str, time_range: TimeRange) -> dcc.Store:
    return dcc.Store(id=store_id, data=store_of(time_range))


def declare_range_store(store_id: str) -> None:
    expect(store_id, "data", StoreShape)


def range_of(data: object, default: str) -> TimeRange:
    """A page store's range back (the default when it holds anything else)."""
    return as_time_range(data, default=default, tz=runtime.current().services.timezone)


def zoomed_range(relayout: object, current: TimeRange) -> Optional[TimeRange]:
    """The range a drag across a time chart selects (its x axis drawn in `current.tz`), or None."""
    if not isinstance(relayout, dict):
        return None
    first, last = relayout.get("xaxis.range[0]"), relayout.get("xaxis.range[1]")
    if not isinstance(first, str) or not isinstance(last, str):
        return None
    bounds = []
    for text in (first, last):
        try:
            moment = datetime.fromisoformat(text.strip()[:26].replace(" ", "T"))
        except ValueError:
            return None
        bounds.append(f"{moment:%Y-%m-%dT%H:%M}")
    if bounds[0] >= bounds[1]:
        return None
    return TimeRange(bounds[0], bounds[1], current.tz, current.compare)


def zoom_sets_range(graph_id: str, store_id: str, default: str) -> None:
    """A drag across `graph_id` (a time chart) sets the page's range, as in Grafana."""

    def zoom(relayout, data, search):
        wanted = zoomed_range(relayout, range_of(data, default))
        if wanted is None:
            return dash.no_update
        return search_with(search, wanted, runtime.current().services.timezone)

    expect(graph_id, "relayoutData", Optional[dict[str, Any]])
    dash.callback(
        Output(LOCATION, "search", allow_duplicate=True),
        Input(graph_id, "relayoutData"),
        State(store_id, "data"),
        State("url", "search"),
        prevent_initial_call=True,
    )(zoom)


# The picker's callbacks -------------------------------------------------------------------------


def _page_default(pathname: Optional[str]) -> Optional[str]:
    """The default range of the page at `pathname`; None for a page without a range (or for a
    pathname that is not text: a request the page never sends)."""
    if not isinstance(pathname, str):
        return None
    path = "/" + (dash.strip_relative_path(pathname or "/") or "")
    for page in dash.page_registry.values():
        if page.get("path") == path:
            return page.get("time_range")
    return None


SHOWN = {
    "label": Output(LABEL, "children"),
    "button_class": Output("time-range-control", "className"),
    "start": Output(FROM, "value"),
    "end": Output(TO, "value"),
    "zone": Output(ZONE, "value"),
    "zones": Output(ZONE, "options"),
    "compare": Output(COMPARE, "value"),
    "quick": Output({"type": QUICK, "key": ALL}, "active"),
    "title": Output(BUTTON, "title"),
}


def show_range(pathname, search, browser_zone, is_open, zone_shown, compare_shown) -> dict:
    """The picker shows the range of the URL (or the page's default). While it is open the boxes
    are left alone: a range applied on leaving one box must not overwrite the next one as it is
    typed in (choose_range corrects them itself when it swaps a reversed range)."""
    default = _page_default(pathname)
    if default is None:
        return {**skip(SHOWN), "button_class": "time-range-control d-none", "quick": [False] * len(QUICK_MENU)}
    current = runtime.current()
    configured = current.services.timezone
    shown, _ = parse_time_range(query_from_search(search), current.clock.now(), default=default, default_tz=configured)
    zones = [configured, "UTC", *([browser_zone] if isinstance(browser_zone, str) else [])]
    if shown.tz not in zones:
        zones.append(shown.tz)
    options = []
    for name in dict.fromkeys(zones):
        notes = [n for n, z in (("configured", configured), ("this browser", browser_zone)) if z == name]
        options.append({"label": name + (f" ({', '.join(notes)})" if notes else ""), "value": name})
    key = shown.quick_key
    words = shown.label(current.clock.now())
    return {
        "label": " · ".join(
            [words, *([shown.tz] if shown.tz != "UTC" else []), *(["vs previous"] if shown.compare else [])]
        ),
        "button_class": "time-range-control",
        "start": dash.no_update if is_open else shown.start,
        "end": dash.no_update if is_open else shown.end,
        # Set only when they differ: each setting is a change the zone/compare callback hears.
        "zone": shown.tz if shown.tz != zone_shown else dash.no_update,
        "zones": options,
        "compare": shown.compare if shown.compare != bool(compare_shown) else dash.no_update,
        "quick": [k == key for k in QUICK_MENU],
        "title": f"Time range: {words}, times in {shown.tz}"
        + (", compared with the previous period" if shown.compare else "")
        + " (press t)",
    }


CHOSEN = {
    "search": Output(LOCATION, "search", allow_duplicate=True),
    "message": Output(MESSAGE, "children", allow_duplicate=True),
    "message_class": Output(MESSAGE, "className", allow_duplicate=True),
    "open": Output(POPOVER, "is_open", allow_duplicate=True),
    "start": Output(FROM, "value", allow_duplicate=True),
    "end": Output(TO, "value", allow_duplicate=True),
}


def choose_range(quick, applied, from_submit, to_submit, from_blur, to_blur, tz, compare, calendar_end, state) -> dict:
    """A click on a quick range, Apply, Enter or leaving a box, the calendar, the zone or the
    comparison: the URL gets the new range (and the page is rebuilt from it)."""
    trigger = ctx.triggered_id
    if trigger is None:
        return skip(CHOSEN)
    current = runtime.current()
    now, configured = current.clock.now(), current.services.timezone
    default = _page_default(state["pathname"]) or "30d"
    shown, _ = parse_time_range(query_from_search(state["search"]), now, default=default, default_tz=configured)
    try:
        tz_name = tz if isinstance(tz, str) and tz else shown.tz
        zone(tz_name)
    except RangeError as error:
        return {**skip(CHOSEN), "message": str(error), "message_class": "time-range-message is-error"}
    wanted_compare = bool(compare)
    close = False
    note = ""
    if isinstance(trigger, dict) and trigger.get("type") == QUICK:
        key = str(trigger.get("key"))
        if key not in QUICK_MENU:
            return skip(CHOSEN)
        wanted = TimeRange.quick(key, tz_name, wanted_compare)
        close = True
    elif trigger in (ZONE, COMPARE):
        wanted = TimeRange(shown.start, shown.end, tz_name, wanted_compare)
    else:
        if trigger == CALENDAR:
            start, end = state["calendar_start"], calendar_end
            if not (isinstance(start, str) and isinstance(end, str)):
                return skip(CHOSEN)  # one end picked: wait for the other
            start, end = start[:10], end[:10]
        else:
            start, end = (state["start"] or "").strip(), (state["end"] or "").strip()
        typed = {"from": start, "to": end, "tz": tz_name, **({"compare": "1"} if wanted_compare else {})}
        wanted, problem = parse_time_range(typed, now, default=default, default_tz=tz_name)
        if problem and "swapped" not in problem:
            # Nothing is applied: the boxes keep what was typed, so it can be corrected.
            said = problem.split(" Showing")[0]
            return {**skip(CHOSEN), "message": said, "message_class": "time-range-message is-error"}
        note = problem or ""
        entered = trigger in (FROM, TO) and ctx.triggered[0]["prop_id"].endswith("n_submit")
        close = (trigger in (APPLY, CALENDAR) or entered) and not note
    search = search_with(state["search"], wanted, configured)
    unchanged = search == search_with(state["search"], shown, configured)
    if unchanged and trigger in (ZONE, COMPARE):
        return skip(CHOSEN)  # the picker showing the URL's range sets these: nothing was chosen
    return {
        "search": dash.no_update if unchanged else search,
        "message": note,
        "message_class": "time-range-message is-note" if note else "time-range-message",
        "open": False if close else dash.no_update,
        # A swapped range: the boxes show it the right way round.
        "start": wanted.start if note else dash.no_update,
        "end": wanted.end if note else dash.no_update,
    }


def register_callbacks(app: dash.Dash) -> None:
    """The picker's callbacks, for each app built (the app factory calls this with the navbar's)."""
    app.callback(
        output=SHOWN,
        inputs={
            "pathname": Input("url", "pathname"),
            "search": Input("url", "search"),
            "browser_zone": Input(BROWSER_ZONE, "data"),
        },
        state={
            "is_open": State(POPOVER, "is_open"),
            "zone_shown": State(ZONE, "value"),
            "compare_shown": State(COMPARE, "value"),
        },
    )(show_range)
    # Two callbacks of one function: the zone and the comparison apart from the rest, so the
    # picker showing a new URL (which may set them) never cancels a click on a quick range that
    # is in flight (Dash keeps only the newest answer of a callback).
    chosen_by = {
        "quick": Input({"type": QUICK, "key": ALL}, "n_clicks"),
        "applied": Input(APPLY, "n_clicks"),
        "from_submit": Input(FROM, "n_submit"),
        "to_submit": Input(TO, "n_submit"),
        "from_blur": Input(FROM, "n_blur"),
        "to_blur": Input(TO, "n_blur"),
        "calendar_end": Input(CALENDAR, "end_date"),
    }
    settings = {"tz": Input(ZONE, "value"), "compare": Input(COMPARE, "value")}
    read = {
        "state": {
            "start": State(FROM, "value"),
            "end": State(TO, "value"),
            "calendar_start": State(CALENDAR, "start_date"),
            "pathname": State("url", "pathname"),
            "search": State("url", "search"),
        }
    }

    def as_state(inputs: dict[str, Any]) -> dict[str, Any]:
        return {name: State(i.component_id, i.component_property) for name, i in inputs.items()}

    app.callback(output=CHOSEN, inputs=chosen_by, state={**as_state(settings), **read}, prevent_initial_call=True)(
        choose_range
    )
    app.callback(output=CHOSEN, inputs=settings, state={**as_state(chosen_by), **read}, prevent_initial_call=True)(
        choose_range
    )
    app.clientside_callback(
        "function (_) { try { return Intl.DateTimeFormat().resolvedOptions().timeZone || null; }"
        " catch (e) { return null; } }",
        Output(BROWSER_ZONE, "data"),
        Input(BROWSER_ZONE, "id"),
    )
    app.clientside_callback(
        dash.ClientsideFunction("timeRange", "carry"),
        Output({"type": NAV_LINK, "path": ALL}, "href"),
        Output({"type": NAV_LINK, "path": ALL}, "active"),
        Input("url", "search"),
        Input("url", "pathname"),
    )
