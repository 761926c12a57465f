from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import CuratedAdmin, PublishableAdmin
from stakeholders.models import Organization, Person
from stakeholders.resources import OrganizationResource, PersonResource


@admin.register(Organization)
class OrganizationAdmin(PublishableAdmin):
    resource_classes = [OrganizationResource]
    list_display = ("name", "acronym", "kind", "country", "status", "is_public_now", "translation_status")
    list_filter = ("status", "kind", "country")
    search_fields = ("name_en", "name_fr", "name_ko", "acronym_en", "acronym_fr", "acronym_ko", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    autocomplete_fields = ("parent",)
    fieldsets = (
        (
            None,
            {"fields": ("name", "acronym", "slug", "kind", "country", "website", "parent", "description")},
        ),
        (_("Publication"), {"fields": ("status", "published_at", "created_at", "updated_at")}),
    )


@admin.register(Person)
class PersonAdmin(CuratedAdmin):
    resource_classes = [PersonResource]
    list_display = (
        "full_name",
        "name_original",
        "organization",
        "country",
        "is_public",
        "translation_status",
    )
    list_filter = ("is_public", "country", "organization__kind")
    search_fields = (
        "given_name",
        "family_name",
        "name_original",
        "slug",
        "position_en",
        "position_fr",
        "position_ko",
    )
    autocomplete_fields = ("organization",)
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "given_name",
                    "family_name",
                    "name_original",
                    "slug",
                    "honorific",
                    "position",
                    "organization",
                    "country",
                    "biography",
                    "is_public",
                )
            },
        ),
        (
            _("Private (never shown publicly)"),
            {"fields": ("email", "phone", "internal_notes"), "classes": ("collapse",)},
        ),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )
