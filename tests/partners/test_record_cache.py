"""Each record's cached representations follow its own version, not the whole site's.

An edit of one finding rebuilds that finding's representations (and the pages that list it), and
no other record's: the next page of 100 other findings is assembled from what was already built.
"""

import re

import pytest
from django.test import TestCase

from core import memo as public_cache
from findings.models import Finding
from tests.dialogue.factories import DialogueFactory, ThemeFactory
from tests.findings.factories import FindingFactory

pytestmark = pytest.mark.django_db

PAGE = "/api/v1/findings/?page_size=100&lang={lang}"


def committed(work):
    """Run `work()` and its on-commit callbacks (the change log's report), as a saved form would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return work()


@pytest.fixture
def findings():
    def make():
        theme = ThemeFactory()
        dialogue = DialogueFactory()
        return [FindingFactory(dialogue=dialogue, themes=[theme]) for _ in range(101)]

    committed(make)
    return list(Finding.objects.order_by("pk"))


def misses() -> int:
    return public_cache.record_memo_misses.count


def page_ids(client, lang="en") -> list[int]:
    response = client.get(PAGE.format(lang=lang))
    assert response.status_code == 200
    return [record["id"] for record in response.json()["results"]]


@pytest.mark.parametrize("lang", ["en", "all"])
def test_an_edit_rebuilds_the_edited_record_and_no_other(client, findings, lang):
    listed = page_ids(client, lang)  # builds the first 100
    assert len(listed) == 100
    (edited,) = [finding for finding in findings if finding.pk not in listed]

    before = misses()
    assert page_ids(client, lang) == listed
    assert misses() == before  # nothing to build

    def edit():
        edited.title_en = "A title edited by an analyst"
        edited.save()

    committed(edit)
    before = misses()
    response = client.get(PAGE.format(lang=lang))
    assert [record["id"] for record in response.json()["results"]] == listed
    assert misses() == before, "an edit of another finding rebuilt records of this page"

    # The edited finding shows the edit at once, wherever it is read, and only it is rebuilt.
    second = client.get(PAGE.format(lang=lang) + "&page=2").json()["results"]
    title = second[0]["title"]["en"] if lang == "all" else second[0]["title"]
    assert (second[0]["id"], title) == (edited.pk, "A title edited by an analyst")
    assert misses() == before + 1
    assert client.get(f"/api/v1/findings/{edited.pk}/").json()["title"] == "A title edited by an analyst"
    assert "A title edited by an analyst" in client.get(f"/en/findings/{edited.pk}/").content.decode()


def test_a_change_to_an_embedded_record_rebuilds_the_records_that_embed_it(client, findings):
    """A theme's new name reaches every finding that embeds it (each is touched in the log)."""
    page_ids(client)
    theme = findings[0].themes.get()

    def rename():
        theme.name_en = "A renamed theme"
        theme.save()

    committed(rename)
    before = misses()
    results = client.get(PAGE.format(lang="en")).json()["results"]
    assert misses() == before + 100
    assert {result["themes"][0]["name"] for result in results} == {"A renamed theme"}


def test_records_read_inside_a_writing_transaction_are_not_kept(client, findings):
    """What a transaction that wrote log entries reads may never be committed: it is built, shown
    to that transaction, and not kept."""
    page_ids(client)
    edited = findings[0]
    edited.title_en = "Not committed yet"
    edited.save()  # inside the test's transaction, its on-commit report not run
    before = misses()
    results = client.get(PAGE.format(lang="en")).json()["results"]
    assert "Not committed yet" in {result["title"] for result in results}
    assert misses() == before + 1
    client.get(PAGE.format(lang="en"))
    assert misses() == before + 2  # built again: the first one was not kept


def card_ids(client, page: int) -> list[int]:
    response = client.get(f"/en/findings/?page={page}")
    assert response.status_code == 200
    return [int(pk) for pk in re.findall(r'class="item-title"><a href="/en/findings/(\d+)/"', response.text)]


def test_an_edit_rebuilds_the_edited_findings_card_and_no_other(client, findings):
    """The site's findings list: each card is kept under its finding's version."""
    first = card_ids(client, 1)
    assert len(first) == 20
    edited = next(finding for finding in findings if finding.pk not in first)
    before = misses()
    assert card_ids(client, 1) == first
    assert misses() == before

    def edit():
        edited.title_en = "A card edited by an analyst"
        edited.save()

    committed(edit)
    before = misses()
    assert card_ids(client, 1) == first  # the page is rendered again (a new public data version) ...
    assert misses() == before  # ... from the cards kept for its twenty findings
    page = next(n for n in range(2, 7) if edited.pk in card_ids(client, n))
    assert "A card edited by an analyst" in client.get(f"/en/findings/?page={page}").text
    # A search shows its own snippet in a kept card, and the summary comes back without the query.
    found = client.get("/en/findings/?q=edited+analyst").text
    assert "A card edited by an analyst" in found and '<p class="snippet">' in found


def test_kept_records_live_as_long_as_the_record_cache_timeout_allows(
    client, findings, settings, monkeypatch
):
    """Keyed by their record's version, kept records are exact at any age: they outlive the page
    cache's short timeout."""
    from django.core.cache import cache

    settings.PUBLIC_CACHE_TIMEOUT, settings.RECORD_CACHE_TIMEOUT = 5, 12345
    timeouts = []
    set_many = cache.set_many

    def spy(values, timeout=None, **kwargs):
        if any(key.startswith("atlas:record") for key in values):
            timeouts.append(timeout)
        return set_many(values, timeout=timeout, **kwargs)

    monkeypatch.setattr(cache, "set_many", spy)
    cache.clear()
    page_ids(client)
    assert timeouts == [12345]


@pytest.mark.django_db(transaction=True)
def test_a_write_that_rolled_back_leaves_the_connection_keeping_again():
    from django.db import transaction

    from core.changes import writing_public_changes

    dialogue = DialogueFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        FindingFactory(dialogue=dialogue)
        assert writing_public_changes()
        raise RuntimeError("the save failed")
    # The connection lives on (CONN_MAX_AGE): its next requests keep what they build again.
    assert not writing_public_changes()
    with transaction.atomic():
        FindingFactory(dialogue=dialogue)
        assert writing_public_changes()
    assert not writing_public_changes()
