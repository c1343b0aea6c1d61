"""Sign-in and session hardening (issue 13, "Smaller hardening"), over real HTTP where the
transport matters (parallel guesses, gunicorn's scheme handling) and with a real Redis where
state must be shared by workers."""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from bench.dash_payloads import find_callback, request_for
from dashboard import create_app
from dashboard.web.auth import CSRF_COOKIE, SESSION_COOKIE, Signer
from tests.conftest import free_port
from tests.integration.test_auth import HTML, PASSWORDS, SECRET, callback, csrf_of, sign_in, write_users

GUESSES = 40
ALLOWED = 5  # Settings.login_attempts (DASHBOARD_LOGIN_ATTEMPTS), said as the README says it


@contextlib.contextmanager
def served(app):
    """The app on a real threaded HTTP server (werkzeug's), on a free loopback port."""
    server = make_server("127.0.0.1", free_port(), app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def login_form(base_url: str) -> tuple[str, str]:
    """(login_csrf cookie, the form's csrf value) of one sign-in page."""
    page = httpx.get(f"{base_url}/login", timeout=10)
    value = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return page.cookies["login_csrf"], value


def parallel_guesses(base_url: str, name: str = "ada", count: int = GUESSES) -> list[int]:
    """`count` wrong passwords for one name from one address, all at once; their statuses."""
    cookie, csrf = login_form(base_url)
    start = threading.Barrier(count)

    def guess(n: int) -> int:
        with httpx.Client(base_url=base_url, cookies={"login_csrf": cookie}, timeout=30) as client:
            start.wait()
            return client.post(
                "/login", data={"username": name, "password": f"wrong-guess-{n}", "csrf_token": csrf}
            ).status_code

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(guess, range(count)))


def password_env(users_file, **extra) -> dict:
    return {
        "DASHBOARD_AUTH": "password",
        "SECRET_KEY": SECRET,
        "DASHBOARD_USERS_FILE": str(users_file),
        "DASHBOARD_COOKIE_SECURE": "false",
        **extra,
    }


@pytest.fixture
def users_file(tmp_path):
    return write_users(tmp_path / "users.yaml")


@pytest.fixture
def password_app(make_settings, users_file):
    return create_app(
        settings=make_settings(auth="password", secret_key=SECRET, users_file=users_file, cookie_secure=False)
    )


# 1. Lock-out counting --------------------------------------------------------------------------


@pytest.fixture
def scrypt_users(tmp_path):
    """A users file with a production-strength hash (scrypt, as `hash-password` makes): checking a
    guess takes ~0.1 s, which is when parallel guesses used to slip past a count read before it."""
    users = tmp_path / "scrypt-users.yaml"
    users.write_text(f"users:\n  ada: {{password_hash: '{generate_password_hash(PASSWORDS['ada'])}', role: editor}}\n")
    return users


def test_parallel_guesses_across_gunicorn_workers_get_no_more_tries_than_allowed(
    gunicorn_dashboard, redis_url, scrypt_users, fault_tally
):
    server = gunicorn_dashboard(**password_env(scrypt_users, REDIS_URL=redis_url))
    statuses = parallel_guesses(server.url)
    assert set(statuses) <= {401, 429}, statuses
    assert statuses.count(401) <= ALLOWED, f"{statuses.count(401)} of {GUESSES} guesses were tried"
    assert statuses.count(401) == ALLOWED  # and the allowance itself is not eaten by the race
    fault_tally.fault("40 parallel wrong passwords", "sign-in lock-out under gunicorn + Redis")
    # The lock is in Redis: every worker refuses even the right password now.
    cookie, csrf = login_form(server.url)
    for _ in range(4):
        right = httpx.post(
            f"{server.url}/login",
            cookies={"login_csrf": cookie},
            timeout=10,
            data={"username": "ada", "password": PASSWORDS["ada"], "csrf_token": csrf},
        )
        assert right.status_code == 429


def test_parallel_guesses_without_redis_are_counted_atomically_in_process(make_settings, scrypt_users, fault_tally):
    app = create_app(
        settings=make_settings(auth="password", secret_key=SECRET, users_file=scrypt_users, cookie_secure=False)
    )
    with served(app) as base_url:
        statuses = parallel_guesses(base_url)
    assert set(statuses) <= {401, 429}, statuses
    assert statuses.count(401) == ALLOWED, f"{statuses.count(401)} of {GUESSES} guesses were tried"
    fault_tally.fault("40 parallel wrong passwords", "sign-in lock-out in one process")


