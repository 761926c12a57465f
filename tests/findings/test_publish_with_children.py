"""Publishing a dialogue with everything it holds, in one confirmation; unpublishing asks first."""

import pytest
from django.conf import settings

from core.models import PublicationStatus
from dialogue.models import Dialogue
from findings.models import Finding, Recommendation
from stakeholders.models import Organization, Person
from tests.dialogue.factories import (
    DialogueFactory,
    DialogueOrganizerFactory,
    DialogueSeriesFactory,
    ParticipationFactory,
    SessionFactory,
    ThemeFactory,
)
from tests.findings.factories import FindingFactory, RecommendationFactory
from tests.stakeholders.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db

CHANGELIST = f"/{settings.ADMIN_URL}dialogue/dialogue/"


def draft_dialogue_with_children():
    series = DialogueSeriesFactory(draft=True)
    dialogue = DialogueFactory(draft=True, series=series, title_en="Second edition")
    theme = ThemeFactory(draft=True, name_en="Quantum")
    dialogue.themes.add(theme)
    organiser = OrganizationFactory(draft=True, name_en="New Institute")
    DialogueOrganizerFactory(dialogue=dialogue, organization=organiser)
    SessionFactory(dialogue=dialogue)
    person = PersonFactory(through_dialogues=True, family_name="Consenting")
    ParticipationFactory(dialogue=dialogue, person=person)
    ParticipationFactory(dialogue=dialogue, person=PersonFactory(private=True))
    finding = FindingFactory(dialogue=dialogue, draft=True, title_en="Draft finding")
    recommendation = RecommendationFactory(dialogue=dialogue, in_review=True, title_en="Rec in review")
    return dialogue, [series, theme, organiser, finding, recommendation], person


def test_publish_with_children_lists_every_draft_child_then_publishes_them_together(
    client, make_staff, login
):
    dialogue, children, person = draft_dialogue_with_children()
    login(make_staff("ed", "Editor"))
    asked = {"action": "publish_with_children", "_selected_action": [dialogue.pk]}
    page = client.post(CHANGELIST, asked).content.decode()
    for text in ("Draft finding", "Rec in review", "New Institute", "Quantum", "Consenting", "stays unnamed"):
        assert text in page, text
    assert Dialogue.objects.get().status == PublicationStatus.DRAFT  # nothing yet

    keys = [f"{record._meta.label_lower}:{record.pk}" for record in children]
    client.post(CHANGELIST, {**asked, "confirmed": "yes", "publish": keys})
    assert Dialogue.objects.public().filter(pk=dialogue.pk).exists()
    assert Finding.objects.public().filter(dialogue=dialogue).count() == 1
    assert Recommendation.objects.public().filter(dialogue=dialogue).count() == 1
    assert Organization.objects.public().filter(name_en="New Institute").exists()
    assert Person.objects.public().filter(pk=person.pk).exists()
    page = client.get(f"/en/dialogues/{dialogue.slug}/")
    assert page.status_code == 200 and "New Institute" in page.content.decode()


def test_unticked_children_stay_drafts(client, make_staff, login):
    dialogue, children, _person = draft_dialogue_with_children()
    login(make_staff("ed", "Editor"))
    client.post(
        CHANGELIST, {"action": "publish_with_children", "_selected_action": [dialogue.pk], "confirmed": "yes"}
    )
    assert Dialogue.objects.public().filter(pk=dialogue.pk).exists()
    assert not Finding.objects.public().exists()


def test_an_analyst_cannot_publish_with_children(client, make_staff, login):
    dialogue, children, _person = draft_dialogue_with_children()
    login(make_staff("ana", "Analyst"))
    keys = [f"{record._meta.label_lower}:{record.pk}" for record in children]
    client.post(
        CHANGELIST,
        {
            "action": "publish_with_children",
            "_selected_action": [dialogue.pk],
            "confirmed": "yes",
            "publish": keys,
        },
    )
    assert not Dialogue.objects.public().exists() and not Finding.objects.public().exists()


def test_unpublishing_a_dialogue_asks_and_says_what_disappears(client, make_staff, login):
    dialogue = DialogueFactory()
    FindingFactory(dialogue=dialogue)
    ParticipationFactory(dialogue=dialogue, person=PersonFactory())
    login(make_staff("ed", "Editor"))
    asked = {"action": "unpublish_selected", "_selected_action": [dialogue.pk]}
    page = client.post(CHANGELIST, asked).content.decode()
    assert "1 public finding" in page and "1 named participant" in page
    assert Dialogue.objects.public().exists()
    client.post(CHANGELIST, {**asked, "confirmed": "yes"})
    assert not Dialogue.objects.public().exists()
