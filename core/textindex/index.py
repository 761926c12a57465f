"""The in-memory index itself: posting lists over record slots (see core.textindex)."""

import copy
from bisect import bisect_left
from collections import defaultdict

import numpy as np

from core.textindex.query import ZETA_2, entry_rank, operands

# The layout of a TextIndex: a snapshot another release left in the cache is not read.
FORMAT = 2


class TextIndex:
    """Posting lists per language and lexeme over numbered slots, one slot per indexed record.

    A record that changes is removed (its slot dies) and added again in a new slot; `compact()`
    drops the dead slots. Each slot also carries integer `columns` and any number of `tags`
    (e.g. a finding's dialogue, kind and themes) for counting facets over the matches.
    """

    def __init__(self, languages, columns):
        self.format = FORMAT
        self.languages = tuple(languages)
        self.ids = np.zeros(0, np.int64)
        self.alive = np.zeros(0, bool)
        self.slots: dict[int, int] = {}
        self.columns = {name: np.zeros(0, np.int32) for name in columns}
        self.tag_slots = np.zeros(0, np.int32)
        self.tag_values = np.zeros(0, np.int32)
        self.postings = {language: {} for language in self.languages}  # lexeme -> (slots, ranks)
        self._sorted: dict[str, list[str]] = {}
        self.versions: dict[int, int] = {}  # id -> its newest change-log entry (record_versions)
        self.sequence = 0  # the change-log position the index reflects
        self.synced_at = 0.0  # when it last looked for scheduled publications (epoch seconds)
        self.state = None  # the public data state it was last brought up to

    def __len__(self):
        return len(self.slots)

    def clone(self) -> "TextIndex":
        """A copy to change while searches read this one (arrays are replaced, never changed, but
        for `alive`, which is copied)."""
        twin = copy.copy(self)
        twin.alive = self.alive.copy()
        twin.slots = dict(self.slots)
        twin.versions = dict(self.versions)
        twin.columns = dict(self.columns)
        twin.postings = {language: dict(table) for language, table in self.postings.items()}
        twin._sorted = {}
        return twin

    def remove(self, ids) -> None:
        for pk in ids:
            slot = self.slots.pop(pk, None)
            if slot is not None:
                self.alive[slot] = False

    def add(self, docs) -> None:
        """Index `docs`: (id, {column: int}, [tag, ...], {language: [(lexeme, weights), ...]})."""
        docs = list(docs)
        self.remove(doc[0] for doc in docs)
        start = len(self.ids)
        self.ids = np.concatenate([self.ids, np.array([doc[0] for doc in docs], np.int64)])
        self.alive = np.concatenate([self.alive, np.ones(len(docs), bool)])
        for name in self.columns:
            values = np.array([doc[1][name] for doc in docs], np.int32)
            self.columns[name] = np.concatenate([self.columns[name], values])
        tag_slots, tag_values = [], []
        fresh = {language: defaultdict(lambda: ([], [])) for language in self.languages}
        for offset, (pk, _columns, tags, vectors) in enumerate(docs):
            slot = start + offset
            self.slots[pk] = slot
            tag_slots.extend([slot] * len(tags))
            tag_values.extend(tags)
            for language, entries in vectors.items():
                for lexeme, weights in entries:
                    slots, ranks = fresh[language][lexeme]
                    slots.append(slot)
                    ranks.append(entry_rank(weights))
        self.tag_slots = np.concatenate([self.tag_slots, np.array(tag_slots, np.int32)])
        self.tag_values = np.concatenate([self.tag_values, np.array(tag_values, np.int32)])
        for language, lexemes in fresh.items():
            self.extend(language, {lexeme: (np.array(s, np.int32), np.array(r, np.float32))
                                   for lexeme, (s, r) in lexemes.items()})  # fmt: skip

    def grow(self, ids, columns: dict[str, np.ndarray], tag_slots, tag_values) -> np.ndarray:
        """Append records in bulk (the build): their slots, for `extend()`."""
        start = len(self.ids)
        ids = np.asarray(ids, np.int64)
        self.ids = np.concatenate([self.ids, ids])
        self.alive = np.concatenate([self.alive, np.ones(len(ids), bool)])
        for name in self.columns:
            self.columns[name] = np.concatenate([self.columns[name], np.asarray(columns[name], np.int32)])
        self.slots.update(zip(ids.tolist(), range(start, start + len(ids)), strict=True))
        self.tag_slots = np.concatenate([self.tag_slots, np.asarray(tag_slots, np.int32) + start])
        self.tag_values = np.concatenate([self.tag_values, np.asarray(tag_values, np.int32)])
        return np.arange(start, start + len(ids), dtype=np.int32)

    def extend(self, language: str, postings: dict) -> None:
        """Append (slots, ranks) to lexemes' posting lists; slots must be above the existing ones."""
        table = self.postings[language]
        for lexeme, (slots, ranks) in postings.items():
            if lexeme in table:
                old_slots, old_ranks = table[lexeme]
                slots, ranks = np.concatenate([old_slots, slots]), np.concatenate([old_ranks, ranks])
            else:
                self._sorted.pop(language, None)
            table[lexeme] = (slots, ranks)

    def compact(self) -> None:
        """Drop dead slots (after many changes): renumber the living ones, in the same order."""
        keep = self.alive
        renumber = np.cumsum(keep, dtype=np.int64) - 1
        self.ids = self.ids[keep]
        self.alive = np.ones(len(self.ids), bool)
        self.slots = dict(zip(self.ids.tolist(), range(len(self.ids)), strict=True))
        for name, values in self.columns.items():
            self.columns[name] = values[keep]
        living = keep[self.tag_slots]
        self.tag_slots = renumber[self.tag_slots[living]].astype(np.int32)
        self.tag_values = self.tag_values[living]
        for table in self.postings.values():
            for lexeme, (slots, ranks) in list(table.items()):
                living = keep[slots]
                if living.any():
                    table[lexeme] = (renumber[slots[living]].astype(np.int32), ranks[living])
                else:
                    del table[lexeme]
        self._sorted.clear()

    @property
    def dead(self) -> int:
        return len(self.ids) - len(self.slots)

    def _entries(self, language: str, lexeme: str, prefix: bool):
        table = self.postings[language]
        if not prefix:
            found = table.get(lexeme)
            return [found] if found is not None else []
        if language not in self._sorted:
            self._sorted[language] = sorted(table, key=str.encode)
        names = self._sorted[language]
        entries = []
        # Byte order, as PostgreSQL keeps a vector's entries and walks a prefix's.
        for name in names[bisect_left(names, lexeme.encode(), key=str.encode) :]:
            if not name.startswith(lexeme):
                break
            entries.append(table[name])
        return entries

    def match(self, language: str, tree) -> np.ndarray:
        """The living slots whose `language` vector matches `tree` (`vector @@ query`), sorted."""
        if tree is None:
            return np.zeros(0, np.int32)
        if tree[0] == "term":
            entries = self._entries(language, tree[1], tree[2])
            if not entries:
                return np.zeros(0, np.int32)
            slots = entries[0][0] if len(entries) == 1 else np.unique(np.concatenate([e[0] for e in entries]))
            return slots[self.alive[slots]]
        parts = [self.match(language, child) for child in tree[1]]
        result = parts[0]
        for part in parts[1:]:
            if tree[0] == "and":
                result = np.intersect1d(result, part, assume_unique=True)
            else:
                result = np.union1d(result, part)
        return result

    def rank(self, language: str, tree) -> np.ndarray:
        """`ts_rank(vector, query)` for every slot, the query's `&` read as `|` (float32)."""
        terms = operands(tree)
        total = np.zeros(len(self.ids), np.float32)
        for lexeme, prefix in terms:
            for slots, ranks in self._entries(language, lexeme, prefix):
                # float res = res + (float value) / 1.64493406685 (a double), as PostgreSQL adds.
                total[slots] = (total[slots].astype(np.float64) + ranks.astype(np.float64) / ZETA_2).astype(
                    np.float32
                )
        if terms:
            total /= np.float32(len(terms))
        return total

    def search(self, trees: dict, reader: str) -> tuple[np.ndarray, np.ndarray]:
        """(slots matching `trees` in any language, in slot order; their ranks as core.search
        ranks: 1 for a match in the `reader`'s language, plus its ts_rank there). `best_first()`
        orders them."""
        per_language = {language: self.match(language, trees.get(language)) for language in self.languages}
        slots = per_language[self.languages[0]]
        for language in self.languages[1:]:
            slots = np.union1d(slots, per_language[language])
        if not len(slots):
            return slots, np.zeros(0)
        score = np.isin(slots, per_language[reader], assume_unique=True).astype(np.float64)
        score += self.rank(reader, trees.get(reader))[slots].astype(np.float64)
        return slots, score


def best_first(ids: np.ndarray, scores: np.ndarray, stop: int) -> np.ndarray:
    """The first `stop` of `ids` ordered as core.search orders: best score first, ties newest id
    first. Only what can reach the first `stop` is sorted (a first page of 35,000 matches sorts
    a few dozen)."""
    if stop < len(ids) // 2:
        threshold = np.partition(scores, len(scores) - stop)[len(scores) - stop]
        reach = scores >= threshold  # every score above the stop-th best, and its ties
        ids, scores = ids[reach], scores[reach]
    return ids[np.lexsort((-ids, -scores))][:stop]
