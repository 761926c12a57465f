from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    """Organisations and people."""

    name = "stakeholders"
    verbose_name = _("Stakeholders")
