"""What each transaction touched, noted by signals on every curated model and recorded on commit."""

import logging
from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_delete

from config.changes.log import dependants, record
from config.changes.resources import M2M_LINKS, PARENT_LINKS, RESOURCE_OF_MODEL, model_of

logger = logging.getLogger(__name__)


def changes_record(*, resource: str, ids: Iterable[int], touched: bool = True, using: str = DEFAULT_DB_ALIAS):
    """Note that records of `resource` may have changed; recorded when the transaction commits."""
    _mark(resource, ids, using=using, touched=touched)


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
            record(items, using=self.using)


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


def _mark_row(sender, instance, using: str) -> str:
    """Note the saved or deleted row's own record and its parents'; returns the model's label."""
    label = sender._meta.label
    resource = RESOURCE_OF_MODEL.get(label)
    if resource:
        _mark(resource, [instance.pk], using=using)
    _mark_parents(instance, label, using)
    return label


def on_post_save(sender, instance, using, **kwargs):
    label = _mark_row(sender, instance, using)
    if label == "dialogue.DialogueDocument":
        _mark("findings", _cited_findings(instance, using), using=using)
    _snapshot(instance, label)


def on_pre_delete(sender, instance, using, **kwargs):
    # Relations vanish with the row (cascades, SET_NULL): note the dependants while they exist.
    label = sender._meta.label
    resource = RESOURCE_OF_MODEL.get(label)
    if resource:
        for dependant, ids in dependants(resource, [instance.pk], using).items():
            _mark(dependant, ids, using=using)
    if label == "dialogue.DialogueDocument":
        _mark("findings", _cited_findings(instance, using), using=using)


def on_post_delete(sender, instance, using, **kwargs):
    _mark_row(sender, instance, using)


_through_specs: dict | None = None


def _m2m_specs() -> dict:
    global _through_specs
    if _through_specs is None:
        specs = {}
        for (label, name), (resource, target_resource) in M2M_LINKS.items():
            field = model_of(label)._meta.get_field(name)
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
