"""The page for any path the registry does not know."""

import dash
import dash_bootstrap_components as dbc
from dash import html

dash.register_page(__name__, path="/404", name="Not found", title="Not found · Threads-Agent", nav=False)


def layout(**_query):
    return html.Div(
        [
            html.Div(html.H1("Page not found"), className="page-header"),
            html.P("There is no page at this address.", className="text-secondary"),
            dbc.Button("Go to the Overview", href=dash.get_relative_path("/"), color="primary"),
        ],
        id="not-found",
    )
