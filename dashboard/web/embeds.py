"""Single charts for other applications: a JSON list, Plotly figure JSON, and an iframe page.

- `GET <prefix>api/charts`: the embeddable chart ids with their URLs.
- `GET <prefix>api/charts/<id>?range=30d&theme=dark`: the figure as Plotly JSON; the data's
  freshness in `X-Data-Fetched-At`, `X-Data-Stale` and `X-Data-Error`.
- `GET <prefix>embed/<id>?range=30d&refresh=60&theme=dark`: the chart alone, sized to its iframe,
  redrawn from the JSON endpoint every `refresh` seconds (never below the floor).
Opened with a read-only `?token=`, the embed passes it on to its data requests and renews it.
"""

from __future__ import annotations

import json
from typing import Optional

import flask
import plotly.io as pio

from dashboard.charts.registry import CHARTS, build, utc_stamp
from dashboard.domain.kpis import RANGES, parse_range, window_for
from dashboard.settings import REFRESH_FLOOR_SECONDS
from dashboard.web import auth, runtime


def install(server: flask.Flask, prefix: str) -> None:
    if "threads_dashboard_charts" in server.view_functions:
        return

    def charts_index():
        return flask.jsonify(
            charts=[
                {
                    "id": spec.id,
                    "title": spec.title,
                    "description": spec.description,
                    "figure_url": f"{prefix}api/charts/{spec.id}",
                    "embed_url": f"{prefix}embed/{spec.id}",
                }
                for spec in CHARTS.values()
            ]
        )

    def chart_figure(chart_id: str):
        spec = CHARTS.get(chart_id)
        if spec is None:
            return _unknown(chart_id)
        range_key, problem = _range_argument()
        if problem:
            return _error(400, problem)
        current = server.extensions[runtime.EXTENSION]
        now = current.clock.now()
        figure, fresh = build(
            spec, current.services, window_for(range_key, now), dark=flask.request.args.get("theme") == "dark"
        )
        response = flask.Response(pio.to_json(figure, validate=False), mimetype="application/json")
        response.headers["X-Data-Fetched-At"] = utc_stamp(fresh.fetched_at) or ""
        # The server's now, so the page measures the data's age on the server's clock, not its own.
        response.headers["X-Server-Time"] = now.isoformat(timespec="milliseconds") + "Z"
        response.headers["X-Data-Stale"] = "true" if fresh.stale or fresh.value is None else "false"
        if fresh.error:
            response.headers["X-Data-Error"] = header_value(fresh.error)
        response.headers["Cache-Control"] = "no-store"
        return response

    def chart_embed(chart_id: str):
        spec = CHARTS.get(chart_id)
        if spec is None:
            return _unknown_page(chart_id, prefix)
        current = server.extensions[runtime.EXTENSION]
        range_key, problem = _range_argument()
        refresh, refresh_problem = _refresh_argument(current.settings.refresh_seconds)
        theme = "dark" if flask.request.args.get("theme") == "dark" else "light"
        config = {
            "figureUrl": f"{prefix}api/charts/{spec.id}?range={range_key}&theme={theme}",
            "refreshMs": refresh * 1000,
            "notice": " ".join(p for p in (problem, refresh_problem) if p),
            **_token_config(server, prefix),
        }
        page = _EMBED_PAGE.format(
            title=_escape(spec.title),
            theme=theme,
            plotly=f"{prefix}_dash-component-suites/plotly/package_data/plotly.min.js",
            script_url=f"{prefix}embed-script.js",
            config=json_for_html(config),
        )
        return flask.Response(page, mimetype="text/html")

    def embed_script():
        response = flask.Response(EMBED_SCRIPT, mimetype="text/javascript")
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    server.add_url_rule(f"{prefix}api/charts", "threads_dashboard_charts", charts_index)
    server.add_url_rule(f"{prefix}api/charts/<chart_id>", "threads_dashboard_chart", chart_figure)
    server.add_url_rule(f"{prefix}embed/<chart_id>", "threads_dashboard_embed", chart_embed)
    server.add_url_rule(f"{prefix}embed-script.js", "threads_dashboard_embed_script", embed_script)


HEADER_LIMIT = 300
"""Characters of a header made of another program's text (a backend's error, an nginx page)."""


