"""The adaptation preview of the open post: what each platform's version of it would say.

Only a preview: nothing is stored. The cards are built by post_view.adaptation_cards; page.py
wires `preview` as a callback.
"""

from __future__ import annotations

from typing import Any

from dash import no_update

from dashboard.services.content import posts as content
from dashboard.ui.pages.content import post_view
from dashboard.web import auth, runtime


def preview(_clicks: Any, platforms: Any, loaded: Any) -> Any:
    """The saved hook and body, adapted for each chosen platform."""
    if not loaded:
        return no_update
    result = content.adapt_preview(runtime.current().services, loaded["id"], platforms, actor=auth.current_actor())
    return post_view.adaptation_cards(result)
