"""The Overview's shared drawings: one drawing per (data version, range, theme, hour) for every
screen that asks, bounded, and a new one when the data changes."""

from __future__ import annotations

import threading

from dashboard.ui.components.callbacks import Drawings


def test_drawings_keep_the_newest_few_and_share_them():
    drawings = Drawings(size=2)
    drawings["a"] = ("A",)
    drawings["b"] = ("B",)
    assert drawings["a"] == ("A",)  # read: now the newest
    drawings["c"] = ("C",)
    assert list(drawings) == ["a", "c"] and "b" not in drawings and len(drawings) == 2


def test_drawings_hold_under_threads():
    drawings = Drawings(size=8)

    def fill(n):
        for i in range(2000):
            drawings[f"{n}-{i % 20}"] = (i,)
            drawings.get(f"{n}-{(i + 1) % 20}")

    threads = [threading.Thread(target=fill, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(drawings) == 8


def test_screens_asking_for_the_same_overview_share_one_drawing_and_a_change_draws_anew(make_settings):
    from dashboard import create_app
    from dashboard.domain.kpis import DEFAULT_RANGE
    from dashboard.ui.components.stat import Targets
    from dashboard.ui.components.timepicker import range_of
    from dashboard.ui.pages.overview.view import build_overview

    app = create_app(settings=make_settings())
    services = app.server.extensions["threads_dashboard"].services
    with app.server.app_context():
        achievements, pipeline = services.achievements(), services.content_stats()
    drawings = Drawings()

    def draw(fresh, key):
        return build_overview(
            fresh,
            pipeline,
            range_of(None, DEFAULT_RANGE),
            dark=False,
            now=fresh.fetched_at,
            targets=Targets(),
            drawings=drawings,
            drawing_key=key,
        )

    with app.server.test_request_context("/"):
        first, second = draw(achievements, "v1"), draw(achievements, "v1")
        fewer = achievements.model_copy(update={"value": achievements.value[1:]})
        third = draw(fewer, "v2")
    assert first["trend"] is second["trend"] and first["newest"] is second["newest"]
    assert third["trend"] is not first["trend"] and third["newest"] != first["newest"]
