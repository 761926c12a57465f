"""Optimistic locking: every save of a versioned row raises its version; a stale save is refused.

`TimestampedModel.version` starts at 1. Any save of an existing row (admin, services, imports)
raises it by one (the `pre_save` receiver below), so an edit based on an older copy can always
be told apart. The admin claims the row atomically before it writes:

    UPDATE <table> SET version = <seen> + 1 WHERE id = <pk> AND version = <seen>

and refuses the save when no row matched (someone saved in between), showing what changed.
"""

from dataclasses import dataclass

from django.db import models
from modeltranslation.translator import NotRegistered, translator

from core.models import TimestampedModel

# Bookkeeping columns: they always differ between versions and say nothing about content.
# Bookkeeping, and columns derived from the content (the Korean search morphemes, not in history).
BOOKKEEPING = frozenset({"version", "created_at", "updated_at", "search_ko"})


class EditConflict(Exception):
    """A save based on version `expected` lost the race: the row is at another version now."""

    def __init__(self, instance, expected: int):
        super().__init__(f"{type(instance).__name__} {instance.pk}: version {expected} is stale")
        self.instance = instance
        self.expected = expected


def version_bump(sender, instance, raw=False, **kwargs):
    """Raise the version on every save of an existing versioned row (not on fixture loads)."""
    if raw or not isinstance(instance, TimestampedModel) or instance._state.adding:
        return
    if getattr(instance, "_version_claimed", False):
        # version_claim() already moved the row (and this instance) to the next version.
        instance._version_claimed = False
        return
    instance.version = (instance.version or 0) + 1


def version_current(*, model, pk) -> int | None:
    """The row's version in the database now, or None if the row does not exist."""
    return model._base_manager.filter(pk=pk).values_list("version", flat=True).first()


def version_claim(*, instance: TimestampedModel, expected: int) -> bool:
    """Atomically move the row from version `expected` to `expected + 1`, then let `instance` save.

    Returns False, changing nothing, when the row is at another version. A row that no longer
    exists (a deleted record being restored from history) is claimed as new. Call inside the
    transaction that saves `instance`: the claimed row stays locked until it commits.
    """
    model = type(instance)
    claimed = model._base_manager.filter(pk=instance.pk, version=expected).update(version=expected + 1)
    if not claimed:
        if version_current(model=model, pk=instance.pk) is not None:
            return False
        instance.version = expected + 1
        return True
    instance.version = expected + 1
    instance._version_claimed = True
    return True


def original_translated_fields(model) -> set[str]:
    """The raw columns behind translated fields (`title`): their content is in `title_<lang>`."""
    try:
        return set(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return set()


def content_fields(model) -> list[models.Field]:
    """Fields whose values are the record's content: what a diff compares."""
    skip = BOOKKEEPING | original_translated_fields(model)
    return [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in skip]


@dataclass
class FieldChange:
    """One field that differs between the copy an editor started from and the saved row."""

    name: str
    label: str
    was: str  # as displayed; "?" when the history does not know
    now: str
    yours: str | None = None
    now_value: object = None
    known_before: bool = True
    you_changed_it_too: bool = True


def _display(field: models.Field, value) -> str:
    if value in (None, ""):
        return "—"
    if field.choices:
        flat = dict(field.flatchoices)
        if isinstance(value, list | tuple):
            return ", ".join(str(flat.get(v, v)) for v in value)
        return str(flat.get(value, value))
    if isinstance(field, models.ForeignKey):
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= 400 else text[:399] + "…"


def _label(field: models.Field) -> str:
    return str(field.verbose_name)


def version_changes(*, instance: TimestampedModel, since: int, submitted: dict | None = None):
    """What changed in the saved row since version `since`, field by field.

    `was` comes from the change history (the row as it was at version `since`), `now` from the
    database, `yours` from `submitted` (the stale form's cleaned data). Without a history row
    for `since`, every field where the submission differs from the saved row is listed.
    Returns (changes, editors): editors are (user, time) of the saves made since `since`.
    """
    model = type(instance)
    current = model._base_manager.filter(pk=instance.pk).first()
    if current is None:
        return [], []
    history = getattr(current, "history", None)
    before = editors = None
    if history is not None:
        before = history.filter(version=since).order_by("-history_date", "-history_id").first()
        editors = [
            (record.history_user, record.history_date)
            for record in history.filter(version__gt=since)
            .select_related("history_user")
            .order_by("history_date")
        ]
    changes = []
    for field in content_fields(model):
        now_value = getattr(current, field.attname)
        yours_value = missing = object()
        if submitted is not None and field.name in submitted:
            yours_value = getattr(submitted[field.name], "pk", submitted[field.name])
        yours = None if yours_value is missing else _display(field, yours_value)
        if before is not None:
            was_value = getattr(before, field.attname)
            if _same(was_value, now_value):
                continue
            both = yours_value is not missing and not _same(yours_value, was_value)
            changes.append(
                FieldChange(
                    field.name,
                    _label(field),
                    _display(field, was_value),
                    _display(field, now_value),
                    yours,
                    now_value,
                    known_before=True,
                    you_changed_it_too=both,
                )
            )
        elif yours_value is not missing and not _same(yours_value, now_value):
            changes.append(
                FieldChange(
                    field.name, _label(field), "?", _display(field, now_value), yours, now_value, False
                )
            )
    return changes, editors or []


def _as_strings(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return str(value).split(",") if value else []


def _same(a, b) -> bool:
    """Equal as stored: None and "" are the same empty text; lists compare item by item."""
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, list | tuple) or isinstance(b, list | tuple):
        return _as_strings(a) == _as_strings(b)
    return a == b
