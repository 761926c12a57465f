"""API viewsets and filters of organisations and people."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from core.api.filters import (
    COUNTRY_SCHEMA,
    QUERY_SCHEMA,
    SLUG_SCHEMA,
    CountryFilter,
    PublicFilterSet,
    SearchFilter,
    choice_filter,
    invalid,
    ordering_filter,
    public_by_slug,
    schema,
)
from core.api.views import PublicReadOnlyViewSet
from core.search import MAX_QUERY_LENGTH, SearchQueryTooLong, search_terms
from stakeholders import selectors
from stakeholders.models import Organization, OrganizationKind, Person
from stakeholders.serializers import OrganizationSerializer, PersonSerializer

ORGANIZATION_SEARCH_FIELDS = ("name", "acronym", "description")


class OrganizationFilterSet(PublicFilterSet):
    q = schema(QUERY_SCHEMA)(SearchFilter(fields=ORGANIZATION_SEARCH_FIELDS))
    kind = choice_filter("kind", OrganizationKind.choices, _("Kind of organisation."))
    country = schema(COUNTRY_SCHEMA)(
        CountryFilter(field_name="country", label=_("Country (ISO 3166-1 alpha-2)."))
    )
    ordering = ordering_filter({"name": ("name",), "created": ("created_at",), "updated": ("updated_at",)})

    class Meta:
        model = Organization
        fields = []


class PersonFilterSet(PublicFilterSet):
    q = schema(QUERY_SCHEMA)(
        django_filters.CharFilter(method="filter_q", label=_("Search names and positions, in any language."))
    )
    country = schema(COUNTRY_SCHEMA)(
        CountryFilter(field_name="country", label=_("Country (ISO 3166-1 alpha-2)."))
    )
    organization = schema(SLUG_SCHEMA)(
        django_filters.CharFilter(method="filter_organization", label=_("Current organisation, by slug."))
    )
    ordering = ordering_filter(
        {"name": ("family_name", "given_name"), "created": ("created_at",), "updated": ("updated_at",)}
    )

    class Meta:
        model = Person
        fields = []

    def filter_q(self, queryset, name, value):
        try:
            terms = search_terms(value)
        except SearchQueryTooLong:
            raise invalid(
                name, _("Keep the search under %(max)d characters.") % {"max": MAX_QUERY_LENGTH}
            ) from None
        if not terms:
            return queryset.none()
        for term in terms:
            queryset = queryset.filter(
                Q(given_name__icontains=term)
                | Q(family_name__icontains=term)
                | Q(name_original__icontains=term)
                | Q(position_en__icontains=term)
                | Q(position_fr__icontains=term)
                | Q(position_ko__icontains=term)
            )
        return queryset

    def filter_organization(self, queryset, name, value):
        organization = public_by_slug(name, value, selectors.organization_list_public())
        return queryset.filter(organization=organization)


@extend_schema_view(
    list=extend_schema(summary=_("Published organisations")),
    retrieve=extend_schema(summary=_("A published organisation, by id or slug")),
)
class OrganizationViewSet(PublicReadOnlyViewSet):
    """Organisations: governments, missions, companies, universities, think tanks, NGOs."""

    queryset = Organization.objects.none()
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet
    resource = "organizations"
    by_slug = True

    def get_queryset(self):
        return selectors.organization_records_public().order_by("name", "pk")


@extend_schema_view(
    list=extend_schema(summary=_("People who consented to be listed")),
    retrieve=extend_schema(summary=_("A person who consented to be listed, by id or slug")),
)
class PersonViewSet(PublicReadOnlyViewSet):
    """People who consented to be named publicly; never their contact details or notes."""

    queryset = Person.objects.none()
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    resource = "people"
    by_slug = True

    def get_queryset(self):
        return selectors.person_records_public().order_by("family_name", "given_name", "pk")


ROUTES = [("organizations", OrganizationViewSet), ("people", PersonViewSet)]
