"""The filters of organisations and people.

One FilterSet per list (core.api.filters explains why): the API lists and their CSV export use
them today; a site list of these records would bind the same class to `request.GET`.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.api.filters import (
    ChoiceFilter,
    CountryFilter,
    OrderingFilter,
    PublicFilterSet,
    PublicRecordFilter,
    SearchFilter,
    TextFilter,
)
from core.search import search_terms
from stakeholders import selectors
from stakeholders.models import Organization, OrganizationKind, Person
from stakeholders.selectors import ORGANIZATION_SEARCH_FIELDS


class OrganizationFilterSet(PublicFilterSet):
    q = SearchFilter(fields=ORGANIZATION_SEARCH_FIELDS)
    kind = ChoiceFilter(field_name="kind", choices=OrganizationKind.choices, label=_("Kind of organisation."))
    country = CountryFilter(field_name="country", label=_("Country (ISO 3166-1 alpha-2)."))
    ordering = OrderingFilter(
        choices={"name": ("name",), "created": ("created_at",), "updated": ("updated_at",)}
    )

    class Meta:
        model = Organization
        fields = []

    @classmethod
    def public_queryset(cls):
        return selectors.organization_list_public()


class PersonFilterSet(PublicFilterSet):
    q = TextFilter(method="filter_q", label=_("Search names and positions, in any language."))
    country = CountryFilter(field_name="country", label=_("Country (ISO 3166-1 alpha-2)."))
    organization = PublicRecordFilter(
        field_name="organization",
        queryset=selectors.organization_list_public,
        label=_("Current organisation, by slug."),
    )
    ordering = OrderingFilter(
        choices={
            "name": ("family_name", "given_name"),
            "created": ("created_at",),
            "updated": ("updated_at",),
        }
    )

    class Meta:
        model = Person
        fields = []

    @classmethod
    def public_queryset(cls):
        return selectors.person_list_public()

    def filter_q(self, queryset, name, value):
        # Names are not translated and people are few: a substring match on each word.
        terms = search_terms(value)  # SearchField keeps the text short enough
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