def test_a_successful_sign_in_does_not_use_up_the_allowance(password_app):
    client = password_app.server.test_client()
    for _ in range(ALLOWED + 2):
        assert sign_in(client, "ada").status_code == 302
    for _ in range(ALLOWED - 1):
        sign_in(client, "ada", "wrong-guess")
    assert sign_in(client, "ada").status_code == 302  # the fifth try, the right one


def test_with_redis_unreachable_sign_in_still_counts_attempts(make_settings, users_file, fault_tally):
    app = create_app(
        settings=make_settings(
            auth="password",
            secret_key=SECRET,
            users_file=users_file,
            cookie_secure=False,
            redis_url=f"redis://127.0.0.1:{free_port()}/0",
        )
    )
    client = app.server.test_client()
    assert sign_in(client, "ada").status_code == 302  # Redis down does not stop sign-in
    for _ in range(ALLOWED):
        assert sign_in(client, "ada", "wrong-guess").status_code == 401
    assert sign_in(client, "ada").status_code == 429  # nor the lock-out: counted in this process meanwhile
    fault_tally.fault("Redis unreachable", "sign-in lock-out")


def test_redis_and_in_process_state_count_the_same_way(redis_url):
    import redis

    from dashboard.web.auth_state import LocalAuthState, RedisAuthState

    client = redis.Redis.from_url(redis_url)
    for state in (LocalAuthState(), RedisAuthState(client)):
        assert [state.take_attempt("k", 2, 60) for _ in range(4)] == [1, 2, 3, 4]
        state.give_back("k")
        assert state.take_attempt("k", 2, 60) == 4
        assert not state.marked("gone")
        state.mark("gone", 60)
        assert state.marked("gone")
    assert 0 < client.ttl("threads-dashboard:auth:k") <= 60
    assert 0 < client.ttl("threads-dashboard:auth:gone") <= 60


# 2. Token renewal keeps an end of life ---------------------------------------------------------


