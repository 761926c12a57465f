"""Import/export columns for findings and recommendations, one column per language."""

from import_export import fields, widgets

from core.resources import CuratedResource, per_language
from dialogue.models import Dialogue, Theme
from findings.models import Finding, Recommendation


class FindingResource(CuratedResource):
    publish_permission = "findings.publish_finding"
    dialogue = fields.Field(
        attribute="dialogue", column_name="dialogue", widget=widgets.ForeignKeyWidget(Dialogue, field="slug")
    )
    themes = fields.Field(
        attribute="themes", column_name="themes", widget=widgets.ManyToManyWidget(Theme, field="slug")
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
        attribute="dialogue", column_name="dialogue", widget=widgets.ForeignKeyWidget(Dialogue, field="slug")
    )
    themes = fields.Field(
        attribute="themes", column_name="themes", widget=widgets.ManyToManyWidget(Theme, field="slug")
    )

    class Meta:
        model = Recommendation
        fields = (
            "id",
            "dialogue",
            *per_language("title", "body"),
            "themes",
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
