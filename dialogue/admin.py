from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from core.admin import CuratedAdmin, PublishableAdmin
from dialogue.models import (
    Dialogue,
    DialogueDocument,
    DialogueOrganizer,
    DialogueSeries,
    Milestone,
    Participation,
    Session,
    Theme,
)
from dialogue.resources import DialogueResource, ThemeResource
from dialogue.views import dropped_in_words


@admin.register(Theme)
class ThemeAdmin(PublishableAdmin):
    resource_classes = [ThemeResource]
    list_display = ("name", "parent", "order", "status", "is_public_now", "translation_status")
    list_filter = ("status", "parent")
    search_fields = ("name_en", "name_fr", "name_ko", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    autocomplete_fields = ("parent",)


class MilestoneInline(TranslationStackedInline):
    model = Milestone
    extra = 0
    fields = ("event_date", "date_precision", "title", "description", "url")


@admin.register(DialogueSeries)
class DialogueSeriesAdmin(PublishableAdmin):
    list_display = ("name", "status", "is_public_now", "translation_status")
    list_filter = ("status",)
    search_fields = ("name_en", "name_fr", "name_ko", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    inlines = [MilestoneInline]


class OrganizerInline(admin.TabularInline):
    model = DialogueOrganizer
    extra = 0
    autocomplete_fields = ("organization",)


class DocumentInline(TranslationTabularInline):
    model = DialogueDocument
    extra = 0
    fields = ("title", "kind", "url", "language", "issued_date", "order")


class SessionInline(TranslationStackedInline):
    model = Session
    extra = 0
    fields = ("order", "title", "description", "themes", "is_chatham_house")
    autocomplete_fields = ("themes",)


class ParticipationInline(TranslationTabularInline):
    model = Participation
    extra = 0
    fields = ("person", "organization", "position", "role", "capacity", "delegation_country", "is_public")
    autocomplete_fields = ("person", "organization")


@admin.register(Dialogue)
class DialogueAdmin(PublishableAdmin):
    resource_classes = [DialogueResource]
    list_display = (
        "title",
        "series",
        "edition",
        "start_date",
        "city",
        "is_chatham_house",
        "status",
        "is_public_now",
        "translation_status",
    )
    list_filter = ("status", "track", "series", "is_chatham_house", "country", "themes")
    search_fields = (
        "title_en",
        "title_fr",
        "title_ko",
        "summary_en",
        "summary_fr",
        "summary_ko",
        "city_en",
        "city_fr",
        "city_ko",
        "slug",
    )
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ("title_en",)}
    autocomplete_fields = ("series", "themes")
    list_select_related = ("series",)
    fieldsets = (
        (None, {"fields": ("series", "edition", "title", "slug", "track", "themes", "is_chatham_house")}),
        (_("When and where"), {"fields": ("start_date", "end_date", "city", "country", "venue")}),
        (_("Content"), {"fields": ("summary", "context")}),
        (_("Publication"), {"fields": ("status", "published_at", "created_at", "updated_at")}),
    )
    inlines = [OrganizerInline, SessionInline, ParticipationInline, DocumentInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Say what the public page leaves out, rather than dropping it without a word.
        dialogue = Dialogue.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if request.method == "GET" and dialogue is not None:
            for line in dropped_in_words(dialogue):
                messages.warning(request, _("The public page leaves out %(what)s.") % {"what": line})
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(DialogueDocument)
class DialogueDocumentAdmin(CuratedAdmin):
    list_display = ("title", "dialogue", "kind", "language", "translation_status")
    list_filter = ("kind",)
    search_fields = ("title_en", "title_fr", "title_ko")
    autocomplete_fields = ("dialogue",)
