"""Shared admin building blocks: tabbed translations, history, import/export, publication."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin
from modeltranslation.admin import TabbedTranslationAdmin
from modeltranslation.translator import NotRegistered, translator
from simple_history.admin import SimpleHistoryAdmin

from config import services
from config.models import PublicationStatus

admin.site.site_header = _("Dialogue Atlas administration")
admin.site.site_title = _("Dialogue Atlas")
admin.site.index_title = _("Curate dialogues, findings and recommendations")

TARGET_LANGUAGES = ("fr", "ko")


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


class CuratedAdmin(ImportExportModelAdmin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    """Admin for a curated, translated model: tabs, history with revert, import/export."""

    list_per_page = 50
    show_full_result_count = False

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


class PublishableAdmin(CuratedAdmin):
    """Admin for a model with a publication status; only the `publish` permission publishes."""

    actions = ["publish_selected", "unpublish_selected"]
    readonly_fields = ("created_at", "updated_at")

    def publish_permission_codename(self) -> str:
        opts = self.opts
        return f"{opts.app_label}.publish_{opts.model_name}"

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm(self.publish_permission_codename())

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

    @admin.action(description=_("Publish selected records"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        count = services.records_publish(queryset=queryset, user=request.user)
        self.message_user(
            request,
            ngettext("%(count)d record published.", "%(count)d records published.", count) % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected records"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        count = services.records_unpublish(queryset=queryset, user=request.user)
        self.message_user(
            request,
            ngettext("%(count)d record unpublished.", "%(count)d records unpublished.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.display(description=_("public"), boolean=True)
    def is_public_now(self, obj):
        return obj.is_published
