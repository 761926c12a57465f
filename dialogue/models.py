"""Dialogue series, dialogues, their sessions, participants, organisers and context timeline."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.models import (
    PublishableModel,
    PublishableQuerySet,
    SavedInTransaction,
    TimestampedModel,
    korean_search_field,
    published_at_constraint,
    published_q,
)
from stakeholders.models import Organization, Person

DIALOGUE_SEARCH_FIELDS = ("title", "summary", "context")


class ThemeQuerySet(PublishableQuerySet):
    """Themes; public ones are published."""


class Theme(PublishableModel):
    """A policy theme; themes form a two-level taxonomy."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent theme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
        help_text=_("Leave empty for a top-level theme. Themes have two levels at most."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["order", "name"]
        permissions = [("publish_theme", _("Can publish and unpublish themes"))]
        constraints = [
            published_at_constraint("theme_published_has_time"),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="theme_not_own_parent",
                violation_error_message=_("A theme cannot be its own parent."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("dialogue:theme-detail", kwargs={"slug": self.slug})


class DialogueSeriesQuerySet(PublishableQuerySet):
    """Dialogue series; public ones are published."""


class DialogueSeries(PublishableModel):
    """A recurring dialogue between the same countries, one edition after another."""

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    countries = CountryField(_("countries"), multiple=True, blank=True)

    objects = DialogueSeriesQuerySet.as_manager()

    class Meta:
        verbose_name = _("dialogue series")
        verbose_name_plural = _("dialogue series")
        ordering = ["name"]
        permissions = [("publish_dialogueseries", _("Can publish and unpublish dialogue series"))]
        constraints = [published_at_constraint("series_published_has_time")]

    def __str__(self):
        return self.name


class Track(models.TextChoices):
    TRACK_1 = "1", _("Track 1")
    TRACK_1_5 = "1.5", _("Track 1.5")
    TRACK_2 = "2", _("Track 2")


class DialogueQuerySet(PublishableQuerySet):
    """Dialogues; public ones are published."""


class Dialogue(PublishableModel):
    """One meeting of a series: who met, where, when, on what, and under which rule."""

    series = models.ForeignKey(
        DialogueSeries,
        verbose_name=_("series"),
        on_delete=models.PROTECT,
        related_name="dialogues",
    )
    edition = models.PositiveSmallIntegerField(_("edition number"), default=1)
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    track = models.CharField(_("track"), max_length=3, choices=Track.choices, default=Track.TRACK_1_5)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True)
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    summary = models.TextField(_("summary"), blank=True, help_text=_("One or two plain sentences."))
    context = models.TextField(
        _("context"), blank=True, help_text=_("Markdown; rendered through a sanitiser.")
    )
    search_ko = korean_search_field()
    organizers = models.ManyToManyField(
        Organization,
        verbose_name=_("organisers"),
        through="DialogueOrganizer",
        related_name="organized_dialogues",
        blank=True,
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), related_name="dialogues", blank=True)
    is_chatham_house = models.BooleanField(
        _("under the Chatham House rule"),
        default=False,
        help_text=_(
            "When set, nothing is attributed to a person or an affiliation publicly and the "
            "participant list is shown only as an aggregate profile."
        ),
    )

    objects = DialogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("dialogue")
        verbose_name_plural = _("dialogues")
        ordering = ["-start_date", "-edition"]
        permissions = [("publish_dialogue", _("Can publish and unpublish dialogues"))]
        constraints = [
            published_at_constraint("dialogue_published_has_time"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="dialogue_ends_after_start",
                violation_error_message=_("A dialogue cannot end before it starts."),
            ),
            models.UniqueConstraint(fields=["series", "edition"], name="dialogue_unique_edition"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("dialogue:dialogue-detail", kwargs={"slug": self.slug})


class OrganizerRole(models.TextChoices):
    CONVENOR = "convenor", _("Convenor")
    CO_HOST = "co_host", _("Co-host")
    HOST_GOVERNMENT = "host_government", _("Host government or embassy")
    FUNDER = "funder", _("Funder")
    PARTNER = "partner", _("Partner")


class ChildOfDialogueQuerySet(models.QuerySet):
    """Rows that belong to a dialogue and are public only when it is."""

    dialogue_path = "dialogue"

    def public(self):
        """Rows whose dialogue is public (a public dialogue is a published one)."""
        return self.filter(published_q(self.dialogue_path))


class DialogueOrganizerQuerySet(ChildOfDialogueQuerySet):
    """Organiser roles; public ones belong to a public dialogue and a published organisation."""

    def public(self):
        """Roles in a public dialogue held by a published organisation."""
        return super().public().filter(organization__in=Organization.objects.public())


class DialogueOrganizer(SavedInTransaction):
    """An organisation's role in organising a dialogue."""

    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("dialogue"), on_delete=models.CASCADE, related_name="organizer_roles"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="organizer_roles",
    )
    role = models.CharField(_("role"), max_length=32, choices=OrganizerRole.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = DialogueOrganizerQuerySet.as_manager()

    class Meta:
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "organization", "role"], name="organizer_unique_role")
        ]

    def __str__(self):
        return f"{self.organization} ({self.get_role_display()})"


