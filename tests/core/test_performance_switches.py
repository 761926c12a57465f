"""The switches `make bench` uses for its with/without table really switch each mechanism off,
and the answers stay the same without them."""

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from core.memo import public_memo, record_memo_misses
from tests.findings.factories import FindingFactory

pytestmark = pytest.mark.django_db


def test_without_memoised_counts_every_call_computes(settings):
    calls = []

    def compute():
        calls.append(1)
        return 42

    assert public_memo("switch-test", compute) == public_memo("switch-test", compute) == 42
    assert len(calls) == 1
    settings.PERFORMANCE_OFF = frozenset({"memo_counts"})
    assert public_memo("switch-test", compute) == public_memo("switch-test", compute) == 42
    assert len(calls) == 3


@pytest.mark.parametrize(
    "mechanism", ["memo_records", "compiled_statements", "memo_id_lists", "record_versions"]
)
def test_an_api_list_answers_the_same_without_a_mechanism(client, settings, mechanism):
    with TestCase.captureOnCommitCallbacks(execute=True):  # committed, as an analyst's save
        for number in range(3):
            FindingFactory(title_en=f"Switch finding {number}")
    settings.PUBLIC_CACHE_ENABLED = False
    path = "/api/v1/findings/?page_size=2&lang=all"
    client.get(path)
    with CaptureQueriesContext(connection) as memoized:
        with_it = client.get(path).json()
    settings.PERFORMANCE_OFF = frozenset({mechanism})
    with CaptureQueriesContext(connection) as plain:
        without = client.get(path).json()
    assert without == with_it
    if mechanism == "memo_records":  # the records are read and serialized again
        assert len(plain) > len(memoized)
    if mechanism == "memo_id_lists":  # the page's ids are read again (LIMIT and OFFSET)
        assert len(plain) == len(memoized) + 1
    if mechanism == "record_versions":  # kept under the site's version: any change rebuilds them
        before = record_memo_misses.count
        client.get(path)
        assert record_memo_misses.count == before
        with TestCase.captureOnCommitCallbacks(execute=True):
            FindingFactory(title_en="Another finding")
        client.get(path)
        assert record_memo_misses.count == before + 2
