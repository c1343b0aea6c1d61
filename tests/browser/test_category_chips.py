"""The grid's Category column draws each category as a chip in the colour the charts give it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dashboard import create_app
from dashboard.charts.palette import OTHER, category_colour
from dashboard.domain.models import Achievement
from tests.clock import now as clock_now
from tests.conftest import free_port

pytestmark = pytest.mark.browser

DOT_COLOUR = "return getComputedStyle(arguments[0]).backgroundColor"


def rgb(colour: str) -> str:
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgb({r}, {g}, {b})"


def test_category_chip_shows_the_charts_colour_in_both_themes(dash_duo, make_settings):
    app = create_app(settings=make_settings(refresh_seconds=3600))
    store = app.server.extensions["threads_dashboard"].services.store
    now = clock_now()
    # The newest rows, on the grid's first page: a category whose dark variant is lifted
    # (feature, security), one drawn the same in both themes (testing), one the map does not know.
    newest = [
        Achievement(
            id=99_100 + i,
            title=f"Chip {category}",
            category=category,
            started_at=now - timedelta(hours=2),
            completed_at=now + timedelta(minutes=i),
        )
        for i, category in enumerate(["feature", "security", "testing", "added-later"])
    ]
    for achievement in newest:
        store.save_achievement(achievement)
    assert category_colour("added-later") == OTHER.light
    dash_duo.start_server(app, port=free_port(), path="/achievements")
    dots = {}
    for achievement in newest:
        selector = f'.ag-row[row-id="{achievement.id}"] [col-id="category"] .category-chip'
        chip = dash_duo.wait_for_element(selector, timeout=15)
        assert chip.text == achievement.category
        dots[achievement.id] = (achievement.category, chip.find_element("css selector", ".category-chip-dot"))
    for category, dot in dots.values():
        assert dash_duo.driver.execute_script(DOT_COLOUR, dot) == rgb(category_colour(category))

    dash_duo.find_element("#theme-switch").click()
    dash_duo.wait_for_class_to_equal("#app-root", "app-root theme-dark", timeout=5)
    for category, dot in dots.values():
        assert dash_duo.driver.execute_script(DOT_COLOUR, dot) == rgb(category_colour(category, dark=True))
    assert dash_duo.get_logs() == []