def header_value(text: str, limit: int = HEADER_LIMIT) -> str:
    """Text from elsewhere as one header line: ASCII, no CR, LF or other control character
    (werkzeug refuses a header with a newline, which made the answer a 500), runs of white space
    as one space, at most `limit` characters."""
    printable = "".join(c if " " <= c <= "~" else " " for c in text.encode("ascii", "replace").decode())
    line = " ".join(printable.split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _token_config(server: flask.Flask, prefix: str) -> dict:
    """A page opened with a read-only token keeps using it, and renews it at half-life."""
    gate = auth.gate_of(server)
    token = flask.request.args.get(auth.TOKEN_PARAMETER)
    read = gate.signer.read_token(token) if gate is not None and token else None
    if read is None:
        return {}
    return {
        "token": token,
        "renewUrl": f"{prefix}api/token/renew",
        "renewInMs": int(max(60.0, read.seconds_left() / 2) * 1000),
    }


def _range_argument() -> tuple[str, Optional[str]]:
    raw = flask.request.args.get("range")
    key, problem = parse_range(raw)
    return key, problem


def _refresh_argument(default: int) -> tuple[int, Optional[str]]:
    raw = flask.request.args.get("refresh")
    if raw in (None, ""):
        return default, None
    try:
        asked = int(float(raw))
    except (ValueError, OverflowError):  # OverflowError: refresh=inf
        return default, f"Ignored refresh={raw[:20]!r}: not a number of seconds."
    if asked < REFRESH_FLOOR_SECONDS:
        return REFRESH_FLOOR_SECONDS, f"refresh={asked} is below the floor: every {REFRESH_FLOOR_SECONDS} s."
    if asked > REFRESH_CEILING_SECONDS:
        # Browsers run a setInterval of more than 2^31-1 ms at once, in a loop: cap it at a day.
        return REFRESH_CEILING_SECONDS, f"refresh={raw[:20]} is above the ceiling: every {REFRESH_CEILING_SECONDS} s."
    return asked, None


REFRESH_CEILING_SECONDS = 86_400


def _unknown(chart_id: str):
    return _error(404, f"Unknown chart {chart_id[:60]!r}. Known: {', '.join(CHARTS)}.")


def _unknown_page(chart_id: str, prefix: str):
    """An iframe pointed at a wrong id shows, in the frame, which charts exist (HTML, 404)."""
    items = "".join(
        f'<li><a href="{prefix}embed/{_escape(spec.id)}">{_escape(spec.title)}</a> '
        f"<code>{_escape(spec.id)}</code> — {_escape(spec.description)}</li>"
        for spec in CHARTS.values()
    )
    page = _UNKNOWN_PAGE.format(chart=_escape(chart_id[:60]), items=items)
    return flask.Response(page, status=404, mimetype="text/html")


_UNKNOWN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Unknown chart · Threads-Agent</title>
<style>body{{font:15px/1.5 system-ui,sans-serif;margin:1.5rem;color:#212529}}code{{color:#6c757d}}</style>
</head><body>
<h1 style="font-size:1.3rem">There is no chart “{chart}”</h1>
<p>These charts can be embedded:</p>
<ul>{items}</ul>
</body></html>
"""


def _error(status: int, message: str):
    return flask.Response(
        json.dumps({"error": message, "ranges": list(RANGES)}), status=status, mimetype="application/json"
    )


def json_for_html(value) -> str:
    """JSON to put inside a <script> element: `<`, `>` and `&` as \\u escapes, so no text in it
    (`</script>`, `<!--<script>`, which sends the HTML parser into its double-escaped script state
    and swallows the rest of the page) is ever markup. Non-ASCII is escaped too (U+2028 included)."""
    return json.dumps(value, ensure_ascii=True).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


_EMBED_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
html, body {{ margin: 0; height: 100%; overflow: hidden; font-family: system-ui, sans-serif; }}
body.dark {{ background: #212529; color: #dee2e6; }}
#chart {{ position: absolute; inset: 0 0 1.5em 0; }}
#meta {{ position: absolute; left: 0.5em; right: 0.5em; bottom: 0.2em; font-size: 12px; color: #6c757d;
         white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
#meta.stale {{ color: #b58100; font-weight: 600; }}
#meta.failed {{ color: #dc3545; font-weight: 600; }}
</style>
<script src="{plotly}"></script>
</head>
<body class="{theme}">
<div id="chart" role="img" aria-label="{title}"></div>
<div id="meta">Loading…</div>
<script type="application/json" id="embed-config">{config}</script>
<script src="{script_url}"></script>
</body></html>
"""

EMBED_SCRIPT = """(function () {
  var config = JSON.parse(document.getElementById("embed-config").textContent);
  var meta = document.getElementById("meta");
  var fetchedAt = null, state = "ok", error = "", busy = false, skewMs = 0;
  function age() {
    if (!fetchedAt) { return ""; }
    var s = Math.max(0, Math.round((Date.now() + skewMs - Date.parse(fetchedAt)) / 1000));
    return s < 60 ? s + " s" : Math.floor(s / 60) + " min";
  }
  function show() {
    meta.className = state;
    var text = state === "failed" ? "No data: " + error
      : state === "stale" ? "Stale · " + age() + " old" + (error ? " · " + error : "")
      : "Updated " + age() + " ago";
    meta.textContent = (config.notice ? config.notice + " · " : "") + text;
  }
  function load() {
    if (busy) { return; }  // a tick while the last load runs is dropped
    busy = true;
    var url = config.figureUrl + (config.token ? "&token=" + encodeURIComponent(config.token) : "");
    fetch(url, {credentials: "same-origin"}).then(function (response) {
      fetchedAt = response.headers.get("X-Data-Fetched-At") || null;
      var serverTime = Date.parse(response.headers.get("X-Server-Time") || "");
      if (!isNaN(serverTime)) { skewMs = serverTime - Date.now(); }
      error = response.headers.get("X-Data-Error") || "";
      state = !fetchedAt ? "failed" : (response.headers.get("X-Data-Stale") === "true" ? "stale" : "ok");
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (figure) {
      Plotly.react("chart", figure.data, figure.layout, {responsive: true, displaylogo: false});
    }).catch(function (err) {
      state = fetchedAt ? "stale" : "failed"; error = String(err.message || err);
    }).then(function () { busy = false; show(); });
  }
  // A read-only token is renewed at half-life, in the address too, so a reload keeps working.
  function renew() {
    fetch(config.renewUrl + "?token=" + encodeURIComponent(config.token), {cache: "no-store"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body) { setTimeout(renew, 60000); return; }
        config.token = body.token;
        var address = new URL(window.location.href);
        address.searchParams.set("token", body.token);
        window.history.replaceState(null, "", address.toString());
        setTimeout(renew, body.renew_after_s * 1000);
      }).catch(function () { setTimeout(renew, 60000); });
  }
  if (config.token) { setTimeout(renew, config.renewInMs); }
  load();
  setInterval(load, config.refreshMs);
  setInterval(show, 1000);
})();
"""
"""The embed page's one script, served as a file (`embed-script.js`) so the CSP needs no inline script."""