def renew(client, token: str) -> dict:
    response = client.get(f"/api/token/renew?token={token}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_a_renewed_token_keeps_its_own_lifetime_not_the_default(password_app):
    signer = Signer(SECRET, session_seconds=3600, token_seconds=3600)
    token = signer.issue_token("lobby-tv", seconds=36)
    client = password_app.server.test_client()
    renewed = renew(client, token)["token"]
    assert signer.read_token(renewed).seconds_left() <= 37  # was 24 h: DASHBOARD_READ_TOKEN_HOURS
    again = renew(client, renewed)["token"]
    assert signer.read_token(again).seconds_left() <= 37


def test_renewal_never_carries_a_token_past_its_maximum_age(make_settings, users_file):
    app = create_app(
        settings=make_settings(
            auth="password", secret_key=SECRET, users_file=users_file, cookie_secure=False, read_token_max_hours=1
        )
    )
    # Issued 50 minutes ago for an hour: its maximum age (1 h from the first issue) is 10 minutes away.
    earlier = Signer(SECRET, session_seconds=3600, token_seconds=3600, clock=lambda: time.time() - 3000)
    token = earlier.issue_token("lobby-tv", seconds=3600)
    original_end = earlier.read_token(token).expires_at
    client = app.server.test_client()
    token_chain = [token]
    for _ in range(3):  # renewing a renewed token does not move the end either
        body = renew(client, token_chain[-1])
        token_chain.append(body["token"])
        read = Signer(SECRET, session_seconds=1, token_seconds=1).read_token(body["token"])
        assert abs(read.expires_at - original_end) <= 1, "the renewed token outlives its first issue's end"
        assert body["renew_after_s"] >= read.seconds_left() - 1  # nothing more to gain by renewing
    late = Signer(SECRET, session_seconds=1, token_seconds=1, clock=lambda: time.time() + 700)
    assert late.read_token(token_chain[-1]) is None


def test_a_token_from_before_renewal_kept_its_line_is_still_read_and_bounded():
    from itsdangerous import URLSafeTimedSerializer

    legacy = URLSafeTimedSerializer(SECRET, salt="dashboard.read-token").dumps(
        {"n": "old-tv", "x": round(time.time()) + 600}
    )
    signer = Signer(SECRET, session_seconds=1, token_seconds=3600, token_max_seconds=3600)
    read = signer.read_token(legacy)
    assert read.name == "old-tv" and signer.end_of_life(read) <= time.time() + 601
    renewed = signer.read_token(signer.renew_token(read))
    assert abs(renewed.expires_at - read.expires_at) <= 1  # taken as issued an hour before it expires


# 3. The System page's screen list --------------------------------------------------------------


def screens_panel(client) -> str:
    deps = client.get("/_dash-dependencies").get_json()
    body = request_for(
        find_callback(deps, "system-screens-body.children"),
        {"system-interval.n_intervals": 1},
        triggered="system-interval.n_intervals",
    )
    response = client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": csrf_of(client)})
    assert response.status_code == 200
    return json.dumps(response.get_json()["response"])


def test_only_admins_see_the_wallboard_screens_on_the_system_page(password_app):
    token = Signer(SECRET, session_seconds=3600, token_seconds=3600).issue_token("lobby-tv")
    screen = password_app.server.test_client()
    beat = screen.post(
        "/api/heartbeat",
        json={"screen": "lobby-tv-screen", "page": "wallboard", "state": "ok"},
        headers={"X-Dashboard-Token": token},
    )
    assert beat.status_code == 200
    admin, viewer, board = (password_app.server.test_client() for _ in range(3))
    sign_in(admin, "root")
    sign_in(viewer, "eve")
    board.get(f"/system?token={token}", headers=HTML)
    assert "lobby-tv-screen" in screens_panel(admin)
    for client in (viewer, board):
        seen = screens_panel(client)
        assert "lobby-tv-screen" not in seen and "Only admins see the list of screens" in seen


# 4. JSON in the embed page ---------------------------------------------------------------------


def test_the_embed_pages_json_block_survives_markup_in_a_parameter(make_settings, fault_tally):
    client = create_app(settings=make_settings()).server.test_client()
    hostile = "<!--<script>x</script>&amp;"
    page = client.get("/embed/value-trend", query_string={"range": hostile, "refresh": hostile})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    block = re.search(r'<script type="application/json" id="embed-config">(.*?)</script>', html, re.S).group(1)
    assert not set(block) & set("<>&"), block
    config = json.loads(block)
    assert hostile[:20] in config["notice"]  # the parameter is still quoted, as text
    assert html.count("<script") == 3 and '<script src="/embed-script.js"></script>' in html
    fault_tally.fault("<!--<script> in a parameter", "embed page")


# 5. next= ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/achievements\r\nX-Injected: 1",
        "/achievements\nSet-Cookie: a=b",
        "/\t/evil.example.com",
        "/achievements\x00",
        "/../elsewhere",
        "/a/%2e%2e/b",
        "achievements",
        "/\u2028x",
    ],
)
def test_a_next_with_control_characters_or_outside_the_prefix_goes_home(password_app, target, fault_tally):
    with served(password_app) as base_url:
        cookie, csrf = login_form(base_url)
        response = httpx.post(
            f"{base_url}/login",
            cookies={"login_csrf": cookie},
            timeout=10,
            data={"username": "ada", "password": PASSWORDS["ada"], "csrf_token": csrf, "next": target},
        )
    assert response.status_code == 302 and response.headers["Location"] == "/"
    fault_tally.fault("control characters or dot segments in next=", "sign-in")


def test_a_next_under_the_prefix_is_kept(password_app):
    client = password_app.server.test_client()
    page = client.get("/login?next=/analytics%3Frange%3D90d")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    done = client.post(
        "/login",
        data={"username": "ada", "password": PASSWORDS["ada"], "csrf_token": csrf, "next": "/analytics?range=90d"},
    )
    assert done.headers["Location"] == "/analytics?range=90d"


@pytest.mark.parametrize(
    "target, goes_to",
    [
        ("/insights/analytics", "/insights/analytics"),
        ("/other", "/insights/"),
        ("/insights/../host-admin", "/insights/"),
        ("/insights/%2E%2E/host-admin", "/insights/"),
    ],
)
def test_under_a_prefix_next_stays_under_it(make_settings, users_file, target, goes_to):
    import flask

    app = create_app(
        server=flask.Flask("host"),
        url_base_pathname="/insights/",
        settings=make_settings(auth="password", secret_key=SECRET, users_file=users_file, cookie_secure=False),
    )
    client = app.server.test_client()
    page = client.get("/insights/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    done = client.post(
        "/insights/login", data={"username": "ada", "password": PASSWORDS["ada"], "csrf_token": csrf, "next": target}
    )
    assert done.status_code == 302 and done.headers["Location"] == goes_to


# 6. Sign-out ---------------------------------------------------------------------------------------


