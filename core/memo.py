"""Values built from public data, kept until public data changes: per public data state (counts,
facets, small lists), or per record under the record's own version (API records, cards).

Every key holds the next due publication as well, as the page cache's does (core.cache), so
that no value outlives a scheduled publication.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from core import routers
from core.cache import entry_timeout, public_state

MEMO_KEY_PREFIX = "atlas:memo"


def public_memo(name: str, compute):
    """`compute()`, or its value from the last call with the same `name` in this public data state.

    For aggregates that read many rows and change only when public data does (list counts, facet
    counts): the value is kept in the cache under the public data version and the next due
    publication, like a cached page, so it is exact after every change, with or without the page
    cache. `name` must say everything the value depends on (e.g. the filters). Reading from a
    replica that has not replayed the last change, the value is computed on the primary.
    """
    if "memo_counts" in settings.PERFORMANCE_OFF:
        return compute()
    return public_memo_many({None: name}, lambda missing: {None: compute()})[None]


def public_memo_many(names: dict, compute) -> dict:
    """`public_memo()` for many values at once, in one round trip to the cache.

    `names` maps each wanted item to its name; `compute(items)` returns a dict with a value for
    each item it is given, the ones not memoized yet. Returns a dict with a value for every item.
    """
    state = public_state()
    if state is None:  # cache unreachable: compute every time
        return compute(list(names))
    version, due, lsn = state
    keys = {item: f"{MEMO_KEY_PREFIX}:{version}:{int(due)}:{_digest(name)}" for item, name in names.items()}

    def build(missing):
        _read_what_is_announced(lsn)
        return compute(missing)

    return _kept(keys, build, lambda values: cache.set_many(values, timeout=entry_timeout(due)))


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:40]


def _kept(keys: dict, compute, store) -> dict:
    """The values of `keys` (item -> cache key) found in the cache, in one round trip, and
    `compute(missing items)` for the others, whose values (cache key -> value) go to `store`."""
    found = cache.get_many(list(keys.values()))
    values = {item: found[key] for item, key in keys.items() if key in found}
    missing = [item for item in keys if item not in values]
    if missing:
        computed = compute(missing)
        store({keys[item]: computed[item] for item in missing if item in computed})
        values.update(computed)
    return values


def _read_what_is_announced(lsn) -> None:
    """Reading from a replica that has not replayed the last announced change: read the primary."""
    if routers.current_read_alias() == routers.REPLICA and not routers.replica_caught_up(lsn):
        routers.pin_primary()


_LOCAL_MEMO: dict = {}
LOCAL_MEMO_MAX = 256


def public_local_memo(name: str, compute):
    """`compute()`, kept in this process for the current public data state.

    For small read-only lists every page of a kind reads whole (the themes and dialogues a
    findings list offers as filters): kept as Python objects, they cost neither a query nor
    unpickling. The caller must not change them. Like `public_memo()`, exact after every change;
    computed every time when the state is unknown or with `memo_counts` switched off.
    """
    state = public_state()
    if state is None or "memo_counts" in settings.PERFORMANCE_OFF:
        return compute()
    key = (name, state[0], state[1])
    try:
        return _LOCAL_MEMO[key]
    except KeyError:
        pass
    _read_what_is_announced(state[2])
    value = compute()
    if len(_LOCAL_MEMO) >= LOCAL_MEMO_MAX:
        # States past are never asked for again: drop theirs, keep what this request has read.
        for old in [old for old in _LOCAL_MEMO if old[1:] != key[1:]]:
            del _LOCAL_MEMO[old]
        if len(_LOCAL_MEMO) >= LOCAL_MEMO_MAX:
            _LOCAL_MEMO.clear()
    _LOCAL_MEMO[key] = value
    return value


RECORD_KEY_PREFIX = "atlas:record"


def record_memo_many(names: dict, versions: dict | None, compute, *, keep: bool = True) -> dict:
    """`public_memo_many()` for values built from one record each (its API representation, its
    card on the site), each kept under the record's own version instead of the whole site's.

    `versions` maps each item to its record's version: the sequence number of its newest change-log
    entry (core.changes.record_versions), which changes whenever the record's payload or anything
    it embeds changes, and only then. So an edit of one finding rebuilds that finding's values
    and no other's. The next due publication is part of the key as for every memo (a record may
    embed a part that becomes public by the clock alone). `versions=None` (records the log does
    not follow) keys the values by the public data version. `keep=False` builds what is missing
    without keeping it: the caller reads inside a transaction that wrote log entries
    (core.changes.writing_public_changes), whose data and entries are not final.
    """

    def build(missing):
        record_memo_misses.count += len(missing)
        return compute(missing)

    if versions is None:
        return public_memo_many(names, build)
    state = public_state()
    if state is None:
        return build(list(names))
    due = state[1]
    keys = {
        item: f"{RECORD_KEY_PREFIX}:{int(due)}:{_digest(name)}:{versions.get(item, 0)}"
        for item, name in names.items()
    }

    def store(values):
        if keep:
            # Exact whatever their age (a change gives the record a new version): kept as long as
            # RECORD_CACHE_TIMEOUT allows, and the cache evicts the least used.
            timeout = entry_timeout(due, settings.RECORD_CACHE_TIMEOUT)
            cache.set_many(
                {key: value for key, value in values.items() if value is not None}, timeout=timeout
            )

    return _kept(keys, build, store)


class _MissCounter:
    """How many values `record_memo_many()` had to build in this process (tests read it)."""

    count = 0


record_memo_misses = _MissCounter()
