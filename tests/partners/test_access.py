"""Rate limits, partner keys, CORS, conditional requests, and the page cache in front of the API."""

import pytest
from django.utils import timezone
from rest_framework_api_key.models import APIKey

from tests.dialogue.factories import ThemeFactory
from tests.partners.helpers import api

pytestmark = pytest.mark.django_db


def key_header(key: str) -> dict:
    return {"authorization": f"Api-Key {key}"}


def test_anonymous_clients_get_429_with_retry_after(client, world, settings):
    settings.API_THROTTLE_ANON = "3/minute"
    for _n in range(3):
        assert client.get("/api/v1/themes/").status_code == 200
    response = client.get("/api/v1/findings/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["code"] == "throttled"
    # Other addresses are counted apart.
    assert client.get("/api/v1/themes/", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(client, world, settings):
    settings.API_THROTTLE_ANON = "2/minute"
    for n in range(2):
        assert client.get("/api/v1/themes/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code == 200
    assert client.get("/api/v1/themes/", HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_behind_trusted_proxies_the_limit_counts_the_address_they_saw(client, world, settings):
    settings.API_THROTTLE_ANON = "1/minute"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    # The proxy appends the address it saw; whatever the client put before it does not count.
    assert client.get("/api/v1/themes/", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.1").status_code == 200
    assert client.get("/api/v1/themes/", HTTP_X_FORWARDED_FOR="2.2.2.2, 198.51.100.1").status_code == 429
    assert client.get("/api/v1/themes/", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


def test_a_partner_key_has_its_own_higher_limit(client, world, settings):
    settings.API_THROTTLE_ANON = "2/minute"
    settings.API_THROTTLE_KEY = "5/minute"
    _record, key = APIKey.objects.create_key(name="Ministry")
    _other, other_key = APIKey.objects.create_key(name="Institute")
    for _n in range(5):
        assert client.get("/api/v1/themes/", headers=key_header(key)).status_code == 200
    limited = client.get("/api/v1/themes/", headers=key_header(key))
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    # Per key: another partner, and anonymous clients, are unaffected so far.
    assert client.get("/api/v1/themes/", headers=key_header(other_key)).status_code == 200
    assert client.get("/api/v1/themes/").status_code == 200


@pytest.mark.parametrize("state", ["unknown", "revoked", "expired", "malformed"])
def test_a_bad_key_is_401_not_a_silent_downgrade(client, world, state):
    record, key = APIKey.objects.create_key(name="Partner")
    if state == "unknown":
        key = key[:-4] + "zzzz"
    elif state == "revoked":
        record.revoked = True
        record.save()
    elif state == "expired":
        record.expiry_date = timezone.now() - timezone.timedelta(days=1)
        record.save()
    else:
        key = "not a key"
    response = client.get("/api/v1/themes/", headers=key_header(key))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json()["code"] == "authentication_failed"


def test_keys_are_managed_in_the_admin(admin_client):
    response = admin_client.get("/admin/rest_framework_api_key/apikey/add/")
    assert response.status_code == 200


def test_cors_is_open_for_get(client, world):
    response = client.get("/api/v1/findings/", headers={"origin": "https://partner.example.net"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/findings/",
        headers={
            "origin": "https://partner.example.net",
            "access-control-request-method": "GET",
            "access-control-request-headers": "authorization",
        },
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "authorization" in preflight["Access-Control-Allow-Headers"]


def test_conditional_get_answers_304_and_etags_differ_per_language(client, world):
    first = client.get("/api/v1/themes/?lang=en")
    etag = first["ETag"]
    assert etag
    again = client.get("/api/v1/themes/?lang=en", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/api/v1/themes/?lang=fr")["ETag"] != etag
    assert client.get("/api/v1/themes/", headers={"accept-language": "ko"})["ETag"] != etag
    assert client.get("/api/v1/themes/?lang=all")["ETag"] not in (etag, None)
    detail = client.get(f"/api/v1/themes/{world.theme.pk}/")
    assert (
        client.get(f"/api/v1/themes/{world.theme.pk}/", headers={"if-none-match": detail["ETag"]}).status_code
        == 304
    )
    # A change gives a new representation and a new tag.
    ThemeFactory(slug="brand-new")
    changed = client.get("/api/v1/themes/?lang=en", headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_browsable_api_is_off(client, world):
    response = client.get("/api/v1/findings/", headers={"accept": "text/html"})
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    assert api(client, "/api/v1/findings/", accept="application/json")["count"] >= 1


# --- With the public page cache (core.cache) in front, as in production ---------------------------


@pytest.fixture
def cached(settings, tmp_path):
    settings.PUBLIC_CACHE_ENABLED = True
    settings.PUBLIC_CACHE_VERSION_FILE = tmp_path / "version"


def test_cached_responses_still_count_against_the_limit(client, world, settings, cached):
    settings.API_THROTTLE_ANON = "2/minute"
    assert client.get("/api/v1/themes/").status_code == 200
    assert client.get("/api/v1/themes/")["X-Cache"] == "HIT"
    assert client.get("/api/v1/themes/").status_code == 429


def test_a_bad_key_gets_401_even_when_the_page_is_cached(client, world, cached):
    assert client.get("/api/v1/themes/").status_code == 200
    assert client.get("/api/v1/themes/")["X-Cache"] == "HIT"
    response = client.get("/api/v1/themes/", headers=key_header("abc.wrong"))
    assert response.status_code == 401


def test_a_good_key_is_answered_by_the_view_not_the_cache(client, world, cached):
    _record, key = APIKey.objects.create_key(name="Partner")
    assert client.get("/api/v1/themes/").status_code == 200
    response = client.get("/api/v1/themes/", headers=key_header(key))
    assert response.status_code == 200
    assert response.get("X-Cache") != "HIT"


def test_cached_api_responses_follow_the_language(client, world, cached):
    english = client.get("/api/v1/themes/", headers={"accept-language": "en"})
    french = client.get("/api/v1/themes/", headers={"accept-language": "fr"})
    assert english["Content-Language"] == "en" and french["Content-Language"] == "fr"
    assert english.content != french.content
    assert client.get("/api/v1/themes/?lang=all")["Content-Language"] == "en, fr, ko"
