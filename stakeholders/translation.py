"""Translated fields (en, fr, ko) and change history that keeps every language column."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from stakeholders.models import Organization, Person


@register(Organization)
class OrganizationTranslation(TranslationOptions):
    fields = ("name", "acronym", "description")
    required_languages = ("en",)


@register(Person)
class PersonTranslation(TranslationOptions):
    fields = ("position", "biography")


# Registered here, after modeltranslation, so history rows hold title_en/fr/ko
# (a history model made before the translated fields exist would copy only the raw column).
simple_history.register(Organization)
simple_history.register(Person)
