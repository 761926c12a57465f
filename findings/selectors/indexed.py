"""The findings list's search from an in-memory index (core.textindex): every match ranked and its
facets counted without visiting the matching rows, for the broad queries readers type.

`finding_search_indexed()` answers what `finding_search_public()` with the list's facet filters and
`finding_facet_counts_public()` answer, with the same results, or None when PostgreSQL must (SQLite,
the index not built yet, a filter the index does not hold).
"""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from django.db import connections

from core.memo import record_memo_many
from core.search import LANGUAGES, SEARCH_CONFIGS, _korean_tsquery, _prefix_tsquery, search_terms
from core.textindex import LiveIndex, TextIndex, Unsupported, best_first, entry_rank, parse_tsquery
from findings.models import FINDING_SEARCH_FIELDS, Finding, FindingKind, Perspective

KINDS = list(FindingKind.values)
PERSPECTIVES = list(Perspective.values)
FindingThemes = Finding.themes.through


def _code(values: list[str], value: str) -> int:
    return values.index(value) if value in values else -1


class FindingIndex(LiveIndex):
    """Public findings: their vectors, dialogue, kind, perspective and themes."""

    resource = "findings"
    model = Finding

    def _public(self, using: str, ids=None):
        rows = Finding.objects.public().using(using).order_by()
        return rows.filter(pk__in=ids) if ids is not None else rows

    def build(self, using: str) -> TextIndex:
        index = TextIndex(LANGUAGES, ("dialogue", "kind", "perspective"))
        public = self._public(using)
        rows = sorted(public.values_list("pk", "dialogue_id", "kind", "perspective"))
        if not rows:
            return index
        ids = np.array([row[0] for row in rows], np.int64)
        columns = {
            "dialogue": [row[1] for row in rows],
            "kind": [_code(KINDS, row[2]) for row in rows],
            "perspective": [_code(PERSPECTIVES, row[3]) for row in rows],
        }
        tags = list(
            FindingThemes.objects.using(using)
            .filter(finding__in=public)
            .values_list("finding_id", "theme_id")
        )
        tag_ids = np.array([tag[0] for tag in tags], np.int64)
        keep = np.isin(tag_ids, ids)  # a row published between the two reads is read again later
        slots = index.grow(
            ids, columns, np.searchsorted(ids, tag_ids[keep]), np.array([t[1] for t in tags], np.int32)[keep]
        )
        public_sql, params = public.values("pk").query.sql_with_params()
        connection = connections[using]
        for language in LANGUAGES:
            postings = {}
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT u.lexeme, string_agg(f.id::text, ',' ORDER BY f.id), "
                    f"string_agg(array_to_string(u.weights, ''), ',' ORDER BY f.id) "
                    f"FROM findings_finding f CROSS JOIN LATERAL unnest(f.fts_{language}) u "
                    f"WHERE f.id IN ({public_sql}) GROUP BY u.lexeme",
                    params,
                )
                for lexeme, found, weights in cursor:
                    found = np.array(found.split(","), np.int64)
                    at = np.searchsorted(ids, found)
                    known = (at < len(ids)) & (ids[np.minimum(at, len(ids) - 1)] == found)
                    ranks = np.array([entry_rank(w) for w in weights.split(",")], np.float32)
                    postings[lexeme] = (slots[at[known]], ranks[known])
            index.extend(language, postings)
        return index

    def documents(self, ids, using: str):
        rows = list(self._public(using, ids).values_list("pk", "dialogue_id", "kind", "perspective"))
        found = [row[0] for row in rows]
        if not found:
            return []
        tags: dict[int, list[int]] = {pk: [] for pk in found}
        for finding, theme in (
            FindingThemes.objects.using(using).filter(finding__in=found).values_list("finding_id", "theme_id")
        ):
            tags[finding].append(theme)
        vectors: dict[int, dict[str, list]] = {pk: {language: [] for language in LANGUAGES} for pk in found}
        union = " UNION ALL ".join(
            f"SELECT f.id, '{language}', u.lexeme, array_to_string(u.weights, '') "
            f"FROM findings_finding f CROSS JOIN LATERAL unnest(f.fts_{language}) u WHERE f.id = ANY(%s)"
            for language in LANGUAGES
        )
        with connections[using].cursor() as cursor:
            cursor.execute(union, [found] * len(LANGUAGES))
            for pk, language, lexeme, weights in cursor:
                vectors[pk][language].append((lexeme, weights))
        for vector in vectors.values():  # PostgreSQL's entry order, which the ranks' sums follow
            for entries in vector.values():
                entries.sort(key=lambda entry: entry[0].encode())
        return [
            (pk, {"dialogue": dialogue, "kind": _code(KINDS, kind), "perspective": _code(PERSPECTIVES, view)},
             tags[pk], vectors[pk])
            for pk, dialogue, kind, view in rows
        ]  # fmt: skip

    def due_ids(self, since, until, using: str) -> set[int]:
        from django.db.models import Q

        window = Q(published_at__gt=since, published_at__lte=until) | Q(
            dialogue__published_at__gt=since, dialogue__published_at__lte=until
        )
        return set(Finding.objects.using(using).filter(window).values_list("pk", flat=True))


