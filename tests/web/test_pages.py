"""Every page type renders the demo content in English, French and Korean, with its metadata."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from dialogue.models import Dialogue, Theme
from findings.models import Finding, Recommendation
from stakeholders.models import Organization
from tests.dialogue.factories import ParticipationFactory
from tests.stakeholders.factories import PersonFactory
from tests.web.helpers import LANGUAGES, html

pytestmark = pytest.mark.django_db

DEMO_DIALOGUE = "canada-korea-ai-2025"
TITLES = {
    "en": "First Canada–Korea Track 1.5 Dialogue on Artificial Intelligence",
    "fr": "Premier dialogue de type 1.5 Canada–Corée sur l’intelligence artificielle",
    "ko": "제1차 한-캐나다 인공지능 1.5트랙 대화",
}


def _url(name, lang, **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def page_urls(lang):
    """Every HTML page type, filled with demo content (and one consenting person)."""
    finding = Finding.objects.order_by("order").first()
    recommendation = Recommendation.objects.order_by("order").first()
    person = PersonFactory(organization=Organization.objects.get(slug="stepi"))
    ParticipationFactory(dialogue=Dialogue.objects.get(slug=DEMO_DIALOGUE), person=person)
    return {
        "home": _url("home", lang),
        "dialogue-list": _url("dialogue:dialogue-list", lang),
        "dialogue-detail": _url("dialogue:dialogue-detail", lang, slug=DEMO_DIALOGUE),
        "theme-list": _url("dialogue:theme-list", lang),
        "theme-detail": _url("dialogue:theme-detail", lang, slug="regulatory-alignment"),
        "finding-list": _url("findings:finding-list", lang),
        "finding-detail": _url("findings:finding-detail", lang, pk=finding.pk),
        "recommendation-list": _url("findings:recommendation-list", lang),
        "recommendation-detail": _url("findings:recommendation-detail", lang, pk=recommendation.pk),
        "organization-list": _url("stakeholders:organization-list", lang),
        "organization-detail": _url("stakeholders:organization-detail", lang, slug="apf-canada"),
        "person-detail": _url("stakeholders:person-detail", lang, slug=person.slug),
        "search": _url("search", lang) + "?q=" + {"en": "energy", "fr": "énergie", "ko": "에너지"}[lang],
    }


DETAIL_PAGES = {
    "dialogue-detail": "Event",
    "theme-detail": "DefinedTerm",
    "finding-detail": "CreativeWork",
    "recommendation-detail": "CreativeWork",
    "organization-detail": "Organization",
    "person-detail": "Person",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_type_renders_the_demo_in_each_language(client, demo, lang):
    for kind, url in page_urls(lang).items():
        response = client.get(url)
        assert response.status_code == 200, (kind, url)
        page = html(response)
        assert f'<html lang="{lang}">' in page, kind
        assert response["Content-Language"] == lang
        # No inline style attributes, and no script without the response's nonce (strict CSP).
        assert not re.search(r"\sstyle=", page), kind
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
        for script in re.findall(r"<script[^>]*>", page):
            assert nonce and f'nonce="{nonce.group(1)}"' in script, (kind, script)
        assert 'class="skip-link" href="#main"' in page
        assert '<main id="main"' in page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_show_the_readers_language(client, demo, lang):
    urls = page_urls(lang)
    assert TITLES[lang] in html(client.get(urls["dialogue-detail"]))
    assert TITLES[lang] in html(client.get(urls["dialogue-list"]))
    assert TITLES[lang] in html(client.get(urls["home"]))
    theme = Theme.objects.get(slug="regulatory-alignment")
    assert getattr(theme, f"name_{lang}") in html(client.get(urls["theme-detail"]))
    organization = Organization.objects.get(slug="apf-canada")
    assert getattr(organization, f"acronym_{lang}") in html(client.get(urls["organization-detail"]))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_has_canonical_and_hreflang_alternates(client, demo, lang):
    for kind, url in page_urls(lang).items():
        page = html(client.get(url))
        path = url.split("?")[0]
        assert f'<link rel="canonical" href="http://testserver{path}">' in page, kind
        for other in LANGUAGES:
            other_path = path.replace(f"/{lang}/", f"/{other}/", 1)
            assert f'hreflang="{other}" href="http://testserver{other_path}"' in page, (kind, other)
        default_path = path.replace(f"/{lang}/", "/", 1)
        assert f'hreflang="x-default" href="http://testserver{default_path}"' in page, kind


@pytest.mark.parametrize("lang", LANGUAGES)
def test_detail_pages_have_json_ld_citation_permalink_and_open_graph(client, demo, lang):
    urls = page_urls(lang)
    for kind, schema_type in DETAIL_PAGES.items():
        page = html(client.get(urls[kind]))
        match = re.search(r'<script type="application/ld\+json" nonce="[^"]+">(.*?)</script>', page, re.S)
        assert match, kind
        data = json.loads(match.group(1))
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == schema_type, kind
        assert data["url"] == f"http://testserver{urls[kind]}"
        assert 'id="cite-heading"' in page, kind
        assert "@misc{atlas-" in page, kind
        assert f'<a href="http://testserver{urls[kind]}">' in page, kind  # the permalink
        assert f'<meta property="og:url" content="http://testserver{urls[kind]}">' in page
        assert '<meta property="og:title"' in page


def test_site_url_setting_makes_absolute_urls(client, demo, settings):
    settings.SITE_URL = "https://atlas.example.net"
    url = page_urls("fr")["finding-detail"]
    page = html(client.get(url))
    assert f'<link rel="canonical" href="https://atlas.example.net{url}">' in page
    assert "http://testserver" not in page


def test_dialogue_page_has_context_timeline_organisers_findings_recommendations_documents(client, demo):
    page = html(client.get(_url("dialogue:dialogue-detail", "en", slug=DEMO_DIALOGUE)))
    assert "Canada, a global leader in fundamental AI research" in page  # context, rendered Markdown
    assert "<p>Canada, a global leader" in page
    # Timeline with date precision: years only, in order.
    timeline = page[page.index('id="timeline"') :]
    assert '<time datetime="2014">2014</time>' in timeline
    assert timeline.index("2014") < timeline.index("2022") < timeline.index("2024")
    assert "Co-host" in page and "Host government or embassy" in page
    assert "Energy as a strategic lever" in page
    assert "Align intellectual property, data governance and technical interoperability" in page
    assert "Summary of the Canada–Korea Track 1.5 Dialogue on Artificial Intelligence" in page


def test_milestone_dates_follow_their_precision(client, demo):
    from dialogue.models import Milestone

    milestone = Milestone.objects.order_by("event_date").first()
    milestone.date_precision = "month"
    milestone.save()
    page = html(client.get(_url("dialogue:dialogue-detail", "fr", slug=DEMO_DIALOGUE)))
    assert '<time datetime="2014-01">janvier 2014</time>' in page
    milestone.date_precision = "day"
    milestone.save()
    page = html(client.get(_url("dialogue:dialogue-detail", "en", slug=DEMO_DIALOGUE)))
    assert '<time datetime="2014-01-01">Jan. 1, 2014</time>' in page


def test_themes_page_has_svg_charts_with_data_tables(client, demo):
    page = html(client.get(_url("dialogue:theme-list", "en")))
    assert page.count('<svg class="bar-chart"') == 2
    assert 'role="img"' in page
    assert "Findings per theme" in page and "Recommendation status per theme" in page
    # The data table carries the same numbers as the bars: AI adoption has five findings.
    theme = Theme.objects.get(slug="adoption-commercialisation")
    row = re.search(rf'<a href="{theme.get_absolute_url()}">[^<]+</a></th><td class="num">(\d+)</td>', page)
    assert row and int(row.group(1)) == Finding.objects.public().filter(themes=theme).count()


def test_recommendation_page_shows_status_history_and_lineage(client, demo):
    from tests.findings.factories import RecommendationFactory, RecommendationUpdateFactory

    original = Recommendation.objects.order_by("order").first()
    later = RecommendationFactory(
        follows=original, follow_up_kind="reiterated", title_en="Reiterated call ZZ"
    )
    RecommendationUpdateFactory(recommendation=later, status="in_progress", note_en="Ministers agreed.")
    page = html(client.get(later.get_absolute_url()))
    assert "Status history" in page and "Ministers agreed." in page
    assert "Across dialogue editions" in page
    assert original.get_absolute_url() in page
    assert "Reiterated" in page
    assert later.get_absolute_url() in html(client.get(original.get_absolute_url()))


def test_print_stylesheet_exists_and_is_linked(client, demo):
    from django.contrib.staticfiles import finders

    page = html(client.get(_url("home", "en")))
    assert "css/site.css" in page
    css = open(finders.find("css/site.css"), encoding="utf-8").read()
    assert "@media print" in css
    assert "Noto Sans KR" in css or "Apple SD Gothic Neo" in css


def test_json_ld_cannot_be_broken_out_of(client, db):
    from tests.findings.factories import FindingFactory

    finding = FindingFactory(title_en='</script><script>alert("x")</script> & more')
    page = html(client.get(f"/en/findings/{finding.pk}/"))
    block = re.search(r'<script type="application/ld\+json" nonce="[^"]+">(.*?)</script>', page, re.S)
    assert "<script>alert" not in page
    data = json.loads(block.group(1))
    assert data["name"] == '</script><script>alert("x")</script> & more'


def test_bibtex_escapes_special_characters():
    import datetime as dt

    from core.pages import Citation

    citation = Citation(
        key="atlas-finding-1",
        title="R&D {tax} credits at 50% for C# & $ users_",
        url="https://atlas.example.net/en/findings/1/",
        authors=["APF Canada", "STEPI"],
        container="Dialogue on AI",
        date=dt.date(2025, 7, 9),
        accessed=dt.date(2026, 1, 2),
    )
    bibtex = citation.bibtex()
    assert bibtex.startswith("@misc{atlas-finding-1,")
    assert r"title     = {{R\&D \{tax\} credits at 50\% for C\# \& \$ users\_}}" in bibtex
    assert "author    = {{APF Canada} and {STEPI}}" in bibtex
    assert "year      = {2025}" in bibtex and "urldate   = {2026-01-02}" in bibtex
    unescaped = re.sub(r"\\[{}]", "", bibtex)
    assert unescaped.count("{") == unescaped.count("}")  # balanced once escapes are set aside
    text = citation.text()
    assert text.startswith("APF Canada; STEPI. “R&D {tax} credits")
    assert "https://atlas.example.net/en/findings/1/" in text and "2026-01-02" in text
