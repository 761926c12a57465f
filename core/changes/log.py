"""The feed's log: is a record public, what did partners last hear of it, and the entries to write."""

import logging
from collections import defaultdict

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models import Max, Subquery
from django.utils import timezone

from core.cache import public_data_caught_up, public_data_changed, public_data_changing
from core.changes.resources import (
    CHUNK,
    DEPENDANTS,
    MAX_ROUNDS,
    NEW_ROWS_CHECKPOINT,
    REMOVE,
    RESOURCES,
    SCHEDULE_CHECKPOINT,
    UPSERT,
    WRITER_LOCK_KEY,
    chunks,
)
from core.memo import public_memo
from core.models import ChangeFeedCheckpoint, PublicationStatus, PublicChange

logger = logging.getLogger(__name__)

# --- Membership and the log ------------------------------------------------------------------------


def public_queryset(resource: str):
    """The public rows of an API resource, without related rows: the selector its app registered."""
    return RESOURCES[resource].public()


def _public_ids(resource: str, ids: list[int], using: str) -> set[int]:
    queryset = public_queryset(resource).using(using).order_by()
    found: set[int] = set()
    for chunk in chunks(ids):
        found.update(queryset.filter(pk__in=chunk).values_list("pk", flat=True))
    return found


def _last_entries(resource: str, ids: list[int] | None, using: str) -> dict[int, tuple[str, int | None]]:
    """The latest feed entry of each record, as (action, held since); all records of the resource
    when ids is None."""
    log = PublicChange.objects.using(using)

    def latest(filters):
        newest = log.filter(resource=resource, **filters).values("object_id").annotate(last=Max("pk"))
        rows = log.filter(pk__in=Subquery(newest.values("last"))).values_list(
            "object_id", "action", "held_since"
        )
        return {pk: (action, held) for pk, action, held in rows}

    if ids is None:
        return latest({})
    result: dict[int, tuple[str, int | None]] = {}
    for chunk in chunks(ids):
        result.update(latest({"object_id__in": chunk}))
    return result


def dependants(resource: str, ids: list[int], using: str) -> dict[str, set[int]]:
    """Records of other resources whose payload embeds any of `ids` (public or not)."""
    found: dict[str, set[int]] = defaultdict(set)
    for embedding in DEPENDANTS.get(resource, []):
        rows = embedding.model._base_manager.using(using)
        for chunk in chunks(ids):
            found[embedding.resource].update(
                pk
                for pk in rows.filter(**{f"{embedding.lookup}__in": chunk}).values_list(
                    embedding.value, flat=True
                )
                if pk is not None
            )
    return found


def record(items: dict[str, dict[int, bool]], *, using: str = DEFAULT_DB_ALIAS, now=None) -> int:
    """Write, in the current transaction, the feed entries that `items` call for; returns how
    many entries were written or changed.

    `items` maps a resource to {record id: touched}. A touched public record gets an `upsert`
    (its payload may have changed); an untouched one only if partners do not hold it yet. A record
    that is not public gets a `remove` if partners hold it. Each record whose entry changed touches
    its dependants, round after round. Within one transaction a record has at most one entry,
    which later calls revise (an `upsert` that a later change of the same transaction makes a
    `remove`, say); a record's older entries are deleted when it gets a new one, so a replay from
    empty reads one entry per record.
    """
    if not any(items.values()):
        return 0
    with transaction.atomic(using=using):
        state = _transaction_state(using)
        return _record_locked(items, state=state, using=using, now=now or timezone.now())


