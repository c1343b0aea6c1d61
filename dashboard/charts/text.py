"""Backend text shown in charts exactly as written.

plotly.js reads a subset of HTML in labels and hover text (<b>, <br>, <a href>, entities), so a
title like "<b>x</b>" would be drawn bold and a link would be live. Escaping the three HTML
characters makes plotly draw the characters themselves.
"""

from __future__ import annotations

from typing import Any


def plain(text: Any) -> str:
    """`text` as a plotly label that shows exactly these characters."""
    return str(text if text is not None else "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def template_literal(text: Any) -> str:
    """`text` for use inside a hovertemplate, where %{...} is a placeholder: shown as written."""
    return plain(text).replace("%", "&#37;")
