"""`make screenshots` (bench/screenshots.py) shoots every page and every wallboard view: a new page or
view that the script's lists miss fails here, so it cannot be forgotten."""

from __future__ import annotations

import dash

from bench import screenshots
from dashboard import create_app
from dashboard.services.wallboard import VIEWS, parse_views

# Pages that are not screens of their own: the 404 page, and the wallboard, shot once per view.
NOT_SHOT_AS_PAGES = {"/404", "/wallboard"}


def test_every_registered_page_is_shot_in_light_dark_and_kiosk(make_settings):
    create_app(settings=make_settings())
    paths = {
        page["path"] for page in dash.page_registry.values() if "path_template" not in page or not page["path_template"]
    }
    plan = screenshots.plan()
    missing = paths - NOT_SHOT_AS_PAGES - set(screenshots.PAGES.values())
    assert not missing, f"bench/screenshots.py PAGES lacks {sorted(missing)}"
    for path in screenshots.PAGES.values():
        shot = {(s.path, s.theme) for s in plan if not s.state}
        assert {(path, "light"), (path, "dark"), (f"{path}?kiosk=1", "dark")} <= shot, path


def test_every_wallboard_view_is_shot_at_1080p_and_4k():
    assert set(screenshots.WALLBOARD_VIEWS) == set(VIEWS)
    for view, entry in screenshots.WALLBOARD_VIEWS.items():
        (parsed,) = parse_views(entry).views
        assert parsed.view == view and not parse_views(entry).problems
        sizes = {s.size for s in screenshots.plan() if s.path == f"/wallboard?views={entry}"}
        assert sizes == {screenshots.TV, screenshots.TV_4K}, view


def test_file_names_are_unique_and_say_page_size_theme_and_state():
    names = [shot.filename for shot in screenshots.plan()]
    assert len(names) == len(set(names))
    assert "overview-1440x900-light.png" in names and "system-1440x900-light-down.png" in names
    assert "wallboard-analytics-3840x2160-dark.png" in names
