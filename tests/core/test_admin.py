"""The analysts' admin: publication rights, history and revert, tabs, no external hosts."""

import re

import pytest
from django.conf import settings
from django.utils import translation

from core.models import PublicationStatus
from findings.models import Finding
from tests.findings.factories import FindingFactory
from tests.support.forms import change_form

pytestmark = pytest.mark.django_db

ADMIN = f"/{settings.ADMIN_URL}"


def finding_change_payload(finding, **overrides):
    """The POST body of the finding change form, as the browser would send it."""
    data = {
        "dialogue": finding.dialogue_id,
        "order": finding.order,
        "kind": finding.kind,
        "perspective": finding.perspective,
        "perspective_country": finding.perspective_country or "",
        "title_en": finding.title_en,
        "title_fr": finding.title_fr or "",
        "title_ko": finding.title_ko or "",
        "summary_en": finding.summary_en or "",
        "summary_fr": finding.summary_fr or "",
        "summary_ko": finding.summary_ko or "",
        "body_en": finding.body_en or "",
        "body_fr": finding.body_fr or "",
        "body_ko": finding.body_ko or "",
        "source_locator_en": finding.source_locator_en or "",
        "source_locator_fr": "",
        "source_locator_ko": "",
        "status": finding.status,
        "published_at_0": finding.published_at.strftime("%Y-%m-%d") if finding.published_at else "",
        "published_at_1": finding.published_at.strftime("%H:%M:%S") if finding.published_at else "",
        "version": finding.version,
        "_save": "Save",
    }
    data.update(overrides)
    return data


def test_analyst_cannot_publish_through_the_action(client, make_staff, login):
    finding = FindingFactory(draft=True)
    login(make_staff("ana", "Analyst"))
    response = client.post(
        f"{ADMIN}findings/finding/",
        {"action": "publish_selected", "_selected_action": [finding.pk]},
        follow=True,
    )
    assert response.status_code == 200
    finding.refresh_from_db()
    assert finding.status == PublicationStatus.DRAFT
    # The action is not even offered to an analyst.
    page = client.get(f"{ADMIN}findings/finding/").content.decode()
    assert "publish_selected" not in page


def test_analyst_cannot_publish_by_forging_the_change_form(client, make_staff, login):
    finding = FindingFactory(draft=True)
    login(make_staff("ana", "Analyst"))
    response = client.post(
        f"{ADMIN}findings/finding/{finding.pk}/change/", finding_change_payload(finding, status="published")
    )
    finding.refresh_from_db()
    assert finding.status == PublicationStatus.DRAFT
    assert response.status_code in (200, 403)


