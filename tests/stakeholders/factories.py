import datetime as dt

import factory
from django.utils import timezone

from core.models import PublicationStatus
from stakeholders.models import Organization, OrganizationKind, Person


def _past():
    return timezone.now() - dt.timedelta(days=1)


def _future():
    return timezone.now() + dt.timedelta(days=7)


class PublishableFactory(factory.django.DjangoModelFactory):
    """Published by default; traits draft, in_review, scheduled, published."""

    class Meta:
        abstract = True

    class Params:
        draft = factory.Trait(status=PublicationStatus.DRAFT, published_at=None)
        in_review = factory.Trait(status=PublicationStatus.IN_REVIEW, published_at=None)
        scheduled = factory.Trait(
            status=PublicationStatus.PUBLISHED, published_at=factory.LazyFunction(_future)
        )
        published = factory.Trait(
            status=PublicationStatus.PUBLISHED, published_at=factory.LazyFunction(_past)
        )

    status = PublicationStatus.PUBLISHED
    published_at = factory.LazyFunction(_past)


class OrganizationFactory(PublishableFactory):
    class Meta:
        model = Organization

    name_en = factory.Sequence(lambda n: f"Institute {n}")
    name_fr = factory.Sequence(lambda n: f"Institut {n}")
    name_ko = factory.Sequence(lambda n: f"연구원 {n}")
    slug = factory.Sequence(lambda n: f"institute-{n}")
    kind = OrganizationKind.THINK_TANK
    country = "CA"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    class Params:
        private = factory.Trait(is_public=False)
        # Consented, and public only through a public participation in a public dialogue.
        through_dialogues = factory.Trait(is_published_alone=False)

    given_name = factory.Faker("first_name")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    position_en = "Director"
    position_fr = "Directrice"
    position_ko = "국장"
    organization = factory.SubFactory(OrganizationFactory)
    country = "KR"
    is_public = True
    # By default a public person on their own (as an Editor may publish one), so that a test of
    # people needs no dialogue; `through_dialogues` is the usual case of the site.
    is_published_alone = True
    email = factory.Sequence(lambda n: f"private-{n}@secret.example.org")
    phone = "+82 10 5555 0100"
    internal_notes = "PRIVATE-NOTE do not publish"
