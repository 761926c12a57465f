"""What a write touched, noted by signals on every followed model and recorded in its transaction."""

import logging
from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_delete

from core.changes.log import dependants, record
from core.changes.resources import EMBEDDED_ROWS, M2M_LINKS, PARENT_LINKS, RESOURCE_OF_MODEL

logger = logging.getLogger(__name__)


def changes_record(*, resource: str, ids: Iterable[int], touched: bool = True, using: str = DEFAULT_DB_ALIAS):
    """Record in the feed, in the current transaction, that records of `resource` may have changed."""
    _mark(resource, ids, using=using, touched=touched)


def _mark(resource: str, ids: Iterable[int], *, using: str, touched: bool = True):
    # Written now, in the transaction that made the change: it commits or rolls back with the
    # data, whatever happens to the process afterwards.
    record({resource: {pk: touched for pk in ids if pk is not None}}, using=using)


# --- Signal receivers ------------------------------------------------------------------------------

ORIGINAL_ATTRIBUTE = "_public_change_original"


def _snapshot(instance, model):
    links = PARENT_LINKS.get(model)
    if links:
        setattr(instance, ORIGINAL_ATTRIBUTE, [instance.__dict__.get(attname) for attname, _r in links])


def _mark_parents(instance, model, using: str):
    links = PARENT_LINKS.get(model, [])
    original = getattr(instance, ORIGINAL_ATTRIBUTE, None) or [None] * len(links)
    for (attname, resource), before in zip(links, original, strict=True):
        _mark(resource, [instance.__dict__.get(attname), before], using=using)


def _mark_embedding_records(sender, instance, using: str):
    # Records whose payload carries this row (findings carry their source document).
    for embedding in EMBEDDED_ROWS.get(sender, []):
        rows = embedding.model._base_manager.using(using).filter(**{embedding.lookup: instance.pk})
        _mark(embedding.resource, rows.values_list(embedding.value, flat=True), using=using)


def on_post_init(sender, instance, **kwargs):
    _snapshot(instance, sender)


def _mark_row(sender, instance, using: str):
    """Note the saved or deleted row's own record and its parents'."""
    resource = RESOURCE_OF_MODEL.get(sender)
    if resource:
        _mark(resource, [instance.pk], using=using)
    _mark_parents(instance, sender, using)


def on_post_save(sender, instance, using, raw=False, **kwargs):
    if raw:  # a fixture load (a restore) brings the log's own rows with it
        return
    _mark_row(sender, instance, using)
    _mark_embedding_records(sender, instance, using)
    _snapshot(instance, sender)


def on_pre_delete(sender, instance, using, **kwargs):
    # Relations vanish with the row (cascades, SET_NULL): note the dependants while they exist.
    resource = RESOURCE_OF_MODEL.get(sender)
    if resource:
        for dependant, ids in dependants(resource, [instance.pk], using).items():
            _mark(dependant, ids, using=using)
    _mark_embedding_records(sender, instance, using)


def on_post_delete(sender, instance, using, **kwargs):
    _mark_row(sender, instance, using)


def on_m2m_changed(sender, instance, action, reverse, pk_set, using, **kwargs):
    link = M2M_LINKS.get(sender)
    if link is None or action not in ("post_add", "post_remove", "pre_clear"):
        return
    field = link.model._meta.get_field(link.field)
    owner_attname, target_attname = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    links = sender.objects.using(using)
    if action == "pre_clear":  # the links are about to go: read them while they exist
        mine, theirs = (target_attname, owner_attname) if reverse else (owner_attname, target_attname)
        others = list(links.filter(**{mine: instance.pk}).values_list(theirs, flat=True))
    else:
        others = list(pk_set or [])
    owners, targets = (others, [instance.pk]) if reverse else ([instance.pk], others)
    if link.owner != "pk":
        owners = list(
            link.model._base_manager.using(using).filter(pk__in=owners).values_list(link.owner, flat=True)
        )
    _mark(link.resource, owners, using=using)
    if link.target_resource:
        _mark(link.target_resource, targets, using=using)


def follow(model, *, with_parents: bool) -> None:
    """Connect the row receivers to `model` (called when a model is registered)."""
    uid = f"public-change-{model._meta.label}"
    post_save.connect(on_post_save, sender=model, dispatch_uid=f"{uid}-save")
    pre_delete.connect(on_pre_delete, sender=model, dispatch_uid=f"{uid}-pre-delete")
    post_delete.connect(on_post_delete, sender=model, dispatch_uid=f"{uid}-delete")
    if with_parents:
        post_init.connect(on_post_init, sender=model, dispatch_uid=f"{uid}-init")


def connect_signals():
    """Connect the many-to-many receiver; row receivers are connected as models register."""
    m2m_changed.connect(on_m2m_changed, dispatch_uid="public-change-m2m")
