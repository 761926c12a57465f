"""Every list and detail answers in a fixed number of SQL queries, whatever the page or corpus size.

Each record is built complete (every related list non-empty), so that each prefetch runs; the
counts are then the same for one record and for many, and equal the constants below.
"""

import pytest
from django.test import TestCase

from findings.models import Finding
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
from tests.findings.factories import FindingFactory, RecommendationFactory, RecommendationUpdateFactory
from tests.partners.helpers import count_queries
from tests.stakeholders.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db

# Queries per list, built afresh: COUNT(*) and the page, then one per prefetched relation.
LIST_QUERIES = {
    "organizations": 3,  # count, page, parents
    "people": 3,  # count, page, organisations
    "themes": 3,  # count, page, parents
    "series": 4,  # count, page, milestones, dialogues
    # count, page, themes, organisers (+ organisation), series, sessions, session themes,
    # documents, participations (+ person), participants' organisations, participant profiles
    "dialogues": 11,
    # count, page, themes, source documents, recommendations
    "findings": 5,
    # count, page, themes, addressees, updates, source findings, follow-ups, followed one,
    # lineages (their public records, chosen by one recursive subquery)
    "recommendations": 9,
    "changes": 4,  # count, ids, entries, the latest sequence number
}
# A detail: the same minus COUNT(*).
DETAIL_QUERIES = {name: count - 1 for name, count in LIST_QUERIES.items() if name != "changes"}
# With lang=all, records with translated fields read their translation statuses (one query).
WITH_STATUSES = {"themes", "dialogues", "findings", "recommendations"}
# After a change, the memoized lists look up the next scheduled publication of each publishable model.
DUE_QUERIES = 6


def complete_record(n: int):
    """One of each resource, each with every related list filled, committed (its on-commit work
    done: the change log's report to the caches), as an analyst's saves would be."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        _complete_record(n)


def _complete_record(n: int):
    parent_org = OrganizationFactory()
    organization = OrganizationFactory(parent=parent_org)
    parent_org.parent = organization  # so that every listed organisation has a parent
    parent_org.save()
    parent_theme = ThemeFactory()
    theme = ThemeFactory(parent=parent_theme)
    parent_theme.parent = theme
    parent_theme.save()
    series = DialogueSeriesFactory()
    MilestoneFactory(series=series)
    dialogue = DialogueFactory(series=series)
    dialogue.themes.add(theme)
    DialogueOrganizerFactory(dialogue=dialogue, organization=organization)
    SessionFactory(dialogue=dialogue).themes.add(theme)
    document = DialogueDocumentFactory(dialogue=dialogue)
    person = PersonFactory(organization=organization)
    ParticipationFactory(dialogue=dialogue, person=person)
    finding = FindingFactory(dialogue=dialogue, themes=[theme], source_document=document)
    earlier = RecommendationFactory(dialogue=dialogue, themes=[theme])
    earlier.source_findings.add(finding)
    earlier.addressee_organizations.add(organization)
    RecommendationUpdateFactory(recommendation=earlier)
    later = RecommendationFactory(
        dialogue=dialogue, themes=[theme], follows=earlier, follow_up_kind="revised"
    )
    later.source_findings.add(finding)
    later.addressee_organizations.add(organization)
    RecommendationUpdateFactory(recommendation=later)
    even_later = RecommendationFactory(dialogue=dialogue, follows=later, follow_up_kind="reiterated")
    even_later.themes.add(theme)
    even_later.source_findings.add(finding)
    even_later.addressee_organizations.add(organization)
    RecommendationUpdateFactory(recommendation=even_later)
    earlier.follows = even_later  # a loop: lineages must still end
    earlier.follow_up_kind = "revised"
    earlier.save()


@pytest.fixture
def one():
    complete_record(0)


@pytest.fixture
def many():
    for n in range(6):
        complete_record(n)


def _after_a_change(client, path):
    """Queries of `path` with nothing memoized yet, then of the same request again."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache

    from core.cache import public_data_changing

    ContentType.objects.get_for_models(*apps.get_models())  # process-wide, warm in a running server
    cache.clear()
    public_data_changing()  # a new public data state: what processes keep for the last one is old
    cold, cold_sql = count_queries(client, path)
    warm, warm_sql = count_queries(client, path)
    return (cold, warm), cold_sql + ["-- warm --"] + warm_sql


def _statuses(resource: str, lang: str) -> int:
    return int(lang == "all" and resource in WITH_STATUSES)


@pytest.mark.parametrize("resource", LIST_QUERIES)
@pytest.mark.parametrize("lang", ["en", "all"])
def test_list_queries_do_not_grow(client, resource, lang):
    """Right after a change a list is built afresh; then its count, its ids and its records'
    representations are memoized (core/api/views.py) and only the versions of the page's records
    are read, on every request."""
    path = f"/api/v1/{resource}/?lang={lang}&page_size=100"
    complete_record(0)
    one, one_sql = _after_a_change(client, path)
    for n in range(5):
        complete_record(n + 1)
    client.get(path)
    many, many_sql = _after_a_change(client, path)
    small, _small_sql = _after_a_change(client, path.replace("page_size=100", "page_size=1"))
    if resource == "changes":  # the feed reads the log only: the due publications, then its queries
        expected = (DUE_QUERIES + LIST_QUERIES[resource], 1)
    else:  # the due publications (one query per publishable model), the ids of the whole list
        # (kept in the process: core.pagination.CompiledIds), the records' versions
        # (core.changes.record_versions), then the rest; warm, the versions only
        expected = (DUE_QUERIES + 2 + LIST_QUERIES[resource] + _statuses(resource, lang), 1)
    assert (one, many, small) == (expected,) * 3, "\n".join(sql[:300] for sql in many_sql)


def test_a_list_is_rebuilt_after_a_change(client):
    complete_record(0)
    finding = Finding.objects.get()
    path = "/api/v1/findings/?lang=en"
    assert client.get(path).json()["results"][0]["title"] == finding.title_en
    finding.title_en = "A title edited after the list was built"
    finding.save()
    assert client.get(path).json()["results"][0]["title"] == "A title edited after the list was built"
    finding.dialogue.title_en = "A dialogue renamed"
    finding.dialogue.save()
    assert client.get(path).json()["results"][0]["dialogue"]["title"] == "A dialogue renamed"
    complete_record(1)
    assert client.get(path).json()["count"] == 2


@pytest.mark.parametrize("resource", DETAIL_QUERIES)
def test_detail_queries_are_fixed(client, many, resource):
    from core.changes import public_queryset

    counts = set()
    for record in list(public_queryset(resource))[:4]:
        count, sql = count_queries(client, f"/api/v1/{resource}/{record.pk}/?lang=all")
        counts.add(count)
    assert counts == {DETAIL_QUERIES[resource] + _statuses(resource, "all")}, "\n".join(
        query[:300] for query in sql
    )


@pytest.mark.parametrize("resource", ["findings", "dialogues", "recommendations"])
def test_csv_queries_do_not_grow_with_rows(client, resource):
    path = f"/api/v1/{resource}/?format=csv&lang=all"
    complete_record(0)
    one, _sql = count_queries(client, path)
    for n in range(5):
        complete_record(n + 1)
    many, sql = count_queries(client, path)
    # The CSV streams without pagination: no COUNT(*), the same prefetches per chunk of rows.
    expected = LIST_QUERIES[resource] - 1 + _statuses(resource, "all")
    assert (one, many) == (expected,) * 2, "\n".join(query[:300] for query in sql)
