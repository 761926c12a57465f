"""Organisations and people who take part in dialogues."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.models import (
    PublishableModel,
    PublishableQuerySet,
    TimestampedModel,
    published_at_constraint,
)


class OrganizationKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    DIPLOMATIC_MISSION = "diplomatic_mission", _("Diplomatic mission")
    INDUSTRY = "industry", _("Industry")
    ACADEMIA = "academia", _("Academia")
    THINK_TANK = "think_tank", _("Think tank")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    INTERNATIONAL = "international", _("International organisation")


class OrganizationQuerySet(PublishableQuerySet):
    """Organisations; public ones are published."""


class Organization(PublishableModel):
    """A government body, mission, company, university, think tank or NGO."""

    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(
        _("acronym"),
        max_length=64,
        blank=True,
        help_text=_("Short name as used in each language, e.g. APF Canada / FAP Canada."),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        permissions = [("publish_organization", _("Can publish and unpublish organisations"))]
        constraints = [published_at_constraint("organization_published_has_time")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("stakeholders:organization-detail", kwargs={"slug": self.slug})

    @property
    def short_name(self) -> str:
        return self.acronym or self.name


# Higher apps tell which people their public records show (dialogue: people with a public
# participation in a public dialogue), so that a person is public only through one of them.
_public_through: list = []


def register_person_shown_by(source) -> None:
    """Register `source()`, a queryset of person ids that public records of a higher app show."""
    _public_through.append(source)


class PersonQuerySet(models.QuerySet):
    """People; public ones consented and appear through a public record (or were published alone)."""

    def public(self):
        """Consenting people shown by a public record (a public participation in a public dialogue),
        or published on their own by an Editor. Consent alone publishes nobody."""
        shown = models.Q(is_published_alone=True)
        for source in _public_through:
            shown |= models.Q(pk__in=source())
        return self.filter(shown, is_public=True)


class Person(TimestampedModel):
    """Someone who takes part in dialogues. Contact fields and notes stay in the admin."""

    given_name = models.CharField(_("given name"), max_length=120)
    family_name = models.CharField(_("family name"), max_length=120)
    name_original = models.CharField(
        _("name in original script"),
        max_length=120,
        blank=True,
        help_text=_("For example the name in Hangul, as the person writes it."),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    honorific = models.CharField(_("honorific"), max_length=40, blank=True)
    position = models.CharField(_("position"), max_length=255, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    country = CountryField(_("country"), blank=True)
    biography = models.TextField(_("biography"), blank=True, help_text=_("Markdown."))
    is_public = models.BooleanField(
        _("consents to be listed"),
        default=False,
        help_text=_("Only people who consented are named on the public site and in the API."),
    )
    is_published_alone = models.BooleanField(
        _("published on their own"),
        default=False,
        help_text=_(
            "Set by an Editor: list this consenting person publicly even when none of their "
            "dialogues is public. Otherwise a person appears only through a public dialogue."
        ),
    )
    # Private: never leave the admin (no serializer, template, feed or export names them).
    email = models.EmailField(_("email (private)"), blank=True)
    phone = models.CharField(_("phone (private)"), max_length=40, blank=True)
    internal_notes = models.TextField(_("internal notes (private)"), blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["family_name", "given_name"]
        permissions = [("publish_person", _("Can publish people on their own"))]
        indexes = [models.Index(fields=["family_name", "given_name"], name="person_name_idx")]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def get_absolute_url(self):
        return reverse("stakeholders:person-detail", kwargs={"slug": self.slug})


PRIVATE_PERSON_FIELDS = ("email", "phone", "internal_notes")
