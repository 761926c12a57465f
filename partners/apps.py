from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """The partners' API: its router and root, the change feed, bulk snapshots and webhooks."""

    name = "partners"
    verbose_name = _("Partners")

    def ready(self):
        from core.periodic import register_periodic
        from partners import services

        register_periodic("build_snapshot", services.snapshots_periodic)
        register_periodic("deliver_webhooks", services.webhooks_periodic)
