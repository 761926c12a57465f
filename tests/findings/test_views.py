"""Home, search, findings and recommendations pages: query counts, facets, filters, preview."""

import re

import pytest
from django.utils import translation

from tests.dialogue.factories import (
    DialogueDocumentFactory,
    DialogueFactory,
    DialogueOrganizerFactory,
    ThemeFactory,
)
from tests.findings.factories import FindingFactory, RecommendationFactory, RecommendationUpdateFactory
from tests.stakeholders.factories import OrganizationFactory
from tests.web.helpers import html, queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _render_every_request(settings):
    # The public page cache would answer repeated requests without running the view's queries;
    # and the test client leaves the last request's language active: start in English.
    settings.PUBLIC_CACHE_ENABLED = False
    translation.activate("en")


def populate(size: int):
    """`size` dialogues, each with `size` findings and recommendations on `size` themes."""
    for _ in range(size):
        dialogue = DialogueFactory()
        DialogueOrganizerFactory(dialogue=dialogue)
        themes = [ThemeFactory() for _ in range(size)]
        dialogue.themes.set(themes)
        previous = None
        for _ in range(size):
            finding = FindingFactory(dialogue=dialogue, themes=themes, kind="key_finding")
            recommendation = RecommendationFactory(dialogue=dialogue, themes=themes)
            recommendation.source_findings.add(finding)
            recommendation.addressee_organizations.add(OrganizationFactory())
            RecommendationUpdateFactory(recommendation=recommendation)
            if previous:
                recommendation.follows = previous
                recommendation.follow_up_kind = "reiterated"
                recommendation.save()
            previous = recommendation


def same_count(client, url_one, url_many, expected, *, again=None):
    """`expected` queries for one record and for many; `again` for the same request repeated."""
    one = queries_for(client, url_one)
    populate(5)
    url_many = url_many() if callable(url_many) else url_many
    many = queries_for(client, url_many)
    assert len(one) == len(many) == expected, (len(one), len(many))
    if again is not None:
        assert len(queries_for(client, url_many)) == again


# After a change, a list with memoized counts (core.memo.public_memo) first looks up the next
# scheduled publication of each publishable model.
DUE_QUERIES = 6


def test_home_query_count_is_fixed(client):
    populate(1)
    # latest dialogues, their themes, organisers; key findings, their themes; themes tree
    same_count(client, "/en/", "/en/", 6)


@pytest.mark.parametrize(
    "query",
    ["", "?q=energy", "?theme=__theme__", "?kind=key_finding&perspective=consensus", "?page=1"],
)
def test_finding_list_query_count_is_fixed(client, query):
    populate(1)
    theme = ThemeFactory(slug="fixed-theme")
    FindingFactory(themes=[theme], title_en="Energy")
    url = "/en/findings/" + query.replace("__theme__", "fixed-theme")
    # theme choices, dialogue choices, count, page (+ dialogue), themes of the page, the versions
    # of its findings (their cards are kept: core.fragments); the four
    # facets' counts in one query (findings.selectors.finding_facet_counts_public). Then the
    # choices, the count (not a search's: its ranked page query counts too) and the facets are
    # memoized: the page, its themes and their versions are read.
    same_count(client, url, url, DUE_QUERIES + 7, again=4 if "q=" in query else 3)


def test_finding_detail_query_count_is_fixed(client):
    one = FindingFactory()
    RecommendationFactory(dialogue=one.dialogue).source_findings.add(one)
    many = FindingFactory(themes=[ThemeFactory() for _ in range(6)])
    DialogueOrganizerFactory.create_batch(4, dialogue=many.dialogue)
    for _ in range(6):
        recommendation = RecommendationFactory(dialogue=many.dialogue, themes=[ThemeFactory()])
        recommendation.source_findings.add(many)
        recommendation.addressee_organizations.add(OrganizationFactory())
    # finding (+ dialogue), themes, recommendations, their themes, their addressees, the dialogue's
    # organisers (citation authors); and for a finding that cites a source document, that document
    # if its dialogue is public
    assert len(queries_for(client, one.get_absolute_url())) == 6
    assert len(queries_for(client, many.get_absolute_url())) == 6
    cited = FindingFactory(source_document=DialogueDocumentFactory())
    RecommendationFactory(dialogue=cited.dialogue).source_findings.add(cited)
    assert len(queries_for(client, cited.get_absolute_url())) == 7


@pytest.mark.parametrize("query", ["", "?status=proposed", "?theme=__theme__", "?addressee=KR"])
def test_recommendation_list_query_count_is_fixed(client, query):
    theme = ThemeFactory(slug="fixed-theme")
    RecommendationFactory(themes=[theme], addressee_countries=["KR"])
    url = "/en/recommendations/" + query.replace("__theme__", "fixed-theme")
    # theme choices, addressee organisations, addressee countries, count, page (+ dialogue),
    # themes, addressees, updates; status and theme counts (theme: direct and with sub-themes).
    # Then the count and the status counts are memoized.
    same_count(client, url, url, DUE_QUERIES + 11, again=7)


