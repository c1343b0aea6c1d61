"""Pure figure builders (`data -> go.Figure`), importable by hosts that draw charts themselves."""

from dashboard.charts.overview import category_breakdown_figure, cumulative_value_figure
from dashboard.charts.theme import empty_figure

__all__ = ["category_breakdown_figure", "cumulative_value_figure", "empty_figure"]


def warm_up() -> None:
    """Build and serialise every figure once.

    plotly imports numpy and its trace validators lazily, on first use; two threads doing that
    first use at once can see a half-imported module and fail. Startup does it once instead.
    """
    from datetime import datetime

    import numpy  # noqa: F401 - plotly's encoder imports it on first use, racing other threads
    import plotly.io as pio

    from dashboard.charts.analytics import skills_and_tags_figure, value_by_month_figure
    from dashboard.domain.kpis import CategoryRow

    moment = datetime(2026, 1, 1)
    for figure in (
        cumulative_value_figure([(moment, 1.0)]),
        category_breakdown_figure([CategoryRow("feature", 1, 1.0)]),
        empty_figure("warm-up", dark=True),
        # Second y axis, legends: layout parts the Overview's figures do not load.
        value_by_month_figure(
            [{"month": "2026-01", "value": 1.0, "cumulative_value": 1.0, "achievements": 1, "unvalued": 0}]
        ),
        skills_and_tags_figure(
            [
                {"kind": "skill", "name": "x", "achievements": 1, "value": 0.0},
                {"kind": "tag", "name": "y", "achievements": 1, "value": 0.0},
            ]
        ),
    ):
        pio.to_json(figure, validate=True)
