"""Shared cache of anonymous public pages and API responses, with exact invalidation.

`PublicCacheMiddleware` stores the 200 responses of anonymous GETs of public paths (the
language-prefixed site, the API, sitemap, robots) in the default cache: Redis when `REDIS_URL`
is set, local memory otherwise. Entries are keyed by the full URL (host included), the active
language, the API's `Accept` header, a *public data version* and the time of the next scheduled
publication:

- The version follows the change log (core.changes), which decides in one place whether a
  transaction changed public data: it changes when a transaction writes log entries (or changes
  again a record it already wrote one for), once then and once more when the transaction
  commits, so that a page rendered from uncommitted or pre-commit data is never served
  afterwards. A saved draft or private field, which writes no entry, keeps the cache. The log's
  latest sequence number is kept beside the version: `publish_due` (every minute) changes the
  version if the log moved past it, which repairs a report lost with its process between a
  commit and its on-commit callback. Writes around the signals (bulk loads, queryset `update()`)
  reach the pages when they reach the log: `publish_due` finds new rows, `changes_rebuild` the
  rest.
- A scheduled publication becomes public with no write at all; the key holds the next due
  `published_at`, so once it passes every page is rendered afresh.

The version lives in the shared cache (Redis), or, with the process-local memory cache, in a file
under `var/` whose size grows by one byte per change: every worker process of one machine sees
every change, which a per-process counter would not. The replica position (below) lives beside it.

Never cached: signed-in staff (any request carrying a session cookie bypasses the cache both
ways), requests with credentials (a partner's API key is checked by the view), the admin,
non-200 responses, streaming responses, responses that set a cookie, use a CSRF token, vary on
the cookie or are marked private/no-store. A cached HTML page carries a CSP nonce
in its body; each hit gets a fresh nonce in both the body and the header. API hits still pass
through the view's throttles, so the anonymous rate limit holds for cached responses too.
With a read replica, a page is cached only from a replica that has replayed the change.
"""

import hashlib
import logging
import os
import time
from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connections
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone

from core import routers
from core.curation import curated_models

logger = logging.getLogger(__name__)

VERSION_KEY = "atlas:public:version"
DUE_KEY = "atlas:public:due"
LSN_KEY = "atlas:public:lsn"
SEQUENCE_KEY = "atlas:public:sequence"
PAGE_KEY_PREFIX = "atlas:page"
# A response that varies on anything else is not cached (Cookie above all).
CACHEABLE_VARY = frozenset({"accept-language", "accept-encoding", "accept", "origin"})
NO_DUE = 0.0


# -- The public data version -------------------------------------------------------------------


class _CacheVersion:
    """Version counter in the shared cache; `None` when the cache is unreachable."""

    def get(self):
        version = cache.get(VERSION_KEY)
        if version is None:
            # Missing (first use, eviction, restart): start from the clock, past any old number.
            cache.add(VERSION_KEY, time.time_ns(), timeout=None)
            version = cache.get(VERSION_KEY)
        return version

    def bump(self):
        try:
            if cache.incr(VERSION_KEY) is not None:
                return
        except ValueError:  # missing key
            pass
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)

    def announced(self, sequence: int):
        cache.set(SEQUENCE_KEY, sequence, timeout=None)

    def last_announced(self):
        return cache.get(SEQUENCE_KEY)


class _FileVersion:
    """Version shared by the processes of one machine: a file that grows by a byte per change."""

    def __init__(self, path):
        self.path = os.fspath(path)

    def get(self):
        for _attempt in range(2):
            try:
                stat = os.stat(self.path)
            except FileNotFoundError:
                self.bump()
                continue
            except OSError:
                break
            return f"{stat.st_ino}.{stat.st_size}.{stat.st_mtime_ns}"
        return None  # no version, no caching

    def announced(self, sequence: int):
        self._write(".seq", str(sequence))

    def last_announced(self):
        try:
            with open(self.path + ".seq") as handle:
                return int(handle.read())
        except (OSError, ValueError):
            return None

    def lsn(self):
        try:
            with open(self.path + ".lsn") as handle:
                return handle.read().strip() or None
        except OSError:
            return None

    def set_lsn(self, lsn: str):
        self._write(".lsn", lsn)

    def _write(self, suffix: str, text: str):
        try:
            temporary = f"{self.path}{suffix}.{os.getpid()}"
            with open(temporary, "w") as handle:
                handle.write(text)
            os.replace(temporary, self.path + suffix)
        except OSError:
            logger.exception("public cache state file not writable", extra={"path": self.path})

    def bump(self):
        try:
            descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(descriptor, b".")
            finally:
                os.close(descriptor)
        except OSError:
            logger.exception("public cache version file not writable", extra={"path": self.path})


