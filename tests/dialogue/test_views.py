"""Dialogue and theme pages: fixed query counts, staff preview, Markdown sanitising."""

import pytest
from django.utils import translation

from tests.dialogue.factories import (
    DialogueDocumentFactory,
    DialogueFactory,
    DialogueOrganizerFactory,
    DialogueSeriesFactory,
    MilestoneFactory,
    ParticipationFactory,
    SessionFactory,
    ThemeFactory,
)
from tests.findings.factories import FindingFactory, RecommendationFactory
from tests.web.helpers import html, queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _render_every_request(settings):
    # The public page cache would answer repeated requests without running the view's queries;
    # and the test client leaves the last request's language active: start in English.
    settings.PUBLIC_CACHE_ENABLED = False
    translation.activate("en")


def rich_dialogue(size: int, series=None):
    """A public dialogue with `size` of each related thing."""
    dialogue = DialogueFactory(series=series or DialogueSeriesFactory(), is_chatham_house=False)
    for _ in range(size):
        theme = ThemeFactory()
        dialogue.themes.add(theme)
        DialogueOrganizerFactory(dialogue=dialogue)
        MilestoneFactory(series=dialogue.series)
        SessionFactory(dialogue=dialogue).themes.add(theme)
        DialogueDocumentFactory(dialogue=dialogue)
        ParticipationFactory(dialogue=dialogue)
        FindingFactory(dialogue=dialogue, themes=[theme])
        recommendation = RecommendationFactory(dialogue=dialogue, themes=[theme])
        recommendation.addressee_organizations.add(dialogue.organizer_roles.first().organization)
    return dialogue


def test_dialogue_list_query_count_is_fixed(client, django_assert_num_queries):
    rich_dialogue(1)
    # count, page of dialogues, their public themes, their public organisers
    with django_assert_num_queries(4):
        client.get("/en/dialogues/")
    for _ in range(6):
        rich_dialogue(3)
    with django_assert_num_queries(4):
        assert client.get("/en/dialogues/").status_code == 200


# After a change, the first read of the public data state looks up the next scheduled publication
# of each publishable model (core.cache.public_state).
DUE_QUERIES = 6


def queries_after_a_change(client, url: str) -> list[str]:
    """The SQL of a GET of `url` with nothing kept from before (as after any change)."""
    from django.core.cache import cache

    cache.clear()
    return queries_for(client, url)


@pytest.mark.parametrize("chatham_house", [False, True])
def test_dialogue_detail_query_count_is_fixed(client, django_assert_num_queries, chatham_house):
    one = rich_dialogue(1)
    many = rich_dialogue(8)
    for dialogue in (one, many):
        dialogue.is_chatham_house = chatham_house
        dialogue.save()
    # dialogue, public series, themes, organisers (+ organisation), milestones, sessions,
    # session themes, documents, participations (+ person), their public organisations, public
    # findings, their themes, public recommendations, their themes, addressees, updates;
    # the series' other public editions (previous and next links); and under the Chatham House
    # rule the profile's one aggregate query. The findings' cards are kept under their versions
    # (one query; core.fragments), which reads the public data state: after
    # a change, the next scheduled publication of each publishable model (six queries, once).
    expected = 17 + 1 + DUE_QUERIES + (1 if chatham_house else 0)
    assert len(queries_after_a_change(client, one.get_absolute_url())) == expected
    assert len(queries_after_a_change(client, many.get_absolute_url())) == expected


def test_theme_list_query_count_is_fixed(client):
    ThemeFactory()
    FindingFactory(themes=[ThemeFactory()])
    small = len(queries_for(client, "/en/themes/"))
    for _ in range(6):
        parent = ThemeFactory()
        ThemeFactory(parent=parent)
        FindingFactory(themes=[parent])
        RecommendationFactory(themes=[parent], current_status="in_progress")
    # themes tree, then for the charts: themes, finding counts (2), recommendation counts (2)
    assert small == len(queries_for(client, "/en/themes/")) == 6


def test_theme_detail_query_count_is_fixed(client):
    one = ThemeFactory()
    FindingFactory(themes=[one])
    RecommendationFactory(themes=[one])
    many = ThemeFactory()
    for _ in range(7):
        ThemeFactory(parent=many)
        FindingFactory(themes=[many, ThemeFactory()])
        RecommendationFactory(themes=[many])
    # theme (+ parent), sub-themes, findings page (+ dialogue), their themes, findings count,
    # recommendations page (+ dialogue), their themes, addressees, updates, recommendations count;
    # the findings' versions (their cards are kept), and after a change the due publications
    assert len(queries_after_a_change(client, one.get_absolute_url())) == 10 + 1 + DUE_QUERIES
    assert len(queries_after_a_change(client, many.get_absolute_url())) == 10 + 1 + DUE_QUERIES


