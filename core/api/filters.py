"""Filters shared by every list: strict parsing, named 400/404 errors, exact schema for each.

One FilterSet per list serves every surface that lists those records: the API list, its CSV
export (the same viewset) and the site's HTML list, which binds it to `request.GET` and renders
its `.form`. So every value is checked by a form field, never later while filtering: the form's
errors are the 400 on the site and, through `PublicFilterBackend`, the API's 400 or 404, with the
same messages.

Conventions (documented for partners in the README):
- related records by slug (`theme=energy-security`): a malformed slug is a 400, a slug with no
  public record behind it a 404, both naming the parameter (the site answers 400 for both: the
  page still renders, with the form and its messages);
- countries by ISO 3166-1 alpha-2 code in capitals (`country=KR`);
- dates as YYYY-MM-DD, instants as RFC 3339 with an offset (`2025-07-09T00:00:00Z`), inclusive;
- `q`: full-text in any language, the reader's language first (core.search), at most 200
  characters;
- `ordering`: one of the listed values; `-` for descending.
"""

import copy
import datetime as dt
import re
from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_filters.constants import EMPTY_VALUES
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions

from core.search import MAX_QUERY_LENGTH, search_filter

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
SLUG_RE = re.compile(SLUG_PATTERN)
SLUG_MAX_LENGTH = 150
COUNTRY_CODES = sorted(code for code, _name in countries)
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")

SLUG_SCHEMA = {"type": "string", "pattern": SLUG_PATTERN, "maxLength": SLUG_MAX_LENGTH}
COUNTRY_SCHEMA = {"type": "string", "enum": COUNTRY_CODES}
DATE_SCHEMA = {"type": "string", "format": "date"}
DATETIME_SCHEMA = {"type": "string", "format": "date-time"}
# Any text but NUL (which forms refuse outright); the search keeps letters, digits and marks only.
QUERY_SCHEMA = {"type": "string", "maxLength": MAX_QUERY_LENGTH, "pattern": "^[^\\u0000]*$"}

QUERY_TOO_LONG = _("Your search is too long. Please use at most %(limit_value)d characters.")
# The form-error code of a well-formed value that names no public record: a 404 on the API.
NOT_FOUND = "not_found"


