"""Bad and hostile input is a 4xx JSON error that names the parameter; never a 500.

A table of hostile values, each tried on every list it applies to (the shared parameters on all
eight), plus hostile paths and headers.
"""

import pytest
from django.test import Client

from tests.partners.helpers import RESOURCES

pytestmark = pytest.mark.django_db

LISTS = [*RESOURCES, "changes"]
LONG = "x" * 5000
# (query string, the parameter the error must name, expected status)
EVERY_LIST = [
    ("page=0", "page", 400),
    ("page=-1", "page", 400),
    ("page=abc", "page", 400),
    ("page=1.5", "page", 400),
    ("page=last", "page", 400),
    ("page=%EF%BC%91", "page", 400),  # a full-width digit one
    (f"page={10**30}", "page", 400),
    ("page=999999", "page", 404),
    ("page_size=0", "page_size", 400),
    ("page_size=101", "page_size", 400),
    ("page_size=1e2", "page_size", 400),
    ("page_size=", "page_size", 400),
    ("lang=xx", "lang", 400),
    ("lang=", "lang", 400),
    ("lang=EN", "lang", 400),
    ("lang=en%00", "lang", 400),
    ("format=xml", "format", 400),
    ("format=api", "format", 400),
    ("format=csv%0d%0aSet-Cookie:%20x=1", "format", 400),
    ("hack=1", "hack", 400),
    ("page=1&page=2", "page", 400),
    (f"{LONG}=1", LONG, 400),
    ("%00=1", "\x00", 400),
]
FILTERED = {
    # parameter: lists that take it
    "updated_since": [r for r in RESOURCES],
    "since": ["changes"],
    "ordering": [r for r in RESOURCES],
    "q": ["dialogues", "series", "themes", "findings", "recommendations", "organizations", "people"],
    "theme": ["dialogues", "findings", "recommendations"],
    "dialogue": ["findings", "recommendations"],
    "country": ["dialogues", "series", "findings", "organizations", "people"],
    "date_from": ["dialogues", "findings", "recommendations"],
    "kind": ["findings", "organizations"],
    "status": ["recommendations"],
    "addressee": ["recommendations"],
    "type": ["changes"],
}
PER_FILTER = [
    ("updated_since", "yesterday", 400),
    ("updated_since", "2025-07-09", 400),
    ("updated_since", "2025-07-09T25:00:00Z", 400),
    ("updated_since", "0001-01-01T00:00:00%2B14:00", 400),
    ("updated_since", "2025-07-09T00:00:00Z%00", 400),
    ("updated_since", "9999-12-31T23:59:59-23:59", 400),
    ("since", "2025-02-30T00:00:00Z", 400),
    ("since", LONG, 400),
    ("ordering", "password", 400),
    ("ordering", "--title", 400),
    ("ordering", "title,id", 400),
    ("q", "x" * 201, 400),
    ("q", "a%00b", 400),
    ("theme", "../../etc/passwd", 400),
    ("theme", "<script>alert(1)</script>", 400),
    ("theme", "no-such-theme", 404),
    ("theme", "x" * 151, 400),
    ("dialogue", "' OR 1=1 --", 400),
    ("dialogue", "nope", 404),
    ("country", "ZZ", 400),
    ("country", "kr", 400),
    ("country", "KOR", 400),
    ("date_from", "2025-02-30", 400),
    ("date_from", "99999-01-01", 400),
    ("date_from", "2025-7-9", 400),
    ("kind", "everything", 400),
    ("status", "published", 400),
    ("addressee", "ZZ", 400),
    ("addressee", "nobody", 404),
    ("addressee", "a b", 400),
    ("type", "users", 400),
]
HARMLESS_SEARCHES = [
    "'; DROP TABLE findings_finding; --",
    "& | ( ! :* <-> \\",
    "캐나다와 & '",
    "%00\x01\x02",
    "\u202e\u200b\ufeff",
    "*" * 199,
]


def check(client: Client, path: str, expected: int, name: str):
    response = client.get(path)
    assert response.status_code == expected, (path[:200], response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/json", path[:200]
    error = response.json()
    assert error["detail"] and error["code"]
    assert name in error.get("errors", {}), (path[:200], error)


@pytest.mark.parametrize("resource", LISTS)
@pytest.mark.parametrize(("query", "name", "status"), EVERY_LIST, ids=[q[:30] for q, _n, _s in EVERY_LIST])
def test_every_list_rejects_bad_shared_parameters(client, resource, query, name, status):
    check(client, f"/api/v1/{resource}/?{query}", status, name)


@pytest.mark.parametrize(
    ("resource", "name", "value", "status"),
    [(resource, name, value, status) for name, value, status in PER_FILTER for resource in FILTERED[name]],
    ids=lambda v: str(v)[:30],
)
def test_every_filter_rejects_bad_values(client, resource, name, value, status):
    check(client, f"/api/v1/{resource}/?{name}={value}", status, name)


def test_the_table_is_big_enough():
    cases = len(EVERY_LIST) * len(LISTS) + sum(len(FILTERED[name]) for name, _v, _s in PER_FILTER)
    assert len(EVERY_LIST) + len(PER_FILTER) >= 20 and cases >= 300


@pytest.mark.parametrize("resource", [r for r in RESOURCES if r != "people"])
@pytest.mark.parametrize("text", HARMLESS_SEARCHES)
def test_hostile_searches_are_answered(client, world, resource, text):
    response = client.get(f"/api/v1/{resource}/", {"q": text})
    assert response.status_code == 200, response.content[:300]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/findings/0/",
        "/api/v1/findings/-1/",
        f"/api/v1/findings/{10**30}/",
        "/api/v1/findings/1.0/",
        "/api/v1/findings/%00/",
        "/api/v1/dialogues/..%2F..%2Fetc/",
        "/api/v1/dialogues/%E2%80%AE/",
        f"/api/v1/themes/{'x' * 300}/",
        "/api/v1/people/private-person/",
        "/api/v1/nothing/",
        "/api/v2/findings/",
        "/api/v1/changes/1/",
    ],
)
def test_hostile_paths_are_json_404(client, world, path):
    response = client.get(path)
    assert response.status_code == 404, (path, response.status_code)
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_not_allowed(client, world, method):
    response = getattr(client, method)(
        "/api/v1/findings/?format=xml", data="{}", content_type="application/json"
    )
    assert response.status_code == 405
    assert "GET" in response["Allow"]


@pytest.mark.parametrize(
    "headers",
    [
        {"accept-language": "x" * 5000},
        {"accept-language": "*;q=abc, ;;;, fr-CA-x-private"},
        {"accept": "text/html"},
        {"authorization": "Api-Key "},
        {"authorization": "Api-Key not-a-key"},
        {"authorization": "Api-Key abc.def'; DROP TABLE--"},
        {"authorization": "Bearer something"},
    ],
)
def test_hostile_headers_are_4xx_or_ignored(client, world, headers):
    response = client.get("/api/v1/findings/", headers=headers)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/json"
