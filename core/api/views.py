"""Base viewset of every resource: access, strict parameters, languages, pagination and CSV.

A resource viewset declares `queryset = Model.objects.none()` and returns its selector from
`get_queryset()`: a forgotten override exposes nothing.
"""

import re
from collections.abc import Sequence

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rest_framework import viewsets
from rest_framework.exceptions import AuthenticationFailed, NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core.api import schema as api_schema
from core.api.access import AnonymousRateThrottle, APIKeyAuthentication, PartnerRateThrottle
from core.api.csv import CSVRenderer, csv_response
from core.api.errors import exception_handler
from core.api.fields import ALL_LANGUAGES, LANGUAGES, absolute_url, prepare_translation_statuses
from core.api.filters import SLUG_RE, PublicFilterBackend
from core.api.pagination import AtlasPagination
from core.api.rendering import JSONFragments, JSONRenderer, encode
from core.changes import RESOURCES, record_versions, writing_public_changes
from core.memo import record_memo_many
from core.pagination import CompiledIds

MAX_ID = 2**63 - 1
LANGUAGE_PARAM = "lang"
FORMAT_PARAM = "format"
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
MAX_PARAM_LENGTH = 1000
# Free text: may be empty (no filter) and may hold any character (the search keeps words only).
FREE_TEXT = {"q"}


class ApiAccessMixin:
    """Keys, rate limits and the JSON error shape: every view under /api/ (schema and docs too)."""

    authentication_classes = [APIKeyAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousRateThrottle, PartnerRateThrottle]

    def get_exception_handler(self):
        return exception_handler

    def perform_authentication(self, request):
        try:
            super().perform_authentication(request)
        except AuthenticationFailed:
            # Answered 401, and counted against the address's anonymous limit (429 once it is
            # reached): trying keys is limited like any other request.
            self.check_throttles(request)
            raise

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(response, Response) and response.status_code >= 400:
            # Errors are JSON whatever format was asked for.
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class AtlasAPIMixin(ApiAccessMixin):
    """Access, throttling, strict query parameters, languages and one error shape."""

    renderer_classes = [JSONRenderer]
    schema = api_schema.AtlasAutoSchema()

    def allowed_query_params(self) -> set[str]:
        return {LANGUAGE_PARAM, FORMAT_PARAM}

    def allowed_formats(self) -> list[str]:
        return [renderer.format for renderer in self.get_renderers()]

    def check_query_params(self, request):
        """Unknown, repeated, empty or control-character parameters are a 400 naming them."""
        allowed = self.allowed_query_params()
        errors = {}
        for name in request.query_params:
            values = request.query_params.getlist(name)
            value = values[-1]
            if name not in allowed:
                errors[name] = [
                    _("Unknown query parameter; this endpoint takes: %(names)s.")
                    % {"names": ", ".join(sorted(allowed))}
                ]
            elif len(values) > 1:
                errors[name] = [_("Give this parameter once.")]
            elif name in FREE_TEXT:
                continue
            elif value == "":
                errors[name] = [_("This parameter may not be empty.")]
            elif CONTROL_CHARACTERS.search(value) or len(value) > MAX_PARAM_LENGTH:
                errors[name] = [_("This value is not acceptable.")]
            elif name == LANGUAGE_PARAM and value not in (*LANGUAGES, ALL_LANGUAGES):
                errors[name] = [
                    _("Choose one of: %(values)s.") % {"values": ", ".join((*LANGUAGES, ALL_LANGUAGES))}
                ]
            elif name == FORMAT_PARAM and value not in self.allowed_formats():
                errors[name] = [
                    _("Choose one of: %(values)s.") % {"values": ", ".join(self.allowed_formats())}
                ]
        if errors:
            raise ValidationError(errors)

    def initial(self, request, *args, **kwargs):
        # DRF's order, with the parameter check before content negotiation (which would turn an
        # unknown `format` into a bare 404) and after throttling (bad requests count too).
        self.format_kwarg = self.get_format_suffix(**kwargs)
        self.perform_authentication(request)
        self.check_permissions(request)
        self.check_throttles(request)
        reading = request.method in ("GET", "HEAD")  # other methods get their 405 first
        if reading:
            self.check_query_params(request)
        negotiated = self.perform_content_negotiation(request, force=not reading)
        request.accepted_renderer, request.accepted_media_type = negotiated
        request.version, request.versioning_scheme = None, None

    def wants_all_languages(self) -> bool:
        return getattr(self.request, "api_language", None) == ALL_LANGUAGES

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.wants_all_languages() and response.status_code < 400:
            response["Content-Language"] = ", ".join(LANGUAGES)
        return response


