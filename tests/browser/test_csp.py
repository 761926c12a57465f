"""The admin, a public detail page and the API docs work under the production CSP.

Debian's Chromium through Playwright, never a downloaded browser. A page passes when the browser
reports no Content-Security-Policy violation (console and `securitypolicyviolation` events) and
the page's own script really ran (tabs built, Swagger operations rendered).
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's Chromium (/usr/bin/chromium) is not installed"
    ),
]

WATCH_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${where}`);
});
"""


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM work is done before it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch.setenv("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        context = browser.new_context()
        context.add_init_script(WATCH_VIOLATIONS)
        page = context.new_page()
        console = []
        page.on(
            "console",
            lambda message: (
                console.append(message.text)
                if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
                else None
            ),
        )
        page.csp_console = console
        page.requested = []
        page.on("request", lambda request: page.requested.append(request.url))
        yield page
        context.close()
        browser.close()


def violations(page) -> list[str]:
    return list(page.csp_console) + page.evaluate("window.__csp || []")


def visit(page, url):
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.ok, (url, response and response.status)
    header = response.headers.get("content-security-policy", "")
    assert "default-src 'self'" in header and "frame-ancestors 'none'" in header, header
    return response


@pytest.mark.django_db(transaction=True)
def test_admin_public_page_and_api_docs_run_with_zero_csp_violations(live_server, browser_page, make_staff):
    from tests.findings.factories import FindingFactory

    finding = FindingFactory(
        title_en="Energy security", title_fr="Sécurité énergétique", body_en="**Bold** text"
    )
    editor = make_staff("ed", "Editor")
    with translation.override("en"):
        detail = reverse("findings:finding-detail", kwargs={"pk": finding.pk})
        dialogue = reverse("dialogue:dialogue-detail", kwargs={"slug": finding.dialogue.slug})
    admin = f"{live_server.url}/{settings.ADMIN_URL}"
    page = browser_page

    # The admin: sign in through the form, then the change form with its language tabs.
    visit(page, f"{admin}login/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", editor.plain_password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{admin}")
    visit(page, f"{admin}findings/finding/{finding.pk}/change/")
    page.wait_for_selector(".ui-tabs-nav", timeout=10000)  # modeltranslation's tabs were built by script
    assert page.locator(".ui-tabs-nav a", has_text="FR").count() >= 1
    assert violations(page) == [], "admin change form"

    # Public pages.
    for url in (detail, dialogue, "/fr" + detail[3:]):
        visit(page, f"{live_server.url}{url}")
        assert "Energy security" in page.content() or "Sécurité énergétique" in page.content()
        assert violations(page) == [], url

    # The API docs: Swagger UI renders every operation from the local sidecar assets.
    visit(page, f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".opblock", timeout=15000)
    assert page.locator(".opblock").count() > 5
    assert violations(page) == [], "API docs"

    # Nothing came from another host (no CDN, no fonts, no analytics).
    assert [url for url in page.requested if not url.startswith(live_server.url)] == []

    # The watcher itself works: an inline style attribute is a violation under this policy.
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.wait_for_timeout(200)
    assert any("style-src" in v for v in violations(page)), violations(page)
