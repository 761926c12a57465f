"""API representations of themes, series, dialogues and their parts.

Parts of a dialogue (organisers, sessions, documents, participations) and of a series
(milestones) are embedded; other resources appear as references. Participations are listed only
with both consents, whatever the dialogue's Chatham House rule; nothing else names a person.
"""

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import (
    ApiUrlField,
    CountryCodeField,
    CountryCodeListField,
    OptionalUrlField,
    TranslatedFieldsMixin,
    TranslationStatusField,
    WebUrlField,
)
from dialogue.models import (
    Dialogue,
    DialogueDocument,
    DialogueOrganizer,
    DialogueSeries,
    Milestone,
    Participation,
    Session,
    Theme,
)
from stakeholders.serializers import OrganizationRefSerializer, PersonRefSerializer


class ThemeRefSerializer(TranslatedFieldsMixin, serializers.ModelSerializer):
    """A reference to a theme."""

    is_reference = True
    url = ApiUrlField("themes")

    class Meta:
        model = Theme
        fields = ("id", "url", "slug", "name")


class SeriesRefSerializer(TranslatedFieldsMixin, serializers.ModelSerializer):
    """A reference to a dialogue series."""

    is_reference = True
    url = ApiUrlField("series")

    class Meta:
        model = DialogueSeries
        fields = ("id", "url", "slug", "name")


class DialogueRefSerializer(TranslatedFieldsMixin, serializers.ModelSerializer):
    """A reference to a dialogue."""

    is_reference = True
    url = ApiUrlField("dialogues")

    class Meta:
        model = Dialogue
        fields = ("id", "url", "slug", "title", "start_date")


class ThemeSerializer(TranslatedFieldsMixin, serializers.ModelSerializer):
    """A published theme; `parent` is the top-level theme of a sub-theme."""

    url = ApiUrlField("themes")
    web_url = WebUrlField()
    parent = ThemeRefSerializer(source="public_parent", allow_null=True, read_only=True)
    created = serializers.DateTimeField(source="created_at", read_only=True)
    updated = serializers.DateTimeField(source="updated_at", read_only=True)
    translation_status = TranslationStatusField()

    class Meta:
        model = Theme
        fields = (
            "id",
            "url",
            "web_url",
            "slug",
            "name",
            "description",
            "parent",
            "order",
            "created",
            "updated",
            "translation_status",
        )


class MilestoneSerializer(TranslatedFieldsMixin, serializers.ModelSerializer):
    """An event of the context timeline; `date` is the first day of its year or month if less precise."""

    date = serializers.DateField(source="event_date", read_only=True)
    link = OptionalUrlField(source="url")

    class Meta:
        model = Milestone
        fields = ("id", "date", "date_precision", "title", "description", "link")


class SeriesWebUrlField(WebUrlField):
    """The page of the series' newest public dialogue (which shows the series and its timeline)."""

    def page(self, instance) -> str:
        dialogues = getattr(instance, "public_dialogues", [])
        if dialogues:
            return dialogues[0].get_absolute_url()
        try:
            return reverse("dialogue:series-detail", kwargs={"slug": instance.slug})
        except NoReverseMatch:
            return reverse("dialogue:dialogue-list") + "?" + urlencode({"series": instance.slug})


class SeriesSerializer(TranslatedFieldsMixin, serializers.ModelSerializer):
    """A published dialogue series, its timeline and its public dialogues (newest first)."""

    url = ApiUrlField("series")
    web_url = SeriesWebUrlField()
    countries = CountryCodeListField()
    milestones = MilestoneSerializer(source="public_milestones", many=True, read_only=True)
    dialogues = DialogueRefSerializer(source="public_dialogues", many=True, read_only=True)
    created = serializers.DateTimeField(source="created_at", read_only=True)
    updated = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = DialogueSeries
        fields = (
            "id",
            "url",
            "web_url",
            "slug",
            "name",
            "description",
            "countries",
            "milestones",
            "dialogues",
            "created",
            "updated",
        )


