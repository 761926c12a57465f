"""Rate-limit counters that every worker process and every app server share, counted atomically.

The API's limits (core/api/access.py) count each client's requests in windows of fixed length
that start with the client's first request: the counter is created by that request with the
window's length as its lifetime, each later request increments it and learns the new count and
the time left, and once it expires the next request starts a new window. (Windows aligned on
the clock would start afresh for everyone at once, so a quick burst could straddle two.)

The counters live in the `ratelimit` cache (settings.CACHES): Redis when REDIS_URL is set, else
`DatabaseCounterCache` below, a table of the database (created by core's migration 0004). Neither
is per process, so a limit holds whatever the number of workers and servers; the local-memory
cache would give each worker a limit of its own. The count is never read and written back: Redis
increments in one transaction, the database in one statement, so concurrent requests each get a
different count and at most `limit` of them pass.
"""

import hashlib
import logging
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import connections, models, router, transaction
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

CACHE_ALIAS = "ratelimit"
TABLE = "core_ratelimit_counter"
MAX_KEY_LENGTH = 200
HEADER_NAMES = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")
REQUEST_ATTRIBUTE = "atlas_ratelimit"


# -- The database store ----------------------------------------------------------------------------


class _CounterOptions:
    """Enough of a model's _meta for the database routers (writes: the primary)."""

    app_label = "core"
    model_name = "ratelimitcounter"
    object_name = "RateLimitCounter"
    db_table = TABLE
    abstract = proxy = swapped = False
    managed = True


class _CounterModel:
    _meta = _CounterOptions()


def _epoch(connection, value) -> float:
    """A datetime read back from the database (a string on SQLite), as seconds since the epoch."""
    expression = models.Expression(output_field=models.DateTimeField())
    for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(connection):
        value = converter(value, expression, connection)
    if value.tzinfo is None:  # USE_TZ off: stored as UTC without a zone
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


