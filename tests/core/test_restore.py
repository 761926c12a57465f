"""Deleting never silently removes published findings; deleted records come back from history."""

import pytest
from django.conf import settings
from modeltranslation.translator import translator

from dialogue.models import Dialogue, DialogueDocument, Participation, Session
from findings.models import Finding
from tests.dialogue.factories import (
    DialogueDocumentFactory,
    DialogueFactory,
    ParticipationFactory,
    SessionFactory,
    ThemeFactory,
)
from tests.findings.factories import FindingFactory

pytestmark = pytest.mark.django_db

ADMIN = f"/{settings.ADMIN_URL}"


def test_deleting_a_dialogue_with_findings_lists_them_and_deletes_nothing(client, make_staff, login):
    finding = FindingFactory(title_en="Energy security cooperation")
    draft = FindingFactory(dialogue=finding.dialogue, draft=True, title_en="A draft observation")
    dialogue = finding.dialogue
    login(make_staff("ed", "Editor"))
    url = f"{ADMIN}dialogue/dialogue/{dialogue.pk}/delete/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "would require deleting the following protected related objects" in html
    assert "Energy security cooperation" in html and "A draft observation" in html
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200  # the same explanation again, not a 500
    assert Dialogue.objects.filter(pk=dialogue.pk).exists()
    assert Finding.objects.filter(pk__in=[finding.pk, draft.pk]).count() == 2


def test_bulk_deleting_dialogues_with_findings_is_refused_with_the_list(client, make_staff, login):
    finding = FindingFactory(title_en="Protected finding")
    login(make_staff("ed", "Editor"))
    response = client.post(
        f"{ADMIN}dialogue/dialogue/",
        {"action": "delete_selected", "_selected_action": [finding.dialogue_id], "post": "yes"},
    )
    assert response.status_code == 200
    assert "Protected finding" in response.content.decode()
    assert Dialogue.objects.filter(pk=finding.dialogue_id).exists()


def _snapshot(model, **filters):
    return list(model._base_manager.filter(**filters).order_by("pk").values())


def test_a_deleted_dialogue_is_restored_with_what_was_deleted_with_it(client, make_staff, login):
    dialogue = DialogueFactory(draft=True, title_fr="Dialogue à restaurer", summary_ko="요약")
    sessions = SessionFactory.create_batch(2, dialogue=dialogue)
    ParticipationFactory(dialogue=dialogue)
    DialogueDocumentFactory(dialogue=dialogue)
    unrelated = SessionFactory()  # another dialogue's session stays out of the batch
    before = {
        model: _snapshot(model, **{"pk" if model is Dialogue else "dialogue": dialogue.pk})
        for model in (Dialogue, Session, Participation, DialogueDocument)
    }
    assert len(before[Session]) == 2

    login(make_staff("ed", "Editor"))
    assert client.post(f"{ADMIN}dialogue/dialogue/{dialogue.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Dialogue.objects.filter(pk=dialogue.pk).exists()
    assert not Session.objects.filter(pk__in=[s.pk for s in sessions]).exists()

    listing = client.get(f"{ADMIN}deleted/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert dialogue.title_en in html
    assert f"{ADMIN}deleted/dialogue/dialogue/{dialogue.pk}/restore/" in html

    response = client.post(f"{ADMIN}deleted/dialogue/dialogue/{dialogue.pk}/restore/")
    assert response.status_code == 302
    assert response["Location"] == f"{ADMIN}dialogue/dialogue/{dialogue.pk}/change/"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("and 4 records deleted with it" in m for m in messages), messages

    for model, rows in before.items():
        after = _snapshot(model, **{"pk" if model is Dialogue else "dialogue": dialogue.pk})
        assert len(after) == len(rows), model
        for old, new in zip(rows, after, strict=True):
            assert new["version"] == old["version"] + 1
            # The raw column of a translated field holds whichever language was active at the
            # save; the per-language columns are compared instead.
            ignore = {"version", "updated_at", *translator.get_options_for_model(model).fields}
            assert {k: v for k, v in new.items() if k not in ignore} == {
                k: v for k, v in old.items() if k not in ignore
            }, model
    restored = Dialogue.objects.get(pk=dialogue.pk)
    latest = restored.history.order_by("-history_date").first()
    assert latest.history_type == "+" and latest.history_change_reason == "restored from history"
    assert Session.objects.filter(pk=unrelated.pk).exists()
    assert (
        f"deleted/dialogue/dialogue/{dialogue.pk}/restore/"
        not in client.get(f"{ADMIN}deleted/").content.decode()
    )


def test_a_deleted_published_finding_is_restored_by_an_editor(client, make_staff, login):
    finding = FindingFactory(title_ko="복원할 결과")
    finding.themes.add(ThemeFactory())
    login(make_staff("ed", "Editor"))
    assert client.post(f"{ADMIN}findings/finding/{finding.pk}/delete/", {"post": "yes"}).status_code == 302
    response = client.post(f"{ADMIN}deleted/findings/finding/{finding.pk}/restore/", follow=True)
    assert response.status_code == 200
    assert "many-to-many links are not restored" in response.content.decode()
    restored = Finding.objects.get(pk=finding.pk)
    assert restored.title_ko == "복원할 결과"
    assert Finding.objects.public().filter(pk=finding.pk).exists()


def test_deleted_records_restore_input_errors_are_4xx(client, make_staff, login):
    finding = FindingFactory()
    login(make_staff("ed", "Editor"))
    base = f"{ADMIN}deleted/findings/finding"
    assert client.post(f"{base}/{finding.pk}/restore/").status_code == 404  # not deleted
    assert client.post(f"{base}/abc/restore/").status_code == 404
    assert client.post(f"{ADMIN}deleted/nope/nothing/1/restore/").status_code == 404
    assert client.post(f"{ADMIN}deleted/auth/user/1/restore/").status_code == 404
    assert client.get(f"{base}/{finding.pk}/restore/").status_code == 405


def test_the_deleted_records_page_is_staff_only(client):
    response = client.get(f"{ADMIN}deleted/")
    assert response.status_code == 302 and "/login/" in response["Location"]