def test_a_get_of_logout_signs_nobody_out(password_app, fault_tally):
    client = password_app.server.test_client()
    sign_in(client, "ada")
    page = client.get("/logout", headers=HTML)
    assert page.status_code == 200 and 'method="post"' in page.get_data(as_text=True)
    assert client.get("/_dash-layout").status_code == 200  # an <img src=/logout> elsewhere did nothing
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    assert client.get("/_dash-layout").status_code == 200
    confirmed = client.post("/logout", data={"csrf_token": csrf_of(client)})
    assert confirmed.status_code == 302 and client.get("/_dash-layout").status_code == 401
    fault_tally.fault("GET /logout (no CSRF)", "session")


def test_a_copied_session_cookie_stops_working_after_sign_out_on_every_worker(
    gunicorn_dashboard, redis_url, users_file, fault_tally
):
    server = gunicorn_dashboard(**password_env(users_file, REDIS_URL=redis_url))
    with httpx.Client(base_url=server.url, timeout=10) as browser:
        cookie, csrf = login_form(server.url)
        browser.cookies.set("login_csrf", cookie)
        signed_in = browser.post(
            "/login", data={"username": "ada", "password": PASSWORDS["ada"], "csrf_token": csrf, "next": "/"}
        )
        assert signed_in.status_code == 302
        copied = browser.cookies[SESSION_COOKIE]
        assert browser.get("/_dash-layout").status_code == 200
        browser.get("/")  # the page sets the CSRF cookie
        out = browser.post("/logout", data={"csrf_token": browser.cookies[CSRF_COOKIE]})
        assert out.status_code == 302
    statuses = [
        httpx.get(f"{server.url}/_dash-layout", cookies={SESSION_COOKIE: copied}, timeout=10).status_code
        for _ in range(8)
    ]  # 2 workers: both answer some of these
    assert statuses == [401] * 8
    fault_tally.fault("a copied cookie replayed after sign-out", "session")


def test_without_redis_a_signed_out_cookie_is_refused_too(password_app):
    client = password_app.server.test_client()
    sign_in(client, "ada")
    copied = client.get_cookie(SESSION_COOKIE, path="/").value
    client.get("/", headers=HTML)
    assert client.post("/logout", data={"csrf_token": csrf_of(client)}).status_code == 302
    thief = password_app.server.test_client()
    thief.set_cookie(SESSION_COOKIE, copied, path="/")
    assert thief.get("/_dash-layout").status_code == 401


# 7. ?token= and a signed-in person -------------------------------------------------------------------


def test_a_token_link_does_not_replace_a_signed_in_admins_session(password_app, fault_tally):
    token = Signer(SECRET, session_seconds=3600, token_seconds=3600).issue_token("lobby-tv")
    client = password_app.server.test_client()
    sign_in(client, "root")
    session_before = client.get_cookie(SESSION_COOKIE, path="/").value
    page = client.get(f"/wallboard?token={token}", headers=HTML)
    assert page.status_code == 200
    assert not any(c.startswith(SESSION_COOKIE + "=") for c in page.headers.getlist("Set-Cookie"))
    assert client.get_cookie(SESSION_COOKIE, path="/").value == session_before
    assert client.get(f"/api/screens?token={token}").status_code == 200  # still the admin, token or not
    assert client.get("/api/screens").status_code == 200
    fault_tally.fault("a ?token= link over a signed-in session", "session")


def test_a_token_still_opens_a_screen_with_no_session(password_app):
    token = Signer(SECRET, session_seconds=3600, token_seconds=3600).issue_token("lobby-tv")
    client = password_app.server.test_client()
    assert client.get(f"/wallboard?token={token}", headers=HTML).status_code == 200
    assert client.get("/_dash-layout").status_code == 200
    assert client.get("/api/screens").status_code == 403  # a viewer


def test_a_token_link_does_not_replace_a_proxy_users_identity(make_settings):
    app = create_app(
        settings=make_settings(auth="proxy", secret_key=SECRET, trusted_proxies="10.0.0.0/8", cookie_secure=False)
    )
    token = Signer(SECRET, session_seconds=3600, token_seconds=3600).issue_token("lobby-tv")
    client = app.server.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.0.7"
    admin = {"X-Forwarded-User": "sam", "X-Forwarded-Groups": "dashboard-admins"}
    page = client.get(f"/wallboard?token={token}", headers=dict(admin, **HTML))
    assert not any(c.startswith(SESSION_COOKIE + "=") for c in page.headers.getlist("Set-Cookie"))
    assert client.get("/api/screens", headers=admin).status_code == 200


