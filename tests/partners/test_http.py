"""HTTP that partners' clients rely on: limits counted in a shared store and reported on every
answer, conditional requests (HEAD too), caching and compression, CORS, and one error shape."""

import gzip
import json
import threading

import pytest
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework_api_key.models import APIKey

from core import ratelimit
from core.api.views import AtlasAPIMixin
from tests.support.servers import free_port

pytestmark = pytest.mark.django_db

LIMIT_FIELDS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")


def quota(response) -> tuple[int, int, int]:
    """(limit, remaining, reset) as the answer reports them."""
    return tuple(int(response[name]) for name in LIMIT_FIELDS)


def key_header(key: str) -> dict:
    return {"authorization": f"Api-Key {key}"}


@pytest.fixture
def cached(settings, tmp_path):
    settings.PUBLIC_CACHE_ENABLED = True
    settings.PUBLIC_CACHE_VERSION_FILE = tmp_path / "version"


def counters() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, hits FROM core_ratelimit_counter")
        return dict(cursor.fetchall())


# --- The limits, counted in the shared table --------------------------------------------------------


def test_every_kind_of_answer_reports_the_quota_it_was_counted_against(client, world, settings):
    settings.API_THROTTLE_ANON = "30/minute"
    theme = f"/api/v1/themes/{world.theme.pk}/"
    listed = client.get("/api/v1/themes/")
    answers = [
        listed,
        client.get(theme),
        client.get("/api/v1/themes/", headers={"if-none-match": listed["ETag"]}),  # 304
        client.head("/api/v1/themes/"),
        client.get("/api/v1/findings/?format=csv"),
        client.get("/api/v1/"),
        client.get("/api/v1/schema/"),
        client.get("/api/v1/themes/?page_size=1000"),  # 400
        client.get("/api/v1/themes/", headers=key_header("abc.wrong")),  # 401, counted as anonymous
        client.get("/api/v1/themes/99999999/"),  # 404
        client.get("/api/v1/nowhere/"),  # 404
        client.get("/api/"),  # 404
        client.post("/api/v1/themes/", {}),  # 405
        client.get("/api/v1/themes/", headers={"accept": "text/html"}),  # 406
    ]
    assert [a.status_code for a in answers] == [
        200,
        200,
        304,
        200,
        200,
        200,
        200,
        400,
        401,
        404,
        404,
        404,
        405,
        406,
    ]
    for n, answer in enumerate(answers, start=1):
        limit, remaining, reset = quota(answer)
        assert (limit, remaining) == (30, 30 - n), (n, answer.status_code)
        assert 0 < reset <= 60
    for _n in range(30 - len(answers)):
        client.get("/api/v1/themes/")
    throttled = client.get("/api/v1/themes/")
    assert throttled.status_code == 429
    assert quota(throttled)[:2] == (30, 0)
    assert 0 < int(throttled["Retry-After"]) <= quota(throttled)[2] <= 60
    # One counter for the address, in the database's table: what every worker process reads.
    assert list(counters().values()) == [31]


def test_a_cached_answer_counts_and_reports_the_quota_too(client, world, settings, cached):
    settings.API_THROTTLE_ANON = "4/minute"
    first = client.get("/api/v1/themes/")
    hit = client.get("/api/v1/themes/")
    conditional_hit = client.get("/api/v1/themes/", headers={"if-none-match": first["ETag"]})
    assert (first["X-Cache"], hit["X-Cache"], conditional_hit.status_code) == ("MISS", "HIT", 304)
    assert [quota(r)[:2] for r in (first, hit, conditional_hit)] == [(4, 3), (4, 2), (4, 1)]
    assert hit["ETag"] == first["ETag"] and hit["Cache-Control"] == "public, max-age=60"
    assert client.get("/api/v1/themes/")["X-Cache"] == "HIT"
    throttled = client.get("/api/v1/themes/")
    assert throttled.status_code == 429 and quota(throttled)[:2] == (4, 0)
    assert list(counters().values()) == [5]  # the refused hit went on to the view, counted once


def test_a_partner_key_reports_its_own_quota(client, world, settings):
    settings.API_THROTTLE_ANON = "3/minute"
    settings.API_THROTTLE_KEY = "7/minute"
    _record, key = APIKey.objects.create_key(name="Partner")
    assert quota(client.get("/api/v1/themes/", headers=key_header(key)))[:2] == (7, 6)
    assert quota(client.get("/api/v1/themes/"))[:2] == (3, 2)
    assert quota(client.get("/api/v1/themes/", headers=key_header(key)))[:2] == (7, 5)


def test_wrong_keys_count_against_the_address_and_are_refused_once_it_is_spent(client, world, settings):
    settings.API_THROTTLE_ANON = "2/minute"
    assert [
        client.get("/api/v1/themes/", headers=key_header(f"abc.guess{n}")).status_code for n in range(3)
    ] == [
        401,
        401,
        429,
    ]


def test_without_a_limit_nothing_is_counted_nor_reported(client, world, settings):
    settings.API_THROTTLE_ANON = ""
    response = client.get("/api/v1/themes/")
    assert response.status_code == 200 and not response.has_header("RateLimit-Limit")
    assert counters() == {}


