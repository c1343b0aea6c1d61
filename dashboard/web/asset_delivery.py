"""Fewer, smaller and longer-cached bytes for a first visit: the dashboard's static delivery.

`install(app)` (after `dash.Dash(...)` is built, pages imported) changes three things, and
answers an unknown `/_dash-component-suites/` path with a 404 (Dash raises DependencyException
for it, which was a 500):

1. No unused dash_table bundle. Dash writes a `<script>` for `dash_table/bundle.js` into every
   index page whatever the layout uses (dash.Dash._generate_scripts_html lists it next to dcc and
   html); no dashboard module uses DataTable, so the tag is dropped. If a module of the dashboard
   imports dash_table/DataTable, the tag is kept.
2. Static files compressed once, at a high level. Dash's bundles (`/_dash-component-suites/...`),
   `/assets/...` and the favicon come compressed from the install step (web/precompress.py:
   brotli 11, gzip -9); one it did not compress is compressed with brotli quality 9 (gzip -9
   for clients without br) the first time a process serves it. Then it is served from memory.
   flask-compress compresses every response again at a fast level (zstd 3: plotly.js 1.44 MB on
   each request); it leaves responses that already carry a Content-Encoding alone. Callback and page responses are not
   touched here (flask-compress keeps them).
3. Long cache lifetimes where the URL is versioned. Dash already sends `max-age=31536000` for
   fingerprinted component-suite URLs (`.v4_4_1m1795639468.js`); they also get `public, immutable`
   (no revalidation on reload). `/assets/x.css?m=<mtime>` and `/_favicon.ico?v=<version>` are
   versioned by their query the same way and get the same header. Unversioned files (the async
   chunks Dash's JavaScript loads by plain name, `/assets/x` without `?m=`) keep their ETag
   revalidation: a 304 when the file is unchanged.

4. plotly.js's partial bundle. Dash's Graph loads `plotly/package_data/plotly.min.js` (4.8 MB,
   every trace type) when the first chart renders; that URL answers plotly.js's own "basic"
   bundle instead (web/vendor/plotly-basic.min.js, 1.19 MB: scatter, bar, pie — what the charts
   draw), and the head of each page that draws charts as it opens asks for it early (`<link
   rel="preload">`), so it downloads while Dash starts rather than after the first chart asks.

The views are wrapped (not an after_request hook), so the order against flask-compress's own
hook does not matter.
"""

from __future__ import annotations

import functools
import gzip
import re
import sys
import threading
from pathlib import Path
from typing import Any, Optional

import dash
import flask
from dash.exceptions import DependencyException
from flask.typing import RouteCallable

from dashboard.web import precompress

try:
    import brotli
except ImportError:  # pragma: no cover - brotli comes with flask-compress
    brotli = None

BROTLI_QUALITY = 9
"""Quality 9: plotly.min.js 4.8 MB -> 1.23 MB in ~0.3 s, once per process (11: 1.11 MB but 6.7 s)."""
GZIP_LEVEL = 9
IMMUTABLE = "public, max-age=31536000, immutable"
COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "image/x-icon",
    "image/vnd.microsoft.icon",
    "application/octet-stream",
)
MIN_SIZE = 500
MAX_ENTRIES = 256

PLOTLY_BUNDLE = Path(__file__).resolve().parent / "vendor" / "plotly-basic.min.js"
_PLOTLY_PATH = "package_data/plotly.min.js"
"""Where Dash's Graph loads plotly.js from (window._dashPlotlyJSURL), below `plotly/`."""

_DASH_TABLE_SCRIPT = re.compile(r'<script src="[^"]*/_dash-component-suites/dash/dash_table/bundle[^"]*"></script>\n?')
_FINGERPRINT = re.compile(r"\.v[\w-]+m[0-9a-f]+\.[\w.]+$")
"""Dash's fingerprint in a file name: plotly.min.js is asked for as plotly.v7_1_0m1796156110.min.js."""


