"""API viewsets and filters of themes, dialogue series and dialogues."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

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
    parse_country,
    public_by_slug,
    schema,
)
from core.api.views import PublicReadOnlyViewSet
from dialogue import selectors
from dialogue.models import DIALOGUE_SEARCH_FIELDS, Dialogue, DialogueSeries, Theme, Track
from dialogue.serializers import DialogueSerializer, SeriesSerializer, ThemeSerializer
from stakeholders.selectors import organization_list_public

NAME_SEARCH_FIELDS = ("name", "description")


class ThemeFilterSet(PublicFilterSet):
    q = schema(QUERY_SCHEMA)(SearchFilter(fields=NAME_SEARCH_FIELDS))
    parent = schema(SLUG_SCHEMA)(
        django_filters.CharFilter(method="filter_parent", label=_("Sub-themes of this theme, by slug."))
    )
    ordering = ordering_filter(
        {
            "order": ("order", "name"),
            "name": ("name",),
            "created": ("created_at",),
            "updated": ("updated_at",),
        }
    )

    class Meta:
        model = Theme
        fields = []

    def filter_parent(self, queryset, name, value):
        parent = public_by_slug(name, value, selectors.theme_list_public())
        return queryset.filter(parent=parent)


class SeriesFilterSet(PublicFilterSet):
    q = schema(QUERY_SCHEMA)(SearchFilter(fields=NAME_SEARCH_FIELDS))
    country = schema(COUNTRY_SCHEMA)(
        django_filters.CharFilter(method="filter_country", label=_("Series between this country and others."))
    )
    ordering = ordering_filter({"name": ("name",), "created": ("created_at",), "updated": ("updated_at",)})

    class Meta:
        model = DialogueSeries
        fields = []

    def filter_country(self, queryset, name, value):
        return queryset.filter(country_list_contains("countries", parse_country(name, value)))


class DialogueFilterSet(PublicFilterSet):
    q = schema(QUERY_SCHEMA)(SearchFilter(fields=DIALOGUE_SEARCH_FIELDS))
    theme = schema(SLUG_SCHEMA)(
        django_filters.CharFilter(method="filter_theme", label=_("On this theme or its sub-themes, by slug."))
    )
    series = schema(SLUG_SCHEMA)(
        django_filters.CharFilter(method="filter_series", label=_("Editions of this series, by slug."))
    )
    organization = schema(SLUG_SCHEMA)(
        django_filters.CharFilter(
            method="filter_organization", label=_("Organised by this organisation, by slug.")
        )
    )
    country = schema(COUNTRY_SCHEMA)(
        CountryFilter(field_name="country", label=_("Held in this country (ISO 3166-1 alpha-2)."))
    )
    track = choice_filter("track", Track.choices, _("Diplomatic track."))
    date_from = schema(DATE_SCHEMA)(
        DateFilter(field_name="end_date", lookup_expr="gte", label=_("Ending on or after this date."))
    )
    date_to = schema(DATE_SCHEMA)(
        DateFilter(field_name="start_date", lookup_expr="lte", label=_("Starting on or before this date."))
    )
    ordering = ordering_filter(
        {
            "start_date": ("start_date", "edition"),
            "title": ("title",),
            "created": ("created_at",),
            "updated": ("updated_at",),
        }
    )

    class Meta:
        model = Dialogue
        fields = []

    def filter_theme(self, queryset, name, value):
        theme = public_by_slug(name, value, selectors.theme_list_public())
        return queryset.filter(
            pk__in=Dialogue.themes.through.objects.filter(
                theme__in=selectors.theme_family_public(theme=theme)
            ).values("dialogue_id")
        )

    def filter_series(self, queryset, name, value):
        return queryset.filter(series=public_by_slug(name, value, selectors.series_list_public()))

    def filter_organization(self, queryset, name, value):
        organization = public_by_slug(name, value, organization_list_public())
        return queryset.filter(
            pk__in=selectors.organizer_roles_public().filter(organization=organization).values("dialogue_id")
        )


@extend_schema_view(
    list=extend_schema(summary=_("Published themes")),
    retrieve=extend_schema(summary=_("A published theme, by id or slug")),
)
class ThemeViewSet(PublicReadOnlyViewSet):
    """Policy themes, a two-level taxonomy."""

    queryset = Theme.objects.none()
    serializer_class = ThemeSerializer
    filterset_class = ThemeFilterSet
    resource = "themes"
    by_slug = True

    def get_queryset(self):
        return selectors.theme_records_public().order_by("order", "name", "pk")


@extend_schema_view(
    list=extend_schema(summary=_("Published dialogue series")),
    retrieve=extend_schema(summary=_("A published dialogue series, by id or slug")),
)
class SeriesViewSet(PublicReadOnlyViewSet):
    """Dialogue series: the same countries meeting edition after edition."""

    queryset = DialogueSeries.objects.none()
    serializer_class = SeriesSerializer
    filterset_class = SeriesFilterSet
    resource = "series"
    by_slug = True

    def get_queryset(self):
        return selectors.series_records_public().order_by("name", "pk")


@extend_schema_view(
    list=extend_schema(summary=_("Public dialogues")),
    retrieve=extend_schema(summary=_("A public dialogue, by id or slug")),
)
class DialogueViewSet(PublicReadOnlyViewSet):
    """Dialogues, newest first, with organisers, sessions, documents and consenting participants."""

    queryset = Dialogue.objects.none()
    serializer_class = DialogueSerializer
    filterset_class = DialogueFilterSet
    resource = "dialogues"
    by_slug = True

    def get_queryset(self):
        return selectors.dialogue_records_public().order_by("-start_date", "-edition", "-pk")

    def prepare_records(self, records):
        profiles = selectors.participation_profiles_public(dialogues=records)
        for record in records:
            record.public_profile = profiles[record.pk]


ROUTES = [("themes", ThemeViewSet), ("series", SeriesViewSet), ("dialogues", DialogueViewSet)]
