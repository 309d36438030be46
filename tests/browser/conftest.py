"""Browser tests: Playwright for Python driving Debian's Chromium, with an axe-core scan.

Playwright never downloads a browser here: it launches the system Chromium by path.
"""

import os
from pathlib import Path

import pytest

from tests.services import CHROMIUM

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items):
    # This hook sees the whole session's items: mark only the tests in this folder.
    here = Path(__file__).parent
    for item in items:
        if Path(item.fspath).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are
    # still synchronous and safe. Only while the browser runs: subprocesses must not inherit it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # While Playwright's event loop runs, Django keeps connections per async context: the ones
        # the browser tests used must be closed here, or the test database cannot be dropped.
        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def expected(console_text: str) -> bool:
    # A refused stale autosave answers 409 by design, a refused too long text 400; the browser logs
    # every 4xx it fetches.
    return console_text.startswith(
        tuple(f"Failed to load resource: the server responded with a status of {status}" for status in (400, 409))
    )


@pytest.fixture
def new_page(browser, live_server):
    """Opens pages in separate browser sessions; fails the test on any script or console error."""
    contexts, errors = [], []

    def open_page(locale: str = "fi-FI", **options):
        # options go to the browser context as they are: viewport, java_script_enabled …
        context = browser.new_context(base_url=live_server.url, locale=locale, **options)
        # axe arrives as an init script, which the page's Content-Security-Policy does not govern:
        # the pages themselves are tested under the real, strict policy.
        context.add_init_script(path=str(AXE))
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on(
            "console",
            lambda message: message.type == "error" and not expected(message.text) and errors.append(message.text),
        )
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, f"the browser reported errors: {errors}"


@pytest.fixture
def page(new_page):
    return new_page()


def log_in(page, username: str, password: str = "correct horse battery staple") -> None:
    """Logs in through the login form, whatever the page's language."""
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def accessibility_violations(page) -> list[str]:
    """What axe-core finds against WCAG 2.1 A and AA on the current page, one line per rule and node."""
    violations = page.evaluate("tags => axe.run(document, {runOnly: tags}).then(r => r.violations)", WCAG_AA)
    return [f"{v['id']}: {v['help']} – {node['target']}" for v in violations for node in v["nodes"]]
