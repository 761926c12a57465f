"""Bounces and complaints, when django-anymail is installed and its tracking webhook is set up
(ANYMAIL_WEBHOOK_SECRET): the mail provider's report ends the address's alerts."""

from alerts import services
from alerts.models import Subscriber

# Anymail's normalised event types that mean "stop writing to this address": a hard bounce (a
# soft one is `deferred`), a spam complaint, an unsubscribe handled by the provider.
ENDING_EVENTS = frozenset({"bounced", "complained", "unsubscribed"})


def end_on_bounce(sender, event, **kwargs):
    """Erase the address a hard bounce, a complaint or a provider's unsubscribe names."""
    if event.event_type not in ENDING_EVENTS or not event.recipient:
        return
    for subscriber in Subscriber.objects.filter(email=event.recipient.strip().lower()):
        services.subscriber_erase(subscriber=subscriber)
