"""Alerts in the admin: superusers see addresses and their subscriptions; Analysts and Editors
see only counts per theme, series and language (`SubscriptionReport`), never an address."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from alerts.models import DigestRun, Subscriber, Subscription, SubscriptionReport, TargetKind
from alerts.selectors import subscription_counts
from core.security import ANALYST_GROUP, EDITOR_GROUP


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """Personal data: superusers only, whatever permissions a group was given."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    fields = ("kind", "theme", "series", "query", "language", "frequency", "created_at", "confirmed_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(SuperuserOnlyAdmin):
    list_display = ("email", "language", "frequency", "created_at", "confirmed_at", "covered_seq")
    list_filter = ("language", "frequency")
    search_fields = ("email",)
    fields = ("email", "language", "frequency", "created_at", "confirmed_at", "covered_seq", "covered_at")
    readonly_fields = fields
    inlines = [SubscriptionInline]


@admin.register(DigestRun)
class DigestRunAdmin(SuperuserOnlyAdmin):
    list_display = ("subscriber", "period", "status", "attempts", "planned_at", "sent_at")
    list_filter = ("status",)
    fields = (
        "subscriber",
        "period",
        "from_seq",
        "to_seq",
        "content",
        "status",
        "attempts",
        "message_id",
        "planned_at",
        "claimed_at",
        "sent_at",
    )
    readonly_fields = fields


@admin.register(SubscriptionReport)
class SubscriptionReportAdmin(admin.ModelAdmin):
    """A page of counts, for superusers, Analysts and Editors."""

    def _may_see(self, request) -> bool:
        user = request.user
        if not user.is_active or not user.is_staff:
            return False
        return user.is_superuser or user.groups.filter(name__in=[ANALYST_GROUP, EDITOR_GROUP]).exists()

    def has_module_permission(self, request):
        return self._may_see(request)

    def has_view_permission(self, request, obj=None):
        return self._may_see(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("", self.admin_site.admin_view(self.changelist_view), name=f"{info[0]}_{info[1]}_changelist")
        ]

    def changelist_view(self, request, extra_context=None):
        if not self._may_see(request):
            raise PermissionDenied
        kinds = dict(TargetKind.choices)
        rows = [
            {
                "kind": kinds.get(row["kind"], row["kind"]),
                "target": row["theme__slug"] or row["series__slug"] or "",
                "language": row["subscriber__language"],
                "count": row["count"],
            }
            for row in subscription_counts()
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Alert subscriptions: counts"),
            "opts": self.opts,
            "rows": rows,
            "total": sum(row["count"] for row in rows),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/alerts/subscription_report.html", context)
