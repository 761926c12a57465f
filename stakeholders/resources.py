"""Import/export columns for organisations and people (private person fields excluded)."""

from import_export import fields

from core.resources import CuratedResource, ExistingForeignKeyWidget, per_language
from stakeholders.models import Organization, Person


class OrganizationResource(CuratedResource):
    publish_permission = "stakeholders.publish_organization"
    parent = fields.Field(
        attribute="parent", column_name="parent", widget=ExistingForeignKeyWidget(Organization, field="slug")
    )

    class Meta:
        model = Organization
        fields = (
            "id",
            "slug",
            *per_language("name", "acronym", "description"),
            "kind",
            "country",
            "website",
            "parent",
            "status",
            "published_at",
        )
        import_id_fields = ("slug",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class PersonResource(CuratedResource):
    organization = fields.Field(
        attribute="organization",
        column_name="organization",
        widget=ExistingForeignKeyWidget(Organization, field="slug"),
    )

    class Meta:
        model = Person
        fields = (
            "id",
            "slug",
            "given_name",
            "family_name",
            "name_original",
            "honorific",
            *per_language("position", "biography"),
            "organization",
            "country",
            "is_public",
        )
        import_id_fields = ("slug",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
