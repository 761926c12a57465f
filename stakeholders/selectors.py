"""Public reads of organisations and people: the only way public surfaces get them."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from stakeholders.models import Organization, Person


def organization_list_public() -> QuerySet[Organization]:
    """Published organisations only, with their parent."""
    return Organization.objects.public().select_related("parent")


def organization_get_public(*, slug: str) -> Organization:
    """A published organisation by slug, or 404."""
    return get_object_or_404(organization_list_public(), slug=slug)


def person_list_public() -> QuerySet[Person]:
    """People who consented to be listed; their organisation only if it is public."""
    return Person.objects.public().select_related("organization")


def person_get_public(*, slug: str) -> Person:
    """A consenting person by slug, or 404."""
    return get_object_or_404(person_list_public(), slug=slug)