class PublicListMixin:
    """A paginated, filtered list in JSON, or the whole filtered set streamed as CSV."""

    pagination_class = AtlasPagination
    filter_backends = [PublicFilterBackend]
    resource = ""
    memoize_representations = True

    def get_renderers(self):
        if getattr(self, "action", None) == "list":
            return [JSONRenderer(), CSVRenderer()]
        return [JSONRenderer()]

    def allowed_query_params(self):
        allowed = super().allowed_query_params()
        if getattr(self, "action", None) == "list":
            allowed |= set(self.filterset_class.base_filters) | {"page", "page_size"}
        return allowed

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["languages"] = ALL_LANGUAGES if self.wants_all_languages() else None
        return context

    def prepare_records(self, records):
        """Hook: attach data computed for a whole page at once (e.g. lineages)."""

    def prepare_page(self, records):
        """What every page's records need at once (translation statuses), then `prepare_records`."""
        prepare_translation_statuses(records, self.get_serializer_context())
        self.prepare_records(records)

    def is_unfiltered(self) -> bool:
        """Whether the query holds no filter (only the language, the format and paging)."""
        paging = {self.paginator.page_query_param, self.paginator.page_size_query_param}
        return set(self.request.query_params) <= AtlasAPIMixin.allowed_query_params(self) | paging

    def filter_queryset(self, queryset):
        # Without any filter in the query there is nothing for django-filter to do (and building
        # its filter set is a good part of an unfiltered list's time).
        if self.is_unfiltered():
            return queryset
        return super().filter_queryset(queryset)

    def get_page_queryset(self):
        """The records to choose a page from, in the order of `get_queryset()`: a viewset whose
        records carry related lists returns its selector without them (ids are enough)."""
        return self.get_queryset()

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == "csv":
            queryset = self.filter_queryset(self.get_queryset())
            self.paginator.check_params(request)  # ignored by CSV (the whole set), but never invalid
            return csv_response(view=self, queryset=queryset, filename=self.resource)
        if not self.memoize_representations or "memo_records" in settings.PERFORMANCE_OFF:
            page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
            self.prepare_page(page)
            return self.get_paginated_response(self.get_serializer(page, many=True).data)

        # The database chooses the page on every request, reading ids only (with a statement
        # compiled once per public data state when unfiltered); each record's representation is
        # built once per public data state (core.memo.public_memo_many).
        def ids():
            return self.filter_queryset(self.get_page_queryset()).values_list("pk", flat=True)

        page = self.paginate_queryset(
            CompiledIds(f"api:{self.resource}", ids, whole=self.resource in RESOURCES)
            if self.is_unfiltered() and "compiled_statements" not in settings.PERFORMANCE_OFF
            else ids()
        )
        return self.get_paginated_response(self.representations(page))

    def representations(self, ids: Sequence[int]) -> JSONFragments:
        """The records of `ids`, in that order, serialized and encoded only if not memoized yet.

        Each representation is kept under its record's own version (its newest change-log entry):
        an edit rebuilds the edited record's representations, not every page's records.
        """
        context = self.get_serializer_context()
        shape = (self.resource, get_language(), context["languages"], absolute_url(self.request, "/"))
        names = {pk: f"representation:{shape!r}:{pk}" for pk in ids}
        versions = record_versions(self.resource, ids)
        if "record_versions" in settings.PERFORMANCE_OFF:
            versions = None  # keyed by the public data version, rebuilt after any change

        def build(missing):
            records = list(self.get_queryset().filter(pk__in=missing).order_by())
            self.prepare_page(records)
            data = self.get_serializer(records, many=True).data
            built = dict.fromkeys(missing)  # None: left the public set since the page was read
            built.update((record.pk, encode(item)) for record, item in zip(records, data, strict=True))
            return built

        built = record_memo_many(names, versions, build, keep=not writing_public_changes())
        return JSONFragments(built[pk] for pk in ids if built[pk] is not None)


class PublicReadOnlyViewSet(PublicListMixin, AtlasAPIMixin, viewsets.ReadOnlyModelViewSet):
    """List and detail of one public resource (detail by id, or by slug when `by_slug`)."""

    lookup_value_regex = r"[^/]+"
    by_slug = False

    def get_object(self):
        value = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        queryset = self.get_queryset()
        record = None
        if value.isascii() and value.isdigit() and int(value) <= MAX_ID:
            record = next(iter(queryset.filter(pk=int(value))[:1]), None)
        if record is None and self.by_slug and SLUG_RE.fullmatch(value) and len(value) <= 150:
            record = next(iter(queryset.filter(slug=value)[:1]), None)
        if record is None:
            raise NotFound(_("No public record has this id or slug.") if self.by_slug else None)
        self.prepare_page([record])
        return record
