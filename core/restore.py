"""Deleted records, and bringing them back from their change history.

simple-history keeps a last "-" (deleted) history row for every deleted record. Deletions made
through the admin are tagged with one batch id (in `history_change_reason`) shared by the record
and everything deleted with it (a dialogue's sessions, participations, documents, organiser
roles), so restoring the record restores its batch too.

Many-to-many links (themes, addressees, source findings) are not in the history tables and are
not restored; the restored record's page says so in the admin message.
"""

import contextvars
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction

from core.curation import curated_models
from core.models import PublicationStatus

BATCH_PREFIX = "deleted-with:"
RESTORED_REASON = "restored from history"

_current_batch: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "atlas_deletion_batch", default=None
)


@contextmanager
def deletion_batch(*, label: str = ""):
    """Tag every history row written for deletions inside this block with one batch id."""
    token = _current_batch.set(f"{BATCH_PREFIX}{uuid.uuid4().hex[:12]} {label}"[:100])
    try:
        yield
    finally:
        _current_batch.reset(token)


def tag_deletion(sender, history_instance, **kwargs):
    batch = _current_batch.get()
    if batch and history_instance.history_type == "-" and not history_instance.history_change_reason:
        history_instance.history_change_reason = batch


def curated_models_with_history():
    """(model, historical model) for every curated model that keeps a change history."""
    pairs = []
    for model in curated_models():
        history = getattr(model._meta, "simple_history_manager_attribute", None)
        if history and not model.__name__.startswith("Historical"):
            pairs.append((model, getattr(model, history).model))
    return pairs


@dataclass
class DeletedRecord:
    """The last history row of a record that no longer exists."""

    model: type
    record: object  # the historical row (history_type "-")

    @property
    def pk(self):
        return getattr(self.record, self.model._meta.pk.attname)

    @property
    def label(self) -> str:
        return str(self.record.instance)

    @property
    def batch(self) -> str | None:
        reason = self.record.history_change_reason or ""
        return reason.split(" ", 1)[0] if reason.startswith(BATCH_PREFIX) else None


def deleted_record_list(*, models=None, limit: int = 200) -> list[DeletedRecord]:
    """Records deleted and not restored since, newest deletion first (staff only)."""
    found = []
    for model, historical in curated_models_with_history():
        if models is not None and model not in models:
            continue
        pk_name = model._meta.pk.attname
        live = model._base_manager.values(pk_name)
        rows = (
            historical.objects.filter(history_type="-")
            .exclude(**{f"{pk_name}__in": live})
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[: limit * 2]
        )
        seen = set()
        for row in rows:
            key = getattr(row, pk_name)
            if key in seen:
                continue
            seen.add(key)
            found.append(DeletedRecord(model, row))
    found.sort(key=lambda item: item.record.history_date, reverse=True)
    return found[:limit]


def _batch_members(batch: str) -> list[DeletedRecord]:
    members = []
    for model, historical in curated_models_with_history():
        pk_name = model._meta.pk.attname
        rows = historical.objects.filter(
            history_type="-", history_change_reason__startswith=f"{batch} "
        ).exclude(**{f"{pk_name}__in": model._base_manager.values(pk_name)})
        members += [DeletedRecord(model, row) for row in rows]
    return members


def restore_needs_publish(records: list[DeletedRecord]) -> list[DeletedRecord]:
    """The records that were published when deleted: restoring them publishes them again."""
    return [r for r in records if getattr(r.record, "status", None) == PublicationStatus.PUBLISHED]


def deleted_record_get(*, model, pk) -> DeletedRecord | None:
    """The deletion history row of record `pk` of `model`, if that record is deleted."""
    for candidate, historical in curated_models_with_history():
        if candidate is not model:
            continue
        if model._base_manager.filter(pk=pk).exists():
            return None
        row = (
            historical.objects.filter(history_type="-", **{model._meta.pk.attname: pk})
            .order_by("-history_date", "-history_id")
            .first()
        )
        return DeletedRecord(model, row) if row is not None else None
    return None


def deleted_record_batch(*, deleted: DeletedRecord) -> list[DeletedRecord]:
    """The record and everything deleted with it that is still deleted (the record first)."""
    if deleted.batch is None:
        return [deleted]
    members = _batch_members(deleted.batch)
    others = [m for m in members if not (m.model is deleted.model and m.pk == deleted.pk)]
    return [deleted, *others]


def record_restore(*, deleted: DeletedRecord, user=None) -> list:
    """Re-create a deleted record and its deletion batch from history, as they were when deleted.

    Each restored row gets the next version number and a "+" history row by `user`. Returns the
    restored instances. Many-to-many links are not restored (the history does not hold them).
    """
    restored = []
    with transaction.atomic():
        for member in deleted_record_batch(deleted=deleted):
            instance = member.record.instance
            instance.version = (member.record.version or 0) + 1
            instance._history_user = user
            instance._change_reason = RESTORED_REASON
            instance.save(force_insert=True)
            created_at = getattr(member.record, "created_at", None)
            if created_at is not None:
                # auto_now_add stamped the restore time; the record was created when it was.
                member.model._base_manager.filter(pk=instance.pk).update(created_at=created_at)
                instance.created_at = created_at
            restored.append(instance)
    return restored
