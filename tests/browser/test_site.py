"""The public site in a real browser: journeys in each language, switcher, search, keyboard,
no CSP violation, and axe-core with no serious or critical violation on every page type."""

import re

import pytest

from tests.browser.conftest import AXE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("en", "fr", "ko")
NAV_FINDINGS = {"en": "Findings", "fr": "Constats", "ko": "논의 결과"}
DIALOGUE = "canada-korea-ai-2025"
# A click that navigates returns once the next page starts loading; each is followed by
# page.wait_for_load_state(), so that what is counted afterwards is the whole page.


def first_finding_pk():
    from findings.models import Finding

    return Finding.objects.order_by("order").values_list("pk", flat=True).first()


def first_recommendation_pk():
    from findings.models import Recommendation

    return Recommendation.objects.order_by("order").values_list("pk", flat=True).first()


def page_types(lang: str) -> dict[str, str]:
    return {
        "home": f"/{lang}/",
        "dialogue-list": f"/{lang}/dialogues/",
        "dialogue-detail": f"/{lang}/dialogues/{DIALOGUE}/",
        "theme-list": f"/{lang}/themes/",
        "theme-detail": f"/{lang}/themes/adoption-commercialisation/",
        "finding-list": f"/{lang}/findings/?kind=key_finding",
        "finding-detail": f"/{lang}/findings/{first_finding_pk()}/",
        "recommendation-list": f"/{lang}/recommendations/",
        "recommendation-detail": f"/{lang}/recommendations/{first_recommendation_pk()}/",
        "organization-list": f"/{lang}/organisations/",
        "organization-detail": f"/{lang}/organisations/apf-canada/",
        "person-detail": f"/{lang}/people/ji-won-park/",
        "search": f"/{lang}/search/?q=" + {"en": "energy", "fr": "énergie", "ko": "에너지"}[lang],
        "search-empty": f"/{lang}/search/?q=xylophone",
        "not-found": f"/{lang}/no-such-page/",
        "alerts": f"/{lang}/alerts/?theme=energy-infrastructure",
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_reader_journey_in_each_language(site, page, lang, screenshot_dir):
    page.goto(f"{site.url}/{lang}/")
    assert page.locator("html").get_attribute("lang") == lang
    page.screenshot(path=str(screenshot_dir / f"home-{lang}.png"), full_page=True)
    # Home -> findings list -> the first key finding -> its dialogue.
    assert page.locator("header, main, footer, nav").count() >= 5  # landmarks
    page.locator(".site-nav").get_by_role("link", name=NAV_FINDINGS[lang], exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/{lang}/findings/")
    page.locator(".item-list .item-title a").first.click()
    page.wait_for_load_state()
    assert re.search(rf"/{lang}/findings/\d+/$", page.url)
    assert page.locator("h1").count() == 1
    assert page.locator("script[type='application/ld+json']").count() == 1
    page.screenshot(path=str(screenshot_dir / f"finding-{lang}.png"), full_page=True)
    page.locator(".facts a[href*='/dialogues/']").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/{lang}/dialogues/{DIALOGUE}/")
    assert page.locator("#timeline li").count() == 5


def test_language_switcher_keeps_the_page(site, page):
    page.goto(f"{site.url}/en/dialogues/{DIALOGUE}/")
    page.locator(".lang-switcher").get_by_role("link", name="Français").click()
    page.wait_for_load_state()
    assert page.url == f"{site.url}/fr/dialogues/{DIALOGUE}/"
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Premier dialogue de type 1.5" in page.locator("h1").inner_text()
    page.locator(".lang-switcher").get_by_role("link", name="한국어").click()
    page.wait_for_load_state()
    assert page.url == f"{site.url}/ko/dialogues/{DIALOGUE}/"
    assert "제1차 한-캐나다" in page.locator("h1").inner_text()


def test_root_redirects_to_the_browsers_language(site, browser):
    context = browser.new_context(locale="ko-KR", extra_http_headers={"Accept-Language": "ko-KR,ko"})
    page = context.new_page()
    page.goto(f"{site.url}/")
    assert page.url == f"{site.url}/ko/"
    context.close()


def test_search_from_the_header(site, page):
    page.goto(f"{site.url}/fr/")
    page.locator("#site-search").fill("énergie")
    page.locator("#site-search").press("Enter")
    page.wait_for_url(re.compile(r"/fr/search/\?q="))
    assert page.locator("#results-findings").count() == 1
    assert page.locator(".results mark").count() > 0
    # A query of nothing but punctuation shows the empty state, not an error.
    page.goto(f"{site.url}/ko/search/?q=" + "%22%29%28%26%7C")
    assert page.locator(".empty-state").count() == 1


def test_works_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site.url}/en/findings/")
    page.locator(".facets a", has_text="Opportunity").first.click()
    page.wait_for_load_state()
    assert "kind=opportunity" in page.url
    assert page.locator(".item-list > li").count() == 2
    page.locator(".lang-switcher").get_by_role("link", name="한국어").click()
    page.wait_for_load_state()
    assert page.url.endswith("/ko/findings/?kind=opportunity")
    page.locator("#id_q").fill("캐나다")
    page.locator("#id_q").press("Enter")
    assert "q=" in page.url
    context.close()


def test_keyboard_reaches_the_skip_link_first_and_focus_is_visible(site, page):
    page.goto(f"{site.url}/en/findings/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            const box = el.getBoundingClientRect();
            return {cls: el.className, text: el.textContent.trim(), outline: style.outlineStyle,
                    width: parseFloat(style.outlineWidth), top: box.top, bottom: box.bottom};
        }"""
    )
    assert focused["cls"] == "skip-link"
    assert focused["outline"] != "none" and focused["width"] >= 2
    assert 0 <= focused["top"] < focused["bottom"] <= 900  # moved into view when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # Further tabbing moves through the page's links with a visible outline each time.
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_no_csp_violation_on_public_pages(site, page):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(str(error)))
    for kind in ("dialogue-detail", "finding-detail", "recommendation-detail", "theme-list", "search"):
        page.goto(site.url + page_types("en")[kind])
    violations = [text for text in messages if "Content Security Policy" in text or "Refused" in text]
    assert not violations, violations
    assert not [text for text in messages if "error" in text.lower()], messages


def run_axe(page) -> list[dict]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            const results = await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
            });
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
            }));
        }"""
    )
    return result


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_no_serious_or_critical_violation_on_any_page_type(site, page, lang):
    failures = {}
    for kind, path in page_types(lang).items():
        page.goto(site.url + path)
        serious = [v for v in run_axe(page) if v["impact"] in ("serious", "critical")]
        if serious:
            failures[kind] = serious
    assert not failures, failures


def test_axe_finds_no_violation_at_all_in_english(site, page):
    """Stricter than the requirement (moderate and minor too), to keep the pages clean."""
    failures = {}
    for kind, path in page_types("en").items():
        page.goto(site.url + path)
        violations = run_axe(page)
        if violations:
            failures[kind] = violations
    assert not failures, failures


def test_axe_on_a_small_screen(site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    for kind in ("home", "finding-list", "recommendation-list", "dialogue-detail"):
        page.goto(site.url + page_types("en")[kind])
        serious = [v for v in run_axe(page) if v["impact"] in ("serious", "critical")]
        assert not serious, (kind, serious)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (kind, width)  # no horizontal scrolling
    context.close()
