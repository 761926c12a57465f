"""One filter definition per list: the site's page, the API list and its CSV export answer alike.

The findings list and the recommendations tracker bind the FilterSets of findings.filters, the
ones the API viewsets use; so a filter's bad value is refused everywhere with the same message,
and a filter selects the same records on the page as in the API.
"""

import re

import pytest
from django.utils.html import escape

from findings.api import FindingViewSet, RecommendationViewSet
from findings.filters import FindingFilterSet, RecommendationFilterSet
from findings.views import FindingListView, RecommendationListView
from tests.findings.factories import FindingFactory, RecommendationFactory
from tests.partners.fixtures import World, configure
from tests.partners.helpers import every_page

pytestmark = pytest.mark.django_db

PAGES = {"findings": "/en/findings/", "recommendations": "/en/recommendations/"}


@pytest.fixture(autouse=True)
def api_settings(settings):
    configure(settings)


@pytest.fixture
def world(db):
    return World()


def test_the_site_lists_and_the_api_lists_share_their_filterset():
    assert FindingListView.filterset_class is FindingViewSet.filterset_class is FindingFilterSet
    assert RecommendationListView.filterset_class is RecommendationViewSet.filterset_class
    assert RecommendationViewSet.filterset_class is RecommendationFilterSet


# (list, parameter, bad value, the API's status): the site answers 400 to all of them, since its
# page still renders, with the form and the message.
BAD = [
    ("findings", "kind", "rumour", 400),
    ("findings", "perspective", "everyone", 400),
    ("findings", "theme", "<b>", 400),
    ("findings", "theme", "no-such-theme", 404),
    ("findings", "theme", "hidden-theme", 404),
    ("findings", "dialogue", "hidden-dialogue", 404),
    ("findings", "q", "x" * 201, 400),
    ("findings", "date_from", "2025-02-30", 400),
    ("findings", "country", "kr", 400),
    ("findings", "ordering", "password", 400),
    ("findings", "updated_since", "yesterday", 400),
    ("recommendations", "status", "published", 400),
    ("recommendations", "theme", "hidden-theme", 404),
    ("recommendations", "addressee", "ZZ", 400),
    ("recommendations", "addressee", "hidden-org", 404),
    ("recommendations", "addressee", "a b", 400),
    ("recommendations", "priority", "urgent", 400),
    ("recommendations", "horizon", "forever", 400),
]


@pytest.mark.parametrize(("resource", "name", "value", "status"), BAD, ids=lambda v: str(v)[:20])
def test_a_bad_value_is_refused_with_one_message_on_the_page_the_api_and_the_csv(
    client, world, resource, name, value, status
):
    api = client.get(f"/api/v1/{resource}/", {name: value})
    assert api.status_code == status, api.content[:300]
    messages = api.json()["errors"][name]
    assert messages and all(messages)

    export = client.get(f"/api/v1/{resource}/", {name: value, "format": "csv"})
    assert export.status_code == status
    assert export["Content-Type"] == "application/json"
    assert export.json()["errors"] == {name: messages}

    page = client.get(PAGES[resource], {name: value})
    assert page.status_code == 400
    for message in messages:
        assert escape(message) in page.content.decode(), (message, name)


def test_the_messages_are_the_filters_own(client, world):
    def message(resource, query):
        return client.get(f"/api/v1/{resource}/?{query}").json()["errors"]

    assert message("findings", "kind=rumour") == {
        "kind": ["Choose one of: key_finding, observation, opportunity, risk."]
    }
    assert message("findings", "theme=no-such-theme") == {
        "theme": ["No public record has the slug “no-such-theme”."]
    }
    assert message("findings", "q=" + "x" * 201) == {
        "q": ["Your search is too long. Please use at most 200 characters."]
    }
    # Every bad value is named at once; one that is malformed makes it a 400.
    both = client.get("/api/v1/findings/?theme=no-such-theme&kind=rumour")
    assert both.status_code == 400 and set(both.json()["errors"]) == {"theme", "kind"}


def site_ids(client, resource: str, params: dict) -> set[int]:
    response = client.get(PAGES[resource], params)
    assert response.status_code == 200, (params, response.status_code)
    return {int(pk) for pk in re.findall(rf'href="/en/{resource}/(\d+)/"', response.content.decode())}


def api_ids(client, resource: str, params: dict) -> set[int]:
    return {item["id"] for item in every_page(client, f"/api/v1/{resource}/", **params)}


FINDING_QUERIES = [
    {},
    {"kind": "risk"},
    {"perspective": "delegation"},
    {"theme": "visible-theme"},  # with its sub-theme
    {"theme": "other-theme", "kind": "risk"},
    {"dialogue": "older-dialogue"},
    {"country": "KR"},  # no facet on the page, the same filter all the same
    {"date_from": "2024-01-01"},
    {"date_to": "2024-01-01"},
    {"q": "semiconductor"},
    {"q": "semiconductor", "kind": "opportunity"},
]
RECOMMENDATION_QUERIES = [
    {},
    {"status": "in_progress"},
    {"theme": "visible-theme"},
    {"addressee": "korean-org"},
    {"addressee": "KR"},
    {"addressee": "kr"},
    {"addressee": "JP"},
    {"priority": "high"},
    {"dialogue": "older-dialogue", "status": "stalled"},
]


@pytest.mark.parametrize("params", FINDING_QUERIES, ids=str)
def test_a_finding_filter_selects_the_same_records_on_the_page_and_in_the_api(client, world, params):
    FindingFactory(dialogue=world.dialogue, title_en="Semiconductor opportunity", kind="opportunity")
    FindingFactory(dialogue=world.older_dialogue, title_en="Semiconductor risk", kind="risk")
    assert site_ids(client, "findings", params) == api_ids(client, "findings", params)


@pytest.mark.parametrize("params", RECOMMENDATION_QUERIES, ids=str)
def test_a_recommendation_filter_selects_the_same_records_on_the_page_and_in_the_api(client, world, params):
    RecommendationFactory(dialogue=world.older_dialogue, addressee_countries=["JP"], priority="low")
    assert site_ids(client, "recommendations", params) == api_ids(client, "recommendations", params)


def test_the_filters_select_something(client, world):
    # The comparisons above would pass on empty lists: make sure they compare real selections.
    assert site_ids(client, "findings", {"country": "KR"}) == {world.finding.pk}
    assert site_ids(client, "findings", {"theme": "visible-theme"}) == {world.finding.pk}
    assert site_ids(client, "recommendations", {"addressee": "kr"}) == api_ids(
        client, "recommendations", {"addressee": "KR"}
    )
    assert site_ids(client, "recommendations", {"priority": "high"}) == {world.recommendation.pk}


def test_a_filter_without_a_control_on_the_page_stays_applied_and_removable(client, world):
    page = client.get("/en/findings/", {"country": "KR", "kind": "key_finding"}).content.decode()
    # The search box keeps it, and it shows among the active filters with a link that drops it.
    assert '<input type="hidden" name="country" value="KR">' in page
    assert 'href="?kind=key_finding">Remove filter: Country: KR</a>' in page
    tracker = client.get("/en/recommendations/", {"priority": "high"}).content.decode()
    assert '<input type="hidden" name="priority" value="high">' in tracker
    assert "Remove filter: Priority: High" in tracker
