"""Where each French and Korean translation stands, field by field.

A status is one of `TranslationState`: missing (the English is there, the translation is not),
machine, human, reviewed, outdated. Only what cannot be read from the text itself is stored, in a
`TranslationStatus` row: a filled field without a row is `human` (typed by a person against the
current English), an empty one is `missing`. A row remembers the hash of the English the
translation was made from; when a save changes the English (compared by hash, not by time) and
not the translation, the translation becomes `outdated`, and the row keeps the old English for
the translators' diff. A person who then saves new text makes it `human` again.

Each app registers its translated records from its ready(), with the lookups that lead to their
dialogue and themes (for the translators' filters and the XLIFF export).
"""

import hashlib
import unicodedata
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save, pre_save

from core.models import TranslationState, TranslationStatus

SOURCE_LANGUAGE = "en"
TARGET_LANGUAGES = ("fr", "ko")


@dataclass(frozen=True)
class TranslatedRecord:
    """A registered model: the fields translators work on, and how to reach its dialogue/themes."""

    model: type
    fields: tuple[str, ...]
    dialogue: str | None = None  # lookup of the dialogue's slug, e.g. "dialogue__slug"
    themes: str | None = None  # lookup of the themes' ids, e.g. "themes"

    @property
    def name(self) -> str:
        return self.model._meta.model_name


REGISTRY: dict[type, TranslatedRecord] = {}
TODO = (TranslationState.MISSING, TranslationState.OUTDATED)


def register(
    model, *, fields: tuple[str, ...], dialogue: str | None = None, themes: str | None = None
) -> None:
    """Follow the translation status of `fields` of `model` (called from the app's ready())."""
    REGISTRY[model] = TranslatedRecord(model, tuple(fields), dialogue, themes)
    uid = f"atlas-translations-{model._meta.label_lower}"
    pre_save.connect(_remember_texts, sender=model, dispatch_uid=uid)
    post_save.connect(_follow_texts, sender=model, dispatch_uid=uid)


def source_hash(text: str | None) -> str:
    """The hash a translation's status remembers of its source text."""
    normalized = unicodedata.normalize("NFC", (text or "").strip())
    return hashlib.sha256(normalized.encode()).hexdigest()[:16]


def _columns(record: TranslatedRecord) -> list[str]:
    return [f"{field}_{lang}" for field in record.fields for lang in (SOURCE_LANGUAGE, *TARGET_LANGUAGES)]


def _remember_texts(sender, instance, raw=False, **kwargs):
    """pre_save: the texts as stored before this save (one query), to see what the save changes."""
    instance._translation_before = None
    if raw or instance.pk is None:
        return
    columns = _columns(REGISTRY[sender])
    instance._translation_before = sender._default_manager.filter(pk=instance.pk).values(*columns).first()


def _follow_texts(sender, instance, created=False, raw=False, **kwargs):
    """post_save, in the save's transaction: statuses follow what the save changed."""
    if raw:
        return
    before = getattr(instance, "_translation_before", None)
    origins = getattr(instance, "_translation_origins", {})
    instance._translation_origins = {}
    if before is None and not origins:
        return  # a new record: every filled field is human, every empty one missing
    record = REGISTRY[sender]
    content_type = ContentType.objects.get_for_model(sender)
    rows = {
        (row.field, row.language): row
        for row in TranslationStatus.objects.filter(content_type=content_type, object_id=instance.pk)
    }
    for field in record.fields:
        source = getattr(instance, f"{field}_{SOURCE_LANGUAGE}") or ""
        old_source = (before or {}).get(f"{field}_{SOURCE_LANGUAGE}", source) or ""
        for lang in TARGET_LANGUAGES:
            text = getattr(instance, f"{field}_{lang}") or ""
            old_text = (before or {}).get(f"{field}_{lang}", text) or ""
            row = rows.get((field, lang))
            key = dict(content_type=content_type, object_id=instance.pk, field=field, language=lang)
            if not text or not source:
                if row:
                    row.delete()  # empty: missing (or nothing to translate), read from the text
            elif (field, lang) in origins or text != old_text:
                # New text, made against the current source: a person's unless a service says so.
                if origins.get((field, lang)) == TranslationState.MACHINE:
                    TranslationStatus.objects.update_or_create(
                        **key,
                        defaults=dict(
                            status=TranslationState.MACHINE,
                            is_machine=True,
                            source_hash=source_hash(source),
                            source_text=source,
                        ),
                    )
                elif row:
                    row.delete()
            elif row and row.source_hash == source_hash(source):
                if row.status == TranslationState.OUTDATED:  # the source came back to what it was
                    if row.is_machine:
                        row.status = TranslationState.MACHINE
                        row.save()
                    else:
                        row.delete()
            elif row:
                if row.status != TranslationState.OUTDATED:
                    row.status = TranslationState.OUTDATED
                    row.save()
            elif source_hash(old_source) != source_hash(source):
                TranslationStatus.objects.create(
                    **key,
                    status=TranslationState.OUTDATED,
                    source_hash=source_hash(old_source),
                    source_text=old_source,
                )


def statuses_of(records) -> dict[tuple[type, int], dict[tuple[str, str], TranslationStatus]]:
    """The stored status rows of `records` (any registered models), in one query per model."""
    by_model: dict[type, list[int]] = {}
    for record in records:
        by_model.setdefault(type(record), []).append(record.pk)
    found: dict[tuple[type, int], dict] = {}
    for model, ids in by_model.items():
        content_type = ContentType.objects.get_for_model(model)
        for row in TranslationStatus.objects.filter(content_type=content_type, object_id__in=ids):
            found.setdefault((model, row.object_id), {})[(row.field, row.language)] = row
    return found