def test_recommendation_detail_query_count_is_fixed(client):
    populate(1)
    from findings.models import Recommendation

    one = Recommendation.objects.first()
    populate(5)
    many = Recommendation.objects.filter(follows__isnull=False).last()
    for _ in range(4):
        # Later editions of the same series take the recommendation up.
        later_edition = DialogueFactory(series=many.dialogue.series)
        RecommendationFactory(dialogue=later_edition, follows=many, follow_up_kind="revised")
        RecommendationUpdateFactory(recommendation=many)
    # recommendation (+ dialogue), themes, addressees, updates, source findings (+ dialogue),
    # their themes, follow-ups (+ dialogue), organisers; and for a recommendation that follows
    # another, its lineage: its public ancestors (+ dialogue), in one query
    assert len(queries_for(client, one.get_absolute_url())) == 8
    queries = queries_for(client, many.get_absolute_url())
    assert len(queries) == 9, "\n".join(q[:90] + " … " + q[-120:] for q in queries)
    deeper = Recommendation.objects.filter(follows=many).first()
    deeper.source_findings.add(FindingFactory(dialogue=deeper.dialogue))
    assert len(queries_for(client, deeper.get_absolute_url())) == 9  # longer lineage, same count


def test_the_page_and_the_api_show_the_same_lineage_across_series(client):
    """One lineage computation for both: every public ancestor, whichever series it is in, oldest
    first, stopping at a hidden link; the page's query count does not grow with the lineage."""
    from django.urls import reverse

    root = RecommendationFactory(title_en="Root across series")
    hidden = RecommendationFactory(draft=True, follows=root, follow_up_kind="revised")
    chain = [RecommendationFactory(follows=hidden, follow_up_kind="revised", title_en="After hidden 0")]
    for n in range(1, 4):  # each in a dialogue of its own series
        chain.append(
            RecommendationFactory(
                follows=chain[-1], follow_up_kind="reiterated", title_en=f"After hidden {n}"
            )
        )
    last = chain[-1]
    expected = chain[:-1]
    record = client.get(reverse("api:recommendations-detail", args=[last.pk]), {"lang": "en"}).json()
    assert [link["id"] for link in record["lineage"]] == [rec.pk for rec in expected]
    page = html(client.get(last.get_absolute_url()))
    lineage = page[page.index('class="lineage"') :]
    shown = [int(pk) for pk in re.findall(r'href="/en/recommendations/(\d+)/"', lineage)]
    assert shown == [rec.pk for rec in expected]
    assert "Root across series" not in page
    assert len(queries_for(client, last.get_absolute_url())) == len(
        queries_for(client, chain[1].get_absolute_url())
    )


def searchable(size: int):
    """`size` records of every searchable kind, all matching the word "borealis"."""
    for _ in range(size):
        dialogue = DialogueFactory(summary_en="Borealis dialogue")
        DialogueOrganizerFactory(dialogue=dialogue)
        theme = ThemeFactory(description_en="Borealis theme")
        dialogue.themes.add(theme)
        FindingFactory(dialogue=dialogue, summary_en="Borealis finding", themes=[theme])
        RecommendationFactory(dialogue=dialogue, body_en="Borealis recommendation", themes=[theme])
        OrganizationFactory(description_en="Borealis organisation")


def test_search_query_count_is_fixed(client):
    searchable(1)
    one = queries_for(client, "/en/search/?q=borealis")
    searchable(12)
    many = queries_for(client, "/en/search/?q=borealis")
    # per kind (dialogues, findings, recommendations, themes, organisations): a count and a page;
    # plus prefetches: dialogues' themes and organisers, findings' themes, recommendations'
    # themes, addressees and updates
    assert len(one) == len(many) == 16


def test_facets_show_counts_from_the_public_set_only(client):
    theme = ThemeFactory(slug="trade", name_en="Trade")
    other = ThemeFactory(slug="health", name_en="Health")
    FindingFactory.create_batch(3, themes=[theme], kind="risk")
    FindingFactory(themes=[theme], kind="opportunity")
    FindingFactory(themes=[theme], draft=True)
    FindingFactory(themes=[theme], dialogue=DialogueFactory(draft=True))
    FindingFactory(themes=[other], kind="risk")
    page = html(client.get("/en/findings/?theme=trade"))
    assert "4 findings" in page
    facet = page[page.index('id="facet-kind"') :]
    assert re.search(r'kind=risk">Risk <span class="count">3</span>', facet)
    assert re.search(r'kind=opportunity">Opportunity <span class="count">1</span>', facet)
    themes = page[page.index('id="facet-theme"') :]
    assert re.search(r'aria-current="true" class="selected">Trade <span class="count">4</span>', themes)
    # Other facets are counted with the theme filter applied; the theme facet without it.
    assert re.search(r'theme=health">Health <span class="count">1</span>', themes)