class CompressedCache:
    """(path with query, ETag, encoding) -> (compressed body, its ETag); bounded."""

    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.max_entries = max_entries
        self._entries: dict[tuple[str, str, str], tuple[bytes, Optional[str]]] = {}
        self._lock = threading.Lock()
        self.compressions = 0

    def get(self, key: tuple[str, str, str]) -> Optional[tuple[bytes, Optional[str]]]:
        return self._entries.get(key)

    def put(self, key: tuple[str, str, str], value: tuple[bytes, Optional[str]]) -> None:
        with self._lock:
            if len(self._entries) >= self.max_entries:
                self._entries.pop(next(iter(self._entries)))
            self._entries[key] = value
            self.compressions += 1


_PROCESS_CACHE = CompressedCache()
"""Shared by every app of the process: the same bundle (same ETag) is compressed once, however
many apps are built (tests build hundreds; brotli 9 of plotly.js costs ~0.3 s each time)."""


def install(app: dash.Dash, *, chart_paths: frozenset[str] = frozenset()) -> CompressedCache:
    """Apply the changes above to a built Dash app; returns the compressed-file cache.

    `chart_paths`: the pages (without the prefix, e.g. "/analytics") that draw charts as they
    open, whose index page asks for plotly.js early."""
    cache = _PROCESS_CACHE
    _edit_index(app, drop_dash_table=not uses_dash_table(), chart_paths=chart_paths)
    server: flask.Flask = app.server
    prefix = app.config.routes_pathname_prefix
    for rule in list(server.url_map.iter_rules()):
        if _is_static_rule(rule.rule, rule.endpoint, prefix):
            view = server.view_functions[rule.endpoint]
            if rule.rule.startswith(prefix + "_dash-component-suites/"):
                view = _with_partial_plotly(view)
            server.view_functions[rule.endpoint] = _delivering(view, cache)
    server.extensions["threads_dashboard_assets"] = cache
    return cache


def uses_dash_table() -> bool:
    """True when a loaded dashboard module holds dash_table or one of its components."""
    dash_table = sys.modules.get("dash.dash_table")
    if dash_table is None:
        return False
    table_classes = {getattr(dash_table, name) for name in getattr(dash_table, "__all__", [])}
    for name, module in list(sys.modules.items()):
        if not (name == "dashboard" or name.startswith("dashboard.")) or module is None:
            continue
        for value in vars(module).values():
            if value is dash_table or (isinstance(value, type) and value in table_classes):
                return True
    return False


def plotly_url(app: dash.Dash) -> str:
    """The URL Dash's Graph loads plotly.js from (the renderer sets window._dashPlotlyJSURL to it)."""
    return f"{app.config.requests_pathname_prefix}_dash-component-suites/plotly/{_PLOTLY_PATH}"


def _edit_index(app: dash.Dash, *, drop_dash_table: bool, chart_paths: frozenset[str]) -> None:
    original = app.interpolate_index
    preload = f'<link rel="preload" href="{plotly_url(app)}" as="script">'
    prefix = app.config.requests_pathname_prefix

    def interpolate_index(**kwargs: Any) -> str:
        if drop_dash_table:
            kwargs["scripts"] = _DASH_TABLE_SCRIPT.sub("", kwargs.get("scripts", ""))
        # The Graph adds a plain <script src> of this URL; a preload with the same URL and
        # `as="script"` is the fetch that script then uses. Only where a chart is drawn at once:
        # a preload left unused is wasted bytes, and Chrome says so in the console.
        path = "/" + flask.request.path[len(prefix) :].strip("/") if flask.has_request_context() else ""
        if path in chart_paths:
            kwargs["metas"] = kwargs.get("metas", "") + preload
        page: str = original(**kwargs)  # type: ignore[no-untyped-call]  # Dash leaves it unannotated
        return page

    # Dash calls it with keywords only, so a keyword-only function stands in for this app's
    # method (Dash's documented override is a subclass, which app.py would have to build).
    app.interpolate_index = interpolate_index  # type: ignore[method-assign, assignment]


