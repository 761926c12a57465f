"""The translators' pages: an English edit makes the French and Korean outdated, there and in
the API; a Translator marks a translation reviewed; XLIFF export and import with a preview."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from core.translations import record_statuses
from tests.findings.factories import FindingFactory

pytestmark = pytest.mark.django_db

ADMIN = f"/{settings.ADMIN_URL}core/translationstatus/"


def _api_statuses(client, finding):
    response = client.get(f"/api/v1/findings/{finding.pk}/?lang=all")
    assert response.status_code == 200
    return response.json()["translation_status"]


def test_an_english_edit_makes_the_translations_outdated_on_the_translators_page_and_in_the_api(
    client, make_staff, login
):
    finding = FindingFactory(title_en="Hydrogen corridors", body_en="")
    assert _api_statuses(client, finding)["fr"] == {"title": "human", "summary": "human", "body": None}
    assert client.get(f"/api/v1/findings/{finding.pk}/?lang=en").json()["translation_status"] is None

    finding.title_en = "Hydrogen corridors in the Pacific"
    finding.save()
    statuses = _api_statuses(client, finding)
    assert statuses["fr"]["title"] == statuses["ko"]["title"] == "outdated"
    assert statuses["ko"]["summary"] == "human"

    login(make_staff("tr", "Translator"))
    for language in ("fr", "ko"):
        page = client.get(f"{ADMIN}{language}/").content.decode()
        assert "status-outdated" in page and str(finding) in page
        assert "<ins>in the Pacific</ins>" in page  # the diff of the English change
    filtered = client.get(f"{ADMIN}ko/", {"type": "recommendation"}).content.decode()
    assert "status-outdated" not in filtered


def test_a_translator_marks_a_translation_reviewed(client, make_staff, login):
    finding = FindingFactory(body_en="")
    finding.title_en = "Edited"
    finding.save()
    login(make_staff("tr", "Translator"))
    response = client.post(
        f"{ADMIN}review/", {"type": "finding", "id": finding.pk, "field": "title", "language": "ko"}
    )
    assert response.status_code == 302
    assert record_statuses(finding)["ko"]["title"] == "reviewed"
    assert record_statuses(finding)["fr"]["title"] == "outdated"
    assert _api_statuses(client, finding)["ko"]["title"] == "reviewed"


def test_the_admin_exports_and_imports_xliff_with_a_preview(client, make_staff, login):
    from tests.core.test_xliff import _translated

    finding = FindingFactory(summary_ko="", body_en="")
    login(make_staff("tr", "Translator"))
    exported = client.get(f"{ADMIN}ko/xliff/")
    assert exported["Content-Type"].startswith("application/x-xliff+xml")
    data = _translated(exported.content, {"summary": "번역된 요약"})
    preview = client.post(f"{ADMIN}import/", {"file": SimpleUploadedFile("ko.xlf", data)})
    assert "1 to apply, 0 refused" in preview.content.decode()
    finding.refresh_from_db()
    assert finding.summary_ko == ""  # nothing written before the confirmation
    applied = client.post(f"{ADMIN}import/", {"data": preview.context["encoded"], "apply": "1"})
    assert applied.status_code == 302
    finding.refresh_from_db()
    assert finding.summary_ko == "번역된 요약"


def test_an_anonymous_visitor_or_a_user_without_the_permission_sees_nothing(client, make_staff, login):
    assert client.get(f"{ADMIN}ko/").status_code == 302  # to the sign-in
    login(make_staff("nobody"))
    assert client.get(f"{ADMIN}ko/").status_code == 403
    assert client.post(f"{ADMIN}review/", {}).status_code == 403


def test_french_and_korean_pages_mark_outdated_and_machine_translations(client):
    from core.translations import translation_apply

    finding = FindingFactory(summary_ko="", body_en="")
    translation_apply(instance=finding, field="summary", language="ko", text="기계 번역 요약", machine=True)
    finding.save()
    finding.title_en = "An English title edited"
    finding.save()
    with translation.override("ko"):
        korean = client.get(finding.get_absolute_url()).content.decode()
    assert "translation-outdated" in korean and "translation-machine" in korean
    assert "기계 번역이며 아직 검토되지 않았습니다." in korean  # the note, in the Korean chrome
    with translation.override("en"):
        english = client.get(finding.get_absolute_url()).content.decode()
    assert "translation-outdated" not in english


def test_an_analyst_adds_a_korean_search_word_and_a_translator_may_not(client, make_staff, login):
    from core.models import KoreanWord

    login(make_staff("tr", "Translator"))
    assert client.get(f"/{settings.ADMIN_URL}core/koreanword/add/").status_code == 403
    login(make_staff("an", "Analyst"))
    word = "수소환원제철"
    response = client.post(f"/{settings.ADMIN_URL}core/koreanword/add/", {"word": word, "tag": "NNG"})
    assert response.status_code == 302
    assert KoreanWord.objects.filter(word=word).exists()