# 8. Public paths -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/favicon.icoX", "/_favicon.icoZ", "/favicon.ico/x", "/assetsX", "/_dash-component-suitesX/a.js"]
)
def test_a_path_that_only_begins_like_a_public_one_needs_a_sign_in(password_app, path, fault_tally):
    client = password_app.server.test_client()
    page = client.get(path, headers=HTML)
    assert page.status_code == 302 and page.headers["Location"].startswith("/login?next=")
    assert "dash-renderer" not in page.get_data(as_text=True)
    assert client.get(path).status_code == 401
    fault_tally.fault("a path that begins like a public one", "sign-in")


def test_the_public_files_and_folders_stay_public(password_app):
    client = password_app.server.test_client()
    for path in ("/favicon.ico", "/_favicon.ico", "/assets/dashboard.js", "/healthz", "/login"):
        with client.get(path) as response:  # closed: a file answer holds the file open
            assert response.status_code in (200, 301), path


# 9. Caching of authenticated answers ---------------------------------------------------------------


def test_authenticated_answers_are_not_stored_by_shared_caches(password_app, fault_tally):
    client = password_app.server.test_client()
    sign_in(client, "ada")
    page = client.get("/", headers=HTML)
    answers = {
        "page": page,
        "layout": client.get("/_dash-layout"),
        "dependencies": client.get("/_dash-dependencies"),
        "callback": callback(
            client, "system-screens-body.children", {"system-interval.n_intervals": 1}, "system-interval.n_intervals"
        ),
        "404 page": client.get("/no-such-page", headers=HTML),
    }
    for what, response in answers.items():
        assert response.status_code in (200, 404), what
        assert "no-store" in response.headers.get("Cache-Control", ""), what
        assert "cookie" in {v.lower() for v in response.vary}, what
    bundle = re.search(r'src="(/_dash-component-suites/[^"]+\.js[^"]*)"', page.get_data(as_text=True)).group(1)
    static = client.get(bundle)
    assert static.status_code == 200 and "no-store" not in static.headers.get("Cache-Control", "")
    assert "max-age" in static.headers.get("Cache-Control", "")
    fault_tally.fault("a shared cache between user and server", "authenticated answers")


# 10. HSTS only as told by a trusted proxy -----------------------------------------------------------


def test_gunicorn_does_not_believe_x_forwarded_proto_from_an_untrusted_loopback_client(gunicorn_dashboard, fault_tally):
    server = gunicorn_dashboard()  # no DASHBOARD_TRUSTED_PROXIES: nobody's X-Forwarded-Proto counts
    for path in ("/healthz", "/"):
        response = httpx.get(
            server.url + path, headers={"X-Forwarded-Proto": "https", "X-Forwarded-SSL": "on"}, timeout=10
        )
        assert response.status_code == 200
        assert "Strict-Transport-Security" not in response.headers, path
    fault_tally.fault("X-Forwarded-Proto from an untrusted client", "gunicorn + HSTS")


def test_gunicorn_behind_a_trusted_proxy_still_sends_hsts(gunicorn_dashboard):
    server = gunicorn_dashboard(DASHBOARD_TRUSTED_PROXIES="127.0.0.1")
    response = httpx.get(server.url + "/healthz", headers={"X-Forwarded-Proto": "https"}, timeout=10)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    plain = httpx.get(server.url + "/healthz", timeout=10)
    assert "Strict-Transport-Security" not in plain.headers


# 11. Unknown paths -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/favicon.icoX", "/foo/bar", "/achievements/x", "/wallboard/x/y", "/embed", "/api", "/api/nope"]
)
def test_unknown_paths_answer_404(make_settings, path, fault_tally):
    client = create_app(settings=make_settings()).server.test_client()
    assert client.get(path, headers=HTML).status_code == 404
    fault_tally.fault("an unknown path", "every Flask route")


@pytest.mark.parametrize("path", ["/", "/achievements", "/system", "/wallboard", "/wallboard/ops"])
def test_known_pages_answer_200(make_settings, path):
    client = create_app(settings=make_settings()).server.test_client()
    assert client.get(path, headers=HTML).status_code == 200


def test_unknown_paths_answer_404_to_a_signed_in_user_too(password_app):
    client = password_app.server.test_client()
    sign_in(client, "eve")
    for path in ("/favicon.icoX", "/foo/bar", "/achievements/x", "/assetsX"):
        assert client.get(path, headers=HTML).status_code == 404, path
