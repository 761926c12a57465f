"""Probe views for the page-cache tests, mounted under a language prefix like public pages."""

from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.urls import include, path
from django.utils.cache import patch_cache_control, patch_vary_headers

from config.urls import urlpatterns as site_urlpatterns

CALLS = {"count": 0}


def counted(request):
    CALLS["count"] += 1
    return HttpResponse(f"rendered {CALLS['count']}")


def with_nonce(request):
    nonce = get_nonce(request)
    return HttpResponse(f'<script nonce="{nonce}">1</script><style nonce="{nonce}"></style>')


def sets_cookie(request):
    response = counted(request)
    response.set_cookie("seen", "1")
    return response


def uses_csrf(request):
    CALLS["count"] += 1
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


def varies_on_cookie(request):
    response = counted(request)
    patch_vary_headers(response, ["Cookie"])
    return response


def private(request):
    response = counted(request)
    patch_cache_control(response, private=True)
    return response


def not_found(request):
    CALLS["count"] += 1
    return HttpResponse("gone", status=404)


probes = [
    path("counted/", counted),
    path("nonce/", with_nonce),
    path("cookie/", sets_cookie),
    path("csrf/", uses_csrf),
    path("vary-cookie/", varies_on_cookie),
    path("private/", private),
    path("missing/", not_found),
]

urlpatterns = [
    path("en/probe/", include(probes)),
    path("internal/probe/", include(probes)),  # not a public path: never cached
    *site_urlpatterns,
]
