"""One Chromium for the whole session, behind dash[testing]'s `dash_duo` API.

dash_duo starts a Chromium per test and quits it after: about 3 s a test, a quarter of the
suite's time on two cores. Here the session keeps one browser; each test gets a fresh
`DashComposite` around it (its own server, download folder and log position), and between tests
the browser is put back as new: other tabs closed, cookies, cache and the visited origins' storage
cleared, device metrics and window size reset, the page blank. A browser that stopped answering
is replaced.

The browser records console messages of every level (dash[testing] asks for SEVERE only);
`get_logs()` returns the warnings and errors, so a test's `assert dash_duo.get_logs() == []`
also fails on a console warning, such as AG Grid's about row ids.
"""

from __future__ import annotations

import logging
from typing import Optional
from urllib.parse import urlsplit

from dash.testing.composite import DashComposite
from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.support.wait import WebDriverWait

log = logging.getLogger(__name__)

PROBLEM_LEVELS = ("WARNING", "SEVERE")
WAIT_POLL_SECONDS = 0.1


def start_chromium(options) -> webdriver.Chrome:
    """A Chromium as dash[testing] starts one, recording the console at every level."""
    options.add_argument("--remote-debugging-port=0")
    options.add_argument("--disable-notifications")
    options.add_argument("--disable-popup-blocking")
    options.add_experimental_option(
        "prefs",
        {
            "download.prompt_for_download": False,
            "download.directory_upgrade": True,
            "safebrowsing.enabled": False,
            "safebrowsing.disable_download_protection": True,
        },
    )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options)
    driver.implicitly_wait(2)
    driver.set_window_position(0, 0)
    return driver


class SharedChromium:
    """The session's browser: started on first use, reset between tests, replaced if it died."""

    def __init__(self, make_options):
        self._make_options = make_options
        self._driver: Optional[webdriver.Chrome] = None
        self._size: Optional[dict] = None

    def driver(self) -> webdriver.Chrome:
        if self._driver is not None and not self._alive():
            log.warning("the shared Chromium stopped answering: starting another")
            self.quit()
        if self._driver is None:
            self._driver = start_chromium(self._make_options())
            self._size = self._driver.get_window_size()
        return self._driver

    def _alive(self) -> bool:
        try:
            return self._driver.execute_script("return 1") == 1
        except WebDriverException:
            return False

    def reset(self, origins: set[str]) -> None:
        """Put the browser back as a new one would be."""
        driver = self._driver
        if driver is None:
            return
        try:
            handles = driver.window_handles
            for handle in handles[1:]:
                driver.switch_to.window(handle)
                driver.close()
            driver.switch_to.window(handles[0])
            origins = origins | {_origin(driver.current_url)}
            driver.get("about:blank")
            driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
            driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
            driver.execute_cdp_cmd("Network.clearBrowserCache", {})
            for origin in filter(None, origins):
                driver.execute_cdp_cmd("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
            if self._size and driver.get_window_size() != self._size:
                driver.set_window_size(self._size["width"], self._size["height"])
            driver.get_log("browser")  # drop what is left of this test's console
        except WebDriverException:
            log.warning("resetting the shared Chromium failed: it will be replaced", exc_info=True)
            self.quit()

    def quit(self) -> None:
        if self._driver is not None:
            try:
                self._driver.quit()
            except WebDriverException:
                pass
            self._driver = None


def _origin(url: str) -> Optional[str]:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


class SharedDashComposite(DashComposite):
    """`dash_duo` for one test, on the shared browser (Browser.__init__ would start a new one)."""

    def __init__(self, server, driver: webdriver.Chrome, download_path: str, wait_timeout: int = 10):
        # What Browser.__init__ sets, without starting a webdriver.
        self.server = server
        self._browser = "chrome"
        self._remote, self._remote_url, self._headless = False, None, True
        self._options = None
        self._download_path = download_path
        self._wait_timeout = wait_timeout
        self._percy_run = self._percy_finalize = self._pause = False
        self._percy_assets_root = ""
        self._driver = driver
        self._wd_wait = WebDriverWait(driver, wait_timeout)
        self._last_ts = 0
        self._url = ""
        self._window_idx = 0
        self.origins: set[str] = set()
        driver.get_log("browser")  # this test's console starts empty
        driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": download_path})

    def start_server(self, app, navigate=True, path="/", **kwargs):
        """dash[testing]'s start_server, opening `path` at once: dash[testing] loads "/" first, a whole
        Overview that a test going to another page waited for and threw away."""
        self.server(app, **kwargs)
        if navigate:
            self._url = self.server.url  # what the server_url setter keeps, without its load of "/"
            self.origins.add(_origin(self._url))
            self.wait_for_page(url=self._url + path)

    @DashComposite.server_url.setter
    def server_url(self, value):
        self.origins.add(_origin(value))
        DashComposite.server_url.fset(self, value)

    def get_logs(self):
        """The console's warnings and errors since the last call (as dash[testing]'s, which reads
        the browser's log and so empties it), past the last reset."""
        return [
            entry
            for entry in self.driver.get_log("browser")
            if entry["timestamp"] > self._last_ts and entry["level"] in PROBLEM_LEVELS
        ]

    def _wait_for(self, method, timeout, msg):
        """dash[testing]'s explicit wait, polling every WAIT_POLL_SECONDS instead of selenium's 0.5 s:
        the same condition and timeout, without a quarter of a second lost on average each time
        a wait has to sleep (hundreds of times a run)."""
        wait = WebDriverWait(self.driver, self._wait_timeout if timeout is None else timeout, WAIT_POLL_SECONDS)
        try:
            return wait.until(method)
        except Exception as err:
            raise TimeoutException(str(msg(self.driver) if callable(msg) else msg)) from err

    def __exit__(self, exc_type, exc_val, traceback):
        return None  # the session's browser stays; the fixture resets it
