"""The partners' change feed: a record of what entered, changed in or left the public set.

Partners replay `/api/v1/changes/` (oldest first) to keep a copy of the public data: `upsert`
means "fetch this record again", `remove` means "delete your copy". The feed is fed by:

- signals on every curated model (save, delete, many-to-many changes). They only note which API
  records may be affected; once the transaction commits, `_record()` asks the very selectors the
  API uses whether each record is public now, compares with its latest feed entry, and writes an
  `upsert` (public, and changed or newly public) or a `remove` (was public, is not any more).
  Every record that got an entry then touches its dependants, the records whose payload embeds
  it (a dialogue's findings and recommendations, a person's dialogues, a theme's findings, ...);
- `changes_reconcile()`, run by the first read of the feed in each public data state and by
  `manage.py changes_reconcile`: rows whose scheduled `published_at` has come since the last run
  (found through the `published_at` index) and rows added in bulk are recorded, with their
  dependants;
- `changes_rebuild()` (`manage.py changes_rebuild`): compares every record with the log, for
  data written around the signals (bulk updates, raw SQL, restores).

App models are looked up lazily (`apps.get_model`), so `config` imports no app at import time.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models import Max, Subquery
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_delete
from django.utils import timezone
from django.utils.module_loading import import_string

from config.cache import public_data_changed, public_memo
from config.models import ChangeFeedCheckpoint, PublicationStatus, PublicChange, PublicChangeAction

logger = logging.getLogger(__name__)

UPSERT = PublicChangeAction.UPSERT
REMOVE = PublicChangeAction.REMOVE
SCHEDULE_CHECKPOINT = "scheduled-publication"
NEW_ROWS_CHECKPOINT = "new-rows:"
WRITER_LOCK = "writer-lock"
CHUNK = 500
MAX_ROUNDS = 50

# API resource name -> (model, selector of its public rows). The API lists these very selectors.
RESOURCES: dict[str, tuple[str, str]] = {
    "organizations": ("stakeholders.Organization", "stakeholders.selectors.organization_list_public"),
    "people": ("stakeholders.Person", "stakeholders.selectors.person_list_public"),
    "themes": ("dialogue.Theme", "dialogue.selectors.theme_list_public"),
    "series": ("dialogue.DialogueSeries", "dialogue.selectors.series_list_public"),
    "dialogues": ("dialogue.Dialogue", "dialogue.selectors.dialogue_list_public"),
    "findings": ("findings.Finding", "findings.selectors.finding_list_public"),
    "recommendations": ("findings.Recommendation", "findings.selectors.recommendation_list_public"),
}
RESOURCE_OF_MODEL = {label: resource for resource, (label, _selector) in RESOURCES.items()}
SCHEDULABLE = ("organizations", "themes", "series", "dialogues", "findings", "recommendations")

# Foreign keys whose target's payload embeds the row: model -> [(attname, resource of the target)].
# Parts of a resource (sessions of a dialogue, updates of a recommendation, ...) and the link a
# recommendation keeps to the one it follows up (listed in that one's `follow_ups`).
PARENT_LINKS: dict[str, list[tuple[str, str]]] = {
    "dialogue.Milestone": [("series_id", "series")],
    "dialogue.DialogueOrganizer": [("dialogue_id", "dialogues")],
    "dialogue.Session": [("dialogue_id", "dialogues")],
    "dialogue.DialogueDocument": [("dialogue_id", "dialogues")],
    "dialogue.Participation": [("dialogue_id", "dialogues")],
    "findings.RecommendationUpdate": [("recommendation_id", "recommendations")],
    "findings.Recommendation": [("follows_id", "recommendations")],
    "dialogue.Dialogue": [("series_id", "series")],
}

# Who embeds a resource: resource -> [(model or "model.m2m_field" through table, filter attname,
# value path, dependant resource)]. A record that gets an entry touches these.
DEPENDANTS: dict[str, list[tuple[str, str, str, str]]] = {
    "organizations": [
        ("stakeholders.Organization", "parent_id", "pk", "organizations"),
        ("stakeholders.Person", "organization_id", "pk", "people"),
        ("dialogue.DialogueOrganizer", "organization_id", "dialogue_id", "dialogues"),
        ("dialogue.Participation", "organization_id", "dialogue_id", "dialogues"),
        (
            "findings.Recommendation.addressee_organizations",
            "organization_id",
            "recommendation_id",
            "recommendations",
        ),
    ],
    "people": [("dialogue.Participation", "person_id", "dialogue_id", "dialogues")],
    "themes": [
        ("dialogue.Theme", "parent_id", "pk", "themes"),
        ("dialogue.Dialogue.themes", "theme_id", "dialogue_id", "dialogues"),
        ("dialogue.Session.themes", "theme_id", "session__dialogue_id", "dialogues"),
        ("findings.Finding.themes", "theme_id", "finding_id", "findings"),
        ("findings.Recommendation.themes", "theme_id", "recommendation_id", "recommendations"),
    ],
    "series": [("dialogue.Dialogue", "series_id", "pk", "dialogues")],
    "dialogues": [
        ("findings.Finding", "dialogue_id", "pk", "findings"),
        ("findings.Recommendation", "dialogue_id", "pk", "recommendations"),
        ("dialogue.Dialogue", "pk", "series_id", "series"),
    ],
    "findings": [
        ("findings.Recommendation.source_findings", "finding_id", "recommendation_id", "recommendations")
    ],
    "recommendations": [
        ("findings.Recommendation", "follows_id", "pk", "recommendations"),
        ("findings.Recommendation", "pk", "follows_id", "recommendations"),
        ("findings.Recommendation.source_findings", "recommendation_id", "finding_id", "findings"),
    ],
}

# Many-to-many fields whose change alters their owner's payload: (model, field) -> (owner resource,
# target resource when the target's payload lists the link too, else None).
M2M_LINKS: dict[tuple[str, str], tuple[str, str | None]] = {
    ("dialogue.Dialogue", "themes"): ("dialogues", None),
    # add()/remove() through DialogueOrganizer bulk-create and delete rows without save signals.
    ("dialogue.Dialogue", "organizers"): ("dialogues", None),
    ("dialogue.Session", "themes"): ("dialogues", None),
    ("findings.Finding", "themes"): ("findings", None),
    ("findings.Recommendation", "themes"): ("recommendations", None),
    ("findings.Recommendation", "source_findings"): ("recommendations", "findings"),
    ("findings.Recommendation", "addressee_organizations"): ("recommendations", None),
}


def _model(label: str):
    parts = label.split(".")
    model = apps.get_model(parts[0], parts[1])
    if len(parts) == 3:
        return model._meta.get_field(parts[2]).remote_field.through
    return model


def _chunks(values: Iterable, size: int = CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


# --- Membership and the log ------------------------------------------------------------------------


def public_queryset(resource: str):
    """The public rows of an API resource: the selector its API endpoint lists."""
    return import_string(RESOURCES[resource][1])()


def _public_ids(resource: str, ids: list[int], using: str) -> set[int]:
    queryset = public_queryset(resource).using(using).prefetch_related(None).order_by()
    found: set[int] = set()
    for chunk in _chunks(ids):
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
    for chunk in _chunks(ids):
        result.update(latest({"object_id__in": chunk}))
    return result


def _dependants(resource: str, ids: list[int], using: str) -> dict[str, set[int]]:
    """Records of other resources whose payload embeds any of `ids` (public or not)."""
    found: dict[str, set[int]] = defaultdict(set)
    for label, lookup, value, dependant in DEPENDANTS.get(resource, []):
        rows = _model(label)._base_manager.using(using)
        for chunk in _chunks(ids):
            found[dependant].update(
                pk
                for pk in rows.filter(**{f"{lookup}__in": chunk}).values_list(value, flat=True)
                if pk is not None
            )
    return found


def _record(items: dict[str, dict[int, bool]], *, using: str = DEFAULT_DB_ALIAS, now=None) -> int:
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
                for dependant, dependant_ids in _dependants(resource, changed, using).items():
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


def changes_record(*, resource: str, ids: Iterable[int], touched: bool = True, using: str = DEFAULT_DB_ALIAS):
    """Note that records of `resource` may have changed; recorded when the transaction commits."""
    _mark(resource, ids, using=using, touched=touched)


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
        for resource, (label, _selector) in RESOURCES.items():
            public = public_queryset(resource).using(using).prefetch_related(None).order_by()
            ids = set(public.values_list("pk", flat=True)) | set(_last_actions(resource, None, using))
            items[resource] = dict.fromkeys(ids, touch)
            last_ids[resource] = _model(label)._base_manager.using(using).aggregate(last=Max("pk"))["last"]
        written = _record(items, using=using, now=now)
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
                for resource in SCHEDULABLE:
                    due = (
                        _model(RESOURCES[resource][0])
                        ._base_manager.using(using)
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
            for resource, (label, _selector) in RESOURCES.items():
                mark = checkpoints.get(f"{NEW_ROWS_CHECKPOINT}{resource}")
                if mark is None:
                    mark = ChangeFeedCheckpoint(name=f"{NEW_ROWS_CHECKPOINT}{resource}", reached_at=now)
                new = list(
                    _model(label)
                    ._base_manager.using(using)
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
            return _record(items, using=using, now=now)
    except IntegrityError:
        # Another reader created the checkpoints at the same moment and did the work.
        return 0


# --- Collecting what a transaction touched ---------------------------------------------------------

BATCH_ATTRIBUTE = "_public_change_batch"


class _Batch:
    """Records noted during one transaction, written once it commits."""

    def __init__(self, using: str):
        self.using = using
        self.items: dict[str, dict[int, bool]] = defaultdict(dict)

    def add(self, resource: str, ids: Iterable[int], touched: bool):
        bucket = self.items[resource]
        for pk in ids:
            if pk is not None:
                bucket[pk] = bucket.get(pk, False) or touched

    def flush(self):
        connection = connections[self.using]
        if getattr(connection, BATCH_ATTRIBUTE, None) is self:
            setattr(connection, BATCH_ATTRIBUTE, None)
        items, self.items = self.items, defaultdict(dict)
        if items:
            _record(items, using=self.using)


def _mark(resource: str, ids: Iterable[int], *, using: str, touched: bool = True):
    connection = connections[using]
    if not connection.in_atomic_block:
        batch = _Batch(using)
        batch.add(resource, ids, touched)
        try:
            batch.flush()
        except Exception:  # the write itself succeeded; `changes_rebuild` repairs the log
            logger.exception("change feed: could not record %s", resource)
        return
    batch = getattr(connection, BATCH_ATTRIBUTE, None)
    # A rolled-back transaction drops its on-commit callbacks: start a fresh batch then.
    if batch is None or not any(entry[1] == batch.flush for entry in connection.run_on_commit):
        batch = _Batch(using)
        setattr(connection, BATCH_ATTRIBUTE, batch)
        transaction.on_commit(batch.flush, using=using, robust=True)
    batch.add(resource, ids, touched)


# --- Signal receivers ------------------------------------------------------------------------------

ORIGINAL_ATTRIBUTE = "_public_change_original"


def _snapshot(instance, label: str):
    links = PARENT_LINKS.get(label)
    if links:
        setattr(instance, ORIGINAL_ATTRIBUTE, [instance.__dict__.get(attname) for attname, _r in links])


def _mark_parents(instance, label: str, using: str):
    links = PARENT_LINKS.get(label, [])
    original = getattr(instance, ORIGINAL_ATTRIBUTE, None) or [None] * len(links)
    for (attname, resource), before in zip(links, original, strict=True):
        _mark(resource, [instance.__dict__.get(attname), before], using=using)


def _cited_findings(instance, using: str) -> list[int]:
    # A finding's payload carries its source document.
    finding = apps.get_model("findings", "Finding")
    return list(
        finding._base_manager.using(using).filter(source_document_id=instance.pk).values_list("pk", flat=True)
    )


def on_post_init(sender, instance, **kwargs):
    _snapshot(instance, sender._meta.label)


def on_post_save(sender, instance, using, **kwargs):
    label = sender._meta.label
    resource = RESOURCE_OF_MODEL.get(label)
    if resource:
        _mark(resource, [instance.pk], using=using)
    _mark_parents(instance, label, using)
    if label == "dialogue.DialogueDocument":
        _mark("findings", _cited_findings(instance, using), using=using)
    _snapshot(instance, label)


def on_pre_delete(sender, instance, using, **kwargs):
    # Relations vanish with the row (cascades, SET_NULL): note the dependants while they exist.
    label = sender._meta.label
    resource = RESOURCE_OF_MODEL.get(label)
    if resource:
        for dependant, ids in _dependants(resource, [instance.pk], using).items():
            _mark(dependant, ids, using=using)
    if label == "dialogue.DialogueDocument":
        _mark("findings", _cited_findings(instance, using), using=using)


def on_post_delete(sender, instance, using, **kwargs):
    label = sender._meta.label
    resource = RESOURCE_OF_MODEL.get(label)
    if resource:
        _mark(resource, [instance.pk], using=using)
    _mark_parents(instance, label, using)


_through_specs: dict | None = None


def _m2m_specs() -> dict:
    global _through_specs
    if _through_specs is None:
        specs = {}
        for (label, name), (resource, target_resource) in M2M_LINKS.items():
            field = _model(label)._meta.get_field(name)
            specs[field.remote_field.through] = (
                label,
                resource,
                target_resource,
                f"{field.m2m_field_name()}_id",
                f"{field.m2m_reverse_field_name()}_id",
            )
        _through_specs = specs
    return _through_specs


def on_m2m_changed(sender, instance, action, reverse, pk_set, using, **kwargs):
    spec = _m2m_specs().get(sender)
    if spec is None or action not in ("post_add", "post_remove", "pre_clear"):
        return
    owner_label, resource, target_resource, owner_attname, target_attname = spec
    links = sender.objects.using(using)
    if action == "pre_clear":  # the links are about to go: read them while they exist
        mine, theirs = (target_attname, owner_attname) if reverse else (owner_attname, target_attname)
        others = list(links.filter(**{mine: instance.pk}).values_list(theirs, flat=True))
    else:
        others = list(pk_set or [])
    owners, targets = (others, [instance.pk]) if reverse else ([instance.pk], others)
    if owner_label == "dialogue.Session":
        session = apps.get_model("dialogue", "Session")
        owners = list(
            session._base_manager.using(using).filter(pk__in=owners).values_list("dialogue_id", flat=True)
        )
    _mark(resource, owners, using=using)
    if target_resource:
        _mark(target_resource, targets, using=using)


def connect_signals():
    """Connect the receivers to every curated model (lazily, by label)."""
    for label in {*RESOURCE_OF_MODEL, *PARENT_LINKS}:
        uid = f"public-change-{label}"
        post_save.connect(on_post_save, sender=label, dispatch_uid=f"{uid}-save")
        pre_delete.connect(on_pre_delete, sender=label, dispatch_uid=f"{uid}-pre-delete")
        post_delete.connect(on_post_delete, sender=label, dispatch_uid=f"{uid}-delete")
        if label in PARENT_LINKS:
            post_init.connect(on_post_init, sender=label, dispatch_uid=f"{uid}-init")
    m2m_changed.connect(on_m2m_changed, dispatch_uid="public-change-m2m")
