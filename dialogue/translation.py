"""Translated fields (en, fr, ko) and change history that keeps every language column."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from dialogue.models import (
    Dialogue,
    DialogueDocument,
    DialogueOrganizer,
    DialogueSeries,
    Milestone,
    Participation,
    Session,
    Theme,
)


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("en",)


@register(DialogueSeries)
class DialogueSeriesTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("en",)


@register(Dialogue)
class DialogueTranslation(TranslationOptions):
    fields = ("title", "city", "venue", "summary", "context")
    required_languages = ("en",)


@register(DialogueDocument)
class DialogueDocumentTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ("en",)


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("en",)


@register(Participation)
class ParticipationTranslation(TranslationOptions):
    fields = ("position",)


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("en",)


# Registered here, after modeltranslation, so history rows keep every language
# (a history model made before the translated fields exist would copy only the raw column).
for model in (
    Theme,
    DialogueSeries,
    Dialogue,
    DialogueDocument,
    DialogueOrganizer,
    Session,
    Participation,
    Milestone,
):
    simple_history.register(model, excluded_fields=["search_ko"] if model is Dialogue else [])