def parse_date(value: str) -> dt.date:
    """A YYYY-MM-DD date, or a ValidationError."""
    try:
        if DATE_RE.fullmatch(value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise ValidationError(_("Enter a date as YYYY-MM-DD."), code="invalid")


def parse_instant(value: str) -> dt.datetime:
    """An RFC 3339 date-time with an offset, as an aware UTC datetime, or a ValidationError."""
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
    raise ValidationError(
        _("Enter an RFC 3339 date-time with an offset, e.g. 2025-07-09T00:00:00Z%(hint)s.") % {"hint": hint},
        code="invalid",
    )


def country_list_contains(field: str, code: str) -> Q:
    """Q for a django-countries multiple field (stored as "CA,KR") that holds `code`, whole codes only."""
    return (
        Q(**{field: code})
        | Q(**{f"{field}__startswith": f"{code},"})
        | Q(**{f"{field}__endswith": f",{code}"})
        | Q(**{f"{field}__contains": f",{code},"})
    )


def choose_one_of(values) -> ValidationError:
    return ValidationError(
        _("Choose one of: %(values)s.") % {"values": ", ".join(values)}, code="invalid_choice"
    )


# --- Form fields: where every value is checked ---------------------------------------------------


class SearchField(forms.CharField):
    """A free-text query: at most MAX_QUERY_LENGTH characters, no NUL characters."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        super().__init__(**kwargs)
        self.error_messages["max_length"] = QUERY_TOO_LONG
        self.widget.attrs.update({"type": "search", "autocomplete": "off"})


class DateField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        return parse_date(value) if value else None


class InstantField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        return parse_instant(value) if value else None


class CountryField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if value and value not in countries:
            raise ValidationError(
                _("Enter an ISO 3166-1 alpha-2 country code in capitals, e.g. KR."), code="invalid"
            )
        return value


class ValueChoiceField(forms.ChoiceField):
    """One of `choices` (value, label), or a 400 listing the values; "" for any."""

    def __init__(self, *, choices, empty_label=None, **kwargs):
        self.values = [value for value, _label in choices]
        super().__init__(choices=[("", empty_label or "—"), *choices], **kwargs)

    def to_python(self, value):
        return super().to_python(value).strip()

    def validate(self, value):
        if value and value not in self.values:
            raise choose_one_of(self.values)


_SLUGS: dict[int, tuple] = {}


def _slugs(records) -> dict:
    """slug -> record of `records`; for a list a page offers again and again (a per-process memo,
    core.memo.public_local_memo), the one dict made for it."""
    if not isinstance(records, list):
        return {record.slug: record for record in records}
    found = _SLUGS.get(id(records))
    if found is None or found[0] is not records:
        if len(_SLUGS) > 64:
            _SLUGS.clear()
        found = _SLUGS[id(records)] = (records, {record.slug: record for record in records})
    return found[1]


def _with_empty(choices, label: str) -> list:
    """[("", label), *choices]; for a list offered again and again, the one list made for it."""
    found = _SLUGS.get((id(choices), label))
    if found is None or found[0] is not choices:
        found = _SLUGS[(id(choices), label)] = (choices, [("", label), *choices])
    return found[1]


class PublicRecordField(forms.CharField):
    """A public record named by its slug: malformed is `invalid`, unknown is `not_found`.

    `queryset` (a selector) is the public set to look the slug up in. A page that has already
    read those records for its own use (a select, facets) hands them over with `offer()`: they
    answer the lookup without a query, and become the select's choices. A slug they do not hold
    is still looked up, so validation is the same with or without them.
    """

    widget = forms.Select

    def __init__(self, *, queryset, empty_label="—", **kwargs):
        self.queryset = queryset
        self.empty_label = empty_label
        self.known = {}
        super().__init__(**kwargs)
        self.choices = []

    def offer(self, records, choices=None):
        # New objects, never changed in place: form fields share them with the filter's field.
        self.known = _slugs(records)
        if choices is None:
            choices = [(slug, str(record)) for slug, record in self.known.items()]
        self.choices = _with_empty(choices, str(self.empty_label))
        # Lazily: a select of 2,500 dialogues is normalised only by a page that renders it.
        self.widget.choices = lambda choices=self.choices: choices

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        if not SLUG_RE.fullmatch(value) or len(value) > SLUG_MAX_LENGTH:
            raise ValidationError(
                _("Enter a valid slug (letters, digits, hyphens, underscores)."), code="invalid"
            )
        record = self.known.get(value)
        if record is None:
            record = self.queryset().filter(slug=value).order_by().first()
        if record is None:
            raise ValidationError(
                _("No public record has the slug “%(slug)s”.") % {"slug": value}, code=NOT_FOUND
            )
        return record


# --- Filters: each carries its form field and its exact OpenAPI schema ---------------------------


class SchemaMixin:
    """Attaches `openapi` (an exact schema) for drf-spectacular; `schema()` may override it."""

    openapi: dict | None = None

    def __init__(self, *args, openapi=None, **kwargs):
        super().__init__(*args, **kwargs)
        if openapi or self.openapi:
            extend_schema_field(openapi or self.openapi)(self)

    def __deepcopy__(self, memo):
        # Each FilterSet copies its filters (per request). A request sets only their `model`,
        # `parent` and form field (made afresh): a shallow copy does, without walking every lazy
        # label and choice a deep copy would.
        twin = copy.copy(self)
        twin.extra = dict(self.extra)
        twin.__dict__.pop("_field", None)
        if self.method is not None:
            twin.method = self.method  # its FilterMethod looks the method up on the twin's parent
        return twin


class TextFilter(SchemaMixin, django_filters.CharFilter):
    """Free text checked by SearchField; a list whose `q` is not full-text gives it a `method`."""

    field_class = SearchField
    openapi = QUERY_SCHEMA


class SearchFilter(TextFilter):
    """`q`: the site's full-text search over `fields` (per-language columns), reader's language first."""

    def __init__(self, *, fields: tuple[str, ...], **kwargs):
        self.search_fields = fields
        kwargs.setdefault("label", _("Full-text search in every language, the reader's language first."))
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return search_filter(qs, text=value, fields=self.search_fields, language=get_language())


class InstantFilter(SchemaMixin, django_filters.Filter):
    """An RFC 3339 instant compared with `field_name` using `lookup_expr`."""

    field_class = InstantField
    openapi = DATETIME_SCHEMA


class DateFilter(SchemaMixin, django_filters.Filter):
    """A YYYY-MM-DD date compared with `field_name` using `lookup_expr`."""

    field_class = DateField
    openapi = DATE_SCHEMA


class CountryFilter(SchemaMixin, django_filters.Filter):
    """An ISO 3166-1 alpha-2 code matched exactly against `field_name`."""

    field_class = CountryField
    openapi = COUNTRY_SCHEMA


class CountryListFilter(CountryFilter):
    """An ISO 3166-1 alpha-2 code held by the country list `field_name`."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(country_list_contains(self.field_name, value))


class ChoiceFilter(SchemaMixin, django_filters.Filter):
    """One of `choices` (value, label), matched exactly against `field_name`; anything else is a 400."""

    field_class = ValueChoiceField

    def __init__(self, *, choices, **kwargs):
        kwargs.setdefault("openapi", {"type": "string", "enum": [value for value, _label in choices]})
        super().__init__(choices=list(choices), **kwargs)


class OrderingFilter(ChoiceFilter):
    """`ordering`: one of `choices` (name -> model fields), `-name` for descending. Ties go by id."""

    def __init__(self, *, choices: dict[str, tuple[str, ...]], **kwargs):
        self.orderings = choices
        values = [f"{prefix}{name}" for name in choices for prefix in ("", "-")]
        kwargs.setdefault("label", _("Order"))
        super().__init__(choices=[(value, value) for value in values], **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        descending = value.startswith("-")
        fields = [f"-{field}" if descending else field for field in self.orderings[value.removeprefix("-")]]
        return qs.order_by(*fields, "-pk" if descending else "pk")


class PublicRecordFilter(SchemaMixin, django_filters.Filter):
    """A public record by slug (`queryset`: the selector of the public set), matched against
    `field_name`."""

    field_class = PublicRecordField
    openapi = SLUG_SCHEMA


def schema(definition: dict):
    """Attach an exact OpenAPI schema to a filter (drf-spectacular reads it)."""
    return extend_schema_field(definition)


# --- FilterSets --------------------------------------------------------------------------------


class PublicFilterSet(django_filters.FilterSet):
    """Base of every list's filters: `updated_since` everywhere; subclasses add the rest.

    Without a queryset it starts from `public_queryset()` (the list's public selector), never
    from the model's manager.
    """

    # Records changed at or after this instant (inclusive).
    updated_since = InstantFilter(field_name="updated_at", lookup_expr="gte", label=_("Changed since"))

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, self._meta.model._default_manager.none(), **kwargs)
        self.queryset = queryset  # None: the public selector's, built when first read

    @property
    def queryset(self) -> QuerySet:
        # Built lazily: a page answered from elsewhere (the search index) never reads it.
        if self._queryset is None:
            self._queryset = self.public_queryset()
        return self._queryset

    @queryset.setter
    def queryset(self, value) -> None:
        self._queryset = value

    @classmethod
    def public_queryset(cls) -> QuerySet:
        return cls._meta.model._default_manager.none()

    def offer(self, name: str, records, choices=None) -> None:
        """Hand the records a page has read for filter `name` to its field (see PublicRecordField)."""
        self.form.fields[name].offer(records, choices)

    def values(self) -> dict[str, str]:
        """The valid filters in use: name -> value as given (a record's slug), in declaration order."""
        cleaned = getattr(self.form, "cleaned_data", {})
        return {
            name: getattr(cleaned[name], "slug", None) or str(self.form.data.get(name)).strip()
            for name in self.filters
            if cleaned.get(name) not in EMPTY_VALUES
        }

    def key(self) -> str:
        """The valid filters in use, as a canonical query string: a memo key for counts."""
        return urlencode(sorted(self.values().items()))

    def queryset_without(self, name: str) -> QuerySet:
        """The records matching every valid filter but `name`: what a facet on `name` counts over."""
        queryset = self.queryset.all()
        for other, value in self.form.cleaned_data.items():
            if other != name:
                queryset = self.filters[other].filter(queryset, value)
        return queryset


def api_error(form) -> exceptions.APIException:
    """The API's answer to a form with errors: 404 when every value is well formed but some name
    no public record, else 400; both name each parameter with its messages."""
    errors = form.errors.as_data()
    detail = {
        name: [message for error in found for message in error.messages] for name, found in errors.items()
    }
    if all(error.code == NOT_FOUND for found in errors.values() for error in found):
        return exceptions.NotFound(detail)
    return exceptions.ValidationError(detail)


class PublicFilterBackend(DjangoFilterBackend):
    """django-filter's backend, with the 400/404 split of `api_error()`."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise api_error(filterset.form)
        return filterset.qs
