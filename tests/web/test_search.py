"""Site-wide search: any language, reader's language first, highlighted, never a 500."""

import pytest

from core.highlight import excerpt, highlight, match_pattern
from tests.dialogue.factories import DialogueFactory, ThemeFactory
from tests.findings.factories import FindingFactory, RecommendationFactory
from tests.stakeholders.factories import OrganizationFactory
from tests.web.helpers import html

pytestmark = pytest.mark.django_db


def results_section(page: str, key: str) -> str:
    start = page.find(f'id="results-{key}"')
    if start == -1:
        return ""
    end = page.find("</section>", start)
    return page[start:end]


def test_search_covers_every_kind_of_record(client, db):
    DialogueFactory(title_en="Quantum dialogue")
    FindingFactory(title_en="Quantum sensing finding")
    RecommendationFactory(title_en="Fund quantum research")
    ThemeFactory(name_en="Quantum technologies")
    OrganizationFactory(name_en="Quantum Institute")
    page = html(client.get("/en/search/?q=quantum"))
    for key in ("dialogues", "findings", "recommendations", "themes", "organisations"):
        assert results_section(page, key), key
    assert "5 results" in page


def test_matches_are_highlighted_and_record_text_is_escaped(client, db):
    FindingFactory(
        title_en="<script>alert('x')</script> Hydrogen corridor", summary_en="A hydrogen <b>plan</b>."
    )
    page = html(client.get("/en/search/?q=hydrogen"))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; <mark>Hydrogen</mark> corridor" in page
    assert "<b>plan</b>" not in page


def test_query_is_escaped_when_shown_back(client, db):
    page = html(client.get('/en/search/?q="><img src=x onerror=alert(1)>'))
    assert "<img src=x" not in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page


def test_empty_query_shows_guidance_and_no_results(client, db):
    FindingFactory()
    response = client.get("/en/search/")
    assert response.status_code == 200
    page = html(response)
    assert "Type a word or a phrase above" in page
    assert 'class="result-group"' not in page


def test_no_result_shows_a_clear_empty_state(client, db):
    FindingFactory()
    page = html(client.get("/en/search/?q=xylophone"))
    assert "0 results for" in page
    assert "Nothing matched your search" in page


@pytest.mark.parametrize(
    "query",
    [
        "가격제 & | (",
        "주택 ' )",
        "!!!",
        ":*",
        "a' OR 1=1 --",
        "\\",
        "%",
        "_",
        "( ) & | ! <->",
        "energy\u200bsecurity",
        "😀",
        "x" * 200,
    ],
)
def test_hostile_or_odd_queries_never_error(client, db, query):
    FindingFactory(title_en="Energy security")
    for url in ("/en/search/", "/ko/search/", "/fr/findings/"):
        response = client.get(url, {"q": query})
        assert response.status_code == 200, (url, query)


@pytest.mark.parametrize("query", ["x" * 201, "nul\x00byte"])
def test_too_long_or_nul_queries_get_a_message_not_a_500(client, db, query):
    for url in ("/en/search/", "/fr/findings/"):
        response = client.get(url, {"q": query})
        assert response.status_code == 400
        assert 'class="form-error"' in html(response)


def test_too_long_query_message_is_clear(client, db):
    page = html(client.get("/en/search/", {"q": "y" * 250}))
    assert "Your search is too long. Please use at most 200 characters." in page


def test_findings_list_search_shows_snippets(client, db):
    FindingFactory(title_en="Grid resilience", summary_en="Storage keeps the grid resilient during peaks.")
    page = html(client.get("/en/findings/?q=storage"))
    assert "<mark>Storage</mark> keeps the grid" in page


def test_highlighter_matches_stems_and_korean_particles():
    pattern = match_pattern("accord 캐나다")
    assert str(highlight("Les accords et le Canada", pattern)) == "Les <mark>accords</mark> et le Canada"
    assert str(highlight("캐나다와 한국", pattern)) == "<mark>캐나다와</mark> 한국"
    assert excerpt("nothing here", pattern) is None
    assert match_pattern("   ") is None
    assert match_pattern("x" * 201) is None


# --- PostgreSQL full-text search: stemming, Korean particles, languages --------------------------


@pytest.mark.postgres
def test_korean_word_finds_it_with_particles_attached(client, db):
    with_wa = FindingFactory(
        title_ko="캐나다와 한국의 협력", title_en="Cooperation one", title_fr="Coopération un"
    )
    with_ui = FindingFactory(
        title_ko="캐나다의 에너지 수출", title_en="Exports two", title_fr="Exportations deux"
    )
    other = FindingFactory(
        title_ko="일본의 반도체", title_en="Chips three", title_fr="Puces trois", summary_ko="반도체 공급망."
    )
    page = html(client.get("/ko/search/?q=캐나다"))
    section = results_section(page, "findings")
    assert with_wa.get_absolute_url().replace("/en/", "/ko/") in section
    assert with_ui.get_absolute_url().replace("/en/", "/ko/") in section
    assert other.get_absolute_url().replace("/en/", "/ko/") not in section
    assert "<mark>캐나다와</mark>" in section


@pytest.mark.postgres
def test_french_singular_finds_the_plural(client, db):
    finding = FindingFactory(
        title_fr="Les accords commerciaux bilatéraux",
        title_en="Bilateral deals",
        summary_fr="",
        summary_en="",
    )
    page = html(client.get("/fr/search/?q=accord"))
    section = results_section(page, "findings")
    assert finding.get_absolute_url().replace("/en/", "/fr/") in section
    assert "<mark>accords</mark>" in section


@pytest.mark.postgres
def test_english_stemming_finds_other_forms(client, db):
    finding = FindingFactory(title_en="Governments are regulating chips", summary_en="")
    page = html(client.get("/en/search/?q=government+regulation"))
    assert finding.get_absolute_url() in results_section(page, "findings")


@pytest.mark.postgres
def test_french_word_found_from_an_english_page(client, db):
    finding = FindingFactory(
        title_en="Shared standards",
        summary_en="Both sides agree on standards.",
        title_fr="Normes partagées",
        summary_fr="Les deux parties soutiennent l’interopérabilité des infrastructures.",
    )
    page = html(client.get("/en/search/?q=infrastructures"))
    section = results_section(page, "findings")
    assert finding.get_absolute_url() in section
    # The snippet comes from the French text and says so.
    assert 'lang="fr"' in section and "<mark>infrastructures</mark>" in section


@pytest.mark.postgres
def test_readers_language_ranks_first(client, db):
    in_english = FindingFactory(
        title_en="Battery supply chains", title_fr="Chaînes d’approvisionnement", summary_fr=""
    )
    in_french = FindingFactory(title_en="Critical minerals", title_fr="Minéraux et battery", summary_en="")
    page = html(client.get("/en/search/?q=battery"))
    section = results_section(page, "findings")
    assert section.index(in_english.get_absolute_url()) < section.index(in_french.get_absolute_url())


@pytest.mark.postgres
def test_findings_list_full_text_search_with_facets(client, db):
    theme = ThemeFactory(slug="trade")
    match = FindingFactory(title_fr="Les accords commerciaux", themes=[theme])
    FindingFactory(title_fr="Autre sujet", title_en="Other subject", summary_en="", summary_fr="")
    page = html(client.get("/fr/findings/?q=accord"))
    assert match.get_absolute_url().replace("/en/", "/fr/") in page
    assert "1 constat" in page or "1 finding" in page
    assert '?q=accord&amp;theme=trade"' in page
