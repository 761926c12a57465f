"""Publish and unpublish actions of PublishableAdmin; unpublishing asks first and says what goes."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import services
from core.models import PublicationStatus


class PublicationActionsMixin:
    """`publish_selected` at once; `unpublish_selected` after a confirmation page listing what
    disappears from the public site (`unpublish_consequences`, which admins of records that carry
    others extend)."""

    actions = ["publish_selected", "unpublish_selected"]
    unpublish_confirmation_template = "admin/unpublish_confirmation.html"

    @admin.action(description=_("Publish selected records"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        count = services.records_publish(queryset=queryset, user=request.user)
        self.message_user(
            request,
            ngettext("%(count)d record published.", "%(count)d records published.", count) % {"count": count},
            messages.SUCCESS,
        )

    def unpublish_consequences(self, record) -> list[str]:
        """What else leaves the public site with `record`, in words (none by default)."""
        return []

    @admin.action(description=_("Unpublish selected records…"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        if request.POST.get("confirmed") != "yes":
            records = [record for record in queryset if record.status == PublicationStatus.PUBLISHED]
            context = {
                **self.admin_site.each_context(request),
                "title": _("Unpublish: are you sure?"),
                "opts": self.opts,
                "records": [(record, self.unpublish_consequences(record)) for record in records],
                "queryset": queryset,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "action": "unpublish_selected",
            }
            request.current_app = self.admin_site.name
            return TemplateResponse(request, self.unpublish_confirmation_template, context)
        count = services.records_unpublish(queryset=queryset, user=request.user)
        self.message_user(
            request,
            ngettext("%(count)d record unpublished.", "%(count)d records unpublished.", count)
            % {"count": count},
            messages.SUCCESS,
        )
        return None