FINDINGS = FindingIndex()


class FindingText:
    """A public finding's id and searched text: what a results page needs of the findings whose
    cards are kept (core.fragments.CardRecords)."""

    def __init__(self, pk: int, text: dict[str, str]):
        self.pk = pk
        self.__dict__.update(text)


def finding_snippets_public(*, ids, versions: dict[int, int]) -> dict[int, FindingText]:
    """Public findings by id, with their searched text only (a results page's snippets), each
    text kept in the cache under its finding's version (core.memo.record_memo_many)."""
    fields = [f"{name}_{language}" for name in FINDING_SEARCH_FIELDS for language in LANGUAGES]

    def read(missing):
        rows = Finding.objects.public().filter(pk__in=missing).order_by().values_list("pk", *fields)
        return {row[0]: dict(zip(fields, row[1:], strict=True)) for row in rows}

    texts = record_memo_many({pk: f"finding-text:{pk}" for pk in ids}, versions, read)
    return {pk: FindingText(pk, text) for pk, text in texts.items()}


@lru_cache(maxsize=16384)
def _word(term: str, using: str) -> tuple:
    """One word's trees, as PostgreSQL parses them with core.search's calls: English, French,
    Korean morphemes (None when the analyser finds none) and Korean prefix. A query's words are
    parsed one by one (each word gives its own lexemes: core.search.search_terms keeps letters,
    digits and marks only), so a new query of known words costs no round trip."""
    from core import korean

    morphemes = _korean_tsquery([term]) if korean.query_morphemes([term]) else None
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT plainto_tsquery(%s::regconfig, %s)::text, plainto_tsquery(%s::regconfig, %s)::text, "
            "to_tsquery('simple', %s)::text, to_tsquery('simple', %s)::text",
            [
                SEARCH_CONFIGS["en"],
                term,
                SEARCH_CONFIGS["fr"],
                term,
                morphemes or "",
                _prefix_tsquery([term]),
            ],
        )
        english, french, korean_words, korean_prefix = cursor.fetchone()
    words = parse_tsquery(korean_words) if morphemes else None
    return (
        parse_tsquery(english),
        parse_tsquery(french),
        morphemes is not None,
        words,
        parse_tsquery(korean_prefix),
    )


def _all(trees) -> tuple | None:
    trees = [tree for tree in trees if tree is not None]
    if len(trees) < 2:
        return trees[0] if trees else None
    return ("and", trees)


def _queries(terms: tuple[str, ...], using: str) -> dict:
    """The query's tree per language: what PostgreSQL makes of the whole query in core.search
    (plainto_tsquery of the words; in Korean every word's morphemes, or if no word has any,
    every word as a prefix), put together from its words'."""
    words = [_word(term, using) for term in terms]
    if any(word[2] for word in words):
        korean = _all(word[3] for word in words if word[2])
    else:
        korean = _all(word[4] for word in words)
    return {"en": _all(word[0] for word in words), "fr": _all(word[1] for word in words), "ko": korean}


@dataclass
class IndexedSearch:
    """A search's matches after the facet filters, best first, and its facet counts."""

    matches: np.ndarray  # ids, in no order
    scores: np.ndarray
    counts: dict[str, dict[str, int]]
    versions: dict[int, int]  # each public finding's version (core.changes.record_versions)

    def __len__(self) -> int:
        return len(self.matches)

    def ranked(self, stop: int | None = None) -> list[int]:
        """The ids best first, the first `stop` of them (all by default)."""
        return best_first(self.matches, self.scores, len(self.matches) if stop is None else stop).tolist()


def finding_search_indexed(
    *, text: str, language: str, filters: dict, themes, dialogues
) -> IndexedSearch | None:
    """Public findings matching `text`, filtered by `filters` (the public Theme or Dialogue
    records, kind and perspective values of the list's facets), best first, with the counts
    `finding_facet_counts_public()` gives; None when PostgreSQL must answer.

    `themes` and `dialogues` are the public records the list offers (its memoized choices).
    Raises SearchQueryTooLong.
    """
    terms = search_terms(text)
    index = FINDINGS.current() if terms else None
    if index is None:
        return None
    from django.db import router

    try:
        trees = _queries(tuple(terms), router.db_for_read(Finding))
    except Unsupported:
        return None
    slots, scores = index.search(trees, language if language in LANGUAGES else "en")
    facets = _facet_tables(themes, dialogues)
    masks = {}
    if filters.get("dialogue") is not None:
        masks["dialogue"] = index.columns["dialogue"][slots] == filters["dialogue"].pk
    if filters.get("kind"):
        masks["kind"] = index.columns["kind"][slots] == _code(KINDS, filters["kind"])
    if filters.get("perspective"):
        masks["perspective"] = index.columns["perspective"][slots] == _code(
            PERSPECTIVES, filters["perspective"]
        )
    if filters.get("theme") is not None:
        family = facets.members.get(filters["theme"].pk, [filters["theme"].pk])
        tagged = index.tag_slots[np.isin(index.tag_values, family)]
        masks["theme"] = np.isin(slots, tagged)
    every = np.ones(len(slots), bool)
    for mask in masks.values():
        every &= mask

    def without(facet):
        chosen = np.ones(len(slots), bool)
        for name, mask in masks.items():
            if name != facet:
                chosen &= mask
        return slots[chosen]

    counts = {
        "kind": _value_counts(index.columns["kind"][without("kind")], KINDS),
        "perspective": _value_counts(index.columns["perspective"][without("perspective")], PERSPECTIVES),
        "dialogue": facets.dialogue_counts(index.columns["dialogue"][without("dialogue")]),
        "theme": facets.theme_counts(index, without("theme")),
    }
    return IndexedSearch(
        matches=index.ids[slots[every]], scores=scores[every], counts=counts, versions=index.versions
    )


