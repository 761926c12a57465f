"""The filters of themes, dialogue series and dialogues, and the theme filter every list shares.

One FilterSet per list (core.api.filters explains why): the API lists and their CSV export use
them today; a site list of these records would bind the same class to `request.GET`.
"""

from django.utils.translation import gettext_lazy as _

from core.api.filters import (
    ChoiceFilter,
    CountryFilter,
    CountryListFilter,
    DateFilter,
    OrderingFilter,
    PublicFilterSet,
    PublicRecordFilter,
    SearchFilter,
)
from dialogue import selectors
from dialogue.models import DIALOGUE_SEARCH_FIELDS, Dialogue, DialogueSeries, Theme, Track
from stakeholders.selectors import organization_list_public

NAME_SEARCH_FIELDS = ("name", "description")


class ThemeFilter(PublicRecordFilter):
    """A public theme by slug; matches the records tagged with it or with one of its public
    sub-themes (`field_name`: the records' many-to-many relation to themes)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("field_name", "themes")
        kwargs.setdefault("queryset", selectors.theme_list_public)
        kwargs.setdefault("label", _("Theme"))
        kwargs.setdefault("empty_label", _("Any theme"))
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        relation = qs.model._meta.get_field(self.field_name)
        tagged = relation.remote_field.through.objects.filter(
            theme__in=selectors.theme_family_public(theme=value)
        )
        return qs.filter(pk__in=tagged.values(relation.m2m_column_name()))


class ThemeFilterSet(PublicFilterSet):
    q = SearchFilter(fields=NAME_SEARCH_FIELDS)
    parent = PublicRecordFilter(
        field_name="parent",
        queryset=selectors.theme_list_public,
        label=_("Sub-themes of this theme, by slug."),
    )
    ordering = OrderingFilter(
        choices={
            "order": ("order", "name"),
            "name": ("name",),
            "created": ("created_at",),
            "updated": ("updated_at",),
        }
    )

    class Meta:
        model = Theme
        fields = []

    @classmethod
    def public_queryset(cls):
        return selectors.theme_list_public()


class SeriesFilterSet(PublicFilterSet):
    q = SearchFilter(fields=NAME_SEARCH_FIELDS)
    country = CountryListFilter(field_name="countries", label=_("Series between this country and others."))
    ordering = OrderingFilter(
        choices={"name": ("name",), "created": ("created_at",), "updated": ("updated_at",)}
    )

    class Meta:
        model = DialogueSeries
        fields = []

    @classmethod
    def public_queryset(cls):
        return selectors.series_list_public()


class DialogueFilterSet(PublicFilterSet):
    q = SearchFilter(fields=DIALOGUE_SEARCH_FIELDS)
    theme = ThemeFilter()
    series = PublicRecordFilter(
        field_name="series",
        queryset=selectors.series_list_public,
        label=_("Editions of this series, by slug."),
    )
    organization = PublicRecordFilter(
        method="filter_organization",
        queryset=organization_list_public,
        label=_("Organised by this organisation, by slug."),
    )
    country = CountryFilter(field_name="country", label=_("Held in this country (ISO 3166-1 alpha-2)."))
    track = ChoiceFilter(field_name="track", choices=Track.choices, label=_("Diplomatic track."))
    date_from = DateFilter(field_name="end_date", lookup_expr="gte", label=_("Ending on or after this date."))
    date_to = DateFilter(
        field_name="start_date", lookup_expr="lte", label=_("Starting on or before this date.")
    )
    ordering = OrderingFilter(
        choices={
            "start_date": ("start_date", "edition"),
            "title": ("title",),
            "created": ("created_at",),
            "updated": ("updated_at",),
        }
    )

    class Meta:
        model = Dialogue
        fields = []

    @classmethod
    def public_queryset(cls):
        return selectors.dialogue_list_public()

    def filter_organization(self, queryset, name, organization):
        # Through the public organiser roles only, as the dialogue's page lists them.
        return queryset.filter(
            pk__in=selectors.organizer_roles_public().filter(organization=organization).values("dialogue_id")
        )
