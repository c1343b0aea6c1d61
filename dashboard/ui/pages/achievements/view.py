"""Pure view builders of the Achievements page: data in, components out; no I/O, no app.

What the callbacks show after a read or a write: the KPI strip and overlay of a block of rows,
the messages of a batch of edits, the conflict dialog, an achievement's details, the audit trail.
"""

from __future__ import annotations

from typing import Optional

import dash_bootstrap_components as dbc
from dash import html

from dashboard.domain.business_value import format_reading, unreadable_reason
from dashboard.domain.models import Achievement
from dashboard.domain.outages import Outage
from dashboard.services.achievements.edits import FIELD_LABELS, EditResult, show_value
from dashboard.services.facade import GridPage
from dashboard.ui.components.money import money_note


def grid_view(block: GridPage, outages: list[Outage], *, can_edit: bool, empty: Optional[html.Div] = None) -> dict:
    """The KPI strip, the overlay and the actions for a block of rows, keyed as rows.OUTPUTS.

    Never loaded means unknown, not zero: the KPIs read "—", the grid says why instead of
    "No Rows To Show", and the actions that need the service wait for it. A view with no rows
    under filters shows `empty` (which filters hide the rows, and a way to clear them).
    """
    if block.fresh.value is None:
        outage = outages[0] if outages else None
        why = (
            f"{outage.headline()} — retrying every {outage.retry_seconds:g} s; your edits are kept."
            if outage
            else f"No achievements loaded: {block.fresh.error or 'not loaded yet'}."
        )
        service = outage.service if outage else "the achievement source"
        return {
            **UNKNOWN_KPIS,
            **_overlay(
                html.Div([html.Strong("No achievements to show"), html.Div(why)], className="grid-overlay-text")
            ),
            **_action("add", True, f"Adding needs {service}, which cannot be reached now."),
            **_action("export", True, f"Nothing to export: {service} cannot be reached now."),
        }
    if block.error:
        # A filter, sort or search the server refused: said over the rows (the header with its
        # filters stays usable to change it); the KPIs of a view that was not computed are unknown.
        refused = html.Div(
            [
                html.Strong("This view cannot be shown"),
                html.Div(block.error),
                html.Div("Change the filters, the sort or the search.", className="small"),
            ],
            className="grid-overlay-text grid-refused",
        )
        return {
            **UNKNOWN_KPIS,
            **_overlay(refused),
            **_adding(can_edit),
            **_action("export", True, "Nothing to export: the view cannot be shown."),
        }
    summary = block.summary
    shown = (
        _overlay(empty)
        if empty is not None and block.total == 0
        else {"overlay": None, "overlay_class": "grid-overlay d-none"}
    )
    return {
        "count": f"{summary.count:,}",
        "value": summary.total_text(),
        "published": f"{summary.published:,}",
        "average": summary.average_text(),
        "value_note": money_note(summary.money),
        **shown,
        **_adding(can_edit),
        **_action("export", False, "Download the rows in view as CSV"),
    }


UNKNOWN_KPIS = {"count": "—", "value": "—", "published": "—", "average": "—", "value_note": ""}
"""Never loaded, or a view not computed: unknown, not zero."""


def _overlay(says) -> dict:
    return {"overlay": says, "overlay_class": "grid-overlay"}


def _action(name: str, disabled: bool, title: Optional[str]) -> dict:
    return {f"{name}_disabled": disabled, f"{name}_title": title}


def _adding(can_edit: bool) -> dict:
    return _action("add", not can_edit, None if can_edit else "Adding needs the editor role.")


def edit_messages(results: list[EditResult]) -> list[dbc.Alert]:
    """One alert per result; an invalid edit keeps what was typed, to copy and fix."""
    colours = {
        "saved": "success",
        "invalid": "danger",
        "conflict": "warning",
        "busy": "warning",
        "failed": "danger",
        "not_found": "secondary",
        "forbidden": "secondary",
    }
    alerts = []
    for r in results:
        title = r.achievement.title if r.achievement else f"#{r.achievement_id}"
        typed = []
        if r.status == "invalid" and r.changes:
            # The grid shows the stored value again; what was typed stays here, to copy and fix.
            rows = [
                part
                for name, value in r.changes.items()
                for part in (
                    html.Dt(FIELD_LABELS.get(name, str(name))),
                    html.Dd(show_value(value), className="typed-value"),
                )
            ]
            typed = [
                html.Details(
                    [html.Summary("What you typed"), html.Dl(rows, className="mb-0 small")], className="edit-typed"
                )
            ]
        alerts.append(
            dbc.Alert(
                [html.Strong(f"{title}: "), r.message, *typed],
                color=colours[r.status],
                className=f"py-2 mb-2 small edit-result edit-result--{r.status}",
                dismissable=True,
                duration=8000 if r.status == "saved" else None,
            )
        )
    return alerts


def conflict_body(first: dict) -> list:
    """The first conflict of the queue: the stored values beside the person's own."""
    rows = [
        html.Tr(
            [
                html.Td(FIELD_LABELS.get(name, name)),
                html.Td(show_value(first["stored"].get(name)), className="conflict-stored"),
                html.Td(show_value(value), className="conflict-mine"),
            ]
        )
        for name, value in first["changes"].items()
    ]
    return [
        html.P(
            [
                html.Strong(first["title"]),
                ": ",
                first.get("message") or "Changed elsewhere.",
                " Choose which values to keep.",
            ]
        ),
        dbc.Table(
            [html.Thead(html.Tr([html.Th("Field"), html.Th("Stored now"), html.Th("Your value")])), html.Tbody(rows)],
            bordered=True,
            size="sm",
        ),
    ]


def value_details(a: Achievement, currency: str) -> list:
    """The amount as read, how it was read, and the text it was read from."""
    reading = a.value_reading(currency)
    if reading is None or a.business_value is None:  # no text is never read as an amount
        head = html.Span(["—", html.Span(f" ({unreadable_reason(a.business_value)})", className="text-secondary")])
    else:
        head = html.Span(
            [html.Strong(format_reading(reading)), " — ", reading.describe(a.business_value)], className="value-read-as"
        )
    stored = html.Div(
        ["Stored text: ", html.Code(a.business_value if a.business_value is not None else "null")],
        className="small text-secondary value-stored",
    )
    return [head, stored]


def audit_table(entries: list) -> html.P | dbc.Table:
    """The newest changes (the audit log's entries), the old value beside the new one."""
    if not entries:
        return html.P("No changes yet.", className="text-secondary m-3 small")
    return dbc.Table(
        [
            html.Thead(html.Tr([html.Th(h) for h in ("When (UTC)", "Item", "Action", "Field", "Old", "New")])),
            html.Tbody(
                [
                    html.Tr(
                        [
                            html.Td(f"{e.at:%Y-%m-%d %H:%M:%S}"),
                            html.Td(str(e.achievement_id)),
                            html.Td(e.action),
                            html.Td(FIELD_LABELS.get(e.field or "", e.field or "")),
                            html.Td(show_value(e.old_value), className="audit-old"),
                            html.Td(show_value(e.new_value)),
                        ]
                    )
                    for e in entries
                ]
            ),
        ],
        size="sm",
        hover=True,
        responsive=True,
        className="mb-0 small audit-table",
    )
