"""Static delivery: no dash_table bundle, bundles compressed once at a high level, long caching
only where the URL is versioned, 304 on an unchanged unversioned file."""

import gzip
import re
from pathlib import Path

import brotli
import pytest

from dashboard import create_app
from dashboard.settings import Settings
from dashboard.web import asset_delivery

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = create_app(settings=Settings(data_dir=tmp_path_factory.mktemp("data")))
    asset_delivery.install(app)
    return app


@pytest.fixture()
def client(app):
    return app.server.test_client()


def _scripts(client) -> list[str]:
    return re.findall(r'<script src="([^"]+)"', client.get("/").get_data(as_text=True))


def test_no_dashboard_module_uses_dash_table():
    # If this fails, a page uses dash_table: install() then keeps its bundle (uses_dash_table()).
    users = [
        p
        for p in (ROOT / "dashboard").rglob("*.py")
        if re.search(r"dash_table|DataTable", p.read_text()) and p.name != "asset_delivery.py"
    ]
    assert users == []
    assert not asset_delivery.uses_dash_table()


def test_index_has_no_dash_table_bundle_but_keeps_the_others(client):
    scripts = _scripts(client)
    assert not [s for s in scripts if "dash_table" in s]
    assert [s for s in scripts if "dash_core_components" in s] and [s for s in scripts if "dash_ag_grid" in s]


def test_fingerprinted_bundle_is_brotli_from_memory_and_immutable(app, client):
    url = next(s for s in _scripts(client) if "dash_ag_grid" in s)
    first = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert first.status_code == 200
    assert first.headers["Content-Encoding"] == "br"
    assert first.headers["Cache-Control"] == asset_delivery.IMMUTABLE
    assert "Accept-Encoding" in first.headers["Vary"]
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert brotli.decompress(first.get_data()) == plain.get_data()
    assert len(first.get_data()) < len(plain.get_data()) / 3
    compressions = app.server.extensions["threads_dashboard_assets"].compressions
    again = client.get(url, headers={"Accept-Encoding": "br"})
    assert again.get_data() == first.get_data()
    assert app.server.extensions["threads_dashboard_assets"].compressions == compressions


def test_gzip_for_clients_without_brotli(client):
    url = next(s for s in _scripts(client) if "dash_renderer" in s)
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.get_data()) == client.get(url).get_data()


def test_unversioned_async_chunk_revalidates_with_a_304(client):
    url = "/_dash-component-suites/dash_ag_grid/async-community.js"
    first = client.get(url, headers={"Accept-Encoding": "br"})
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "br"
    assert "immutable" not in first.headers.get("Cache-Control", "")
    etag = first.headers["ETag"]
    second = client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert second.status_code == 304 and not second.get_data()


def test_versioned_asset_is_immutable_unversioned_is_not(client):
    css = re.search(r'href="(/assets/10-dashboard.css\?m=[^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    versioned = client.get(css, headers={"Accept-Encoding": "br"})
    assert versioned.headers["Cache-Control"] == asset_delivery.IMMUTABLE
    assert versioned.headers["Content-Encoding"] == "br"
    bare = client.get("/assets/10-dashboard.css", headers={"Accept-Encoding": "br"})
    assert "immutable" not in bare.headers.get("Cache-Control", "")
    assert brotli.decompress(bare.get_data()) == brotli.decompress(versioned.get_data())


def test_pages_are_left_to_flask_compress(client):
    page = client.get("/", headers={"Accept-Encoding": "br"})
    assert page.status_code == 200
    assert "immutable" not in page.headers.get("Cache-Control", "")
    assert page.headers.get("Content-Encoding") in (None, "br")  # flask-compress's choice, not cached here


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/nope/x.js",
        "/_dash-component-suites/dash/nope.js",
        "/_dash-component-suites/dash_ag_grid/../x.js",
    ],
)
def test_an_unknown_component_suite_path_is_a_404_not_a_500(client, path):
    """Dash raises DependencyException for a package or file it does not serve (issue 13, item 7)."""
    response = client.get(path)
    assert response.status_code == 404 and b"Traceback" not in response.data
    assert client.get("/_dash-component-suites/dash_ag_grid/dash_ag_grid.min.js").status_code == 200


def test_plotly_js_is_the_partial_bundle_of_the_version_plotly_ships(client):
    from plotly.offline import get_plotlyjs_version

    bundle = asset_delivery.PLOTLY_BUNDLE.read_bytes()
    # After a plotly upgrade this fails until `make vendor` fetches the matching partial bundle.
    assert f"plotly.js (basic - minified) v{get_plotlyjs_version()}".encode() in bundle[:200]
    url = "/_dash-component-suites/plotly/package_data/plotly.min.js"
    response = client.get(url, headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.mimetype == "application/javascript"
    assert brotli.decompress(response.get_data()) == bundle
    again = client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    # A client that takes neither brotli nor gzip gets the file as it is.
    assert client.get(url, headers={"Accept-Encoding": "identity"}).get_data() == bundle


@pytest.mark.parametrize(("path", "preloads"), [("/", True), ("/analytics/", True), ("/content", False)])
def test_pages_with_charts_ask_for_plotly_js_early_at_the_url_the_graph_loads(client, path, preloads):
    """Early where a chart is drawn at once; not on a page without one (Chrome warns of an
    unused preload, and the bytes would be wasted)."""
    page = client.get(path).get_data(as_text=True)
    head = page[: page.index("</head>")]
    link = '<link rel="preload" href="/_dash-component-suites/plotly/package_data/plotly.min.js" as="script">'
    assert (link in head) is preloads


def test_a_bundle_precompressed_at_install_is_served_from_disk(client, tmp_path, monkeypatch):
    """The install step's files are what a first request gets; a file it never compressed (an
    encoding it lacks, bytes changed since: another hash) is compressed on first use instead."""
    from dashboard.web import precompress

    url = "/_dash-component-suites/plotly/package_data/plotly.min.js"
    bundle = asset_delivery.PLOTLY_BUNDLE.read_bytes()
    made = brotli.compress(bundle, quality=1)  # unlike the q9 of first use: which one is served shows
    (tmp_path / (precompress.digest(bundle) + ".br")).write_bytes(made)
    monkeypatch.setattr(precompress, "PRECOMPRESSED_DIR", tmp_path)
    asset_delivery._PROCESS_CACHE._entries.clear()
    assert client.get(url, headers={"Accept-Encoding": "br"}).get_data() == made
    gz = client.get(url, headers={"Accept-Encoding": "gzip"}).get_data()  # no .gz there: made now
    assert gzip.decompress(gz) == bundle


def test_the_install_step_compresses_every_bundle_a_page_loads(tmp_path):
    from dashboard.web import precompress

    count, raw, compressed = precompress.compress_all(tmp_path, quality=1)
    names = {path.name for path in precompress.files()}
    assert {"plotly-basic.min.js", "dash_renderer.min.js", "dash_ag_grid.min.js", "async-graph.js"} <= names
    assert "dashboard.js" in names and not [n for n in names if n.endswith(".map")]
    assert len(list(tmp_path.glob("*.br"))) == len(list(tmp_path.glob("*.gz"))) <= count
    data = asset_delivery.PLOTLY_BUNDLE.read_bytes()
    assert brotli.decompress(precompress.lookup(data, "br", tmp_path)) == data
    assert gzip.decompress(precompress.lookup(data, "gzip", tmp_path)) == data
    assert 0 < compressed < raw / 3
    (tmp_path / "0000.br").write_bytes(b"from an older package")
    precompress.compress_all(tmp_path, quality=1)
    assert not (tmp_path / "0000.br").exists()
