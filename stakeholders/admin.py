from django.contrib import admin
from django.core.exceptions import PermissionDenied
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
                    "is_published_alone",
                )
            },
        ),
        (
            _("Private (never shown publicly)"),
            {"fields": ("email", "phone", "internal_notes"), "classes": ("collapse",)},
        ),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("stakeholders.publish_person") and "is_published_alone" not in readonly:
            readonly.append("is_published_alone")
        return readonly

    def save_model(self, request, obj, form, change):
        # The server refuses, whatever the form showed: only an Editor publishes a person alone.
        stored = Person.objects.filter(pk=obj.pk).values_list("is_published_alone", flat=True).first()
        if bool(stored) != obj.is_published_alone and not request.user.has_perm(
            "stakeholders.publish_person"
        ):
            raise PermissionDenied(_("Only an Editor can publish a person on their own."))
        super().save_model(request, obj, form, change)
