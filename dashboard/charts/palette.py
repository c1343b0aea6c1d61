"""One colour per achievement category, the same in every chart, chip and grid cell.

The hues are Paul Tol's 12-colour qualitative set (personal.sron.nl/~pault), chosen to stay apart
for people with deuteranopia and protanopia; tests/unit/test_category_palette.py measures it
(CIEDE2000 under simulated colour blindness) and fails if an edit brings two colours too close.
Twelve hues are near the limit of what can be told apart, so charts where colour is the only key
draw the six largest categories and fold the rest into a neutral "Other" (see `top_categories`).

Each colour has a light-background and a dark-background variant: Tol's darkest three (indigo,
brown, wine) vanish on the dark theme's #212529, so their dark variants are lifted in lightness
(CIELAB, hue kept within a few degrees) and re-checked against the others.
"""

from __future__ import annotations

from typing import Mapping, NamedTuple

from dashboard.domain.models import CATEGORIES


class Colour(NamedTuple):
    light: str
    """On the light theme's white cards."""
    dark: str
    """On the dark theme's #212529 cards."""

    def on(self, *, dark: bool) -> str:
        return self.dark if dark else self.light


CATEGORY_COLOURS: dict[str, Colour] = {
    "feature": Colour("#332288", "#2c61d8"),
    "optimization": Colour("#44aa99", "#44aa99"),
    "bugfix": Colour("#aa4466", "#aa4466"),
    "infrastructure": Colour("#6699cc", "#6699cc"),
    "documentation": Colour("#661100", "#bf514f"),
    "testing": Colour("#117733", "#117733"),
    "security": Colour("#882255", "#e2849d"),
    "performance": Colour("#999933", "#999933"),
    "architecture": Colour("#88ccee", "#88ccee"),
    "content": Colour("#ddcc77", "#ddcc77"),
    "business": Colour("#cc6677", "#cc6677"),
    "milestone": Colour("#aa4499", "#aa4499"),
}
"""Category -> its colour; the most frequent categories hold the six hues furthest apart."""

OTHER = Colour("#cccccc", "#cccccc")
"""Categories folded together, and any category the collector adds later: a neutral grey."""
OTHER_NAME = "Other"

SHOWN_CATEGORIES = 6
"""How many categories a chart keyed by colour alone draws before folding the rest into Other."""

assert set(CATEGORY_COLOURS) == set(CATEGORIES), "every category needs exactly one colour"


def category_colour(category: str, *, dark: bool = False) -> str:
    """The category's colour on the light or the dark theme; grey for one the map does not know."""
    return CATEGORY_COLOURS.get(category, OTHER).on(dark=dark)


def browser_colours() -> dict[str, list[str]]:
    """The map as the grid's cell renderer reads it: category -> [light, dark] (and "" -> Other)."""
    return {**{c: list(colour) for c, colour in CATEGORY_COLOURS.items()}, "": list(OTHER)}


def chip_style(category: str) -> dict[str, str]:
    """CSS custom properties a chip's dot reads (assets/23-categories.css picks one per theme)."""
    colour = CATEGORY_COLOURS.get(category, OTHER)
    return {"--category-light": colour.light, "--category-dark": colour.dark}


def top_categories(counts: Mapping[str, float], shown: int = SHOWN_CATEGORIES) -> tuple[list[str], list[str]]:
    """(the `shown` categories of largest count, the rest), each in the collector's order.

    Ties go to the collector's order, so the same rows always give the same split. When only one
    category would be left over it is drawn itself: an "Other" of one says less than its name.
    """
    order = {c: i for i, c in enumerate(CATEGORIES)}

    def collector_order(category: str) -> tuple[int, str]:
        return order.get(category, len(order)), category

    if len(counts) <= shown + 1:
        return sorted(counts, key=collector_order), []
    largest = sorted(counts, key=lambda c: (-counts[c], *collector_order(c)))
    return sorted(largest[:shown], key=collector_order), sorted(largest[shown:], key=collector_order)
