"""HTTP around every API answer: ETags and 304s (HEAD too), rate-limit fields, caching, compression.

`ApiHttpMiddleware` sits just below Django's ConditionalGetMiddleware, so it sees each API answer
first, whether the view, the page cache (core/cache.py) or a throttle made it:

- every JSON answer to a GET or HEAD carries a weak ETag computed from its body (Django's
  ConditionalGetMiddleware skips HEAD, whose body it assumes empty; here the view renders the
  same body for both, so HEAD gets the tag a GET gets; weak, since compressed or not it is the
  same answer), and If-None-Match gives a 304 that keeps the answer's Content-Language,
  Cache-Control, Vary and rate-limit fields;
- RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset report the quota the request was
  counted against (core/ratelimit.py);
- Cache-Control: anonymous answers may be kept by shared caches for API_CACHE_MAX_AGE seconds
  (they are the same for everyone); answers to a request with credentials are private and
  revalidated each time; errors are not stored. `Vary: Authorization` keeps a shared cache from
  answering a partner with an anonymous copy; `Vary: Accept-Encoding` is on every answer, not
  only the compressed ones, so that a 304 varies like the answer it stands for.

`ApiGZipMiddleware` compresses API answers only. Compression leaks a secret that shares a body
with text an attacker chooses (BREACH); API answers hold no secret (no CSRF token, no session),
whereas the site's forms hold CSRF tokens, so the site is left to the proxy's policy.
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.http import split_directive_names

from core import ratelimit
from core.api.errors import django_error

API_PREFIX = "/api/"
READS = ("GET", "HEAD")
# Fields a 304 keeps from the answer it stands for, beside the caching ones Django's copies.
KEPT_ON_304 = ("Content-Language", *ratelimit.HEADER_NAMES)
# Answers the Cache-Control policy applies to; the docs page (HTML with a CSP nonce) keeps its own.
DATA_TYPES = ("application/json", "text/csv", "application/vnd.oai.openapi", "application/octet-stream")
# Bodies that are compressed already (snapshot zips): gzip would only cost time and hide their size.
COMPRESSED_TYPES = ("application/octet-stream", "application/zip")


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _has_credentials(request) -> bool:
    return "Authorization" in request.headers


def _cache_control(request, response) -> str | None:
    if response.has_header("Cache-Control"):  # a view or the outage answer said already
        return None
    status = response.status_code
    if status >= 400:
        return "no-store"
    if not response.get("Content-Type", "").startswith(DATA_TYPES) and status != 304:
        return None
    if request.method not in READS or not (200 <= status < 300 or status == 304):
        return None
    if _has_credentials(request):
        return "private, no-cache"
    return f"public, max-age={settings.API_CACHE_MAX_AGE}"


def _needs_etag(request, response) -> bool:
    return (
        request.method in READS
        and response.status_code == 200
        and not response.streaming
        and not response.has_header("ETag")
        and "no-store" not in split_directive_names(response.get("Cache-Control", ""))
    )


class ApiHttpMiddleware:
    """ETag and conditional answers (GET and HEAD), RateLimit-*, Cache-Control, Vary on /api/."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_api(request):
            return response
        self._decorate(request, response)
        if _needs_etag(request, response):
            set_response_etag(response)
            # Weak: the same answer compressed is another byte sequence (gzip would weaken the
            # tag of compressed answers only, and a 304 would then carry a different tag).
            response["ETag"] = f"W/{response['ETag']}"
        if request.method in READS and response.has_header("ETag"):
            answer = get_conditional_response(request, etag=response["ETag"], response=response)
            if answer.status_code == 412:  # If-Match on a GET: Django's answer has no body
                answer = django_error(412)
                self._decorate(request, answer)
            elif answer is not response:  # 304: Django's keeps the caching fields only
                for name in KEPT_ON_304:
                    if response.has_header(name):
                        answer[name] = response[name]
            response = answer
        return response

    @staticmethod
    def _decorate(request, response):
        ratelimit.add_headers(request, response)
        cache_control = _cache_control(request, response)
        if cache_control:
            response["Cache-Control"] = cache_control
        # A 304 and a short answer, which are not compressed, vary like the answers that are.
        patch_vary_headers(response, ("Authorization", "Accept-Encoding"))


class ApiGZipMiddleware(GZipMiddleware):
    """Django's gzip, for API answers only (see the module docstring), never with a CSRF token."""

    def process_response(self, request, response):
        if not is_api(request) or response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return response
        if response.get("Content-Type", "").startswith(COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)
