"""API representations of findings, recommendations and their follow-up history."""

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
from dialogue.serializers import DialogueRefSerializer, DocumentSerializer, ThemeRefSerializer
from findings.models import Finding, Recommendation, RecommendationUpdate
from stakeholders.serializers import OrganizationRefSerializer


class FindingRefSerializer(TranslatedFieldsMixin, serializers.ModelSerializer):
    """A reference to a finding."""

    is_reference = True
    url = ApiUrlField("findings")

    class Meta:
        model = Finding
        fields = ("id", "url", "title")


class RecommendationRefSerializer(TranslatedFieldsMixin, serializers.ModelSerializer):
    """A reference to a recommendation."""

    is_reference = True
    url = ApiUrlField("recommendations")

    class Meta:
        model = Recommendation
        fields = ("id", "url", "title")


class FindingSerializer(TranslatedFieldsMixin, serializers.ModelSerializer):
    """A public finding; `body` is Markdown; `source_*` say where in which document it is recorded."""

    url = ApiUrlField("findings")
    web_url = WebUrlField()
    dialogue = DialogueRefSerializer(read_only=True)
    perspective_country = CountryCodeField()
    themes = ThemeRefSerializer(source="public_themes", many=True, read_only=True)
    source_document = DocumentSerializer(source="public_source_document", allow_null=True, read_only=True)
    recommendations = RecommendationRefSerializer(source="public_recommendations", many=True, read_only=True)
    created = serializers.DateTimeField(source="created_at", read_only=True)
    updated = serializers.DateTimeField(source="updated_at", read_only=True)
    translation_status = TranslationStatusField()

    class Meta:
        model = Finding
        fields = (
            "id",
            "url",
            "web_url",
            "dialogue",
            "kind",
            "perspective",
            "perspective_country",
            "title",
            "summary",
            "body",
            "themes",
            "source_document",
            "source_locator",
            "recommendations",
            "order",
            "created",
            "updated",
            "translation_status",
        )


class RecommendationUpdateSerializer(TranslatedFieldsMixin, serializers.ModelSerializer):
    """A dated step in the recommendation's progress."""

    date = serializers.DateField(source="update_date", read_only=True)
    source_url = OptionalUrlField()

    class Meta:
        model = RecommendationUpdate
        fields = ("id", "date", "status", "note", "source_url")


class RecommendationSerializer(TranslatedFieldsMixin, serializers.ModelSerializer):
    """A public recommendation, whom it addresses, where it stands and where it comes from.

    `follows` is the earlier recommendation it takes up (`follow_up_kind` says how), `follow_ups`
    the later ones, `lineage` every earlier public link, oldest first.
    """

    url = ApiUrlField("recommendations")
    web_url = WebUrlField()
    dialogue = DialogueRefSerializer(read_only=True)
    themes = ThemeRefSerializer(source="public_themes", many=True, read_only=True)
    addressee_organizations = OrganizationRefSerializer(source="public_addressees", many=True, read_only=True)
    addressee_countries = CountryCodeListField()
    source_findings = FindingRefSerializer(source="public_source_findings", many=True, read_only=True)
    follows = RecommendationRefSerializer(source="public_follows", allow_null=True, read_only=True)
    follow_ups = RecommendationRefSerializer(source="public_follow_ups", many=True, read_only=True)
    lineage = RecommendationRefSerializer(source="public_lineage", many=True, read_only=True)
    updates = RecommendationUpdateSerializer(source="public_updates", many=True, read_only=True)
    created = serializers.DateTimeField(source="created_at", read_only=True)
    updated = serializers.DateTimeField(source="updated_at", read_only=True)
    translation_status = TranslationStatusField()

    class Meta:
        model = Recommendation
        fields = (
            "id",
            "url",
            "web_url",
            "dialogue",
            "title",
            "body",
            "themes",
            "addressee_organizations",
            "addressee_countries",
            "priority",
            "horizon",
            "current_status",
            "source_findings",
            "follows",
            "follow_up_kind",
            "follow_ups",
            "lineage",
            "updates",
            "order",
            "created",
            "updated",
            "translation_status",
        )
