"""Webhooks in the admin: endpoints registered for a partner's API key, and each one's delivery
log (status, attempts, latency, response code). Snapshots are listed, read only."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.changes import RESOURCES
from partners import webhooks
from partners.models import Snapshot, WebhookDelivery, WebhookEndpoint


class WebhookEndpointForm(forms.ModelForm):
    resources = forms.MultipleChoiceField(
        label=_("resources"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The resources to follow; none means all of them."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ("api_key", "url", "resources", "owner_email", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resources"].choices = [(name, name) for name in RESOURCES]

    def clean_url(self):
        url = self.cleaned_data["url"]
        webhooks.endpoint_url_check(url)
        return url


class DeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    fields = (
        "first_seq",
        "last_seq",
        "status",
        "attempts",
        "last_status_code",
        "last_latency_ms",
        "last_error",
        "next_attempt_at",
        "delivered_at",
    )
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-first_seq"]
    verbose_name_plural = _("delivery log (newest first)")


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ("url", "api_key", "owner_email", "is_active", "cursor", "disabled_at")
    list_filter = ("is_active",)
    search_fields = ("url", "owner_email", "api_key__name")
    readonly_fields = ("secret", "cursor", "disabled_at", "created_at")
    inlines = [DeliveryInline]
    actions = ["enable", "disable"]

    def save_model(self, request, obj, form, change):
        if not change:
            webhooks.endpoint_register(endpoint=obj)
            return
        was_active = WebhookEndpoint.objects.filter(pk=obj.pk, is_active=True).exists()
        if was_active and not obj.is_active:
            obj.disabled_at = timezone.now()
        super().save_model(request, obj, form, change)
        if obj.is_active and not was_active:
            webhooks.endpoint_enable(endpoint=obj)  # the failed batch goes again, first

    @admin.action(description=_("Enable (resend the failed batch first)"))
    def enable(self, request, queryset):
        for endpoint in queryset:
            webhooks.endpoint_enable(endpoint=endpoint)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%d endpoint enabled.", "%d endpoints enabled.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Disable"))
    def disable(self, request, queryset):
        for endpoint in queryset:
            webhooks.endpoint_disable(endpoint=endpoint)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "endpoint",
        "first_seq",
        "last_seq",
        "status",
        "attempts",
        "last_status_code",
        "last_latency_ms",
        "created_at",
        "delivered_at",
    )
    list_filter = ("status",)
    search_fields = ("endpoint__url", "message_id")
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ("name", "sequence", "size", "sha256", "created_at")
    readonly_fields = ("name", "sequence", "size", "sha256", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
