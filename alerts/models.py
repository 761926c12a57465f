"""Readers' e-mail alerts: an address, what it follows, and each digest sent to it.

Personal data: an address and its subscriptions are shown to superusers only, travel in a backup
only with `--include-personal-data`, and are erased at their owner's request (one signed link).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dialogue.models import DialogueSeries, Theme

EMAIL_MAX_LENGTH = 254  # RFC 5321: the longest address a mail server accepts
QUERY_MAX_LENGTH = 500


def new_key() -> str:
    return secrets.token_urlsafe(18)


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("As it happens (at most one message every 15 minutes)")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class TargetKind(models.TextChoices):
    THEME = "theme", _("A theme (with its sub-themes)")
    SERIES = "series", _("A dialogue series")
    SEARCH = "search", _("A search of the findings")
    EVERYTHING = "everything", _("Everything")


class Subscriber(models.Model):
    """An e-mail address that asked for alerts; it receives nothing but confirmations until it
    has confirmed a subscription."""

    email = models.EmailField(_("e-mail address"), max_length=EMAIL_MAX_LENGTH, unique=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency.choices)
    key = models.CharField(
        _("link key"),
        max_length=32,
        default=new_key,
        editable=False,
        help_text=_("Part of every signed link sent to the address; a new key voids the old links."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(
        _("confirmed at"),
        null=True,
        blank=True,
        help_text=_("When the address first confirmed a subscription."),
    )
    covered_seq = models.BigIntegerField(
        _("covered up to"),
        default=0,
        help_text=_("The change-log position up to which digests have covered what became public."),
    )
    covered_at = models.DateTimeField(_("covered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert subscriber")
        verbose_name_plural = _("alert subscribers")
        ordering = ["email"]

    def __str__(self):
        return self.email

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Subscription(models.Model):
    """One thing an address follows. Pending until its confirmation link is followed; a pending
    subscription is purged after ALERTS_PENDING_DAYS."""

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="subscriptions"
    )
    kind = models.CharField(_("follows"), max_length=16, choices=TargetKind.choices)
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alert_subscriptions",
    )
    series = models.ForeignKey(
        DialogueSeries,
        verbose_name=_("dialogue series"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alert_subscriptions",
    )
    query = models.CharField(
        _("search"),
        max_length=QUERY_MAX_LENGTH,
        blank=True,
        help_text=_("The findings list's filters, as a normalised query string."),
    )
    language = models.CharField(
        _("requested language"),
        max_length=8,
        choices=settings.LANGUAGES,
        help_text=_("The address's language once this subscription is confirmed."),
    )
    frequency = models.CharField(
        _("requested frequency"),
        max_length=16,
        choices=Frequency.choices,
        help_text=_("The address's frequency once this subscription is confirmed."),
    )
    nonce = models.CharField(_("confirmation nonce"), max_length=32, default=new_key, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert subscription")
        verbose_name_plural = _("alert subscriptions")
        ordering = ["subscriber", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=TargetKind.THEME, theme__isnull=False, series__isnull=True, query="")
                    | Q(kind=TargetKind.SERIES, series__isnull=False, theme__isnull=True, query="")
                    | Q(kind=TargetKind.SEARCH, theme__isnull=True, series__isnull=True) & ~Q(query="")
                    | Q(kind=TargetKind.EVERYTHING, theme__isnull=True, series__isnull=True, query="")
                ),
                name="alert_subscription_target_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["confirmed_at", "created_at"], name="alert_subscription_state_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.target_label()}"

    def target_label(self) -> str:
        if self.kind == TargetKind.THEME:
            return str(self.theme)
        if self.kind == TargetKind.SERIES:
            return str(self.series)
        if self.kind == TargetKind.SEARCH:
            return self.query
        return str(_("Everything"))

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class DigestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    EMPTY = "empty", _("Nothing new (not sent)")


class DigestRun(models.Model):
    """One digest of one address for one period: planned once (the unique constraint), sent at
    most once by the worker that claims it, whatever runs again or crashes."""

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="digest_runs"
    )
    period = models.CharField(
        _("period"), max_length=40, help_text=_("Frequency and start of the period, e.g. daily:2026-01-31.")
    )
    from_seq = models.BigIntegerField(_("after change-log position"))
    to_seq = models.BigIntegerField(_("up to change-log position"))
    content = models.JSONField(_("content"), default=dict, help_text=_("Record ids, per kind."))
    status = models.CharField(
        _("status"), max_length=16, choices=DigestStatus.choices, default=DigestStatus.PENDING
    )
    message_id = models.CharField(_("Message-ID"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    planned_at = models.DateTimeField(_("planned at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest run")
        verbose_name_plural = _("digest runs")
        ordering = ["-planned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "period"], name="digest_run_once_per_period"),
        ]
        indexes = [models.Index(fields=["status", "claimed_at"], name="digest_run_status_idx")]

    def __str__(self):
        return f"{self.subscriber_id} {self.period} ({self.status})"


class SubscriptionReport(Subscription):
    """The staff's view of alerts: confirmed subscriptions counted per theme, series and
    language, never an address (the admin shows it to Analysts and Editors)."""

    class Meta:
        proxy = True
        verbose_name = _("alert subscription counts")
        verbose_name_plural = _("alert subscription counts")
