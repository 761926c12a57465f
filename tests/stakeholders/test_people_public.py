"""A person is public through a public dialogue (or when an Editor publishes them on their own)."""

import pytest
from django.conf import settings

from core.models import PublicChange
from core.services import record_publish, record_unpublish
from stakeholders.models import Person
from tests.dialogue.factories import DialogueFactory, ParticipationFactory
from tests.stakeholders.factories import PersonFactory
from tests.support.forms import change_form

ADMIN = f"/{settings.ADMIN_URL}"


def person_entry(person):
    return (
        PublicChange.objects.filter(resource="people", object_id=person.pk)
        .values_list("action", flat=True)
        .first()
    )


@pytest.mark.django_db(
    transaction=True
)  # each step commits, as on a server, so the feed has an entry per step
def test_a_consenting_person_enters_and_leaves_the_public_set_with_their_dialogue(client):
    dialogue = DialogueFactory(draft=True)
    person = PersonFactory(through_dialogues=True)
    ParticipationFactory(dialogue=dialogue, person=person)
    assert not Person.objects.public().filter(pk=person.pk).exists()
    assert client.get(person.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/people/{person.pk}/").status_code == 404
    assert person_entry(person) is None

    record_publish(record=dialogue)
    assert Person.objects.public().filter(pk=person.pk).exists()
    assert client.get(person.get_absolute_url()).status_code == 200
    assert person_entry(person) == "upsert"

    record_unpublish(record=dialogue)
    assert client.get(f"/api/v1/people/{person.pk}/").status_code == 404
    assert person_entry(person) == "remove"


@pytest.mark.django_db
def test_a_participation_without_its_own_consent_does_not_make_a_person_public():
    person = PersonFactory(through_dialogues=True)
    ParticipationFactory(dialogue=DialogueFactory(), person=person, private=True)
    assert not Person.objects.public().filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_only_an_editor_publishes_a_person_on_their_own(client, make_staff, login):
    person = PersonFactory(through_dialogues=True)
    url = f"{ADMIN}stakeholders/person/{person.pk}/change/"
    login(make_staff("ana", "Analyst"))
    data = change_form(client, url)
    assert "is_published_alone" not in data  # read-only for an Analyst
    data["is_published_alone"] = "on"
    response = client.post(url, data)
    person.refresh_from_db()
    assert not person.is_published_alone
    assert response.status_code in (302, 403)
    client.logout()

    login(make_staff("ed", "Editor"))
    data = change_form(client, url)
    data["is_published_alone"] = "on"
    assert client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.is_published_alone
    assert Person.objects.public().filter(pk=person.pk).exists()
