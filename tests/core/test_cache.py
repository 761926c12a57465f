"""The public page cache: hits, exact invalidation, staff, cookies, nonces, ETags, throttles, outages."""

import datetime as dt
import os
import re

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from core import cache as page_cache
from core.services import record_publish, record_unpublish
from tests.dialogue.factories import DialogueFactory, ThemeFactory
from tests.findings.factories import FindingFactory
from tests.support import urls_scale as probe_urls

pytestmark = pytest.mark.django_db

NONCE = re.compile(r"'nonce-([^']+)'")
DEAD_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }
}


@pytest.fixture
def probes(settings):
    settings.ROOT_URLCONF = "tests.support.urls_scale"
    probe_urls.CALLS["count"] = 0
    return probe_urls.CALLS


def _nonce(response) -> str:
    return NONCE.search(response["Content-Security-Policy"]).group(1)


def _calls_after(client, probes, url, times=2, **extra):
    responses = [client.get(url, **extra) for _ in range(times)]
    return probes["count"], responses


# -- Hits -----------------------------------------------------------------------------------------


def test_an_anonymous_page_is_served_from_the_cache_without_queries(client, django_assert_num_queries):
    finding = FindingFactory(title_en="Hydrogen corridors")
    url = finding.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200 and first["X-Cache"] == "MISS"
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200 and second["X-Cache"] == "HIT"
    assert b"Hydrogen corridors" in second.content


def test_the_view_runs_once_for_repeated_requests(client, probes):
    count, responses = _calls_after(client, probes, "/en/probe/counted/", times=3)
    assert count == 1
    assert [r["X-Cache"] for r in responses] == ["MISS", "HIT", "HIT"]
    assert {r.content for r in responses} == {b"rendered 1"}


def test_query_strings_and_hosts_are_cached_apart(client, probes, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    client.get("/en/probe/counted/?page=1")
    client.get("/en/probe/counted/?page=2")
    client.get("/en/probe/counted/?page=1", HTTP_HOST="other.example")
    assert probes["count"] == 3


# -- Never cached ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/en/probe/cookie/",  # sets a cookie
        "/en/probe/csrf/",  # holds a CSRF token
        "/en/probe/vary-cookie/",  # depends on the cookie
        "/en/probe/private/",  # private
        "/en/probe/missing/",  # not a 200
        "/internal/probe/counted/",  # not a public path
    ],
)
def test_responses_that_must_not_be_shared_are_rendered_every_time(client, probes, url):
    count, responses = _calls_after(client, probes, url)
    assert count == 2
    assert all("X-Cache" not in response for response in responses)


def test_post_requests_bypass_the_cache(client, probes):
    client.get("/en/probe/counted/")
    client.post("/en/probe/counted/")
    assert probes["count"] == 2


def test_the_cache_can_be_switched_off(client, probes, settings):
    settings.PUBLIC_CACHE_ENABLED = False
    count, _responses = _calls_after(client, probes, "/en/probe/counted/")
    assert count == 2


# -- Staff ----------------------------------------------------------------------------------------


def test_signed_in_staff_never_get_a_cached_page(client, make_staff):
    finding = FindingFactory()
    url = finding.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Cache"] == "HIT"
    client.force_login(make_staff("editor"))
    response = client.get(url)
    assert response.status_code == 200 and "X-Cache" not in response


def test_staff_previews_never_reach_anonymous_visitors(client, make_staff):
    draft = FindingFactory(draft=True, title_en="Unreleased draft finding")
    url = draft.get_absolute_url()
    staff = make_staff("editor")
    staff.user_permissions.add(Permission.objects.get(codename="view_finding"))
    client.force_login(staff)
    preview = client.get(url)
    assert preview.status_code == 200 and b"Unreleased draft finding" in preview.content
    assert "X-Cache" not in preview
    client.logout()
    client.cookies.clear()
    for _ in range(2):
        anonymous = client.get(url)
        assert anonymous.status_code == 404
        assert b"Unreleased draft finding" not in anonymous.content


