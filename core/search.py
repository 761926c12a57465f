"""Full-text search shared by the public site and the API.

One box across all three languages: English and French text is stemmed by our own
configurations (`atlas_english`, `atlas_french`: PostgreSQL's stemmers behind `unaccent`), Korean
text is analysed into morphemes by Kiwi (core/korean.py) and indexed with `simple`, so that a word
matches with its particles attached (캐나다와 finds 캐나다). Small tables without stored vectors
(themes, organisations) match Korean by prefix over an expression vector. On SQLite a portable
substring search stands in.

At scale, ranking is what costs: `ts_rank` over an expression re-parses every matching row's text.
The large tables (findings, recommendations, dialogues; `STORED_VECTORS`) therefore keep
their per-language vectors in `fts_en`/`fts_fr`/`fts_ko` columns, filled by a trigger and indexed
by GIN under the same `<prefix>_fts_<lang>` names (`add_stored_search_vectors`, PostgreSQL only,
outside the model state so SQLite migrates unchanged); the Korean vector is built from the
morphemes Python wrote in the `search_ko` column, one line per field (`use_korean_morphemes`).
A trigger rather than a generated column, because PostgreSQL refuses to change the type of a
column that a generated column reads, which would block an ordinary `max_length` migration. The
stored vectors are weighted: title A, summary B, the rest C, so a match in a title ranks above a
match in a body.
"""

import re
import unicodedata

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchQuery,
    SearchQueryField,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Case, Count, FloatField, Func, Q, QuerySet, Value, When, Window
from django.db.models.expressions import Col

LANGUAGES = ("en", "fr", "ko")
# Our own configurations (core/migrations/0005): PostgreSQL's stemmers behind `unaccent`, so that
# reglementation finds réglementation. Korean text is analysed by Kiwi (core/korean.py) and its
# morphemes indexed with `simple`.
SEARCH_CONFIGS = {"en": "atlas_english", "fr": "atlas_french", "ko": "simple"}
# The configurations the first search migrations were built with; those migrations keep them.
LEGACY_CONFIGS = {"en": "english", "fr": "french", "ko": "simple"}
KOREAN_COLUMN = "search_ko"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# Models whose vectors are stored (see the module docstring), and over which fields, frozen as
# their migrations built them; each app registers its own. search_filter() uses the columns only
# for exactly these fields.
STORED_VECTORS: dict[str, tuple[str, ...]] = {}
WEIGHTS = ("A", "B", "C")


def register_stored_vectors(model, fields: tuple[str, ...]) -> None:
    """`model` keeps its vectors over `fields` in stored columns (called from the app's ready()),
    the Korean one from the morphemes in its `search_ko` column, filled on every save."""
    from django.db.models.signals import pre_save

    STORED_VECTORS[model._meta.label_lower] = tuple(fields)
    pre_save.connect(korean_fill, sender=model, dispatch_uid=f"atlas-korean-{model._meta.label_lower}")


class SearchQueryTooLong(ValueError):
    """The query is longer than MAX_QUERY_LENGTH characters."""


def fts_vector(fields: tuple[str, ...], language: str, configs: dict | None = None) -> SearchVector:
    """The tsvector of `fields` in one language; identical in the index and in queries."""
    return SearchVector(
        *(f"{field}_{language}" for field in fields), config=(configs or SEARCH_CONFIGS)[language]
    )


def fts_indexes(prefix: str, fields: tuple[str, ...], configs: dict | None = None) -> list[GinIndex]:
    """One GIN index per language over the translated columns of `fields`."""
    return [GinIndex(fts_vector(fields, lang, configs), name=f"{prefix}_fts_{lang}") for lang in LANGUAGES]


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
            for index in fts_indexes(prefix, fields, LEGACY_CONFIGS):
                schema_editor.add_index(model, index)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            model = apps.get_model(app_label, model_name)
            for index in fts_indexes(prefix, fields, LEGACY_CONFIGS):
                schema_editor.remove_index(model, index)

    return migrations.RunPython(forwards, backwards, elidable=False)


