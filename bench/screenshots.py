"""Screenshots of every page, wallboard view and outage state, from a dashboard of its own.

Starts the dashboard under gunicorn (embedded sample data, an empty data folder, a free port),
drives a headless Chromium at exactly each screen size (DevTools device metrics) and writes
`<page>-<WxH>-<theme>[-<state>].png` into one folder (default docs/screenshots/), with an
index.md of one-line captions. Normal pages are shot at their full height; wallboards and kiosk
pages exactly at the screen's size, since a TV has nobody to scroll it. Each shot waits until the
page has its data (no "Loading" left, every chart drawn), at most --timeout seconds.

States beside the normal one, each from a dashboard of its own:
- down: ACHIEVEMENT_API_URL and ORCHESTRATOR_URL point at a closed loopback port;
- empty: the contract fake (tests/fakes) serving no achievements, posts or articles;
- slow: the fake answering after --slow-delay seconds, shot early, while the page loads.

    .venv/bin/python bench/screenshots.py [--out docs/screenshots] [--only overview,kiosk-system]
                                          [--readme] [--skip-states]

--readme also refreshes the README's pictures (docs/overview.png, analytics.png, content.png,
system.png at 1440x1000 light, docs/wallboard.png at 1920x1080) from the same run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Gunicorn, chrome, free_port  # noqa: E402

PAGES = {
    "overview": "/",
    "achievements": "/achievements",
    "content": "/content",
    "analytics": "/analytics",
    "system": "/system",
    "highlights": "/highlights",
    "activity": "/activity",
}
# Every view of dashboard/services/wallboard.py's VIEWS, as one `?views=` entry.
WALLBOARD_VIEWS = {
    "overview": "overview:30:30d",
    "achievements-kpis": "achievements-kpis:30:30d",
    "analytics": "analytics:30:365d",
    "content": "content:30",
    "system": "system:30",
    "activity": "activity:30",
}
DESKTOP, PHONE, TV, TV_4K = (1440, 900), (390, 844), (1920, 1080), (3840, 2160)
README_SIZE = (1440, 1000)
README_PAGES = ("overview", "analytics", "content", "system")
README_SCREENS = {
    "wallboard.png": "wallboard-overview-1920x1080-dark.png",
    "highlights.png": "wallboard-achievements-kpis-1920x1080-dark.png",
}
"""The README's TV pictures: docs/<name> <- the shot of that name."""
SERVICE_URLS = ("ACHIEVEMENT_API_URL", "ORCHESTRATOR_URL", "TECH_DOC_API_URL")

# Ready: the page is routed (a header), no "Loading" text is left and every chart holds a plot.
READY_JS = """
const root = document.getElementById('_pages_content') || document.body;
if (!root || !document.querySelector('.page-header, .wallboard')) return false;
if (/Loading/.test(document.body.innerText)) return false;
if (document.querySelector('[data-dash-is-loading="true"]')) return false;
return Array.from(document.querySelectorAll('.dash-graph')).every(g => g.querySelector('.main-svg'));
"""
ROUTED_JS = "return !!document.querySelector('.page-header, .wallboard');"
HEIGHT_JS = "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight);"


@dataclass(frozen=True)
class Shot:
    name: str
    path: str
    size: tuple[int, int]
    theme: str
    state: str = ""
    full_page: bool = True
    caption: str = ""

    @property
    def filename(self) -> str:
        width, height = self.size
        return f"{self.name}-{width}x{height}-{self.theme}{'-' + self.state if self.state else ''}.png"


def plan(states: bool = True) -> list[Shot]:
    """Every shot of a run, in the order taken (grouped by state: one dashboard per state)."""
    shots = []
    for theme in ("light", "dark"):
        for name, path in PAGES.items():
            shots.append(Shot(name, path, DESKTOP, theme, caption=f"{name.title()} page, {theme}, full height"))
    for size in (TV, TV_4K):
        for view, entry in WALLBOARD_VIEWS.items():
            caption = f"Wallboard playing `{entry}` on a {size[0]}x{size[1]} TV"
            shots.append(
                Shot(f"wallboard-{view}", f"/wallboard?views={entry}", size, "dark", full_page=False, caption=caption)
            )
    for name, path in PAGES.items():
        caption = f"{name.title()} page in kiosk mode (`?kiosk=1`) on a 1920x1080 TV"
        shots.append(Shot(f"kiosk-{name}", f"{path}?kiosk=1", TV, "dark", full_page=False, caption=caption))
    for theme in ("light", "dark"):
        for name in ("overview", "achievements"):
            shots.append(Shot(name, PAGES[name], PHONE, theme, caption=f"{name.title()} on a 390 px phone, {theme}"))
    if states:
        for name in ("overview", "achievements", "system"):
            down = f"{name.title()} with the achievement-collector and orchestrator down (closed port)"
            shots.append(Shot(name, PAGES[name], DESKTOP, "light", "down", caption=down))
        for name in ("overview", "achievements", "system"):
            empty = f"{name.title()} against services that answer with no achievements, posts or articles"
            shots.append(Shot(name, PAGES[name], DESKTOP, "light", "empty", caption=empty))
        for name in ("overview", "achievements"):
            slow = f"{name.title()} while slow services have not answered yet (shot while loading)"
            shots.append(Shot(name, PAGES[name], DESKTOP, "light", "slow", caption=slow))
    return shots


def readme_shots() -> list[Shot]:
    return [Shot(f"readme-{name}", PAGES[name], README_SIZE, "light", full_page=False) for name in README_PAGES]


@contextmanager
def dashboard(state: str, slow_delay: float) -> Iterator[str]:
    """The base URL of a dashboard in `state` ("" embedded, "down", "empty", "slow")."""
    with ExitStack() as stack:
        env: dict[str, str] = {}
        if state == "down":
            closed = f"http://127.0.0.1:{free_port()}"
            env = {"ACHIEVEMENT_API_URL": closed, "ORCHESTRATOR_URL": closed}
        elif state in ("empty", "slow"):
            from tests.fakes import FakeBackends

            fake = stack.enter_context(FakeBackends())
            if state == "empty":
                with fake.lock:
                    fake.achievements.clear()
                    fake.posts.clear()
                    fake.articles.clear()
            else:
                for service in ("achievement-collector", "orchestrator", "tech-doc-generator"):
                    fake.set_fault(service, "slow", delay=slow_delay)
            env = {
                "ACHIEVEMENT_API_URL": fake.achievement_url,
                "ORCHESTRATOR_URL": fake.orchestrator_url,
                "TECH_DOC_API_URL": fake.tech_doc_url,
            }
        server = Gunicorn(workers=None, extra_env={"DASHBOARD_LOG_LEVEL": "warning", **env}).start()
        stack.callback(server.stop)
        yield server.base


def set_size(driver, width: int, height: int) -> None:
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


def wait_for(driver, script: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if driver.execute_script(script):
            return True
        time.sleep(0.1)
    return False


def take(driver, base: str, shot: Shot, out: Path, timeout: float) -> str:
    """Shoot one page; the line to print (file, scroll height, whether it fits or timed out)."""
    width, height = shot.size
    set_size(driver, width, height)
    if not driver.current_url.startswith(base):
        driver.get(base + "/healthz")  # the theme is the app's stored choice: set it before the page loads
    driver.execute_script("localStorage.setItem('theme-store', JSON.stringify(arguments[0]))", shot.theme)
    driver.get(base + shot.path)
    if shot.state == "slow":
        ready = wait_for(driver, ROUTED_JS, timeout)
        time.sleep(0.5)
    else:
        ready = wait_for(driver, READY_JS, timeout)
        time.sleep(0.4)  # chart transitions and the last repaint
    full = driver.execute_script(HEIGHT_JS)
    if shot.full_page and full > height:
        set_size(driver, width, full)
        time.sleep(0.3)
    target = out / shot.filename
    driver.save_screenshot(str(target))
    # A desk page may scroll; a TV's (wallboard, kiosk: shot at exactly the screen) must not.
    overflow = full > height and not shot.full_page
    notes = ("  (does not fit)" if overflow else "") + ("" if ready else f"  (not ready after {timeout:g} s)")
    return f"{target}  scroll height {full} px{notes}"


def write_index(out: Path, shots: list[Shot]) -> None:
    lines = ["# Screenshots", "", "Made by `make screenshots` (bench/screenshots.py); not kept in git.", ""]
    lines += [f"- [{shot.filename}]({shot.filename}): {shot.caption}" for shot in shots]
    (out / "index.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def refresh_readme(out: Path) -> None:
    for name in README_PAGES:
        shutil.copyfile(out / f"readme-{name}-1440x1000-light.png", ROOT / "docs" / f"{name}.png")
        (out / f"readme-{name}-1440x1000-light.png").unlink()
    for name, shot in README_SCREENS.items():
        shutil.copyfile(out / shot, ROOT / "docs" / name)
    print(f"README pictures refreshed: docs/{{{','.join([*README_PAGES, 'wallboard', 'highlights'])}}}.png")


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", help="comma-separated names (overview, kiosk-system, wallboard-content, ...)")
    parser.add_argument("--skip-states", action="store_true", help="no down, empty or slow dashboards")
    parser.add_argument("--readme", action="store_true", help="also refresh the README's pictures")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for a page's data")
    parser.add_argument("--slow-delay", type=float, default=8.0, help="seconds the slow fake takes to answer")
    args = parser.parse_args(argv)
    for name in SERVICE_URLS:  # the caller's backends never leak into the embedded run
        os.environ.pop(name, None)

    shots = plan(states=not args.skip_states)
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")}
        shots = [shot for shot in shots if shot.name in wanted]
    extra = readme_shots() if args.readme else []
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with chrome(extra_flags=("--hide-scrollbars",), performance_log=False) as driver:
        for state in dict.fromkeys(shot.state for shot in shots + extra):
            with dashboard(state, args.slow_delay) as base:
                for shot in [s for s in shots + extra if s.state == state]:
                    print(take(driver, base, shot, args.out, args.timeout), flush=True)
    write_index(args.out, shots)
    print(
        f"{len(shots) + len(extra)} screenshots in {time.monotonic() - started:.0f} s; index: {args.out / 'index.md'}"
    )
    if args.readme:
        refresh_readme(args.out)


if __name__ == "__main__":
    main()