@lru_cache(maxsize=4)
def _version_store(backend: str, path: str):
    if backend.endswith("LocMemCache"):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return _FileVersion(path)
    return _CacheVersion()


def _store():
    return _version_store(
        settings.CACHES["default"]["BACKEND"], os.fspath(settings.PUBLIC_CACHE_VERSION_FILE)
    )


def public_data_changing() -> None:
    """An open transaction changed public data (called by the change log only): what its own
    connection renders from now on gets a key of its own."""
    _forget_request_state()
    _store().bump()


def public_data_changed(sequence: int) -> None:
    """Change-log entries up to `sequence` are committed: every cached page and memo from before
    them is out of date (called by the change log only)."""
    _forget_request_state()
    store = _store()
    store.announced(sequence)
    # The replica position first, then the version: a reader that sees the new version sees
    # the position it must wait for.
    if routers.replica_configured() and connections[routers.PRIMARY].vendor == "postgresql":
        try:
            with connections[routers.PRIMARY].cursor() as cursor:
                cursor.execute("SELECT pg_current_wal_lsn()::text")
                lsn = cursor.fetchone()[0]
            if isinstance(store, _FileVersion):
                store.set_lsn(lsn)
            else:
                cache.set(LSN_KEY, lsn, timeout=None)
        except Exception:
            logger.exception("could not read the primary's WAL position")
    store.bump()


def public_data_caught_up(sequence: int) -> None:
    """The log's latest committed sequence is `sequence` (publish_due tells, every minute): if the
    version was not changed for it, change it now."""
    if _store().last_announced() != sequence:
        public_data_changed(sequence)


def connect_signals() -> None:
    """Read the public state once per request (called from ready())."""
    request_started.connect(_request_begins, dispatch_uid="atlas-public-state-begins")
    request_finished.connect(_request_ends, dispatch_uid="atlas-public-state-ends")


# -- Scheduled publication -----------------------------------------------------------------------


def _publishable_models():
    from core.models import PublishableModel

    return [model for model in curated_models() if issubclass(model, PublishableModel)]


def next_due_publication(now=None) -> float:
    """Epoch seconds of the next scheduled publication on the primary, NO_DUE if none."""
    from core.models import PublicationStatus

    now = now or timezone.now()
    due = None
    for model in _publishable_models():
        first = (
            model._default_manager.using(routers.PRIMARY)
            .filter(status=PublicationStatus.PUBLISHED, published_at__gt=now)
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        if first is not None and (due is None or first < due):
            due = first
    return due.timestamp() if due else NO_DUE


# Within a request the state is read once (a list reads it for its count, its page and its records).
_UNKNOWN = object()
_request_state: ContextVar = ContextVar("atlas_public_state", default=None)


def _request_begins(**kwargs):
    _request_state.set(_UNKNOWN)


def _request_ends(**kwargs):
    _request_state.set(None)


def _forget_request_state():
    """After a change: the request's next public_state() reads the state again."""
    if _request_state.get() is not None:
        _request_state.set(_UNKNOWN)


def public_state():
    """(version, next due publication, replica position) of the public data; None if unknown.

    One round trip to a shared cache (version, due time and position in one get_many), once per
    request: a change made during the request (`public_data_changing()`) makes it read again.
    """
    known = _request_state.get()
    if known is None:  # outside a request
        return _read_public_state()
    if known is _UNKNOWN:
        known = _read_public_state()
        _request_state.set(known)
    return known


def _read_public_state():
    store = _store()
    shared = isinstance(store, _CacheVersion)
    known = cache.get_many([VERSION_KEY, DUE_KEY, LSN_KEY] if shared else [DUE_KEY, LSN_KEY])
    version = known.get(VERSION_KEY) if shared else None
    if version is None:
        version = store.get()  # a file stat, or a missing counter started afresh
        if version is None:
            return None
    due_entry = known.get(DUE_KEY)
    lsn = known.get(LSN_KEY) if shared else (store.lsn() if routers.replica_configured() else None)
    now = time.time()
    if due_entry and due_entry[0] == version and (due_entry[1] == NO_DUE or now < due_entry[1]):
        due = due_entry[1]
    else:
        # A new version or a publication that came due: look again (a few indexed queries).
        due = next_due_publication()
        cache.set(DUE_KEY, (version, due), timeout=settings.PUBLIC_CACHE_TIMEOUT)
    return version, due, lsn


def entry_timeout(due, longest: int | None = None) -> int:
    """Seconds an entry may live: `longest` (PUBLIC_CACHE_TIMEOUT), never past the next due
    publication."""
    timeout = settings.PUBLIC_CACHE_TIMEOUT if longest is None else longest
    if due != NO_DUE:
        timeout = max(1, min(timeout, int(due - time.time()) + 1))
    return timeout


# -- The middleware ------------------------------------------------------------------------------


def _vary_ok(response) -> bool:
    if not response.has_header("Vary"):
        return True
    fields = {field.strip().lower() for field in response["Vary"].split(",") if field.strip()}
    return fields <= CACHEABLE_VARY


def _cache_control_ok(response) -> bool:
    directives = response.get("Cache-Control", "").lower()
    return not any(word in directives for word in ("private", "no-store", "no-cache"))


def storable(request, response) -> bool:
    """Whether a response to an anonymous public GET may be shared with every visitor."""
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and _cache_control_ok(response)
        and _vary_ok(response)
    )