def test_counting_a_request_is_one_statement(settings):
    ratelimit.count_request("throttle_anon_192.0.2.1", 10, 60)  # starts the counter
    with CaptureQueriesContext(connection) as captured:
        counted = ratelimit.count_request("throttle_anon_192.0.2.1", 10, 60)
    assert (counted.count, counted.remaining) == (2, 8) and counted.allowed
    assert len(captured) == 1
    assert "ON CONFLICT" in captured[0]["sql"] and "RETURNING" in captured[0]["sql"]


@pytest.mark.parametrize("returning", [True, False], ids=["returning", "without-returning"])
def test_the_database_store_works_as_a_cache_of_counters(returning, monkeypatch):
    # Without RETURNING (SQLite before 3.35): the statement, then a read, in one transaction.
    monkeypatch.setattr(connection.features, "can_return_columns_from_insert", returning)
    store = ratelimit.DatabaseCounterCache(ratelimit.TABLE, {})
    assert store.add("k", 5, timeout=60) and not store.add("k", 9, timeout=60)
    assert store.incr("k") == 6 and store.incr("k", 4) == 10 and store.get("k") == 10
    assert store.hit("k", timeout=60)[0] == 11
    store.set("k", 1, timeout=-1)  # expired at once
    assert store.get("k", "gone") == "gone"
    with pytest.raises(ValueError):
        store.incr("k")
    assert store.hit("k", timeout=60)[0] == 1  # an expired counter starts again
    assert store.delete("k") and store.get("k") is None


def test_another_cache_counts_with_add_and_incr(client, world, settings):
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "limits"},
    }
    settings.API_THROTTLE_ANON = "2/minute"
    statuses = [client.get("/api/v1/themes/").status_code for _n in range(3)]
    assert statuses == [200, 200, 429]
    assert counters() == {}


def test_an_unreachable_redis_store_serves_uncounted(client, world, settings):
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        },
    }
    settings.API_THROTTLE_ANON = "1/minute"
    for _n in range(3):
        response = client.get("/api/v1/themes/")
        assert response.status_code == 200 and not response.has_header("RateLimit-Limit")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_each_get_their_own_count():
    """Threads on their own connections, as workers are: no count is lost or given twice."""
    key, results, errors = "throttle_anon_198.51.100.7", [], []

    def client_thread():
        try:
            for _n in range(25):
                results.append(ratelimit.count_request(key, 100, 60).count)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=client_thread) for _n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == list(range(1, 201))
    assert sum(count <= 100 for count in results) == 100
    ratelimit.DatabaseCounterCache(ratelimit.TABLE, {}).clear()


# --- Conditional requests, caching, compression, CORS ----------------------------------------------


def test_head_carries_the_same_etag_as_get(client, world):
    for path in (
        "/api/v1/themes/",
        f"/api/v1/dialogues/{world.dialogue.slug}/",
        "/api/v1/",
        "/api/v1/themes/?lang=all",
    ):
        got, head = client.get(path), client.head(path)
        assert got["ETag"] and head["ETag"] == got["ETag"], path
        assert head.status_code == 200 and head.content == b""
        assert client.head(path, headers={"if-none-match": got["ETag"]}).status_code == 304
        zipped_get = client.get(path, headers={"accept-encoding": "gzip"})
        zipped_head = client.head(path, headers={"accept-encoding": "gzip"})
        assert zipped_head["ETag"] == zipped_get["ETag"] == got["ETag"], path
        assert got["ETag"].startswith('W/"'), path  # the same answer, compressed or not