def _lock_writer(using: str):
    """One writer at a time, until its transaction ends: each reads the log and the public set,
    then writes, and sequence numbers become visible in the order they were given.

    PostgreSQL: a transaction-level advisory lock (no row to create, so nothing a restore could
    collide with). SQLite: the transaction began IMMEDIATE, which already holds the write lock.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WRITER_LOCK_KEY])


STATE_ATTRIBUTE = "_public_change_state"


class _TransactionState:
    """What this transaction already wrote to the log, and what partners held before it."""

    def __init__(self, connection, floor: int):
        self.connection = connection
        # Latest (action, held since) of each record in earlier transactions, None if it has none.
        self.before: dict[tuple[str, int], tuple[str, int | None] | None] = {}
        self.written: dict[tuple[str, int], str] = {}  # this transaction's entry of each record
        # Above every sequence number partners can have read: where a newly held record starts.
        self.floor = floor
        self.sequence = 0  # the highest sequence number this transaction wrote

    def end(self):
        """Once its transaction committed (an on-commit callback): forget this state, and if it
        wrote entries, tell the page cache and memos that public data changed. This is the one
        place that decides it; everything downstream follows the log."""
        if getattr(self.connection, STATE_ATTRIBUTE, None) is self:
            setattr(self.connection, STATE_ATTRIBUTE, None)
        if self.sequence:
            try:
                public_data_changed(max(self.sequence, _latest_sequence_on(self.connection.alias)))
            except Exception:  # committed already: publish_due repairs the version within a minute
                logger.exception("public data version not updated after a commit")


def _transaction_state(using: str) -> _TransactionState:
    """The state of the outermost transaction on `using`, made (with the writer lock) on first use.

    A rolled-back transaction drops its on-commit callbacks, and with them this state's `end`:
    a state whose `end` is no longer pending belongs to a transaction that is over.
    """
    connection = connections[using]
    state = getattr(connection, STATE_ATTRIBUTE, None)
    if state is not None and any(entry[1] == state.end for entry in connection.run_on_commit):
        return state
    _lock_writer(using)
    last = PublicChange.objects.using(using).aggregate(last=Max("pk"))["last"] or 0
    state = _TransactionState(connection, floor=last + 1)
    setattr(connection, STATE_ATTRIBUTE, state)
    transaction.on_commit(state.end, using=using)
    return state


def _desired_action(*, public: bool, touched: bool, before: str | None, written: str | None):
    if public:
        return UPSERT if touched or before != UPSERT or written == UPSERT else None
    return REMOVE if before == UPSERT else None


def _record_locked(items: dict[str, dict[int, bool]], *, state: _TransactionState, using: str, now) -> int:
    log = PublicChange.objects.using(using)
    changes = 0
    revised = False
    queue = items
    for _round in range(MAX_ROUNDS):
        if not queue:
            break
        following: dict[str, dict[int, bool]] = defaultdict(dict)
        for resource, wanted in queue.items():
            ids = sorted(pk for pk in wanted if pk is not None)
            if not ids:
                continue
            public = _public_ids(resource, ids, using)
            unknown = [pk for pk in ids if (resource, pk) not in state.before]
            last = _last_entries(resource, unknown, using) if unknown else {}
            for pk in unknown:
                state.before[(resource, pk)] = last.get(pk)
            entries: dict[int, tuple[str | None, int | None]] = {}  # pk -> (action, held since)
            new: list[int] = []
            for pk in ids:
                key = (resource, pk)
                before_action, before_held = state.before[key] or (None, None)
                written = state.written.get(key)
                action = _desired_action(
                    public=pk in public, touched=wanted[pk], before=before_action, written=written
                )
                if action == written:
                    # Changed again in this transaction: its entry stands, the data moved on.
                    revised = revised or (wanted[pk] and action == UPSERT)
                    continue
                # The lowest position from which a partner may hold the record: carried over from
                # its earlier entry (a remove compacted away by a later upsert was never read by
                # partners who held the record before it), above everything readable for a
                # record new to the feed. A remove matters only to partners at or past it.
                held = before_held if state.before[key] is not None else state.floor
                entries[pk] = (action, held)
                if written is None:
                    new.append(pk)
                if action is None:
                    state.written.pop(key)
                else:
                    state.written[key] = action
            fresh = set(new)
            gone = new + [pk for pk, (action, _held) in entries.items() if action is None]
            for chunk in chunks(gone):  # a record keeps only its newest entry
                log.filter(resource=resource, object_id__in=chunk).delete()
            for pk, (action, held) in entries.items():
                if action is not None and pk not in fresh:
                    log.filter(resource=resource, object_id=pk).update(
                        action=action, held_since=held, changed_at=now
                    )
            created = log.bulk_create(
                [
                    PublicChange(
                        resource=resource,
                        object_id=pk,
                        action=entries[pk][0],
                        held_since=entries[pk][1],
                        changed_at=now,
                    )
                    for pk in new
                ],
                batch_size=CHUNK,
            )
            state.sequence = max([state.sequence, *(entry.pk for entry in created)])
            changes += len(entries)
            if entries:
                for dependant, dependant_ids in dependants(resource, list(entries), using).items():
                    for pk in dependant_ids:
                        following[dependant][pk] = True
        queue = following
    else:  # pragma: no cover - each round only follows records whose entry changed
        logger.warning("change feed: dependants still pending after %s rounds", MAX_ROUNDS)
    if (changes or revised) and state.sequence:
        public_data_changing()
    return changes


# --- Public entry points ---------------------------------------------------------------------------


def change_list_public():
    """The change feed in sequence order (`seq`, the entry's id): which records changed and how,
    never their content. Reading it writes nothing."""
    return PublicChange.objects.order_by("pk")


def _latest_sequence_on(using: str) -> int:
    return PublicChange.objects.using(using).aggregate(last=Max("pk"))["last"] or 0


def record_versions(resource: str, ids) -> dict[int, int] | None:
    """The version of each record of `resource` in `ids`: the sequence number of its newest entry
    (0 if it has none). A record's API payload and its page change only with a new entry of its own
    (an edit, a publication, or a change of a record it embeds, which touches it as a dependant),
    so caches key each record's representations by it (core.memo.record_memo_many). None when
    `resource` is not followed by the log. One query.
    """
    if resource not in RESOURCES:
        return None
    rows = (
        PublicChange.objects.filter(resource=resource, object_id__in=list(ids))
        .values_list("object_id")
        .annotate(last=Max("pk"))
        .order_by()
    )
    return dict(rows)


def writing_public_changes(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether this connection's open transaction wrote log entries: what it reads may never be
    committed, and its entries may still be revised, so nothing it builds may be kept under them.

    A state left on the connection by a transaction that rolled back (its `end` no longer pending)
    is not this one's: a persistent connection would otherwise keep nothing after such a request.
    """
    connection = connections[using]
    state = getattr(connection, STATE_ATTRIBUTE, None)
    return state is not None and any(entry[1] == state.end for entry in connection.run_on_commit)


def latest_sequence() -> int:
    """The sequence number of the newest entry of the feed, 0 when it is empty (memoized per public
    data state, which every write of the log changes)."""
    return public_memo("changes:latest", lambda: PublicChange.objects.aggregate(last=Max("pk"))["last"] or 0)


def _save_checkpoints(*, using: str, now, last_ids: dict[str, int | None]):
    ChangeFeedCheckpoint.objects.using(using).update_or_create(
        name=SCHEDULE_CHECKPOINT, defaults={"reached_at": now}
    )
    for resource, last_id in last_ids.items():
        ChangeFeedCheckpoint.objects.using(using).update_or_create(
            name=f"{NEW_ROWS_CHECKPOINT}{resource}", defaults={"reached_at": now, "last_id": last_id}
        )


def changes_rebuild(*, touch: bool = False, using: str = DEFAULT_DB_ALIAS) -> int:
    """Reconcile the whole log with the public set; returns how many entries were written.

    Every public record partners do not hold gets an `upsert`, every record they hold that is no
    longer public a `remove` (with `touch`, every public record gets an `upsert`). For data written
    around the signals: bulk updates, raw SQL, restores. Also resets the reconciliation checkpoints.
    """
    now = timezone.now()
    with transaction.atomic(using=using):
        items: dict[str, dict[int, bool]] = {}
        last_ids: dict[str, int | None] = {}
        for resource, spec in RESOURCES.items():
            public = public_queryset(resource).using(using).order_by()
            ids = set(public.values_list("pk", flat=True)) | set(_last_entries(resource, None, using))
            items[resource] = dict.fromkeys(ids, touch)
            last_ids[resource] = spec.model._base_manager.using(using).aggregate(last=Max("pk"))["last"]
        written = record(items, using=using, now=now)
        _save_checkpoints(using=using, now=now, last_ids=last_ids)
    return written


def publish_due(*, using: str = DEFAULT_DB_ALIAS, now=None) -> int:
    """Record what came public without a signal since the last run; returns entries written.

    Scheduled publications whose time came (`published_at` in (last run, now], one indexed range
    query per publishable model) and rows added in bulk (ids above the last one seen, one
    primary-key range query per resource). `manage.py publish_due` runs it (cron, or `make run`
    every minute). The first run ever rebuilds the whole log instead.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic(using=using):
            checkpoints = {
                checkpoint.name: checkpoint
                for checkpoint in ChangeFeedCheckpoint.objects.using(using).select_for_update()
            }
            schedule = checkpoints.get(SCHEDULE_CHECKPOINT)
            if schedule is None:
                return changes_rebuild(using=using)
            items: dict[str, dict[int, bool]] = defaultdict(dict)
            if schedule.reached_at < now:
                for resource in (spec.name for spec in RESOURCES.values() if spec.schedulable):
                    due = (
                        RESOURCES[resource]
                        .model._base_manager.using(using)
                        .filter(
                            status=PublicationStatus.PUBLISHED,
                            published_at__gt=schedule.reached_at,
                            published_at__lte=now,
                        )
                        .values_list("pk", flat=True)
                    )
                    items[resource].update(dict.fromkeys(due, False))
                schedule.reached_at = now
                schedule.save(update_fields=["reached_at"])
            for resource, spec in RESOURCES.items():
                mark = checkpoints.get(f"{NEW_ROWS_CHECKPOINT}{resource}")
                if mark is None:
                    mark = ChangeFeedCheckpoint(name=f"{NEW_ROWS_CHECKPOINT}{resource}", reached_at=now)
                new = list(
                    spec.model._base_manager.using(using)
                    .filter(pk__gt=mark.last_id or 0)
                    .order_by()
                    .values_list("pk", flat=True)
                )
                if new or mark.pk is None:
                    for pk in new:
                        items[resource].setdefault(pk, False)
                    mark.last_id = max(new, default=mark.last_id)
                    mark.reached_at = now
                    mark.save(using=using)
            written = record(items, using=using, now=now)
    except IntegrityError:
        # Another reader created the checkpoints at the same moment and did the work.
        written = 0
    # Also what keeps the page cache's version up to the log if a process died between its
    # commit and its report.
    public_data_caught_up(_latest_sequence_on(using))
    return written
