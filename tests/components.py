"""Helpers for unit tests of page modules: loading a page, reading a component tree's text."""

from __future__ import annotations

import importlib
import importlib.util

_apps: list = []
"""The app load_page built last: page layouts read its services, as they do in a request."""


def load_page(name: str, data_dir):
    """The page module `dashboard.ui.pages.<name>`; Dash lets a page register only once an app exists."""
    from dashboard import create_app
    from dashboard.settings import Settings

    _apps[:] = [
        create_app(
            settings=Settings(
                _env_file=None,
                data_dir=data_dir,
                achievement_api_url=None,
                orchestrator_url=None,
                tech_doc_api_url=None,
                redis_url=None,
            )
        )
    ]
    # A page package is loaded through its page.py; find_spec of "<module>.page" would raise
    # for a single-module page (not_found_404), so ask whether the page is a package instead.
    package = importlib.util.find_spec(f"dashboard.ui.pages.{name}").submodule_search_locations
    return importlib.import_module(f"dashboard.ui.pages.{name}.page" if package else f"dashboard.ui.pages.{name}")


def in_request(call, *args, **kwargs):
    """`call(*args, **kwargs)` inside a request to the app load_page built, as Dash calls a layout."""
    with _apps[-1].server.test_request_context("/"):
        return call(*args, **kwargs)


def text_of(component, sep: str = " ") -> str:
    """Every string a component tree renders, in order, joined by `sep`."""
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return sep.join(text_of(c, sep) for c in component)
    return text_of(getattr(component, "children", None), sep)


def walk(component):
    """Every component of a tree, depth first, the tree's root first."""
    yield component
    children = getattr(component, "children", None)
    if isinstance(children, (list, tuple)):
        for child in children:
            yield from walk(child)
    elif children is not None and not isinstance(children, (str, int, float)):
        yield from walk(children)
