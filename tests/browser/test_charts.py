"""The themes page's charts draw their bars in every language (a decimal comma in an SVG length
leaves the bar with no width at all, and only a renderer shows it)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("en", "fr", "ko")
# Each bar with its value: the findings bar's value is the text after it, a status segment's is
# in its <title> ("Proposed: 3").
BARS = """() => [...document.querySelectorAll('svg.bar-chart rect.bar')].map(rect => ({
    value: Number(rect.classList.contains('bar-findings')
        ? rect.nextElementSibling.textContent
        : rect.querySelector('title').textContent.split(':').pop()),
    width: rect.getBoundingClientRect().width,
}))"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_bar_with_a_value_has_a_rendered_width(site, page, lang, screenshot_dir):
    page.goto(f"{site.url}/{lang}/themes/")
    bars = page.evaluate(BARS)
    page.locator("section.charts").screenshot(path=str(screenshot_dir / f"charts-{lang}.png"))
    with_value = [bar for bar in bars if bar["value"] > 0]
    assert len(with_value) >= 5
    assert [bar for bar in with_value if bar["width"] <= 0] == []