def test_analyst_can_send_a_draft_to_review(client, make_staff, login):
    finding = FindingFactory(draft=True)
    login(make_staff("ana", "Analyst"))
    response = client.post(
        f"{ADMIN}findings/finding/{finding.pk}/change/", finding_change_payload(finding, status="in_review")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    finding.refresh_from_db()
    assert finding.status == PublicationStatus.IN_REVIEW


def test_editor_publishes_with_the_action(client, make_staff, login):
    finding = FindingFactory(draft=True)
    login(make_staff("ed", "Editor"))
    client.post(f"{ADMIN}findings/finding/", {"action": "publish_selected", "_selected_action": [finding.pk]})
    finding.refresh_from_db()
    assert finding.status == PublicationStatus.PUBLISHED
    assert Finding.objects.public().filter(pk=finding.pk).exists()


def test_editor_unpublishes_with_the_action_after_confirming(client, make_staff, login):
    finding = FindingFactory()
    login(make_staff("ed", "Editor"))
    asked = {"action": "unpublish_selected", "_selected_action": [finding.pk]}
    response = client.post(f"{ADMIN}findings/finding/", asked)
    assert response.status_code == 200
    assert "Yes, unpublish" in response.content.decode() and finding.title_en in response.content.decode()
    assert Finding.objects.public().filter(pk=finding.pk).exists()  # nothing happened yet
    client.post(f"{ADMIN}findings/finding/", {**asked, "confirmed": "yes"})
    finding.refresh_from_db()
    assert not Finding.objects.public().filter(pk=finding.pk).exists()


def test_french_edit_is_kept_in_history_and_revert_restores_it(client, make_staff, login):
    finding = FindingFactory(title_fr="Titre d’origine")
    login(make_staff("ed", "Editor"))
    response = client.post(
        f"{ADMIN}findings/finding/{finding.pk}/change/",
        finding_change_payload(finding, title_fr="Titre corrigé"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    finding.refresh_from_db()
    assert finding.title_fr == "Titre corrigé"
    latest, original = finding.history.order_by("-history_date", "-history_id")[:2]
    assert latest.title_fr == "Titre corrigé"
    assert original.title_fr == "Titre d’origine"

    # The history page shows both versions; the revert form restores the original French title.
    assert client.get(f"{ADMIN}findings/finding/{finding.pk}/history/").status_code == 200
    revert_url = f"{ADMIN}findings/finding/{finding.pk}/history/{original.history_id}/"
    form = client.get(revert_url)
    assert form.status_code == 200
    assert "Titre d’origine" in form.content.decode()
    finding.refresh_from_db()
    response = client.post(revert_url, finding_change_payload(finding, title_fr=original.title_fr))
    assert response.status_code == 302, response.content.decode()[:2000]
    finding.refresh_from_db()
    assert finding.title_fr == "Titre d’origine"


def test_change_form_has_language_tabs_and_no_external_host(client, make_staff, login):
    finding = FindingFactory()
    login(make_staff("ed", "Editor"))
    pages = [
        f"{ADMIN}",
        f"{ADMIN}findings/finding/",
        f"{ADMIN}findings/finding/{finding.pk}/change/",
        f"{ADMIN}findings/finding/add/",
        f"{ADMIN}findings/finding/{finding.pk}/history/",
        f"{ADMIN}findings/finding/import/",
        f"{ADMIN}findings/finding/export/",
        f"{ADMIN}dialogue/dialogue/{finding.dialogue_id}/change/",
        f"{ADMIN}dialogue/dialogueseries/",
        f"{ADMIN}stakeholders/organization/",
        f"{ADMIN}stakeholders/person/",
        f"{ADMIN}findings/recommendation/",
    ]
    external = re.compile(r"""(?:src|href)=["'](?:https?:)?//""")
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not external.findall(html), (url, external.findall(html))
    change_form = client.get(f"{ADMIN}findings/finding/{finding.pk}/change/").content.decode()
    assert "vendor/jquery-ui/jquery-ui.min.js" in change_form
    assert 'id="id_title_fr"' in change_form and 'id="id_title_ko"' in change_form
    assert "tabbed_translation_fields" in change_form


def test_search_finds_a_finding_by_its_korean_title(client, make_staff, login):
    FindingFactory(title_ko="원자력 협력의 기회")
    FindingFactory(title_ko="다른 주제")
    login(make_staff("ed", "Editor"))
    page = client.get(f"{ADMIN}findings/finding/", {"q": "원자력"}).content.decode()
    assert "1 result" in page


def test_changelist_shows_translation_completeness(client, make_staff, login):
    FindingFactory(title_ko="", summary_ko="")
    login(make_staff("ed", "Editor"))
    page = client.get(f"{ADMIN}findings/finding/").content.decode()
    assert "FR 100%" in page
    assert "KO 0%" in page


def test_view_on_site_links_a_draft_for_staff_preview(client, make_staff, login):
    finding = FindingFactory(draft=True)
    login(make_staff("ed", "Editor"))
    page = client.get(f"{ADMIN}findings/finding/{finding.pk}/change/").content.decode()
    assert "/r/" in page  # Django's "view on site" redirect is offered for drafts too


def test_a_constraint_failure_is_a_translated_form_error_not_the_raw_constraint(client, make_staff, login):
    finding = FindingFactory(draft=True)
    login(make_staff("ed", "Editor"))
    data = change_form(client, f"{ADMIN}findings/finding/{finding.pk}/change/")
    data.update(perspective="delegation", perspective_country="")
    response = client.post(f"{ADMIN}findings/finding/{finding.pk}/change/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "is violated" not in page and "finding_delegation_has_country" not in page
    assert "choose the delegation (its country)" in page
    constraint = next(c for c in Finding._meta.constraints if c.name == "finding_delegation_has_country")
    with translation.override("fr"):
        assert (
            str(constraint.violation_error_message)
            != "One delegation's view: choose the delegation (its country)."
        )


def test_a_finding_cannot_cite_another_dialogues_document(client, make_staff, login):
    from tests.dialogue.factories import DialogueDocumentFactory

    finding = FindingFactory(draft=True)
    elsewhere = DialogueDocumentFactory()
    login(make_staff("ed", "Editor"))
    data = change_form(client, f"{ADMIN}findings/finding/{finding.pk}/change/")
    data["source_document"] = str(elsewhere.pk)
    response = client.post(f"{ADMIN}findings/finding/{finding.pk}/change/", data)
    assert response.status_code == 200
    page = response.content.decode()
    # Not offered, so not a valid choice; a forged or imported one meets Finding.clean's message.
    assert "Select a valid choice" in page or "Choose a document of the finding’s dialogue" in page
    finding.refresh_from_db()
    assert finding.source_document is None


def test_the_source_document_choices_are_the_findings_own_dialogues_documents(client, make_staff, login):
    from tests.dialogue.factories import DialogueDocumentFactory

    finding = FindingFactory(draft=True)
    own = DialogueDocumentFactory(dialogue=finding.dialogue, title_en="Own summary")
    DialogueDocumentFactory(title_en="Another dialogue's report")
    login(make_staff("ana", "Analyst"))
    page = client.get(f"{ADMIN}findings/finding/{finding.pk}/change/").content.decode()
    select = page[
        page.index('name="source_document"') : page.index("</select>", page.index('name="source_document"'))
    ]
    assert f'value="{own.pk}"' in select and "Own summary" in select
    assert "Another dialogue" not in select
