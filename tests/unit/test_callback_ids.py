"""Every callback's ids exist in a layout: Dash's own check (suppress_callback_exceptions=False),
which the app turns off because it ships every page's layout in every page's HTML."""

from __future__ import annotations

import dash
import pytest

from dashboard import create_app


def layout_ids(tree, found: set) -> set:
    """The string ids of every component in a layout (its JSON form), depth first."""
    if isinstance(tree, (list, tuple)):
        for item in tree:
            layout_ids(item, found)
    elif hasattr(tree, "to_plotly_json"):
        layout_ids(tree.to_plotly_json(), found)
    elif isinstance(tree, dict):
        props = tree.get("props", tree)
        if isinstance(props.get("id"), str):
            found.add(props["id"])
        for value in props.values():
            if isinstance(value, (dict, list, tuple)) or hasattr(value, "to_plotly_json"):
                layout_ids(value, found)
    return found


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from dashboard.settings import Settings

    return create_app(settings=Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("ids") / "data"))


def every_layout_id(app) -> set:
    """What Dash's validation layout holds: the root layout and every page's, with default arguments."""
    ids: set = set()
    with app.server.test_request_context("/"):
        layout_ids(app.layout() if callable(app.layout) else app.layout, ids)
        for page in dash.page_registry.values():
            layout = page["layout"]
            layout_ids(layout() if callable(layout) else layout, ids)
    return ids


def callback_ids(app) -> set:
    """The string ids every callback reads or writes (pattern-matching ids are dicts: left out)."""
    ids = set()
    for spec in app.callback_map.values():
        for dependency in [*spec["inputs"], *spec["state"]]:
            if not dependency["id"].startswith("{"):
                ids.add(dependency["id"])
    for output in app.callback_map:
        # "id.prop", or "..id.prop...id.prop.." for several outputs
        parts = output[2:-2].split("...") if output.startswith("..") else [output]
        for part in parts:
            component = part.rsplit(".", 1)[0]
            if not component.startswith("{"):
                ids.add(component)
    return ids


def test_every_callback_id_is_in_a_layout(app):
    missing = callback_ids(app) - every_layout_id(app)
    assert not missing, f"callbacks name components no layout has: {sorted(missing)}"


def test_the_check_finds_an_id_no_layout_has(app):
    assert "no-such-component" not in every_layout_id(app)
    assert {"refresh-interval", "achievements-grid", "overview-value-value"} <= every_layout_id(app)


def test_a_page_ships_no_validation_layout(app):
    html = app.server.test_client().get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "validation_layout" not in html
    assert len(html) < 60_000, len(html)
