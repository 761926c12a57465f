from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    """Readers' e-mail alerts: subscriptions, double opt-in, digests sent by the task worker."""

    name = "alerts"
    verbose_name = _("Alerts")

    def ready(self):
        from alerts import services
        from alerts.models import DigestRun, Subscriber, Subscription
        from core.curation import register_personal_data
        from core.periodic import register_periodic

        register_periodic("send_alerts", services.alerts_periodic)
        try:  # optional: bounces and complaints reported through django-anymail's webhooks
            from anymail.signals import tracking
        except ImportError:
            pass
        else:
            from alerts.signals import end_on_bounce

            tracking.connect(end_on_bounce, dispatch_uid="alerts-end-on-bounce")
        # Addresses travel in a backup only when personal data is asked for.
        for model in (Subscriber, Subscription, DigestRun):
            register_personal_data(model)
