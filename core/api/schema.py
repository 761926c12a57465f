"""OpenAPI 3 description of exactly what the API returns (drf-spectacular).

Every operation documents: the `lang` parameter, Accept-Language and If-None-Match; the
Content-Language, ETag, Cache-Control, RateLimit-* and Retry-After headers; the 304 of a
conditional GET; the JSON error shape for 400/401/404/406/429/503 (404 where a record, a slug or
a page can be missing); on lists, the CSV body. Translated fields are `oneOf` a string (one
language) and a TranslatedText object (`lang=all`). Every field of a response is `required`: the
serializers always write every field (null where the schema says nullable), and generated clients
then type them as present.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from core.api.errors import ErrorSerializer
from core.api.fields import ALL_LANGUAGES, LANGUAGES
from core.api.filters import SLUG_PATTERN
from core.models import TranslationState
from core.translations import TARGET_LANGUAGES

API_PREFIX = "/api/v1/"
COUNTRY_CODE_SCHEMA = {"type": "string", "pattern": "^[A-Z]{2}$", "minLength": 2, "maxLength": 2}

ERROR_RESPONSES = {
    "400": _("Invalid query parameters; `errors` names each one."),
    "401": _("The API key is malformed, unknown, revoked or expired."),
    "404": _("No public record here, or a filter names a record that is not public; or no such page."),
    "406": _("None of the formats in Accept (or `format`) is available here."),
    "429": _("Rate limit reached; retry after the Retry-After seconds."),
    "503": _("The database is unreachable for a moment; retry after the Retry-After seconds."),
}
NOT_MODIFIED = _("Not modified: the ETag in If-None-Match still matches; no body.")
# Actions that look a record (or a slug, or a page) up, and so may answer 404.
LOOKUPS = ("list", "retrieve", "download")
# Answers that a rate limit counted, and so carry the RateLimit-* fields.
COUNTED = [200, 304, 400, 401, 404, 406, 429]


class TranslatedTextSerializer(serializers.Serializer):
    """A translated text with `lang=all`: one entry per language, null when not translated."""

    en = serializers.CharField(allow_null=True)
    fr = serializers.CharField(allow_null=True)
    ko = serializers.CharField(allow_null=True)


class TranslatedUrlSerializer(serializers.Serializer):
    """A public page with `lang=all`: its URL in each language."""

    en = serializers.URLField()
    fr = serializers.URLField()
    ko = serializers.URLField()


class TranslatedFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "core.api.fields.TranslatedField"

    def map_serializer_field(self, auto_schema, direction):
        component = auto_schema.resolve_serializer(TranslatedTextSerializer, direction)
        return {
            "oneOf": [{"type": "string"}, component.ref],
            "description": str(
                _(
                    "Text in the requested language (falling back to English, then French); "
                    "with lang=all an object with one entry per language."
                )
            ),
            "readOnly": True,
        }


class ApiUrlFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "core.api.fields.ApiUrlField"

    def map_serializer_field(self, auto_schema, direction):
        return {**build_basic_type(OpenApiTypes.URI), "readOnly": True, "description": str(_("API URL."))}


class WebUrlFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "core.api.fields.WebUrlField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        component = auto_schema.resolve_serializer(TranslatedUrlSerializer, direction)
        return {
            "oneOf": [build_basic_type(OpenApiTypes.URI), component.ref],
            "readOnly": True,
            "description": str(
                _("The public page, in the requested language; with lang=all one URL per language.")
            ),
        }


class TranslationStatusFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "core.api.fields.TranslationStatusField"

    def map_serializer_field(self, auto_schema, direction):
        per_field = {
            "type": "object",
            "additionalProperties": {
                "type": "string",
                "enum": [state.value for state in TranslationState],
                "nullable": True,
            },
            "description": str(
                _("Per translated field: its status; null when it has no English to translate.")
            ),
        }
        return {
            "type": "object",
            "properties": {lang: per_field for lang in TARGET_LANGUAGES},
            "required": list(TARGET_LANGUAGES),
            "nullable": True,
            "readOnly": True,
            "description": str(
                _(
                    "With lang=all, the status of each French and Korean translation (missing, machine, "
                    "human, reviewed, outdated: its English changed since); null in one language."
                )
            ),
        }


class CountryCodeFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "core.api.fields.CountryCodeField"

    def map_serializer_field(self, auto_schema, direction):
        return {
            **COUNTRY_CODE_SCHEMA,
            "nullable": True,
            "readOnly": True,
            "description": str(_("ISO 3166-1 alpha-2 code, or null.")),
        }


class CountryCodeListFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "core.api.fields.CountryCodeListField"

    def map_serializer_field(self, auto_schema, direction):
        return {
            "type": "array",
            "items": COUNTRY_CODE_SCHEMA,
            "readOnly": True,
            "description": str(_("ISO 3166-1 alpha-2 codes.")),
        }


class APIKeyAuthenticationExtension(OpenApiAuthenticationExtension):
    target_class = "core.api.access.APIKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(
                _("Optional partner key, sent as `Authorization: Api-Key <key>`, for a higher rate limit.")
            ),
        }


class AtlasAutoSchema(AutoSchema):
    """Adds languages, headers, errors and CSV to every operation of the API."""

    def _lookup_parameter(self):
        if getattr(self.view, "by_slug", False):
            return OpenApiParameter(
                "id",
                {"type": "string", "pattern": SLUG_PATTERN, "maxLength": 150},
                OpenApiParameter.PATH,
                description=str(_("The record's id, or its slug (an id wins when both could match).")),
            )
        return OpenApiParameter(
            "id",
            {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
            OpenApiParameter.PATH,
            description=str(_("The record's id.")),
        )

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if getattr(self.view, "action", None) in ("retrieve", "download"):
            parameters.append(self._lookup_parameter())
        parameters += [
            OpenApiParameter(
                "lang",
                str,
                OpenApiParameter.QUERY,
                enum=[*LANGUAGES, ALL_LANGUAGES],
                description=str(
                    _(
                        "Language of translated fields (default: Accept-Language, else English). "
                        "`all` gives each translated field as {en, fr, ko}, null where missing."
                    )
                ),
            ),
            OpenApiParameter(
                "Accept-Language",
                str,
                OpenApiParameter.HEADER,
                description=str(_("Used when `lang` is absent; unsupported languages give English.")),
            ),
            OpenApiParameter(
                "If-None-Match",
                str,
                OpenApiParameter.HEADER,
                description=str(
                    _("The ETag of the copy you hold: an unchanged answer is a 304 without a body.")
                ),
            ),
            OpenApiParameter(
                "Content-Language",
                str,
                OpenApiParameter.HEADER,
                response=True,
                required=True,
                description=str(_("The language of the body (`en, fr, ko` with lang=all).")),
            ),
            OpenApiParameter(
                "ETag",
                str,
                OpenApiParameter.HEADER,
                response=[200, 304],
                description=str(
                    _("Send it back in If-None-Match for a 304 when nothing changed (JSON bodies).")
                ),
            ),
            OpenApiParameter(
                "Cache-Control",
                str,
                OpenApiParameter.HEADER,
                response=[200, 304],
                required=True,
                description=str(
                    _(
                        "`public, max-age=…` without an API key; `private, no-cache` with one "
                        "(revalidate with If-None-Match)."
                    )
                ),
            ),
            OpenApiParameter(
                "Retry-After",
                int,
                OpenApiParameter.HEADER,
                response=[429, 503],
                required=True,
                description=str(_("Seconds to wait before retrying.")),
            ),
            *(
                OpenApiParameter(
                    name,
                    {"type": "integer", "minimum": minimum},
                    OpenApiParameter.HEADER,
                    response=COUNTED,
                    required=True,
                    description=str(description),
                )
                for name, minimum, description in (
                    ("RateLimit-Limit", 1, _("Requests allowed in the current window.")),
                    ("RateLimit-Remaining", 0, _("Requests left in the current window.")),
                    ("RateLimit-Reset", 1, _("Seconds until the current window ends.")),
                )
            ),
        ]
        return parameters

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "response":
            # A serializer writes every field it has: each is present in every answer, whatever
            # ModelSerializer inferred from model defaults. Fields a body may omit are named.
            optional = set(getattr(serializer, "optional_fields", ()))
            required = sorted(name for name in schema.get("properties", {}) if name not in optional)
            if required:
                schema["required"] = required
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        ok = responses.get("200", {})
        if "text/csv" in ok.get("content", {}):
            ok["content"]["text/csv"] = {
                "schema": {
                    "type": "string",
                    "description": str(
                        _(
                            "The whole filtered set as CSV with a header row (no pagination); "
                            "see the partner guide for the columns."
                        )
                    ),
                }
            }
        if self.method == "GET":
            not_modified = self._get_response_for_code(None, "304", direction=direction)
            not_modified["description"] = str(NOT_MODIFIED)
            responses["304"] = not_modified
        for code, description in ERROR_RESPONSES.items():
            if code in responses or (code == "404" and getattr(self.view, "action", None) not in LOOKUPS):
                continue
            response = self._get_response_for_code(ErrorSerializer, code, ["application/json"], direction)
            response["description"] = str(description)
            responses[code] = response
        return dict(sorted(responses.items()))


def add_links(result, generator, request, public):
    """Postprocessing hook: OpenAPI links from each list to its detail, by id (and slug).

    Clients (and schemathesis's stateful phase) learn that an id or slug from a list page fetches
    the record. A detail whose `id` parameter is a string also takes slugs.
    """
    paths = result.get("paths", {})
    for path, operations in paths.items():
        listing = operations.get("get")
        detail = paths.get(f"{path}{{id}}/", {}).get("get")
        if not listing or not detail or "200" not in listing.get("responses", {}):
            continue
        links = {
            "GetRecordById": {
                "operationId": detail["operationId"],
                "parameters": {"id": "$response.body#/results/0/id"},
                "description": str(_("The first record of the page, by id.")),
            }
        }
        lookup = next(
            (p for p in detail.get("parameters", []) if p["in"] == "path" and p["name"] == "id"), {}
        )
        if lookup.get("schema", {}).get("type") == "string":
            links["GetRecordBySlug"] = {
                "operationId": detail["operationId"],
                "parameters": {"id": "$response.body#/results/0/slug"},
                "description": str(_("The first record of the page, by slug.")),
            }
        listing["responses"]["200"]["links"] = links
    return result


def only_api_v1(endpoints):
    """Preprocessing hook: the schema describes /api/v1/ and nothing else."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]