class DatabaseCounterCache(BaseCache):
    """A cache of integer counters in one table of the database, for the rate limits without Redis.

    Django's DatabaseCache cannot count: its incr() reads the value and writes it back, so two
    workers reading the same value lose a request between them. Here each operation is a single
    statement (an INSERT ... ON CONFLICT DO UPDATE ... RETURNING for `hit()`), which the database
    serialises on the row. Only integers are stored. Every statement goes to the primary (a
    replica would count nothing). Expired rows are deleted at most once per PURGE_SECONDS by each
    process, when it starts a new counter.
    """

    PURGE_SECONDS = 60

    def __init__(self, table, params):
        super().__init__(params)
        self._table = table or TABLE
        self._next_purge = 0.0

    # The statements, on the primary's connection.

    def _connection(self):
        return connections[router.db_for_write(_CounterModel)]

    def _expiry(self, timeout):
        """When a counter made now with `timeout` ends, in whole seconds."""
        at = self.get_backend_timeout(timeout)
        at = 253402300799 if at is None else math.ceil(at)  # no timeout: the end of year 9999
        moment = datetime.fromtimestamp(at, tz=UTC)
        return moment if settings.USE_TZ else moment.replace(tzinfo=None)

    def _now(self, connection):
        # Whole seconds, like the expiries, so that SQLite's text timestamps compare in order.
        moment = datetime.fromtimestamp(math.floor(time.time()), tz=UTC)
        if not settings.USE_TZ:
            moment = moment.replace(tzinfo=None)
        return connection.ops.adapt_datetimefield_value(moment)

    def _sql(self, connection, statement: str) -> str:
        quote = connection.ops.quote_name
        return statement.format(
            table=quote(self._table), key=quote("cache_key"), hits=quote("hits"), expires=quote("expires")
        )

    def _upsert(self, key, value, timeout, *, mode):
        """INSERT or, for an existing key, `mode`: add to a live count ("hit"), replace ("set"),
        or replace only an expired one ("add"). Returns (count, expiry in seconds since the
        epoch), or None if nothing changed."""
        self.validate_key(key)
        connection = self._connection()
        now = self._now(connection)
        expires = self._expiry(timeout)
        expires = connection.ops.adapt_datetimefield_value(expires)
        if mode == "hit":
            update = (
                "{hits} = CASE WHEN {table}.{expires} > %s THEN {table}.{hits} + excluded.{hits} "
                "ELSE excluded.{hits} END, "
                "{expires} = CASE WHEN {table}.{expires} > %s THEN {table}.{expires} "
                "ELSE excluded.{expires} END"
            )
            params = [key, value, expires, now, now]
        elif mode == "set":
            update = "{hits} = excluded.{hits}, {expires} = excluded.{expires}"
            params = [key, value, expires]
        else:  # add
            update = "{hits} = excluded.{hits}, {expires} = excluded.{expires} WHERE {table}.{expires} <= %s"
            params = [key, value, expires, now]
        statement = self._sql(
            connection,
            "INSERT INTO {table} ({key}, {hits}, {expires}) VALUES (%s, %s, %s) "
            "ON CONFLICT ({key}) DO UPDATE SET " + update,
        )
        if connection.features.can_return_columns_from_insert:
            with connection.cursor() as cursor:
                cursor.execute(statement + self._sql(connection, " RETURNING {hits}, {expires}"), params)
                row = cursor.fetchone()
        else:  # an SQLite older than 3.35: the statement, then the read, in one transaction
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                cursor.execute(statement, params)
                if not cursor.rowcount:
                    return None
                cursor.execute(
                    self._sql(connection, "SELECT {hits}, {expires} FROM {table} WHERE {key} = %s"), [key]
                )
                row = cursor.fetchone()
        return (row[0], _epoch(connection, row[1])) if row else None

    def _purge(self, connection):
        if time.monotonic() < self._next_purge:
            return
        self._next_purge = time.monotonic() + self.PURGE_SECONDS
        with connection.cursor() as cursor:
            cursor.execute(
                self._sql(connection, "DELETE FROM {table} WHERE {expires} <= %s"), [self._now(connection)]
            )

    # The cache API (what the limits use, and enough for tests and the shell).

    def hit(self, key, timeout=DEFAULT_TIMEOUT, version=None, delta=1) -> tuple[int, float]:
        """Count `delta` on `key`, starting it (to live `timeout` seconds) if missing or expired.

        Returns the new count and when the counter expires (seconds since the epoch).
        """
        count, expires = self._upsert(self.make_key(key, version=version), int(delta), timeout, mode="hit")
        if count == delta:  # a new counter: now and then, drop the ones that expired
            self._purge(self._connection())
        return count, expires

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._upsert(self.make_key(key, version=version), int(value), timeout, mode="add") is not None

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._upsert(self.make_key(key, version=version), int(value), timeout, mode="set")

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        connection = self._connection()
        statement = self._sql(
            connection, "UPDATE {table} SET {hits} = {hits} + %s WHERE {key} = %s AND {expires} > %s"
        )
        params = [int(delta), key, self._now(connection)]
        if connection.features.can_return_columns_from_insert:
            with connection.cursor() as cursor:
                cursor.execute(statement + self._sql(connection, " RETURNING {hits}"), params)
                row = cursor.fetchone()
        else:
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                cursor.execute(statement, params)
                row = None
                if cursor.rowcount:
                    select = "SELECT {hits} FROM {table} WHERE {key} = %s"
                    cursor.execute(self._sql(connection, select), [key])
                    row = cursor.fetchone()
        if row is None:
            raise ValueError(f"Key '{key}' not found")
        return row[0]

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        connection = self._connection()
        with connection.cursor() as cursor:
            cursor.execute(
                self._sql(connection, "SELECT {hits} FROM {table} WHERE {key} = %s AND {expires} > %s"),
                [key, self._now(connection)],
            )
            row = cursor.fetchone()
        return default if row is None else row[0]

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        connection = self._connection()
        expires = self._expiry(timeout)
        with connection.cursor() as cursor:
            update = "UPDATE {table} SET {expires} = %s WHERE {key} = %s AND {expires} > %s"
            cursor.execute(
                self._sql(connection, update),
                [connection.ops.adapt_datetimefield_value(expires), key, self._now(connection)],
            )
            return bool(cursor.rowcount)

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        connection = self._connection()
        with connection.cursor() as cursor:
            cursor.execute(self._sql(connection, "DELETE FROM {table} WHERE {key} = %s"), [key])
            return bool(cursor.rowcount)

    def clear(self):
        connection = self._connection()
        with connection.cursor() as cursor:
            cursor.execute(self._sql(connection, "DELETE FROM {table}"))


