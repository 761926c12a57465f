"""Review of published records: what someone who may not publish changes is held until approved.

An Analyst's change to a published record (from its form, an inline row, a revert or an import)
becomes a `PendingRevision` holding the proposed values of every changed column (each language
column on its own) and many-to-many links. The record, and so the public site, the API and the
change feed, keep the published text. An Editor sees the revision as a diff against the published
record and approves it, which saves the record through its normal save path (history, the change
feed's one entry, the page cache), or discards it.
"""

import json
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from core.locking import EditConflict, _display, _same, content_fields, original_translated_fields
from core.models import PendingRevision, PublicationStatus, PublishableModel
from core.security import is_translator_only

# Publication is decided by publishing, never by a revision.
PUBLICATION_FIELDS = ("status", "published_at")
APPROVED_REASON = "approved pending revision"


def publish_permission(model) -> str:
    opts = model._meta
    return f"{opts.app_label}.publish_{opts.model_name}"


def may_publish(*, user, model) -> bool:
    """`user` may publish and unpublish records of `model` (and so edit published ones live)."""
    return user is not None and user.has_perm(publish_permission(model))


def publication_parent(model):
    """The foreign key through which rows of `model`, which have no publication status of their own,
    are public (a session's dialogue, an update's recommendation), or None."""
    if issubclass(model, PublishableModel):
        return None
    for field in model._meta.concrete_fields:
        if field.many_to_one and not field.null and issubclass(field.related_model, PublishableModel):
            return field
    return None


def review_required(*, instance, user) -> bool:
    """A save of `instance` by `user` must wait for an Editor: the stored row is published (or, for a
    part without a status of its own, its dialogue, series or recommendation is) and the user may
    not publish it. Translators' French and Korean text goes live, as in the admin."""
    model = type(instance)
    if instance.pk is None or (user is not None and is_translator_only(user)):
        return False
    if issubclass(model, PublishableModel):
        target, pk = model, instance.pk
    else:
        parent = publication_parent(model)
        if parent is None:
            return False
        target = parent.related_model
        pk = model._base_manager.filter(pk=instance.pk).values_list(parent.attname, flat=True).first()
    if may_publish(user=user, model=target):
        return False
    stored = target._base_manager.filter(pk=pk).values_list("status", flat=True).first()
    return stored == PublicationStatus.PUBLISHED


def _reviewed_fields(model) -> list[models.Field]:
    return [field for field in content_fields(model) if field.name not in PUBLICATION_FIELDS]


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        code = getattr(o, "code", None)  # django-countries' Country
        return code if code is not None else super().default(o)


def _jsonable(field, instance):
    return json.loads(json.dumps(field.value_from_object(instance), cls=_Encoder))


def revision_get(*, instance) -> PendingRevision | None:
    """The revision waiting for `instance`, if any."""
    content_type = ContentType.objects.get_for_model(type(instance))
    return PendingRevision.objects.filter(content_type=content_type, object_id=instance.pk).first()


def revision_propose(
    *, instance, user, links: dict[str, list[int]] | None = None, expected_version: int | None = None
) -> PendingRevision | None:
    """Hold what `instance` (changed in memory, not saved) differs in from its stored row.

    Replaces any earlier revision of the record. `links` are many-to-many field names with the
    proposed ids. Returns None (and drops an earlier revision) when nothing differs. Raises
    EditConflict when `expected_version` is no longer the stored version.
    """
    model = type(instance)
    with transaction.atomic():
        stored = model._base_manager.select_for_update().get(pk=instance.pk)
        if expected_version is not None and getattr(stored, "version", expected_version) != expected_version:
            raise EditConflict(instance, expected_version)
        values = {}
        for field in _reviewed_fields(model):
            proposed = _jsonable(field, instance)
            if not _same(proposed, _jsonable(field, stored)):
                values[field.attname] = proposed
        proposed_links = {}
        for name, ids in (links or {}).items():
            current = set(getattr(stored, name).values_list("pk", flat=True))
            if set(ids) != current:
                proposed_links[name] = sorted(ids)
        content_type = ContentType.objects.get_for_model(model)
        existing = PendingRevision.objects.filter(content_type=content_type, object_id=stored.pk)
        if not values and not proposed_links:
            existing.delete()
            return None
        revision, _created = PendingRevision.objects.update_or_create(
            content_type=content_type,
            object_id=stored.pk,
            defaults={
                "base_version": getattr(stored, "version", 0),
                "values": values,
                "links": proposed_links,
                "proposed_by": user if getattr(user, "pk", None) else None,
            },
        )
        return revision


