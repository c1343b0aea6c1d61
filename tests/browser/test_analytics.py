"""The Analytics page in headless Chromium: filters in the URL, charts, CSV export, tech-doc-generator."""

from __future__ import annotations

import csv
import json
import os
from collections import defaultdict
from datetime import datetime, timedelta

import pytest
from selenium.webdriver.common.by import By

from dashboard import create_app
from dashboard.domain.models import Achievement
from tests.browser.freshness_lines import wait_for_line
from tests.browser.time_range import open_picker, pick_quick_range
from tests.browser.waiting import wait_until
from tests.clock import now as clock_now
from tests.conftest import free_port

pytestmark = pytest.mark.browser


def store_of(app):
    return app.server.extensions["threads_dashboard"].services.store


def start(dash_duo, app, path):
    dash_duo.start_server(app, port=free_port(), path=path)
    dash_duo.wait_for_text_to_equal("h1", "Analytics", timeout=10)
    return dash_duo


def traces(dash_duo, chart):
    """What plotly drew in a chart: name and x of each trace."""
    script = (
        f"var gd = document.querySelector('#analytics-{chart}-graph .js-plotly-plot');"
        "return gd && gd.data ? JSON.stringify(gd.data.map(t => ({name: t.name || null, x: t.x || [],"
        " y: t.y || []}))) : null;"
    )
    raw = dash_duo.driver.execute_script(script)
    return None if raw is None else json.loads(raw)


def annotations(dash_duo, chart):
    script = (
        f"var gd = document.querySelector('#analytics-{chart}-graph .js-plotly-plot');"
        "return gd && gd.layout ? (gd.layout.annotations || []).map(a => a.text) : null;"
    )
    return dash_duo.driver.execute_script(script)


def count_shown(dash_duo):
    return dash_duo.find_element("#analytics-summary-count").text


def wait_count(dash_duo, items, message):
    """Wait until the page's summary counts `items`."""
    wait_until(lambda: count_shown(dash_duo) == f"{len(items):,} achievements", message=message)


def click_option(dash_duo, control, label):
    dash_duo.driver.find_element(By.XPATH, f"//*[@id='{control}']//label[normalize-space()='{label}']").click()


def click(dash_duo, selector):
    """Click a button below the fold; retried while charts above it are still changing the layout."""

    def attempt():
        element = dash_duo.find_element(selector)
        # Bootstrap's smooth scrolling would move the button while selenium clicks where it was.
        dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
        element.click()
        return True

    wait_until(attempt, timeout=15, message=f"a click on {selector}")