def _with_partial_plotly(view: RouteCallable) -> RouteCallable:
    """Dash's component-suite view, answering plotly.js's bundle with PLOTLY_BUNDLE."""

    @functools.wraps(view, assigned=("__name__",), updated=())
    def serve(*args: Any, **kwargs: Any) -> Any:
        path = kwargs.get("fingerprinted_path", "")
        if kwargs.get("package_name") == "plotly" and _FINGERPRINT.sub(".min.js", path) == _PLOTLY_PATH:
            response = flask.send_file(PLOTLY_BUNDLE, mimetype="application/javascript", max_age=0, etag=True)
            return response.make_conditional(flask.request)
        return view(*args, **kwargs)

    return serve


def _is_static_rule(rule: str, endpoint: str, prefix: str) -> bool:
    if rule.startswith(prefix + "_dash-component-suites/") or rule == prefix + "_favicon.ico":
        return True
    return endpoint.endswith(".static") and rule.startswith(prefix + "assets/")


def _accepted(accept_encoding: str) -> Optional[str]:
    offered = {part.split(";")[0].strip().lower(): part for part in accept_encoding.split(",")}
    for name in ("br", "gzip"):
        if name == "br" and brotli is None:
            continue
        part = offered.get(name)
        if part is not None and not re.search(r";\s*q=0(\.0*)?\s*$", part):
            return name
    return None


def _compress(data: bytes, encoding: str) -> bytes:
    if encoding == "br":
        compressed: bytes = brotli.compress(data, quality=BROTLI_QUALITY)  # brotli ships no types
        return compressed
    return gzip.compress(data, GZIP_LEVEL, mtime=0)


def _versioned(request: flask.Request) -> bool:
    return bool(_FINGERPRINT.search(request.path) or request.args.get("m") or request.args.get("v"))


def _delivering(view: RouteCallable, cache: CompressedCache) -> RouteCallable:
    @functools.wraps(view, assigned=("__name__",), updated=())  # the endpoint keeps its view's name
    def delivered(*args: Any, **kwargs: Any) -> flask.Response:
        try:
            response = flask.make_response(view(*args, **kwargs))
        except DependencyException:
            # Dash raises it for a package or file it does not serve: that path does not exist.
            # (Before the worker's first request it could also mean "not set up yet"; app.py's
            # _finish_setup makes that request before any is served.)
            return flask.Response("Not found: no such component file.\n", status=404, mimetype="text/plain")
        request = flask.request
        if response.status_code != 200:
            return response
        if _versioned(request):
            response.headers["Cache-Control"] = IMMUTABLE
        encoding = _accepted(request.headers.get("Accept-Encoding", ""))
        mimetype = response.mimetype or ""
        if (
            encoding is None
            or "Content-Encoding" in response.headers
            or not mimetype.startswith(COMPRESSIBLE)
            or request.method != "GET"
        ):
            return response
        etag, _ = response.get_etag()
        # A changed file has a new ETag; without one, the file is only known to this app.
        key = (request.full_path, etag or f"app-{id(flask.current_app)}", encoding)
        hit = cache.get(key)
        if hit is None:
            response.direct_passthrough = False  # send_file responses stream the file
            data = response.get_data()
            if len(data) < MIN_SIZE:
                return response
            body = precompress.lookup(data, encoding) or _compress(data, encoding)
            hit = (body, f"{etag}-{encoding}" if etag else None)
            cache.put(key, hit)
        body, etag = hit
        response.close()  # the file send_file opened: its bytes are replaced below, never sent
        if etag and request.if_none_match.contains(etag):
            not_modified = flask.Response(status=304)
            not_modified.set_etag(etag)
            not_modified.headers["Cache-Control"] = response.headers.get("Cache-Control", "no-cache")
            not_modified.vary.add("Accept-Encoding")
            return not_modified
        response.direct_passthrough = False
        response.set_data(body)
        response.headers["Content-Encoding"] = encoding
        response.headers.pop("Accept-Ranges", None)  # ranges of the file, not of this encoding
        response.vary.add("Accept-Encoding")
        if etag:
            response.set_etag(etag)
        return response

    return delivered
