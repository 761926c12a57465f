"""List pages splice records encoded once (core/api/rendering.py): the bytes must not change."""

import json

import pytest
from rest_framework import renderers

from core.api.rendering import RESULTS_PLACEHOLDER, JSONFragments, JSONRenderer, encode
from tests.findings.factories import FindingFactory

RECORDS = [{"id": 1, "title": "Énergie · 에너지", "themes": [{"slug": "a"}]}, {"id": 2, "title": None}]
LINK = f"https://example.org/api/v1/findings/?q={RESULTS_PLACEHOLDER}&page=2"


def page(results):
    return {"count": 2, "next": LINK, "previous": None, "results": results}


def test_spliced_records_are_the_bytes_drf_would_write():
    spliced = JSONRenderer().render(page(JSONFragments(encode(record) for record in RECORDS)))
    assert spliced == renderers.JSONRenderer().render(page(RECORDS))
    assert json.loads(spliced)["next"] == LINK  # a placeholder-like text elsewhere stays as it is


def test_an_empty_page_has_an_empty_list():
    assert json.loads(JSONRenderer().render(page(JSONFragments())))["results"] == []


def test_indented_output_is_indented_throughout():
    media_type = "application/json; indent=2"
    fragments = JSONFragments(encode(record) for record in RECORDS)
    indented = JSONRenderer().render(page(fragments), media_type)
    assert indented == renderers.JSONRenderer().render(page(RECORDS), media_type)
    assert b'\n      "id": 1' in indented


@pytest.mark.django_db
def test_a_list_asked_for_indented_json_gets_it(client):
    finding = FindingFactory()
    compact = client.get("/api/v1/findings/")
    indented = client.get("/api/v1/findings/", HTTP_ACCEPT="application/json; indent=4")
    assert indented.status_code == 200 and b'\n    "results": [\n' in indented.content
    assert json.loads(indented.content) == json.loads(compact.content)
    assert json.loads(compact.content)["results"][0]["id"] == finding.pk