def test_parent_theme_facet_counts_sub_theme_findings(client):
    parent = ThemeFactory(slug="energy", name_en="Energy")
    child = ThemeFactory(slug="hydrogen", name_en="Hydrogen", parent=parent)
    FindingFactory(themes=[parent])
    FindingFactory(themes=[child])
    FindingFactory(themes=[parent, child])
    page = html(client.get("/en/findings/"))
    assert re.search(r'theme=energy">Energy <span class="count">3</span>', page)
    assert re.search(r'theme=hydrogen">Hydrogen <span class="count">2</span>', page)
    assert "3 findings" in html(client.get("/en/findings/?theme=energy"))


@pytest.mark.parametrize(
    "query",
    ["?theme=unknown", "?kind=rumour", "?dialogue=%00", "?perspective=x" * 3, "?theme=" + "a" * 500],
)
def test_invalid_filters_are_a_400_with_a_message(client, query):
    FindingFactory()
    response = client.get("/en/findings/" + query)
    assert response.status_code == 400
    assert "Some filters are not valid" in html(response)


def test_hidden_theme_is_not_a_filter_choice(client):
    hidden = ThemeFactory(slug="secret-theme", draft=True)
    FindingFactory(themes=[hidden])
    assert client.get("/en/findings/?theme=secret-theme").status_code == 400
    assert client.get("/en/recommendations/?theme=secret-theme").status_code == 400


def test_page_out_of_range_is_404(client):
    FindingFactory()
    assert client.get("/en/findings/?page=99").status_code == 404
    assert client.get("/en/findings/?page=abc").status_code == 404


def test_tracker_filters_by_status_theme_and_addressee(client):
    org = OrganizationFactory(slug="ministry", name_en="Ministry of Science")
    theme = ThemeFactory(slug="ai")
    to_ministry = RecommendationFactory(current_status="in_progress", addressee_countries=[], themes=[theme])
    to_ministry.addressee_organizations.add(org)
    to_korea = RecommendationFactory(
        current_status="proposed", addressee_countries=["KR"], title_en="For Korea"
    )
    to_canada = RecommendationFactory(
        current_status="implemented", addressee_countries=["CA"], title_en="For Canada"
    )
    draft_org = OrganizationFactory(slug="hidden-ministry", draft=True)
    to_ministry.addressee_organizations.add(draft_org)

    def titles(query):
        page = html(client.get("/en/recommendations/" + query))
        return {r.title for r in (to_ministry, to_korea, to_canada) if r.get_absolute_url() in page}

    assert titles("?status=in_progress") == {to_ministry.title}
    assert titles("?theme=ai") == {to_ministry.title}
    assert titles("?addressee=ministry") == {to_ministry.title}
    assert titles("?addressee=KR") == {to_korea.title}
    assert titles("?addressee=kr") == {to_korea.title}  # country codes in either case
    assert titles("?addressee=CA") == {to_canada.title}
    assert client.get("/en/recommendations/?addressee=hidden-ministry").status_code == 400
    assert client.get("/en/recommendations/?addressee=ZZ").status_code == 400
    page = html(client.get("/en/recommendations/"))
    assert '<span class="status status-implemented">Implemented</span> <span class="count">1</span>' in page


# --- staff preview ------------------------------------------------------------------------------


@pytest.mark.parametrize("trait", ["draft", "in_review", "scheduled"])
def test_hidden_finding_and_recommendation_preview_for_staff_only(client, make_staff, login, trait):
    finding = FindingFactory(**{trait: True}, title_en="Unpublished finding text")
    recommendation = RecommendationFactory(**{trait: True}, title_en="Unpublished recommendation text")
    orphan = FindingFactory(
        dialogue=DialogueFactory(**{trait: True}), title_en="Finding of a hidden dialogue"
    )
    records = [(finding, finding.title), (recommendation, recommendation.title), (orphan, orphan.title)]
    for record, _title in records:
        assert client.get(record.get_absolute_url()).status_code == 404
    login(make_staff("editor", "Editor"))
    for record, title in records:
        response = client.get(record.get_absolute_url())
        assert response.status_code == 200
        assert title in html(response) and "Preview — not published." in html(response)
    # Previews never leak into the lists, even for staff.
    assert finding.title not in html(client.get("/en/findings/"))
    assert recommendation.title not in html(client.get("/en/recommendations/"))
    client.logout()
    assert client.get(finding.get_absolute_url()).status_code == 404


def test_long_facets_show_the_busiest_values_and_the_selected_one(client):
    busy = DialogueFactory(slug="busy-dialogue")
    FindingFactory.create_batch(3, dialogue=busy)
    quiet = [DialogueFactory(slug=f"quiet-{n}") for n in range(14)]
    for dialogue in quiet:
        FindingFactory(dialogue=dialogue)
    page = html(client.get("/en/findings/"))
    facet = page[
        page.index('id="facet-dialogue"') : page.index("</section>", page.index('id="facet-dialogue"'))
    ]
    assert facet.count("<li>") == 12
    assert "dialogue=busy-dialogue" in facet
    selected = html(client.get("/en/findings/?dialogue=quiet-13"))
    facet = selected[selected.index('id="facet-dialogue"') :]
    assert 'aria-current="true"' in facet[: facet.index("</section>")]
