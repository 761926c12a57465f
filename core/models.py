"""Shared abstract models and the one publication rule."""

from django.conf import settings
from django.db import models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SavedInTransaction(models.Model):
    """Every save runs in a transaction, so that what the change feed records on `post_save` commits
    or rolls back with the row itself (in autocommit mode the row would commit before the signal)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        if transaction.get_connection(using).in_atomic_block:
            return super().save(*args, **kwargs)
        with transaction.atomic(using=using):
            return super().save(*args, **kwargs)


class TimestampedModel(SavedInTransaction):
    """Creation and last-change times, and a version number for optimistic locking."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Raised on every save; a save based on an older version is refused."),
    )

    class Meta:
        abstract = True


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


def published_q(path: str = "", *, now=None) -> models.Q:
    """The one rule as a condition: on the rows themselves, or on the row a foreign key `path`
    leads to (e.g. "dialogue"), which filters through the join instead of a subquery."""
    prefix = f"{path}__" if path else ""
    now = now or timezone.now()
    return models.Q(**{f"{prefix}status": PublicationStatus.PUBLISHED, f"{prefix}published_at__lte": now})


class PublishableQuerySet(models.QuerySet):
    """QuerySet of records with a publication status."""

    def published(self):
        """Rows that are published and whose publication time has come. The one rule."""
        return self.filter(published_q())

    def public(self):
        """Rows the public may see; models with parents or consent narrow it further."""
        return self.published()

    # bulk_create() and update() call no save(): derived columns the database cannot compute
    # (the Korean search morphemes, core/korean.py) are filled here.
    def bulk_create(self, objs, *args, **kwargs):
        """bulk_create, with the Korean search morphemes of the rows filled."""
        from core import search

        objs = list(objs)
        search.korean_fill_rows(self.model, objs)
        return super().bulk_create(objs, *args, **kwargs)

    def update(self, **kwargs):
        """update, followed by a new analysis of the rows' Korean text when it changed."""
        from core import search

        fields = search.STORED_VECTORS.get(self.model._meta.label_lower, ())
        if not any(f"{field}_ko" in kwargs for field in fields):
            return super().update(**kwargs)
        ids = list(self.values_list("pk", flat=True))
        count = super().update(**kwargs)
        search.korean_reindex_rows(self.model, ids)
        return count


class PublishableModel(TimestampedModel):
    """A record that analysts draft, editors publish, and the public sees once published."""

    status = models.CharField(
        _("publication status"),
        max_length=16,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
        help_text=_("Only published records whose publication time has passed are public."),
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Publication time; a future time schedules the publication."),
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._fill_published_at()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self._fill_published_at()

    def _fill_published_at(self):
        # A published row always carries its publication time (also a database constraint).
        if self.status == PublicationStatus.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    @property
    def is_published(self) -> bool:
        return (
            self.status == PublicationStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


def unindexed_publication_fields() -> tuple[models.Field, models.Field]:
    """PublishableModel's `status` and `published_at` fields without their single-column indexes.

    For the large tables, whose publication lookups a covering index serves on PostgreSQL: there,
    a single-column index lures the planner into AND-ing a bitmap of every public row into each
    full-text search (some 10 ms per query at 100,000 findings). In the model body:
    `status, published_at = unindexed_publication_fields()`.
    """
    fields = []
    for name in ("status", "published_at"):
        field = PublishableModel._meta.get_field(name)
        _name, _path, args, kwargs = field.deconstruct()
        fields.append(type(field)(*args, **{**kwargs, "db_index": False}))
    return fields[0], fields[1]


def published_at_constraint(name: str) -> models.CheckConstraint:
    """Database rule: a published row has a publication time."""
    return models.CheckConstraint(
        condition=~models.Q(status=PublicationStatus.PUBLISHED) | models.Q(published_at__isnull=False),
        name=name,
        violation_error_message=_("A published record needs a publication time."),
    )


class PublicChangeAction(models.TextChoices):
    UPSERT = "upsert", _("Upsert")
    REMOVE = "remove", _("Remove")


class PublicChange(models.Model):
    """One entry of the partners' change feed: a record entered, changed in or left the public set.

    Written only by `core.changes`, in the transaction of the change; the id is the sequence
    number. A record keeps only its newest entry, which says whether partners hold it now.
    """

    resource = models.CharField(
        _("resource"), max_length=32, help_text=_("The API resource name, e.g. findings.")
    )
    object_id = models.BigIntegerField(_("record id"))
    action = models.CharField(_("action"), max_length=8, choices=PublicChangeAction.choices)
    changed_at = models.DateTimeField(_("changed at"), db_index=True)
    held_since = models.BigIntegerField(
        _("held since"),
        null=True,
        blank=True,
        help_text=_("The feed position from which partners may hold the record."),
    )

    class Meta:
        verbose_name = _("public change")
        verbose_name_plural = _("public changes")
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["resource", "object_id", "id"], name="publicchange_record_idx"),
        ]

    def __str__(self):
        return f"{self.action} {self.resource}/{self.object_id}"


