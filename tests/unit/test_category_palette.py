"""One colour per category: the same in every figure, whatever the order or the range, and far
enough apart for people with colour-blind vision (measured, so an edit that breaks it fails)."""

import itertools
import random

import pytest

from dashboard.charts.analytics import categories_over_time_figure, impact_complexity_figure, pr_timeline_figure
from dashboard.charts.overview import category_breakdown_figure
from dashboard.charts.palette import CATEGORY_COLOURS, OTHER, category_colour, chip_style, top_categories
from dashboard.domain.kpis import CategoryRow
from dashboard.domain.models import CATEGORIES
from dashboard.services.analytics import categories_by_month, impact_complexity, pr_timeline
from tests.unit.colour_vision import ciede2000, contrast, seen
from tests.unit.test_analytics_charts import make

VISIONS = ("normal", "deuteranopia", "protanopia")
BACKGROUNDS = {False: "#ffffff", True: "#212529"}
"""The cards the charts sit on: Bootstrap 5.3's body background, light and dark."""


def colours(*, dark):
    return [colour.on(dark=dark) for colour in CATEGORY_COLOURS.values()]


def test_every_category_has_one_colour_of_its_own_in_each_theme():
    assert set(CATEGORY_COLOURS) == set(CATEGORIES)
    for dark in (False, True):
        assert len(set(colours(dark=dark))) == len(CATEGORIES)
        assert OTHER.on(dark=dark) not in colours(dark=dark)
    assert category_colour("a-category-added-later") == OTHER.light
    assert chip_style("bugfix") == {"--category-light": "#aa4466", "--category-dark": "#aa4466"}


def test_the_colour_maths_matches_published_values():
    # Sharma, Wu & Dalal (2005), table 1, pairs 1, 7, 17 and 25.
    assert ciede2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert ciede2000((50, 0, 0), (50, -1, 2)) == pytest.approx(2.3669, abs=1e-4)
    assert ciede2000((50, 2.5, 0), (73, 25, -18)) == pytest.approx(27.1492, abs=1e-4)
    assert ciede2000((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387)) == pytest.approx(1.2644, abs=1e-4)
    # The simulation makes the classic red/green pair (matplotlib's tab10) hard to tell apart.
    red, green = "#d62728", "#2ca02c"
    assert ciede2000(seen(red, "normal"), seen(green, "normal")) > 50
    assert ciede2000(seen(red, "deuteranopia"), seen(green, "deuteranopia")) < 6


@pytest.mark.parametrize("dark", [False, True])
@pytest.mark.parametrize("vision", VISIONS)
def test_category_colours_stay_apart_with_colour_blind_vision(dark, vision):
    # 12 hues: Tol's set reaches 10.8 (light) and 9.4 (dark, lifted variants); 9 keeps that margin.
    palette = colours(dark=dark)
    closest = min(ciede2000(seen(a, vision), seen(b, vision)) for a, b in itertools.combinations(palette, 2))
    assert closest >= 9.0
    grey = OTHER.on(dark=dark)
    assert min(ciede2000(seen(grey, vision), seen(c, vision)) for c in palette) >= 10.0


@pytest.mark.parametrize("dark", [False, True])
def test_category_colours_stay_apart_with_tritanopia_too(dark):
    # Rare (about 1 in 10,000): a looser bound, still one that a careless edit would break.
    palette = colours(dark=dark)
    pairs = itertools.combinations(palette, 2)
    assert min(ciede2000(seen(a, "tritanopia"), seen(b, "tritanopia")) for a, b in pairs) >= 5.0


def test_dark_variants_stand_out_from_the_dark_cards():
    # Tol's indigo, brown and wine fall to 1.2-1.5:1 on #212529; their dark variants are lifted.
    assert min(contrast(c, BACKGROUNDS[True]) for c in colours(dark=True)) >= 2.5
    assert min(contrast(c, BACKGROUNDS[False]) for c in colours(dark=False)) >= 1.5


