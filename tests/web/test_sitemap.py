"""/sitemap.xml lists every public page in every language with hreflang alternates; robots.txt."""

import xml.etree.ElementTree as ET

import pytest

from tests.dialogue.factories import DialogueFactory, ThemeFactory
from tests.findings.factories import FindingFactory, RecommendationFactory
from tests.stakeholders.factories import OrganizationFactory, PersonFactory
from web.sitemaps import SITEMAPS as sitemaps

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemap_entries(client) -> dict[str, dict[str, str]]:
    """Every <url> of every section the index lists: location -> {hreflang: href}."""
    index = ET.fromstring(client.get("/sitemap.xml").content)
    entries = {}
    for location in index.findall("s:sitemap/s:loc", NS):
        assert location.text.startswith("http://testserver/sitemap-")
        section = ET.fromstring(client.get(location.text.replace("http://testserver", "")).content)
        for url in section.findall("s:url", NS):
            alternates = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}
            entries[url.find("s:loc", NS).text] = alternates
    return entries


def test_sitemap_lists_every_public_page_in_every_language_with_alternates(client):
    records = [
        DialogueFactory(),
        ThemeFactory(),
        FindingFactory(),
        RecommendationFactory(),
        OrganizationFactory(),
        PersonFactory(),
    ]
    hidden = [
        DialogueFactory(draft=True),
        ThemeFactory(in_review=True),
        FindingFactory(scheduled=True),
        RecommendationFactory(dialogue=DialogueFactory(draft=True)),
        OrganizationFactory(draft=True),
        PersonFactory(private=True),
    ]
    entries = sitemap_entries(client)
    paths = ["/", "/dialogues/", "/themes/", "/findings/", "/recommendations/", "/organisations/"]
    paths += [record.get_absolute_url().replace("/en/", "/", 1) for record in records]
    for path in paths:
        for lang in ("en", "fr", "ko"):
            url = f"http://testserver/{lang}{path}"
            assert url in entries, url
            alternates = entries[url]
            assert alternates == {
                "en": f"http://testserver/en{path}",
                "fr": f"http://testserver/fr{path}",
                "ko": f"http://testserver/ko{path}",
                "x-default": f"http://testserver{path}",
            }
    for record in hidden:
        path = record.get_absolute_url().replace("/en/", "/", 1)
        assert not any(url.endswith(path) for url in entries), path
    # Every page the sitemap names answers.
    for url in entries:
        assert client.get(url.replace("http://testserver", "")).status_code == 200, url


def test_sitemap_index_names_every_section(client):
    index = client.get("/sitemap.xml")
    assert index["Content-Type"].startswith("application/xml")
    body = index.content.decode()
    for section in sitemaps:
        assert f"http://testserver/sitemap-{section}.xml" in body


def test_sitemap_uses_site_url(client, settings):
    settings.SITE_URL = "https://atlas.example.net"
    FindingFactory()
    assert "https://atlas.example.net/sitemap-findings.xml" in client.get("/sitemap.xml").content.decode()
    section = client.get("/sitemap-findings.xml").content.decode()
    assert "https://atlas.example.net/fr/findings/" in section
    assert "testserver" not in section


def test_robots_txt_names_the_sitemap(client, settings):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "User-agent: *" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert settings.ADMIN_URL not in body
