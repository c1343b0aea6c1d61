"""The navigation bar, built from the Dash pages registry."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard.domain.actors import Actor


def navbar(
    version: str, actor: Actor, *, auth_on: bool = False, logout_url: str = "", csrf_token: str = ""
) -> dbc.Navbar:
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
                        *(_signed_in(actor, logout_url, csrf_token) if auth_on else []),
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
