"""The API leak suite: no hidden record, non-consenting person or private field ever leaves.

It walks the routes the API router registers (partners.urls), so a new resource cannot be
added without being checked here, in every language, in JSON and in CSV, list and detail.
"""

import json

import pytest
from django.urls import reverse

from core.changes import changes_rebuild
from partners.urls import router
from tests.dialogue.factories import DialogueFactory, ParticipationFactory
from tests.partners.fixtures import SECRET
from tests.partners.helpers import (
    BY_SLUG,
    LANGUAGES,
    PRIVATE_MARKERS,
    RESOURCES,
    api,
    body,
    csv_rows,
    every_page,
)

pytestmark = pytest.mark.django_db

ROUTES = [prefix for prefix, _viewset, _basename in router.registry]
PRIVATE_FIELDS = ("email", "phone", "internal_notes")


def assert_clean(text: str, where: str):
    assert SECRET not in text, f"hidden text in {where}"
    for marker in PRIVATE_MARKERS:
        assert marker not in text, f"private field value {marker!r} in {where}"


def test_the_suite_walks_every_registered_route():
    assert set(ROUTES) == {*RESOURCES, "changes", "snapshots"}
    assert len(ROUTES) == len(set(ROUTES))


@pytest.mark.parametrize("prefix", ROUTES)
@pytest.mark.parametrize("lang", [*LANGUAGES, "all"])
def test_lists_hold_no_hidden_record_in_json_or_csv(client, world, prefix, lang, settings, tmp_path):
    if prefix == "snapshots":
        assert_snapshot_clean(client, world, lang, settings, tmp_path)
        return
    path = reverse(f"api:{prefix}-list")
    results = every_page(client, path, lang=lang)
    assert_clean(json.dumps(results, ensure_ascii=False), f"{path}?lang={lang}")
    csv_response = client.get(path, {"lang": lang, "format": "csv"})
    assert_clean(body(csv_response), f"{path}?lang={lang}&format=csv")
    if prefix == "changes":
        for resource, hidden in world.hidden_ids.items():
            listed = {entry["id"] for entry in results if entry["type"] == resource}
            assert not listed & hidden, resource
        return
    ids = {item["id"] for item in results}
    assert not ids & world.hidden_ids[prefix]
    assert world.visible_ids[prefix] <= ids
    assert {int(row["id"]) for row in csv_rows(client.get(path, {"lang": lang, "format": "csv"}))} == ids


def assert_snapshot_clean(client, world, lang, settings, tmp_path):
    """A snapshot of the world, listed and downloaded, holds no hidden record or private field."""
    import io
    import zipfile

    from partners.snapshots import snapshot_build

    settings.SNAPSHOTS_DIR = tmp_path
    snapshot_build()
    (listed,) = every_page(client, reverse("api:snapshots-list"), lang=lang)
    response = client.get(reverse("api:snapshots-download", args=[listed["id"]]))
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        for name in archive.namelist():
            assert_clean(archive.read(name).decode(), f"snapshot {name}")
        ids = {int(row["id"]) for row in csv_rows_of(archive.read("findings.csv"))}
    assert not ids & world.hidden_ids["findings"] and world.visible_ids["findings"] <= ids


def csv_rows_of(data: bytes) -> list[dict]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(data.decode())))


@pytest.mark.parametrize("prefix", RESOURCES)
def test_hidden_records_are_404_by_id_and_slug(client, world, prefix):
    model = router.registry[ROUTES.index(prefix)][1].queryset.model
    for pk in world.hidden_ids[prefix]:
        api(client, reverse(f"api:{prefix}-detail", args=[pk]), expected=404)
        if prefix in BY_SLUG:
            slug = model.objects.get(pk=pk).slug
            api(client, reverse(f"api:{prefix}-detail", args=[slug]), expected=404)


@pytest.mark.parametrize("prefix", RESOURCES)
def test_public_details_embed_nothing_hidden(client, world, prefix):
    for item in every_page(client, reverse(f"api:{prefix}-list")):
        for lang in (*LANGUAGES, "all"):
            detail = client.get(item["url"], {"lang": lang})
            assert detail.status_code == 200
            assert_clean(body(detail), f"{item['url']}?lang={lang}")


def test_hidden_relations_are_cut_not_shown(client, world):
    """Every way a hidden record hangs off a public one, checked by id as well as by text."""

    def detail(prefix, pk):
        return api(client, reverse(f"api:{prefix}-detail", args=[pk]))

    hidden_org, hidden_theme = world.hidden_organization.pk, world.hidden_theme.pk
    dialogue = detail("dialogues", world.dialogue.pk)
    assert [theme["id"] for theme in dialogue["themes"]] == [world.theme.pk]
    assert hidden_org not in [role["organization"]["id"] for role in dialogue["organizers"]]
    assert [theme["id"] for theme in dialogue["sessions"][0]["themes"]] == [world.child_theme.pk]
    assert detail("dialogues", world.dialogue_of_hidden_series.pk)["series"] is None
    assert detail("organizations", world.organization.pk)["parent"] is None
    assert detail("people", world.person_of_hidden_org.pk)["organization"] is None
    finding = detail("findings", world.finding.pk)
    assert [theme["id"] for theme in finding["themes"]] == [world.child_theme.pk]
    assert detail("findings", world.risk.pk)["source_document"] is None
    recommendation = detail("recommendations", world.recommendation.pk)
    assert [org["id"] for org in recommendation["addressee_organizations"]] == [world.korean_org.pk]
    assert [f["id"] for f in recommendation["source_findings"]] == [world.finding.pk]
    assert hidden_theme not in [theme["id"] for theme in recommendation["themes"]]
    assert detail("recommendations", world.earlier.pk)["follow_ups"] == [
        {
            "id": world.follow_up.pk,
            "url": detail("recommendations", world.follow_up.pk)["url"],
            "title": world.follow_up.title,
        }
    ]
    after_hidden = detail("recommendations", world.after_hidden.pk)
    assert after_hidden["follows"] is None and after_hidden["lineage"] == []
    theme = detail("themes", world.child_theme.pk)
    assert theme["parent"]["id"] == world.theme.pk


