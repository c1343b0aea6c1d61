"""A host Flask application with the dashboard mounted under /insights/ and a chart embedded.

    make example          # or: .venv/bin/python examples/host_app.py   -> http://127.0.0.1:8060/

The host keeps its own routes, config and error pages; the dashboard lives at /insights/ and one of
its charts is embedded in the host's own page through /insights/embed/<chart-id>.
"""

from __future__ import annotations

import os

from flask import Flask

from dashboard import create_app

HOME = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme engineering portal</title>
<style>body {{ font-family: system-ui, sans-serif; margin: 2rem; }} iframe {{ border: 1px solid #ddd;
border-radius: 8px; }}</style></head>
<body>
<h1>Acme engineering portal</h1>
<p>The host's own page. The full dashboard is at <a href="/insights/">/insights/</a>;
one chart of it is embedded below.</p>
<iframe id="value-trend" title="Cumulative business value" src="/insights/embed/value-trend?range={range}"
        width="720" height="360"></iframe>
</body></html>"""


def build_host() -> Flask:
    host = Flask("acme_portal")
    host.config["PORTAL_NAME"] = "Acme engineering portal"

    @host.route("/")
    def home():
        return HOME.format(range="365d")

    @host.route("/about")
    def about():
        return {"portal": host.config["PORTAL_NAME"], "dashboard": "/insights/"}

    @host.errorhandler(404)
    def not_found(_error):
        return "Acme portal: nothing here", 404

    create_app(server=host, url_base_pathname="/insights/")
    return host


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8060"))
    print(f"Acme portal on http://127.0.0.1:{port}/  (dashboard at /insights/)", flush=True)
    build_host().run(host="127.0.0.1", port=port, threaded=True)
