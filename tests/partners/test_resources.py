"""Every resource: list and detail, the common fields, links, slugs, root, languages."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.dialogue.factories import ThemeFactory
from tests.findings.factories import FindingFactory
from tests.partners.helpers import (
    BY_SLUG,
    LANGUAGE_KEY,
    LANGUAGES,
    RESOURCES,
    api,
    every_page,
    keys_everywhere,
)

pytestmark = pytest.mark.django_db

COMMON = ("id", "url", "web_url", "created", "updated")
TRANSLATED = {
    "dialogues": ("title", "city", "venue", "summary", "context"),
    "series": ("name", "description"),
    "themes": ("name", "description"),
    "findings": ("title", "summary", "body", "source_locator"),
    "recommendations": ("title", "body"),
    "organizations": ("name", "acronym", "description"),
    "people": ("position", "biography"),
}


def test_root_lists_every_resource_the_feed_the_schema_and_the_docs(client):
    root = api(client, "/api/v1/")
    assert set(root) == {*RESOURCES, "changes", "snapshots", "schema", "docs"}
    for name, url in root.items():
        assert url.startswith("http://testserver/api/v1/"), url
        assert client.get(url).status_code == 200, name


@pytest.mark.parametrize("resource", RESOURCES)
def test_items_have_id_links_and_times(client, world, resource):
    items = every_page(client, reverse(f"api:{resource}-list"))
    assert items
    for item in items:
        assert set(COMMON) <= set(item)
        assert item["url"] == f"http://testserver/api/v1/{resource}/{item['id']}/"
        assert item["web_url"].startswith("http://testserver/en/")
        assert dt.datetime.fromisoformat(item["created"]) <= dt.datetime.fromisoformat(item["updated"])
        assert api(client, item["url"]) == item, "list and detail give the same record"


@pytest.mark.parametrize("resource", RESOURCES)
def test_web_url_is_the_public_page(client, world, resource):
    for item in every_page(client, reverse(f"api:{resource}-list"), lang="fr"):
        path = item["web_url"].removeprefix("http://testserver")
        assert path.startswith("/fr/")
        assert client.get(path).status_code == 200, path


def test_links_use_site_url_when_set(client, world, settings):
    settings.SITE_URL = "https://atlas.example.org"
    page = api(client, "/api/v1/findings/?page_size=1")
    assert page["next"].startswith("https://atlas.example.org/api/v1/findings/?")
    item = page["results"][0]
    assert item["url"].startswith("https://atlas.example.org/api/v1/findings/")
    assert item["web_url"].startswith("https://atlas.example.org/en/findings/")
    assert item["dialogue"]["url"].startswith("https://atlas.example.org/api/v1/dialogues/")


@pytest.mark.parametrize("resource", sorted(BY_SLUG))
def test_detail_by_slug_is_the_detail_by_id(client, world, resource):
    item = every_page(client, reverse(f"api:{resource}-list"))[0]
    assert api(client, f"/api/v1/{resource}/{item['slug']}/") == item


@pytest.mark.parametrize("resource", ["findings", "recommendations"])
def test_records_without_slug_are_found_by_id_only(client, world, resource):
    api(client, f"/api/v1/{resource}/visible-dialogue/", expected=404)


def test_an_id_wins_over_a_numeric_slug(client, world):
    numeric = ThemeFactory(slug=str(world.theme.pk))
    assert api(client, f"/api/v1/themes/{world.theme.pk}/")["id"] == world.theme.pk
    assert numeric.pk != world.theme.pk


def test_pagination_counts_and_links(client, world):
    first = api(client, "/api/v1/recommendations/?page_size=2")
    assert first["count"] == len(every_page(client, "/api/v1/recommendations/"))
    assert first["previous"] is None and len(first["results"]) == 2
    second = api(client, first["next"])
    assert second["previous"].endswith("/api/v1/recommendations/?page_size=2")
    assert {item["id"] for item in first["results"]}.isdisjoint({item["id"] for item in second["results"]})


def test_default_page_size_is_20_and_100_is_the_maximum(client, world):
    for _n in range(25):
        FindingFactory(dialogue=world.dialogue)
    assert len(api(client, "/api/v1/findings/")["results"]) == 20
    assert len(api(client, "/api/v1/findings/?page_size=100")["results"]) == 27
    error = api(client, "/api/v1/findings/?page_size=101", expected=400)
    assert "page_size" in error["errors"]


def test_recommendation_carries_updates_and_lineage(client, world):
    from tests.findings.factories import RecommendationFactory

    third = RecommendationFactory(dialogue=world.dialogue, follows=world.follow_up, follow_up_kind="revised")
    record = api(client, f"/api/v1/recommendations/{third.pk}/")
    assert [link["id"] for link in record["lineage"]] == [world.earlier.pk, world.follow_up.pk]
    assert record["follows"]["id"] == world.follow_up.pk and record["follow_up_kind"] == "revised"
    listed = {item["id"]: item for item in every_page(client, "/api/v1/recommendations/")}
    assert listed[third.pk]["lineage"] == record["lineage"]
    main = api(client, f"/api/v1/recommendations/{world.recommendation.pk}/")
    assert main["current_status"] == main["updates"][-1]["status"]  # the latest update's
    assert main["updates"] == [
        {
            "id": world.update.pk,
            "date": "2026-01-15",
            "status": "in_progress",
            "note": world.update.note_en,
            "source_url": None,
        }
    ]
    assert main["current_status"] == "in_progress" and main["addressee_countries"] == ["KR"]


def test_dialogue_embeds_its_parts(client, world):
    record = api(client, f"/api/v1/dialogues/{world.dialogue.slug}/")
    assert record["series"]["slug"] == "visible-series"
    from dialogue.models import DialogueOrganizer

    organizer = DialogueOrganizer.objects.get(dialogue=world.dialogue, organization=world.organization)
    assert record["organizers"] == [
        {
            "id": organizer.pk,
            "organization": {
                "id": world.organization.pk,
                "url": f"http://testserver/api/v1/organizations/{world.organization.pk}/",
                "slug": "visible-org",
                "name": world.organization.name_en,
                "acronym": "",
            },
            "role": "co_host",
        }
    ]
    assert record["documents"][0]["link"] == "https://example.org/summary.pdf"
    assert record["sessions"][0]["title"] == world.session.title_en
    series = api(client, f"/api/v1/series/{world.series.slug}/")
    assert [d["slug"] for d in series["dialogues"]] == ["visible-dialogue", "older-dialogue"]
    assert series["web_url"] == "http://testserver/en/dialogues/visible-dialogue/"
    assert series["countries"] == ["CA", "KR"] and len(series["milestones"]) == 1


def test_embedded_parts_carry_their_own_stable_ids(client, world):
    """A mirror matches sessions, participations, organisers, milestones and updates by id."""
    from dialogue.models import Milestone, Participation, Session

    dialogue = api(client, f"/api/v1/dialogues/{world.dialogue.slug}/")
    sessions = {session["id"]: session["title"] for session in dialogue["sessions"]}
    assert sessions == {
        session.pk: session.title_en for session in Session.objects.filter(dialogue=world.dialogue)
    }
    participations = [item["id"] for item in dialogue["participations"]]
    assert participations and set(participations) <= set(
        Participation.objects.filter(dialogue=world.dialogue).values_list("pk", flat=True)
    )
    series = api(client, f"/api/v1/series/{world.series.slug}/")
    assert [item["id"] for item in series["milestones"]] == list(
        Milestone.objects.filter(series=world.series).values_list("pk", flat=True)
    )
    again = api(client, f"/api/v1/dialogues/{world.dialogue.slug}/?lang=all")
    assert [item["id"] for item in again["sessions"]] == [item["id"] for item in dialogue["sessions"]]


@pytest.mark.parametrize("resource", RESOURCES)
def test_web_url_names_the_page_in_every_language_under_lang_all(client, world, resource):
    one = client.get(reverse(f"api:{resource}-list"), {"page_size": 1}).json()["results"][0]
    every = client.get(reverse(f"api:{resource}-list"), {"page_size": 1, "lang": "all"}).json()["results"][0]
    assert set(every["web_url"]) == {"en", "fr", "ko"}
    assert every["web_url"]["en"] == one["web_url"]
    for lang, url in every["web_url"].items():
        assert url.startswith(f"http://testserver/{lang}/")
    export = client.get(reverse(f"api:{resource}-list"), {"lang": "all", "format": "csv"})
    header = export.getvalue().decode().splitlines()[0].split(",")
    assert {"web_url_en", "web_url_fr", "web_url_ko"} <= set(header) and "web_url" not in header


# --- Languages -------------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_translated_fields_come_in_the_requested_language(client, world, resource, lang):
    from core.changes import public_queryset

    records = {record.pk: record for record in public_queryset(resource)}
    response = client.get(reverse(f"api:{resource}-list"), {"lang": lang, "page_size": 100})
    assert response["Content-Language"] == lang
    assert "Accept-Language" in response["Vary"]
    for item in response.json()["results"]:
        record = records[item["id"]]
        for field in TRANSLATED[resource]:
            expected = getattr(record, f"{field}_{lang}") or getattr(record, f"{field}_en") or ""
            if not expected and lang != "fr":
                expected = getattr(record, f"{field}_fr") or ""
            assert item[field] == expected, (resource, field, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_accept_language_chooses_when_lang_is_absent(client, world, lang):
    response = client.get("/api/v1/themes/", headers={"accept-language": f"{lang};q=0.9, de;q=0.5"})
    assert response["Content-Language"] == lang
    names = {item["name"] for item in response.json()["results"]}
    assert getattr(world.theme, f"name_{lang}") in names
    assert response["Vary"].lower().count("accept-language") == 1


def test_lang_wins_over_accept_language(client, world):
    response = client.get("/api/v1/themes/?lang=ko", headers={"accept-language": "fr"})
    assert response["Content-Language"] == "ko"


def test_unsupported_accept_language_gives_english(client, world):
    response = client.get("/api/v1/themes/", headers={"accept-language": "de-DE, es;q=0.8"})
    assert response["Content-Language"] == "en"


def test_missing_translation_falls_back_to_english(client, world):
    finding = FindingFactory(dialogue=world.dialogue, title_ko="", summary_ko="", summary_fr="")
    record = api(client, f"/api/v1/findings/{finding.pk}/?lang=ko")
    assert record["title"] == finding.title_en
    assert record["summary"] == finding.summary_en


@pytest.mark.parametrize("resource", RESOURCES)
def test_lang_all_gives_every_language_and_null_where_missing(client, world, resource):
    response = client.get(reverse(f"api:{resource}-list"), {"lang": "all", "page_size": 100})
    assert response["Content-Language"] == "en, fr, ko"
    for item in response.json()["results"]:
        for field in TRANSLATED[resource]:
            assert set(item[field]) == {"en", "fr", "ko"}, (resource, field)
            for value in item[field].values():
                assert value is None or (isinstance(value, str) and value)


def test_lang_all_marks_a_missing_translation_with_null(client, world):
    finding = FindingFactory(dialogue=world.dialogue, title_ko="", body_en="Only in English")
    record = api(client, f"/api/v1/findings/{finding.pk}/?lang=all")
    assert record["title"] == {"en": finding.title_en, "fr": finding.title_fr, "ko": None}
    assert record["body"] == {"en": "Only in English", "fr": None, "ko": None}
    assert record["dialogue"]["title"]["ko"] == world.dialogue.title_ko


@pytest.mark.parametrize("resource", [*RESOURCES, "changes"])
@pytest.mark.parametrize("lang", [*LANGUAGES, "all"])
def test_no_per_language_key_ever_appears_in_json(client, world, resource, lang):
    data = api(client, f"/api/v1/{resource}/?lang={lang}&page_size=100")
    assert not {key for key in keys_everywhere(data) if LANGUAGE_KEY.search(key)}
    if data["results"] and resource != "changes":
        detail = api(client, data["results"][0]["url"] + f"?lang={lang}")
        assert not {key for key in keys_everywhere(detail) if LANGUAGE_KEY.search(key)}


def test_web_url_follows_the_language(client, world):
    for lang in LANGUAGES:
        record = api(client, f"/api/v1/dialogues/{world.dialogue.pk}/?lang={lang}")
        assert record["web_url"] == f"http://testserver/{lang}/dialogues/visible-dialogue/"


def test_a_missing_trailing_slash_redirects(client, world):
    response = client.get("/api/v1/findings?page_size=1")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/findings/?page_size=1"
    assert client.get("/api/v1/nothing").status_code == 301
