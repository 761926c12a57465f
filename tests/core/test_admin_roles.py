"""Roles are enforced by the server: forged POSTs get nowhere."""

import pytest
from django.conf import settings

from core.models import PublicationStatus
from dialogue.models import Dialogue, Session
from findings.models import Finding
from tests.dialogue.factories import DialogueFactory, SessionFactory
from tests.findings.factories import FindingFactory
from tests.support.forms import change_form

pytestmark = pytest.mark.django_db

ADMIN = f"/{settings.ADMIN_URL}"


def finding_url(finding, view="change"):
    return f"{ADMIN}findings/finding/{finding.pk}/{view}/"


# Analysts draft --------------------------------------------------------------------------------


def test_analyst_forging_status_published_on_the_change_form_is_refused(client, make_staff, login):
    finding = FindingFactory(draft=True)
    login(make_staff("ana", "Analyst"))
    data = change_form(client, finding_url(finding))
    assert "published" not in data.get("status", "")
    data["status"] = "published"
    response = client.post(finding_url(finding), data)
    assert response.status_code in (200, 403)
    finding.refresh_from_db()
    assert finding.status == PublicationStatus.DRAFT
    assert not Finding.objects.published().filter(pk=finding.pk).exists()


def test_analyst_forging_the_publish_action_is_refused(client, make_staff, login):
    finding = FindingFactory(draft=True)
    login(make_staff("ana", "Analyst"))
    client.post(f"{ADMIN}findings/finding/", {"action": "publish_selected", "_selected_action": [finding.pk]})
    client.post(
        f"{ADMIN}dialogue/dialogue/",
        {"action": "publish_selected", "_selected_action": [finding.dialogue_id]},
    )
    finding.refresh_from_db()
    assert finding.status == PublicationStatus.DRAFT


def test_analyst_forging_the_unpublish_action_is_refused(client, make_staff, login):
    finding = FindingFactory()
    login(make_staff("ana", "Analyst"))
    client.post(
        f"{ADMIN}findings/finding/", {"action": "unpublish_selected", "_selected_action": [finding.pk]}
    )
    finding.refresh_from_db()
    assert finding.status == PublicationStatus.PUBLISHED


def test_analyst_cannot_unpublish_by_forging_the_status(client, make_staff, login):
    finding = FindingFactory()
    login(make_staff("ana", "Analyst"))
    data = change_form(client, finding_url(finding))
    data["status"] = "draft"
    data["title_en"] = "Edited by an analyst"
    client.post(finding_url(finding), data)
    finding.refresh_from_db()
    assert finding.status == PublicationStatus.PUBLISHED


