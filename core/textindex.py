"""An in-memory inverted index over PostgreSQL's own search vectors, for searches that must rank
and count every match of a broad query (the findings list: two common words can match a third
of 100,000 findings, and the page shows their facet counts).

PostgreSQL still analyses everything: the index is built from the stored `fts_<lang>` vectors and
each query is parsed by PostgreSQL (`plainto_tsquery`, ...); only the posting lists live here,
as numpy arrays, one per lexeme and language. A query then costs array intersections, not a
visit of every matching heap row. The answers are PostgreSQL's:

- `match()` evaluates the tsquery tree (`&`, `|`, prefixes `:*`) over the postings, which is
  what `vector @@ query` does; trees with `!` or phrase operators are refused (`Unsupported`).
- `rank()` is `ts_rank(vector, query)` with every `&` read as `|` (core.search ranks that way
  too): PostgreSQL's `calc_rank_or`, whose value is a sum over the query's distinct operands of a
  per-entry value that depends on that entry's positions only. The index keeps that value per
  posting, computed here with PostgreSQL's single-precision steps, and adds them in the same
  order, so the two agree to the bit.

`LiveIndex` keeps one such index per process current: built once (in a background thread, the
result shared with the other processes through the cache), then brought up to date at each new
public data state from the change log (the records whose entry is newer than the index's) and from
the scheduled publications that came due since. Until it is ready, and whenever it cannot answer
exactly (inside a transaction that wrote public changes, an unknown public state), callers search
with PostgreSQL, which gives the same results.
"""

import copy
import datetime
import logging
import re
import threading
import time
from bisect import bisect_left
from collections import defaultdict

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.utils import timezone

logger = logging.getLogger(__name__)

# PostgreSQL's default ts_rank weights, by the weight letter of a position (D is unmarked).
WEIGHTS = {"D": np.float32(0.1), "C": np.float32(0.2), "B": np.float32(0.4), "A": np.float32(1.0)}
ZETA_2 = 1.64493406685  # the limit of sum(1/i^2), by which calc_rank_or divides each entry's value
# How far before its last look the index looks again for scheduled publications (clock skew).
DUE_MARGIN_SECONDS = 5
SNAPSHOT_TIMEOUT = 7 * 86400
# The layout of a TextIndex: a snapshot another release left in the cache is not read.
FORMAT = 2


class Unsupported(ValueError):
    """A query the index cannot evaluate exactly (negation, phrases): search with PostgreSQL."""


# -- Queries -------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:'((?:[^'\\]|''|\\.)*)'(?::([ABCD*]+))?|(&|\||!|<\d*-?>|\(|\)))")


def parse_tsquery(text: str):
    """The tree of a tsquery as PostgreSQL prints it: ("term", lexeme, prefix), ("and", [...]),
    ("or", [...]); None for the empty query (which matches nothing). Raises Unsupported."""
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        found = _TOKEN.match(text, position)
        if not found:
            raise Unsupported(text)
        lexeme, flags, operator = found.groups()
        if operator is None:
            lexeme = re.sub(r"''|\\(.)", lambda m: m.group(1) or "'", lexeme)
            tokens.append(("term", lexeme, "*" in (flags or "")))
        elif operator in ("&", "|", "(", ")"):
            tokens.append(operator)
        else:
            raise Unsupported(text)
        position = found.end()
    if not tokens:
        return None
    tree, rest = _parse_or(tokens)
    if rest:
        raise Unsupported(text)
    return tree


def _parse_or(tokens):
    left, tokens = _parse_and(tokens)
    children = [left]
    while tokens and tokens[0] == "|":
        right, tokens = _parse_and(tokens[1:])
        children.append(right)
    return (children[0] if len(children) == 1 else ("or", children)), tokens


def _parse_and(tokens):
    left, tokens = _parse_atom(tokens)
    children = [left]
    while tokens and tokens[0] == "&":
        right, tokens = _parse_atom(tokens[1:])
        children.append(right)
    return (children[0] if len(children) == 1 else ("and", children)), tokens


def _parse_atom(tokens):
    if not tokens:
        raise Unsupported("incomplete query")
    head = tokens[0]
    if head == "(":
        tree, rest = _parse_or(tokens[1:])
        if not rest or rest[0] != ")":
            raise Unsupported("unbalanced parentheses")
        return tree, rest[1:]
    if isinstance(head, tuple):
        return head, tokens[1:]
    raise Unsupported(f"unexpected {head!r}")


def operands(tree) -> list[tuple[str, bool]]:
    """The distinct operands of a tree in PostgreSQL's order (byte order, as SortAndUniqItems)."""
    found: dict[str, bool] = {}

    def walk(node):
        if node[0] == "term":
            found.setdefault(node[1], node[2])
        else:
            for child in node[1]:
                walk(child)

    if tree is not None:
        walk(tree)
    return sorted(found.items(), key=lambda item: item[0].encode())


_ENTRY_RANKS: dict[str, np.float32] = {}


def entry_rank(weights: str) -> np.float32:
    """calc_rank_or's value for one vector entry, from its positions' weight letters in order
    (before the division by ZETA_2), computed in single precision as PostgreSQL does."""
    try:
        return _ENTRY_RANKS[weights]
    except KeyError:
        pass
    resj, wjm, jm = np.float32(0.0), np.float32(-1.0), 0
    for j, letter in enumerate(weights or "D"):  # an entry without positions counts as one D
        weight = WEIGHTS[letter]
        resj = np.float32(resj + weight / np.float32((j + 1) * (j + 1)))
        if weight > wjm:
            wjm, jm = weight, j
    value = np.float32(np.float32(wjm + resj) - np.float32(wjm / np.float32((jm + 1) * (jm + 1))))
    _ENTRY_RANKS[weights] = value
    return value


