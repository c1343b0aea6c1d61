"""The application factory: settings, cache, services, pages, routes.

`create_app()` builds its own Flask server, or mounts the dashboard onto a host's server under
a prefix. Dash keeps its page registry and `dash.callback` map per process, so one dashboard
per process is the supported shape (plotly/dash#2399).
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path
from typing import Optional

import dash
import dash_bootstrap_components as dbc
import flask
from dash import ALL, Input, Output, State, dcc, html
from flask_caching import Cache

from dashboard import __version__, charts
from dashboard.domain.clock import Clock
from dashboard.domain.errors import StoreError
from dashboard.infra.audit import AuditLog
from dashboard.infra.cache import CACHE_FORMAT, FreshCache, LocalLocks, Locks, RedisLocks
from dashboard.infra.history import sample_store
from dashboard.infra.live import Bus, LocalBus, RedisBus
from dashboard.infra.redis_connection import connect_redis
from dashboard.infra.screens import ScreenRegistry
from dashboard.services import DashboardServices, Endpoints
from dashboard.services.history import History, Sampler
from dashboard.services.live import Watcher
from dashboard.services.live import connect as connect_live
from dashboard.settings import REFRESH_FLOOR_SECONDS, Settings, SettingsError, load_settings
from dashboard.sources.embedded.store import EmbeddedStore
from dashboard.ui.components import palette as command_palette
from dashboard.ui.components import panel_menu, timepicker
from dashboard.ui.components.drill import drill_location
from dashboard.ui.components.live import NAMES as LIVE_NAMES
from dashboard.ui.components.live import live_stores
from dashboard.ui.components.navbar import navbar, refresh_options
from dashboard.ui.components.tiles import FRESHNESS, FRESHNESS_DATA
from dashboard.web import (
    asset_delivery,
    auth,
    auth_state,
    callback_input,
    embeds,
    headers,
    heartbeats,
    live,
    observability,
    runtime,
)
from dashboard.web.live import LiveChannel

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_ASSETS_DIR = PACKAGE_DIR / "ui" / "assets"
REDIS_KEY_PREFIX = "threads-dashboard:"
CACHE_KEY_PREFIX = f"{REDIS_KEY_PREFIX}data:v{CACHE_FORMAT}:"
"""Versioned: pods of two releases never read each other's pickles (cache.CACHE_FORMAT)."""
LIVE_BLOCK_SECONDS = 5.0
"""How long the live pump's XREAD waits for news before asking again."""

CHART_PAGES = frozenset({"/", "/analytics"})
"""The pages that draw charts as soon as they open: their first HTML asks for plotly.js early."""


def before_fork(server: flask.Flask) -> None:
    """Ready a built dashboard to be forked into workers (gunicorn.conf.py's preload): nothing
    one process opened may be used by two. Redis' pool and prometheus' files notice a new pid
    themselves; httpx's pools are still empty (the master calls no backend)."""
    runtime.current_of(server).services.release_connections()


def app_from_environment() -> Optional[tuple[Settings, dash.Dash]]:
    """The dashboard as the environment configures it, logging set up first (wsgi.py, __main__.py).

    None, with the reason in one line on stderr, when the settings or the data folder do not let
    it start: a person reads a sentence, not a traceback.
    """
    try:
        settings = load_settings()
        observability.configure_logging(settings.log_level.upper())
        return settings, create_app(settings=settings)
    except (SettingsError, StoreError) as exc:
        print(exc, file=sys.stderr)
        return None


def create_app(
    server: Optional[flask.Flask] = None,
    *,
    url_base_pathname: str = "/",
    settings: Optional[Settings] = None,
) -> dash.Dash:
    """Build the dashboard; with `server`, mount it on that Flask app under `url_base_pathname`."""
    settings = settings or load_settings()
    url_base_pathname = "/" + url_base_pathname.strip("/") + "/" if url_base_pathname.strip("/") else "/"
    owns_server = server is None
    if server is None:
        server = flask.Flask("dashboard")

    clock = Clock(settings.clock_shift_seconds)
    services, cache_backend = _build_services(server, settings, clock)
    current = runtime.Runtime(
        settings=settings,
        services=services,
        version=__version__,
        cache_backend=cache_backend,
        screens=ScreenRegistry.for_locks(
            services.cache.locks,
            prefix=REDIS_KEY_PREFIX + "screens:",
            clock=clock.time,
            forget_after=settings.screen_forget_seconds,
            max_screens=settings.max_screens,
            max_per_actor=settings.max_screens_per_actor,
        ),
        build_id=settings.build_id or __version__,
        prefix=url_base_pathname,
        clock=clock,
        started_at=clock.time(),
    )
    current.live = _build_live(settings, services)
    current.history = _build_history(server, settings, services)
    runtime.install(server, current)

    app = dash.Dash(
        "dashboard",
        # Dash's annotations lag its documented arguments: `server` takes a Flask instance
        # (annotated bool | Callable[[], Any]) and `update_title` takes None (annotated str).
        server=server,  # type: ignore[arg-type]
        url_base_pathname=url_base_pathname,
        use_pages=True,
        pages_folder="ui/pages",
        assets_folder=str(settings.assets_dir or DEFAULT_ASSETS_DIR),
        title="Threads-Agent dashboard",
        update_title=None,  # type: ignore[arg-type]  # a background refresh must not flash "Updating..."
        # True: with False, Dash builds a "validation layout" from every page's layout on a worker's
        # first request and sends it inside every page's HTML (226 KB of a 230 KB page), for the
        # renderer's check that each callback's ids exist, which only debug mode shows. The same
        # check runs in CI instead (tests/unit/test_callback_ids.py).
        suppress_callback_exceptions=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.layout = lambda: _root_layout(current)
    _register_root_callbacks(app)
    asset_delivery.install(app, chart_paths=CHART_PAGES)
    observability.install(server, url_base_pathname, max_request_bytes=settings.max_request_bytes)
    gate = auth.install(server, url_base_pathname, settings, state=auth_state.for_cache(services.cache))
    observability.install_callback_check(server, url_base_pathname)
    callback_input.install(app)  # then what Dash would read wrong: a 400, never a 500
    embeds.install(server, url_base_pathname)
    heartbeats.install(server, url_base_pathname)
    live.install(server, url_base_pathname)
    headers.install(server, url_base_pathname, app, settings, is_https=gate.is_https)
    _answer_404_for_unknown_pages(server, url_base_pathname)
    if owns_server:
        # Browsers ask for /favicon.ico on every page that names none (the sign-in page).
        server.add_url_rule(
            "/favicon.ico",
            "threads_dashboard_favicon",
            lambda: flask.redirect(f"{url_base_pathname}_favicon.ico", code=301),
        )
        _compress(server)
    _finish_setup(server, url_base_pathname)
    return app


def _answer_404_for_unknown_pages(server: flask.Flask, prefix: str) -> None:
    """Dash serves its page shell for any path, with 200; a path no page has gets a 404 status
    (a link checker, a monitor or a crawler sees it), and the shell still shows the Not found page."""
    catch_all = f"{prefix}<path:path>"

    def page_patterns() -> list[re.Pattern]:
        """Every page's path, and its path template's variables ("<profile>") as one segment."""
        patterns = []
        for page in dash.page_registry.values():
            if page["module"].endswith("not_found_404"):
                continue
            for path in filter(None, (page.get("path_template"), page["path"])):
                patterns.append(re.compile(re.sub(r"<[^>/]+>", "[^/]+", re.escape(path.strip("/"))) + r"\Z"))
        return patterns

    patterns: list[re.Pattern] = []

    @server.after_request
    def unknown_page_is_404(response: flask.Response) -> flask.Response:
        if flask.request.endpoint != catch_all or response.status_code != 200:
            return response
        if not patterns:
            patterns.extend(page_patterns())
        path = flask.request.path[len(prefix) :].strip("/")
        if not any(pattern.match(path) for pattern in patterns):
            response.status_code = 404
        return response


def _build_live(settings: Settings, services: DashboardServices) -> Optional[LiveChannel]:
    """The live channel: over Redis streams when Redis is configured (every worker and replica
    hears every change), in process otherwise; its watcher runs while screens are connected."""
    if settings.live == "off":
        return None
    bus: Bus
    if settings.redis_url:
        # A client of its own: the pump's XREAD blocks longer than the cache's socket timeout.
        client = connect_redis(
            settings.redis_url,
            socket_timeout=LIVE_BLOCK_SECONDS + max(5.0, settings.redis_socket_timeout_seconds),
            connect_timeout=settings.redis_connect_timeout_seconds,
            health_check_seconds=settings.redis_health_check_seconds,
        )
        bus = RedisBus(client, prefix=REDIS_KEY_PREFIX, block_seconds=LIVE_BLOCK_SECONDS, clock=services.cache.clock)
    else:
        bus = LocalBus(clock=services.cache.clock)
    connect_live(services, bus)
    interval = settings.live_watch_seconds or max(2.0, settings.cache_ttl_seconds)
    channel = LiveChannel(
        bus,
        heartbeat_seconds=settings.live_heartbeat_seconds,
        check_seconds=interval,
        stream_seconds=settings.live_stream_seconds,
        max_connections=settings.live_max_connections,
        anywhere=settings.live == "on",
    )

    def wanted() -> bool:
        return channel.open_connections > 0

    if isinstance(bus, RedisBus):
        bus.wanted = wanted
    channel.watcher = Watcher(services, bus, interval=interval, wanted=wanted)
    return channel


def _build_history(server: flask.Flask, settings: Settings, services: DashboardServices) -> History:
    """The 7-day history, beside the cache (Redis) or the embedded store (SQLite); its sampler
    starts with the first request each process serves (a thread does not survive a fork)."""
    store = sample_store(services.cache.redis, settings.data_dir, prefix=REDIS_KEY_PREFIX + "history:")
    interval = settings.history_sample_seconds
    history = History(store, interval=interval or 30.0, clock=services.clock.time)
    if interval > 0:
        sampler = Sampler(services, store, interval=interval)
        server.before_request(sampler.start)
    return history


def _build_services(server: flask.Flask, settings: Settings, clock: Clock) -> tuple[DashboardServices, str]:
    if settings.redis_url:
        client = connect_redis(
            settings.redis_url,
            socket_timeout=settings.redis_socket_timeout_seconds,
            connect_timeout=settings.redis_connect_timeout_seconds,
            health_check_seconds=settings.redis_health_check_seconds,
        )
        cache = Cache(
            config={
                "CACHE_TYPE": "RedisCache",
                "CACHE_REDIS_HOST": client,  # our client: its timeouts, and the URL's db kept as given
                "CACHE_KEY_PREFIX": CACHE_KEY_PREFIX,
            }
        )
        locks: Locks = RedisLocks(client, prefix=REDIS_KEY_PREFIX + "lock:")
        backend_name = "redis"
    else:
        cache = Cache(config={"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": settings.cache_threshold})
        locks = LocalLocks()
        backend_name = "in-process"
    cache.init_app(server)
    fresh_cache = FreshCache(
        cache.cache,
        locks,
        ttl=settings.cache_ttl_seconds,
        backoff=settings.retry_backoff_seconds,
        fetch_seconds=settings.backend_read_seconds,
        wait_seconds=settings.wait_seconds,
        enabled=settings.cache_enabled,
        clock=clock.time,
        lock_margin_seconds=settings.fetch_lock_margin_seconds,
        fallback_threshold=settings.cache_fallback_threshold,
    )
    if not settings.cache_enabled:
        log.warning("DASHBOARD_CACHE_ENABLED is off: every read calls its backend (benchmarks only)")
    fresh_cache.observer = observability.observe_cache
    needs_store = not (settings.achievement_api_url and settings.orchestrator_url)
    store = EmbeddedStore.open(settings.data_dir, clock=clock.now) if needs_store else None
    services = DashboardServices.from_endpoints(
        Endpoints(settings.achievement_api_url, settings.orchestrator_url, settings.tech_doc_api_url),
        fresh_cache,
        store,
        timeout=settings.http_timeout_seconds,
        connect_timeout=settings.http_connect_timeout_seconds,
        audit=AuditLog(settings.data_dir / "audit.sqlite3", clock=clock.now),
        observer=observability.observe_backend,
        clock=clock,
        currency=settings.currency,
        timezone=settings.timezone,
        call_seconds=settings.backend_call_seconds,
        max_response_bytes=settings.backend_max_bytes,
        backend=settings.backend(),
    )
    return services, backend_name


def _root_layout(current: runtime.Runtime):
    settings = current.settings
    return html.Div(
        [
            dcc.Location(id="url", refresh=False),
            drill_location(),
            dcc.Store(
                id="app-config",
                data={
                    "refresh_seconds": settings.refresh_seconds,
                    "refresh_floor": REFRESH_FLOOR_SECONDS,
                    "refresh_options": refresh_options(settings.refresh_seconds, REFRESH_FLOOR_SECONDS),
                    "stale_after_seconds": settings.stale_after_seconds or 3 * settings.refresh_seconds,
                    "reload_hours": settings.wallboard_reload_hours,
                    "build_id": current.build_id,
                    "healthz": dash.get_relative_path("/healthz"),
                    "heartbeat": dash.get_relative_path("/api/heartbeat"),
                    "token_renew": dash.get_relative_path("/api/token/renew"),
                    "live": dash.get_relative_path("/api/live") if current.live is not None else None,
                    "live_names": list(LIVE_NAMES),
                },
            ),
            *live_stores(),
            dcc.Store(id="token-renewal"),
            dcc.Interval(id="build-check-interval", interval=settings.refresh_seconds * 1000),
            dcc.Store(id="theme-store", storage_type="local"),
            dcc.Interval(id="refresh-interval", interval=settings.refresh_seconds * 1000),
            navbar(
                current.version,
                auth.current_actor(),
                auth_on=settings.auth != "none",
                logout_url=dash.get_relative_path("/logout"),
                csrf_token=auth.csrf_token_for_page(),
                refresh_seconds=settings.refresh_seconds,
                refresh_floor=REFRESH_FLOOR_SECONDS,
            ),
            # A TV has no navbar: its one "Updated N s ago" sits in a corner (assets/25-screens.css).
            html.Div("", id="screen-updated", className="screen-updated", role="status"),
            command_palette.palette(),  # Ctrl+K, and the shortcuts' help (`?`)
            dbc.Container(
                [html.Div(id="url-notice"), dash.page_container],
                fluid=True,
                className="app-main pb-4",
            ),
        ],
        id="app-root",
    )


def _register_root_callbacks(app: dash.Dash) -> None:
    # The live channel (assets/live.js) opens once the page's config is known.
    app.clientside_callback(
        dash.ClientsideFunction("live", "start"), Output("live-status", "title"), Input("app-config", "data")
    )
    timepicker.register_callbacks(app)
    command_palette.register_callbacks(app)
    panel_menu.register_callbacks(app)  # the ⋮ menu of every chart and KPI card
    # ?refresh=N (or off) and the navbar's picker set the interval in the browser, never below
    # the floor; a choice in the picker is written back to the address, so the link keeps it.
    app.clientside_callback(
        dash.ClientsideFunction("dashboard", "refreshFromUrl"),
        Output("refresh-interval", "interval"),
        Output("url-notice", "children"),
        Output("refresh-picker", "value"),
        Output("refresh-picker", "options"),
        Input("url", "search"),
        Input("refresh-picker", "value"),
        State("app-config", "data"),
    )
    # "Refresh": one more tick of the refresh timer, so every refresh of the page runs now.
    app.clientside_callback(
        dash.ClientsideFunction("dashboard", "refreshNow"),
        Output("refresh-interval", "n_intervals"),
        Input("refresh-now", "n_clicks"),
        State("refresh-interval", "n_intervals"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        dash.ClientsideFunction("dashboard", "syncTheme"),
        Output("theme-store", "data"),
        Output("theme-switch", "value"),
        Input("theme-switch", "value"),
        Input("theme-store", "modified_timestamp"),
        Input("url", "href"),
        State("theme-store", "data"),
    )
    # Kiosk (?kiosk=1, or any /wallboard page): no navigation or controls, large type, dark.
    app.clientside_callback(
        dash.ClientsideFunction("dashboard", "applyChrome"),
        Output("app-root", "className"),
        Input("theme-store", "data"),
        Input("url", "href"),
        State("app-config", "data"),
    )
    app.clientside_callback(
        dash.ClientsideFunction("dashboard", "updateAges"),
        Output({"type": FRESHNESS, "tile": ALL}, "children"),
        Output({"type": FRESHNESS, "tile": ALL}, "className"),
        Output("last-update", "children"),
        Output("screen-updated", "children"),
        Input({"type": FRESHNESS_DATA, "page": ALL}, "data"),
        State("app-config", "data"),
    )
    # A screen named by ?screen= reports each successful refresh (listed on the System page).
    app.clientside_callback(
        dash.ClientsideFunction("dashboard", "heartbeat"),
        Output("url-notice", "title"),
        Input({"type": FRESHNESS_DATA, "page": ALL}, "data"),
        State("url", "href"),
        State("app-config", "data"),
        prevent_initial_call=True,
    )
    # Kiosk screens reload on a new deployment and every few hours (see assets/dashboard.js).
    app.clientside_callback(
        dash.ClientsideFunction("dashboard", "checkBuild"),
        Output("build-check-interval", "disabled"),
        Input("build-check-interval", "n_intervals"),
        State("app-config", "data"),
        State("url", "href"),
    )
    # A page opened with a read-only ?token= renews it before it runs out (assets/dashboard.js).
    app.clientside_callback(
        dash.ClientsideFunction("dashboard", "renewToken"),
        Output("token-renewal", "data"),
        Input("build-check-interval", "n_intervals"),
        State("app-config", "data"),
        State("token-renewal", "data"),
    )
    app.clientside_callback(
        "function(n, open) { return n ? !open : open; }",
        Output("navbar-collapse", "is_open"),
        Input("navbar-toggler", "n_clicks"),
        State("navbar-collapse", "is_open"),
    )


def _compress(server: flask.Flask) -> None:
    from flask_compress import Compress

    server.config.setdefault(
        "COMPRESS_MIMETYPES",
        [
            "text/html",
            "text/css",
            "application/javascript",
            "text/javascript",
            "application/json",
        ],
    )
    Compress(server)


def _finish_setup(server: flask.Flask, prefix: str) -> None:
    """Do first-use work now, before a worker serves parallel requests.

    Dash sets itself up on a worker's first request without guarding against a second thread;
    a browser's parallel bundle requests can land mid-setup and get a 500.
    """
    charts.warm_up()
    with server.test_client() as client:
        response = client.get(f"{prefix}_dash-dependencies", environ_base={auth.INTERNAL_REQUEST: True})
    if response.status_code != 200:
        raise RuntimeError(f"dashboard setup failed: {prefix}_dash-dependencies answered {response.status_code}")
