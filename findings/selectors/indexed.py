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

from core.search import LANGUAGES, SEARCH_CONFIGS, _korean_tsquery, _prefix_tsquery, search_terms
from core.textindex import LiveIndex, TextIndex, Unsupported, entry_rank, parse_tsquery
from findings.models import Finding, FindingKind, Perspective

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


@lru_cache(maxsize=4096)
def _queries(terms: tuple[str, ...], using: str) -> dict:
    """The query's tree per language, as PostgreSQL parses it (the same calls as core.search)."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT plainto_tsquery(%s::regconfig, %s)::text, plainto_tsquery(%s::regconfig, %s)::text, "
            "to_tsquery('simple', %s)::text",
            [SEARCH_CONFIGS["en"], " ".join(terms), SEARCH_CONFIGS["fr"], " ".join(terms),
             _korean_tsquery(list(terms)) or _prefix_tsquery(list(terms))],
        )  # fmt: skip
        english, french, korean = cursor.fetchone()
    return {"en": parse_tsquery(english), "fr": parse_tsquery(french), "ko": parse_tsquery(korean)}


@dataclass
class IndexedSearch:
    """A search's matches after the facet filters, best first, and its facet counts."""

    ids: list[int]
    counts: dict[str, dict[str, int]]


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
    slots, _ranks = index.search(trees, language if language in LANGUAGES else "en")
    dialogue_ids = np.array(sorted(dialogue.pk for dialogue in dialogues), np.int64)
    families = _theme_families(themes)
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
        family = families.members.get(filters["theme"].pk, [filters["theme"].pk])
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
        "dialogue": _dialogue_counts(index.columns["dialogue"][without("dialogue")], dialogue_ids, dialogues),
        "theme": families.counts(index, without("theme")),
    }
    return IndexedSearch(ids=index.ids[slots[every]].tolist(), counts=counts)


def _value_counts(codes: np.ndarray, values: list[str]) -> dict[str, int]:
    found = np.bincount(codes[codes >= 0], minlength=len(values))
    return {value: int(count) for value, count in zip(values, found, strict=False) if count}


def _dialogue_counts(found: np.ndarray, dialogue_ids: np.ndarray, dialogues) -> dict[str, int]:
    slugs = {dialogue.pk: dialogue.slug for dialogue in dialogues}
    ids, counts = np.unique(found, return_counts=True)
    return {
        slugs[pk]: int(count) for pk, count in zip(ids.tolist(), counts.tolist(), strict=True) if pk in slugs
    }


@dataclass
class _Families:
    slugs: dict[int, str]  # public theme id -> slug
    roots: dict[int, int]  # public theme id -> the family it counts for (its public parent, or itself)
    members: dict[int, list[int]]  # public theme id -> itself and its public sub-themes

    def counts(self, index: TextIndex, slots: np.ndarray) -> dict[str, int]:
        """Findings per public theme among `slots`; a family (a public theme and its public
        sub-themes) counts each finding once, under the family's theme."""
        if not self.slugs or not len(slots):
            return {}
        chosen = np.zeros(len(index.ids), bool)
        chosen[slots] = True
        public = np.array(sorted(self.slugs), np.int64)
        picked = chosen[index.tag_slots] & np.isin(index.tag_values, public)
        tag_slots, tag_values = index.tag_slots[picked], index.tag_values[picked].astype(np.int64)
        counts = {}
        themes, per_theme = np.unique(tag_values, return_counts=True)
        for theme, count in zip(themes.tolist(), per_theme.tolist(), strict=True):
            counts[self.slugs[theme]] = count
        root_of = np.array([self.roots[theme] for theme in tag_values.tolist()], np.int64)
        pairs = np.unique(tag_slots.astype(np.int64) * (int(public.max()) + 1) + root_of)
        roots, per_root = np.unique(pairs % (int(public.max()) + 1), return_counts=True)
        for root, count in zip(roots.tolist(), per_root.tolist(), strict=True):
            counts[self.slugs[root]] = count
        return counts


_FAMILIES: dict[int, _Families] = {}


def _theme_families(themes) -> _Families:
    key = id(themes)  # the list's memoized choices: one list per public data state
    found = _FAMILIES.get(key)
    if found is not None and found.themes is themes:
        return found
    slugs = {theme.pk: theme.slug for theme in themes}
    roots = {theme.pk: theme.parent_id if theme.parent_id in slugs else theme.pk for theme in themes}
    members: dict[int, list[int]] = {pk: [pk] for pk in slugs}
    for theme in themes:
        if theme.parent_id in slugs:
            members[theme.parent_id].append(theme.pk)
    families = _Families(slugs, roots, members)
    families.themes = themes
    _FAMILIES.clear()
    _FAMILIES[key] = families
    return families


__all__ = ["FINDINGS", "IndexedSearch", "finding_search_indexed"]
