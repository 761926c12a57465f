"""What dialogues found and recommended, and how recommendations fared afterwards."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.models import (
    PublishableModel,
    PublishableQuerySet,
    TimestampedModel,
    korean_search_field,
    published_at_constraint,
    published_q,
    unindexed_publication_fields,
)
from dialogue.models import Dialogue, DialogueDocument, Theme
from stakeholders.models import Organization

FINDING_SEARCH_FIELDS = ("title", "summary", "body")
RECOMMENDATION_SEARCH_FIELDS = ("title", "body")


class OfDialogueQuerySet(PublishableQuerySet):
    """Records with their own publication status that belong to a dialogue."""

    def public(self):
        """Published rows whose dialogue is public too (a public dialogue is a published one)."""
        now = timezone.now()
        return self.filter(published_q(now=now), published_q("dialogue", now=now))


class FindingKind(models.TextChoices):
    KEY_FINDING = "key_finding", _("Key finding")
    OBSERVATION = "observation", _("Observation")
    OPPORTUNITY = "opportunity", _("Opportunity")
    RISK = "risk", _("Risk")


class Perspective(models.TextChoices):
    CONSENSUS = "consensus", _("Consensus")
    DELEGATION = "delegation", _("One delegation's view")
    DIVERGENT = "divergent", _("Divergent views")


class FindingQuerySet(OfDialogueQuerySet):
    """Findings; public ones are published and belong to a public dialogue."""


class Finding(PublishableModel):
    """A conclusion a dialogue reached, with where in which document it is recorded."""

    # Publication lookups use finding_public_list_idx (migration 0004).
    status, published_at = unindexed_publication_fields()

    search_ko = korean_search_field()
    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("dialogue"), on_delete=models.PROTECT, related_name="findings"
    )
    kind = models.CharField(
        _("kind"), max_length=32, choices=FindingKind.choices, default=FindingKind.KEY_FINDING
    )
    perspective = models.CharField(
        _("perspective"),
        max_length=32,
        choices=Perspective.choices,
        default=Perspective.CONSENSUS,
        help_text=_("Whose view this is: both sides, one delegation, or divergent views."),
    )
    perspective_country = CountryField(
        _("delegation"),
        blank=True,
        help_text=_("The delegation whose view this is, when the perspective is one delegation's."),
    )
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True, help_text=_("One or two plain sentences."))
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown; rendered through a sanitiser."))
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), related_name="findings", blank=True)
    source_document = models.ForeignKey(
        DialogueDocument,
        verbose_name=_("source document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    source_locator = models.CharField(
        _("place in the source"),
        max_length=255,
        blank=True,
        help_text=_("Where in the source document this comes from, e.g. a section and paragraph."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["dialogue", "order", "pk"]
        permissions = [("publish_finding", _("Can publish and unpublish findings"))]
        constraints = [
            published_at_constraint("finding_published_has_time"),
            models.CheckConstraint(
                condition=~Q(perspective="delegation") | ~Q(perspective_country=""),
                name="finding_delegation_has_country",
                violation_error_message=_("One delegation's view: choose the delegation (its country)."),
            ),
        ]
        indexes = [
            # The public list's order within a dialogue, with what its publication rule reads:
            # an index-only scan per dialogue on PostgreSQL (INCLUDE is ignored elsewhere).
            models.Index(
                fields=["dialogue", "order", "id"],
                include=["status", "published_at"],
                name="finding_dialogue_list_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("findings:finding-detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        # A finding is sourced in its own dialogue's documents (the admin offers no others).
        document = self.source_document
        if document is not None and self.dialogue_id is not None and document.dialogue_id != self.dialogue_id:
            raise ValidationError(
                {
                    "source_document": _(
                        "Choose a document of the finding’s dialogue, not of another dialogue."
                    )
                }
            )


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Horizon(models.TextChoices):
    SHORT = "short", _("Short term")
    MEDIUM = "medium", _("Medium term")
    LONG = "long", _("Long term")


class RecommendationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    UNDER_CONSIDERATION = "under_consideration", _("Under consideration")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    STALLED = "stalled", _("Stalled")
    SUPERSEDED = "superseded", _("Superseded")


class FollowUpKind(models.TextChoices):
    REITERATED = "reiterated", _("Reiterated")
    REVISED = "revised", _("Revised")
    SUPERSEDED = "superseded", _("Superseded")


class RecommendationQuerySet(OfDialogueQuerySet):
    """Recommendations; public ones are published and belong to a public dialogue."""


class Recommendation(PublishableModel):
    """An action a dialogue called for, whom it addresses, and how far it has come."""

    # Publication lookups use recommendation_public_list_idx (migration 0004).
    status, published_at = unindexed_publication_fields()

    search_ko = korean_search_field()
    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("dialogue"), on_delete=models.PROTECT, related_name="recommendations"
    )
    source_findings = models.ManyToManyField(
        Finding, verbose_name=_("source findings"), related_name="recommendations", blank=True
    )
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown; rendered through a sanitiser."))
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), related_name="recommendations", blank=True
    )
    addressee_organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("addressed to organisations"),
        related_name="recommendations",
        blank=True,
    )
    addressee_countries = CountryField(_("addressed to countries"), multiple=True, blank=True)
    priority = models.CharField(
        _("priority"), max_length=16, choices=Priority.choices, default=Priority.MEDIUM
    )
    horizon = models.CharField(_("horizon"), max_length=16, choices=Horizon.choices, default=Horizon.MEDIUM)
    current_status = models.CharField(
        _("implementation status"),
        max_length=32,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.PROPOSED,
        db_index=True,
        help_text=_("Where the recommendation stands now (not its publication status)."),
    )
    follows = models.ForeignKey(
        "self",
        verbose_name=_("follows up"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        help_text=_("An earlier recommendation, usually of a previous edition, that this one takes up."),
    )
    follow_up_kind = models.CharField(
        _("how it follows up"), max_length=16, choices=FollowUpKind.choices, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["dialogue", "order", "pk"]
        permissions = [("publish_recommendation", _("Can publish and unpublish recommendations"))]
        constraints = [
            published_at_constraint("recommendation_published_has_time"),
            models.CheckConstraint(
                condition=Q(follows__isnull=True) | ~Q(follow_up_kind=""),
                name="recommendation_follow_up_has_kind",
                violation_error_message=_("Say how this recommendation follows up the earlier one."),
            ),
            models.CheckConstraint(
                condition=~Q(follows=F("pk")),
                name="recommendation_not_own_follow_up",
                violation_error_message=_("A recommendation cannot follow up itself."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["dialogue", "order", "id"],
                include=["status", "published_at"],
                name="rec_dialogue_list_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("findings:recommendation-detail", kwargs={"pk": self.pk})


class RecommendationUpdateQuerySet(models.QuerySet):
    """Follow-up history; public rows belong to a public recommendation."""

    def public(self):
        """Updates of public recommendations."""
        return self.filter(recommendation__in=Recommendation.objects.public())


class RecommendationUpdate(TimestampedModel):
    """A dated step in a recommendation's progress, with its source."""

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="updates",
    )
    update_date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=32, choices=RecommendationStatus.choices)
    note = models.TextField(_("note"), blank=True)
    source_url = models.URLField(_("source link"), blank=True)

    objects = RecommendationUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("recommendation update")
        verbose_name_plural = _("recommendation updates")
        ordering = ["recommendation", "update_date", "pk"]

    def __str__(self):
        return f"{self.update_date}: {self.get_status_display()}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The recommendation's status is the status of its latest update (a derived field), so
        # its badge, the tracker's filter and the API never contradict the history below them.
        latest = (
            RecommendationUpdate.objects.filter(recommendation_id=self.recommendation_id)
            .order_by("-update_date", "-pk")
            .first()
        )
        # A fresh copy: the form's copy may carry edits that wait for review.
        recommendation = Recommendation.objects.get(pk=self.recommendation_id)
        if latest is not None and recommendation.current_status != latest.status:
            recommendation.current_status = latest.status
            recommendation.save()
