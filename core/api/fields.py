"""Serializer fields shared by every resource: translated text, absolute links, country codes.

Translated fields go through one mixin, `TranslatedFieldsMixin`: in the requested language (with
modeltranslation's fallback to English, then French), or with `?lang=all` as an object
`{"en": ..., "fr": ..., "ko": ...}` in which a missing translation is null. Per-language column
names (`title_fr`) never reach the JSON.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from modeltranslation.translator import NotRegistered, translator
from rest_framework import serializers

from core import translations

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
ALL_LANGUAGES = "all"


def absolute_url(request, path: str) -> str:
    """`path` on SITE_URL when set, else on the request's host."""
    if settings.SITE_URL:
        return f"{settings.SITE_URL}{path}"
    return request.build_absolute_uri(path)


def translated_field_names(model) -> set[str]:
    """The model's fields that have one column per language."""
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


def wants_all_languages(context) -> bool:
    return context.get("languages") == ALL_LANGUAGES


class TranslatedField(serializers.Field):
    """A translated model field: a string in the requested language, or one entry per language."""

    def __init__(self, *, translated_name: str, **kwargs):
        self.translated_name = translated_name
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, instance):
        name = self.translated_name
        if wants_all_languages(self.context):
            return {lang: getattr(instance, f"{name}_{lang}", None) or None for lang in LANGUAGES}
        # modeltranslation's descriptor: the active language, falling back to English then French.
        return getattr(instance, name, None) or ""


class TranslatedFieldsMixin:
    """For ModelSerializers: every translated model field named in Meta.fields is a TranslatedField."""

    def build_field(self, field_name, info, model_class, nested_depth):
        if field_name in translated_field_names(model_class):
            return TranslatedField, {"translated_name": field_name}
        return super().build_field(field_name, info, model_class, nested_depth)


class TranslationStatusField(serializers.Field):
    """With `lang=all`, where each French and Korean translation stands, field by field:
    `{"fr": {"title": "human", ...}, "ko": {...}}` (null for a field with no English to translate);
    null in a single language. Reads the rows `prepare_translation_statuses()` attached to a page."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, instance):
        if not wants_all_languages(self.context):
            return None
        return translations.record_statuses(instance, getattr(instance, "translation_rows", None))


def prepare_translation_statuses(records, context) -> None:
    """Attach to a page's records their translation status rows (one query per model), under
    `lang=all` only: the single-language representation has none."""
    if wants_all_languages(context):
        translations.attach_rows(records)


class ApiUrlField(serializers.Field):
    """The absolute API URL of a record: /api/v1/<resource>/<id>/."""

    def __init__(self, resource: str, **kwargs):
        self.resource = resource
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, instance):
        path = reverse(f"api:{self.resource}-detail", kwargs={"pk": instance.pk})
        return absolute_url(self.context["request"], path)


class WebUrlField(serializers.Field):
    """The absolute URL of the record's public page: in the requested language, or with
    `lang=all` one URL per language (`{"en": ..., "fr": ..., "ko": ...}`), as for texts."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, instance):
        request = self.context["request"]
        if wants_all_languages(self.context):
            urls = {}
            for lang in LANGUAGES:
                with translation.override(lang):
                    urls[lang] = absolute_url(request, self.page(instance))
            return urls
        return absolute_url(request, self.page(instance))

    def page(self, instance) -> str:
        """The page's path in the active language."""
        return instance.get_absolute_url()


class CountryCodeField(serializers.Field):
    """An ISO 3166-1 alpha-2 code, or null when none is set."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return getattr(value, "code", value) or None


class CountryCodeListField(serializers.Field):
    """A list of ISO 3166-1 alpha-2 codes."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return [getattr(country, "code", country) for country in value or []]


class OptionalUrlField(serializers.URLField):
    """A link that may be missing: the URL, or null (never an empty string)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["allow_null"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value or None
