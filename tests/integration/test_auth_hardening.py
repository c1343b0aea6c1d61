"""Sign-in and session hardening (issue 13, "Smaller hardening"), over real HTTP where the
transport matters (parallel guesses, gunicorn's scheme handling) and with a real Redis where
state must be shared by workers."""

from __future__ import annotations

import contextlib
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from dashboard import create_app
from tests.conftest import free_port
from tests.integration.test_auth import PASSWORDS, SECRET, sign_in, write_users

GUESSES = 40
ALLOWED = 5  # dashboard.auth.LOGIN_FAILURES_ALLOWED, said as the README says it


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
            return client.post("/login", data={"username": name, "password": f"wrong-guess-{n}",
                                                "csrf_token": csrf}).status_code

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(guess, range(count)))


def password_env(users_file, **extra) -> dict:
    return {"DASHBOARD_AUTH": "password", "SECRET_KEY": SECRET, "DASHBOARD_USERS_FILE": str(users_file),
            "DASHBOARD_COOKIE_SECURE": "false", **extra}


@pytest.fixture
def users_file(tmp_path):
    return write_users(tmp_path / "users.yaml")


@pytest.fixture
def password_app(make_settings, users_file):
    return create_app(settings=make_settings(auth="password", secret_key=SECRET, users_file=users_file,
                                             cookie_secure=False))


# 1. Lock-out counting --------------------------------------------------------------------------

@pytest.fixture
def scrypt_users(tmp_path):
    """A users file with a production-strength hash (scrypt, as `hash-password` makes): checking a
    guess takes ~0.1 s, which is when parallel guesses used to slip past a count read before it."""
    users = tmp_path / "scrypt-users.yaml"
    users.write_text(f"users:\n  ada: {{password_hash: '{generate_password_hash(PASSWORDS['ada'])}', role: editor}}\n")
    return users


def test_parallel_guesses_across_gunicorn_workers_get_no_more_tries_than_allowed(gunicorn_dashboard, redis_url,
                                                                                   scrypt_users):
    server = gunicorn_dashboard(**password_env(scrypt_users, REDIS_URL=redis_url))
    statuses = parallel_guesses(server.url)
    assert set(statuses) <= {401, 429}, statuses
    assert statuses.count(401) <= ALLOWED, f"{statuses.count(401)} of {GUESSES} guesses were tried"
    assert statuses.count(401) == ALLOWED  # and the allowance itself is not eaten by the race
    # The lock is in Redis: every worker refuses even the right password now.
    cookie, csrf = login_form(server.url)
    for _ in range(4):
        right = httpx.post(f"{server.url}/login", cookies={"login_csrf": cookie}, timeout=10,
                           data={"username": "ada", "password": PASSWORDS["ada"], "csrf_token": csrf})
        assert right.status_code == 429


def test_parallel_guesses_without_redis_are_counted_atomically_in_process(make_settings, scrypt_users):
    app = create_app(settings=make_settings(auth="password", secret_key=SECRET, users_file=scrypt_users,
                                            cookie_secure=False))
    with served(app) as base_url:
        statuses = parallel_guesses(base_url)
    assert set(statuses) <= {401, 429}, statuses
    assert statuses.count(401) == ALLOWED, f"{statuses.count(401)} of {GUESSES} guesses were tried"


def test_a_successful_sign_in_does_not_use_up_the_allowance(password_app):
    client = password_app.server.test_client()
    for _ in range(ALLOWED + 2):
        assert sign_in(client, "ada").status_code == 302
    for _ in range(ALLOWED - 1):
        sign_in(client, "ada", "wrong-guess")
    assert sign_in(client, "ada").status_code == 302  # the fifth try, the right one


def test_with_redis_unreachable_sign_in_still_counts_attempts(make_settings, users_file):
    app = create_app(settings=make_settings(auth="password", secret_key=SECRET, users_file=users_file,
                                            cookie_secure=False, redis_url=f"redis://127.0.0.1:{free_port()}/0"))
    client = app.server.test_client()
    assert sign_in(client, "ada").status_code == 302  # Redis down does not stop sign-in
    for _ in range(ALLOWED):
        assert sign_in(client, "ada", "wrong-guess").status_code == 401
    assert sign_in(client, "ada").status_code == 429  # nor the lock-out: counted in this process meanwhile
