"""API viewsets and filters of findings and recommendations."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.exceptions import NotFound

from core.api.filters import (
    COUNTRY_SCHEMA,
    DATE_SCHEMA,
    QUERY_SCHEMA,
    SLUG_SCHEMA,
    CountryFilter,
    DateFilter,
    PublicFilterSet,
    SearchFilter,
    choice_filter,
    country_list_contains,
    ordering_filter,
    public_by_slug,
    schema,
)
from core.api.views import PublicReadOnlyViewSet
from dialogue.selectors import dialogue_list_public, theme_family_public, theme_list_public
from findings import selectors
from findings.models import (
    FINDING_SEARCH_FIELDS,
    RECOMMENDATION_SEARCH_FIELDS,
    Finding,
    FindingKind,
    Horizon,
    Perspective,
    Priority,
    Recommendation,
    RecommendationStatus,
)
from findings.serializers import FindingSerializer, RecommendationSerializer
from stakeholders.selectors import organization_list_public

DIALOGUE_ORDER = ("dialogue__start_date", "dialogue_id", "order")
ADDRESSEE_SCHEMA = {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "maxLength": 150}


class DialogueScopedFilterSet(PublicFilterSet):
    """Filters shared by findings and recommendations: their dialogue, its dates, their themes."""

    dialogue = schema(SLUG_SCHEMA)(
        django_filters.CharFilter(method="filter_dialogue", label=_("Of this dialogue, by slug."))
    )
    theme = schema(SLUG_SCHEMA)(
        django_filters.CharFilter(method="filter_theme", label=_("On this theme or its sub-themes, by slug."))
    )
    date_from = schema(DATE_SCHEMA)(
        DateFilter(
            field_name="dialogue__end_date",
            lookup_expr="gte",
            label=_("Of dialogues ending on or after this date."),
        )
    )
    date_to = schema(DATE_SCHEMA)(
        DateFilter(
            field_name="dialogue__start_date",
            lookup_expr="lte",
            label=_("Of dialogues starting on or before this date."),
        )
    )

    def filter_dialogue(self, queryset, name, value):
        return queryset.filter(dialogue=public_by_slug(name, value, dialogue_list_public()))

    def filter_theme(self, queryset, name, value):
        theme = public_by_slug(name, value, theme_list_public())
        through = self.Meta.model.themes.through
        owner = f"{self.Meta.model._meta.model_name}_id"
        return queryset.filter(
            pk__in=through.objects.filter(theme__in=theme_family_public(theme=theme)).values(owner)
        )


class FindingFilterSet(DialogueScopedFilterSet):
    q = schema(QUERY_SCHEMA)(SearchFilter(fields=FINDING_SEARCH_FIELDS))
    kind = choice_filter("kind", FindingKind.choices, _("Kind of finding."))
    perspective = choice_filter("perspective", Perspective.choices, _("Whose view it is."))
    country = schema(COUNTRY_SCHEMA)(
        CountryFilter(
            field_name="perspective_country", label=_("The delegation whose view it is (ISO alpha-2).")
        )
    )
    ordering = ordering_filter(
        {"date": DIALOGUE_ORDER, "title": ("title",), "created": ("created_at",), "updated": ("updated_at",)}
    )

    class Meta:
        model = Finding
        fields = []


class RecommendationFilterSet(DialogueScopedFilterSet):
    q = schema(QUERY_SCHEMA)(SearchFilter(fields=RECOMMENDATION_SEARCH_FIELDS))
    status = choice_filter("current_status", RecommendationStatus.choices, _("Where it stands now."))
    priority = choice_filter("priority", Priority.choices, _("Priority."))
    horizon = choice_filter("horizon", Horizon.choices, _("Time horizon."))
    addressee = schema(ADDRESSEE_SCHEMA)(
        django_filters.CharFilter(
            method="filter_addressee",
            label=_(
                "Addressed to this organisation (slug) or country (ISO alpha-2 code in capitals, e.g. KR)."
            ),
        )
    )
    ordering = ordering_filter(
        {
            "date": DIALOGUE_ORDER,
            "title": ("title",),
            "status": ("current_status",),
            "created": ("created_at",),
            "updated": ("updated_at",),
        }
    )

    class Meta:
        model = Recommendation
        fields = []

    def filter_addressee(self, queryset, name, value):
        if len(value) == 2 and value.isascii() and value.isalpha() and value.isupper():
            # Two capitals are a country code, never a slug.
            if value not in countries:
                raise NotFound({name: [_("“%(code)s” is not an ISO 3166-1 alpha-2 code.") % {"code": value}]})
            return queryset.filter(country_list_contains("addressee_countries", value))
        organization = public_by_slug(name, value, organization_list_public())
        return queryset.filter(
            pk__in=Recommendation.addressee_organizations.through.objects.filter(
                organization=organization
            ).values("recommendation_id")
        )


@extend_schema_view(
    list=extend_schema(summary=_("Public findings")),
    retrieve=extend_schema(summary=_("A public finding, by id")),
)
class FindingViewSet(PublicReadOnlyViewSet):
    """What dialogues found: key findings, observations, opportunities and risks."""

    queryset = Finding.objects.none()
    serializer_class = FindingSerializer
    filterset_class = FindingFilterSet
    resource = "findings"

    def get_queryset(self):
        return selectors.finding_records_public().order_by(*selectors.FINDING_ORDERING)

    def get_page_queryset(self):
        return selectors.finding_list_public_bare().order_by(*selectors.FINDING_ORDERING)


@extend_schema_view(
    list=extend_schema(summary=_("Public recommendations")),
    retrieve=extend_schema(summary=_("A public recommendation with its updates and lineage, by id")),
)
class RecommendationViewSet(PublicReadOnlyViewSet):
    """What dialogues recommended, to whom, how far it has come, and what it follows up."""

    queryset = Recommendation.objects.none()
    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilterSet
    resource = "recommendations"

    def get_queryset(self):
        return selectors.recommendation_records_public().order_by(*selectors.RECOMMENDATION_ORDERING)

    def get_page_queryset(self):
        return selectors.recommendation_list_public_bare().order_by(*selectors.RECOMMENDATION_ORDERING)

    def prepare_records(self, records):
        lineages = selectors.recommendation_lineages_public(recommendations=records)
        for record in records:
            record.public_lineage = lineages[record.pk]


ROUTES = [("findings", FindingViewSet), ("recommendations", RecommendationViewSet)]
