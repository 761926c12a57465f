from alerts import tokens
from alerts.models import Frequency, Subscriber, Subscription, TargetKind


def subscription_with_links(*, theme, email: str = "leak-suite@example.org") -> dict[str, str]:
    """A subscriber following `theme` (one pending subscription): the signed links of its pages."""
    subscriber, _created = Subscriber.objects.get_or_create(
        email=email, defaults={"language": "en", "frequency": Frequency.DAILY}
    )
    subscription, _created = Subscription.objects.get_or_create(
        subscriber=subscriber,
        kind=TargetKind.THEME,
        theme=theme,
        defaults={"language": "en", "frequency": Frequency.DAILY},
    )
    return {
        "confirm": tokens.confirm_token(subscription),
        "unsubscribe": tokens.subscriber_token(subscriber, salt=tokens.UNSUBSCRIBE_SALT),
        "manage": tokens.subscriber_token(subscriber, salt=tokens.MANAGE_SALT),
    }
