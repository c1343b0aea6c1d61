"""The summary rows of issue 18 (lean: memory, start-up, first visit, idle page, callback cost) for
bench/run.py: each figure beside its target, the seed's figure where the issue gives one, and the
figure before the issue's changes (bench/results/issue18-before.json, the same scripts run on main
before them; see README "Benchmarks")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Optional

BEFORE_PATH = Path(__file__).resolve().parent / "results" / "issue18-before.json"
Row = tuple[str, str, str]


def load_before(path: Path = BEFORE_PATH) -> dict:
    """script name -> the JSON that script wrote before the changes ({} without the file)."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _s(value: Optional[float], digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _row(measure: str, now: dict, before: Optional[dict], show: Callable[[dict], str], target: str) -> Row:
    figure = show(now)
    if before:
        try:
            figure += f"   | before: {show(before)}"
        except (KeyError, TypeError, ZeroDivisionError):
            pass
    return measure, figure, target


def _by_label(figures: Optional[dict]) -> dict:
    return (figures or {}).get("results") or {}


def _first(before: Optional[dict]) -> Optional[dict]:
    """The 'before' figures of a script that keys its results by checkout label: the first one."""
    results = _by_label(before)
    return next(iter(results.values()), None)


def serving_rows(now: Optional[dict], before: Optional[dict]) -> list[Row]:
    rows = []
    for label, r in _by_label(now).items():
        tree = "" if label == "this" else f" [{label}]"
        rows += [
            _row(
                f"18 start -> first page, gunicorn default config{tree}",
                r,
                _first(before),
                lambda f: (
                    f"{f['first_page_s']:.2f} s (data {f['first_data_s']:.2f} s, plotly bundle"
                    f" {f['first_bundle_s']:.2f} s; that request {f['bundle_first_request_s']:.2f} s,"
                    f" a second {f['bundle_second_request_s']:.2f} s)"
                ),
                "<= 1.0 s; seed 1.37 s",
            ),
            _row(
                f"18 start-up CPU, whole gunicorn tree{tree}",
                r,
                _first(before),
                lambda f: f"{f['cpu_first_page_s']:.1f} s at first page, {f['cpu_settled_s']:.1f} s once quiet",
                "",
            ),
            _row(
                f"18 server memory after {now.get('visits', 10)} browser visits{tree}",
                r,
                _first(before),
                lambda f: f"PSS {f['pss_mb']:.0f} MB, RSS {f['rss_mb']:.0f} MB, {f['processes']:.0f} processes",
                "<= 160 MB; seed 215 MB",
            ),
        ]
    return rows


def page_load_rows(now: Optional[dict], before: Optional[dict]) -> list[Row]:
    def show(page: dict) -> str:
        return (
            f"KPIs {page['median_s']:.2f} s, everything drawn {_s(page.get('median_drawn_s'))} s,"
            f" main thread till drawn {_s(page.get('median_main_thread_s'))} s"
        )

    rows = []
    earlier = {(p["page"], p["variant"]): p for p in (before or {}).get("pages", [])}
    for page in (now or {}).get("pages", []):
        then = earlier.get((page["page"], page["variant"])) or earlier.get((page["page"], "app"))
        target = "KPIs <= 0.6 s, drawn <= 1.5 s; seed 2.61 / 4.93 s" if page["page"] == "/" else "KPIs <= 0.6 s"
        rows.append((_row(f"18 first visit {page['page']} ({page['variant']})", page, then, show, target)))
    return rows


def idle_page_rows(now: Optional[dict], before: Optional[dict]) -> list[Row]:
    def show(page: dict) -> str:
        return (
            f"{page['TaskDuration_ms_per_s']:.1f} ms/s (script {page['ScriptDuration_ms_per_s']:.1f},"
            f" layout {page['LayoutDuration_ms_per_s']:.1f}, style {page['RecalcStyleDuration_ms_per_s']:.1f}),"
            f" {page['requests_per_s']:.2f} requests/s"
        )

    earlier: dict[str, dict] = {}
    for page in (before or {}).get("pages", []):
        earlier.setdefault(page["page"], page)  # the first tree's figures, whatever its label
    return [
        _row(
            f"18 idle page {page['page']}, main thread [{page['tree']}]",
            page,
            earlier.get(page["page"]),
            show,
            "<= 5 ms/s; seed 6 ms/s",
        )
        for page in (now or {}).get("pages", [])
    ]


def callback_cost_rows(now: Optional[dict], before: Optional[dict]) -> list[Row]:
    def show(f: dict) -> str:
        return (
            f"p95 Overview {f['overview']['p95_ms']:.0f} ms / bare {f['bare']['p95_ms']:.0f} ms ="
            f" x{f['p95_ratio']:.2f} (p50 x{f['p50_ratio']:.2f}; in the server x{f['server_p95_ratio']:.1f})"
        )

    screens = (now or {}).get("screens", 50)
    return [
        _row(f"18 callback cost at {screens} screens [{label}]", r, _first(before), show, "p95 ratio <= 1.5")
        for label, r in _by_label(now).items()
    ]


def rows(results: dict[str, dict], before: Optional[dict] = None) -> list[Row]:
    """The issue-18 rows from run.py's results (name -> {"figures": the script's JSON, ...})."""
    before = load_before() if before is None else before

    def figures(name: str) -> Optional[dict]:
        return (results.get(name) or {}).get("figures")

    return [
        *serving_rows(figures("serving"), before.get("serving")),
        *page_load_rows(figures("page_load"), before.get("page_load")),
        *idle_page_rows(figures("idle_page"), before.get("idle_page")),
        *callback_cost_rows(figures("callback_cost"), before.get("callback_cost")),
    ]
