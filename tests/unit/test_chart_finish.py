"""What every figure builder promises a reader: text big enough for a TV, units on the axes,
whole-number counts, dots not clipped, room above running totals, every month labelled, one
date format. The data is stated here (tests/unit/test_analytics_charts.py's MANY and ONE)."""

from datetime import datetime

import plotly.io as pio
import pytest

from dashboard.charts import analytics as charts
from dashboard.charts.axes import DAY, MONTH
from dashboard.charts.overview import category_breakdown_figure, cumulative_value_figure
from dashboard.charts.theme import FONT_SIZE, empty_figure
from dashboard.domain.kpis import CategoryRow
from dashboard.services import analytics as series
from tests.unit.test_analytics_charts import MANY, ONE, PERFORMANCE

CUMULATIVE = [(datetime(2026, 3, 1), 100.0), (datetime(2026, 3, 9), 250.0), (datetime(2026, 4, 2), 400.0)]


def every_figure(items, dark):
    """Every builder in dashboard/charts, fed from `items`."""
    return {
        "cumulative": cumulative_value_figure(CUMULATIVE[: len(items)], dark=dark),
        "by category": category_breakdown_figure(
            [CategoryRow(a.category, 1, float(a.id)) for a in items[:5]], dark=dark
        ),
        "value by month": charts.value_by_month_figure(series.value_by_month(items), dark=dark),
        "categories": charts.categories_over_time_figure(series.categories_by_month(items), dark=dark),
        "impact": charts.impact_complexity_figure(series.impact_complexity(items), dark=dark),
        "time saved": charts.time_saved_figure(series.time_saved_by_month(items), dark=dark),
        "skills and tags": charts.skills_and_tags_figure(series.top_skills_and_tags(items), dark=dark),
        "prs": charts.pr_timeline_figure(series.pr_timeline(items), dark=dark),
        "platforms": charts.platform_performance_figure(series.platform_rows(PERFORMANCE), dark=dark),
        "no data": charts.no_data_figure("No data", dark=dark),
        "empty": empty_figure("No data", dark=dark),
    }


