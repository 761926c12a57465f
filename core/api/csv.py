"""CSV on every list (`?format=csv`): the whole filtered set, streamed, one header row.

Columns follow the JSON fields. A translated field (and `web_url`) is one column in the requested
language, or with `lang=all` one column per language (`title_en`, `title_fr`, `title_ko`: CSV
only, JSON never has per-language names). A reference to another resource is its slug (or id when
it has none); lists of references and of country codes are joined with `|`. Embedded lists of parts (sessions,
updates, milestones, ...) stay in the JSON. Cells that a spreadsheet would run as a formula are
prefixed with an apostrophe.
"""

import csv

from django.http import StreamingHttpResponse
from django.utils import translation
from rest_framework import renderers, serializers

from core.api.fields import (
    LANGUAGES,
    CountryCodeListField,
    TranslatedField,
    TranslationStatusField,
    WebUrlField,
)

CHUNK_SIZE = 500
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SEPARATOR = "|"


class CSVRenderer(renderers.BaseRenderer):
    """Negotiates `?format=csv` / `Accept: text/csv`; list views stream the body themselves."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Only reached for a body that is not a list (the views stream lists): one cell per key.
        rows = data if isinstance(data, list) else [data]
        lines = _Echo()
        writer = csv.writer(lines)
        out = []
        if rows and isinstance(rows[0], dict):
            out.append(writer.writerow(list(rows[0])))
            out.extend(writer.writerow([_cell(value) for value in row.values()]) for row in rows)
        return "".join(out).encode(self.charset)


class _Echo:
    def write(self, value):
        return value


def _reference_key(item) -> str:
    if not item:
        return ""
    return str(item.get("slug") or item.get("id"))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _columns(name: str, field, all_languages: bool):
    if isinstance(field, TranslationStatusField):
        return []  # the translators' view of a record: in the JSON, not a spreadsheet's column
    if isinstance(field, TranslatedField | WebUrlField):
        if all_languages:
            return [
                (f"{name}_{lang}", lambda row, lang=lang: (row[name] or {}).get(lang)) for lang in LANGUAGES
            ]
        return [(name, lambda row: row[name])]
    if isinstance(field, serializers.ListSerializer):
        if getattr(field.child, "is_reference", False):
            return [(name, lambda row: SEPARATOR.join(_reference_key(item) for item in row[name]))]
        return []
    if isinstance(field, serializers.BaseSerializer):
        if getattr(field, "is_reference", False):
            return [(name, lambda row: _reference_key(row[name]))]
        return []
    if isinstance(field, CountryCodeListField | serializers.ListField):
        return [(name, lambda row: SEPARATOR.join(str(value) for value in row[name]))]
    return [(name, lambda row: row[name])]


def csv_fields(serializer, *, all_languages: bool):
    """(header, getter, serializer field) for each column of a serializer's CSV."""
    columns = []
    for name, field in serializer.fields.items():
        columns.extend((header, getter, field) for header, getter in _columns(name, field, all_languages))
    return columns


def csv_columns(serializer, *, all_languages: bool):
    """(header, getter) pairs for a serializer's fields."""
    return [
        (header, getter) for header, getter, _field in csv_fields(serializer, all_languages=all_languages)
    ]


def csv_cell(value) -> str:
    """A value as a CSV cell (a formula-like text is prefixed with an apostrophe)."""
    return _cell(value)


def csv_response(*, view, queryset, filename: str) -> StreamingHttpResponse:
    """Stream `queryset` through the view's serializer as CSV, CHUNK_SIZE rows per fetch."""
    all_languages = view.get_serializer_context().get("languages") == "all"
    columns = csv_columns(view.get_serializer(), all_languages=all_languages)
    language = translation.get_language()
    writer = csv.writer(_Echo())

    def rows():
        with translation.override(language):
            yield writer.writerow([header for header, _getter in columns])
            chunk = []
            for record in queryset.iterator(chunk_size=CHUNK_SIZE):
                chunk.append(record)
                if len(chunk) == CHUNK_SIZE:
                    yield from _chunk_lines(chunk)
                    chunk = []
            if chunk:
                yield from _chunk_lines(chunk)

    def _chunk_lines(chunk):
        view.prepare_page(chunk)
        for row in view.get_serializer(chunk, many=True).data:
            yield writer.writerow([_cell(getter(row)) for _header, getter in columns])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
