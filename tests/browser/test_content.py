"""The Content page in headless Chromium: the board, the editor, status changes, generation."""

from __future__ import annotations

import copy
import time
from datetime import timedelta

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from dashboard import create_app
from dashboard.services.content import posts as content
from dashboard.sources.embedded import templates
from dashboard.ui.pages.content import ids
from tests.browser.freshness_lines import line_text
from tests.browser.waiting import present
from tests.clock import now as clock_now
from tests.conftest import free_port

pytestmark = pytest.mark.browser


@pytest.fixture
def app(make_settings):
    # A long refresh: these tests drive writes, not ticks; every write refreshes the board itself.
    return create_app(settings=make_settings(refresh_seconds=3600))


def store_of(app):
    return app.server.extensions["threads_dashboard"].services.store


def open_page(dash_duo, app, query=""):
    dash_duo.start_server(app, port=free_port(), path="/content" + query)
    return dash_duo


def card(post_id) -> str:
    return f'.content-post[data-post-id="{post_id}"]'


def open_post(dash_duo, post_id):
    dash_duo.wait_for_element(f"{card(post_id)} .content-post-open", timeout=10).click()
    dash_duo.wait_for_text_to_equal(".offcanvas-title", f"Post #{post_id}", timeout=10)
    settled(dash_duo, ".offcanvas")


def open_generate(dash_duo):
    dash_duo.wait_for_element(f"#{ids.GENERATE_OPEN}", timeout=10).click()
    dash_duo.wait_for_element(f"#{ids.GENERATE_PERSONA}", timeout=10)
    settled(dash_duo, ".modal", moving=".modal-dialog")


def settled(dash_duo, selector, moving=None):
    """Wait out a panel's slide-in: a click during it can land beside a moving button."""
    # Asked in one script: find_elements would wait the driver's implicit 2 s for the absent `.showing`.
    shown = f"return !!document.querySelector('{selector}.show') && !document.querySelector('{selector}.showing');"
    wait_until(lambda: dash_duo.driver.execute_script(shown), message=f"{selector} shown")
    element = dash_duo.find_element(moving or selector)
    wait_until(
        lambda: element.value_of_css_property("transform") in ("none", "matrix(1, 0, 0, 1, 0, 0)"),
        message=f"{selector} in place",
    )


def replace_text(element, text):
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.DELETE)
    if text:
        element.send_keys(text)


