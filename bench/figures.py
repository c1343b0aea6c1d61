"""Overview refresh work without the web layer: KPIs and figure building, now and at an older commit.

Times what one Overview refresh computes from the cached achievements (dashboard.domain.kpis:
overview_kpis, cumulative_value, by_category; dashboard.charts: the two figures) for N
achievements, and every Analytics figure builder. With `--before REV` the same functions are
also loaded from that git revision (its dashboard/charts/*.py and dashboard/domain/kpis.py) and
timed in the same process, alternating, so the ratio is from one run; the figures' JSON must be
identical, which is checked.

    .venv/bin/python bench/figures.py [--rows 2000] [--runs 30] [--before REV] [--json PATH]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import plotly.io as pio  # noqa: E402

from bench.grid_scale import fill  # noqa: E402
from dashboard.services.analytics import value_by_month  # noqa: E402
from dashboard.sources.embedded.store import EmbeddedStore  # noqa: E402

MODULES = {  # module name -> file; loaded in this order (later ones import earlier ones)
    "dashboard.domain.kpis": "dashboard/domain/kpis.py",
    "dashboard.charts.theme": "dashboard/charts/theme.py",
    "dashboard.charts.overview": "dashboard/charts/overview.py",
    "dashboard.charts.analytics": "dashboard/charts/analytics.py",
}


def load_at(rev: str, folder: Path) -> dict:
    """The MODULES as they were at `rev`, imported under their own names into a fresh namespace."""
    saved = {name: sys.modules.get(name) for name in MODULES}
    loaded = {}
    try:
        for name, path in MODULES.items():
            source = subprocess.run(
                ["git", "show", f"{rev}:{path}"], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout
            file = folder / path.replace("/", "_")
            file.write_text(source)
            spec = importlib.util.spec_from_file_location(name, file)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module  # so the old overview imports the old theme and kpis
            spec.loader.exec_module(module)
            loaded[name] = module
    finally:
        for name, module in saved.items():
            if module is not None:
                sys.modules[name] = module
    return loaded


def current() -> dict:
    import dashboard.charts.analytics  # noqa: F401
    import dashboard.charts.overview  # noqa: F401

    return {name: sys.modules[name] for name in MODULES}


def cases(mods: dict, achievements: list, now: datetime) -> dict:
    kpis, overview, analytics = (
        mods["dashboard.domain.kpis"],
        mods["dashboard.charts.overview"],
        mods["dashboard.charts.analytics"],
    )
    window = kpis.window_for("all", now)
    window30 = kpis.window_for("30d", now)
    months = value_by_month(achievements)
    return {
        "Overview refresh, range all (KPIs + 2 figures)": lambda: (
            kpis.overview_kpis(achievements, window),
            overview.cumulative_value_figure(kpis.cumulative_value(achievements, window)),
            overview.category_breakdown_figure(kpis.by_category(achievements, window)),
        ),
        "Overview refresh, range 30d": lambda: (
            kpis.overview_kpis(achievements, window30),
            overview.cumulative_value_figure(kpis.cumulative_value(achievements, window30)),
            overview.category_breakdown_figure(kpis.by_category(achievements, window30)),
        ),
        "KPIs only, range all": lambda: kpis.overview_kpis(achievements, window),
        "no-data figure": lambda: overview.cumulative_value_figure([]),
        "Analytics value by month": lambda: analytics.value_by_month_figure(months),
    }


def _json(result) -> str:
    figures = [r for r in (result if isinstance(result, tuple) else (result,)) if hasattr(r, "to_plotly_json")]
    return json.dumps([json.loads(pio.to_json(f)) for f in figures], sort_keys=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--before", metavar="REV", help="also time the code of this git revision")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    now = datetime.now().replace(microsecond=0)
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore.open(Path(tmp) / "data")
        fill(store, args.rows)
        achievements = store.list_achievements()
        variants = {"now": current()}
        if args.before:
            variants["before"] = load_at(args.before, Path(tmp))
        built = {name: cases(mods, achievements, now) for name, mods in variants.items()}
        results = {}
        print(
            f"Overview/Analytics work per refresh, {args.rows:,} achievements, median of {args.runs}"
            + (f", now vs {args.before} (alternating, same process)" if args.before else "")
        )
        before_columns = f" {'before ms':>10} {'ratio':>7} {'same JSON':>10}" if args.before else ""
        print(f"  {'work':<48} {'now ms':>8}" + before_columns)
        for case in built["now"]:
            times = {name: [] for name in variants}
            outputs = {}
            for i in range(args.runs + 2):
                for name in variants:
                    started = time.perf_counter()
                    outputs[name] = built[name][case]()
                    if i >= 2:
                        times[name].append((time.perf_counter() - started) * 1000)
            now_ms = statistics.median(times["now"])
            line = f"  {case:<48} {now_ms:>8.2f}"
            results[case] = {"now_ms": now_ms}
            if args.before:
                before_ms = statistics.median(times["before"])
                same = _json(outputs["now"]) == _json(outputs["before"])
                line += f" {before_ms:>10.2f} {before_ms / now_ms:>6.1f}x {str(same):>10}"
                results[case].update(before_ms=before_ms, same_json=same)
            print(line)
        if args.json:
            args.json.write_text(json.dumps({"rows": args.rows, "before": args.before, "results": results}, indent=2))


if __name__ == "__main__":
    main()
