"""Pure figure builders (`data -> go.Figure`), importable by hosts that draw charts themselves."""

from dashboard.charts.overview import category_breakdown_figure, cumulative_value_figure
from dashboard.charts.theme import empty_figure

__all__ = ["category_breakdown_figure", "cumulative_value_figure", "empty_figure"]