def font_sizes(node, path="figure"):
    """(where, size) of every font in the figure's JSON; a font without a size inherits one."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("font") and isinstance(value, dict) and "size" in value:
                yield f"{path}.{key}", value["size"]
            yield from font_sizes(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from font_sizes(value, f"{path}[{i}]")


@pytest.mark.parametrize("items", [MANY, ONE], ids=["many", "one"])
@pytest.mark.parametrize("dark", [False, True])
def test_every_text_in_every_figure_is_at_least_14_px(items, dark):
    for name, figure in every_figure(items, dark).items():
        spec = figure.to_plotly_json()
        layout = spec["layout"]
        # plotly's own default is 12 px: the base sizes must be set, not left to it.
        assert layout["font"]["size"] >= FONT_SIZE, name
        assert layout["hoverlabel"]["font"]["size"] >= FONT_SIZE, name
        if layout.get("showlegend"):
            assert layout["legend"]["font"]["size"] >= FONT_SIZE, name
        small = [(where, size) for where, size in font_sizes(spec) if size < FONT_SIZE]
        assert small == [], name
        pio.to_json(figure, validate=True)


def axis_titles(figure):
    layout = figure.to_plotly_json()["layout"]
    return {key: layout[key]["title"]["text"] for key in layout if "axis" in key and "title" in layout[key]}


def test_value_axes_say_their_unit():
    assert axis_titles(cumulative_value_figure(CUMULATIVE)) == {"yaxis": "Business value (USD)"}
    assert axis_titles(category_breakdown_figure([CategoryRow("feature", 2, 10.0)])) == {
        "xaxis": "Business value (USD)"
    }
    assert axis_titles(charts.value_by_month_figure(series.value_by_month(MANY))) == {
        "yaxis": "Business value per month (USD)",
        "yaxis2": "Cumulative (USD)",
    }
    assert axis_titles(charts.time_saved_figure(series.time_saved_by_month(MANY))) == {"yaxis": "Hours saved"}
    assert axis_titles(charts.impact_complexity_figure(series.impact_complexity(MANY))) == {
        "xaxis": "Complexity score (0–100)",
        "yaxis": "Impact score (0–100)",
    }
    stacked = charts.categories_over_time_figure(series.categories_by_month(MANY))
    assert axis_titles(stacked) == {"yaxis": "Achievements"}
    assert axis_titles(charts.pr_timeline_figure(series.pr_timeline(MANY))) == {"yaxis": "PRs merged"}


@pytest.mark.parametrize("items", [MANY, ONE], ids=["many", "one"])
def test_count_axes_tick_whole_numbers_from_zero(items):
    counted = {
        "categories": (charts.categories_over_time_figure(series.categories_by_month(items)), ["yaxis"]),
        "prs": (charts.pr_timeline_figure(series.pr_timeline(items)), ["yaxis"]),
        "skills and tags": (charts.skills_and_tags_figure(series.top_skills_and_tags(items)), ["xaxis", "xaxis2"]),
    }
    for name, (figure, axes) in counted.items():
        layout = figure.to_plotly_json()["layout"]
        for axis in axes:
            spec = layout[axis]
            assert spec["tickformat"] == ",d" and spec["tick0"] == 0 and spec["rangemode"] == "tozero", name
            # Few: one tick per whole number (auto ticks would be 0, 0.5, 1 ...); many: plotly's
            # automatic steps above 10 are whole (2, 5, 10 ...).
            assert spec.get("dtick", 1) >= 1, name
    one_skill = charts.skills_and_tags_figure(series.top_skills_and_tags(ONE)).to_plotly_json()["layout"]
    assert one_skill["xaxis"]["dtick"] == 1


def test_impact_bubbles_are_not_clipped_and_stay_readable_where_they_pile_up():
    figure = charts.impact_complexity_figure(series.impact_complexity(MANY))
    layout = figure.to_plotly_json()["layout"]
    for axis in ("xaxis", "yaxis"):
        low, high = layout[axis]["range"]
        assert low < 0 and high > 100 and (layout[axis]["tick0"], layout[axis]["dtick"]) == (0, 20)
    for trace in figure.data:
        assert trace.marker.opacity <= 0.8 and trace.marker.line.width >= 0.5
        largest = max(trace.marker.size)
        # Area sizing: the diameter is sqrt(size / sizeref); the largest dot is capped.
        assert (largest / trace.marker.sizeref) ** 0.5 <= 40


def test_running_totals_have_headroom():
    cumulative = cumulative_value_figure(CUMULATIVE).to_plotly_json()["layout"]["yaxis"]
    assert cumulative["range"] == [0, pytest.approx(400.0 * 1.1)]
    rows = series.value_by_month(MANY)
    line = charts.value_by_month_figure(rows).to_plotly_json()["layout"]["yaxis2"]
    assert line["range"] == [0, pytest.approx(max(r["cumulative_value"] for r in rows) * 1.1)]


def test_every_month_is_labelled_and_dates_read_as_in_the_rest_of_the_app():
    for figure in (
        charts.value_by_month_figure(series.value_by_month(MANY)),
        charts.categories_over_time_figure(series.categories_by_month(MANY)),
        charts.time_saved_figure(series.time_saved_by_month(MANY)),
    ):
        axis = figure.to_plotly_json()["layout"]["xaxis"]
        assert (axis["dtick"], axis["tickformat"], axis["hoverformat"]) == ("M1", MONTH, MONTH)
        assert all(f"%{{x|{MONTH}}}" in t.hovertemplate for t in figure.data)
    for figure in (cumulative_value_figure(CUMULATIVE), charts.pr_timeline_figure(series.pr_timeline(MANY))):
        axis = figure.to_plotly_json()["layout"]["xaxis"]
        stops = [(stop["dtickrange"], stop["value"]) for stop in axis["tickformatstops"]]
        assert axis["hoverformat"] == DAY and stops == [([None, "M1"], DAY), (["M1", None], MONTH)]
        assert all(f"%{{x|{DAY}}}" in t.hovertemplate for t in figure.data if t.hovertemplate)
    # The Overview's list writes "completed Nov 30, 2026": the same strftime codes.
    assert datetime(2026, 11, 30).strftime(DAY) == "Nov 30, 2026"
    assert datetime(2026, 11, 30).strftime(MONTH) == "Nov 2026"


def test_colour_means_category_or_nothing():
    # Charts whose series are not categories draw each series in one colour, not one per bar.
    figures = every_figure(MANY, False)
    for name in ("value by month", "time saved", "skills and tags", "platforms"):
        for trace in figures[name].data:
            drawn = trace.marker.color if trace.type == "bar" else trace.line.color
            assert isinstance(drawn, str), name