def test_a_304_keeps_the_fields_of_the_answer_it_stands_for(client, world, settings):
    settings.API_THROTTLE_ANON = "10/minute"
    first = client.get("/api/v1/findings/?lang=all")
    again = client.get("/api/v1/findings/?lang=all", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    for name in ("ETag", "Content-Language", "Cache-Control", "Vary"):
        assert again[name] == first[name], name
    assert again["Content-Language"] == "en, fr, ko"
    assert quota(first)[:2] == (10, 9) and quota(again)[:2] == (10, 8)
    # The tag matches whether the client sends it back weak or strong.
    strong = first["ETag"].removeprefix("W/")
    assert client.get("/api/v1/findings/?lang=all", headers={"if-none-match": strong}).status_code == 304


def test_cache_control_is_public_for_anonymous_answers_and_private_with_a_key(client, world, settings):
    _record, key = APIKey.objects.create_key(name="Partner")
    for path in (
        "/api/v1/findings/",
        f"/api/v1/findings/{world.finding.pk}/",
        "/api/v1/findings/?format=csv",
    ):
        anonymous = client.get(path)
        assert anonymous["Cache-Control"] == "public, max-age=60", path
        assert "Authorization" in anonymous["Vary"]
        assert client.get(path, headers=key_header(key))["Cache-Control"] == "private, no-cache", path
    assert client.get("/api/v1/findings/99999999/")["Cache-Control"] == "no-store"
    settings.API_CACHE_MAX_AGE = 5
    assert client.get("/api/v1/themes/")["Cache-Control"] == "public, max-age=5"


def test_api_answers_are_compressed_and_site_pages_are_not(client, world):
    plain = client.get("/api/v1/findings/?lang=all")
    zipped = client.get("/api/v1/findings/?lang=all", headers={"accept-encoding": "gzip"})
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert json.loads(gzip.decompress(zipped.content)) == plain.json()
    assert len(zipped.content) < len(plain.content)
    csv = client.get("/api/v1/findings/?format=csv", headers={"accept-encoding": "gzip"})
    assert csv["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(csv.streaming_content)).startswith(b"id,")
    # Pages (with forms, CSRF tokens) are left alone: BREACH.
    for path in ("/en/", "/en/findings/", "/admin/login/"):
        assert not client.get(path, headers={"accept-encoding": "gzip"}).has_header("Content-Encoding"), path


def test_cors_preflight_allows_conditional_requests_and_answers_expose_the_limits(client, world, settings):
    settings.API_THROTTLE_ANON = "10/minute"
    preflight = client.options(
        "/api/v1/findings/",
        headers={
            "origin": "https://partner.example.net",
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match, if-modified-since, authorization",
        },
    )
    assert preflight.status_code == 200
    allowed = {name.strip() for name in preflight["Access-Control-Allow-Headers"].split(",")}
    assert {"if-none-match", "if-modified-since", "authorization"} <= allowed
    answer = client.get("/api/v1/findings/", headers={"origin": "https://partner.example.net"})
    exposed = {name.strip().lower() for name in answer["Access-Control-Expose-Headers"].split(",")}
    assert {"ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "etag", "retry-after"} <= exposed


# --- One error shape ----------------------------------------------------------------------------------


def assert_error(response, status: int, code: str | None = None):
    assert response.status_code == status, (status, response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["code"], str) and body["code"]
    if code:
        assert body["code"] == code, body
    return body


def test_every_error_has_detail_and_code(client, world, settings):
    assert_error(client.get("/api/v1/themes/?page=0"), 400, "invalid")
    assert_error(
        client.get("/api/v1/themes/?" + "&".join(f"p{n}=1" for n in range(1200))), 400, "bad_request"
    )
    assert_error(client.get("/api/v1/themes/", HTTP_HOST="bad host"), 400, "bad_request")
    assert_error(client.get("/api/v1/themes/", headers=key_header("abc.wrong")), 401, "authentication_failed")
    assert_error(client.get("/api/v1/themes/99999999/"), 404, "not_found")
    assert_error(client.get("/api/v1/themes/?page=999"), 404, "not_found")
    assert_error(client.get("/api/"), 404, "not_found")
    assert "Aucun" in assert_error(client.get("/api/v1/themes/99999999/?lang=fr"), 404)["detail"]
    malformed = client.get("/api/v1/themes/", HTTP_HOST="bad host", headers={"accept-language": "fr"})
    assert assert_error(malformed, 400)["detail"] == "La requête est mal formée."
    assert_error(client.get("/api/v2/themes/"), 404, "not_found")
    assert_error(client.post("/api/v1/themes/", {}), 405, "method_not_allowed")
    # A body in a media type no view parses: the method is refused first (no view takes a body,
    # so a 415 cannot happen).
    assert_error(client.put("/api/v1/themes/1/", "<a/>", content_type="application/xml"), 405)
    assert_error(client.delete("/api/v1/themes/1/"), 405, "method_not_allowed")
    assert_error(client.get("/api/v1/themes/", headers={"accept": "application/xml"}), 406, "not_acceptable")
    assert_error(client.get("/api/v1/themes/", headers={"if-match": '"other"'}), 412, "precondition_failed")
    assert_error(client.get("/api/v1/schema/", headers={"accept": "text/html"}), 406, "not_acceptable")
    settings.API_THROTTLE_ANON = "1/minute"
    client.get("/api/v1/themes/")
    assert_error(client.get("/api/v1/schema/"), 429, "throttled")


def test_an_unexpected_failure_on_the_api_is_a_json_500(world, monkeypatch):
    def fail(self, request):
        raise RuntimeError("an unexpected bug")

    monkeypatch.setattr(AtlasAPIMixin, "check_query_params", fail)
    assert_error(Client(raise_request_exception=False).get("/api/v1/themes/"), 500, "server_error")


def test_the_database_outage_answer_has_detail_code_and_the_quota(world, settings, monkeypatch):
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "outage"},
    }
    settings.API_THROTTLE_ANON = "5/minute"

    def fail(self, request):  # after the request was counted
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(AtlasAPIMixin, "check_query_params", fail)
    response = Client(raise_request_exception=False).get("/api/v1/themes/?lang=fr")
    assert "temporairement" in assert_error(response, 503, "service_unavailable")["detail"]
    assert response["Retry-After"] == "30" and response["Content-Language"] == "fr"
    assert response["Cache-Control"] == "no-store"
    assert quota(response)[:2] == (5, 4)


def test_with_the_database_down_the_api_answers_503_json_with_a_code(world, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    assert_error(Client(raise_request_exception=False).get("/api/v1/findings/"), 503, "service_unavailable")