class DocumentKind(models.TextChoices):
    REPORT = "report", _("Report")
    SUMMARY = "summary", _("Summary")
    AGENDA = "agenda", _("Agenda")
    PRESS_RELEASE = "press_release", _("Press release")
    OTHER = "other", _("Other")


class DialogueDocument(TimestampedModel):
    """A report or other document of a dialogue; findings cite it as their source."""

    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("dialogue"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    url = models.URLField(_("link"), blank=True)
    language = models.CharField(
        _("language of the document"), max_length=8, blank=True, help_text=_("e.g. en, fr, ko")
    )
    issued_date = models.DateField(_("date issued"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ChildOfDialogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title


class Session(TimestampedModel):
    """An agenda item of a dialogue; the Chatham House rule may cover it alone."""

    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("dialogue"), on_delete=models.CASCADE, related_name="sessions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), related_name="sessions", blank=True)
    is_chatham_house = models.BooleanField(_("under the Chatham House rule"), default=False)

    objects = ChildOfDialogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["dialogue", "order", "pk"]

    def __str__(self):
        return self.title


class ParticipationRole(models.TextChoices):
    ORGANIZER = "organizer", _("Organiser")
    CO_CHAIR = "co_chair", _("Co-chair")
    SPEAKER = "speaker", _("Speaker")
    MODERATOR = "moderator", _("Moderator")
    PANELLIST = "panellist", _("Panellist")
    PARTICIPANT = "participant", _("Participant")
    RAPPORTEUR = "rapporteur", _("Rapporteur")
    OBSERVER = "observer", _("Observer")


class Capacity(models.TextChoices):
    PERSONAL = "personal", _("Personal capacity")
    REPRESENTING = "representing", _("Representing their organisation")
    OBSERVER = "observer", _("Observer")


class ParticipationQuerySet(ChildOfDialogueQuerySet):
    """Participations; public ones have a public dialogue and both consent flags."""

    def counted(self):
        """Every participation of a public dialogue, named or not: only aggregate counts read these."""
        return super().public()

    def public(self):
        """Participations of a public dialogue by a consenting person, themselves consented."""
        return self.counted().filter(is_public=True, person__in=Person.objects.public())


class Participation(TimestampedModel):
    """A person's part in a dialogue, with the affiliation and position they had then."""

    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("dialogue"), on_delete=models.CASCADE, related_name="participations"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="participations"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation at the time"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participations",
    )
    position = models.CharField(_("position at the time"), max_length=255, blank=True)
    role = models.CharField(
        _("role"), max_length=32, choices=ParticipationRole.choices, default=ParticipationRole.PARTICIPANT
    )
    capacity = models.CharField(
        _("capacity"), max_length=32, choices=Capacity.choices, default=Capacity.PERSONAL
    )
    delegation_country = CountryField(_("delegation country"), blank=True)
    is_public = models.BooleanField(
        _("may be listed"),
        default=False,
        help_text=_("Shown publicly only if the person also consents to be listed."),
    )

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["dialogue", "person__family_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "person", "role"], name="participation_unique_role")
        ]

    def __str__(self):
        return f"{self.person} – {self.dialogue}"


class DatePrecision(models.TextChoices):
    YEAR = "year", _("Year")
    MONTH = "month", _("Month")
    DAY = "day", _("Day")


class MilestoneQuerySet(models.QuerySet):
    """Timeline milestones; public ones belong to a public series."""

    def public(self):
        """Milestones of a public series."""
        return self.filter(series__in=DialogueSeries.objects.public())


class Milestone(TimestampedModel):
    """An event of the bilateral context that frames a dialogue series."""

    series = models.ForeignKey(
        DialogueSeries, verbose_name=_("series"), on_delete=models.CASCADE, related_name="milestones"
    )
    event_date = models.DateField(
        _("date"), help_text=_("For a year or month precision, use the first day of the period.")
    )
    date_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("link"), blank=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["series", "event_date", "pk"]

    def __str__(self):
        return f"{self.event_date.year} – {self.title}"
