"""Shared admin building blocks: tabbed translations, history, import/export, publication, trust.

Roles are enforced here, on the server, whatever a form showed or a POST claims:
- an Analyst drafts; publishing, unpublishing and deleting published rows need `publish_<model>`;
- a Translator (not also an Analyst or Editor) changes only French and Korean text;
- every save of a versioned row is checked against the version its form was based on
  (core/locking.py): a stale save is refused with a field-by-field account of what changed.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from import_export.admin import ImportExportModelAdmin
from modeltranslation.admin import TabbedTranslationAdmin
from modeltranslation.translator import NotRegistered, translator
from simple_history.admin import SimpleHistoryAdmin

from core import locking
from core.admin_actions import PublicationActionsMixin
from core.admin_review import ReviewAdminMixin
from core.models import PublicationStatus, PublishableModel, TimestampedModel
from core.restore import deletion_batch
from core.security import TRANSLATOR_LANGUAGES, is_translator_only

admin.site.site_header = _("Dialogue Atlas administration")
admin.site.site_title = _("Dialogue Atlas")
admin.site.index_title = _("Curate dialogues, findings and recommendations")

TARGET_LANGUAGES = ("fr", "ko")
VERSION_FIELD = "version"


def translation_completeness(obj) -> dict[str, int]:
    """Percent of translated fields filled in French and Korean, of those filled in English."""
    try:
        fields = translator.get_options_for_model(type(obj)).fields
    except NotRegistered:
        return {}
    filled_en = [name for name in fields if getattr(obj, f"{name}_en", "")]
    if not filled_en:
        return {lang: 100 for lang in TARGET_LANGUAGES}
    return {
        lang: round(100 * sum(1 for name in filled_en if getattr(obj, f"{name}_{lang}", "")) / len(filled_en))
        for lang in TARGET_LANGUAGES
    }


def translator_fields(model) -> set[str]:
    """The columns a Translator may change on `model`: `<field>_fr` and `<field>_ko`."""
    try:
        names = translator.get_options_for_model(model).fields
    except NotRegistered:
        return set()
    return {f"{name}_{lang}" for name in names for lang in TRANSLATOR_LANGUAGES}


def translator_readonly_fields(model) -> list[str]:
    """Every editable field of `model` except its French and Korean text (and the lock version)."""
    # The original names (`title`) stand for all their languages in modeltranslation's admin.
    allowed = translator_fields(model) | {VERSION_FIELD} | locking.original_translated_fields(model)
    names = [f.name for f in model._meta.get_fields() if getattr(f, "editable", False) and not f.auto_created]
    return [name for name in names if name not in allowed]


def refuse_non_translation_changes(obj) -> None:
    """Server-side rule for Translators: a save may differ from the stored row in fr/ko text only."""
    model = type(obj)
    current = model._base_manager.filter(pk=obj.pk).first()
    if current is None:
        raise PermissionDenied(_("Translators cannot create records."))
    allowed = translator_fields(model)
    for field in locking.content_fields(model):
        if field.name in allowed:
            continue
        if getattr(obj, field.attname) != getattr(current, field.attname):
            raise PermissionDenied(
                _("Translators may change French and Korean text only, not “%(field)s”.")
                % {"field": field.verbose_name}
            )


def is_versioned(model) -> bool:
    return issubclass(model, TimestampedModel)


class VersionField(forms.IntegerField):
    """The version a form was based on. Hidden, and never a change in itself."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)

    def has_changed(self, initial, data):
        return False


