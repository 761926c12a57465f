"""Operational endpoints, and Django's error handlers (JSON under /api/, pages elsewhere)."""

import logging

from django.db import connection
from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache

from core.api.errors import django_error

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """The process is up; touches nothing else."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """The database answers; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure to reach the database means "not ready"
        if not connection.in_atomic_block:
            # Drop the broken connection so that the next request connects afresh. Closing
            # must not fail in turn (it may try to reconnect to read the autocommit state).
            try:
                connection.close()
            except Exception:
                logger.warning("readyz: closing the database connection failed", exc_info=True)
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


# A bad Host or too many parameters, a path nothing serves, a failure: the API's clients get the
# API's error shape ({"detail", "code"}), never an HTML page.


def bad_request(request, exception):
    return django_error(400) if _is_api(request) else defaults.bad_request(request, exception)


def permission_denied(request, exception):
    return django_error(403) if _is_api(request) else defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    return django_error(404) if _is_api(request) else defaults.page_not_found(request, exception)


def server_error(request):
    return django_error(500) if _is_api(request) else defaults.server_error(request)
