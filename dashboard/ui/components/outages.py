"""A page's outage notices: one per service that could not be read (dashboard.domain.outages)."""

from __future__ import annotations

from typing import Optional

import dash_bootstrap_components as dbc
from dash import html

from dashboard.domain.outages import Outage
from dashboard.ui.components.attributes import POLITE


def outage_slot(page: str) -> html.Div:
    """Where a page's refresh callback puts its notices (`<page>-outages`, children)."""
    return html.Div(id=f"{page}-outages", className="page-outages", role="status", **POLITE)


def outage_notices(outages: list[Outage], *, note: Optional[str] = None) -> list[dbc.Alert]:
    """One notice per service: what is wrong since when, what the page does, what to check.

    Amber when the page still shows the last good values, red when it has none. `note` adds
    what this page keeps safe meanwhile ("your edits are kept").
    """
    notices = []
    for outage in outages:
        status = outage.status() + (f"; {note}" if note else "")
        notices.append(
            dbc.Alert(
                [
                    html.Div(
                        [html.Strong(outage.headline()), html.Span(" — " + status + ".")], className="outage-headline"
                    ),
                    html.Div(outage.advice(), className="outage-advice"),
                    html.Details(
                        [html.Summary("Error"), html.Code(outage.error, className="outage-error")],
                        className="outage-details",
                    ),
                ],
                color="warning" if outage.showing_last_values else "danger",
                className=f"outage-notice outage--{outage.service.replace(' ', '-')} py-2 mb-2",
            )
        )
    return notices
