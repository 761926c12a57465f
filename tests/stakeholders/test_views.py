"""Organisation and person pages: fixed query counts, consent, private fields, preview."""

import pytest
from django.utils import translation

from tests.dialogue.factories import DialogueFactory, DialogueOrganizerFactory, ParticipationFactory
from tests.findings.factories import RecommendationFactory
from tests.stakeholders.factories import OrganizationFactory, PersonFactory
from tests.web.helpers import PRIVATE_MARKERS, html, queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _render_every_request(settings):
    # The public page cache would answer repeated requests without running the view's queries;
    # and the test client leaves the last request's language active: start in English.
    settings.PUBLIC_CACHE_ENABLED = False
    translation.activate("en")


def test_organization_list_query_count_is_fixed(client):
    OrganizationFactory()
    # count, page
    assert len(queries_for(client, "/en/organisations/")) == 2
    OrganizationFactory.create_batch(30, parent=OrganizationFactory())
    assert len(queries_for(client, "/en/organisations/")) == 2


def organization_with(size: int):
    organization = OrganizationFactory(parent=OrganizationFactory())
    for _ in range(size):
        OrganizationFactory(parent=organization)
        PersonFactory(organization=organization)
        DialogueOrganizerFactory(organization=organization)
        RecommendationFactory().addressee_organizations.add(organization)
    return organization


def test_organization_detail_query_count_is_fixed(client):
    # organisation (+ parent), sub-organisations, people, organiser roles (+ dialogue),
    # recommendations addressed (+ dialogue), their themes, addressees, updates
    assert len(queries_for(client, organization_with(1).get_absolute_url())) == 8
    assert len(queries_for(client, organization_with(9).get_absolute_url())) == 8


def test_person_detail_query_count_is_fixed(client):
    one = PersonFactory()
    ParticipationFactory(person=one)
    many = PersonFactory()
    for _ in range(8):
        ParticipationFactory(person=many, organization=OrganizationFactory())
    # person, their public organisation, participations (+ dialogue), their public organisations
    assert len(queries_for(client, one.get_absolute_url())) == 4
    assert len(queries_for(client, many.get_absolute_url())) == 4


def test_person_page_never_shows_private_fields(client):
    person = PersonFactory(biography_en="Works on **AI** policy.")
    page = html(client.get(person.get_absolute_url()))
    assert person.full_name in page
    assert "<strong>AI</strong>" in page
    for marker in (*PRIVATE_MARKERS, person.email, person.phone, person.internal_notes):
        assert marker not in page


def test_person_without_consent_is_404_even_for_staff(client, make_staff, login):
    person = PersonFactory(private=True)
    assert client.get(person.get_absolute_url()).status_code == 404
    login(make_staff("editor", "Editor"))
    assert client.get(person.get_absolute_url()).status_code == 404


def test_person_page_lists_only_public_participations(client):
    person = PersonFactory()
    shown = ParticipationFactory(person=person, dialogue=DialogueFactory(title_en="Open meeting"))
    ParticipationFactory(person=person, dialogue=DialogueFactory(draft=True, title_en="Secret meeting"))
    ParticipationFactory(person=person, private=True, dialogue=DialogueFactory(title_en="Unlisted meeting"))
    page = html(client.get(person.get_absolute_url()))
    assert shown.dialogue.title in page
    assert "Secret meeting" not in page and "Unlisted meeting" not in page


def test_unpublished_organisation_of_a_person_is_not_shown(client):
    person = PersonFactory(organization=OrganizationFactory(draft=True, name_en="Hidden Bureau"))
    page = html(client.get(person.get_absolute_url()))
    assert "Hidden Bureau" not in page


def test_organisation_page_lists_people_dialogues_and_recommendations(client):
    organization = OrganizationFactory(name_en="Science Ministry")
    person = PersonFactory(organization=organization)
    hidden = PersonFactory(organization=organization, private=True)
    role = DialogueOrganizerFactory(organization=organization)
    recommendation = RecommendationFactory(title_en="Fund compute")
    recommendation.addressee_organizations.add(organization)
    page = html(client.get(organization.get_absolute_url()))
    assert person.full_name in page and hidden.family_name not in page
    assert role.dialogue.title in page and "Co-host" in page
    assert "Fund compute" in page


@pytest.mark.parametrize("trait", ["draft", "in_review", "scheduled"])
def test_hidden_organisation_preview_for_staff_only(client, make_staff, login, trait):
    organization = OrganizationFactory(**{trait: True}, name_en="Bureau in waiting")
    assert client.get(organization.get_absolute_url()).status_code == 404
    login(make_staff("translator", "Translator"))
    page = html(client.get(organization.get_absolute_url()))
    assert "Bureau in waiting" in page and "Preview — not published." in page
