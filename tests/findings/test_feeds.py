"""Atom feeds of findings: valid Atom, public rows only, absolute links, per theme, per language."""

from html.parser import HTMLParser

import feedparser
import pytest
from django.utils import translation

from tests.dialogue.factories import DialogueFactory, ThemeFactory
from tests.findings.factories import FindingFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The test client leaves the last request's language active: start in English.
    translation.activate("en")


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "img", "iframe", "object", "style"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag}[{name}]")


def active_markup(html: str) -> list[str]:
    """Tags and attributes in `html` that a browser would run or load."""
    parser = _Markup()
    parser.feed(html)
    return parser.found


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_findings_feed_is_atom_with_public_findings_only(client):
    shown = FindingFactory(title_en="Shared compute")
    FindingFactory(draft=True, title_en="Draft thing")
    FindingFactory(scheduled=True, title_en="Scheduled thing")
    FindingFactory(dialogue=DialogueFactory(draft=True), title_en="Child of a draft")
    feed = parse(client, "/en/feeds/findings/")
    assert [entry.title for entry in feed.entries] == ["Shared compute"]
    entry = feed.entries[0]
    assert entry.link == f"http://testserver{shown.get_absolute_url()}"
    assert entry.id == entry.link
    assert entry.author == shown.dialogue.title  # the dialogue, never a person
    assert feed.feed.link == "http://testserver/en/findings/"
    assert feed.feed.language == "en"


def test_findings_feed_in_korean(client):
    FindingFactory(title_ko="공동 컴퓨팅")
    feed = parse(client, "/ko/feeds/findings/")
    assert feed.entries[0].title == "공동 컴퓨팅"
    assert feed.entries[0].link.startswith("http://testserver/ko/findings/")
    assert feed.feed.language == "ko"


def test_theme_feed_has_its_findings_and_recommendations(client):
    theme = ThemeFactory(slug="compute")
    child = ThemeFactory(parent=theme)
    FindingFactory(themes=[theme], title_en="On theme")
    FindingFactory(themes=[child], title_en="On sub-theme")
    RecommendationFactory(themes=[theme], title_en="Recommended on theme")
    FindingFactory(title_en="Off theme")
    RecommendationFactory(themes=[theme], draft=True, title_en="Draft recommendation")
    titles = {entry.title for entry in parse(client, "/en/feeds/themes/compute/").entries}
    assert titles == {"On theme", "On sub-theme", "Recommended on theme"}
    french = parse(client, "/fr/feeds/themes/compute/")
    assert len(french.entries) == 3
    assert all(entry.link.startswith("http://testserver/fr/") for entry in french.entries)


def test_feed_of_a_hidden_theme_is_404(client):
    ThemeFactory(slug="secret", draft=True)
    assert client.get("/en/feeds/themes/secret/").status_code == 404
    assert client.get("/en/feeds/themes/nothing/").status_code == 404


def test_feed_links_use_site_url(client, settings):
    settings.SITE_URL = "https://atlas.example.net"
    finding = FindingFactory()
    feed = parse(client, "/en/feeds/findings/")
    assert feed.entries[0].link == f"https://atlas.example.net{finding.get_absolute_url()}"
    assert any(link.href == "https://atlas.example.net/en/feeds/findings/" for link in feed.feed.links)


def test_feed_summaries_are_escaped_text_or_sanitised_markdown(client):
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)> plain"
    theme = ThemeFactory(slug="xss")
    FindingFactory(themes=[theme], summary_en=payload)
    RecommendationFactory(themes=[theme], body_en=f"**Bold** {payload} [x](javascript:alert(3))")
    for url in ("/en/feeds/findings/", "/en/feeds/themes/xss/"):
        feed = parse(client, url)
        for entry in feed.entries:
            # feedparser unescapes the type="html" content: what a reader would render.
            assert active_markup(entry.summary) == [], entry.summary
    summaries = {entry.summary for entry in parse(client, "/en/feeds/themes/xss/").entries}
    assert any("&lt;script&gt;" in summary for summary in summaries)  # shown as text
    assert any("<strong>Bold</strong>" in summary for summary in summaries)  # Markdown rendered
