"""What the partners' layer keeps: bulk snapshots of the public data, and partners' webhooks.

Both read the change log and never write it: a snapshot is stamped with the feed position it
holds, a webhook endpoint keeps the position it has been told about.
"""

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import APIKey


class Snapshot(models.Model):
    """A zip of every public record, stamped with the change-feed position it holds."""

    name = models.CharField(_("file name"), max_length=100, unique=True)
    sequence = models.BigIntegerField(
        _("feed sequence"),
        help_text=_("The change feed's latest entry when the snapshot was read: continue with after=this."),
    )
    size = models.BigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.name


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    import base64

    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookEndpoint(models.Model):
    """An HTTPS address to which the change-log entries of the followed resources are POSTed,
    signed with the endpoint's secret, in sequence order."""

    api_key = models.ForeignKey(
        APIKey,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("API key"),
        help_text=_("The partner's key: the endpoint belongs to whoever holds it."),
    )
    url = models.URLField(_("URL"), max_length=500, help_text=_("An https:// address on the internet."))
    resources = models.JSONField(
        _("resources"),
        default=list,
        blank=True,
        help_text=_("The resources to follow (findings, dialogues, ...); none means all of them."),
    )
    owner_email = models.EmailField(
        _("owner's e-mail address"), help_text=_("Told when the endpoint is disabled after failures.")
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=100,
        default=new_secret,
        help_text=_("Give it to the partner: they verify each delivery's signature with it."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Set off after repeated failures; set it on to resume.")
    )
    cursor = models.BigIntegerField(
        _("delivered up to"),
        default=0,
        help_text=_("The feed sequence up to which entries have been delivered (or planned)."),
    )
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["api_key", "url"]

    def __str__(self):
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed (retries exhausted)")


class WebhookDelivery(models.Model):
    """One batch of change-log entries for one endpoint, and how its attempts went. An endpoint
    has at most one undelivered batch: the next one waits, so batches arrive in order."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    message_id = models.CharField(
        _("message id"),
        max_length=40,
        unique=True,
        help_text=_("The webhook-id header; the same on retries."),
    )
    payload = models.JSONField(_("payload"))
    first_seq = models.BigIntegerField(_("first sequence"))
    last_seq = models.BigIntegerField(_("last sequence"))
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    queued_at = models.DateTimeField(
        _("queued at"), null=True, blank=True, help_text=_("When the worker was last asked to send it.")
    )
    last_status_code = models.PositiveIntegerField(_("last response code"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    last_latency_ms = models.PositiveIntegerField(_("last latency (ms)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["endpoint", "-first_seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint"],
                condition=~Q(status=DeliveryStatus.DELIVERED),
                name="webhook_one_open_delivery_per_endpoint",
            ),
        ]

    def __str__(self):
        return f"{self.endpoint} {self.first_seq}–{self.last_seq}"
