"""The Canada–Korea demo content: complete, trilingual, traceable, idempotent."""

import pytest
from django.apps import apps
from modeltranslation.translator import NotRegistered, translator

from demo.services import demo_content_load
from dialogue.models import Dialogue, DialogueOrganizer, Milestone, Theme
from findings.models import Finding, Recommendation
from stakeholders.models import Organization, Person

pytestmark = pytest.mark.django_db

CURATED_APPS = ("stakeholders", "dialogue", "findings")


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app in CURATED_APPS
        for model in apps.get_app_config(app).get_models()
    }


def test_loading_twice_creates_nothing_new():
    first = demo_content_load()
    counts = row_counts()  # history tables included
    second = demo_content_load()
    assert first["created"] > 0
    assert second == {"created": 0, "changed": 0}
    assert row_counts() == counts


def test_the_dialogue_as_the_summary_records_it():
    demo_content_load()
    dialogue = Dialogue.objects.public().get(slug="canada-korea-ai-2025")
    assert str(dialogue.start_date) == "2025-07-09" and dialogue.city_en == "Seoul"
    assert dialogue.track == "1.5" and dialogue.country.code == "KR"
    roles = {
        (r.organization.acronym_en or r.organization.name_en, r.role) for r in DialogueOrganizer.objects.all()
    }
    assert roles == {
        ("APF Canada", "co_host"),
        ("STEPI", "co_host"),
        ("Embassy of Canada to the Republic of Korea", "host_government"),
    }
    assert Organization.objects.get(slug="apf-canada").acronym_fr == "FAP Canada"
    years = sorted(m.event_date.year for m in Milestone.objects.all())
    assert years == [2014, 2022, 2024, 2025, 2025]
    assert Finding.objects.filter(kind="key_finding").count() == 4
    assert Finding.objects.filter(kind="opportunity").count() >= 1
    assert Recommendation.objects.count() >= 1
    assert set(Recommendation.objects.values_list("current_status", flat=True)) == {"proposed"}
    assert Theme.objects.count() >= 4
    assert Person.objects.count() == 0  # the summary names nobody


def test_every_text_is_in_english_french_and_korean():
    demo_content_load()
    missing = []
    for app in CURATED_APPS:
        for model in apps.get_app_config(app).get_models():
            try:
                fields = translator.get_options_for_model(model).fields
            except NotRegistered:
                continue
            for obj in model.objects.all():
                for name in fields:
                    values = {lang: getattr(obj, f"{name}_{lang}") or "" for lang in ("en", "fr", "ko")}
                    if any(values.values()) and not all(values.values()):
                        missing.append((model.__name__, obj.pk, name, values))
    assert missing == []


def test_every_finding_names_its_place_in_the_source():
    demo_content_load()
    for finding in Finding.objects.all():
        assert finding.source_document is not None
        assert finding.source_locator_en and finding.source_locator_fr and finding.source_locator_ko


def test_french_and_korean_start_as_human_translations():
    from core import translations
    from core.models import TranslationStatus

    demo_content_load()
    demo_content_load()  # a second load (nothing changes) keeps them so
    seen = set()
    for model in translations.REGISTRY:
        for record in model.objects.all():
            for fields in translations.record_statuses(record).values():
                seen.update(status for status in fields.values() if status)
    assert seen == {"human"}
    assert not TranslationStatus.objects.exists()
