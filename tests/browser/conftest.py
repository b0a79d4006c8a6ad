"""Headless Chromium (Debian's, never a downloaded one) against pytest-django's live server.

One browser for the session, a fresh context (cookies, storage) for each test.
Playwright's sync API runs an event loop in the test thread; Django refuses ORM
calls from a thread with a running loop unless told it is safe, which it is
here: the test thread and the live server take turns.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000
RESULTS = Path(__file__).resolve().parents[2] / "test-results"

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    p = sync_playwright().start()
    try:
        yield p
    finally:
        p.stop()


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    b = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    try:
        yield b
    finally:
        b.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def _serialized_rollback(request: pytest.FixtureRequest) -> None:
    """A transactional test after a serialized one finds no content types (the flush skips re-creating
    them) and fails on its first audit entry: every browser test is serialized alike."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("serialized_rollback"):
        pytest.fail("mark browser tests pytest.mark.django_db(transaction=True, serialized_rollback=True)")


@pytest.fixture(autouse=True)
def _no_csp_violations(browser: Browser, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every browser test fails on a Content Security Policy violation (an inline script, handler or
    style, a resource from elsewhere): Chromium reports each on the console. Every context a test
    opens is watched, the page fixture's and those a test makes itself."""
    violations: list[str] = []
    new_context = browser.new_context

    def watched_context(*args: object, **kwargs: object) -> BrowserContext:
        context = new_context(*args, **kwargs)  # type: ignore[arg-type]
        context.on("console", lambda msg: _note_csp(violations, msg.text))
        context.on("weberror", lambda error: _note_csp(violations, str(error.error)))
        return context

    monkeypatch.setattr(browser, "new_context", watched_context)
    yield
    if violations:
        pytest.fail("Content Security Policy violations:\n" + "\n".join(violations), pytrace=False)


def _note_csp(violations: list[str], text: str) -> None:
    if "Content Security Policy" in text:
        violations.append(text)


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    pg = context.new_page()
    try:
        yield pg
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and (report.failed or hasattr(report, "wasxfail")):
            RESULTS.mkdir(exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
            # A screenshot is a courtesy, never a second failure.
            with contextlib.suppress(Exception):
                pg.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True)
        context.close()


def login(page: Page, live_server: object, username: str, password: str = PASSWORD) -> None:
    """Log in through the login page, as a person would; ends on the page the login redirects to."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
