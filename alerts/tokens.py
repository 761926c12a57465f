"""Signed links: confirming a subscription, managing an address, leaving in one click.

Each token is signed with SECRET_KEY and a salt of its own (a token of one kind opens nothing
else). Confirmation tokens name a subscription and its nonce and expire with the pending
subscription; the others name an address and its key, which erasing the address or asking for
new links replaces, voiding every earlier link. A malformed, forged or expired token is None.
"""

from django.core import signing

from alerts.models import Subscriber, Subscription

CONFIRM_SALT = "alerts.confirm"
MANAGE_SALT = "alerts.manage"
UNSUBSCRIBE_SALT = "alerts.unsubscribe"
PENDING_SECONDS = 7 * 24 * 3600
MAX_TOKEN_LENGTH = 400


def confirm_token(subscription: Subscription) -> str:
    return signing.dumps([subscription.pk, subscription.nonce], salt=CONFIRM_SALT, compress=True)


def subscriber_token(subscriber: Subscriber, *, salt: str) -> str:
    return signing.dumps([subscriber.pk, subscriber.key], salt=salt, compress=True)


def _load(token: str, *, salt: str, max_age=None):
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, UnicodeError):  # SignatureExpired is a BadSignature
        return None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)):
        return None
    if not isinstance(value[1], str):
        return None
    return value


def subscription_from_token(token: str) -> Subscription | None:
    """The subscription a confirmation token names, if it is genuine, unexpired and current."""
    value = _load(token, salt=CONFIRM_SALT, max_age=PENDING_SECONDS)
    if value is None:
        return None
    return Subscription.objects.select_related("subscriber").filter(pk=value[0], nonce=value[1]).first()


def subscriber_from_token(token: str, *, salt: str) -> Subscriber | None:
    """The address a manage or unsubscribe token names, if it is genuine and its key current."""
    value = _load(token, salt=salt)
    if value is None:
        return None
    return Subscriber.objects.filter(pk=value[0], key=value[1]).first()


def is_well_signed(token: str, *, salt: str) -> bool:
    """The token was made by this site (whether or not what it names still exists)."""
    return _load(token, salt=salt) is not None
