"""Database routing for scale-out: anonymous public reads may go to a read replica.

`ReplicaRoutingMiddleware` marks a request as an anonymous public read (GET or HEAD of a public
path, no session cookie) for the duration of the view; `PrimaryReplicaRouter` sends reads of
such requests to the `replica` alias, and everything else to the primary: writes, the admin,
signed-in staff, management commands, and any read inside a transaction (a read that prepares a
write must see the primary). The mark lives in a context variable, so it is per request even
under threads.
"""

import contextvars
import re
from contextlib import contextmanager

from django.conf import settings
from django.db import connections

PRIMARY = "default"
REPLICA = "replica"

_read_alias: contextvars.ContextVar[str] = contextvars.ContextVar("atlas_read_alias", default=PRIMARY)


def _public_path_re() -> re.Pattern:
    languages = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    return re.compile(rf"^/(?:(?:{languages})/|api/v\d+/|sitemap[^/]*\.xml$|robots\.txt$)")


_PUBLIC_PATH: re.Pattern | None = None


def is_public_read(request) -> bool:
    """A GET/HEAD of a public path (site, API, sitemap, robots) by a visitor without a session.

    A session cookie means a possibly signed-in analyst, who must see the primary (and never a
    shared cache); anonymous readers have no session, since the public site never starts one.
    """
    global _PUBLIC_PATH
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    path = request.path_info
    if path.startswith("/" + settings.ADMIN_URL):
        return False
    if _PUBLIC_PATH is None:
        _PUBLIC_PATH = _public_path_re()
    return bool(_PUBLIC_PATH.match(path))


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def reads_from(alias: str):
    """Route this context's reads to `alias` (outside transactions), restoring afterwards."""
    token = _read_alias.set(alias)
    try:
        yield
    finally:
        _read_alias.reset(token)


def pin_primary() -> None:
    """Send the rest of the current request's reads to the primary."""
    _read_alias.set(PRIMARY)


def current_read_alias() -> str:
    """Where the current context's reads are routed (outside transactions)."""
    return _read_alias.get()


def replica_caught_up(lsn: str | None) -> bool:
    """Whether the replica has replayed the primary's WAL up to `lsn` (PostgreSQL streaming).

    True without a position to wait for, and on a server that is not a standby (where
    pg_last_wal_replay_lsn() is NULL, e.g. a test mirror of the primary). False when the
    replica cannot be asked, so the caller falls back to the primary.
    """
    if not lsn:
        return True
    connection = connections[REPLICA]
    if connection.vendor != "postgresql":
        return True
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_last_wal_replay_lsn() IS NULL OR pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]
            )
            return bool(cursor.fetchone()[0])
    except Exception:  # an unreachable replica: read from the primary instead
        return False


class ReplicaRoutingMiddleware:
    """Mark anonymous public reads so the router may send them to the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (replica_configured() and is_public_read(request)):
            return self.get_response(request)
        with reads_from(REPLICA):
            return self.get_response(request)


class PrimaryReplicaRouter:
    """Anonymous public reads go to the replica; writes, transactions and the rest to the primary.

    Both aliases hold the same data (the replica streams from the primary), so relations
    between objects from either are allowed.
    """

    def db_for_read(self, model, **hints):
        if _read_alias.get() != REPLICA or REPLICA not in settings.DATABASES:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db
        return REPLICA

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
