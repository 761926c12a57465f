"""Import/export columns for organisations and people (private person fields excluded)."""

from core.resources import CuratedResource, per_language
from stakeholders.models import Organization, Person


class OrganizationResource(CuratedResource):
    publish_permission = "stakeholders.publish_organization"

    class Meta:
        model = Organization
        fields = (
            "id",
            "slug",
            *per_language("name", "acronym", "description"),
            "kind",
            "country",
            "website",
            "status",
            "published_at",
        )
        import_id_fields = ("slug",)
        skip_unchanged = True
        report_skipped = True


class PersonResource(CuratedResource):
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
            "country",
            "is_public",
        )
        import_id_fields = ("slug",)
        skip_unchanged = True
        report_skipped = True
