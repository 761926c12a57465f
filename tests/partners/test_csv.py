"""CSV on every list: the whole filtered set, a header row, translated fields in the language asked."""

import pytest

from tests.findings.factories import FindingFactory
from tests.partners.helpers import RESOURCES, body, csv_rows, every_page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("resource", [*RESOURCES, "changes"])
def test_every_list_exports_csv_with_a_header(client, world, resource):
    response = client.get(f"/api/v1/{resource}/", {"format": "csv"})
    assert response["Content-Disposition"] == f'attachment; filename="{resource}.csv"'
    rows = csv_rows(response)
    header = body(client.get(f"/api/v1/{resource}/", {"format": "csv"})).splitlines()[0].split(",")
    assert header[:1] == (["seq"] if resource == "changes" else ["id"])
    assert len(rows) == len(every_page(client, f"/api/v1/{resource}/"))


def test_csv_holds_the_whole_filtered_set_not_a_page(client, world):
    for _n in range(30):
        FindingFactory(dialogue=world.dialogue, kind="opportunity")
    rows = csv_rows(client.get("/api/v1/findings/", {"format": "csv", "kind": "opportunity", "page_size": 5}))
    assert len(rows) == 30 and {row["kind"] for row in rows} == {"opportunity"}


def test_an_empty_set_still_has_its_header(client, world):
    response = client.get("/api/v1/findings/", {"format": "csv", "kind": "opportunity"})
    assert body(response).startswith("id,url,web_url,dialogue,kind,")
    assert csv_rows(response) == []


def test_csv_is_negotiated_by_accept_too(client, world):
    response = client.get("/api/v1/themes/", headers={"accept": "text/csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize("lang", ["en", "fr", "ko"])
def test_translated_columns_follow_the_language(client, world, lang):
    response = client.get("/api/v1/findings/", {"format": "csv", "lang": lang})
    assert response["Content-Language"] == lang
    rows = {int(row["id"]): row for row in csv_rows(response)}
    assert rows[world.finding.pk]["title"] == getattr(world.finding, f"title_{lang}")
    assert "title_en" not in rows[world.finding.pk]


def test_lang_all_gives_one_column_per_language_in_csv_only(client, world):
    rows = {int(row["id"]): row for row in csv_rows(client.get("/api/v1/findings/?format=csv&lang=all"))}
    row = rows[world.finding.pk]
    assert (row["title_en"], row["title_fr"], row["title_ko"]) == (
        world.finding.title_en,
        world.finding.title_fr,
        world.finding.title_ko,
    )
    assert "title" not in row


def test_references_are_slugs_or_ids_and_lists_are_joined(client, world):
    rows = {int(row["id"]): row for row in csv_rows(client.get("/api/v1/recommendations/?format=csv"))}
    row = rows[world.recommendation.pk]
    assert row["dialogue"] == "visible-dialogue"
    assert row["themes"] == "visible-theme"
    assert row["addressee_organizations"] == "korean-org"
    assert row["addressee_countries"] == "KR"
    assert row["source_findings"] == str(world.finding.pk)
    assert "updates" not in row  # embedded parts stay in the JSON


def test_spreadsheet_formulas_are_defused(client, world):
    finding = FindingFactory(dialogue=world.dialogue, title_en='=HYPERLINK("http://evil.example","x")')
    rows = {int(row["id"]): row for row in csv_rows(client.get("/api/v1/findings/?format=csv"))}
    assert rows[finding.pk]["title"].startswith("'=")


def test_csv_ignores_pagination_but_not_invalid_pagination(client, world):
    assert client.get("/api/v1/findings/", {"format": "csv", "page": 2}).status_code == 200
    for params in ({"page": 0}, {"page_size": 101}, {"page": "x"}):
        response = client.get("/api/v1/findings/", {"format": "csv", **params})
        assert response.status_code == 400 and response["Content-Type"] == "application/json"