class VersionedFormMixin:
    """Carries the row version the editor saw; `clean()` refuses a save based on an older one."""

    edit_conflict = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk is not None and not instance._state.adding:
            seen = instance.version
            if getattr(instance, "_history", None) is not None:
                # A revert form shows an old copy; it applies to the row as it is now.
                seen = locking.version_current(model=type(instance), pk=instance.pk) or seen
            self.initial[VERSION_FIELD] = seen
            self.fields[VERSION_FIELD].initial = seen

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk is None or instance._state.adding:
            return cleaned
        current = locking.version_current(model=type(instance), pk=instance.pk)
        if current is None:
            return cleaned  # the row is gone: this save restores it from history
        if getattr(self, "is_inline_row", False) and not self.has_changed():
            return cleaned  # an untouched inline row is not saved, so it cannot overwrite anything
        seen = cleaned.get(VERSION_FIELD)
        if seen == current:
            return cleaned
        changes, editors = locking.version_changes(instance=instance, since=seen or 0, submitted=cleaned)
        # Re-rendered, the form is based on the current version, with the other editor's changes
        # merged into the fields this editor did not touch; fields both changed keep this
        # editor's text. Saving again is then a deliberate choice, made after reading the diff.
        self.data = self.data.copy()
        self.data[self.add_prefix(VERSION_FIELD)] = current
        merged = [change for change in changes if self._merge_current_value(change)]
        self.edit_conflict = {
            "seen": seen,
            "current": current,
            "changes": changes,
            "editors": editors,
            "merged": merged,
        }
        if seen is None:
            message = _("This form did not say which version of the record it edits. Nothing was saved.")
        else:
            message = _(
                "Someone else saved this record while you were editing it (your copy was version "
                "%(seen)s, it is now version %(current)s). Nothing was saved, and your edits are still "
                "in the form."
            ) % {"seen": seen, "current": current}
        if changes:
            changed = _("Changed meanwhile: %(fields)s.") % {"fields": ", ".join(c.label for c in changes)}
            message = f"{message} {changed}"
        raise ValidationError(message, code="stale")

    def _merge_current_value(self, change) -> bool:
        """Put the saved value of a field this editor left alone into the re-rendered form."""
        if not change.known_before or change.you_changed_it_too:
            return False
        field = self.fields.get(change.name)
        if field is None or field.disabled:
            return False
        widget = field.widget
        key = self.add_prefix(change.name)
        if isinstance(widget, forms.CheckboxInput):
            if change.now_value:
                self.data[key] = "on"
            else:
                self.data.pop(key, None)
            return True
        if isinstance(widget, forms.MultiWidget | forms.SelectMultiple) or not isinstance(
            widget, forms.widgets.Input | forms.Textarea | forms.Select
        ):
            return False
        value = field.prepare_value(change.now_value)
        self.data[key] = "" if value is None else str(value)
        return True


def versioned_form(form_class):
    """`form_class` with the hidden version field and the stale-save check."""
    if VERSION_FIELD in getattr(form_class, "declared_fields", {}):
        return form_class
    return type(form_class.__name__, (VersionedFormMixin, form_class), {VERSION_FIELD: VersionField()})


def searchable_countries(db_field, formfield):
    """Country choices (some 250) as a select with search (static/admin/js/atlas-searchable.js)."""
    if isinstance(db_field, CountryField) and formfield is not None:
        classes = formfield.widget.attrs.get("class", "")
        formfield.widget.attrs["class"] = f"{classes} atlas-searchable".strip()
    return formfield


