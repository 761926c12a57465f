"""Chatham House rule: no attribution, an aggregate profile, consenting people alone named."""

import pytest

from dialogue.selectors import participation_profile_public
from tests.dialogue.factories import DialogueFactory, ParticipationFactory, SessionFactory
from tests.findings.factories import FindingFactory, RecommendationFactory
from tests.stakeholders.factories import OrganizationFactory, PersonFactory
from tests.web.helpers import html

pytestmark = pytest.mark.django_db


def _participant(dialogue, country, kind, role, named=False, org_name=None):
    organization = OrganizationFactory(kind=kind, name_en=org_name or f"Affiliation {country}{kind}{role}")
    person = PersonFactory(
        organization=organization, is_public=named, family_name=f"Speaker{country}{kind}{role}"
    )
    return ParticipationFactory(
        dialogue=dialogue,
        person=person,
        organization=organization,
        delegation_country=country,
        role=role,
        is_public=named,
    )


@pytest.fixture
def closed_dialogue(db):
    dialogue = DialogueFactory(is_chatham_house=True)
    participants = [
        _participant(dialogue, "KR", "government", "participant"),
        _participant(dialogue, "KR", "government", "speaker"),
        _participant(dialogue, "KR", "academia", "panellist"),
        _participant(dialogue, "KR", "industry", "participant", named=True, org_name="Named Corp"),
        _participant(dialogue, "CA", "government", "moderator"),
        _participant(dialogue, "CA", "academia", "participant", org_name="Quiet University"),
        _participant(dialogue, "JP", "think_tank", "observer", org_name="Lone Observer Institute"),
    ]
    finding = FindingFactory(dialogue=dialogue, title_en="Shared concern about compute supply")
    recommendation = RecommendationFactory(dialogue=dialogue, title_en="Pool compute capacity")
    return dialogue, participants, finding, recommendation


def test_profile_counts_by_country_sector_and_role_with_small_groups_folded(closed_dialogue):
    dialogue, participants, *_ = closed_dialogue
    profile = participation_profile_public(dialogue=dialogue)
    assert profile.total == 7
    # KR 4 stays; CA 2 and JP 1 are each under three: folded into "Other" (3).
    assert [(str(label), count) for label, count in profile.by_country] == [("South Korea", 4), ("Other", 3)]
    assert [(str(label), count) for label, count in profile.by_sector] == [("Government", 3), ("Other", 4)]
    assert [(str(label), count) for label, count in profile.by_role] == [("Participant", 3), ("Other", 4)]


def test_profile_of_a_hidden_dialogue_is_empty(closed_dialogue):
    dialogue, *_ = closed_dialogue
    dialogue.status = "draft"
    dialogue.save()
    assert participation_profile_public(dialogue=dialogue).total == 0


def test_dialogue_page_shows_the_aggregate_and_names_only_consenting_people(client, closed_dialogue):
    dialogue, participants, *_ = closed_dialogue
    page = html(client.get(dialogue.get_absolute_url()))
    assert "Chatham House rule" in page
    assert 'id="profile-country"' in page
    assert '<th scope="row">South Korea</th><td class="num">4</td>' in page
    assert '<th scope="row">Other</th><td class="num">3</td>' in page
    named = participants[3].person
    assert named.full_name in page  # consented individually: may be named
    for participation in participants[:3] + participants[4:]:
        assert participation.person.family_name not in page
        assert participation.organization.name not in page
    assert "Lone Observer Institute" not in page and "Japan" not in page  # a group of one is not shown


def test_findings_and_recommendations_are_not_attributed(client, closed_dialogue):
    dialogue, participants, finding, recommendation = closed_dialogue
    for url in (finding.get_absolute_url(), recommendation.get_absolute_url()):
        page = html(client.get(url))
        assert "Chatham House rule" in page
        for participation in participants:
            assert participation.person.family_name not in page
            assert participation.organization.name not in page
    feed = html(client.get("/en/feeds/findings/"))
    assert finding.title in feed
    for participation in participants:
        assert participation.person.family_name not in feed


def test_open_dialogue_lists_consenting_participants_without_a_profile(client, db):
    dialogue = DialogueFactory(is_chatham_house=False)
    shown = _participant(dialogue, "KR", "government", "speaker", named=True)
    unnamed = _participant(dialogue, "CA", "academia", "participant", named=False)
    page = html(client.get(dialogue.get_absolute_url()))
    assert shown.person.full_name in page
    assert unnamed.person.family_name not in page
    assert 'id="profile-country"' not in page


def test_a_session_under_the_rule_is_marked(client, db):
    dialogue = DialogueFactory()
    SessionFactory(dialogue=dialogue, is_chatham_house=True, title_en="Closed-door session")
    page = html(client.get(dialogue.get_absolute_url()))
    assert "Closed-door session" in page
    assert "Held under the Chatham House rule." in page