def _weighted_sql(
    fields: tuple[str, ...], language: str, quote, row: str = "", *, configs=LEGACY_CONFIGS, morphemes=False
) -> str:
    """SQL of one language's weighted tsvector over `fields` (columns of `row`, e.g. NEW.).

    With `morphemes`, the Korean vector reads the analysed text of `search_ko`, one line a field.
    """
    config = configs[language]

    def source(i, field):
        if morphemes and language == "ko":
            return f"split_part(coalesce({row}{quote(KOREAN_COLUMN)}, ''), E'\\n', {i + 1})"
        return f"coalesce({row}{quote(f'{field}_{language}')}, '')"

    parts = [
        f"setweight(to_tsvector('{config}'::regconfig, {source(i, field)}), "
        f"'{WEIGHTS[min(i, len(WEIGHTS) - 1)]}')"
        for i, field in enumerate(fields)
    ]
    return " || ".join(parts)


def add_stored_search_vectors(app_label: str, model_name: str, prefix: str, fields: tuple[str, ...]):
    """A migration operation that stores weighted per-language vectors, on PostgreSQL only.

    Adds `fts_<lang>` tsvector columns kept up to date by a BEFORE INSERT OR UPDATE trigger,
    fills them, and replaces the expression indexes `<prefix>_fts_<lang>` by GIN indexes of the
    same names over the columns. The model state is untouched (as for `add_search_indexes`).
    """
    from django.db import migrations

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        table = apps.get_model(app_label, model_name)._meta.db_table
        function, trigger = quote(f"{table}_fts"), quote(f"{table}_fts")
        sources = ", ".join(quote(f"{field}_{lang}") for lang in LANGUAGES for field in fields)
        assignments = "\n".join(
            f"    NEW.{quote(f'fts_{lang}')} := {_weighted_sql(fields, lang, quote, 'NEW.')};"
            for lang in LANGUAGES
        )
        execute = schema_editor.execute
        for lang in LANGUAGES:
            column = quote(f"fts_{lang}")
            execute(f"ALTER TABLE {quote(table)} ADD COLUMN {column} tsvector")
            # Keep the vectors in the row (compressed) and let long texts go to TOAST first:
            # ranking reads every matching row's vector, a page shows only twenty texts.
            execute(f"ALTER TABLE {quote(table)} ALTER COLUMN {column} SET STORAGE MAIN")
        execute(
            f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
            f"{assignments}\n    RETURN NEW;\nEND\n$$"
        )
        execute(
            f"CREATE TRIGGER {trigger} BEFORE INSERT OR UPDATE OF {sources} ON {quote(table)} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
        fill = ", ".join(
            f"{quote(f'fts_{lang}')} = {_weighted_sql(fields, lang, quote)}" for lang in LANGUAGES
        )
        execute(f"UPDATE {quote(table)} SET {fill}")
        for lang in LANGUAGES:
            index = quote(f"{prefix}_fts_{lang}")
            execute(f"DROP INDEX IF EXISTS {index}")
            execute(f"CREATE INDEX {index} ON {quote(table)} USING gin ({quote(f'fts_{lang}')})")

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        model = apps.get_model(app_label, model_name)
        table = model._meta.db_table
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {quote(f'{table}_fts')} ON {quote(table)}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {quote(f'{table}_fts')}()")
        for lang in LANGUAGES:  # dropping a column drops its index
            schema_editor.execute(f"ALTER TABLE {quote(table)} DROP COLUMN IF EXISTS {quote(f'fts_{lang}')}")
        for index in fts_indexes(prefix, fields, LEGACY_CONFIGS):
            schema_editor.add_index(model, index)

    return migrations.RunPython(forwards, backwards, elidable=False)


def _trigger_sql(table: str, fields: tuple[str, ...], quote, *, configs, morphemes) -> list[str]:
    """The statements that (re)define a table's vector trigger."""
    function = quote(f"{table}_fts")
    sources = [quote(f"{field}_{lang}") for lang in LANGUAGES for field in fields]
    if morphemes:
        sources = [column for column in sources if not column.endswith('_ko"')] + [quote(KOREAN_COLUMN)]
    assignments = "\n".join(
        f"    NEW.{quote(f'fts_{lang}')} := "
        f"{_weighted_sql(fields, lang, quote, 'NEW.', configs=configs, morphemes=morphemes)};"
        for lang in LANGUAGES
    )
    return [
        f"DROP TRIGGER IF EXISTS {function} ON {quote(table)}",
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
        f"{assignments}\n    RETURN NEW;\nEND\n$$",
        f"CREATE TRIGGER {function} BEFORE INSERT OR UPDATE OF {', '.join(sources)} ON {quote(table)} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
    ]


def use_korean_morphemes(app_label: str, model_name: str, fields: tuple[str, ...]):
    """A migration operation: the stored vectors use our accent-insensitive configurations, and the
    Korean one the morphemes of `search_ko` (filled here, in Python, by Kiwi). PostgreSQL only."""
    from django.db import migrations

    def rebuild(apps, schema_editor, *, morphemes: bool):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = apps.get_model(app_label, model_name)
        quote = schema_editor.quote_name
        configs = SEARCH_CONFIGS if morphemes else LEGACY_CONFIGS
        for statement in _trigger_sql(
            model._meta.db_table, fields, quote, configs=configs, morphemes=morphemes
        ):
            schema_editor.execute(statement)
        if morphemes:
            korean_reindex(model, fields)  # every row is written, so the trigger refills every vector
        else:
            fill = ", ".join(
                f"{quote(f'fts_{lang}')} = {_weighted_sql(fields, lang, quote)}" for lang in LANGUAGES
            )
            schema_editor.execute(f"UPDATE {quote(model._meta.db_table)} SET {fill}")

    return migrations.RunPython(
        lambda apps, editor: rebuild(apps, editor, morphemes=True),
        lambda apps, editor: rebuild(apps, editor, morphemes=False),
        elidable=False,
    )


def korean_index_text(instance, fields: tuple[str, ...]) -> str:
    """The `search_ko` value of a row: its Korean fields' morphemes, one line a field."""
    from core import korean

    return korean.index_text(*(getattr(instance, f"{field}_ko", "") for field in fields))


def korean_fill(sender, instance, **kwargs) -> None:
    """pre_save: the row's Korean morphemes follow its Korean text (PostgreSQL only)."""
    from core import korean

    if korean.is_enabled():  # raw saves too: a restored row's text is analysed like any other
        instance.search_ko = korean_index_text(instance, STORED_VECTORS[sender._meta.label_lower])


def korean_fill_rows(model, rows: list) -> None:
    """Fill `search_ko` of unsaved rows before a bulk_create (which calls no save())."""
    from core import korean

    fields = STORED_VECTORS.get(model._meta.label_lower)
    if fields and korean.is_enabled():
        for row in rows:
            row.search_ko = korean_index_text(row, fields)


def korean_reindex_rows(model, ids: list) -> None:
    """Analyse again the Korean text of the rows `ids` of `model` (PostgreSQL only)."""
    from core import korean

    fields = STORED_VECTORS.get(model._meta.label_lower)
    if fields and ids and korean.is_enabled():
        korean_reindex(model, fields, queryset=model._default_manager.filter(pk__in=ids))


def korean_reindex_containing(word: str) -> int:
    """Analyse again every stored-vector row whose Korean text contains `word`."""
    from django.apps import apps

    count = 0
    for label, fields in STORED_VECTORS.items():
        model = apps.get_model(label)
        contains = Q()
        for field in fields:
            contains |= Q(**{f"{field}_ko__contains": word})
        count += korean_reindex(model, fields, queryset=model._default_manager.filter(contains))
    return count


def korean_reindex(model, fields: tuple[str, ...], *, queryset=None, batch_size: int = 2000) -> int:
    """Analyse again the Korean text of `model`'s rows (all, or `queryset`'s) and write their
    `search_ko` in batches; the trigger rebuilds the vectors. Returns the number of rows."""
    from django.db import connection as db

    from core import korean

    rows = (queryset if queryset is not None else model._default_manager.all()).order_by("pk")
    columns = [f"{field}_ko" for field in fields]
    table = db.ops.quote_name(model._meta.db_table)
    count = 0
    last = None
    while True:
        page = rows.filter(pk__gt=last) if last is not None else rows
        batch = list(page.values_list("pk", *columns)[:batch_size])
        if not batch:
            return count
        values = [(pk, korean.index_text(*texts)) for pk, *texts in batch]
        statement = (
            f"UPDATE {table} SET {db.ops.quote_name(KOREAN_COLUMN)} = %s "
            f"WHERE {db.ops.quote_name(model._meta.pk.column)} = %s"
        )
        with db.cursor() as cursor:
            cursor.executemany(statement, [(text, pk) for pk, text in values])
        count += len(batch)
        last = batch[-1][0]


def _vector(queryset: QuerySet, fields: tuple[str, ...], language: str):
    """The stored vector column when the model has one for `fields`, else the expression."""
    model = queryset.model
    if STORED_VECTORS.get(model._meta.label_lower) == tuple(fields):
        column = SearchVectorField()
        column.set_attributes_from_name(f"fts_{language}")
        column.model = model
        return Col(model._meta.db_table, column)
    return fts_vector(fields, language)


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


def _quoted(form: str) -> str:
    return "'" + re.sub(r"['\\]", "", form) + "'"


def _korean_tsquery(terms: list[str]) -> str:
    """Every content morpheme of the query (a compound, or its parts together); the prefixes of
    the words when the analysis finds none."""
    from core import korean

    groups = []
    for compound, *parts in korean.query_morphemes(terms):
        if parts:
            groups.append(f"({_quoted(compound)} | ({' & '.join(_quoted(part) for part in parts)}))")
        else:
            groups.append(_quoted(compound))
    return " & ".join(groups) or _prefix_tsquery(terms)


def _language_query(terms: list[str], language: str, *, morphemes: bool = False, any_term: bool = False):
    """The query in one language; with `any_term`, every `&` read as `|` (for ranking)."""
    if language == "ko":
        text = _korean_tsquery(terms) if morphemes else _prefix_tsquery(terms)
        # Terms hold letters, digits and marks only: an `&` is always an operator.
        return SearchQuery(text.replace("&", "|") if any_term else text, config="simple", search_type="raw")
    query = SearchQuery(" ".join(terms), config=SEARCH_CONFIGS[language], search_type="plain")
    if any_term:  # plainto_tsquery() joins its lexemes with `&` only
        return Func(
            query,
            template="replace(%(expressions)s::text, '&', '|')::tsquery",
            output_field=SearchQueryField(),
        )
    return query


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

    # Stored Korean vectors hold Kiwi's morphemes; expression vectors (small tables) the raw words.
    morphemes = STORED_VECTORS.get(queryset.model._meta.label_lower) == tuple(fields)
    queries = {lang: _language_query(terms, lang, morphemes=morphemes) for lang in LANGUAGES}
    match = Q()
    aliases = {}
    for lang in LANGUAGES:
        aliases[f"_fts_{lang}"] = _vector(queryset, fields, lang)
        match |= Q(**{f"_fts_{lang}": queries[lang]})
    reader_vector = _vector(queryset, fields, language)
    reader_query = queries[language]
    return (
        queryset.alias(**aliases)
        .filter(match)
        .annotate(
            search_rank=Case(
                When(Q(**{f"_fts_{language}": reader_query}), then=Value(1.0)),
                default=Value(0.0),
                output_field=FloatField(),
            )
            + SearchRank(reader_vector, _language_query(terms, language, morphemes=morphemes, any_term=True))
        )
        .order_by("-search_rank", "-pk")
    )


def is_ranked(queryset) -> bool:
    """Whether `queryset` comes from search_filter() (it orders by `search_rank`)."""
    return "search_rank" in queryset.query.annotations


def ranked_slice(queryset: QuerySet, start: int, stop: int) -> tuple[int, list]:
    """(number of matches, matches[start:stop]) of a search_filter() queryset, in one pass.

    A COUNT(*) beside the page query would read every match a second time. Here one query ranks
    every match and returns only the ids of the slice with the total (a window count), and a
    second reads those few rows in full, with the queryset's related lists.
    """
    # Value rows carry no related rows: Django joins no select_related() table and runs no
    # prefetch for them, so the ranking pass reads ids only whatever the selector prefetches.
    ranked = queryset.annotate(search_total=Window(Count("pk"))).values_list("pk", "search_total")[start:stop]
    rows = list(ranked)
    ids = [pk for pk, _total in rows]
    if not rows:  # an empty slice says nothing of the total
        return (queryset.count() if start else 0), []
    # (A queryset of bare ids, values_list("pk", flat=True), gives them back as they are.)
    records = {getattr(record, "pk", record): record for record in queryset.filter(pk__in=ids).order_by()}
    return rows[0][1], [records[pk] for pk in ids if pk in records]


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
