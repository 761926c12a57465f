"""Writes shared by every publishable model: publish and unpublish."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.models import PublicationStatus, PublishableModel


def record_publish(*, record: PublishableModel, at=None) -> bool:
    """Publish one record now (or at `at`). Returns False if it was already published.

    Saves through the model so history, signals and the change feed see the change.
    """
    if record.status == PublicationStatus.PUBLISHED and record.published_at is not None and at is None:
        return False
    record.status = PublicationStatus.PUBLISHED
    record.published_at = at or record.published_at or timezone.now()
    record.save()
    return True


def record_unpublish(*, record: PublishableModel) -> bool:
    """Return one record to draft. Returns False if it was not published."""
    if record.status != PublicationStatus.PUBLISHED:
        return False
    record.status = PublicationStatus.DRAFT
    record.save()
    return True


def records_publish(*, queryset: QuerySet, user=None) -> int:
    """Publish every record of `queryset`; returns how many changed."""
    with transaction.atomic():
        return sum(record_publish(record=record) for record in queryset)


def records_unpublish(*, queryset: QuerySet, user=None) -> int:
    """Unpublish every record of `queryset`; returns how many changed."""
    with transaction.atomic():
        return sum(record_unpublish(record=record) for record in queryset)


def record_upsert(*, model, lookup: dict, values: dict, m2m: dict | None = None):
    """Create or update one row so that it holds `values`; save only when something differs.

    Translated values may be given as {"en": ..., "fr": ..., "ko": ...}; they are written to
    the per-language columns. Returns (instance, created, changed). Idempotent: a second call
    with the same values writes nothing, so neither rows nor history grow.
    """
    flat = {}
    for name, value in values.items():
        if isinstance(value, dict):
            flat.update({f"{name}_{lang}": text for lang, text in value.items()})
        else:
            flat[name] = value
    instance = model.objects.filter(**lookup).first()
    created = instance is None
    if created:
        instance = model(**lookup)
    changed = created
    for name, value in flat.items():
        if created or getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    if changed:
        instance.save()
    for name, related in (m2m or {}).items():
        manager = getattr(instance, name)
        if {obj.pk for obj in manager.all()} != {obj.pk for obj in related}:
            manager.set(related)
            changed = True
    return instance, created, changed
