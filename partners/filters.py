"""Filters of the change feed."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.api.filters import ChoiceFilter, InstantFilter, SchemaMixin
from core.changes import RESOURCES
from core.models import PublicChange, PublicChangeAction

# Loaded with the URLs, after every app has registered its resources.
RESOURCE_NAMES = tuple(RESOURCES)
MAX_SEQUENCE = 2**63 - 1


class SequenceField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        if not (value.isascii() and value.isdigit()) or int(value) > MAX_SEQUENCE:
            raise ValidationError(_("Enter a sequence number: a whole number from 0."), code="invalid")
        return int(value)


class AfterFilter(SchemaMixin, django_filters.Filter):
    """Entries with a sequence number above the given one."""

    field_class = SequenceField
    openapi = {"type": "integer", "minimum": 0, "maximum": MAX_SEQUENCE}

    def filter(self, qs, value):
        if value is None:
            return qs
        # A remove matters only to partners who read the entry that began the record's holding.
        relevant = Q(action=PublicChangeAction.UPSERT) | Q(held_since__isnull=True) | Q(held_since__lte=value)
        return qs.filter(relevant, pk__gt=value)


class ChangeFilterSet(django_filters.FilterSet):
    """Filters of the change feed."""

    after = AfterFilter(
        label=_(
            "Entries after this sequence number (exclusive): the `seq` of the last entry you "
            "applied, or the `latest_seq` of a snapshot. Default: from the beginning."
        )
    )
    since = InstantFilter(
        field_name="changed_at",
        lookup_expr="gte",
        label=_("Entries recorded at or after this instant (RFC 3339, inclusive); default: all."),
    )
    type = ChoiceFilter(
        field_name="resource",
        choices=[(name, name) for name in RESOURCE_NAMES],
        label=_("Only entries of this resource."),
    )

    class Meta:
        model = PublicChange
        fields = []
