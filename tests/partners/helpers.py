"""Helpers of the API tests: fetching JSON and CSV, walking every page, finding language keys."""

import csv
import io
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

LANGUAGES = ("en", "fr", "ko")
RESOURCES = ("dialogues", "series", "themes", "findings", "recommendations", "organizations", "people")
BY_SLUG = {"dialogues", "series", "themes", "organizations", "people"}
PRIVATE_MARKERS = ("secret.example.org", "5555 0100", "PRIVATE-NOTE")
LANGUAGE_KEY = re.compile(r"_(en|fr|ko)$")


def api(client, path: str, expected: int = 200, **headers):
    """GET an API path; assert the status; return the decoded JSON."""
    response = client.get(path, headers=headers)
    assert response.status_code == expected, (path, response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response.json()


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, body(response)[:500]
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(body(response))))


def every_page(client, path: str, **params) -> list[dict]:
    """Every result of a list, following `next` links."""
    query = "&".join(f"{key}={value}" for key, value in {"page_size": 100, **params}.items())
    url = f"{path}?{query}"
    results = []
    while url:
        page = api(client, url)
        results.extend(page["results"])
        url = page["next"]
    return results


def keys_everywhere(data) -> set[str]:
    """Every object key in a JSON document."""
    found = set()
    if isinstance(data, dict):
        for key, value in data.items():
            found.add(key)
            found |= keys_everywhere(value)
    elif isinstance(data, list):
        for item in data:
            found |= keys_everywhere(item)
    return found


def count_queries(client, path: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured.captured_queries), [query["sql"] for query in captured.captured_queries]