class OrganizerSerializer(serializers.ModelSerializer):
    """A published organisation's role in organising the dialogue."""

    organization = OrganizationRefSerializer(read_only=True)

    class Meta:
        model = DialogueOrganizer
        fields = ("id", "organization", "role")


class SessionSerializer(TranslatedFieldsMixin, serializers.ModelSerializer):
    """An agenda item; the Chatham House rule may cover it alone."""

    themes = ThemeRefSerializer(source="public_themes", many=True, read_only=True)

    class Meta:
        model = Session
        fields = ("id", "order", "title", "description", "themes", "is_chatham_house")


class DocumentSerializer(TranslatedFieldsMixin, serializers.ModelSerializer):
    """A report or other document of the dialogue."""

    link = OptionalUrlField(source="url")

    class Meta:
        model = DialogueDocument
        fields = ("id", "title", "kind", "link", "language", "issued_date")


class ProfileGroupSerializer(serializers.Serializer):
    """One group of participants and how many they are."""

    value = serializers.CharField(
        help_text=_(
            "An ISO 3166-1 alpha-2 code, a kind of organisation or a role; `other` gathers the "
            "groups of fewer than three people and unknown values."
        )
    )
    count = serializers.IntegerField(min_value=1)

    def to_representation(self, instance):
        value, count = instance
        return {"value": value, "count": count}


class ParticipantProfileSerializer(serializers.Serializer):
    """Who took part in a Chatham House dialogue, as counts only: no person-level data."""

    total = serializers.IntegerField(min_value=0)
    by_country = ProfileGroupSerializer(many=True, help_text=_("By delegation country."))
    by_sector = ProfileGroupSerializer(many=True, help_text=_("By kind of organisation."))
    by_role = ProfileGroupSerializer(many=True, help_text=_("By role in the dialogue."))


class ParticipationSerializer(TranslatedFieldsMixin, serializers.ModelSerializer):
    """A participant who, like the participation itself, consented to be named."""

    person = PersonRefSerializer(read_only=True)
    organization = OrganizationRefSerializer(source="public_organization", allow_null=True, read_only=True)
    delegation_country = CountryCodeField()

    class Meta:
        model = Participation
        fields = ("id", "person", "organization", "position", "role", "capacity", "delegation_country")


class DialogueSerializer(TranslatedFieldsMixin, serializers.ModelSerializer):
    """A public dialogue with its public parts. `context` is Markdown."""

    url = ApiUrlField("dialogues")
    web_url = WebUrlField()
    series = SeriesRefSerializer(source="public_series", allow_null=True, read_only=True)
    country = CountryCodeField()
    themes = ThemeRefSerializer(source="public_themes", many=True, read_only=True)
    organizers = OrganizerSerializer(source="public_organizers", many=True, read_only=True)
    sessions = SessionSerializer(source="public_sessions", many=True, read_only=True)
    documents = DocumentSerializer(source="public_documents", many=True, read_only=True)
    participations = ParticipationSerializer(source="public_participations", many=True, read_only=True)
    participant_profile = ParticipantProfileSerializer(
        source="public_profile",
        allow_null=True,
        read_only=True,
        help_text=_(
            "Under the Chatham House rule: every participant, as counts only (`participations` "
            "names only those who consented to be named); null otherwise."
        ),
    )
    created = serializers.DateTimeField(source="created_at", read_only=True)
    updated = serializers.DateTimeField(source="updated_at", read_only=True)
    translation_status = TranslationStatusField()

    class Meta:
        model = Dialogue
        fields = (
            "id",
            "url",
            "web_url",
            "slug",
            "series",
            "edition",
            "title",
            "track",
            "start_date",
            "end_date",
            "city",
            "country",
            "venue",
            "summary",
            "context",
            "is_chatham_house",
            "themes",
            "organizers",
            "sessions",
            "documents",
            "participations",
            "participant_profile",
            "created",
            "updated",
            "translation_status",
        )
