"""Helpers for the public-site tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

LANGUAGES = ("en", "fr", "ko")
PRIVATE_MARKERS = ("secret.example.org", "5555 0100", "PRIVATE-NOTE")


def queries_for(client, url: str) -> list[str]:
    """The SQL a GET of `url` runs; the response must be a 200."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [query["sql"] for query in captured.captured_queries]


def html(response) -> str:
    return response.content.decode()
