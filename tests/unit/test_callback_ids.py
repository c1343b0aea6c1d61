"""Every callback's ids exist in a layout: Dash's own check (suppress_callback_exceptions=False),
which the app turns off because it ships every page's layout in every page's HTML."""

from __future__ import annotations

import dash
import pytest
from dash import html
from dash._utils import split_callback_id

from dashboard import create_app


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from dashboard.settings import Settings

    return create_app(settings=Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("ids") / "data"))


def every_layout_id(app) -> set:
    """The ids of Dash's validation layout: the root layout and every page's (default arguments),
    gathered as Dash gathers them (a component iterates over the ids of its tree)."""
    with app.server.test_request_context("/"):
        layouts = [app.layout() if callable(app.layout) else app.layout]
        layouts += [
            page["layout"]() if callable(page["layout"]) else page["layout"] for page in dash.page_registry.values()
        ]
    return {ident for ident in html.Div(layouts) if isinstance(ident, str)}


def callback_ids(app) -> set:
    """The string ids every callback reads or writes (pattern-matching ids are dicts: left out)."""
    ids = set()
    for output, spec in app.callback_map.items():
        outputs = split_callback_id(output)
        for dependency in [*spec["inputs"], *spec["state"], *(outputs if isinstance(outputs, list) else [outputs])]:
            if not dependency["id"].startswith("{"):
                ids.add(dependency["id"])
    return ids


def test_every_callback_id_is_in_a_layout(app):
    missing = callback_ids(app) - every_layout_id(app)
    assert not missing, f"callbacks name components no layout has: {sorted(missing)}"


def test_the_check_finds_an_id_no_layout_has(app):
    assert "no-such-component" not in every_layout_id(app)
    assert {"refresh-interval", "achievements-grid", "overview-value-value"} <= every_layout_id(app)


def test_a_page_ships_no_validation_layout(app):
    html_text = app.server.test_client().get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "validation_layout" not in html_text
    assert len(html_text) < 60_000, len(html_text)
