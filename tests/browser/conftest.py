"""Browser tests: Playwright for Python driving Debian's Chromium against the live test server.

Playwright never downloads a browser here; `.ci/run` installs Debian's `chromium`. Without it
the tests are skipped with a reason, and CI (STRICT_SKIPS=1) turns any skip into a failure.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's chromium package (CI does)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, and Django then refuses
    # ORM calls from it; the tests' own calls (loading content) are plain synchronous code.
    # Module scope: the loop, and this setting, end with the module, before any other test (a
    # `check --deploy` subprocess would inherit the variable, another Playwright would clash).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield instance
            instance.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(live_server, transactional_db, settings):
    """The live server with the demo content and one consenting participant."""
    from demo.services import demo_content_load
    from dialogue.models import Dialogue
    from stakeholders.models import Organization
    from tests.dialogue.factories import ParticipationFactory
    from tests.stakeholders.factories import PersonFactory

    demo_content_load()
    person = PersonFactory(
        slug="ji-won-park",
        given_name="Ji-won",
        family_name="Park",
        organization=Organization.objects.get(slug="stepi"),
    )
    ParticipationFactory(dialogue=Dialogue.objects.get(slug="canada-korea-ai-2025"), person=person)
    return live_server


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-CA")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