class ChangeFeedCheckpoint(models.Model):
    """How far the change feed has been reconciled: scheduled publications, rows added in bulk."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    reached_at = models.DateTimeField(_("reached at"))
    last_id = models.BigIntegerField(
        _("last id"), null=True, blank=True, help_text=_("Highest record id already reconciled.")
    )

    class Meta:
        verbose_name = _("change feed checkpoint")
        verbose_name_plural = _("change feed checkpoints")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}: {self.reached_at:%Y-%m-%d %H:%M:%S}"


class PendingRevision(models.Model):
    """Changes proposed to a published record by someone who may not publish, held for an Editor.

    The record itself is untouched until an Editor approves (`core.review.revision_approve`), so
    the public, the API and the change feed keep seeing the published text. One per record: a new
    proposal replaces the previous one.
    """

    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("type of record"), on_delete=models.CASCADE
    )
    object_id = models.BigIntegerField(_("record id"))
    base_version = models.PositiveIntegerField(
        _("based on version"), help_text=_("The version of the record the proposal was made from.")
    )
    values = models.JSONField(_("proposed values"), default=dict, blank=True)
    links = models.JSONField(
        _("proposed links"), default=dict, blank=True, help_text=_("Many-to-many links, by record id.")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("pending revision")
        verbose_name_plural = _("pending revisions")
        ordering = ["-updated_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="pendingrevision_one_per_record"
            )
        ]

    def __str__(self):
        return f"{self.content_type.model}/{self.object_id}"

    @property
    def record(self):
        """The published record this revision would change (None if it was deleted)."""
        model = self.content_type.model_class()
        return model._base_manager.filter(pk=self.object_id).first() if model else None


class KoreanWord(models.Model):
    """A compound Korean search keeps whole (and still finds by its parts): the analysts' part of
    the user dictionary, beside core/data/korean_words.txt."""

    class Tag(models.TextChoices):
        COMMON_NOUN = "NNG", _("Common noun")
        PROPER_NOUN = "NNP", _("Proper noun")

    word = models.CharField(
        _("word"),
        max_length=40,
        unique=True,
        help_text=_("One compound, without spaces. Records containing it are analysed again."),
    )
    tag = models.CharField(_("part of speech"), max_length=3, choices=Tag.choices, default=Tag.COMMON_NOUN)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("Korean search word")
        verbose_name_plural = _("Korean search words")
        ordering = ["word"]

    def __str__(self):
        return self.word


class TranslationState(models.TextChoices):
    MISSING = "missing", _("Missing")
    MACHINE = "machine", _("Machine-made")
    HUMAN = "human", _("Human")
    REVIEWED = "reviewed", _("Reviewed")
    OUTDATED = "outdated", _("Outdated")


class TranslationStatus(models.Model):
    """Where one translated field of one record stands in French or Korean, and the source text it
    was made from (its hash decides `outdated`). A field without a row is `missing` when empty and
    `human` when filled: text typed by a person."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+", verbose_name=_("record type")
    )
    object_id = models.BigIntegerField(_("record id"))
    field = models.CharField(_("field"), max_length=64)
    language = models.CharField(_("language"), max_length=2)
    status = models.CharField(_("status"), max_length=8, choices=TranslationState.choices)
    is_machine = models.BooleanField(
        _("machine-made text"), default=False, help_text=_("The current text came from machine translation.")
    )
    source_hash = models.CharField(
        _("source hash"), max_length=16, help_text=_("Hash of the source text the translation was made from.")
    )
    source_text = models.TextField(_("source text"), blank=True, help_text=_("The source it was made from."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("translation status")
        verbose_name_plural = _("translation statuses")
        ordering = ["content_type", "object_id", "field", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="translationstatus_unique_field",
            ),
        ]
        indexes = [models.Index(fields=["language", "status"], name="translationstatus_todo_idx")]

    def __str__(self):
        return f"{self.content_type_id}/{self.object_id} {self.field}_{self.language}: {self.status}"


def korean_search_field():
    """`search_ko`: the Korean morphemes of a record with stored search vectors (core/korean.py)."""
    return models.TextField(
        _("Korean search morphemes"), blank=True, default="", editable=False, help_text=_("Filled on save.")
    )
