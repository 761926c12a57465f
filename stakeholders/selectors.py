"""Public reads of organisations and people: the only way public surfaces get them."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from core.search import search_filter
from stakeholders.models import Organization, Person

ORGANIZATION_SEARCH_FIELDS = ("name", "acronym", "description")


def organization_list_public() -> QuerySet[Organization]:
    """Published organisations only, without related rows (lists, lookups, ids, counts)."""
    return Organization.objects.public()


def organization_get_public(*, slug: str) -> Organization:
    """A published organisation by slug with its parent (the page checks it is public), or 404."""
    return get_object_or_404(Organization.objects.public().select_related("parent"), slug=slug)


def person_list_public() -> QuerySet[Person]:
    """People who consented to be listed, without related rows (lists, lookups, ids, counts)."""
    return Person.objects.public()


# --- Public site: pages, previews, search (added with the public site) ---------------------------


def public_organization_prefetch(lookup: str = "organization") -> Prefetch:
    """Prefetch of a foreign key to an organisation into `public_organization`: None unless public."""
    return Prefetch(lookup, queryset=Organization.objects.public(), to_attr="public_organization")


def organization_get_preview(*, slug: str) -> Organization:
    """Any organisation by slug, whatever its status, for a staff preview (the view checks rights)."""
    return get_object_or_404(Organization.objects.select_related("parent"), slug=slug)


def organization_children_public(*, organization: Organization) -> QuerySet[Organization]:
    """Published organisations whose parent is `organization`."""
    return Organization.objects.public().filter(parent=organization)


def organization_people_public(*, organization: Organization) -> QuerySet[Person]:
    """Consenting people whose current organisation is `organization`."""
    return Person.objects.public().filter(organization=organization)


def organization_search_public(*, text: str, language: str) -> QuerySet[Organization]:
    """Published organisations matching `text` in any language, best first. Raises SearchQueryTooLong."""
    return search_filter(
        organization_list_public(), text=text, fields=ORGANIZATION_SEARCH_FIELDS, language=language
    )


def person_detail_public(*, slug: str) -> Person:
    """A consenting person by slug with `public_organization` (None unless it is published), or 404."""
    queryset = Person.objects.public().prefetch_related(public_organization_prefetch())
    return get_object_or_404(queryset, slug=slug)


# --- API: records with every public related part (added with the partners' API) -------------------


def organization_records_public() -> QuerySet[Organization]:
    """Published organisations with their parent in `public_parent` (None unless published)."""
    return Organization.objects.public().prefetch_related(
        Prefetch("parent", queryset=Organization.objects.public(), to_attr="public_parent")
    )


def person_records_public() -> QuerySet[Person]:
    """Consenting people with their organisation in `public_organization` (None unless published)."""
    return Person.objects.public().prefetch_related(public_organization_prefetch())
