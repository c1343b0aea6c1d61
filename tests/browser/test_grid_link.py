"""The Achievements grid's view is a link: sorted, filtered and searched, it survives a reload and
opens the same in a fresh browser; chips remove filters, an empty view says why."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard import create_app
from tests.browser.test_achievements import services_of, wait_until
from tests.conftest import free_port

pytestmark = pytest.mark.browser

MARK = "quokkamark"


@pytest.fixture
def app(make_settings):
    return create_app(settings=make_settings(refresh_seconds=3600))


def marked_rows(app):
    """Three achievements of our own making: two security ones, one performance, known impacts."""
    store = services_of(app).store
    picked = store.list_achievements()[:3]
    made = [
        ("security", 30.0),
        ("security", 70.0),
        ("performance", 50.0),
    ]
    for row, (category, impact) in zip(picked, made):
        store.update_achievement(row.id, {"title": f"{MARK} {row.title}", "category": category, "impact_score": impact})
    return [(row.id, category, impact) for row, (category, impact) in zip(picked, made)]


def shown_ids(dash_duo):
    """The ids of the rows drawn, top to bottom (read in one script: the grid redraws meanwhile)."""
    return dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('.ag-center-cols-container .ag-row[row-id]'))"
        ".sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)"
        ".map(e => Number(e.getAttribute('row-id')));"
    )


def rows_are(dash_duo, wanted, message):
    wait_until(lambda: shown_ids(dash_duo) == wanted, timeout=10, message=f"{message}: {wanted}")


def query_of(dash_duo):
    return parse_qs(urlsplit(dash_duo.driver.current_url).query)


def chips(dash_duo):
    """The chips' words (read in one script: no implicit wait when there are none)."""
    return dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('.grid-chip-text')).map(e => e.textContent);"
    )


def test_sorted_filtered_searched_grid_is_a_link(dash_duo, app, shared_chromium):
    rows = marked_rows(app)
    (low, _, _), (high, _, _), (perf, _, _) = rows
    dash_duo.start_server(app, port=free_port(), path="/achievements?refresh=off")
    dash_duo.wait_for_element(".ag-row[row-id] [col-id='impact_score']", timeout=15)

    search = dash_duo.find_element("#achievements-search")
    search.send_keys(MARK)
    wait_until(lambda: sorted(shown_ids(dash_duo)) == sorted([low, high, perf]), message="the three searched rows")
    # Sort by Impact, highest first: two clicks on its header.
    header = dash_duo.find_element(".ag-header-cell[col-id='impact_score'] .ag-header-cell-label")
    header.click()
    rows_are(dash_duo, [low, perf, high], "impact ascending")
    header.click()
    rows_are(dash_duo, [high, perf, low], "impact descending")
    # The category set filter: the menu's checklist.
    dash_duo.find_element(".achievements-category-filter-menu summary").click()
    dash_duo.find_element("#achievements-category-filter label[for$='_security']").click()
    rows_are(dash_duo, [high, low], "security only")
    wait_until(lambda: query_of(dash_duo).get("category") == ["security"], message="category in the URL")
    query = query_of(dash_duo)
    assert query["sort"] == ["-impact_score"] and query["q"] == [MARK] and query["refresh"] == ["off"]
    assert chips(dash_duo) == [f"Search “{MARK}”", "Category is security"]
    link = dash_duo.driver.current_url

    dash_duo.driver.refresh()
    dash_duo.wait_for_element(".grid-chip", timeout=15)
    rows_are(dash_duo, [high, low], "after a reload")
    assert chips(dash_duo) == [f"Search “{MARK}”", "Category is security"]
    assert dash_duo.find_element("#achievements-search").get_attribute("value") == MARK

    # A fresh browser (no cookies, no storage, no tab) given the link sees the same view.
    shared_chromium.reset(dash_duo.origins)
    dash_duo.driver.get(link)
    dash_duo.wait_for_element(".grid-chip", timeout=15)
    rows_are(dash_duo, [high, low], "the link in a fresh browser")
    assert dash_duo.driver.current_url == link

    # The view, named and saved (kept per person in the deployment's storage), for later.
    dash_duo.find_element(".grid-views-menu summary").click()
    dash_duo.find_element("#achievements-view-name").send_keys("Security quokkas ✓")
    dash_duo.find_element("#achievements-view-save").click()
    dash_duo.wait_for_text_to_equal("#achievements-view-message", "Saved “Security quokkas ✓”.", timeout=10)
    dash_duo.find_element(".grid-views-menu summary").click()  # closed again

    # A chip's × removes its filter only.
    dash_duo.find_element("[aria-label='Remove filter: Category is security']").click()
    rows_are(dash_duo, [high, perf, low], "category chip removed")
    wait_until(lambda: "category" not in query_of(dash_duo), message="category gone from the URL")
    assert chips(dash_duo) == [f"Search “{MARK}”"]
    wait_until(lambda: dash_duo.find_element("#achievements-footer").text == "Rows 1–3 of 3", message="footer")

    # The column chooser hides Tags, and the link says so.
    dash_duo.find_element(".achievements-columns-menu summary").click()
    dash_duo.find_element("#achievements-columns label[for$='_tags']").click()
    wait_until(
        # A script, not find_elements: that waits the implicit 2 s for an element that is gone.
        lambda: not dash_duo.driver.execute_script("return document.querySelector(\".ag-header-cell[col-id='tags']\")"),
        message="Tags hidden",
    )
    wait_until(lambda: "tags" not in query_of(dash_duo).get("cols", [""])[0].split(","), message="cols in the URL")
    assert query_of(dash_duo)["cols"][0].startswith("title,business_value,category,")
    dash_duo.find_element(".achievements-columns-menu summary").click()

    # A search nothing matches says which filters hide the rows, and clears them.
    dash_duo.find_element("#achievements-search").send_keys(" nowhere-to-be-found")
    dash_duo.wait_for_contains_text(".grid-empty", f"search “{MARK} nowhere-to-be-found”.", timeout=10)
    assert dash_duo.find_element(".grid-empty").text.startswith("No rows match:")
    dash_duo.find_element(".grid-empty .grid-clear-all").click()
    total = len(services_of(app).store.list_achievements())
    wait_until(lambda: len(shown_ids(dash_duo)) > 3, message="every row back")
    assert chips(dash_duo) == [] and dash_duo.find_element("#achievements-search").get_attribute("value") == ""
    assert "q" not in query_of(dash_duo) and query_of(dash_duo)["sort"] == ["-impact_score"]  # the sort stays
    wait_until(
        lambda: dash_duo.find_element("#achievements-footer").text.endswith(f" of {total:,}"), message="footer total"
    )

    # The saved view, from the menu, brings the whole view back.
    dash_duo.find_element(".grid-views-menu summary").click()
    dash_duo.find_element(".grid-view-link").click()
    dash_duo.wait_for_element(".grid-chip", timeout=15)
    rows_are(dash_duo, [high, low], "the saved view")
    assert chips(dash_duo) == [f"Search “{MARK}”", "Category is security"]
    assert dash_duo.get_logs() == []
