"""A staff preview is the whole page as it will be, drafts marked, and says what the page drops."""

import pytest
from django.conf import settings

from tests.dialogue.factories import (
    DialogueFactory,
    DialogueOrganizerFactory,
    ParticipationFactory,
    SessionFactory,
)
from tests.findings.factories import FindingFactory, RecommendationFactory
from tests.stakeholders.factories import OrganizationFactory, PersonFactory
from tests.web.helpers import html

pytestmark = pytest.mark.django_db


def draft_dialogue():
    dialogue = DialogueFactory(draft=True, slug="draft-edition")
    FindingFactory(dialogue=dialogue, draft=True, title_en="A draft finding")
    RecommendationFactory(dialogue=dialogue, draft=True, title_en="A draft recommendation")
    SessionFactory(dialogue=dialogue, title_en="Opening session")
    person = PersonFactory(through_dialogues=True, given_name="Named", family_name="Participant")
    ParticipationFactory(dialogue=dialogue, person=person)
    DialogueOrganizerFactory(
        dialogue=dialogue, organization=OrganizationFactory(draft=True, name_en="Draft Institute")
    )
    return dialogue


def test_the_preview_shows_draft_children_marked_and_warns_about_what_the_page_drops(
    client, make_staff, login
):
    dialogue = draft_dialogue()
    login(make_staff("ed", "Editor"))
    page = html(client.get(dialogue.get_absolute_url()))
    assert "No finding has been published" not in page
    for text in ("A draft finding", "A draft recommendation", "Opening session", "Named Participant"):
        assert text in page, text
    assert page.count("Draft, not public") >= 3  # the finding, the recommendation, the organiser
    assert "the organiser “Draft Institute” (its organisation is a draft)" in page


def test_the_public_gets_no_preview(client):
    dialogue = draft_dialogue()
    assert client.get(dialogue.get_absolute_url()).status_code == 404


def test_the_editor_is_told_in_the_admin_that_the_published_page_drops_a_draft_organiser(
    client, make_staff, login
):
    dialogue = DialogueFactory()
    DialogueOrganizerFactory(
        dialogue=dialogue, organization=OrganizationFactory(draft=True, name_en="Draft Institute")
    )
    login(make_staff("ed", "Editor"))
    page = client.get(f"/{settings.ADMIN_URL}dialogue/dialogue/{dialogue.pk}/change/").content.decode()
    assert "The public page leaves out the organiser “Draft Institute”" in page
    assert "Draft Institute" not in html(client.get(dialogue.get_absolute_url()))