class RoleAwareInlineMixin:
    """Inline rules: versions per row, Translators fr/ko only, no deleting published rows unasked."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return searchable_countries(db_field, super().formfield_for_dbfield(db_field, request, **kwargs))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        model = self.model
        can_delete_published = True
        if issubclass(model, PublishableModel):
            opts = model._meta
            can_delete_published = request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")

        class RoleAwareFormSet(formset):
            def _construct_form(self, i, **form_kwargs):
                form = super()._construct_form(i, **form_kwargs)
                form.is_inline_row = True
                return form

            def clean(self):
                super().clean()
                if can_delete_published:
                    return
                for form in self.deleted_forms:
                    if getattr(form.instance, "status", None) == PublicationStatus.PUBLISHED:
                        raise ValidationError(
                            _("“%(record)s” is published: only an Editor can delete it (unpublish it first).")
                            % {"record": form.instance},
                            code="published",
                        )

        RoleAwareFormSet.__name__ = formset.__name__
        return RoleAwareFormSet

    def get_exclude(self, request, obj=None):
        # `version` is a non-editable model field: the form's own hidden field stands in for it.
        exclude = list(super().get_exclude(request, obj) or [])
        return [*exclude, VERSION_FIELD] if is_versioned(self.model) else exclude or None

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if is_versioned(self.model) and VERSION_FIELD not in fields:
            fields.append(VERSION_FIELD)
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if is_translator_only(request.user):
            readonly += [name for name in translator_readonly_fields(self.model) if name not in readonly]
        return readonly


_role_aware_inlines: dict[type, type] = {}


def role_aware_inline(inline_class):
    """`inline_class` with RoleAwareInlineMixin (and a versioned form when its model has versions)."""
    if inline_class not in _role_aware_inlines:
        attrs = {"__module__": inline_class.__module__}
        if is_versioned(inline_class.model):
            attrs["form"] = versioned_form(inline_class.form)
        _role_aware_inlines[inline_class] = type(
            inline_class.__name__, (RoleAwareInlineMixin, inline_class), attrs
        )
    return _role_aware_inlines[inline_class]


class CuratedAdmin(ImportExportModelAdmin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    """Admin for a curated, translated model: tabs, history with revert, import/export."""

    list_per_page = 50
    show_full_result_count = False

    class Media:
        # Slugs that keep punctuation as word breaks; countries chosen in a select with search.
        js = (
            "admin/js/vendor/jquery/jquery.js",
            "admin/js/vendor/select2/select2.full.js",
            "admin/js/jquery.init.js",
            "admin/js/urlify.js",
            "admin/js/atlas-slug.js",
            "admin/js/atlas-searchable.js",
        )
        css = {
            "all": (
                "admin/css/vendor/select2/select2.css",
                "admin/css/autocomplete.css",
                "admin/css/atlas-lists.css",
            )
        }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return searchable_countries(db_field, super().formfield_for_dbfield(db_field, request, **kwargs))

    @admin.display(description=_("translated (FR · KO)"))
    def translation_status(self, obj):
        completeness = translation_completeness(obj)
        if not completeness:
            return "–"
        parts = []
        for lang, percent in completeness.items():
            css = "complete" if percent == 100 else "partial" if percent else "missing"
            parts.append(
                format_html(
                    '<span class="tr-{}" title="{}">{} {}%</span>', css, lang.upper(), lang.upper(), percent
                )
            )
        return format_html(" · ".join(["{}"] * len(parts)), *parts)

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        if is_versioned(model):
            self.form = versioned_form(self.form)

    # Forms: the version field, and read-only everything-but-fr/ko for Translators.

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not is_versioned(self.model) or VERSION_FIELD in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": (*options["fields"], VERSION_FIELD)}), *rest]

    def get_exclude(self, request, obj=None):
        # `version` is a non-editable model field: the form's own hidden field stands in for it.
        exclude = list(super().get_exclude(request, obj) or [])
        return [*exclude, VERSION_FIELD] if is_versioned(self.model) else exclude or None

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if is_translator_only(request.user):
            readonly += [name for name in translator_readonly_fields(self.model) if name not in readonly]
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        # A read-only field cannot be filled in from another one.
        readonly = set(self.get_readonly_fields(request, obj))
        return {
            name: sources
            for name, sources in super().get_prepopulated_fields(request, obj).items()
            if name not in readonly
        }

    def get_inlines(self, request, obj):
        return [role_aware_inline(inline) for inline in super().get_inlines(request, obj)]

    def has_import_permission(self, request):
        # An import changes what its user may change (core/resources.py): Translators French and
        # Korean text of existing rows (change), everyone else rows they may add and change.
        opts = self.opts
        user = request.user
        may_change = user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        if is_translator_only(user):
            return super().has_import_permission(request) and may_change
        return (
            super().has_import_permission(request)
            and may_change
            and user.has_perm(f"{opts.app_label}.add_{opts.model_name}")
        )

    def get_import_data_kwargs(self, **kwargs):
        # The confirmed import writes nothing if any row turns out invalid.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def process_result(self, result, request):
        for notice in getattr(result, "atlas_notices", []):
            self.message_user(request, notice, messages.INFO)
        return super().process_result(result, request)

    # Saving: Translator rule, then the optimistic lock, then the save itself.

    def save_model(self, request, obj, form, change):
        if change and is_translator_only(request.user):
            refuse_non_translation_changes(obj)
        if change and is_versioned(self.model):
            seen = form.cleaned_data.get(VERSION_FIELD) or obj.version
            if not locking.version_claim(instance=obj, expected=seen):
                raise locking.EditConflict(obj, seen)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        translator_only = is_translator_only(request.user)
        for row in formset.initial_forms:
            if row in formset.deleted_forms or not row.has_changed():
                continue
            instance = row.instance
            if translator_only:
                refuse_non_translation_changes(instance)
            if is_versioned(type(instance)):
                seen = row.cleaned_data.get(VERSION_FIELD) or instance.version
                if not locking.version_claim(instance=instance, expected=seen):
                    raise locking.EditConflict(instance, seen)
        super().save_formset(request, form, formset, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except locking.EditConflict:
            # Another save committed between this form's check and its write; the transaction
            # rolled back. Run the view again: its form now shows what changed.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        try:
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        except locking.EditConflict:
            return super().history_form_view(request, object_id, version_id, extra_context)

    # Deleting: remember what went together, so that it can be restored together.

    def delete_model(self, request, obj):
        with deletion_batch(label=str(obj)):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with deletion_batch(label=str(self.opts.verbose_name_plural)):
            super().delete_queryset(request, queryset)


class PublishableAdmin(PublicationActionsMixin, ReviewAdminMixin, CuratedAdmin):
    """Admin for a model with a publication status; only the `publish` permission publishes."""

    actions = ["publish_selected", "unpublish_selected"]
    readonly_fields = ("created_at", "updated_at")

    def publish_permission_codename(self) -> str:
        opts = self.opts
        return f"{opts.app_label}.publish_{opts.model_name}"

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm(self.publish_permission_codename())

    def has_delete_permission(self, request, obj=None):
        # Published rows are deleted by those who may unpublish them; this also covers the
        # bulk "delete selected" action, which asks for each row.
        if (
            obj is not None
            and getattr(obj, "status", None) == PublicationStatus.PUBLISHED
            and not self.has_publish_permission(request)
        ):
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if (
            not self.has_publish_permission(request)
            and obj is not None
            and obj.status == PublicationStatus.PUBLISHED
        ):
            readonly += ["status", "published_at"]
        elif not self.has_publish_permission(request):
            readonly += ["published_at"]
        return readonly

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not self.has_publish_permission(request):
            kwargs["choices"] = [
                (value, label)
                for value, label in PublicationStatus.choices
                if value != PublicationStatus.PUBLISHED
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # The server refuses, whatever the form showed: a forged POST cannot publish.
        if not self.has_publish_permission(request):
            was_published = False
            if change:
                previous = type(obj).objects.filter(pk=obj.pk).values_list("status", flat=True).first()
                was_published = previous == PublicationStatus.PUBLISHED
            if obj.status == PublicationStatus.PUBLISHED and not was_published:
                raise PermissionDenied(_("You do not have permission to publish."))
            if was_published and obj.status != PublicationStatus.PUBLISHED:
                raise PermissionDenied(_("You do not have permission to unpublish."))
        super().save_model(request, obj, form, change)

    @admin.display(description=_("public"), boolean=True)
    def is_public_now(self, obj):
        return obj.is_published
