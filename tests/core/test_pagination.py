"""The paginator of public lists: ranked searches in one pass, memoized counts that are never stale."""

import datetime as dt

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.changes import changes_rebuild
from core.pagination import CompiledIds, PublicPaginator
from core.search import ranked_slice, search_filter
from findings.models import FINDING_SEARCH_FIELDS, Finding
from findings.selectors import finding_list_public
from tests.findings.factories import FindingFactory

pytestmark = pytest.mark.django_db


def _search(text="hydrogen"):
    return search_filter(finding_list_public(), text=text, fields=FINDING_SEARCH_FIELDS, language="en")


@pytest.fixture
def hydrogen():
    FindingFactory.create_batch(7, title_en="Hydrogen corridors")
    FindingFactory.create_batch(2, title_en="Critical minerals")
    FindingFactory(title_en="Hydrogen hubs", draft=True)


def test_a_ranked_slice_is_the_count_and_the_slice_of_the_search(hydrogen):
    expected = list(_search())
    assert len(expected) == 7
    assert ranked_slice(_search(), 0, 3) == (7, expected[:3])
    assert ranked_slice(_search(), 3, 6) == (7, expected[3:6])
    assert ranked_slice(_search(), 6, 9) == (7, expected[6:])
    assert ranked_slice(_search(), 9, 12) == (7, [])  # past the end: counted apart
    assert ranked_slice(_search("nowhere"), 0, 3) == (0, [])
    ids = [finding.pk for finding in expected]
    assert ranked_slice(_search().values_list("pk", flat=True), 2, 5) == (7, ids[2:5])


def test_a_ranked_page_counts_and_reads_in_two_queries_not_a_count_beside_the_page(hydrogen):
    paginator = PublicPaginator(_search(), 3)
    with CaptureQueriesContext(connection) as captured:
        page = paginator.page(2)
        rows = list(page)
    # the ranked ids with the total, the rows in full, their themes (prefetch)
    assert len(captured) == 3
    assert "COUNT(" in captured[0]["sql"] and "OVER" in captured[0]["sql"]
    assert (paginator.count, paginator.num_pages, page.has_next()) == (7, 3, True)
    assert rows == list(_search())[3:6]


@pytest.mark.parametrize(("number", "error"), [(4, EmptyPage), (0, EmptyPage), ("x", PageNotAnInteger)])
def test_a_ranked_page_out_of_range_is_refused_as_django_would(hydrogen, number, error):
    with pytest.raises(error):
        PublicPaginator(_search(), 3).page(number)


def test_an_empty_search_has_one_empty_first_page():
    page = PublicPaginator(_search("nowhere"), 3).page(1)
    assert (page.paginator.count, list(page)) == (0, [])


def test_a_memoized_count_is_counted_once_per_public_data_state(hydrogen):
    def count():
        return PublicPaginator(finding_list_public(), 3, count_key="all findings").count

    assert count() == 9
    with CaptureQueriesContext(connection) as captured:
        assert count() == 9
    assert len(captured) == 0
    FindingFactory()  # a save changes the public data version
    assert count() == 10
    Finding.objects.filter(title_en="Critical minerals").update(status="draft")  # around the signals
    assert count() == 10  # stale until the log hears of it, as the README says of writes around signals
    changes_rebuild()
    assert count() == 8


def test_counts_under_different_keys_are_kept_apart(hydrogen):
    all_findings = PublicPaginator(finding_list_public(), 3, count_key="all")
    minerals = PublicPaginator(
        finding_list_public().filter(title_en="Critical minerals"), 3, count_key="minerals"
    )
    assert (all_findings.count, minerals.count) == (9, 2)


def test_the_findings_list_counts_and_facets_follow_every_change(client, settings, hydrogen):
    settings.PUBLIC_CACHE_ENABLED = False  # the view runs every time; its counts are memoized

    def kinds():
        response = client.get("/en/findings/")
        facet = next(facet for facet in response.context["facets"] if facet["name"] == "kind")
        return response.context["paginator"].count, {item["value"]: item["count"] for item in facet["items"]}

    total, counts = kinds()
    assert total == 9 and sum(counts.values()) == 9
    finding = Finding.objects.filter(title_en="Critical minerals").first()
    finding.kind = "risk" if finding.kind != "risk" else "opportunity"
    finding.save()
    assert kinds() != (total, counts)
    assert kinds()[1][finding.kind] == counts.get(finding.kind, 0) + 1
    finding.delete()
    assert kinds()[0] == 8


# --- Lists compiled once per public data state ----------------------------------------------------


def _compiled(calls: list):
    def build():
        calls.append(1)
        return finding_list_public().order_by("-published_at", "pk").values_list("pk", flat=True)

    return CompiledIds("test:findings", build)


def test_compiled_ids_cut_the_same_pages_as_the_queryset(hydrogen):
    expected = list(finding_list_public().order_by("-published_at", "pk").values_list("pk", flat=True))
    paginator = PublicPaginator(_compiled([]), 4)
    assert paginator.count == 9
    assert [list(paginator.page(number)) for number in (1, 2, 3)] == [
        expected[:4],
        expected[4:8],
        expected[8:],
    ]


def test_a_list_is_compiled_once_per_public_data_state(hydrogen):
    calls = []
    first = _compiled(calls)[0:3]
    with CaptureQueriesContext(connection) as captured:
        assert _compiled(calls)[0:3] == first
    assert len(calls) == 1 and len(captured) == 1  # the page alone, from the statement compiled before
    finding = FindingFactory()  # a new state: compiled afresh, and the new row is there
    assert finding.pk in _compiled(calls)[0:20] and len(calls) == 2


def test_a_compiled_list_takes_in_a_scheduled_publication_when_it_comes_due(hydrogen, time_machine):
    calls = []
    scheduled = FindingFactory(scheduled=True)
    assert scheduled.pk not in _compiled(calls)[0:20]
    assert scheduled.pk not in _compiled(calls)[0:20] and len(calls) == 1
    time_machine.move_to(scheduled.published_at + dt.timedelta(seconds=1))
    assert scheduled.pk in _compiled(calls)[0:20]  # the due time is part of the state
    assert len(calls) == 2
