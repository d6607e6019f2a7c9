import os
import re
import shutil
import warnings
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def browser_page(live_server, request):
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"Chromium not found at {CHROMIUM}; install Debian 'chromium' (scripts/setup does)"
        )
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        page.base = live_server.url
        _click_then_wait_for_the_document(page)
        yield page
        try:  # a debugging aid only: Chromium sometimes cannot capture a very long page under load
            page.screenshot(path=str(ARTIFACTS / f"last-{request.node.name}.png"), full_page=True)
        except Exception as exc:  # noqa: BLE001
            warnings.warn(f"no final screenshot of {request.node.name}: {exc}", stacklevel=1)
        context.close()
        browser.close()
        # While Playwright's loop runs, Django's thread-local connections are per context (asgiref
        # Local), so the ORM calls of the test body opened a connection of their own here: close it,
        # or PostgreSQL refuses to drop the test database at the end ("accessed by other users").
        connections.close_all()


def _click_then_wait_for_the_document(page):
    """A click that submits a form returns once the next document has *committed*, not parsed.

    Reading the page right after it (``locator().count()``, ``inner_text("main")``) could see a
    half-parsed document on a loaded machine (a CI failure once). Waiting for DOMContentLoaded of
    whatever document is current makes every ``page.click`` safe to read after; for a click that
    does not navigate it returns at once.
    """
    click = page.click

    def click_and_wait(selector, **kwargs):
        click(selector, **kwargs)
        page.wait_for_load_state("domcontentloaded")

    page.click = click_and_wait


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def login(page, username, password="pw-123456"):
    """Sign in through the login form (signing out first if someone is signed in)."""
    page.goto(page.base + "/accounts/login/")
    if page.locator("form[action$='/accounts/logout/']").count():
        page.locator("form[action$='/accounts/logout/'] button").click()
        page.goto(page.base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/dashboard/"))


def logout(page):
    page.locator("form[action$='/accounts/logout/'] button").click()