def downloaded_csv(dash_duo, prefix):
    folder = dash_duo.download_path

    def found():
        return next((n for n in os.listdir(folder) if n.startswith(prefix) and n.endswith(".csv")), None)

    name = wait_until(found, message=f"{prefix} download")
    with open(os.path.join(folder, name), newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_filters_change_the_charts_and_the_url(dash_duo, make_settings):
    # A long refresh: what changes the charts here is the filters, not ticks.
    app = create_app(settings=make_settings(refresh_seconds=3600))
    items = store_of(app).list_achievements()

    def shown_for(days=None, category=None, published=False):
        now = clock_now()
        return [
            a
            for a in items
            if (days is None or a.completed_at >= now - timedelta(days=days))
            and (category is None or a.category == category)
            and (not published or a.portfolio_ready)
        ]

    start(dash_duo, app, "/analytics")
    wait_count(dash_duo, shown_for(365), "default view")

    click_option(dash_duo, "analytics-category", "bugfix")
    wait_until(lambda: "category=bugfix" in dash_duo.driver.current_url, message="category in the URL")
    bugfix = shown_for(365, "bugfix")
    wait_count(dash_duo, bugfix, "bugfix count")
    wait_until(lambda: [t["name"] for t in traces(dash_duo, "categories")] == ["bugfix"], message="one category")
    wait_until(lambda: sum(len(t["x"]) for t in traces(dash_duo, "impact")) == len(bugfix), message="impact dots")

    dash_duo.find_element("#analytics-published").click()
    wait_until(lambda: "published=1" in dash_duo.driver.current_url, message="published in the URL")
    published = shown_for(365, "bugfix", published=True)
    wait_count(dash_duo, published, "published count")

    pick_quick_range(dash_duo, "All time")
    wait_until(lambda: "range=all" in dash_duo.driver.current_url, message="range in the URL")
    every = shown_for(None, "bugfix", published=True)
    wait_count(dash_duo, every, "all-time count")
    prs = [a for a in every if a.source_type == "github_pr"]
    dots = lambda: sum(len(t["x"]) for t in traces(dash_duo, "prs") if t["name"] != "PRs merged")  # noqa: E731
    wait_until(lambda: dots() == len(prs), message="PR dots (one trace a category; the climbing line apart)")
    assert "category=bugfix" in dash_duo.driver.current_url
    assert "All time · bugfix · published only" in dash_duo.find_element("#analytics-summary").text

    # The link reproduces the view: open it afresh.
    dash_duo.driver.get(dash_duo.driver.current_url)
    wait_count(dash_duo, every, "same view from the link")
    assert dash_duo.find_element("#analytics-published").is_selected()
    assert dash_duo.get_logs() == []


def test_url_sets_the_view_and_bad_parameters_are_explained(dash_duo, make_settings):
    app = create_app(settings=make_settings(refresh_seconds=3600))
    items = store_of(app).list_achievements()
    today = clock_now().date()
    first, last = today - timedelta(days=150), today - timedelta(days=30)
    start(dash_duo, app, f"/analytics?from={first}&to={last}&category=feature&category=nope&published=maybe")

    expected = [a for a in items if a.category == "feature" and first <= a.completed_at.date() <= last]
    wait_count(dash_duo, expected, "custom range count")
    problems = dash_duo.find_element("#analytics-filter-problems").text
    assert "Unknown category 'nope': ignored" in problems
    assert "published='maybe' is not yes or no" in problems
    dash_duo.wait_for_text_to_equal("#time-range-label", f"{first} → {last}", timeout=10)
    open_picker(dash_duo)
    assert dash_duo.find_element("#time-range-from").get_attribute("value") == first.isoformat()
    assert dash_duo.find_element("#time-range-to").get_attribute("value") == last.isoformat()
    drawn = wait_until(lambda: traces(dash_duo, "value"), message="value chart")
    months = {month for trace in drawn for month in trace["x"]}
    assert months <= {f"{d.year:04d}-{d.month:02d}" for d in (first + timedelta(days=n) for n in range(121))}
    # The bad parameters stay in the address bar as typed: the page explains, it does not rewrite.
    assert "category=nope" in dash_duo.driver.current_url

    # Without TECH_DOC_API_URL the platform tile says so, and why, and draws nothing.
    wait_until(
        lambda: annotations(dash_duo, "platform") == ["Not available from tech-doc-generator"],
        message="platform not available",
    )
    wait_until(lambda: traces(dash_duo, "platform") == [], message="no platform bars")
    reason = dash_duo.find_element("#analytics-platform-reason").text
    assert reason == "Reason: TECH_DOC_API_URL is not configured"
    card = dash_duo.find_element("#analytics-platform-card").get_attribute("class")
    assert "tile--unavailable" in card and "tile--failed" not in card
    assert dash_duo.find_element("#analytics-platform-status").text == "Not available"
    assert not dash_duo.find_element("#analytics-platform-card .export-button").is_enabled()
    assert dash_duo.get_logs() == []


def test_csv_export_holds_the_rows_the_chart_draws(dash_duo, make_settings):
    app = create_app(settings=make_settings(refresh_seconds=3600))
    store = store_of(app)
    # The test's own rows, three years back: the sample data (the last twelve months) has none
    # there, so the view holds exactly these whatever day the suite runs on.
    day = clock_now().date() - timedelta(days=3 * 365)
    completed = datetime(day.year, day.month, day.day, 12)

    def achievement(ident, title, *, hours, source_type="github_pr", tags=("@ops",), skills=("-Python",)):
        return Achievement(
            id=ident,
            title=title,
            category="security",
            started_at=completed - timedelta(days=3),
            completed_at=completed + timedelta(hours=hours),
            source_type=source_type,
            source_id=f"PR-{ident}",
            business_value="$5,000",
            tags=list(tags),
            skills_demonstrated=list(skills),
        )

    mine = [
        achievement(99_001, '=HYPERLINK("http://evil.example","click")', hours=1),
        achievement(99_002, "Rotate the signing keys", hours=2, tags=("@ops", "keys")),
        achievement(99_003, "Pin the base image", hours=3, source_type="manual", tags=("images",)),
        achievement(99_004, "Sign the release artefacts", hours=4, skills=("Supply chain",)),
    ]
    for item in mine:
        store.save_achievement(item)
    start(dash_duo, app, f"/analytics?from={day - timedelta(days=1)}&to={day + timedelta(days=1)}&category=security")
    wait_count(dash_duo, mine, "the test's own rows")

    click(dash_duo, "#analytics-prs-card .export-button")
    rows = downloaded_csv(dash_duo, "analytics-prs-")
    prs = [a for a in mine if a.source_type == "github_pr"]
    assert [int(r["id"]) for r in rows] == [a.id for a in prs]
    assert [int(r["merged_count"]) for r in rows] == list(range(1, len(prs) + 1))
    formula = next(r for r in rows if r["id"] == "99001")
    # A title that a spreadsheet would run as a formula stays text.
    assert formula["title"] == "'" + '=HYPERLINK("http://evil.example","click")'
    assert formula["pr"] == "PR-99001" and float(formula["value"]) == 5000
    wait_until(lambda: len(traces(dash_duo, "prs")[0]["x"]) == len(rows), message="the PRs exported are drawn")

    click(dash_duo, "#analytics-skills-card .export-button")
    skills = {(r["kind"], r["name"]): r for r in downloaded_csv(dash_duo, "analytics-skills-")}
    # Counted as the rows say, and a leading @ or - (formula triggers) neutralised.
    assert int(skills[("tag", "'@ops")]["achievements"]) == 3
    assert int(skills[("tag", "keys")]["achievements"]) == 1
    assert int(skills[("skill", "'-Python")]["achievements"]) == 3
    assert int(skills[("skill", "Supply chain")]["achievements"]) == 1
    assert dash_duo.get_logs() == []


def test_platform_performance_comes_from_tech_doc_generator_when_it_answers(dash_duo, make_settings):
    from tests.fakes import FakeBackends

    with FakeBackends(techdoc_performance_mounted=False) as backends:
        app = create_app(
            settings=make_settings(
                achievement_api_url=backends.achievement_url,
                orchestrator_url=backends.orchestrator_url,
                tech_doc_api_url=backends.tech_doc_url,
                refresh_seconds=5,
                cache_ttl_seconds=1.0,
                retry_backoff_seconds=0.5,
            )
        )
        start(dash_duo, app, "/analytics?range=all")
        wait_count(dash_duo, backends.achievements, "the collector's achievements")
        prs = [a for a in backends.achievements if a["source_type"] == "github_pr"]
        wait_until(lambda: len(traces(dash_duo, "prs")[0]["x"]) == len(prs), message="every PR drawn")

        # The real service does not mount the endpoint: said, with the reason, no numbers.
        wait_until(
            lambda: "is not offered" in dash_duo.find_element("#analytics-platform-reason").text, message="not offered"
        )
        wait_until(lambda: traces(dash_duo, "platform") == [], message="no platform bars")

        # Once it answers, the next tick draws what it sent.
        backends.techdoc_performance_mounted = True
        engagement = defaultdict(list)
        for article in backends.articles:
            for platform, metrics in article["performance_metrics"].items():
                engagement[platform].append(metrics["engagement_score"])
        wait_until(lambda: traces(dash_duo, "platform"), timeout=15, message="platform bars")
        (bars,) = traces(dash_duo, "platform")
        drawn = dict(zip(bars["x"], bars["y"]))
        assert set(drawn) == set(engagement)
        for platform, scores in engagement.items():
            assert drawn[platform] == pytest.approx(sum(scores) / len(scores), abs=0.01)
        facts = dash_duo.find_element("#analytics-platform-facts").text
        assert f"{len(backends.articles)} articles generated" in facts
        assert "tile--ok" in dash_duo.find_element("#analytics-platform-card").get_attribute("class")
        wait_for_line(dash_duo, "#analytics-platform-card .tile-freshness", "Updated", timeout=5)

        click(dash_duo, "#analytics-platform-card .export-button")
        rows = downloaded_csv(dash_duo, "analytics-platform-")
        assert {r["platform"]: float(r["avg_engagement"]) for r in rows} == pytest.approx(drawn)

        # The collector stops: its tiles keep their charts, marked stale.
        backends.set_fault("achievement-collector", "down")
        wait_for_line(dash_duo, "#analytics-value-card .tile-freshness", "Stale", timeout=15)
        assert "tile--stale" in dash_duo.find_element("#analytics-value-card").get_attribute("class")
        assert traces(dash_duo, "value")
        assert dash_duo.get_logs() == []
