"""A host Flask app with the dashboard under a prefix: its routes, the pages, and an embedded chart."""

from __future__ import annotations

import flask
import pytest

from dashboard import create_app
from tests.conftest import free_port

pytestmark = pytest.mark.browser


def test_host_page_with_an_embedded_chart_and_the_mounted_dashboard(dash_duo, make_settings):
    host = flask.Flask("host")

    @host.route("/")
    def home():
        return (
            '<h1 id="host-title">Host portal</h1>'
            '<iframe id="chart" src="/insights/embed/value-by-category?range=all" width="700" height="360">'
            "</iframe>"
        )

    @host.route("/favicon.ico")
    def favicon():
        return "", 204

    app = create_app(server=host, url_base_pathname="/insights/", settings=make_settings())
    port = free_port()
    dash_duo.start_server(app, navigate=False, port=port)  # "/" is the host's page, not Dash's
    base = f"http://localhost:{port}"
    dash_duo.driver.get(base + "/")  # the host's page, not a Dash page
    dash_duo.wait_for_text_to_equal("#host-title", "Host portal", timeout=10)
    dash_duo.driver.switch_to.frame(dash_duo.find_element("#chart"))
    dash_duo.wait_for_element(".main-svg .barlayer .point", timeout=15)
    dash_duo.wait_for_contains_text("#meta", "Updated", timeout=10)
    dash_duo.driver.switch_to.default_content()

    dash_duo.wait_for_page(url=base + "/insights/achievements")
    dash_duo.wait_for_text_to_equal("h1", "Achievements", timeout=15)
    links = [a.get_attribute("href") for a in dash_duo.find_elements(".app-navbar .nav-link")]
    assert all("/insights/" in href for href in links)
    assert dash_duo.get_logs() == []
