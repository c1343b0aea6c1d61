"""The navigation bar, built from the Dash pages registry."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html


def navbar(version: str) -> dbc.Navbar:
    links = [
        dbc.NavItem(dbc.NavLink(page["name"], href=page["relative_path"], active="exact"))
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
                        html.Span("", id="last-update", className="last-update small"),
                        dbc.Switch(id="theme-switch", label="Dark", value=False, className="mb-0 small"),
                    ],
                    className="d-flex align-items-center gap-3 ms-auto",
                ),
            ],
            fluid=True,
        ),
        className="app-navbar mb-3",
        color="body-tertiary",
        dark=False,
    )
