"""Filters of the change feed."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.api.filters import DATETIME_SCHEMA, ChoiceParamFilter, InstantFilter, invalid, schema
from core.changes import RESOURCES
from core.models import PublicChange, PublicChangeAction

# Loaded with the URLs, after every app has registered its resources.
RESOURCE_NAMES = tuple(RESOURCES)
MAX_SEQUENCE = 2**63 - 1


class AfterFilter(django_filters.CharFilter):
    """Entries with a sequence number above the given one."""

    def filter(self, qs, value):
        if not value:
            return qs
        if not (value.isascii() and value.isdigit()) or int(value) > MAX_SEQUENCE:
            raise invalid(self._param_name, _("Enter a sequence number: a whole number from 0."))
        position = int(value)
        # A remove matters only to partners who read the entry that began the record's holding.
        relevant = (
            Q(action=PublicChangeAction.UPSERT) | Q(held_since__isnull=True) | Q(held_since__lte=position)
        )
        return qs.filter(relevant, pk__gt=position)


class ChangeFilterSet(django_filters.FilterSet):
    """Filters of the change feed."""

    after = schema({"type": "integer", "minimum": 0, "maximum": MAX_SEQUENCE})(
        AfterFilter(
            label=_(
                "Entries after this sequence number (exclusive): the `seq` of the last entry you "
                "applied, or the `latest_seq` of a snapshot. Default: from the beginning."
            )
        )
    )
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
