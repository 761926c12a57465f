"""The one publication rule: `.public()` on every model, with parent and consent rules."""

import pytest

from dialogue.models import (
    Dialogue,
    DialogueDocument,
    DialogueSeries,
    Milestone,
    Participation,
    Session,
    Theme,
)
from findings.models import Finding, Recommendation, RecommendationUpdate
from stakeholders.models import Organization, Person
from tests.dialogue.factories import (
    DialogueDocumentFactory,
    DialogueFactory,
    DialogueSeriesFactory,
    MilestoneFactory,
    ParticipationFactory,
    SessionFactory,
    ThemeFactory,
)
from tests.findings.factories import FindingFactory, RecommendationFactory, RecommendationUpdateFactory
from tests.stakeholders.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db

OWN_STATUS = [
    (Organization, OrganizationFactory),
    (Theme, ThemeFactory),
    (DialogueSeries, DialogueSeriesFactory),
    (Dialogue, DialogueFactory),
    (Finding, FindingFactory),
    (Recommendation, RecommendationFactory),
]


@pytest.mark.parametrize(("model", "factory"), OWN_STATUS, ids=lambda v: getattr(v, "__name__", v))
@pytest.mark.parametrize("trait", ["draft", "in_review", "scheduled"])
def test_public_excludes_unpublished_rows(model, factory, trait):
    published = factory()
    hidden = factory(**{trait: True})
    public_ids = set(model.objects.public().values_list("pk", flat=True))
    assert published.pk in public_ids
    assert hidden.pk not in public_ids


@pytest.mark.parametrize("trait", ["draft", "in_review", "scheduled"])
@pytest.mark.parametrize(
    ("model", "factory"),
    [
        (Finding, FindingFactory),
        (Recommendation, RecommendationFactory),
        (Session, SessionFactory),
        (Participation, ParticipationFactory),
        (DialogueDocument, DialogueDocumentFactory),
    ],
    ids=lambda v: getattr(v, "__name__", v),
)
def test_children_of_an_unpublished_dialogue_are_not_public(model, factory, trait):
    visible = factory(dialogue=DialogueFactory())
    hidden = factory(dialogue=DialogueFactory(**{trait: True}))
    public_ids = set(model.objects.public().values_list("pk", flat=True))
    assert visible.pk in public_ids
    assert hidden.pk not in public_ids


@pytest.mark.parametrize("trait", ["draft", "scheduled"])
def test_updates_of_a_hidden_recommendation_are_not_public(trait):
    visible = RecommendationUpdateFactory()
    hidden_own = RecommendationUpdateFactory(recommendation=RecommendationFactory(**{trait: True}))
    hidden_parent = RecommendationUpdateFactory(
        recommendation=RecommendationFactory(dialogue=DialogueFactory(**{trait: True}))
    )
    public_ids = set(RecommendationUpdate.objects.public().values_list("pk", flat=True))
    assert public_ids == {visible.pk}
    assert hidden_own.pk not in public_ids and hidden_parent.pk not in public_ids


@pytest.mark.parametrize("trait", ["draft", "in_review", "scheduled"])
def test_milestones_follow_their_series(trait):
    visible = MilestoneFactory()
    hidden = MilestoneFactory(series=DialogueSeriesFactory(**{trait: True}))
    assert set(Milestone.objects.public()) == {visible}
    assert hidden not in Milestone.objects.public()


def test_people_without_consent_are_not_public():
    consenting = PersonFactory()
    private = PersonFactory(private=True)
    assert list(Person.objects.public()) == [consenting]
    assert private not in Person.objects.public()


def test_participation_needs_both_consents_and_a_public_dialogue():
    shown = ParticipationFactory()
    ParticipationFactory(private=True)  # the participation itself is not public
    ParticipationFactory(person=PersonFactory(private=True))  # the person did not consent
    ParticipationFactory(dialogue=DialogueFactory(draft=True))
    assert list(Participation.objects.public()) == [shown]


def test_published_row_gets_a_publication_time():
    finding = FindingFactory(draft=True)
    finding.status = "published"
    finding.save()
    assert finding.published_at is not None
    assert Finding.objects.public().filter(pk=finding.pk).exists()


def test_database_refuses_a_published_row_without_time():
    from django.db import IntegrityError

    finding = FindingFactory()
    with pytest.raises(IntegrityError):
        Finding.objects.filter(pk=finding.pk).update(published_at=None)


def test_scheduled_row_becomes_public_when_its_time_comes(time_machine):
    import datetime as dt

    from django.utils import timezone

    finding = FindingFactory(scheduled=True)
    assert not Finding.objects.public().filter(pk=finding.pk).exists()
    time_machine.move_to(timezone.now() + dt.timedelta(days=8))
    assert Finding.objects.public().filter(pk=finding.pk).exists()


def test_children_apply_the_dialogue_rule_through_their_join():
    """Findings, recommendations, sessions, documents and participations inline "a public dialogue
    is a published one" (`published_q("dialogue")`): a narrower Dialogue.public() would need them too."""
    from core.models import PublishableQuerySet
    from dialogue.models import DialogueQuerySet

    assert DialogueQuerySet.public is PublishableQuerySet.public
    sql = str(Finding.objects.public().query)
    assert "IN (SELECT" not in sql and 'INNER JOIN "dialogue_dialogue"' in sql