# -- Exact invalidation ---------------------------------------------------------------------------


def _prime(client, url):
    client.get(url)
    response = client.get(url)
    assert response["X-Cache"] == "HIT", "the page should be cached before the change"
    return response


def test_an_edit_is_never_served_stale(client):
    finding = FindingFactory(title_en="Old wording")
    url = finding.get_absolute_url()
    _prime(client, url)
    _prime(client, "/en/findings/")
    finding.title_en = "New wording"
    finding.save()
    for page in (url, "/en/findings/"):
        response = client.get(page)
        assert b"New wording" in response.content and b"Old wording" not in response.content


def test_publishing_shows_the_record_at_once(client):
    draft = FindingFactory(draft=True, title_en="Freshly published finding")
    url = draft.get_absolute_url()
    assert client.get(url).status_code == 404
    _prime(client, "/en/findings/")
    record_publish(record=draft)
    assert client.get(url).status_code == 200
    assert b"Freshly published finding" in client.get("/en/findings/").content


def test_unpublishing_removes_the_record_at_once(client):
    finding = FindingFactory(title_en="Withdrawn finding")
    url = finding.get_absolute_url()
    _prime(client, url)
    _prime(client, "/en/findings/")
    record_unpublish(record=finding)
    assert client.get(url).status_code == 404
    assert b"Withdrawn finding" not in client.get("/en/findings/").content


def test_deleting_removes_the_record_at_once(client):
    finding = FindingFactory(title_en="Deleted finding")
    url = finding.get_absolute_url()
    _prime(client, url)
    finding.delete()
    assert client.get(url).status_code == 404


def test_a_many_to_many_change_is_never_served_stale(client):
    finding = FindingFactory()
    url = finding.get_absolute_url()
    _prime(client, url)
    finding.themes.add(ThemeFactory(name_en="Ocean governance theme"))
    assert b"Ocean governance theme" in client.get(url).content


def test_a_change_to_a_parent_record_is_never_served_stale(client):
    dialogue = DialogueFactory(title_en="First title of the dialogue")
    finding = FindingFactory(dialogue=dialogue)
    url = finding.get_absolute_url()
    assert b"First title of the dialogue" in _prime(client, url).content
    record_unpublish(record=dialogue)  # the finding is public only while its dialogue is
    assert client.get(url).status_code == 404


def test_the_version_changes_again_when_the_transaction_commits(django_capture_on_commit_callbacks):
    before = page_cache.public_state()[0]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            FindingFactory()  # the transaction's first entry in the change log
            during = page_cache.public_state()[0]
    assert during != before
    assert callbacks, "a bump must wait for the commit"
    for callback in callbacks:
        callback()
    assert page_cache.public_state()[0] != during


def test_a_scheduled_publication_appears_when_it_comes_due(client, settings):
    settings.PUBLIC_CACHE_TIMEOUT = 24 * 3600  # longer than the wait: only the due time may expire it
    now = timezone.now()
    FindingFactory(title_en="Already public")
    FindingFactory(title_en="Scheduled finding", published_at=now + dt.timedelta(hours=2))
    with time_machine.travel(now, tick=False):
        first = _prime(client, "/en/findings/")
        assert b"Scheduled finding" not in first.content
    with time_machine.travel(now + dt.timedelta(hours=3), tick=False):
        response = client.get("/en/findings/")
        assert response["X-Cache"] == "MISS"
        assert b"Scheduled finding" in response.content


def test_the_time_to_live_never_outlives_the_next_publication(client, probes):
    due = timezone.now() + dt.timedelta(seconds=90)
    FindingFactory(published_at=due)
    stored = {}
    original = page_cache.cache.set

    def spy(key, value, timeout=None, **kwargs):
        if key.startswith(page_cache.PAGE_KEY_PREFIX):
            stored["timeout"] = timeout
        return original(key, value, timeout=timeout, **kwargs)

    page_cache.cache.set = spy
    try:
        client.get("/en/probe/counted/")
    finally:
        page_cache.cache.set = original
    assert 1 <= stored["timeout"] <= 91


