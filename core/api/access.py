"""Partner API keys and rate limits.

Anonymous clients are limited per address (API_THROTTLE_ANON); partners send
`Authorization: Api-Key <key>` (keys are managed in the admin, djangorestframework-api-key) and
are limited per key (API_THROTTLE_KEY). Counters live in the cache: set REDIS_URL so that every
app server shares them. A wrong, revoked or expired key is a 401, never a silent downgrade.
"""

import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.throttling import SimpleRateThrottle
from rest_framework_api_key.models import APIKey
from rest_framework_api_key.permissions import KeyParser

KEY_PATTERN = re.compile(r"[A-Za-z0-9]{1,16}\.[A-Za-z0-9]{1,128}")


class APIKeyAuthentication(BaseAuthentication):
    """`Authorization: Api-Key <key>` identifies a partner; other schemes are ignored."""

    keyword = KeyParser.keyword

    def authenticate(self, request):
        key = KeyParser().get_from_authorization(request)
        if key is None:
            return None
        key = key.strip()
        if not KEY_PATTERN.fullmatch(key):
            raise AuthenticationFailed(_("Malformed API key."))
        try:
            api_key = APIKey.objects.get_from_key(key)
        except APIKey.DoesNotExist:
            raise AuthenticationFailed(_("Unknown or revoked API key.")) from None
        if api_key.has_expired:
            raise AuthenticationFailed(_("This API key has expired."))
        return (None, api_key)

    def authenticate_header(self, request):
        return self.keyword


def _partner_key(request):
    """The request's valid API key, or None (a rejected key is the view's 401, not the throttle's)."""
    try:
        auth = request.auth
    except AuthenticationFailed:
        return None
    return auth if isinstance(auth, APIKey) else None


class _SettingRateThrottle(SimpleRateThrottle):
    rate_setting = ""

    def get_rate(self):
        # Read at request time, so that the environment (and tests) decide, not import order.
        return getattr(settings, self.rate_setting)


class AnonymousRateThrottle(_SettingRateThrottle):
    """Requests without an API key, counted per client address."""

    scope = "anon"
    rate_setting = "API_THROTTLE_ANON"

    def get_cache_key(self, request, view):
        if _partner_key(request) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PartnerRateThrottle(_SettingRateThrottle):
    """Requests with a valid API key, counted per key."""

    scope = "partner"
    rate_setting = "API_THROTTLE_KEY"

    def get_cache_key(self, request, view):
        key = _partner_key(request)
        if key is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": key.prefix}
