"""Fewer, smaller and longer-cached bytes for a first visit: the dashboard's static delivery.

`install(app)` (after `dash.Dash(...)` is built, pages imported) changes three things, and
answers an unknown `/_dash-component-suites/` path with a 404 (Dash raises DependencyException
for it, which was a 500):

1. No unused dash_table bundle. Dash writes a `<script>` for `dash_table/bundle.js` into every
   index page whatever the layout uses (dash.Dash._generate_scripts_html lists it next to dcc and
   html); no dashboard module uses DataTable, so the tag is dropped. If a module of the dashboard
   imports dash_table/DataTable, the tag is kept.
2. Static files compressed once, at a high level. Dash's bundles (`/_dash-component-suites/...`),
   `/assets/...` and the favicon are compressed with brotli quality 9 (gzip -9 for clients without
   br) the first time a process serves them, then served from memory. flask-compress compresses
   every response again at a fast level (zstd 3: plotly.js 1.44 MB on each request); it leaves
   responses that already carry a Content-Encoding alone. Callback and page responses are not
   touched here (flask-compress keeps them).
3. Long cache lifetimes where the URL is versioned. Dash already sends `max-age=31536000` for
   fingerprinted component-suite URLs (`.v4_4_1m1795639468.js`); they also get `public, immutable`
   (no revalidation on reload). `/assets/x.css?m=<mtime>` and `/_favicon.ico?v=<version>` are
   versioned by their query the same way and get the same header. Unversioned files (the async
   chunks Dash's JavaScript loads by plain name, `/assets/x` without `?m=`) keep their ETag
   revalidation: a 304 when the file is unchanged.

The views are wrapped (not an after_request hook), so the order against flask-compress's own
hook does not matter.
"""

from __future__ import annotations

import functools
import gzip
import re
import sys
import threading
from typing import Any, Optional

import dash
import flask
from dash.exceptions import DependencyException
from flask.typing import RouteCallable

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

_DASH_TABLE_SCRIPT = re.compile(r'<script src="[^"]*/_dash-component-suites/dash/dash_table/bundle[^"]*"></script>\n?')
_FINGERPRINT = re.compile(r"\.v[\w-]+m[0-9a-f]+\.[\w.]+$")


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


def install(app: dash.Dash) -> CompressedCache:
    """Apply the three changes above to a built Dash app; returns the compressed-file cache."""
    cache = _PROCESS_CACHE
    if not uses_dash_table():
        _drop_dash_table_script(app)
    server: flask.Flask = app.server
    prefix = app.config.routes_pathname_prefix
    for rule in list(server.url_map.iter_rules()):
        if _is_static_rule(rule.rule, rule.endpoint, prefix):
            view = server.view_functions[rule.endpoint]
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


def _drop_dash_table_script(app: dash.Dash) -> None:
    original = app.interpolate_index

    def interpolate_index(**kwargs: Any) -> str:
        kwargs["scripts"] = _DASH_TABLE_SCRIPT.sub("", kwargs.get("scripts", ""))
        page: str = original(**kwargs)  # type: ignore[no-untyped-call]  # Dash leaves it unannotated
        return page

    # Dash calls it with keywords only, so a keyword-only function stands in for this app's
    # method (Dash's documented override is a subclass, which app.py would have to build).
    app.interpolate_index = interpolate_index  # type: ignore[method-assign, assignment]


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
            hit = (_compress(data, encoding), f"{etag}-{encoding}" if etag else None)
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
