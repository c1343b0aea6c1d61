"""Activity: what happened, newest first, with time and who — edits from the audit trail, posts
generated and published, services going down and coming back. The same entries as the Overview's
side panel and the System page; `?kiosk=1` (and the wallboard's "activity" view) draws it for a TV.
"""

from __future__ import annotations

import dash
from dash import html

from dashboard.ui.components.activity import activity_callback, activity_card
from dashboard.ui.components.screen import page_class

dash.register_page(__name__, path="/activity", name="Activity", title="Activity · Threads-Agent", nav=False, order=5)

PREFIX = "activity-page"
ENTRIES = 40
"""A TV shows the first of them that fit its height (assets/28-activity.css), never a scrollbar."""


def layout(**query):
    card = activity_card(PREFIX, title="Newest first", lines=10, more=False)
    return html.Div(
        [
            html.Div([html.H1("Activity")], className="page-header"),
            html.Div(card, className="screen-grow"),
        ],
        className=page_class("activity", query),
    )


activity_callback(PREFIX, limit=ENTRIES)
