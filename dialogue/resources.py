"""Import/export columns for themes and dialogues."""

from import_export import fields

from core.resources import CuratedResource, ExistingForeignKeyWidget, ExistingManyToManyWidget, per_language
from dialogue.models import Dialogue, DialogueSeries, Theme


class ThemeResource(CuratedResource):
    publish_permission = "dialogue.publish_theme"
    parent = fields.Field(
        attribute="parent", column_name="parent", widget=ExistingForeignKeyWidget(Theme, field="slug")
    )

    class Meta:
        model = Theme
        fields = (
            "id",
            "slug",
            *per_language("name", "description"),
            "parent",
            "order",
            "status",
            "published_at",
        )
        import_id_fields = ("slug",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class DialogueResource(CuratedResource):
    publish_permission = "dialogue.publish_dialogue"
    series = fields.Field(
        attribute="series",
        column_name="series",
        widget=ExistingForeignKeyWidget(DialogueSeries, field="slug"),
    )
    themes = fields.Field(
        attribute="themes", column_name="themes", widget=ExistingManyToManyWidget(Theme, field="slug")
    )

    class Meta:
        model = Dialogue
        fields = (
            "id",
            "slug",
            "series",
            "edition",
            *per_language("title", "city", "venue", "summary", "context"),
            "track",
            "start_date",
            "end_date",
            "country",
            "themes",
            "is_chatham_house",
            "status",
            "published_at",
        )
        import_id_fields = ("slug",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