def _value_counts(codes: np.ndarray, values: list[str]) -> dict[str, int]:
    found = np.bincount(codes[codes >= 0], minlength=len(values))
    return {value: int(count) for value, count in zip(values, found, strict=False) if count}


def _lookup(mapping: dict[int, int]) -> np.ndarray:
    """`mapping` (small non-negative ids) as an array: id -> value, -1 where it has none."""
    table = np.full(max(mapping, default=0) + 1, -1, np.int64)
    table[list(mapping)] = list(mapping.values())
    return table


def _at(table: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """table[ids], -1 for ids past its end."""
    inside = ids < len(table)
    found = np.full(len(ids), -1, np.int64)
    found[inside] = table[ids[inside]]
    return found


class _FacetTables:
    """The public themes and dialogues a list offers, as lookup arrays: made once per public data
    state (the lists are the list page's memoized choices), used by every search."""

    def __init__(self, themes, dialogues):
        self.themes, self.dialogues = themes, dialogues
        self.theme_slugs = [theme.slug for theme in themes]
        position = {theme.pk: at for at, theme in enumerate(themes)}
        # A tag counts for its theme, and its family for the theme's public parent (or itself).
        self.theme_at = _lookup(position)
        self.root_of = np.array(
            [position.get(theme.parent_id, at) for at, theme in enumerate(themes)], np.int64
        )
        self.members: dict[int, list[int]] = {theme.pk: [theme.pk] for theme in themes}
        for theme in themes:
            if theme.parent_id in position:
                self.members[theme.parent_id].append(theme.pk)
        self.dialogue_slugs = [dialogue.slug for dialogue in dialogues]
        self.dialogue_at = _lookup({dialogue.pk: at for at, dialogue in enumerate(dialogues)})

    def dialogue_counts(self, dialogue_ids: np.ndarray) -> dict[str, int]:
        found = _at(self.dialogue_at, dialogue_ids)
        counts = np.bincount(found[found >= 0], minlength=len(self.dialogue_slugs))
        return {self.dialogue_slugs[at]: int(counts[at]) for at in np.flatnonzero(counts).tolist()}

    def theme_counts(self, index: TextIndex, slots: np.ndarray) -> dict[str, int]:
        """Findings per public theme among `slots`; a family (a public theme and its public
        sub-themes) counts each finding once, under the family's theme."""
        if not self.theme_slugs or not len(slots):
            return {}
        chosen = np.zeros(len(index.ids), bool)
        chosen[slots] = True
        picked = chosen[index.tag_slots]
        tag_slots = index.tag_slots[picked].astype(np.int64)
        themes = _at(self.theme_at, index.tag_values[picked].astype(np.int64))
        public = themes >= 0
        tag_slots, themes = tag_slots[public], themes[public]
        counts = np.bincount(themes, minlength=len(self.theme_slugs))
        found = {self.theme_slugs[at]: int(counts[at]) for at in np.flatnonzero(counts).tolist()}
        roots = self.root_of[themes]
        # Distinct (finding, family) pairs: a finding tagged with a theme and its sub-theme counts once.
        pairs = np.unique(tag_slots * len(self.theme_slugs) + roots)
        families = np.bincount(pairs % len(self.theme_slugs), minlength=len(self.theme_slugs))
        found.update({self.theme_slugs[at]: int(families[at]) for at in np.flatnonzero(families).tolist()})
        return found


_TABLES: list[_FacetTables] = []


def _facet_tables(themes, dialogues) -> _FacetTables:
    if _TABLES and _TABLES[0].themes is themes and _TABLES[0].dialogues is dialogues:
        return _TABLES[0]
    tables = _FacetTables(themes, dialogues)
    _TABLES[:] = [tables]
    return tables


__all__ = ["FINDINGS", "IndexedSearch", "finding_search_indexed", "finding_snippets_public"]