def test_a_hidden_organisation_of_a_participant_or_organiser_is_cut_from_the_dialogue(client, world):
    """The participant is named, without the unpublished organisation; an unpublished organiser is
    left out; in the detail and in the list alike."""
    hidden = world.hidden_organization
    detail = api(client, reverse("api:dialogues-detail", args=[world.dialogue.pk]))
    listed = {item["id"]: item for item in every_page(client, reverse("api:dialogues-list"))}
    for dialogue in (detail, listed[world.dialogue.pk]):
        by_person = {part["person"]["id"]: part for part in dialogue["participations"]}
        assert by_person[world.person_of_hidden_org.pk]["organization"] is None
        assert by_person[world.person.pk]["organization"]["id"] == world.organization.pk
        assert hidden.pk not in [role["organization"]["id"] for role in dialogue["organizers"]]
        assert f'"{hidden.slug}"' not in json.dumps(dialogue)


def test_chatham_house_names_only_people_who_consented_twice(client, world):
    dialogue = api(client, reverse("api:dialogues-detail", args=[world.dialogue.pk]))
    assert dialogue["is_chatham_house"] is True
    named = {participation["person"]["id"] for participation in dialogue["participations"]}
    assert named == {world.person.pk, world.person_of_hidden_org.pk}
    assert world.private_person.pk not in named
    assert world.unlisted_participation.person_id not in named
    people = {person["id"] for person in every_page(client, reverse("api:people-list"))}
    assert world.private_person.pk not in people
    # Nothing else in the dialogue's record names a person.
    for part in ("organizers", "sessions", "documents"):
        assert "person" not in json.dumps(dialogue[part])


def test_a_chatham_house_dialogue_counts_its_participants_without_naming_them(client):
    dialogue = DialogueFactory(is_chatham_house=True)
    ParticipationFactory.create_batch(4, dialogue=dialogue, delegation_country="KR")
    ParticipationFactory(dialogue=dialogue, delegation_country="CA")
    ParticipationFactory(dialogue=dialogue, delegation_country="CA", private=True)  # counted, unnamed
    ParticipationFactory(dialogue=dialogue, delegation_country="", role="observer")
    profile = api(client, reverse("api:dialogues-detail", args=[dialogue.pk]))["participant_profile"]
    assert profile["total"] == 7
    # Groups of fewer than three (and unknown countries) are folded into "other".
    assert profile["by_country"] == [{"value": "KR", "count": 4}, {"value": "other", "count": 3}]
    assert profile["by_role"] == [{"value": "participant", "count": 6}, {"value": "other", "count": 1}]
    assert sum(group["count"] for group in profile["by_sector"]) == 7
    open_dialogue = DialogueFactory(is_chatham_house=False)
    ParticipationFactory(dialogue=open_dialogue)
    open_record = api(client, reverse("api:dialogues-detail", args=[open_dialogue.pk]))
    assert open_record["participant_profile"] is None
    listed = {item["id"]: item for item in api(client, reverse("api:dialogues-list"))["results"]}
    assert listed[dialogue.pk]["participant_profile"] == profile


def test_no_serializer_has_a_private_person_field():
    from partners.urls import router

    seen = set()

    def walk(serializer):
        for name, field in serializer.fields.items():
            assert name not in PRIVATE_FIELDS, (type(serializer).__name__, name)
            assert getattr(field, "source", "") not in PRIVATE_FIELDS, (type(serializer).__name__, name)
            child = getattr(field, "child", field)
            if hasattr(child, "fields") and type(child) not in seen:
                seen.add(type(child))
                walk(child)

    for _prefix, viewset, _basename in router.registry:
        walk(viewset.serializer_class())
    assert len(seen) >= 10  # the nested serializers were walked too


def test_schema_describes_no_private_field(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    properties = set()
    for component in schema["components"]["schemas"].values():
        properties |= set(component.get("properties", {}))
    assert not properties & set(PRIVATE_FIELDS)


def test_the_change_feed_never_names_a_record_that_was_never_public(client, world):
    changes_rebuild()
    entries = every_page(client, reverse("api:changes-list"))
    assert entries, "the feed lists the public records"
    for resource, hidden in world.hidden_ids.items():
        assert not {entry["id"] for entry in entries if entry["type"] == resource} & hidden