def revision_apply_to(*, revision: PendingRevision, instance) -> None:
    """Put the proposed values on `instance` in memory (a form shows them; approval saves them)."""
    model = type(instance)
    for field in _reviewed_fields(model):
        if field.attname in revision.values:
            setattr(instance, field.attname, field.to_python(revision.values[field.attname]))


@dataclass
class RevisionChange:
    label: str
    published: str
    proposed: str


def revision_diff(*, revision: PendingRevision) -> list[RevisionChange]:
    """The revision against the published record, field by field (links included)."""
    record = revision.record
    if record is None:
        return []
    model = type(record)
    changes = []
    for field in _reviewed_fields(model):
        if field.attname not in revision.values:
            continue
        proposed = field.to_python(revision.values[field.attname])
        changes.append(
            RevisionChange(
                str(field.verbose_name),
                _display(field, getattr(record, field.attname)),
                _display(field, proposed),
            )
        )
    for name, ids in revision.links.items():
        field = model._meta.get_field(name)
        target = field.related_model._base_manager
        changes.append(
            RevisionChange(
                str(field.verbose_name),
                ", ".join(str(obj) for obj in getattr(record, name).all()) or "—",
                ", ".join(str(obj) for obj in target.filter(pk__in=ids)) or "—",
            )
        )
    return changes


def revision_approve(*, revision: PendingRevision, user) -> object:
    """Apply the revision to its record through the normal save (history, change feed), then drop it."""
    with transaction.atomic():
        record = revision.record
        if record is None:
            revision.delete()
            return None
        revision_apply_to(revision=revision, instance=record)
        record._history_user = user
        record._change_reason = APPROVED_REASON
        record.full_clean()
        record.save()
        for name, ids in revision.links.items():
            getattr(record, name).set(ids)
        revision.delete()
        return record


def revision_discard(*, revision: PendingRevision) -> None:
    """Drop a revision; the record stays as published."""
    revision.delete()


def revisions_of_parts(*, record) -> list[PendingRevision]:
    """Waiting revisions of the parts of `record` without a status of their own (its sessions...)."""
    found = []
    for content_type in ContentType.objects.filter(pk__in=PendingRevision.objects.values("content_type")):
        model = content_type.model_class()
        parent = publication_parent(model) if model is not None else None
        if parent is None or parent.related_model is not type(record):
            continue
        parts = model._base_manager.filter(**{parent.attname: record.pk}).values("pk")
        found += list(PendingRevision.objects.filter(content_type=content_type, object_id__in=parts))
    return found


def revision_list_waiting(*, limit: int = 50) -> list[PendingRevision]:
    """Revisions waiting for an Editor, newest first."""
    return list(PendingRevision.objects.select_related("content_type", "proposed_by")[:limit])


def record_diff(*, current, other) -> list[RevisionChange]:
    """Content fields where `other` (an earlier version, say) differs from `current`, publication aside:
    `published` is the current value, `proposed` the other's."""
    changes = []
    for field in _reviewed_fields(type(current)):
        now, then = getattr(current, field.attname), getattr(other, field.attname)
        if not _same(_jsonable(field, current), _jsonable(field, other)):
            changes.append(
                RevisionChange(str(field.verbose_name), _display(field, now), _display(field, then))
            )
    return changes


def translated_field_names(model) -> set[str]:
    """The translated fields of `model` (`title`, whose columns are `title_en`, `title_fr`, ...)."""
    return original_translated_fields(model)
