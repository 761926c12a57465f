"""Translated fields (en, fr, ko) and change history that keeps every language column."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from findings.models import Finding, Recommendation, RecommendationUpdate


@register(Finding)
class FindingTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "source_locator")
    required_languages = ("en",)


@register(Recommendation)
class RecommendationTranslation(TranslationOptions):
    fields = ("title", "body")
    required_languages = ("en",)


@register(RecommendationUpdate)
class RecommendationUpdateTranslation(TranslationOptions):
    fields = ("note",)


# Registered here, after modeltranslation, so history rows keep every language
# (a history model made before the translated fields exist would copy only the raw column).
for model in (Finding, Recommendation, RecommendationUpdate):
    # The Korean search morphemes are derived from the text and computed again on save.
    simple_history.register(model, excluded_fields=["search_ko"] if model is not RecommendationUpdate else [])
