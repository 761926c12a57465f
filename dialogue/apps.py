from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogueConfig(AppConfig):
    """Dialogue series, dialogues, sessions, participations, themes and milestones."""

    name = "dialogue"
    verbose_name = _("Dialogues")
