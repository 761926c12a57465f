"""Filters of the change feed."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.api.filters import DATETIME_SCHEMA, ChoiceParamFilter, InstantFilter, schema
from core.changes import RESOURCES
from core.models import PublicChange

# Loaded with the URLs, after every app has registered its resources.
RESOURCE_NAMES = tuple(RESOURCES)


class ChangeFilterSet(django_filters.FilterSet):
    """Filters of the change feed."""

    since = schema(DATETIME_SCHEMA)(
        InstantFilter(
            field_name="changed_at",
            lookup_expr="gte",
            label=_("Entries recorded at or after this instant (RFC 3339, inclusive); default: all."),
        )
    )
    type = schema({"type": "string", "enum": list(RESOURCE_NAMES)})(
        ChoiceParamFilter(
            field_name="resource", values=RESOURCE_NAMES, label=_("Only entries of this resource.")
        )
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, filter_ in self.filters.items():
            filter_._param_name = name

    class Meta:
        model = PublicChange
        fields = []
