"""Filters shared by every list: strict parsing, named 400/404 errors, exact schema for each.

Conventions (documented for partners in the README):
- related records by slug (`theme=energy-security`): a malformed slug is a 400, a slug with no
  public record behind it a 404, both naming the parameter;
- countries by ISO 3166-1 alpha-2 code in capitals (`country=KR`);
- dates as YYYY-MM-DD, instants as RFC 3339 with an offset (`2025-07-09T00:00:00Z`), inclusive;
- `q`: full-text in any language, the reader's language first (core.search), at most 200
  characters;
- `ordering`: one of the listed values; `-` for descending.
"""

import datetime as dt
import re

import django_filters
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import NotFound, ValidationError

from core.search import MAX_QUERY_LENGTH, SearchQueryTooLong, search_filter

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
SLUG_RE = re.compile(SLUG_PATTERN)
COUNTRY_CODES = sorted(code for code, _name in countries)
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")

SLUG_SCHEMA = {"type": "string", "pattern": SLUG_PATTERN, "maxLength": 150}
COUNTRY_SCHEMA = {"type": "string", "enum": COUNTRY_CODES}
DATE_SCHEMA = {"type": "string", "format": "date"}
DATETIME_SCHEMA = {"type": "string", "format": "date-time"}
# Any text but NUL (which forms refuse outright); the search keeps letters, digits and marks only.
QUERY_SCHEMA = {"type": "string", "maxLength": MAX_QUERY_LENGTH, "pattern": "^[^\\u0000]*$"}


def invalid(name: str, message) -> ValidationError:
    return ValidationError({name: [message]})


def parse_date(name: str, value: str) -> dt.date:
    """A YYYY-MM-DD date, or a 400 naming the parameter."""
    try:
        if DATE_RE.fullmatch(value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise invalid(name, _("Enter a date as YYYY-MM-DD."))


def parse_instant(name: str, value: str) -> dt.datetime:
    """An RFC 3339 date-time with an offset, as an aware UTC datetime, or a 400 naming the parameter."""
    text = value.upper()
    if text[17:19] == "60":  # a leap second: RFC 3339 allows it, Python does not
        text = text[:17] + "59" + text[19:]
    try:
        if DATETIME_RE.fullmatch(text):
            fraction = re.search(r"\.(\d+)", text)
            if fraction and len(fraction.group(1)) > 6:
                text = text.replace(fraction.group(0), "." + fraction.group(1)[:6])
            return dt.datetime.fromisoformat(text).astimezone(dt.UTC)
    except (ValueError, OverflowError):
        pass
    hint = _(" (write + as %2B in a URL)") if " " in value else ""
    raise invalid(
        name,
        _("Enter an RFC 3339 date-time with an offset, e.g. 2025-07-09T00:00:00Z%(hint)s.") % {"hint": hint},
    )


def parse_country(name: str, value: str) -> str:
    if value not in countries:
        raise invalid(name, _("Enter an ISO 3166-1 alpha-2 country code in capitals, e.g. KR."))
    return value


def public_by_slug(name: str, value: str, queryset: QuerySet):
    """The public record with this slug: 400 if the slug is malformed, 404 if there is none."""
    if not SLUG_RE.fullmatch(value) or len(value) > 150:
        raise invalid(name, _("Enter a valid slug (letters, digits, hyphens, underscores)."))
    record = queryset.filter(slug=value).order_by().first()
    if record is None:
        raise NotFound({name: [_("No public record has the slug “%(slug)s”.") % {"slug": value}]})
    return record


def country_list_contains(field: str, code: str):
    """Q for a django-countries multiple field (stored as "CA,KR") that holds `code`."""
    from django.db.models import Q

    return (
        Q(**{field: code})
        | Q(**{f"{field}__startswith": f"{code},"})
        | Q(**{f"{field}__endswith": f",{code}"})
        | Q(**{f"{field}__contains": f",{code},"})
    )


class SearchFilter(django_filters.CharFilter):
    """`q`: the site's full-text search over `fields` (per-language columns), reader's language first."""

    def __init__(self, *, fields: tuple[str, ...], **kwargs):
        self.search_fields = fields
        kwargs.setdefault("label", _("Full-text search in every language, the reader's language first."))
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        try:
            return search_filter(qs, text=value, fields=self.search_fields, language=get_language())
        except SearchQueryTooLong:
            raise invalid(
                self._param_name, _("Keep the search under %(max)d characters.") % {"max": MAX_QUERY_LENGTH}
            ) from None


class InstantFilter(django_filters.CharFilter):
    """An RFC 3339 instant compared with `field_name` using `lookup_expr`."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__{self.lookup_expr}": parse_instant(self._param_name, value)})


class DateFilter(django_filters.CharFilter):
    """A YYYY-MM-DD date compared with `field_name` using `lookup_expr`."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__{self.lookup_expr}": parse_date(self._param_name, value)})


