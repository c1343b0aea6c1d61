"""Achievements: every achievement in an editable AG Grid that never loses or corrupts an edit.

The grid uses AG Grid's infinite row model: the browser asks for blocks of rows and the server
filters, sorts and slices (dashboard.services.achievements.grid_query), so 10,000 achievements never travel
at once. This module registers the page, lays it out (parts.py) and wires the callbacks of each
feature module while it runs, as Dash wants for every app it builds.
"""

from __future__ import annotations

from typing import Optional

import dash

from dashboard.domain.actors import Role
from dashboard.services.achievements.grid_state import parse_state
from dashboard.ui.components.screen import on_screen
from dashboard.ui.pages.achievements import (  # noqa: F401 - shapes declares
    adding,
    details,
    edits,
    export,
    gridstate,
    parts,
    rows,
    saved,
    shapes,
)
from dashboard.web import auth, runtime

dash.register_page(__name__, path="/achievements", name="Achievements", title="Achievements · Threads-Agent", order=1)


def layout(value: Optional[str] = None, **query):
    """`?value=unreadable` opens the grid on the achievements with no readable business value
    (the Overview links here when it counts them); the grid's sort, filters, search and columns
    come from the link too (gridstate.py)."""
    state, problems = parse_state({**query, "value": value})
    # The service layer refuses a viewer's writes whatever the page does; this only spares
    # viewers controls that cannot work for them.
    return parts.body(
        can_edit=auth.current_actor().may(Role.EDITOR),
        sample="achievements" in runtime.current().services.sample_data_sets(),
        state=state,
        problems=problems,
        screen=on_screen(query),
    )


for feature in (rows, edits, adding, details, export, gridstate, saved):
    feature.register()
