"""Citing records: the scholarly meta tags reference managers and Google Scholar read, RIS,
CSL-JSON and BibTeX downloads, APA and Chicago in the page's language."""

import datetime as dt
import json
import warnings
from html.parser import HTMLParser

import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from django.utils import timezone

from core.citations import CSL_DIR
from tests.dialogue.factories import DialogueFactory, DialogueOrganizerFactory
from tests.findings.factories import FindingFactory, RecommendationFactory
from tests.stakeholders.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

PUBLISHED = timezone.make_aware(dt.datetime(2025, 7, 12, 9, 0))


class EmbeddedMetadata(HTMLParser):
    """What Zotero's Embedded Metadata translator reads from a page: every `<meta name>` whose
    name starts with `citation_` (Highwire Press) or `DC.`, case-insensitive, in order; the
    item is a report when `citation_technical_report_institution` is present."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, str]] = []
        self.links: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("name", "").lower().startswith(("citation_", "dc.")):
            self.tags.append((attrs["name"].lower(), attrs.get("content", "")))
        if tag == "link":
            self.links.append(attrs)

    def values(self, name: str) -> list[str]:
        return [content for key, content in self.tags if key == name.lower()]

    def item(self) -> dict:
        return {
            "itemType": "report" if self.values("citation_technical_report_institution") else "webpage",
            "title": (self.values("citation_title") or self.values("dc.title"))[0],
            "creators": self.values("citation_author") or self.values("dc.creator"),
            "date": (self.values("citation_publication_date") or self.values("dc.date") or [""])[0],
            "institution": (self.values("citation_technical_report_institution") or [""])[0],
            "language": (self.values("citation_language") or self.values("dc.language") or [""])[0],
            "url": (self.values("citation_public_url") or self.values("citation_abstract_html_url"))[0],
        }


def metadata(page: str) -> EmbeddedMetadata:
    parser = EmbeddedMetadata()
    parser.feed(page)
    return parser


@pytest.fixture
def finding():
    dialogue = DialogueFactory(
        slug="seoul-2025", title_en="Seoul Dialogue 2025", title_fr="Dialogue de Séoul 2025"
    )
    for slug, name in (("apf", "Asia Pacific Foundation"), ("kiep", "Korea Institute")):
        DialogueOrganizerFactory(dialogue=dialogue, organization=OrganizationFactory(slug=slug, name_en=name))
    return FindingFactory(
        dialogue=dialogue,
        title_en="LNG exports to Korea",
        title_fr="Exportations de GNL vers la Corée",
        title_ko="한국으로의 LNG 수출",
        published_at=PUBLISHED,
    )


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("en", "LNG exports to Korea"),
        ("fr", "Exportations de GNL vers la Corée"),
        ("ko", "한국으로의 LNG 수출"),
    ],
)
def test_a_finding_page_has_the_tags_zoteros_embedded_metadata_translator_reads(client, finding, lang, title):
    url = f"/{lang}/findings/{finding.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    found = metadata(response.content.decode())
    item = found.item()
    assert item == {
        "itemType": "report",
        "title": title,
        "creators": item["creators"],
        "date": "2025/07/12",
        "institution": "Dialogue Atlas",
        "language": lang,
        "url": f"http://testserver{url}",
    }
    assert len(item["creators"]) == 2 and all(item["creators"])  # the organising institutions
    # Dublin Core, declared as such.
    assert {"rel": "schema.DC", "href": "http://purl.org/dc/elements/1.1/"} in found.links
    assert found.values("dc.title") == [title] and found.values("dc.date") == ["2025-07-12"]
    assert found.values("dc.creator") == item["creators"] and found.values("dc.language") == [lang]
    assert found.values("dc.identifier") == [f"http://testserver{url}"]
    # The "cite this" block offers every form.
    page = response.content.decode()
    for suffix in ("cite.ris", "cite.json", "cite.bib"):
        assert f'href="http://testserver{url}{suffix}"' in page
    assert 'class="citation-apa"' in page and 'class="citation-chicago"' in page


def test_recommendation_and_dialogue_pages_have_them_too(client, finding):
    recommendation = RecommendationFactory(dialogue=finding.dialogue, title_en="Open the LNG terminal")
    for url, title in (
        (f"/en/recommendations/{recommendation.pk}/", "Open the LNG terminal"),
        ("/fr/dialogues/seoul-2025/", "Dialogue de Séoul 2025"),
    ):
        item = metadata(client.get(url).content.decode()).item()
        assert item["itemType"] == "report" and item["title"] == title and len(item["creators"]) == 2


def test_the_ris_download_parses_with_rispy(client, finding):
    response = client.get(f"/fr/findings/{finding.pk}/cite.ris")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="atlas-finding-{finding.pk}.ris"'
    (entry,) = rispy.loads(response.content.decode())
    assert entry["type_of_reference"] == "RPRT"
    assert entry["title"] == "Exportations de GNL vers la Corée"
    assert len(entry["authors"]) == 2
    assert entry["year"] == "2025" and entry["publisher"] == "Dialogue Atlas"
    assert entry["urls"] == [f"http://testserver/fr/findings/{finding.pk}/"]
    assert entry["language"] == "fr"


@pytest.mark.parametrize(
    ("lang", "locale", "expected"),
    [
        ("en", "en-US", "LNG exports to Korea"),
        ("fr", "fr-FR", "Exportations de GNL vers la Corée"),
        ("ko", "ko-KR", "한국으로의 LNG 수출"),
    ],
)
def test_the_csl_json_renders_with_citeproc_in_apa(client, finding, lang, locale, expected):
    response = client.get(f"/{lang}/findings/{finding.pk}/cite.json")
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    items = json.loads(response.content)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        style = CitationStylesStyle(str(CSL_DIR / "apa.csl"), locale=locale, validate=False)
        bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
        bibliography.register(Citation([CitationItem(items[0]["id"])]))
        (entry,) = bibliography.bibliography()
    text = str(entry)
    assert expected in text and "(2025" in text and f"/{lang}/findings/{finding.pk}/" in text
    # The page shows the same reference, formatted in its language.
    page = client.get(f"/{lang}/findings/{finding.pk}/").content.decode()
    assert expected in page.split('class="citation-apa"')[1].split("</p>")[0]


def test_chicago_follows_the_pages_language(client, finding):
    chicago = {}
    for lang in ("en", "fr", "ko"):
        page = client.get(f"/{lang}/findings/{finding.pk}/").content.decode()
        chicago[lang] = page.split('class="citation-chicago"')[1].split("</p>")[0]
    # Each locale's terms: the conjunction between the organising institutions.
    assert ", and " in chicago["en"] and ", et " in chicago["fr"]
    assert "한국으로의 LNG 수출" in chicago["ko"] and ", and " not in chicago["ko"]


def test_the_bibtex_download_is_the_blocks_bibtex(client, finding):
    response = client.get(f"/en/findings/{finding.pk}/cite.bib")
    assert response.status_code == 200
    assert response.content.decode().startswith(f"@misc{{atlas-finding-{finding.pk},")


def test_hidden_records_have_no_citation_and_unknown_formats_are_404(client, finding):
    draft = FindingFactory(dialogue=finding.dialogue, draft=True)
    for fmt in ("ris", "json", "bib"):
        assert client.get(f"/en/findings/{draft.pk}/cite.{fmt}").status_code == 404
    assert client.get(f"/en/findings/{finding.pk}/cite.pdf").status_code == 404
    assert client.get("/en/dialogues/no-such-dialogue/cite.ris").status_code == 404
