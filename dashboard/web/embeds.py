"""Single panels for other applications: a JSON list, figure or KPI JSON, and an iframe page.

Every chart and KPI of the pages (dashboard/services/panels.py) is a panel:
- `GET <prefix>api/charts`: the embeddable panel ids with their kind and URLs.
- `GET <prefix>api/charts/<id>?range=30d&theme=dark` (or the navbar's `from=`/`to=`/`tz=`, and for
  an Analytics chart its `category=`/`published=`): a chart's figure as Plotly JSON, a KPI's
  numbers as JSON; the data's freshness in `X-Data-Fetched-At`, `X-Data-Stale` and `X-Data-Error`.
- `GET <prefix>embed/<id>?range=30d&refresh=60&theme=dark`: the panel alone, sized to its iframe,
  redrawn from the JSON endpoint every `refresh` seconds (never below the floor).
Opened with a read-only `?token=`, the embed passes it on to its data requests and renews it.
"""

from __future__ import annotations

import functools
import json
from datetime import datetime
from importlib import resources
from typing import Optional
from urllib.parse import urlencode

import flask
import plotly.io as pio
from markupsafe import Markup

from dashboard.charts.registry import FIGURES
from dashboard.charts.theme import empty_figure
from dashboard.domain.timerange import QUICK, RANGE_PARAMS
from dashboard.services.analytics import FILTER_KEYS
from dashboard.services.panels import PANELS, Panel, PanelRead, panel_params, panel_query, read_panel
from dashboard.settings import REFRESH_FLOOR_SECONDS
from dashboard.web import auth, runtime

bp = flask.Blueprint("threads_dashboard_embeds", __name__, template_folder="templates")


def install(server: flask.Flask, prefix: str) -> None:
    """/api/charts, /api/charts/<id>, /embed/<id> and /embed-script.js under `prefix`."""
    if bp.name not in server.blueprints:
        server.register_blueprint(bp, url_prefix=prefix)


@bp.route("/api/charts")
def charts_index() -> flask.Response:
    prefix = runtime.current().prefix
    return flask.jsonify(
        charts=[
            {
                "id": panel.id,
                "kind": panel.kind,
                "title": panel.title,
                "description": panel.description,
                "page": f"{prefix}{panel.page.lstrip('/')}",
                "figure_url": f"{prefix}api/charts/{panel.id}",
                "embed_url": f"{prefix}embed/{panel.id}",
            }
            for panel in PANELS.values()
        ]
    )


@bp.route("/api/charts/<chart_id>")
def chart_figure(chart_id: str) -> flask.Response:
    panel = PANELS.get(chart_id)
    if panel is None:
        return _unknown(chart_id)
    current = runtime.current()
    now = current.clock.now()
    query, problems = panel_query(
        panel, _panel_args(panel), now, currency=current.services.currency, tz=current.services.timezone
    )
    if problems:
        return _error(400, " ".join(problems))
    read = read_panel(panel, current.services, query)
    body = (
        _kpi_json(read) if panel.kind == "kpi" else _figure_json(read, dark=flask.request.args.get("theme") == "dark")
    )
    response = flask.Response(body, mimetype="application/json")
    fresh = read.fresh
    response.headers["X-Data-Fetched-At"] = utc_stamp(fresh.fetched_at) or ""
    # The server's now, so the page measures the data's age on the server's clock, not its own.
    response.headers["X-Server-Time"] = now.isoformat(timespec="milliseconds") + "Z"
    response.headers["X-Data-Stale"] = "true" if fresh.stale or fresh.value is None else "false"
    if fresh.error:
        response.headers["X-Data-Error"] = header_value(fresh.error)
    response.headers["Cache-Control"] = "no-store"
    return response


def _figure_json(read: PanelRead, *, dark: bool) -> str:
    """A chart drawn by the builder its page uses, from the rows its page's table shows."""
    if read.rows is None:
        figure = empty_figure(f"No data: {read.fresh.error}", dark=dark)
    else:
        figure = FIGURES[read.panel.id](read.rows, dark=dark)
    return str(pio.to_json(figure, validate=False))


def _kpi_json(read: PanelRead) -> str:
    """A KPI's number(s), as its card says them; an unknown number is null with the reason."""
    numbers = read.numbers
    time_range = read.query.time_range
    return json.dumps(
        {
            "id": read.panel.id,
            "title": read.panel.title,
            "range": {**time_range.query(), "tz": time_range.tz, "label": time_range.label()}
            if read.panel.ranged
            else None,
            "fetched_at": utc_stamp(read.fresh.fetched_at),
            **(
                numbers.as_json()
                if numbers is not None
                else {"value": None, "text": "—", "change": f"No data: {read.fresh.error}", "change_direction": "flat"}
            ),
        }
    )


