"""The feed's log: is a record public, what did partners last hear of it, and the entries to write."""

import logging
from collections import defaultdict

from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.db.models import Max, Subquery
from django.utils import timezone

from core.cache import public_data_changed, public_memo
from core.changes.resources import (
    CHUNK,
    DEPENDANTS,
    MAX_ROUNDS,
    NEW_ROWS_CHECKPOINT,
    REMOVE,
    RESOURCES,
    SCHEDULE_CHECKPOINT,
    UPSERT,
    WRITER_LOCK,
    chunks,
)
from core.models import ChangeFeedCheckpoint, PublicationStatus, PublicChange

logger = logging.getLogger(__name__)

# --- Membership and the log ------------------------------------------------------------------------


def public_queryset(resource: str):
    """The public rows of an API resource: the selector its API endpoint lists."""
    return RESOURCES[resource].public()


def _public_ids(resource: str, ids: list[int], using: str) -> set[int]:
    queryset = public_queryset(resource).using(using).prefetch_related(None).order_by()
    found: set[int] = set()
    for chunk in chunks(ids):
        found.update(queryset.filter(pk__in=chunk).values_list("pk", flat=True))
    return found


def _last_actions(resource: str, ids: list[int] | None, using: str) -> dict[int, str]:
    """The latest feed action of each record (all records of the resource when ids is None)."""
    log = PublicChange.objects.using(using)

    def latest(filters):
        newest = log.filter(resource=resource, **filters).values("object_id").annotate(last=Max("pk"))
        return dict(log.filter(pk__in=Subquery(newest.values("last"))).values_list("object_id", "action"))

    if ids is None:
        return latest({})
    result: dict[int, str] = {}
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
    """Write the feed entries that `items` call for; returns how many were written.

    `items` maps a resource to {record id: touched}. A touched public record gets an `upsert`
    (its payload may have changed); an untouched one only if it was not public before. A record
    that is not public gets a `remove` if partners hold it. Each record that got an entry touches
    its dependants, round after round, each record at most once.
    """
    if not any(items.values()):
        return 0
    with transaction.atomic(using=using):
        _lock_writer(using)
        return _record_locked(items, using=using, now=now or timezone.now())


def _lock_writer(using: str):
    """One writer at a time: a flush reads the log and the public set, then writes; another flush
    in between could otherwise leave an upsert for a record that just left the public set."""
    lock = ChangeFeedCheckpoint.objects.using(using).select_for_update().filter(name=WRITER_LOCK)
    if not list(lock):
        try:
            with transaction.atomic(using=using):
                ChangeFeedCheckpoint.objects.using(using).create(name=WRITER_LOCK, reached_at=timezone.now())
        except IntegrityError:
            pass
        list(lock)


def _record_locked(items: dict[str, dict[int, bool]], *, using: str, now) -> int:
    entries: list[PublicChange] = []
    settled: dict[tuple[str, int], bool] = {}
    queue = items
    for _round in range(MAX_ROUNDS):
        if not queue:
            break
        following: dict[str, dict[int, bool]] = defaultdict(dict)
        for resource, wanted in queue.items():
            wanted = {
                pk: touched
                for pk, touched in wanted.items()
                if not settled.get((resource, pk)) and ((resource, pk) not in settled or touched)
            }
            if not wanted:
                continue
            ids = sorted(wanted)
            public = _public_ids(resource, ids, using)
            last = _last_actions(resource, ids, using)
            changed = []
            for pk in ids:
                action = None
                if pk in public:
                    if wanted[pk] or last.get(pk) != UPSERT:
                        action = UPSERT
                elif last.get(pk) == UPSERT:
                    action = REMOVE
                if action:
                    entries.append(
                        PublicChange(resource=resource, object_id=pk, action=action, changed_at=now)
                    )
                    changed.append(pk)
                settled[(resource, pk)] = wanted[pk] or action is not None
            if changed:
                for dependant, dependant_ids in dependants(resource, changed, using).items():
                    for pk in dependant_ids:
                        if not settled.get((dependant, pk)):
                            following[dependant][pk] = True
        queue = following
    else:  # pragma: no cover - the graph is finite and each record settles once
        logger.warning("change feed: dependants still pending after %s rounds", MAX_ROUNDS)
    PublicChange.objects.using(using).bulk_create(entries, batch_size=CHUNK)
    if entries:
        # The feed is public data too: a feed page or count kept from before these entries (the
        # signals' own invalidation may have come first) must not outlive them.
        public_data_changed(using=using)
    return len(entries)


# --- Public entry points ---------------------------------------------------------------------------


def change_list_public():
    """The change feed, oldest first: which records changed and how, never their content.

    Reconciled first (`changes_reconcile()`), once per public data state: after any change and
    whenever a scheduled publication comes due, the next reader records what came public without
    a signal. Rows written around the signals count once `public_data_changed()` says so, the
    rule the page cache already sets for them.
    """
    public_memo("changes:reconciled", changes_reconcile)
    return PublicChange.objects.order_by("pk")


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
            public = public_queryset(resource).using(using).prefetch_related(None).order_by()
            ids = set(public.values_list("pk", flat=True)) | set(_last_actions(resource, None, using))
            items[resource] = dict.fromkeys(ids, touch)
            last_ids[resource] = spec.model._base_manager.using(using).aggregate(last=Max("pk"))["last"]
        written = record(items, using=using, now=now)
        _save_checkpoints(using=using, now=now, last_ids=last_ids)
        # What was written around the signals never invalidated the cached pages and counts.
        public_data_changed(using=using)
    return written


def changes_reconcile(*, using: str = DEFAULT_DB_ALIAS, now=None) -> int:
    """Record what came public without a signal since the last run; returns entries written.

    Scheduled publications whose time came (`published_at` in (last run, now], one indexed range
    query per publishable model) and rows added in bulk (ids above the last one seen, one
    primary-key range query per resource). The feed runs it once per public data state
    (`change_list_public()`). The first run ever rebuilds the whole log instead.
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
            return record(items, using=using, now=now)
    except IntegrityError:
        # Another reader created the checkpoints at the same moment and did the work.
        return 0