def drawn_colours(figure):
    """Category name -> the set of colours it is drawn in, over every trace of `figure`."""
    seen_colours: dict[str, set[str]] = {}
    for trace in figure.data:
        marker = trace.marker.color
        if isinstance(marker, str):
            seen_colours.setdefault(trace.name, set()).add(marker)
        elif marker is not None:  # one colour per bar, the category on the bar's axis
            for name, colour in zip(trace.y, marker):
                seen_colours.setdefault(name, set()).add(colour)
    return seen_colours


def figures_in_many_orders(dark):
    """Every figure that colours by category, built from the same categories in shuffled orders,
    subsets and ranks (as other ranges would give), the data stated here."""
    shuffle = random.Random(14)
    for attempt in range(6):
        names = list(CATEGORIES)
        shuffle.shuffle(names)
        names = names[: 12 - attempt]
        ranked = [CategoryRow(c, i + 1, 1000.0 * (12 - i)) for i, c in enumerate(names)]
        yield category_breakdown_figure(ranked, dark=dark)
        # At most seven categories, so the stacked bars draw each one (no "Other").
        items = [make(i + 1, i * 3, category=c) for i, c in enumerate(names[:7])]
        items += [make(50 + i, 40 + i, category=c) for i, c in enumerate(reversed(names[:7]))]
        yield categories_over_time_figure(categories_by_month(items), dark=dark)
        items = [make(i + 1, i, category=c) for i, c in enumerate(names[-7:])]
        yield impact_complexity_figure(impact_complexity(items), dark=dark)
        merged = [a.model_copy(update={"source_type": "github_pr"}) for a in items]
        yield pr_timeline_figure(pr_timeline(merged), dark=dark)


@pytest.mark.parametrize("dark", [False, True])
def test_a_category_has_the_same_colour_in_every_figure_whatever_the_order(dark):
    every: dict[str, set[str]] = {}
    for figure in figures_in_many_orders(dark):
        for name, drawn in drawn_colours(figure).items():
            every.setdefault(name, set()).update(drawn)
    assert every == {c: {category_colour(c, dark=dark)} for c in CATEGORIES}


@pytest.mark.parametrize("dark", [False, True])
def test_past_six_categories_the_rest_are_one_grey_other_named_in_the_legend(dark):
    # Category i (from 1) has i achievements, one a day: the six last categories are the largest.
    items = [make(i * 100 + n, n, category=c) for i, c in enumerate(CATEGORIES, start=1) for n in range(i)]
    merged = [a.model_copy(update={"source_type": "github_pr"}) for a in items]
    for figure in (
        categories_over_time_figure(categories_by_month(items), dark=dark),
        impact_complexity_figure(impact_complexity(items), dark=dark),
        pr_timeline_figure(pr_timeline(merged), dark=dark),
    ):
        drawn = {name: colour for name, (colour,) in drawn_colours(figure).items()}
        assert drawn == {
            **{c: category_colour(c, dark=dark) for c in CATEGORIES[6:]},
            "Other (6 categories)": OTHER.on(dark=dark),
        }


def test_top_categories_are_the_largest_in_the_collectors_order_and_stable_on_ties():
    counts = {c: 1 for c in CATEGORIES}
    shown, rest = top_categories(counts)
    assert shown == list(CATEGORIES[:6]) and rest == list(CATEGORIES[6:])
    counts = {"milestone": 9, "feature": 1, "bugfix": 1, "testing": 5, "content": 2, "security": 2, "business": 3}
    shown, rest = top_categories(counts, shown=3)
    assert shown == ["testing", "business", "milestone"] and rest == ["feature", "bugfix", "security", "content"]
    # One left over: drawn by name, not as an "Other" of one.
    assert top_categories({c: 1 for c in CATEGORIES[:7]}) == (list(CATEGORIES[:7]), [])


def test_category_chip_carries_both_variants_of_its_colour():
    from dashboard.ui.components.category import category_chip

    chip = category_chip("security").to_plotly_json()["props"]
    assert chip["className"] == "category-chip" and chip["children"][1] == "security"
    assert chip["style"] == {"--category-light": "#882255", "--category-dark": "#e2849d"}