# -- Windows and quotas ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Quota:
    """Where a client stands in the current window, after counting its request."""

    limit: int
    count: int
    reset: int  # whole seconds until the window ends (at least 1)
    key: str = ""  # the client's counter

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.count)

    def headers(self) -> dict[str, str]:
        """The IETF draft's fields (draft-ietf-httpapi-ratelimit-headers): limit, left, seconds."""
        return dict(zip(HEADER_NAMES, (str(self.limit), str(self.remaining), str(self.reset)), strict=True))


def count_request(key: str, limit: int, period: int) -> Quota | None:
    """Count one request of the client `key` against `limit` per `period` seconds.

    None when the store cannot be reached (Redis down, its errors ignored by settings): the
    request is served uncounted rather than refused.
    """
    key = counter_key(key, period)
    store = _store()
    if hasattr(store, "hit"):
        counted = store.hit(key, timeout=period)
    elif hasattr(getattr(store, "client", None), "get_client"):
        counted = _redis_hit(store, key, period)
    else:
        counted = _cache_hit(store, key, period)
    if counted is None:
        return None
    count, expires = counted
    # The database keeps whole seconds (rounded up): never announce more than the window's length.
    reset = min(period, max(1, math.ceil(expires - time.time())))
    return Quota(limit=limit, count=int(count), reset=reset, key=key)


def counter_key(key: str, period: int) -> str:
    key = f"{key}:{period}"
    return key if len(key) <= MAX_KEY_LENGTH else "h:" + hashlib.sha256(key.encode()).hexdigest()


_fallback = None


def _store():
    """The `ratelimit` cache; settings without one (older ones, tests) count in the database."""
    global _fallback
    if CACHE_ALIAS in settings.CACHES:
        return caches[CACHE_ALIAS]
    if _fallback is None:
        _fallback = DatabaseCounterCache(TABLE, {})
    return _fallback


def _redis_hit(store, key, period):
    """django-redis: create with a lifetime if missing, increment, read the time left: one
    MULTI/EXEC round trip, atomic as a whole."""
    made = store.make_and_validate_key(key)
    try:
        pipeline = store.client.get_client(write=True).pipeline(transaction=True)
        pipeline.set(made, 0, ex=period, nx=True)
        pipeline.incr(made)
        pipeline.pttl(made)
        _created, count, left = pipeline.execute()
    except (RedisConnectionError, RedisTimeoutError):
        logger.warning("rate limits: Redis unreachable, request not counted")
        return None
    left = left / 1000 if left and left > 0 else period  # -1: no lifetime (set by hand)
    return count, time.time() + left


def _cache_hit(store, key, period):
    """Any other cache with an atomic incr(): start the counter at 0 if missing, increment it.

    The time left is not known to the cache API; the window's whole length stands for it.
    """
    for _attempt in range(2):
        store.add(key, 0, timeout=period)
        try:
            count = store.incr(key)
        except ValueError:  # expired or evicted between the two: start it again
            continue
        return (count, time.time() + period) if count is not None else None
    return None


def remember(request, quota: Quota) -> None:
    """Keep the request's quota for its response headers (on Django's request under DRF's)."""
    setattr(getattr(request, "_request", request), REQUEST_ATTRIBUTE, quota)


def recall(request) -> Quota | None:
    return getattr(getattr(request, "_request", request), REQUEST_ATTRIBUTE, None)


def add_headers(request, response) -> None:
    """The RateLimit-* fields of the request's quota, if a limit counted it."""
    quota = recall(request)
    if quota is not None:
        for name, value in quota.headers().items():
            response[name] = value