# -- The index -----------------------------------------------------------------------------------


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


# -- Keeping an index current --------------------------------------------------------------------


LIVE_INDEXES: list["LiveIndex"] = []


def forget_all() -> None:
    """Drop every index of this process (tests: each starts with a new database)."""
    for live in LIVE_INDEXES:
        live.forget()


class LiveIndex:
    """One process's TextIndex of a change-log resource, current with the public data.

    Subclasses say how to read records: `build()` every public one into a new index,
    `documents(ids)` the public ones among `ids`, `due_ids(since, until)` those whose scheduled
    publication (or their parent's) falls in that window.
    """

    resource = ""
    model = None
    # More changed records than this at once: build again rather than patch.
    patch_limit = 20000

    def __init__(self):
        LIVE_INDEXES.append(self)
        self._index = None
        self._lock = threading.Lock()
        self._building = False

    def build(self, using: str) -> TextIndex:
        raise NotImplementedError

    def documents(self, ids, using: str):
        raise NotImplementedError

    def due_ids(self, since, until, using: str) -> set[int]:
        raise NotImplementedError

    # The index of this process, or None when PostgreSQL must answer.
    def current(self) -> TextIndex | None:
        from core.cache import public_state
        from core.changes import writing_public_changes

        if "search_index" in settings.PERFORMANCE_OFF:
            return None
        using = router.db_for_read(self.model)
        if connections[using].vendor != "postgresql" or writing_public_changes(using):
            return None
        state = public_state()
        if state is None:
            return None
        wanted = (state[0], state[1])
        with self._lock:
            index = self._index
            if index is None:
                index = self._snapshot(using)
                if index is None:
                    self._start_build(using)
                    index = self._index  # built inline (SEARCH_INDEX_BACKGROUND off)
                    if index is None:
                        return None
            if index.state != wanted:
                index = self._sync(index, wanted, using)
            self._index = index
            return index

    def forget(self) -> None:
        """Drop this process's index (tests: each starts with a new database)."""
        with self._lock:
            self._index = None

    def _snapshot_key(self, using: str) -> str:
        database = connections[using].settings_dict
        where = f"{database['HOST']}:{database['PORT']}:{database['NAME']}"
        return f"atlas:textindex:{FORMAT}:{self.resource}:{where}"

    def _snapshot(self, using: str) -> TextIndex | None:
        from core.changes import latest_sequence

        index = cache.get(self._snapshot_key(using))
        if getattr(index, "format", None) != FORMAT or index.sequence > latest_sequence():
            return None  # none yet, another release's, or from a database since restored
        return index

    def _start_build(self, using: str) -> None:
        if getattr(settings, "SEARCH_INDEX_BACKGROUND", True):
            if not self._building:
                self._building = True
                threading.Thread(target=self._build_in_background, args=(using,), daemon=True).start()
        else:
            self._index = self._build(using)

    def _build_in_background(self, using: str) -> None:
        try:
            index = self._build(using)
            with self._lock:
                self._index = index
        except Exception:  # the searches go on with PostgreSQL; the next one tries again
            logger.exception("building the %s search index failed", self.resource)
        finally:
            self._building = False
            connections.close_all()

    def rebuild(self, using: str) -> TextIndex:
        """Build the index now and share it (manage.py build_search_index)."""
        index = self._build(using)
        with self._lock:
            self._index = index
        return index

    def _build(self, using: str) -> TextIndex:
        from django.db.models import Max

        from core.changes.log import _latest_sequence_on
        from core.models import PublicChange

        started = time.monotonic()
        synced_at = timezone.now().timestamp()
        sequence = _latest_sequence_on(using)  # before the rows: a later change is read again
        index = self.build(using)
        index.sequence, index.synced_at = sequence, synced_at
        index.versions = dict(
            PublicChange.objects.using(using)
            .filter(resource=self.resource)
            .values_list("object_id")
            .annotate(last=Max("pk"))
            .order_by()
        )
        cache.set(self._snapshot_key(using), index, timeout=SNAPSHOT_TIMEOUT)
        logger.info(
            "built the %s search index: %d records in %.1f s",
            self.resource,
            len(index),
            time.monotonic() - started,
        )
        return index

    def _sync(self, index: TextIndex, state, using: str) -> TextIndex | None:
        """Bring `index` to the database's present: records whose log entry is newer, and
        scheduled publications that came due since it last looked."""
        from core.models import PublicChange

        now = timezone.now()
        changed = list(
            PublicChange.objects.using(using)
            .filter(resource=self.resource, id__gt=index.sequence)
            .values_list("id", "object_id")
        )
        since = datetime.datetime.fromtimestamp(index.synced_at - DUE_MARGIN_SECONDS, tz=datetime.UTC)
        ids = {pk for _sequence, pk in changed} | self.due_ids(since, now, using)
        if len(ids) > self.patch_limit:
            self._index = None
            self._start_build(using)
            return self._index
        index = index.clone()  # searches in other threads go on reading the one they have
        if ids:
            index.remove(ids)
            index.add(self.documents(sorted(ids), using))
            if index.dead > len(index) // 4:
                index.compact()
        for sequence, pk in changed:
            index.versions[pk] = max(sequence, index.versions.get(pk, 0))
        index.sequence = max([index.sequence, *(sequence for sequence, _pk in changed)])
        index.synced_at = now.timestamp()
        index.state = state
        return index
