"""Dialogs the pages open over themselves: a modal with a cancel and a confirm button, a side panel."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc


def dialog(
    dialog_id: str,
    title: str,
    body: dbc.ModalBody,
    *,
    cancel: tuple[str, str],
    confirm: tuple[str, str],
    **options: Any,
) -> dbc.Modal:
    """A modal, closed: `title`, `body`, and a footer of two buttons, each given as (label, id):
    `cancel` (secondary) and `confirm` (primary). `options` go to the modal (size, backdrop)."""
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle(title)),
            body,
            dbc.ModalFooter(
                [
                    dbc.Button(cancel[0], id=cancel[1], color="secondary"),
                    dbc.Button(confirm[0], id=confirm[1], color="primary"),
                ]
            ),
        ],
        id=dialog_id,
        is_open=False,
        **options,
    )


def side_panel(panel_id: str, title: str, children: list, *, width_px: int) -> dbc.Offcanvas:
    """A panel sliding in from the right, closed; as wide as `width_px` where the screen allows."""
    return dbc.Offcanvas(
        children,
        id=panel_id,
        title=title,
        placement="end",
        is_open=False,
        style={"width": f"min({width_px}px, 100vw)"},
    )
