"""Import/export columns for findings and recommendations, one column per language."""

from import_export import fields

from core.resources import CuratedResource, ExistingForeignKeyWidget, ExistingManyToManyWidget, per_language
from dialogue.models import Dialogue, DialogueDocument, Theme
from findings.models import Finding, Recommendation
from stakeholders.models import Organization


class FindingResource(CuratedResource):
    publish_permission = "findings.publish_finding"
    dialogue = fields.Field(
        attribute="dialogue", column_name="dialogue", widget=ExistingForeignKeyWidget(Dialogue, field="slug")
    )
    themes = fields.Field(
        attribute="themes", column_name="themes", widget=ExistingManyToManyWidget(Theme, field="slug")
    )

    source_document = fields.Field(
        attribute="source_document",
        column_name="source_document",
        widget=ExistingForeignKeyWidget(DialogueDocument),
    )

    class Meta:
        model = Finding
        fields = (
            "id",
            "dialogue",
            "kind",
            "perspective",
            "perspective_country",
            *per_language("title", "summary", "body", "source_locator"),
            "source_document",
            "themes",
            "order",
            "status",
            "published_at",
        )
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class RecommendationResource(CuratedResource):
    publish_permission = "findings.publish_recommendation"
    dialogue = fields.Field(
        attribute="dialogue", column_name="dialogue", widget=ExistingForeignKeyWidget(Dialogue, field="slug")
    )
    themes = fields.Field(
        attribute="themes", column_name="themes", widget=ExistingManyToManyWidget(Theme, field="slug")
    )

    addressee_organizations = fields.Field(
        attribute="addressee_organizations",
        column_name="addressee_organizations",
        widget=ExistingManyToManyWidget(Organization, field="slug"),
    )

    class Meta:
        model = Recommendation
        fields = (
            "id",
            "dialogue",
            *per_language("title", "body"),
            "themes",
            "addressee_organizations",
            "addressee_countries",
            "priority",
            "horizon",
            "current_status",
            "order",
            "status",
            "published_at",
        )
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
