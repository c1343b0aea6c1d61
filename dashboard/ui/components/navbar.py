"""The navigation bar, built from the Dash pages registry."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard.domain.actors import Actor
from dashboard.ui.components.live import live_status
from dashboard.ui.components.palette import palette_button
from dashboard.ui.components.timepicker import NAV_LINK, time_range_control

REFRESH_CHOICES = (10, 30, 60, 300, 900)
"""The refresh intervals the navbar offers, in seconds (with the configured one, and Off)."""
REFRESH_OFF = "off"
"""?refresh=off: no refresh on a timer; "Refresh now" still asks."""


def refresh_options(default_seconds: int, floor_seconds: int) -> list[dict[str, str]]:
    """The picker's choices: the usual intervals at or above the floor, the configured default
    among them (marked), and Off."""
    seconds = sorted({s for s in REFRESH_CHOICES if s >= floor_seconds} | {default_seconds})
    options = [
        {"label": _interval_words(s) + (" (default)" if s == default_seconds else ""), "value": str(s)} for s in seconds
    ]
    return [*options, {"label": "Off", "value": REFRESH_OFF}]


def _interval_words(seconds: int) -> str:
    if seconds % 3600 == 0:
        return f"Every {seconds // 3600} h"
    if seconds % 60 == 0:
        return f"Every {seconds // 60} min"
    return f"Every {seconds} s"


def navbar(
    version: str,
    actor: Actor,
    *,
    auth_on: bool = False,
    logout_url: str = "",
    csrf_token: str = "",
    refresh_seconds: int = 30,
    refresh_floor: int = 5,
) -> dbc.Navbar:
    links = [
        # Their hrefs and active marks follow the URL (time-range.js): each carries the range.
        dbc.NavItem(
            dbc.NavLink(page["name"], href=page["relative_path"], id={"type": NAV_LINK, "path": page["relative_path"]})
        )
        for page in dash.page_registry.values()
        if page.get("nav", True)
    ]
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(
                    [html.Span("◆", className="brand-mark"), " Threads-Agent"],
                    href=dash.get_relative_path("/"),
                    className="fw-semibold",
                ),
                dbc.NavbarToggler(id="navbar-toggler"),
                dbc.Collapse(dbc.Nav(links, navbar=True, className="me-auto"), id="navbar-collapse", navbar=True),
                html.Div(
                    [
                        html.Span("", id="last-update", className="last-update small", role="status"),
                        live_status(),
                        palette_button(),
                        time_range_control(),
                        # Grafana's pair: refresh now, and how often (kept in the URL as ?refresh=).
                        html.Div(
                            [
                                dbc.Button(
                                    "Refresh",
                                    id="refresh-now",
                                    size="sm",
                                    color="secondary",
                                    outline=True,
                                    title="Ask for this page's data now (answers within the cache's freshness)",
                                ),
                                html.Label(
                                    "How often this page refreshes",
                                    htmlFor="refresh-picker",
                                    className="visually-hidden",
                                ),
                                dbc.Select(
                                    id="refresh-picker",
                                    options=refresh_options(refresh_seconds, refresh_floor),
                                    value=str(refresh_seconds),
                                    size="sm",
                                    className="refresh-picker",
                                ),
                            ],
                            className="refresh-controls d-flex gap-1",
                        ),
                        dbc.Switch(id="theme-switch", label="Dark", value=False, className="mb-0 small"),
                        *(_signed_in(actor, logout_url, csrf_token) if auth_on else []),
                    ],
                    className="navbar-tools d-flex align-items-center gap-3 ms-auto",
                ),
            ],
            fluid=True,
        ),
        className="app-navbar mb-3",
        color="body-tertiary",
        dark=False,
    )


def _signed_in(actor: Actor, logout_url: str, csrf_token: str) -> list:
    who = html.Span(
        [actor.name, " ", dbc.Badge(actor.role.label, color="secondary", className="ms-1")],
        id="signed-in-user",
        className="small text-nowrap",
    )
    if actor.via != "password":
        return [who]  # proxy users sign out at the proxy; token screens have nothing to sign out of
    sign_out = html.Form(
        [
            dbc.Input(type="hidden", name="csrf_token", value=csrf_token),
            html.Button("Sign out", type="submit", id="sign-out", className="btn btn-link btn-sm p-0"),
        ],
        method="POST",
        action=logout_url,
        className="mb-0",
    )
    return [who, sign_out]