def test_theme_page_includes_sub_themes_records(client):
    parent = ThemeFactory(name_en="Energy")
    child = ThemeFactory(parent=parent, name_en="Hydrogen")
    finding = FindingFactory(themes=[child], title_en="Hydrogen corridors matter")
    page = html(client.get(parent.get_absolute_url()))
    assert finding.title in page
    assert child.get_absolute_url() in page


def test_context_markdown_is_sanitised(client):
    dialogue = DialogueFactory(
        context_en=(
            "# Heading\n\nSome **bold** text and [a link](https://example.org).\n\n"
            "<script>alert(1)</script><img src=x onerror=alert(2)>"
            '<a href="javascript:alert(3)">bad</a> <p style="color:red" onclick="x()">styled</p>'
        )
    )
    page = html(client.get(dialogue.get_absolute_url()))
    context = page[page.index('id="context"') : page.index("</section>", page.index('id="context"'))]
    assert "<strong>bold</strong>" in context
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">a link</a>' in context
    assert "<h3>Heading</h3>" in context  # demoted below the page's own headings
    for bad in ("<script", "onerror", "javascript:", "onclick", "style=", "<img"):
        assert bad not in context


def test_series_of_a_public_dialogue_shows_its_milestones_in_order(client):
    series = DialogueSeriesFactory()
    MilestoneFactory(series=series, event_date="2024-03-01", date_precision="month", title_en="Later")
    MilestoneFactory(series=series, event_date="2014-01-01", date_precision="year", title_en="Earlier")
    page = html(client.get(DialogueFactory(series=series).get_absolute_url()))
    assert page.index("Earlier") < page.index("Later")
    assert '<time datetime="2024-03">March 2024</time>' in page


# --- staff preview ------------------------------------------------------------------------------


@pytest.mark.parametrize("trait", ["draft", "in_review", "scheduled"])
def test_hidden_dialogue_is_404_for_the_public_and_previewed_for_staff(client, make_staff, login, trait):
    dialogue = DialogueFactory(**{trait: True}, title_en="Draft dialogue on chips")
    theme = ThemeFactory(**{trait: True}, name_en="Draft theme on chips")
    for record in (dialogue, theme):
        assert client.get(record.get_absolute_url()).status_code == 404
    login(make_staff("analyst", "Analyst"))
    for record, title in ((dialogue, "Draft dialogue on chips"), (theme, "Draft theme on chips")):
        response = client.get(record.get_absolute_url())
        assert response.status_code == 200
        page = html(response)
        assert title in page
        assert "Preview — not published." in page
        assert "no-store" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_staff_without_view_permission_cannot_preview(client, make_staff, login):
    dialogue = DialogueFactory(draft=True)
    login(make_staff("nobody"))  # staff, but in no group: no view permission
    assert client.get(dialogue.get_absolute_url()).status_code == 404


def test_public_record_shows_no_preview_banner_to_staff(client, make_staff, login):
    dialogue = DialogueFactory()
    login(make_staff("analyst", "Analyst"))
    assert "Preview — not published." not in html(client.get(dialogue.get_absolute_url()))


def test_a_dialogue_page_links_the_previous_and_next_public_editions(client):
    series = DialogueSeriesFactory()
    first = DialogueFactory(series=series, edition=1, title_en="First edition")
    second = DialogueFactory(series=series, edition=2, title_en="Second edition")
    DialogueFactory(series=series, edition=3, title_en="Draft third edition", draft=True)
    fourth = DialogueFactory(series=series, edition=4, title_en="Fourth edition")
    page = client.get(second.get_absolute_url()).content.decode()
    assert f'href="{first.get_absolute_url()}" rel="prev"' in page
    assert f'href="{fourth.get_absolute_url()}" rel="next"' in page  # the draft third is skipped
    assert "Draft third edition" not in page
    first_page = client.get(first.get_absolute_url()).content.decode()
    assert 'rel="prev"' not in first_page and f'href="{second.get_absolute_url()}" rel="next"' in first_page
