"""Headless Chromium for the browser tests, driven by Playwright's sync API.

Never `playwright install`: the tests launch Debian's /usr/bin/chromium and are skipped, saying why, when it
is missing (`make browser` installs it). Playwright's sync API runs an event loop in this thread, so Django's
async-safety check is switched off for the test process. The pages run against pytest-django's live_server,
whose transactional tests empty the database after each test: the regions the tests need are loaded again
before each one.
"""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
BROWSER_PROVINCES = ["61", "62", "63"]
OFFLINE_ERRORS = (
    "tile.openstreetmap.org",
    "ERR_NAME_NOT_RESOLVED",
    "ERR_INTERNET_DISCONNECTED",
    "ERR_CONNECTION_REFUSED",
    "ERR_CONNECTION_TIMED_OUT",
    "ERR_ADDRESS_UNREACHABLE",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    browser = []
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            browser.append(item)
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(
                    pytest.mark.skip(reason=f"{CHROMIUM} not found: install Debian's chromium (make browser)")
                )
    # Last of all: they empty the database, regions included, which the other tests load once. pytest-django
    # puts transactional tests after the rest, but pytest may pull them forward to share Playwright's
    # session-scoped browser parameter with any test that has an argument named `page`.
    chosen = set(browser)
    items[:] = [item for item in items if item not in chosen] + browser


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server, browser_regions):
    context = chromium.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.console_errors = []

    def on_console(message):
        # Map tiles cannot load without the internet; anything else in the console is a bug (CSP, JS).
        if message.type == "error" and not any(marker in message.text for marker in OFFLINE_ERRORS):
            page.console_errors.append(message.text)

    page.on("console", on_console)
    yield page
    context.close()


@pytest.fixture
def browser_regions(transactional_db, monkeypatch):
    from ikm_registry.models import Region
    from ikm_registry.public import lookups, stats
    from ikm_registry.reference_data import load_reference_data
    from ikm_registry.regions_loader import load_regions

    if not Region.objects.filter(code="62.71.04.1002").exists():
        load_regions(BROWSER_PROVINCES)
    load_reference_data()
    lookups.clear()
    # Pages follow a verification at once (the live server shares this process's modules).
    monkeypatch.setattr(stats, "STAMP_SECONDS", 0)


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
