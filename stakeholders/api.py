"""API viewsets of organisations and people (their filters: stakeholders.filters)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from core.api.views import PublicReadOnlyViewSet
from stakeholders import selectors
from stakeholders.filters import OrganizationFilterSet, PersonFilterSet
from stakeholders.models import Organization, Person
from stakeholders.serializers import OrganizationSerializer, PersonSerializer


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

    def get_page_queryset(self):
        return selectors.organization_list_public().order_by("name", "pk")


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

    def get_page_queryset(self):
        return selectors.person_list_public().order_by("family_name", "given_name", "pk")


ROUTES = [("organizations", OrganizationViewSet), ("people", PersonViewSet)]
