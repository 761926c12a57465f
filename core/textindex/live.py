"""Keeping one process's index current with the public data (see core.textindex)."""

import datetime
import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.utils import timezone

from core.textindex.index import FORMAT, TextIndex

logger = logging.getLogger(__name__)

# How far before its last look the index looks again for scheduled publications (clock skew).
DUE_MARGIN_SECONDS = 5
SNAPSHOT_TIMEOUT = 7 * 86400


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
