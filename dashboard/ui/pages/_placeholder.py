"""The body of a page whose own issue has not landed yet: its title and what it will show."""

from dash import html


def placeholder(title: str, coming: str):
    return html.Div(
        [
            html.Div(html.H1(title), className="page-header"),
            html.P(coming, className="text-secondary"),
        ]
    )