@bp.route("/embed/<chart_id>")
def chart_embed(chart_id: str) -> flask.Response:
    current = runtime.current()
    prefix = current.prefix
    panel = PANELS.get(chart_id)
    if panel is None:
        return _unknown_page(chart_id, prefix)
    query, problems = panel_query(
        panel, _panel_args(panel), current.clock.now(), currency=current.services.currency, tz=current.services.timezone
    )
    refresh, refresh_problem = _refresh_argument(current.settings.refresh_seconds)
    theme = "dark" if flask.request.args.get("theme") == "dark" else "light"
    config = {
        "kind": panel.kind,
        "figureUrl": f"{prefix}api/charts/{panel.id}?"
        + urlencode({**panel_params(panel, query, current.services.timezone), "theme": theme}, doseq=True),
        "refreshMs": refresh * 1000,
        "notice": " ".join(p for p in (*problems, refresh_problem) if p),
        **_token_config(prefix),
    }
    page = flask.render_template(
        "threads_dashboard/embed.html",
        title=panel.title,
        kind=panel.kind,
        theme=theme,
        plotly=f"{prefix}_dash-component-suites/plotly/package_data/plotly.min.js",
        script_url=f"{prefix}embed-script.js",
        config=Markup(json_for_html(config)),  # safe inside <script>: json_for_html's promise
    )
    return flask.Response(page, mimetype="text/html")


def utc_stamp(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds") + "Z"


@bp.route("/embed-script.js")
def embed_script() -> flask.Response:
    """The embed page's one script, served as a file so the CSP needs no inline script."""
    response = flask.Response(_embed_script(), mimetype="text/javascript")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@functools.cache
def _embed_script() -> str:
    return resources.files("dashboard.web").joinpath("static/embed-script.js").read_text(encoding="utf-8")


HEADER_LIMIT = 300
"""Characters of a header made of another program's text (a backend's error, an nginx page)."""


def header_value(text: str, limit: int = HEADER_LIMIT) -> str:
    """Text from elsewhere as one header line: ASCII, no CR, LF or other control character
    (werkzeug refuses a header with a newline, which made the answer a 500), runs of white space
    as one space, at most `limit` characters."""
    printable = "".join(c if " " <= c <= "~" else " " for c in text.encode("ascii", "replace").decode())
    line = " ".join(printable.split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _token_config(prefix: str) -> dict[str, str | int]:
    """A page opened with a read-only token keeps using it, and renews it at half-life."""
    gate = auth.gate_of(flask.current_app)
    token = flask.request.args.get(auth.TOKEN_PARAMETER)
    if gate is None or not token:
        return {}
    read = gate.signer.read_token(token)
    if read is None:
        return {}
    return {
        "token": token,
        "renewUrl": f"{prefix}api/token/renew",
        "renewInMs": int(max(60.0, read.seconds_left() / 2) * 1000),
    }


REFRESH_CEILING_SECONDS = 86_400
"""Browsers run a setInterval of more than 2^31-1 ms at once, in a loop: a day is the most."""


def _panel_args(panel: Panel) -> dict[str, str | list[str]]:
    """The request's parameters that `panel` reads: the navbar's range (`?range=` or
    `?from=&to=&tz=`), and for an Analytics chart its filters; the others are not its business."""
    keep = (*RANGE_PARAMS, *(FILTER_KEYS if panel.filtered else ()))
    given: dict[str, list[str]] = {k: flask.request.args.getlist(k)[:20] for k in flask.request.args if k in keep}
    return {k: v[0] if len(v) == 1 else v for k, v in given.items()}


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


def _unknown(chart_id: str) -> flask.Response:
    return _error(404, f"Unknown chart {chart_id[:60]!r}. Known: {', '.join(PANELS)}.")


def _unknown_page(chart_id: str, prefix: str) -> flask.Response:
    """An iframe pointed at a wrong id shows, in the frame, which charts exist (HTML, 404)."""
    page = flask.render_template(
        "threads_dashboard/unknown_chart.html", chart=chart_id[:60], charts=PANELS.values(), prefix=prefix
    )
    return flask.Response(page, status=404, mimetype="text/html")


def _error(status: int, message: str) -> flask.Response:
    return flask.Response(
        json.dumps({"error": message, "ranges": list(QUICK)}), status=status, mimetype="application/json"
    )


def json_for_html(value: object) -> str:
    """JSON to put inside a <script> element: `<`, `>` and `&` as \\u escapes, so no text in it
    (`</script>`, `<!--<script>`, which sends the HTML parser into its double-escaped script state
    and swallows the rest of the page) is ever markup. Non-ASCII is escaped too (U+2028 included)."""
    return json.dumps(value, ensure_ascii=True).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
