"""API representations of organisations and people. Private person fields exist in none of them."""

from rest_framework import serializers

from core.api.fields import (
    ApiUrlField,
    CountryCodeField,
    OptionalUrlField,
    TranslatedFieldsMixin,
    WebUrlField,
)
from stakeholders.models import Organization, Person


class OrganizationRefSerializer(TranslatedFieldsMixin, serializers.ModelSerializer):
    """A reference to an organisation."""

    is_reference = True
    url = ApiUrlField("organizations")

    class Meta:
        model = Organization
        fields = ("id", "url", "slug", "name", "acronym")


class PersonRefSerializer(TranslatedFieldsMixin, serializers.ModelSerializer):
    """A reference to a person who consented to be named."""

    is_reference = True
    url = ApiUrlField("people")

    class Meta:
        model = Person
        fields = ("id", "url", "slug", "given_name", "family_name", "name_original")


class OrganizationSerializer(TranslatedFieldsMixin, serializers.ModelSerializer):
    """A published organisation."""

    url = ApiUrlField("organizations")
    web_url = WebUrlField()
    country = CountryCodeField()
    website = OptionalUrlField()
    parent = OrganizationRefSerializer(source="public_parent", allow_null=True, read_only=True)
    created = serializers.DateTimeField(source="created_at", read_only=True)
    updated = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = Organization
        fields = (
            "id",
            "url",
            "web_url",
            "slug",
            "name",
            "acronym",
            "kind",
            "country",
            "website",
            "description",
            "parent",
            "created",
            "updated",
        )


class PersonSerializer(TranslatedFieldsMixin, serializers.ModelSerializer):
    """A person who consented to be listed; contact details and notes never leave the admin."""

    url = ApiUrlField("people")
    web_url = WebUrlField()
    country = CountryCodeField()
    organization = OrganizationRefSerializer(source="public_organization", allow_null=True, read_only=True)
    created = serializers.DateTimeField(source="created_at", read_only=True)
    updated = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = Person
        fields = (
            "id",
            "url",
            "web_url",
            "slug",
            "honorific",
            "given_name",
            "family_name",
            "name_original",
            "position",
            "organization",
            "country",
            "biography",
            "created",
            "updated",
        )
