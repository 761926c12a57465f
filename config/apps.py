from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared bases, the publication log and project-wide commands."""

    name = "config"
    label = "core"
    verbose_name = _("Dialogue Atlas")

    def ready(self):
        from config import cache, changes

        changes.connect_signals()  # the partners' change feed follows every curated model
        cache.connect_signals()  # cached public pages are invalidated on every change
