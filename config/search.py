"""Full-text search shared by the public site and the API.

One box across all three languages: English and French text is stemmed by PostgreSQL's
`english` and `french` configurations, Korean uses `simple` with prefix matching so that a word
matches with its particles attached (캐나다 finds 캐나다와). The same `fts_vector()` builds the
GIN index and the query, so the index is really used (STACK-NOTES P10). On SQLite a portable
substring search stands in.
"""

import re
import unicodedata

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, FloatField, Q, QuerySet, Value, When

LANGUAGES = ("en", "fr", "ko")
SEARCH_CONFIGS = {"en": "english", "fr": "french", "ko": "simple"}
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12


class SearchQueryTooLong(ValueError):
    """The query is longer than MAX_QUERY_LENGTH characters."""


def fts_vector(fields: tuple[str, ...], language: str) -> SearchVector:
    """The tsvector of `fields` in one language; identical in the index and in queries."""
    return SearchVector(*(f"{field}_{language}" for field in fields), config=SEARCH_CONFIGS[language])


def fts_indexes(prefix: str, fields: tuple[str, ...]) -> list[GinIndex]:
    """One GIN index per language over the translated columns of `fields`."""
    return [GinIndex(fts_vector(fields, lang), name=f"{prefix}_fts_{lang}") for lang in LANGUAGES]


def add_search_indexes(app_label: str, model_name: str, prefix: str, fields: tuple[str, ...]):
    """A migration operation that creates the per-language GIN indexes, on PostgreSQL only.

    The indexes stay out of the model state (SQLite rebuilds tables from that state and cannot
    parse a tsvector index), and they are built from `fts_vector()`, the very expression the
    queries use, so the planner can match them.
    """
    from django.db import migrations

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            model = apps.get_model(app_label, model_name)
            for index in fts_indexes(prefix, fields):
                schema_editor.add_index(model, index)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            model = apps.get_model(app_label, model_name)
            for index in fts_indexes(prefix, fields):
                schema_editor.remove_index(model, index)

    return migrations.RunPython(forwards, backwards, elidable=False)


def search_terms(text: str) -> list[str]:
    """The words of a user's query: printable, deduplicated, at most MAX_TERMS of them.

    Raises SearchQueryTooLong for queries longer than MAX_QUERY_LENGTH characters.
    """
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchQueryTooLong(MAX_QUERY_LENGTH)
    cleaned = "".join(
        ch if unicodedata.category(ch)[0] in "LNM" else " " for ch in unicodedata.normalize("NFC", text)
    )
    terms: list[str] = []
    for word in cleaned.split():
        word = word.lower()
        if word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


def _prefix_tsquery(terms: list[str]) -> str:
    # Terms hold only letters, digits and marks, so quoting cannot be escaped; still quote.
    return " & ".join("'" + re.sub(r"['\\]", "", term) + "':*" for term in terms)


def _language_query(terms: list[str], language: str) -> SearchQuery:
    if language == "ko":
        return SearchQuery(_prefix_tsquery(terms), config="simple", search_type="raw")
    return SearchQuery(" ".join(terms), config=SEARCH_CONFIGS[language], search_type="plain")


def search_filter(queryset: QuerySet, *, text: str, fields: tuple[str, ...], language: str) -> QuerySet:
    """Rows of `queryset` matching `text` in any language, best first, reader's language first.

    Adds `search_rank`. An empty query matches nothing. Raises SearchQueryTooLong.
    """
    terms = search_terms(text)
    if not terms:
        return queryset.none()
    if language not in LANGUAGES:
        language = "en"
    if connection.vendor != "postgresql":
        return _portable_filter(queryset, terms=terms, fields=fields, language=language)

    match = Q()
    aliases = {}
    for lang in LANGUAGES:
        aliases[f"_fts_{lang}"] = fts_vector(fields, lang)
        match |= Q(**{f"_fts_{lang}": _language_query(terms, lang)})
    reader_vector = fts_vector(fields, language)
    reader_query = _language_query(terms, language)
    return (
        queryset.alias(**aliases)
        .filter(match)
        .annotate(
            search_rank=Case(
                When(Q(**{f"_fts_{language}": reader_query}), then=Value(1.0)),
                default=Value(0.0),
                output_field=FloatField(),
            )
            + SearchRank(reader_vector, reader_query)
        )
        .order_by("-search_rank", "-pk")
    )


def _portable_filter(queryset: QuerySet, *, terms, fields, language) -> QuerySet:
    """SQLite stand-in: every term appears in some field, in any language."""
    for term in terms:
        any_field = Q()
        for field in fields:
            for lang in LANGUAGES:
                any_field |= Q(**{f"{field}_{lang}__icontains": term})
        queryset = queryset.filter(any_field)
    reader_hit = Q()
    for field in fields:
        reader_hit |= Q(**{f"{field}_{language}__icontains": terms[0]})
    return queryset.annotate(
        search_rank=Case(When(reader_hit, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
    ).order_by("-search_rank", "-pk")
