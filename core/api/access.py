"""Partner API keys and rate limits.

Anonymous clients are limited per address (API_THROTTLE_ANON); partners send
`Authorization: Api-Key <key>` (keys are managed in the admin, djangorestframework-api-key) and
are limited per key (API_THROTTLE_KEY). A wrong, revoked or expired key is a 401, never a silent
downgrade (the 401 counts against the address's anonymous limit).

The limits count fixed windows in a store that every worker and app server shares, atomically
(core/ratelimit.py: Redis, or a table of the database), and each counted request keeps its quota
for the RateLimit-* response headers (core/api/http.py).
"""

import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.throttling import SimpleRateThrottle
from rest_framework_api_key.models import APIKey
from rest_framework_api_key.permissions import KeyParser

from core import ratelimit

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
    """DRF's rate parsing and client identification, counted in the shared store (fixed windows).

    SimpleRateThrottle keeps a list of timestamps in the default cache, read and written back by
    each request: per process with the local-memory cache, and racy between workers with any.
    """

    rate_setting = ""
    quota = None

    def get_rate(self):
        # Read at request time, so that the environment (and tests) decide, not import order.
        # An empty setting means no limit.
        return getattr(settings, self.rate_setting) or None

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        counted = ratelimit.recall(request)
        if counted is not None and counted.key == ratelimit.counter_key(key, self.duration):
            # Counted already: the page cache checked the limit before handing a refused
            # request to the view (core/cache.py). A request counts once.
            self.quota = counted
            return counted.allowed
        self.quota = ratelimit.count_request(key, self.num_requests, self.duration)
        if self.quota is None:  # the store is unreachable: serve rather than refuse
            return True
        ratelimit.remember(request, self.quota)
        return self.quota.allowed

    def wait(self):
        return self.quota.reset if self.quota is not None else None


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
