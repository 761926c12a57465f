from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FindingsConfig(AppConfig):
    """Findings, recommendations and their follow-up."""

    name = "findings"
    verbose_name = _("Findings and recommendations")