def test_analyst_edits_the_text_of_a_published_finding_but_its_status_stays(client, make_staff, login):
    finding = FindingFactory()
    login(make_staff("ana", "Analyst"))
    data = change_form(client, finding_url(finding))
    data["title_en"] = "Sharper wording"
    response = client.post(finding_url(finding), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    finding.refresh_from_db()
    # Held for an Editor (tests/core/test_review.py): the published text and status stay.
    assert finding.title_en != "Sharper wording"
    assert finding.status == PublicationStatus.PUBLISHED


def test_analyst_cannot_delete_a_published_finding(client, make_staff, login):
    finding = FindingFactory()
    login(make_staff("ana", "Analyst"))
    assert client.get(finding_url(finding, "delete")).status_code == 403
    response = client.post(finding_url(finding, "delete"), {"post": "yes"})
    assert response.status_code == 403
    assert Finding.objects.filter(pk=finding.pk).exists()


def test_analyst_bulk_delete_refuses_published_rows(client, make_staff, login):
    published, draft = FindingFactory(), FindingFactory(draft=True)
    login(make_staff("ana", "Analyst"))
    response = client.post(
        f"{ADMIN}findings/finding/",
        {"action": "delete_selected", "_selected_action": [published.pk, draft.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert Finding.objects.filter(pk__in=[published.pk, draft.pk]).count() == 2


def test_analyst_deletes_a_draft(client, make_staff, login):
    draft = FindingFactory(draft=True)
    login(make_staff("ana", "Analyst"))
    response = client.post(finding_url(draft, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert not Finding.objects.filter(pk=draft.pk).exists()


def test_analyst_cannot_delete_a_published_finding_from_its_dialogue_page(client, make_staff, login):
    finding = FindingFactory()
    dialogue = finding.dialogue
    login(make_staff("ana", "Analyst"))
    url = f"{ADMIN}dialogue/dialogue/{dialogue.pk}/change/"
    data = change_form(client, url)
    prefix = next(
        key[: -len("-TOTAL_FORMS")] for key in data if key.endswith("-TOTAL_FORMS") and "finding" in key
    )
    row = next(
        i
        for i in range(int(data[f"{prefix}-TOTAL_FORMS"]))
        if data.get(f"{prefix}-{i}-id") == str(finding.pk)
    )
    data[f"{prefix}-{row}-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "only an Editor can delete it" in response.content.decode()
    assert Finding.objects.filter(pk=finding.pk).exists()


def test_analyst_cannot_delete_a_published_dialogue(client, make_staff, login):
    dialogue = DialogueFactory()
    login(make_staff("ana", "Analyst"))
    response = client.post(f"{ADMIN}dialogue/dialogue/{dialogue.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Dialogue.objects.filter(pk=dialogue.pk).exists()


def test_analyst_cannot_restore_a_published_record_deleted_by_an_editor(client, make_staff, login):
    finding = FindingFactory()
    editor = make_staff("ed", "Editor")
    login(editor)
    assert client.post(finding_url(finding, "delete"), {"post": "yes"}).status_code == 302
    client.logout()
    login(make_staff("ana", "Analyst"))
    response = client.post(f"{ADMIN}deleted/findings/finding/{finding.pk}/restore/")
    assert response.status_code == 403
    assert not Finding.objects.filter(pk=finding.pk).exists()


# Editors publish ----------------------------------------------------------------------------


def test_editor_publishes_through_the_change_form(client, make_staff, login):
    finding = FindingFactory(draft=True)
    login(make_staff("ed", "Editor"))
    data = change_form(client, finding_url(finding))
    data["status"] = "published"
    response = client.post(finding_url(finding), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    finding.refresh_from_db()
    assert finding.status == PublicationStatus.PUBLISHED and finding.published_at is not None


def test_editor_deletes_a_published_finding(client, make_staff, login):
    finding = FindingFactory()
    login(make_staff("ed", "Editor"))
    assert client.post(finding_url(finding, "delete"), {"post": "yes"}).status_code == 302
    assert not Finding.objects.filter(pk=finding.pk).exists()


# Translators translate ----------------------------------------------------------------------


def test_translator_form_offers_only_french_and_korean_text(client, make_staff, login):
    finding = FindingFactory()
    login(make_staff("tr", "Translator"))
    data = change_form(client, finding_url(finding))
    editable = {name for name in data if name not in ("_save", "version")}
    assert editable == {
        "title_fr",
        "title_ko",
        "summary_fr",
        "summary_ko",
        "body_fr",
        "body_ko",
        "source_locator_fr",
        "source_locator_ko",
    }


def test_translator_changes_french_and_korean(client, make_staff, login):
    finding = FindingFactory()
    login(make_staff("tr", "Translator"))
    data = change_form(client, finding_url(finding))
    data.update(title_fr="Titre traduit", body_ko="번역된 본문")
    response = client.post(finding_url(finding), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    finding.refresh_from_db()
    assert (finding.title_fr, finding.body_ko) == ("Titre traduit", "번역된 본문")


@pytest.mark.parametrize(
    "forged",
    [
        {"title_en": "Forged English title"},
        {"status": "draft"},
        {"status": "published", "published_at_0": "2020-01-01", "published_at_1": "00:00:00"},
        {"order": "99", "kind": "risk"},
        {"dialogue": "__other__"},
    ],
)
def test_translator_forged_post_changes_nothing_but_translations(client, make_staff, login, forged):
    finding = FindingFactory()
    other = DialogueFactory()
    before = Finding.objects.filter(pk=finding.pk).values().get()
    login(make_staff("tr", "Translator"))
    data = change_form(client, finding_url(finding))
    data.update({k: (str(other.pk) if v == "__other__" else v) for k, v in forged.items()})
    data["title_fr"] = "Titre traduit"
    client.post(finding_url(finding), data)
    after = Finding.objects.filter(pk=finding.pk).values().get()
    changed = {k for k in before if before[k] != after[k]}
    assert changed <= {"title_fr", "title", "version", "updated_at"}, changed


def test_translator_cannot_publish_delete_or_add_but_may_import_translations(client, make_staff, login):
    draft = FindingFactory(draft=True)
    login(make_staff("tr", "Translator"))
    client.post(f"{ADMIN}findings/finding/", {"action": "publish_selected", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.DRAFT
    assert client.post(finding_url(draft, "delete"), {"post": "yes"}).status_code == 403
    assert client.get(f"{ADMIN}findings/finding/add/").status_code == 403
    assert client.get(f"{ADMIN}findings/finding/import/").status_code == 200  # French and Korean only
    assert Finding.objects.filter(pk=draft.pk).exists()


def test_translator_inline_rows_accept_only_french_and_korean(client, make_staff, login):
    session = SessionFactory(title_en="Opening", title_fr="")
    dialogue = session.dialogue
    login(make_staff("tr", "Translator"))
    url = f"{ADMIN}dialogue/dialogue/{dialogue.pk}/change/"
    data = change_form(client, url)
    prefix = next(
        key[: -len("-TOTAL_FORMS")] for key in data if key.endswith("-TOTAL_FORMS") and "session" in key
    )
    assert f"{prefix}-0-title_en" not in data  # read-only for a translator
    assert f"{prefix}-0-title_fr" in data
    data[f"{prefix}-0-title_fr"] = "Ouverture"
    # Forged: an English title, a new row, a deletion.
    data[f"{prefix}-0-title_en"] = "Forged"
    data[f"{prefix}-0-DELETE"] = "on"
    data[f"{prefix}-TOTAL_FORMS"] = "2"
    data[f"{prefix}-1-title_en"] = "Injected session"
    data[f"{prefix}-1-order"] = "5"
    response = client.post(url, data)
    # The translation is saved; the forged parts are ignored (no field, no permission).
    assert response.status_code == 302, response.content.decode()[:3000]
    session.refresh_from_db()
    assert session.title_en == "Opening"
    assert session.title_fr == "Ouverture"
    assert Session.objects.filter(dialogue=dialogue).count() == 1


def test_translator_cannot_revert_english_text_from_history(client, make_staff, login):
    finding = FindingFactory(title_en="First wording")
    login(make_staff("ed", "Editor"))
    data = change_form(client, finding_url(finding))
    data["title_en"] = "Second wording"
    assert client.post(finding_url(finding), data).status_code == 302
    client.logout()
    first = finding.history.order_by("history_date").first()
    login(make_staff("tr", "Translator"))
    revert_url = f"{ADMIN}findings/finding/{finding.pk}/history/{first.history_id}/"
    data = change_form(client, revert_url)
    response = client.post(revert_url, data)
    assert response.status_code == 403
    finding.refresh_from_db()
    assert finding.title_en == "Second wording"


def test_analyst_forging_a_published_new_record_is_refused(client, make_staff, login):
    dialogue = DialogueFactory(draft=True)
    login(make_staff("ana", "Analyst"))
    data = change_form(client, f"{ADMIN}findings/finding/add/")
    data.update(
        dialogue=str(dialogue.pk),
        title_en="Forged publication",
        status="published",
        published_at_0="2020-01-01",
        published_at_1="00:00:00",
    )
    response = client.post(f"{ADMIN}findings/finding/add/", data)
    assert response.status_code in (200, 403)
    assert not Finding.objects.filter(title_en="Forged publication", status="published").exists()