class CountryFilter(django_filters.CharFilter):
    """An ISO 3166-1 alpha-2 code matched exactly against `field_name`."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{self.field_name: parse_country(self._param_name, value)})


class OrderingFilter(django_filters.CharFilter):
    """`ordering`: one of `choices` (name -> model fields), `-name` for descending."""

    def __init__(self, *, choices: dict[str, tuple[str, ...]], **kwargs):
        self.orderings = choices
        values = [f"{prefix}{name}" for name in choices for prefix in ("", "-")]
        kwargs.setdefault(
            "label", _("Sort order: %(values)s. Ties are broken by id.") % {"values": ", ".join(values)}
        )
        super().__init__(**kwargs)
        self.values = values

    def filter(self, qs, value):
        if not value:
            return qs
        name = value.removeprefix("-")
        if value not in self.values:
            raise invalid(
                self._param_name, _("Choose one of: %(values)s.") % {"values": ", ".join(self.values)}
            )
        descending = value.startswith("-")
        fields = [f"-{field}" if descending else field for field in self.orderings[name]]
        return qs.order_by(*fields, "-pk" if descending else "pk")


def schema(definition: dict):
    """Attach an exact OpenAPI schema to a filter (drf-spectacular reads it)."""
    return extend_schema_field(definition)


class PublicFilterSet(django_filters.FilterSet):
    """Base of every list's filters: `updated_since` everywhere; subclasses add the rest.

    Filters learn their query-parameter name, so that errors name it.
    """

    updated_since = schema(DATETIME_SCHEMA)(
        InstantFilter(
            field_name="updated_at",
            lookup_expr="gte",
            label=_("Records changed at or after this instant (RFC 3339, inclusive)."),
        )
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, filter_ in self.filters.items():
            filter_._param_name = name

    @classmethod
    def ordering_values(cls) -> list[str]:
        ordering = cls.base_filters.get("ordering")
        return getattr(ordering, "values", [])


def ordering_filter(choices: dict[str, tuple[str, ...]]):
    values = [f"{prefix}{name}" for name in choices for prefix in ("", "-")]
    return schema({"type": "string", "enum": values})(OrderingFilter(choices=choices))


class ChoiceParamFilter(django_filters.CharFilter):
    """One of `values`, matched exactly against `field_name`; anything else is a 400."""

    def __init__(self, *, values, **kwargs):
        self.values = list(values)
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        if value not in self.values:
            raise invalid(
                self._param_name, _("Choose one of: %(values)s.") % {"values": ", ".join(self.values)}
            )
        return qs.filter(**{self.field_name: value})


def choice_filter(field_name: str, choices, label):
    """An exact-choice filter with its enum in the schema."""
    values = [value for value, _label in choices]
    return schema({"type": "string", "enum": values})(
        ChoiceParamFilter(field_name=field_name, values=values, label=label)
    )
