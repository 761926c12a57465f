from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from core.admin import PublishableAdmin
from dialogue.admin import DialogueAdmin
from dialogue.models import Dialogue
from findings.models import Finding, Recommendation, RecommendationUpdate
from findings.resources import FindingResource, RecommendationResource


class FindingInline(TranslationStackedInline):
    """Findings edited from their dialogue's page (title and summary; the body on its own page)."""

    model = Finding
    extra = 0
    fields = ("order", "kind", "perspective", "perspective_country", "title", "summary", "status")
    readonly_fields = ("status",)  # publishing happens on the finding's own page, by an Editor
    show_change_link = True


@admin.register(Finding)
class FindingAdmin(PublishableAdmin):
    resource_classes = [FindingResource]
    list_display = (
        "title",
        "dialogue",
        "kind",
        "perspective",
        "status",
        "is_public_now",
        "translation_status",
    )
    list_filter = ("status", "kind", "perspective", "dialogue", "themes")
    search_fields = (
        "title_en",
        "title_fr",
        "title_ko",
        "summary_en",
        "summary_fr",
        "summary_ko",
        "body_en",
        "body_fr",
        "body_ko",
    )
    autocomplete_fields = ("dialogue", "themes", "source_document")
    list_select_related = ("dialogue",)
    fieldsets = (
        (None, {"fields": ("dialogue", "order", "kind", "perspective", "perspective_country", "themes")}),
        (_("Text"), {"fields": ("title", "summary", "body")}),
        (_("Source"), {"fields": ("source_document", "source_locator")}),
        (_("Publication"), {"fields": ("status", "published_at", "created_at", "updated_at")}),
    )


class RecommendationUpdateInline(TranslationTabularInline):
    model = RecommendationUpdate
    extra = 0
    fields = ("update_date", "status", "note", "source_url")


@admin.register(Recommendation)
class RecommendationAdmin(PublishableAdmin):
    resource_classes = [RecommendationResource]
    list_display = (
        "title",
        "dialogue",
        "current_status",
        "priority",
        "horizon",
        "status",
        "is_public_now",
        "translation_status",
    )
    list_filter = ("status", "current_status", "priority", "horizon", "dialogue", "themes")
    search_fields = ("title_en", "title_fr", "title_ko", "body_en", "body_fr", "body_ko")
    autocomplete_fields = ("dialogue", "themes", "source_findings", "addressee_organizations", "follows")
    list_select_related = ("dialogue",)
    fieldsets = (
        (None, {"fields": ("dialogue", "order", "title", "body", "themes", "source_findings")}),
        (
            _("Addressees and progress"),
            {
                "fields": (
                    "addressee_organizations",
                    "addressee_countries",
                    "priority",
                    "horizon",
                    "current_status",
                    "follows",
                    "follow_up_kind",
                )
            },
        ),
        (_("Publication"), {"fields": ("status", "published_at", "created_at", "updated_at")}),
    )
    inlines = [RecommendationUpdateInline]


# The dialogue's page also lists its findings; registered here so `dialogue` never imports `findings`.
admin.site.unregister(Dialogue)


@admin.register(Dialogue)
class DialogueWithFindingsAdmin(DialogueAdmin):
    inlines = [*DialogueAdmin.inlines, FindingInline]