# -- Nonces and conditional GET --------------------------------------------------------------------


def test_each_hit_gets_a_fresh_nonce_in_both_header_and_body(client, probes):
    first = client.get("/en/probe/nonce/")
    second = client.get("/en/probe/nonce/")
    assert second["X-Cache"] == "HIT" and probes == {"count": 0}
    old, new = _nonce(first), _nonce(second)
    assert old != new
    assert f'nonce="{new}"'.encode() in second.content
    assert old.encode() not in second.content
    assert second.content.count(new.encode()) == 2


def test_a_real_page_keeps_its_json_ld_script_allowed_on_a_hit(client):
    finding = FindingFactory()
    url = finding.get_absolute_url()
    client.get(url)
    hit = client.get(url)
    assert hit["X-Cache"] == "HIT"
    nonce = _nonce(hit)
    assert f'type="application/ld+json" nonce="{nonce}"'.encode() in hit.content


def test_conditional_get_answers_304_from_the_cache(client, probes):
    first = client.get("/en/probe/counted/")
    etag = first["ETag"]
    again = client.get("/en/probe/counted/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and probes["count"] == 1


def test_the_api_is_cached_per_language_and_answers_304(client):
    FindingFactory(title_en="Energy in English", title_fr="L’énergie en français")
    english = client.get("/api/v1/findings/", HTTP_ACCEPT_LANGUAGE="en")
    french = client.get("/api/v1/findings/", HTTP_ACCEPT_LANGUAGE="fr")
    assert english["X-Cache"] == "MISS" and french["X-Cache"] == "MISS"
    english_again = client.get("/api/v1/findings/", HTTP_ACCEPT_LANGUAGE="en")
    assert english_again["X-Cache"] == "HIT"
    assert "Energy in English" in english_again.content.decode()
    assert "L’énergie en français" in client.get("/api/v1/findings/?lang=fr").content.decode()
    not_modified = client.get(
        "/api/v1/findings/", HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=english_again["ETag"]
    )
    assert not_modified.status_code == 304


def test_cached_api_responses_still_count_against_the_rate_limit(client, settings):
    settings.API_THROTTLE_ANON = "3/minute"
    FindingFactory()
    statuses = [client.get("/api/v1/findings/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


# -- Shared version and outages -------------------------------------------------------------------


def test_a_saved_draft_keeps_the_cached_pages(client, probes):
    """Only what the change log records changes the version: a draft's edit writes no entry."""
    FindingFactory()
    draft = FindingFactory(draft=True)
    before = page_cache.public_state()
    draft.title_en = "Still a draft"
    draft.save()
    assert page_cache.public_state() == before


@pytest.mark.django_db(transaction=True)
def test_publish_due_repairs_a_version_lost_between_commit_and_report(monkeypatch):
    from core.changes import publish_due

    publish_due()

    # The process that commits dies before its on-commit report: what other readers cached
    # between its in-transaction change and its commit is keyed by the version after it.
    def dies(sequence):
        raise RuntimeError("the process is gone")

    monkeypatch.setattr("core.changes.log.public_data_changed", dies)
    FindingFactory()  # the write itself succeeds: its report is only logged as lost
    after_commit = page_cache.public_state()
    monkeypatch.undo()
    publish_due()
    repaired = page_cache.public_state()
    assert repaired != after_commit
    publish_due()  # once caught up, it changes nothing
    assert page_cache.public_state() == repaired


def test_worker_processes_of_one_machine_share_the_version_file(tmp_path):
    path = tmp_path / "version"
    one, other = page_cache._FileVersion(path), page_cache._FileVersion(path)
    before = other.get()
    one.bump()
    assert other.get() != before


def test_worker_processes_share_the_replica_position_too(tmp_path):
    one, other = page_cache._FileVersion(tmp_path / "version"), page_cache._FileVersion(tmp_path / "version")
    assert other.lsn() is None
    one.set_lsn("0/16B3748")
    assert other.lsn() == "0/16B3748"


def test_an_unwritable_version_file_means_no_caching_not_an_error(client, probes, settings, tmp_path):
    settings.PUBLIC_CACHE_VERSION_FILE = tmp_path / "missing-directory" / "version"
    page_cache._version_store.cache_clear()
    (tmp_path / "missing-directory").mkdir()
    (tmp_path / "missing-directory").chmod(0o500)
    try:
        if os.access(tmp_path / "missing-directory", os.W_OK):  # running as root: no way to deny
            settings.PUBLIC_CACHE_VERSION_FILE = "/proc/version-of-the-atlas"
        count, responses = _calls_after(client, probes, "/en/probe/counted/")
    finally:
        (tmp_path / "missing-directory").chmod(0o700)
    assert count == 2 and all(r.status_code == 200 and "X-Cache" not in r for r in responses)


def test_a_shared_cache_backend_keeps_the_version_in_the_cache(client, settings, tmp_path):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    finding = FindingFactory(title_en="Before the change")
    url = finding.get_absolute_url()
    _prime(client, url)
    assert isinstance(page_cache._store(), page_cache._CacheVersion)
    finding.title_en = "After the change"
    finding.save()
    assert b"After the change" in client.get(url).content


def test_a_dead_redis_breaks_nothing(client, settings):
    settings.CACHES = DEAD_REDIS
    finding = FindingFactory(title_en="Served without a cache")
    url = finding.get_absolute_url()
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200 and "X-Cache" not in response
    finding.title_en = "Still fresh without a cache"
    finding.save()  # the invalidation cannot reach Redis: it must not raise
    assert b"Still fresh without a cache" in client.get(url).content
    assert client.get("/api/v1/findings/").status_code == 200


def test_a_request_reads_the_public_state_once_and_again_after_a_change(client, settings, monkeypatch):
    settings.PUBLIC_CACHE_ENABLED = False  # the list's count, statement and records each ask for it
    reads = []
    read = page_cache._read_public_state
    monkeypatch.setattr(page_cache, "_read_public_state", lambda: reads.append(1) or read())
    FindingFactory()
    for _request in range(2):
        reads.clear()
        assert client.get("/api/v1/findings/").status_code == 200
        assert len(reads) == 1
    page_cache._request_begins()  # what request_started does
    try:
        reads.clear()
        first = page_cache.public_state()
        assert page_cache.public_state() == first and len(reads) == 1
        FindingFactory()  # a change during the request: the next call reads again
        assert page_cache.public_state() != first and len(reads) == 2
    finally:
        page_cache._request_ends()
    reads.clear()
    page_cache.public_state()
    page_cache.public_state()
    assert len(reads) == 2  # outside a request, every call reads


def test_a_full_process_memo_drops_past_states_not_the_present_one(monkeypatch):
    from core import memo

    monkeypatch.setattr(memo, "_LOCAL_MEMO", {})
    monkeypatch.setattr(memo, "public_state", lambda: ("v2", 0.0, None))
    memo._LOCAL_MEMO.update({(f"old-{n}", "v1", 0.0): n for n in range(memo.LOCAL_MEMO_MAX - 1)})
    calls = []
    assert memo.public_local_memo("themes", lambda: calls.append(1) or "themes") == "themes"
    # Full now: the next new name drops the past state's entries and keeps this state's.
    assert memo.public_local_memo("dialogues", lambda: "dialogues") == "dialogues"
    assert memo.public_local_memo("themes", lambda: calls.append(1) or "again") == "themes"
    assert calls == [1] and not [key for key in memo._LOCAL_MEMO if key[1] == "v1"]