def page_key(request, version, due) -> str:
    """Cache key of a public response: URL with host, language, API Accept, version, due time."""
    parts = [
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        getattr(request, "LANGUAGE_CODE", ""),
        getattr(request, "api_language", ""),
    ]
    if request.path_info.startswith("/api/"):
        parts.append(request.headers.get("Accept", ""))
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]
    return f"{PAGE_KEY_PREFIX}:{version}:{int(due)}:{digest}"


def _api_throttles_allow(request) -> bool:
    """Run the API view's throttles for a cached hit, as DRF would; False if throttled."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True
    view_class = getattr(match.func, "cls", None)
    if view_class is None or not hasattr(view_class, "get_throttles"):
        return True
    view = view_class(**getattr(match.func, "initkwargs", {}))
    actions = getattr(match.func, "actions", None)
    if actions:
        view.action_map = actions
        view.action = actions.get(request.method.lower())
    view.args, view.kwargs = match.args, match.kwargs
    view.format_kwarg = None
    drf_request = view.initialize_request(request, *match.args, **match.kwargs)
    view.request = drf_request
    view.headers = {}
    for throttle in view.get_throttles():
        if not throttle.allow_request(drf_request, view):
            return False
    return True


class PublicCacheMiddleware:
    """Serve anonymous public GET/HEAD requests from the shared cache (see the module docstring).

    Sits last in MIDDLEWARE, so every other middleware still runs on a hit (security headers,
    CSP with a fresh nonce, language, ETag/304 through ConditionalGetMiddleware).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A request with credentials (a partner's API key) is answered by the view, which checks
        # the key: a cached page must never stand in for a 401.
        if (
            not (settings.PUBLIC_CACHE_ENABLED and routers.is_public_read(request))
            or "Authorization" in request.headers
        ):
            return self.get_response(request)
        state = public_state()
        if state is None:  # cache unreachable: serve uncached
            return self.get_response(request)
        version, due, lsn = state
        key = page_key(request, version, due)
        entry = cache.get(key)
        if entry is not None:
            if not request.path_info.startswith("/api/") or _api_throttles_allow(request):
                return self._hit(request, entry)
            return self.get_response(request)  # throttled: the view answers 429
        if routers.current_read_alias() == routers.REPLICA and not routers.replica_caught_up(lsn):
            routers.pin_primary()
        response = self.get_response(request)
        if storable(request, response):
            self._store(request, response, key, due)
            response["X-Cache"] = "MISS"
        return response

    def _store(self, request, response, key, due):
        nonce = getattr(request, "_csp_nonce", None)
        entry = {
            "status": response.status_code,
            "headers": list(response.items()),
            "content": response.content,
            "nonce": str(nonce) if nonce else None,
        }
        for attribute in ("_csp_config", "_csp_ro_config"):
            if hasattr(response, attribute):
                entry[attribute] = getattr(response, attribute)
        cache.set(key, entry, timeout=entry_timeout(due))

    def _hit(self, request, entry):
        content, headers = entry["content"], entry["headers"]
        if entry["nonce"]:
            fresh = str(request._csp_nonce)  # evaluating it puts it in this response's CSP header
            old = entry["nonce"]
            content = content.replace(old.encode(), fresh.encode())
            headers = [(name, value.replace(old, fresh)) for name, value in headers]
        response = HttpResponse(content, status=entry["status"])
        for name, value in headers:
            response[name] = value
        for attribute in ("_csp_config", "_csp_ro_config"):
            if attribute in entry:
                setattr(response, attribute, entry[attribute])
        response["X-Cache"] = "HIT"
        return response