def attach_rows(records, *, language: str | None = None) -> None:
    """Set `translation_rows` on `records` of registered models (one query per model): the rows
    `record_statuses()` and `{% tfield %}` read. With `language`, only when it is a target one."""
    records = [record for record in records if type(record) in REGISTRY]
    if not records or (language is not None and language not in TARGET_LANGUAGES):
        return
    rows = statuses_of(records)
    for record in records:
        record.translation_rows = rows.get((type(record), record.pk), {})


def field_status(instance, field: str, language: str, row: TranslationStatus | None) -> str | None:
    """The status of one field in one language; None when there is no source to translate."""
    if not getattr(instance, f"{field}_{SOURCE_LANGUAGE}", ""):
        return None
    if not getattr(instance, f"{field}_{language}", ""):
        return TranslationState.MISSING
    return row.status if row else TranslationState.HUMAN


def record_statuses(instance, rows: dict | None = None) -> dict[str, dict[str, str | None]]:
    """{"fr": {field: status}, "ko": {...}} of one record; None for a field without source."""
    record = REGISTRY[type(instance)]
    if rows is None:
        rows = statuses_of([instance]).get((type(instance), instance.pk), {})
    result = {}
    for lang in TARGET_LANGUAGES:
        result[lang] = {}
        for field in record.fields:
            status = field_status(instance, field, lang, rows.get((field, lang)))
            result[lang][field] = str(status) if status else None
    return result


class MachineWouldOverwrite(ValueError):
    """Machine text was offered for a field a person wrote or reviewed."""


def translation_apply(*, instance, field: str, language: str, text: str, machine: bool = False) -> None:
    """Write one translation and its status (human, or machine). Machine text never replaces a
    person's: raises MachineWouldOverwrite when the field holds human or reviewed text."""
    if machine and getattr(instance, f"{field}_{language}", ""):
        rows = statuses_of([instance]).get((type(instance), instance.pk), {})
        row = rows.get((field, language))
        if not (row and row.is_machine):
            raise MachineWouldOverwrite(f"{field}_{language}")
    setattr(instance, f"{field}_{language}", text)
    origins = getattr(instance, "_translation_origins", {})
    origins[(field, language)] = TranslationState.MACHINE if machine else TranslationState.HUMAN
    instance._translation_origins = origins


@transaction.atomic
def translation_mark_reviewed(*, instance, field: str, language: str) -> TranslationStatus:
    """A translator checked this translation against the current source."""
    source = getattr(instance, f"{field}_{SOURCE_LANGUAGE}") or ""
    status, _created = TranslationStatus.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=instance.pk,
        field=field,
        language=language,
        defaults=dict(
            status=TranslationState.REVIEWED,
            is_machine=False,
            source_hash=source_hash(source),
            source_text=source,
        ),
    )
    # The record's representation changed (its status): a save raises its version, records it in
    # the change feed and renews cached pages, as any other edit.
    instance.save()
    return status


def _todo_condition(model, fields: tuple[str, ...], language: str, statuses) -> Q:
    """Rows that may hold a field in `statuses`, so that the rest is never read: an empty
    translation of a filled English (missing), or a status row (machine, reviewed, outdated)."""
    if TranslationState.HUMAN in statuses:
        return Q()  # `human` is the absence of a row: every filled field may be one
    condition = Q(pk__in=[])
    if TranslationState.MISSING in statuses:
        for name in fields:
            english, translated = f"{name}_{SOURCE_LANGUAGE}", f"{name}_{language}"
            filled = ~Q(**{english: ""}) & Q(**{f"{english}__isnull": False})
            condition |= filled & (Q(**{translated: ""}) | Q(**{f"{translated}__isnull": True}))
    stored = [status for status in statuses if status != TranslationState.MISSING]
    if stored:
        rows = TranslationStatus.objects.filter(
            content_type=ContentType.objects.get_for_model(model), language=language, status__in=stored
        )
        condition |= Q(pk__in=rows.values("object_id"))
    return condition


@dataclass
class Unit:
    """One field of one record in one language, as translators see it."""

    record: object
    field: str
    language: str
    status: str
    source: str
    target: str
    row: TranslationStatus | None = None

    @property
    def id(self) -> str:
        """record type, id, field and the hash of its current English: `finding:12:title:3f2a…`."""
        return f"{REGISTRY[type(self.record)].name}:{self.record.pk}:{self.field}:{source_hash(self.source)}"

    @property
    def previous_source(self) -> str | None:
        """The English this translation was made from, when it has changed since."""
        return self.row.source_text if self.row and self.status == TranslationState.OUTDATED else None


def translation_todo(
    *, language: str, statuses=TODO, model=None, dialogue: str | None = None, theme: int | None = None
) -> list[Unit]:
    """The fields in `statuses` in `language` of every registered record (or of `model`'s), of
    one dialogue (slug) or theme (id) when given; records in the order of their model then id."""
    units = []
    for registered, record in REGISTRY.items():
        if model is not None and registered is not model:
            continue
        queryset = registered._default_manager.order_by("pk")
        for lookup, value in ((record.dialogue, dialogue), (record.themes, theme)):
            if value:
                if not lookup:
                    queryset = queryset.none()
                else:
                    queryset = queryset.filter(**{lookup: value})
        queryset = queryset.filter(_todo_condition(registered, record.fields, language, statuses))
        instances = list(queryset.distinct())
        rows = statuses_of(instances)
        for instance in instances:
            stored = rows.get((registered, instance.pk), {})
            for name in record.fields:
                row = stored.get((name, language))
                status = field_status(instance, name, language, row)
                if status in statuses:
                    source = getattr(instance, f"{name}_{SOURCE_LANGUAGE}") or ""
                    target = getattr(instance, f"{name}_{language}") or ""
                    units.append(Unit(instance, name, language, status, source, target, row))
    return units