def wait_until(predicate, timeout=10.0, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {message}")


def test_page_shows_the_pipeline_without_console_errors(dash_duo, app):
    posts = store_of(app).list_posts()
    open_page(dash_duo, app)
    dash_duo.wait_for_text_to_equal("h1", "Content pipeline", timeout=10)
    dash_duo.wait_for_text_to_equal(f"#{ids.kpi_value(ids.KPI_TOTAL)}", str(len(posts)), timeout=10)
    for status, tile in (
        ("draft", ids.KPI_DRAFTS),
        ("ready", ids.KPI_READY),
        ("scheduled", ids.KPI_SCHEDULED),
        ("published", ids.KPI_PUBLISHED),
    ):
        count = sum(p.status == status for p in posts)
        assert dash_duo.find_element(f"#{ids.kpi_value(tile)}").text == str(count)
        header = dash_duo.find_element(f"#{ids.column(status)} .content-column-count").text
        assert header == str(count)
    newest = posts[0]
    assert dash_duo.find_element(f"#{ids.column(newest.status)} .content-post-open").text.startswith(newest.hook[:40])
    labels = [b.text for b in dash_duo.find_elements(f"{card(newest.id)} .platform-badge")]
    assert labels == [content.PLATFORM_LABELS[p] for p in newest.platforms]
    assert "Updated" in line_text(dash_duo, f"#{ids.BOARD_CARD} .tile-freshness")
    assert dash_duo.get_logs() == []


def test_a_generated_post_appears_on_the_board(dash_duo, app):
    store = store_of(app)
    before = store.list_posts()
    open_page(dash_duo, app)
    dash_duo.wait_for_text_to_equal(f"#{ids.kpi_value(ids.KPI_TOTAL)}", str(len(before)), timeout=10)
    open_generate(dash_duo)
    persona = dash_duo.find_element(f"#{ids.GENERATE_PERSONA}")
    wait_until(lambda: persona.get_attribute("value") == content.known_personas(before)[0], message="persona")
    dash_duo.wait_for_contains_text(f"#{ids.GENERATE_PREVIEW}", "Will write about:", timeout=10)
    chosen = content.recent_high_impact(store.list_achievements(), clock_now())
    assert dash_duo.find_element(f"#{ids.GENERATE_PREVIEW}").text == (
        "Will write about: " + "; ".join(a.title for a in chosen)
    )
    dash_duo.find_element(f"#{ids.GENERATE_SUBMIT}").click()

    new_id = max(p.id for p in before) + 1
    dash_duo.wait_for_contains_text(".content-job--done", f"Post #{new_id} written as draft", timeout=10)
    hook, _ = templates.draft_from_achievements(chosen)
    dash_duo.wait_for_text_to_equal(f"#{ids.column('draft')} {card(new_id)} .content-post-open", hook, timeout=10)
    dash_duo.wait_for_text_to_equal(f"#{ids.kpi_value(ids.KPI_TOTAL)}", str(len(before) + 1), timeout=10)
    stored = store.get_post(new_id)
    assert stored.hook == hook and stored.status == "draft" and stored.platforms == ["dev.to", "linkedin"]

    # "Open post" in the message opens the new draft's editor.
    dash_duo.find_element(".content-job--done .content-post-open").click()
    dash_duo.wait_for_text_to_equal(".offcanvas-title", f"Post #{new_id}", timeout=10)
    assert dash_duo.find_element(f"#{ids.HOOK}").get_attribute("value") == hook
    assert dash_duo.get_logs() == []


def test_a_refused_generation_keeps_the_form(dash_duo, app):
    store = store_of(app)
    count = len(store.list_posts())
    open_page(dash_duo, app)
    open_generate(dash_duo)
    for box in dash_duo.find_elements(f"#{ids.GENERATE_PLATFORMS} input:checked"):
        box.click()
    minimum = dash_duo.wait_for_element(f"#{ids.GENERATE_MIN_VALUE}", timeout=5)
    minimum.send_keys("123,456,789")
    dash_duo.find_element(f"#{ids.GENERATE_SUBMIT}").click()
    dash_duo.wait_for_contains_text(".content-generate-error", "Platforms: none chosen", timeout=10)
    assert minimum.get_attribute("value") == "123,456,789"

    dash_duo.find_element(f"#{ids.GENERATE_PLATFORMS} input[value='threads']").click()
    dash_duo.find_element(f"#{ids.GENERATE_SUBMIT}").click()
    dash_duo.wait_for_contains_text(".content-generate-error", "is worth $123,456,789 or more", timeout=10)
    assert minimum.get_attribute("value") == "123,456,789"
    assert [b.get_attribute("value") for b in dash_duo.find_elements(f"#{ids.GENERATE_PLATFORMS} input:checked")] == [
        "threads"
    ]
    assert len(store.list_posts()) == count
    assert dash_duo.get_logs() == []


def test_editing_a_posts_hook_saves_it(dash_duo, app):
    store = store_of(app)
    post = store.list_posts()[0]
    open_page(dash_duo, app)
    open_post(dash_duo, post.id)
    hook = dash_duo.find_element(f"#{ids.HOOK}")
    assert hook.get_attribute("value") == post.hook
    replace_text(hook, "A hook that was edited in the browser")
    dash_duo.find_element(f"#{ids.SAVE}").click()
    dash_duo.wait_for_text_to_equal(".content-result--saved", "Saved hook.", timeout=10)
    assert store.get_post(post.id).hook == "A hook that was edited in the browser"
    assert store.get_post(post.id).body == post.body
    dash_duo.wait_for_text_to_equal(
        f"{card(post.id)} .content-post-open", "A hook that was edited in the browser", timeout=10
    )

    # A refused edit keeps what was typed and writes nothing.
    replace_text(hook, "")
    body = dash_duo.find_element(f"#{ids.BODY}")
    body.send_keys(" More words.")
    dash_duo.find_element(f"#{ids.SAVE}").click()
    dash_duo.wait_for_contains_text(".content-result--invalid", "Hook: must not be empty", timeout=10)
    assert body.get_attribute("value") == post.body + " More words."
    assert store.get_post(post.id).hook == "A hook that was edited in the browser"
    assert dash_duo.get_logs() == []


def test_status_moves_along_the_pipeline_in_the_embedded_store(dash_duo, app):
    store = store_of(app)
    draft = next(p for p in store.list_posts() if p.status == "draft")
    open_page(dash_duo, app)
    open_post(dash_duo, draft.id)
    assert not dash_duo.find_element(f"#{ids.status_to('published')}").is_displayed()
    mark_ready = dash_duo.find_element(f"#{ids.status_to('ready')}")
    assert mark_ready.text == "Mark ready"
    mark_ready.click()
    dash_duo.wait_for_text_to_equal(".content-result--saved", "Moved from draft to ready.", timeout=10)
    assert store.get_post(draft.id).status == "ready"
    dash_duo.wait_for_text_to_equal(f"#{ids.DETAIL_STATUS_BADGE}", "Ready", timeout=10)
    assert dash_duo.find_element(f"#{ids.status_to('scheduled')}").text == "Schedule"
    dash_duo.wait_for_element(f"#{ids.column('ready')} {card(draft.id)}", timeout=10)
    assert dash_duo.get_logs() == []


def test_view_platform_and_open_post_are_kept_in_the_url(dash_duo, app):
    posts = store_of(app).list_posts()
    open_page(dash_duo, app)
    dash_duo.wait_for_element(card(posts[0].id), timeout=10)
    dash_duo.find_element(f'label[for="_dbcprivate_radioitems_{ids.VIEW}_input_table"]').click()
    dash_duo.wait_for_element(".content-table", timeout=10)
    dash_duo.driver.execute_script(
        "arguments[0].value = 'threads'; arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
        dash_duo.find_element(f"#{ids.PLATFORM}"),
    )
    threads_posts = [p for p in posts if "threads" in p.platforms]
    wait_until(
        lambda: len(dash_duo.find_elements(".content-table tr[data-post-id]")) == len(threads_posts),
        message="the table filtered to Threads",
    )
    # The KPIs follow the filter, and the line over them says so.
    dash_duo.wait_for_text_to_equal(f"#{ids.kpi_value(ids.KPI_TOTAL)}", str(len(threads_posts)), timeout=10)
    drafts = sum(p.status == "draft" for p in threads_posts)
    assert dash_duo.find_element(f"#{ids.kpi_value(ids.KPI_DRAFTS)}").text == str(drafts)
    assert dash_duo.find_element(f"#{ids.KPI_SCOPE}").text == "Threads only: counted from the posts list."
    dash_duo.find_element(f'.content-table tr[data-post-id="{threads_posts[0].id}"] .content-post-open').click()
    dash_duo.wait_for_text_to_equal(".offcanvas-title", f"Post #{threads_posts[0].id}", timeout=10)
    wait_until(lambda: "post=" in dash_duo.driver.current_url, message="post in the URL")
    url = dash_duo.driver.current_url
    assert "view=table" in url and "platform=threads" in url and f"post={threads_posts[0].id}" in url

    dash_duo.driver.get(url)  # the link reproduces the view
    dash_duo.wait_for_text_to_equal(".offcanvas-title", f"Post #{threads_posts[0].id}", timeout=10)
    wait_until(
        lambda: len(dash_duo.find_elements(".content-table tr[data-post-id]")) == len(threads_posts),
        message="the table filtered to Threads after reload",
    )
    assert dash_duo.get_logs() == []


def test_a_bad_url_is_explained_and_a_post_that_is_not_there_has_no_form(dash_duo, app):
    open_page(dash_duo, app, "?view=kanban&platform=threads&post=99999")
    dash_duo.wait_for_contains_text(f"#{ids.URL_PROBLEM}", "Unknown view 'kanban'", timeout=10)
    dash_duo.wait_for_text_to_equal(".offcanvas-title", "Post not found", timeout=10)
    settled(dash_duo, ".offcanvas")
    assert dash_duo.find_element(".content-no-post p").text == (
        "No post has the id 99999. It may have been deleted, or the link that led here is mistyped."
    )
    assert not dash_duo.find_element(f"#{ids.SAVE}").is_displayed()
    assert not dash_duo.find_element(f"#{ids.HOOK}").is_displayed()
    assert "post=99999" in dash_duo.driver.current_url  # the address still says what is shown

    dash_duo.find_element(".content-no-post a").click()  # "Back to the pipeline"
    wait_until(lambda: not present(dash_duo, ".offcanvas.show"), message="the panel closed")
    wait_until(lambda: "post=" not in dash_duo.driver.current_url, message="no post in the URL")
    assert "platform=threads" in dash_duo.driver.current_url  # the way back keeps the filter
    dash_duo.wait_for_element(f"#{ids.column('draft')}", timeout=10)

    dash_duo.driver.get(dash_duo.server_url + "/content?post=%D9%A1%D9%A2%3Cb%3E")  # "١٢<b>": no id
    dash_duo.wait_for_text_to_equal(".offcanvas-title", "Post not found", timeout=10)
    dash_duo.wait_for_text_to_equal(
        ".content-no-post p", "“١٢<b>” is not a post id: a post id is a positive whole number.", timeout=10
    )
    assert not present(dash_duo, f"#{ids.URL_PROBLEM}")
    assert dash_duo.get_logs() == []


# Against the orchestrator's contract (the fake, over real HTTP) ---------------------------------


def recent_achievement(backends) -> dict:
    """A copy of a recorded achievement, completed yesterday: the default choice of Generate."""
    item = copy.deepcopy(backends.achievements[0])
    now = clock_now()
    item.update(
        id=max(a["id"] for a in backends.achievements) + 1,
        title="Shipped the content pipeline page",
        started_at=(now - timedelta(days=2)).isoformat(),
        completed_at=(now - timedelta(days=1)).isoformat(),
        impact_score=99.0,
    )
    with backends.lock:
        backends.achievements.append(item)
    return item


def test_against_the_orchestrator_status_is_read_only_and_the_preview_is_its_answer(dash_duo, make_settings):
    from tests.fakes import FakeBackends, adaptation

    with FakeBackends() as backends:
        app = create_app(
            settings=make_settings(
                achievement_api_url=backends.achievement_url,
                orchestrator_url=backends.orchestrator_url,
                refresh_seconds=3600,
            )
        )
        post = max(backends.posts, key=lambda p: p["created_at"])
        with backends.lock:  # a long post: longer than Threads takes
            post.update(body=("We measured every step before changing any of it. " * 10).strip(), platforms=["threads"])
        open_page(dash_duo, app)
        dash_duo.wait_for_contains_text(f"#{ids.BOARD_SOURCE}", "status is read-only", timeout=10)
        open_post(dash_duo, post["id"])
        dash_duo.wait_for_contains_text(".content-status-readonly", "stores only a post's hook and body", timeout=10)
        assert not any(
            dash_duo.find_element(f"#{ids.status_to(s)}").is_displayed()
            for s in ("draft", "ready", "scheduled", "published")
        )
        offered = [b.get_attribute("value") for b in dash_duo.find_elements(f"#{ids.ADAPT_PLATFORMS} input")]
        assert offered == list(content.CONTENT_PLATFORMS)

        dash_duo.find_element(f"#{ids.ADAPT_RUN}").click()
        dash_duo.wait_for_element(".content-adapt", timeout=10)
        assert backends.requests_to("POST /content/posts/{post_id}/adapt")[-1].body == ["threads"]
        expected = adaptation(post, "threads")
        length = len(expected["content"].strip())
        count = dash_duo.find_element(".content-adapt-count")
        assert count.text == f"{length:,} / 500 · {length - 500:,} over the Threads limit"
        assert "content-adapt-count--over" in count.get_attribute("class")
        # The hook is the text's first line and is not shown again; the hashtags are listed once.
        assert dash_duo.find_element(".content-adapt-text").text.startswith(f"[threads] {post['hook']}")
        assert not present(dash_duo, ".content-adapt-title")
        tags = [b.text for b in dash_duo.find_elements(".content-adapt-hashtags .badge")]
        assert tags == expected["hashtags"]
        assert dash_duo.find_element(".content-adapt-engagement").text == f"{expected['estimated_engagement']:.4g}"

        replace_text(dash_duo.find_element(f"#{ids.HOOK}"), "Edited against the orchestrator")
        dash_duo.find_element(f"#{ids.SAVE}").click()
        dash_duo.wait_for_text_to_equal(".content-result--saved", "Saved hook.", timeout=10)
        put = backends.requests_to("PUT /content/posts/{post_id}")[-1]
        assert put.path == f"/content/posts/{post['id']}" and put.body == {"hook": "Edited against the orchestrator"}
        assert dash_duo.get_logs() == []


def test_double_clicking_generate_queues_one_task(dash_duo, make_settings):
    from tests.fakes import FakeBackends

    with FakeBackends() as backends:
        recent_achievement(backends)
        backends.set_fault("orchestrator", "slow", delay=0.5)  # the button stays busy through both clicks
        app = create_app(
            settings=make_settings(
                achievement_api_url=backends.achievement_url,
                orchestrator_url=backends.orchestrator_url,
                refresh_seconds=3600,
            )
        )
        open_page(dash_duo, app)
        open_generate(dash_duo)
        dash_duo.wait_for_contains_text(f"#{ids.GENERATE_PREVIEW}", "Shipped the content pipeline page", timeout=15)
        assert "not part of that call" in dash_duo.find_element(f"#{ids.GENERATE_SOURCE}").text
        ActionChains(dash_duo.driver).double_click(dash_duo.find_element(f"#{ids.GENERATE_SUBMIT}")).perform()
        dash_duo.wait_for_contains_text(".content-job--queued", "Task ", timeout=15)
        tasks = backends.requests_to("POST /task")
        assert len(tasks) == 1 and len(backends.tasks) == 1
        assert f"Task {backends.tasks[0]['task_id']}" in dash_duo.find_element(".content-job--queued").text
        assert "Shipped the content pipeline page" in tasks[0].body["pain_statement"]
        time.sleep(1.5)  # a second request, had one been sent, would have reached the fake by now
        assert len(backends.requests_to("POST /task")) == 1
        assert dash_duo.get_logs() == []
