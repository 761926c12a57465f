"""The filters of the findings list and of the recommendations tracker: one FilterSet each.

Each one serves every surface of its list: the site's page (findings.views binds it to
`request.GET`, renders its form and counts its facets), the API list and its CSV export
(findings.api). A filter declared here is therefore accepted, checked and worded the same way
everywhere; core.api.filters says how errors become a 400 or a 404.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.api.filters import (
    COUNTRY_SCHEMA,
    NOT_FOUND,
    SLUG_SCHEMA,
    ChoiceFilter,
    CountryFilter,
    DateFilter,
    OrderingFilter,
    PublicFilterSet,
    PublicRecordField,
    PublicRecordFilter,
    SearchFilter,
    country_list_contains,
)
from dialogue.filters import ThemeFilter
from dialogue.selectors import dialogue_list_public_bare
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
from stakeholders.selectors import organization_list_public

DIALOGUE_ORDER = ("dialogue__start_date", "dialogue_id", "order")


def _is_country_code(text: str) -> bool:
    return len(text) == 2 and text.isascii() and text.isalpha()


class AddresseeField(PublicRecordField):
    """An organisation by slug, or a country by ISO 3166-1 alpha-2 code.

    Two capitals are a country code, never a slug. Two small letters are an organisation's slug
    if one has it, else the country in capitals (the tracker's links have always accepted `kr`).
    """

    def to_python(self, value):
        text = str(value or "").strip()
        if _is_country_code(text) and text.isupper():
            if text not in countries:
                # Malformed like a bad `country`: a 400, not a missing record.
                raise ValidationError(
                    _("“%(code)s” is not an ISO 3166-1 alpha-2 code.") % {"code": text}, code="invalid"
                )
            return text
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code == NOT_FOUND and _is_country_code(text) and text.upper() in countries:
                return text.upper()
            raise

    def bound_data(self, data, initial):
        # So that the select shows `kr` as the country it stands for.
        text = str(data or "").strip()
        if _is_country_code(text) and text not in self.known and text.upper() in countries:
            return text.upper()
        return data


class AddresseeFilter(PublicRecordFilter):
    """Recommendations addressed to an organisation, or to a country among their addressees."""

    field_class = AddresseeField
    # An organisation's slug (never two capitals), or an assigned country code: an unassigned
    # code such as `ZZ` is a 400, as it is for `country`.
    openapi = {
        "anyOf": [
            {**SLUG_SCHEMA, "pattern": r"^(?![A-Z]{2}$)[-a-zA-Z0-9_]+$"},
            COUNTRY_SCHEMA,
        ]
    }

    def filter(self, qs, value):
        if not value:
            return qs
        if isinstance(value, str):
            return qs.filter(country_list_contains("addressee_countries", value))
        return qs.filter(
            pk__in=Recommendation.addressee_organizations.through.objects.filter(organization=value).values(
                "recommendation_id"
            )
        )


class DialogueScopedFilterSet(PublicFilterSet):
    """Filters shared by findings and recommendations: their dialogue, its dates, their themes."""

    dialogue = PublicRecordFilter(
        field_name="dialogue",
        queryset=dialogue_list_public_bare,
        label=_("Dialogue"),
        empty_label=_("Any dialogue"),
    )
    theme = ThemeFilter()
    # Of dialogues overlapping the period: ending on or after `date_from`, starting on or before
    # `date_to`.
    date_from = DateFilter(field_name="dialogue__end_date", lookup_expr="gte", label=_("From"))
    date_to = DateFilter(field_name="dialogue__start_date", lookup_expr="lte", label=_("Until"))


class FindingFilterSet(DialogueScopedFilterSet):
    q = SearchFilter(fields=FINDING_SEARCH_FIELDS, label=_("Search findings"))
    kind = ChoiceFilter(
        field_name="kind",
        choices=FindingKind.choices,
        label=_("Kind"),
        empty_label=_("Any kind"),
    )
    perspective = ChoiceFilter(
        field_name="perspective",
        choices=Perspective.choices,
        label=_("Perspective"),
        empty_label=_("Any perspective"),
    )
    # The delegation whose view the finding is.
    country = CountryFilter(field_name="perspective_country", label=_("Country"))
    ordering = OrderingFilter(
        choices={
            "date": DIALOGUE_ORDER,
            "title": ("title",),
            "created": ("created_at",),
            "updated": ("updated_at",),
        }
    )

    class Meta:
        model = Finding
        fields = []

    @classmethod
    def public_queryset(cls):
        return selectors.finding_list_public().order_by(*selectors.FINDING_ORDERING)


class RecommendationFilterSet(DialogueScopedFilterSet):
    q = SearchFilter(fields=RECOMMENDATION_SEARCH_FIELDS)
    status = ChoiceFilter(
        field_name="current_status",
        choices=RecommendationStatus.choices,
        label=_("Status"),
        empty_label=_("Any status"),
    )
    priority = ChoiceFilter(field_name="priority", choices=Priority.choices, label=_("Priority"))
    horizon = ChoiceFilter(field_name="horizon", choices=Horizon.choices, label=_("Horizon"))
    addressee = AddresseeFilter(
        queryset=organization_list_public,
        label=_("Addressed to"),
        empty_label=_("Anyone"),
    )
    ordering = OrderingFilter(
        choices={
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

    @classmethod
    def public_queryset(cls):
        return selectors.recommendation_list_public().order_by(*selectors.RECOMMENDATION_ORDERING)
