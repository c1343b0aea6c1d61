"""Choices drawn as a row of Bootstrap toggle buttons instead of radio buttons or checkboxes."""

from __future__ import annotations

from typing import Any, Union

import dash_bootstrap_components as dbc


def toggle_buttons(
    kind: Union[type[dbc.RadioItems], type[dbc.Checklist]],
    component_id: str,
    options: list[dict[str, Any]],
    value: Any,
    *,
    class_name: str,
    color: str = "primary",
) -> Union[dbc.RadioItems, dbc.Checklist]:
    """A `dbc.RadioItems` (one choice) or `dbc.Checklist` (several) whose inputs are hidden
    (`btn-check`) and whose labels are small outline buttons, the chosen ones active.

    `class_name` is the group's: "btn-group …" joins the buttons into one bar.
    """
    return kind(
        id=component_id,
        options=options,
        value=value,
        inline=True,
        class_name=class_name,
        input_class_name="btn-check",
        label_class_name=f"btn btn-sm btn-outline-{color}",
        label_checked_class_name="active",
    )
